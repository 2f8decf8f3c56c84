"""Writing the audit log: one entry inside the caller's write transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert

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
