"""The base of every payload model: unknown keys ignored, fields settable by name."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def as_dict(data: Any) -> Any:
    """A copy of `data` when it is a dict (validators may then change it), else `data`."""
    return dict(data) if isinstance(data, dict) else data


def lifted(data: Any, *nested: str) -> Any:
    """A copy of a dict `data` whose missing or None keys are filled from its `nested` dicts."""
    data = as_dict(data)
    if not isinstance(data, dict):
        return data
    for name in nested:
        inner = data.get(name)
        if isinstance(inner, dict):
            for key, value in inner.items():
                if data.get(key) is None:
                    data[key] = value
    return data
