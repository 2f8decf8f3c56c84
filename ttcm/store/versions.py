"""Data-version counters: bumped in the same transaction as a write, read cheaply by caches.

An in-memory index over creators compares the counter it was built at with the current one
instead of scanning the table to find out whether anything changed.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, text

from ttcm.store import models as m


def bump(conn: Connection, name: str) -> None:
    """Increment counter `name` inside the caller's write transaction."""
    key = f"version:{name}"
    done = conn.execute(
        text(
            "UPDATE app_settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
            "WHERE key = :key"
        ),
        {"key": key},
    ).rowcount
    if not done:
        conn.execute(insert(m.AppSetting).values(key=key, value="1"))


def current(conn: Connection, name: str) -> int:
    """The counter's value (0 when never bumped)."""
    value = conn.execute(
        select(m.AppSetting.value).where(m.AppSetting.key == f"version:{name}")
    ).scalar_one_or_none()
    return int(value) if value is not None else 0
