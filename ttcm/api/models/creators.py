"""Creators: discover, public and authorized profiles, marketplace status, invitations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, model_validator

from ttcm.api.coerce import Count, Flag, OptId, Ratio, Strings, StrList, Text, lenient, to_text
from ttcm.api.models.accounts import Labels
from ttcm.api.models.audience import Shares
from ttcm.api.models.base import Model, as_dict

AccountKind = Literal["auth_ttcm", "nonauth_ttcm", "auth_nonttcm", "nonauth_nonttcm"]


class Creator(Model):
    """A creator from discover, public, authorized or the authorized-creators list.

    A field the source does not provide is None (authorized payloads carry only the requested
    `fields`, so even `handle_name` can be absent there).
    """

    creator_id: OptId = None
    handle_name: Text = Field(None, validation_alias=AliasChoices("handle_name", "handle"))
    display_name: Text = None
    profile_image: Text = None
    bio: Text = None
    country_code: Text = None
    state_province: Text = None
    followers_count: Count = None
    following_count: Count = Field(
        None, validation_alias=AliasChoices("following_count", "followings_count")
    )
    likes_count: Count = None
    videos_count: Count = None
    avg_views: Count = Field(None, validation_alias=AliasChoices("avg_views", "average_views"))
    median_views: Count = None
    engagement_rate: Ratio = None
    creator_price: Ratio = None
    currency: Text = None
    languages: StrList = None
    industry_labels: Labels = None
    content_labels: Labels = None
    audience_countries: Shares = None
    audience_genders: Shares = None
    audience_ages: Shares = None
    audience_devices: Shares = Field(
        None, validation_alias=AliasChoices("audience_devices", "audience_device")
    )
    audience_locales: Shares = None
    audience_usages: Shares = Field(
        None, validation_alias=AliasChoices("audience_usages", "audience_usage")
    )
    is_tcm_creator: Flag = None
    is_authenticated: Flag = None
    account_type: Text = None
    age_verified_18: Flag = None
    videos_last_30d: Count = None
    views_last_30d: Count = None
    content_rating: Text = None

    @model_validator(mode="before")
    @classmethod
    def _creator_rate(cls, data: Any) -> Any:
        data = as_dict(data)
        if not isinstance(data, dict) or "creator_rate" not in data:
            return data
        rate = data["creator_rate"]
        if isinstance(rate, dict):
            if data.get("creator_price") is None:
                data["creator_price"] = rate.get("rate")
            if data.get("currency") is None:
                data["currency"] = rate.get("currency")
        elif data.get("creator_price") is None:
            data["creator_price"] = rate
        return data

    @property
    def account_kind(self) -> AccountKind:
        """auth_ttcm / nonauth_ttcm / auth_nonttcm / nonauth_nonttcm (unknown counts as no)."""
        auth = "auth" if self.is_authenticated else "nonauth"
        ttcm = "ttcm" if self.is_tcm_creator else "nonttcm"
        return f"{auth}_{ttcm}"  # type: ignore[return-value]


class OnboardingStatus(Model):
    """One row of `/tto/tcm/creator/status/get/` (`IN|NOT_IN|INVALID|INVITED`)."""

    handle_name: str = Field(validation_alias=AliasChoices("handle_name", "handler_name"))
    status: Text = None
    reject_reason: Text = Field(None, validation_alias=AliasChoices("reject_reason", "reason"))

    @model_validator(mode="before")
    @classmethod
    def _handle_text(cls, data: Any) -> Any:
        data = as_dict(data)
        if isinstance(data, dict):
            for name in ("handle_name", "handler_name"):
                if name in data:
                    data[name] = to_text(data[name])
        return data


def _reasons(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict):
        return {str(k): text for k, v in value.items() if (text := to_text(v)) is not None}
    if isinstance(value, list):  # [{handle_name, reason}] form
        out: dict[str, str] = {}
        for row in value:
            if isinstance(row, dict):
                handle = to_text(row.get("handle_name"))
                reason = to_text(row.get("reject_reason", row.get("reason")))
                if handle is not None and reason is not None:
                    out[handle] = reason
        return out
    return None


class InviteResult(Model):
    """`/tcm/creator/invite/`: handles already in, invited, rejected (with reasons)."""

    in_tcm: Strings = Field(default_factory=list)
    invited: Strings = Field(default_factory=list)
    rejected: Strings = Field(default_factory=list)
    reject_reasons: Annotated[dict[str, str], lenient(lambda v: _reasons(v) or {})] = Field(
        default_factory=dict
    )
