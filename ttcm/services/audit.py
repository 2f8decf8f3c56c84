"""The audit log: who did what, when, with the TikTok request id of the call it made."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt
from ttcm.errors import InputError
from ttcm.store import Store
from ttcm.store import models as m

MAX_ENTRIES = 5000  # one read of the log at the most


def entries(
    store: Store, principal: Principal, *, action: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """Newest audit entries first (admins only)."""
    require(principal, "audit.read")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_ENTRIES:
        raise InputError(
            "The number of audit entries must be a whole number from 1 to "
            f"{numfmt.count(MAX_ENTRIES)}; got {limit!r}."
        )
    query = select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(m.AuditEntry.action == action)
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [
        {
            "at": r.at,
            "actor": r.actor,
            "action": r.action,
            "target": r.target,
            "detail": r.detail,
            "request_id": r.request_id,
        }
        for r in rows
    ]
