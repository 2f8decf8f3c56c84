"""A stored row as the services hand it out: column name to a plain value."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

Cell = str | int | float | bool | datetime | date | None
Row = Mapping[str, Cell]


def number(row: Row, key: str) -> float | None:
    """The column as a number, or None when it is unknown (never a made-up 0)."""
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
