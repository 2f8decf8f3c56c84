"""Which resources a refresh covers, and how fresh each one is in the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.timestamps import as_utc

RESOURCES: tuple[str, ...] = ("creators", "campaigns", "orders", "posts", "spark")


@dataclass(frozen=True)
class Freshness:
    """When a resource was last refreshed successfully."""

    resource: str
    last_success_at: datetime | None
    last_error: str | None


def freshness(store: Store) -> list[Freshness]:
    """Freshness of every resource, in the order of RESOURCES."""
    with store.read() as conn:
        rows = {r.resource: r for r in conn.execute(select(m.ResourceStatus))}
    return [
        Freshness(
            resource=r,
            last_success_at=as_utc(rows[r].last_success_at)
            if r in rows and rows[r].last_success_at
            else None,
            last_error=rows[r].last_error if r in rows else None,
        )
        for r in RESOURCES
    ]


def store_is_empty(store: Store) -> bool:
    """True when no creator has been cached yet."""
    with store.read() as conn:
        return conn.execute(select(m.Creator.id).limit(1)).first() is None
