"""The audit log: who did what, when, with the TikTok request id of the call it made."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from ttcm.auth import Principal, require
from ttcm.store import Store
from ttcm.store import models as m


def record(
    conn: Connection,
    actor: str,
    action: str,
    target: str | None,
    detail: dict[str, Any] | None,
    request_id: str | None,
) -> None:
    """Append one entry inside the caller's write transaction (so it commits with the change)."""
    conn.execute(
        insert(m.AuditEntry).values(
            at=datetime.now(UTC),
            actor=actor,
            action=action,
            target=target,
            detail=detail,
            request_id=request_id,
        )
    )


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
