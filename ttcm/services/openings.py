"""Creator openings: profiles the team opened, queued for the next refresh's detail fetch.

Discover may send only a few fields, so the refresh fills labels, price, audience and ER from
the detail endpoint for the creators a team looks at; an opened profile is one of them.
"""

from __future__ import annotations

from datetime import datetime

from ttcm.auth import Principal, require
from ttcm.errors import NotFound
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.lookup import one_value
from ttcm.store.timestamps import utcnow
from ttcm.store.upsert import upsert


class OpeningError(NotFound):
    """The opened handle is not a creator in the cache."""


def record_opened(store: Store, actor: Principal, handle: str, now: datetime | None = None) -> None:
    """Record that `actor` opened the profile of `handle` (first and last time opened)."""
    require(actor, "read")
    at = now or utcnow()
    with store.write() as conn:
        missing = OpeningError(f"No creator @{handle} in the cache.")
        one_value(conn, m.Creator.id, m.Creator.handle_name == handle, missing)
        upsert(
            conn,
            m.CreatorOpening.__table__,  # type: ignore[arg-type]
            [{"handle_name": handle, "first_opened_at": at, "last_opened_at": at}],
            key=["handle_name"],
            update=["last_opened_at"],
        )
