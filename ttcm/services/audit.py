"""The audit log: who did what, when, with the TikTok request id of the call it made."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ttcm.auth import Principal, require
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record

__all__ = ["entries", "record"]  # record lives in the store; writers below services use it there


def entries(
    store: Store, principal: Principal, *, action: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """Newest audit entries first (admins only)."""
    require(principal, "audit.read")
    query = select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(max(1, min(limit, 5000)))
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
