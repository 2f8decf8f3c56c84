"""UTC timestamps as the store keeps them (SQLite hands them back without a time zone)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


def utcnow() -> datetime:
    """Current UTC time, time-zone aware."""
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (naive values are UTC by convention)."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
