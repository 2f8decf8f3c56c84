"""The sandbox's notion of time: real or fixed time plus an offset that tests and demos advance."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class SandboxClock:
    """UTC time for the sandbox; `advance` moves invitations, orders and Spark Ads along."""

    def __init__(self, start: datetime | None = None, offset_hours: float = 0.0) -> None:
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self._start = start.astimezone(UTC) if start is not None else None
        self._offset = timedelta(hours=offset_hours)
        self._lock = threading.Lock()

    @property
    def fixed(self) -> bool:
        """True when time only moves through `advance` (tests)."""
        return self._start is not None

    @property
    def offset_hours(self) -> float:
        """Hours added to the base time so far."""
        return self._offset.total_seconds() / 3600.0

    @offset_hours.setter
    def offset_hours(self, hours: float) -> None:
        with self._lock:
            self._offset = timedelta(hours=hours)

    def now(self) -> datetime:
        """The current sandbox time (timezone-aware UTC)."""
        base = self._start if self._start is not None else datetime.now(UTC)
        return base + self._offset

    def timestamp(self) -> float:
        """The current sandbox time as Unix seconds."""
        return self.now().timestamp()

    def advance(self, hours: float) -> datetime:
        """Move time forward by `hours` (not backwards) and return the new time."""
        if not hours >= 0:
            raise ValueError(f"hours must be a non-negative number, got {hours!r}")
        with self._lock:
            self._offset += timedelta(hours=hours)
        return self.now()
