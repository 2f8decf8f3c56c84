"""Store the orders TikTok holds, finish their intents, and keep one audit entry per request.

A request that starts a new campaign code sends its first order alone and the rest in a second
call; both calls belong to one request, so they share one `order.create` entry (the first call's
transaction writes it, later calls of the same request add their orders and request ids to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Connection, Table, insert, select, update

from ttcm.api.models.orders import Deliverable as ApiDeliverable
from ttcm.api.models.orders import Order as ApiOrder
from ttcm.auth import Principal
from ttcm.services.orders.request import Deliverables, OrderRow, OrdersOutcome
from ttcm.services.writes import Claim, finish
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.rows_orders import write_orders
from ttcm.store.upsert import upsert

AUDIT_LIST_MAX = 200


def order_row(o: ApiOrder) -> OrderRow:
    """What a request's outcome says about one order."""
    return {
        "handle_name": o.handle_name,
        "order_id": o.order_id,
        "campaign_code": o.campaign_code,
        "invite_link": o.invite_link,
        "status": o.status,
    }


def filled(o: ApiOrder, code: str, invite_link: str | None, dels: Deliverables | None) -> ApiOrder:
    """A create answer's order with what the answer leaves out (deliverables, video count)."""
    changes: dict[str, object] = {}
    if not o.campaign_code:
        changes["campaign_code"] = code
    if not o.invite_link and invite_link:
        changes["invite_link"] = invite_link
    if not o.status:
        changes["status"] = "ORDER_CREATED"
    if dels is not None and not o.deliverables:
        changes["deliverables"] = [ApiDeliverable.model_validate(d) for d in dels]
    if dels is not None and not o.video_number:
        changes["video_number"] = len(dels)
    return o.model_copy(update=changes) if changes else o


class OrderRecorder:
    """Records one request's orders; `order.create` entries of the request are merged into one."""

    def __init__(
        self,
        store: Store,
        actor: Principal,
        campaign_pk: int,
        *,
        create_action: str = "order.create",
        note: dict[str, str] | None = None,
    ) -> None:
        self.store = store
        self.actor = actor
        self.campaign_pk = campaign_pk
        self.create_action = create_action  # `order.replace` for a replacement's order
        self.note = note or {}  # added to the request's created entry (whom it replaces)
        self.entries: dict[str, int] = {}  # audit action -> the request's entry id

    def save(
        self,
        orders: Sequence[ApiOrder],
        code: str,
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
        *,
        request_id: str | None,
        invite_link: str | None = None,
        remaining: int | None = None,
        dels: Deliverables | None = None,
        created: bool = False,
        action: str | None = None,
    ) -> None:
        """Store orders TikTok holds, finish their intents and audit them (one transaction)."""
        now = datetime.now(UTC)
        done = [filled(o, code, invite_link, dels) for o in orders]
        with self.store.write() as conn:
            self._code(conn, code, invite_link, done, remaining, now)
            write_orders(conn, done, self.campaign_pk, now)
            upsert(
                conn,
                cast(Table, m.CampaignCreator.__table__),
                [
                    {
                        "campaign_pk": self.campaign_pk,
                        "handle_name": o.handle_name,
                        "added_by": self.actor.username,
                        "added_at": now,
                    }
                    for o in done
                ],
                key=["campaign_pk", "handle_name"],
                update=(),
            )
            for o in done:
                row = order_row(o)
                c = claims.pop(o.handle_name or "", None)
                if c is not None:
                    finish(conn, c.id, "done", request_id, dict(row))
                (outcome.created if created else outcome.existing).append(row)
            if done:
                what = action or (self.create_action if created else "order.reconcile")
                self._audit(conn, what, code, done, request_id)

    def _code(
        self,
        conn: Connection,
        code: str,
        invite_link: str | None,
        done: list[ApiOrder],
        remaining: int | None,
        now: datetime,
    ) -> None:
        link = invite_link or next((o.invite_link for o in done if o.invite_link), None)
        upsert(
            conn,
            cast(Table, m.CampaignCode.__table__),
            [
                {
                    "campaign_code": code,
                    "campaign_pk": self.campaign_pk,
                    "invite_link": link,
                    "remaining_orders": remaining,
                    "created_at": now,
                }
            ],
            key=["campaign_code"],
            update=["remaining_orders"] if remaining is not None else (),
        )

    def _audit(
        self,
        conn: Connection,
        action: str,
        code: str,
        done: list[ApiOrder],
        request_id: str | None,
    ) -> None:
        """One entry per action of the request: the first call writes it, later ones extend it."""
        entry_id = self.entries.get(action)
        before = None
        if entry_id is not None:
            before = conn.execute(
                select(m.AuditEntry.detail).where(m.AuditEntry.id == entry_id)
            ).scalar_one_or_none()
        old = before if isinstance(before, dict) else {}
        codes = list(old.get("campaign_codes", []))
        if code not in codes:
            codes.append(code)
        detail = {
            "campaign_code": codes[0],
            "campaign_codes": codes,
            "orders": [*old.get("orders", []), *(o.order_id for o in done)][:AUDIT_LIST_MAX],
            "handles": [*old.get("handles", []), *(o.handle_name for o in done)][:AUDIT_LIST_MAX],
            "request_ids": [*old.get("request_ids", []), *([request_id] if request_id else [])],
            **(self.note if action == self.create_action else {}),
        }
        target = f"campaign {self.campaign_pk} code {', '.join(codes)}"[:400]
        if entry_id is not None and before is not None:
            conn.execute(
                update(m.AuditEntry)
                .where(m.AuditEntry.id == entry_id)
                .values(target=target, detail=detail)
            )
            return
        self.entries[action] = conn.execute(
            insert(m.AuditEntry)
            .values(
                at=datetime.now(UTC),
                actor=self.actor.username,
                action=action,
                target=target,
                detail=detail,
                request_id=request_id,
            )
            .returning(m.AuditEntry.id)
        ).scalar_one()
