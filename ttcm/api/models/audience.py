"""Audience breakdown rows (country, gender, age, device, ...) shared by creators and reports."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import model_validator

from ttcm.api.coerce import Items, to_float, to_text
from ttcm.api.models.base import Model

# a creator's audience breakdowns: each a list of shares (`Creator.audience_*`)
CREATOR_AUDIENCE_FIELDS = (
    "audience_countries",
    "audience_genders",
    "audience_ages",
    "audience_devices",
    "audience_locales",
    "audience_usages",
)
_SHARE_KEYS = (
    "country",
    "gender",
    "age",
    "device",
    "locale",
    "usage",
    "language",
    "interest_tag",
    "interest",
)


class AudienceShare(Model):
    """One row of an audience breakdown: `key` (country, gender, age, ...) and its `percentage`."""

    key: str
    percentage: float
    dimension: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _pick_key(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name in _SHARE_KEYS:
            text = to_text(data.get(name))
            if text is not None:
                return {
                    "key": text,
                    "percentage": to_float(data.get("percentage", data.get("share"))),
                    "dimension": name,
                }
        return data  # already {key, percentage[, dimension]}, or junk that fails below


Shares = Annotated[list[AudienceShare] | None, Items]
