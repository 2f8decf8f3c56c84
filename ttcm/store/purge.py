"""The compliance purge: TikTok data that did not come from the API is removed on request."""

from __future__ import annotations

from sqlalchemy import delete

from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.audit import record

PURGEABLE = (
    m.Creator,
    m.Post,
    m.SparkAuthorization,
    m.LinkStatus,
    m.Order,
    m.Account,
)

_TARGET = "non-API TikTok data"


def purge_legacy(store: Store, actor: str = "system") -> dict[str, int]:
    """Delete TikTok data that did not come from the API; keeps the team's own records."""
    removed: dict[str, int] = {}
    with store.write() as conn:
        for model in PURGEABLE:
            result = conn.execute(delete(model).where(model.source != m.API_SOURCE))
            removed[model.__tablename__] = max(result.rowcount, 0)
        if removed.get("creators"):
            versions.bump(conn, "creators")
        record(conn, actor, "purge", _TARGET, removed, None)
    return removed
