"""Orders of a campaign, as pages and the CLI use them; reads need `read`, changes `order.write`.

One order per creator per campaign, 1-10 named videos, Spark Ads per deliverable; the send is
exactly once (`create.OrderSender`). A declined order can be replaced by another creator with the
same deliverables (`replace`), audited as `order.replace`.
"""

from __future__ import annotations

import builtins
from datetime import UTC, datetime

from sqlalchemy import select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.services.orders import messages as msg
from ttcm.services.orders.codes import CODE_PROBLEM, CODE_RE, CodeRoom, campaign_row, codes, lookup
from ttcm.services.orders.codes import room as code_room
from ttcm.services.orders.create import OrderSender
from ttcm.services.orders.record import OrderRecorder
from ttcm.services.orders.request import (
    NEW_CODE,
    OrderError,
    OrderRequest,
    OrdersOutcome,
    clean_handle,
    deliverables,
    order_key,
    signature,
    validate,
)
from ttcm.services.tiktok_writer import TikTokWriter
from ttcm.services.writes import claim_many, open_intents
from ttcm.store import models as m
from ttcm.store.rows_orders import write_orders

OrderListing = dict[str, object]


class Orders(TikTokWriter):
    """Create, replace, recover and list orders; changes need `order.write`."""

    # ------------------------------------------------------------ reads

    def list(self, actor: Principal, campaign_pk: int) -> builtins.list[OrderListing]:
        """The campaign's orders with their deliverables, by handle."""
        require(actor, "read")
        with self.store.read() as conn:
            orders: builtins.list[OrderListing] = [
                dict(r._mapping)
                for r in conn.execute(
                    select(m.Order.__table__)
                    .where(m.Order.campaign_pk == campaign_pk)
                    .order_by(m.Order.handle_name)
                )
            ]
            dels: dict[str, builtins.list[dict[str, object]]] = {}
            for d in conn.execute(
                select(m.Deliverable.__table__)
                .join(m.Order, m.Order.order_id == m.Deliverable.order_id)
                .where(m.Order.campaign_pk == campaign_pk)
                .order_by(m.Deliverable.order_id, m.Deliverable.position)
            ):
                dels.setdefault(d.order_id, []).append(dict(d._mapping))
        labels = rules.vocab()["order_statuses"]
        for o in orders:
            status = str(o["status"] or "")
            o["deliverables"] = dels.get(str(o["order_id"]), [])
            o["status_label"] = labels.get(status, status or "unknown")
        return orders

    def codes(self, actor: Principal, campaign_pk: int) -> builtins.list[CodeRoom]:
        """The campaign's codes, oldest first, with their room and their deliverables."""
        require(actor, "read")
        return codes(self.store, campaign_pk)

    def room(self, actor: Principal, req: OrderRequest) -> int:
        """How many of `req`'s orders fit on the campaign's current codes (the rest start one)."""
        require(actor, "read")
        return code_room(self.store, req)

    def unconfirmed(self, actor: Principal, campaign_pk: int) -> builtins.list[dict[str, object]]:
        """Orders of the campaign that were sent (or are being sent) without a confirmed result."""
        require(actor, "read")
        out: builtins.list[dict[str, object]] = []
        for row in open_intents(self.store, f"order:{campaign_pk}:"):
            code = row["payload"].get("campaign_code")
            new = code == NEW_CODE
            if row["status"] == "pending":
                message = msg.SENDING
            else:
                message = msg.UNCONFIRMED_NEW if new else msg.UNCONFIRMED
            out.append(
                {
                    "handle_name": row["key"].split(":", 2)[2],
                    "status": row["status"],
                    "campaign_code": None if new else code,
                    "new_code": new,
                    "message": message,
                    "updated_at": row["updated_at"],
                }
            )
        return out

    # ------------------------------------------------------------ create, replace, resend

    def create(self, actor: Principal, req: OrderRequest) -> OrdersOutcome:
        """Create one order per creator, exactly once, and record them with the audit trail."""
        require(actor, "order.write")
        campaign = self._checked(req)
        dels = deliverables(req, int(str(campaign["spark_days_default"] or 30)))
        return self._sender(actor, campaign).send(
            req.handles, dels, resend_unconfirmed=req.resend_unconfirmed
        )

    def replace(
        self, actor: Principal, campaign_pk: int, declined: str, replacement: str
    ) -> OrdersOutcome:
        """Order `replacement` with the deliverables of `declined`'s declined order (once)."""
        require(actor, "order.write")
        old = clean_handle(declined)
        new = clean_handle(replacement)
        with self.store.read() as conn:
            order = conn.execute(
                select(m.Order.order_id, m.Order.status).where(
                    m.Order.campaign_pk == campaign_pk, m.Order.handle_name == old
                )
            ).first()
            items = conn.execute(
                select(m.Deliverable.deliverable_name, m.Deliverable.spark_days)
                .where(m.Deliverable.order_id == (order.order_id if order else ""))
                .order_by(m.Deliverable.position)
            ).all()
        if order is None or order.status != "DECLINED":
            raise OrderError({"declined": "only a declined order of this campaign is replaced"})
        if not new or new.lower() == old.lower():
            raise OrderError({"handles": "choose another creator to replace the declined one"})
        req = OrderRequest(
            campaign_pk,
            [new],
            video_number=len(items) or 1,
            deliverable_names=[str(name or "") for name, _ in items],
            spark_days=[int(days or 0) for _, days in items],
        )
        campaign = self._checked(req)
        dels = deliverables(req, int(str(campaign["spark_days_default"] or 30)))
        recorder = OrderRecorder(
            self.store,
            actor,
            campaign_pk,
            create_action="order.replace",
            note={"replaces": old, "declined_order": str(order.order_id)},
        )
        return self._sender(actor, campaign, recorder).send([new], dels, resend_unconfirmed=False)

    def resend_unconfirmed(self, actor: Principal, campaign_pk: int) -> OrdersOutcome:
        """Send again, as first requested, the unconfirmed orders that started a new code."""
        require(actor, "order.write")
        groups: dict[tuple[tuple[str, int], ...], builtins.list[str]] = {}
        for row in open_intents(self.store, f"order:{campaign_pk}:"):
            payload = row["payload"]
            if row["status"] == "unknown" and payload.get("campaign_code") == NEW_CODE:
                sig = signature(payload.get("deliverables") or [])
                groups.setdefault(sig, []).append(row["key"].split(":", 2)[2])
        outcome = OrdersOutcome()
        for sig, handles in groups.items():
            req = OrderRequest(
                campaign_pk,
                handles,
                video_number=len(sig),
                deliverable_names=[name for name, _ in sig],
                spark_days=[days for _, days in sig],
                resend_unconfirmed=True,
            )
            outcome.absorb(self.create(actor, req))
        return outcome

    def _checked(self, req: OrderRequest) -> dict[str, object]:
        campaign = campaign_row(self.store, req.campaign_pk)
        errors = validate(req, campaign)
        if errors or campaign is None:
            raise OrderError(errors)
        return campaign

    def _sender(
        self, actor: Principal, campaign: dict[str, object], recorder: OrderRecorder | None = None
    ) -> OrderSender:
        return OrderSender(self, actor, campaign, recorder)

    # ------------------------------------------------------------ recover and statuses

    def recover(self, actor: Principal, campaign_pk: int, campaign_code: str) -> OrdersOutcome:
        """Record the orders of a code TikTok created but ttcm never saw (look-up by code)."""
        require(actor, "order.write")
        code = campaign_code.strip() if isinstance(campaign_code, str) else ""
        if not CODE_RE.fullmatch(code):
            raise OrderError({"campaign_code": CODE_PROBLEM})
        if campaign_row(self.store, campaign_pk) is None:
            raise OrderError({"campaign": "no such campaign"})
        with self.store.read() as conn:
            owner = conn.execute(
                select(m.CampaignCode.campaign_pk).where(m.CampaignCode.campaign_code == code)
            ).first()
        if owner is not None and owner[0] != campaign_pk:
            raise OrderError({"campaign_code": "belongs to another campaign"})
        with self.client_factory() as client:
            found, request_id = lookup(client, code)
        if not found:
            raise OrderError({"campaign_code": "TikTok has no orders on this campaign code"})
        outcome = OrdersOutcome()
        items = {
            order_key(campaign_pk, o.handle_name or ""): {
                "campaign_pk": campaign_pk,
                "handle_name": o.handle_name,
                "campaign_code": code,
            }
            for o in found
        }
        got = claim_many(self.store, items, "order.create", actor, stale_after=self.stale_after)
        claims = {c.key.split(":", 2)[2]: c for c in got.values() if c is not None and not c.done}
        OrderRecorder(self.store, actor, campaign_pk).save(
            found, code, claims, outcome, request_id=request_id, action="order.recover"
        )
        return outcome

    def refresh_statuses(self, actor: Principal, campaign_pk: int) -> int:
        """Read the campaign's orders from TikTok now (by code); returns orders changed."""
        require(actor, "order.write")
        changed = 0
        with self.client_factory() as client:
            for room in codes(self.store, campaign_pk):
                found, _ = lookup(client, room.campaign_code)
                with self.store.write() as conn:
                    changed += write_orders(conn, found, campaign_pk, datetime.now(UTC))
        return changed
