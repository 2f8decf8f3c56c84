"""The audit log as admins read it: newest first, filtered by any part of the action, in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from ttcm.auth import Principal, require
from ttcm.domain import audit_detail
from ttcm.store import Store
from ttcm.store import models as m

NEWEST = 500  # one page of the log; the filter narrows it, the page says how many are shown


@dataclass(frozen=True)
class AuditRow:
    """One entry for people: when, who, what, on which thing, the facts, TikTok's request id."""

    at: datetime
    actor: str
    action: str
    what: str
    target: str
    detail: str
    request_id: str | None


def _matching_actions(words: str) -> list[str]:
    """Listed actions whose code or name holds `words` (so "orders" finds "order.create")."""
    wanted = words.lower()
    return [
        code
        for code in audit_detail.listed_actions()
        if wanted in code.lower() or wanted in audit_detail.action_label(code).lower()
    ]


class AuditLog:
    """Read the audit log (admins only)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def newest(self, actor: Principal, contains: str | None = None) -> list[AuditRow]:
        """The newest entries; with `contains`, only actions whose code or name holds it."""
        require(actor, "audit.read")
        a = m.AuditEntry
        query = select(a).order_by(a.id.desc()).limit(NEWEST)
        words = (contains or "").strip()
        if words:
            by_name = _matching_actions(words)
            escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(
                or_(a.action.ilike(f"%{escaped}%", escape="\\"), a.action.in_(by_name))
            )
        with self.store.read() as conn:
            rows = conn.execute(query).all()
            pks = set().union(
                *(audit_detail.campaign_pks(r.action, r.target, r.detail) for r in rows)
            )
            found = select(m.Campaign.id, m.Campaign.campaign_name).where(m.Campaign.id.in_(pks))
            names = {c.id: c.campaign_name for c in conn.execute(found)} if pks else {}
        return [
            AuditRow(
                at=r.at,
                actor=r.actor,
                action=r.action,
                what=audit_detail.action_label(r.action),
                target=audit_detail.target_text(r.action, r.target, names),
                detail=audit_detail.detail_text(r.detail, names),
                request_id=r.request_id,
            )
            for r in rows
        ]
