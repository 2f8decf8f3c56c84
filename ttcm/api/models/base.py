"""The base of every payload model: unknown keys ignored, fields settable by name."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def as_dict(data: Any) -> Any:
    """A copy of `data` when it is a dict (validators may then change it), else `data`."""
    return dict(data) if isinstance(data, dict) else data
