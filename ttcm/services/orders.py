"""Orders: one per creator per campaign, 1-10 named videos, Spark Ads per deliverable.

Created exactly once (see ttcm.services.writes): each creator's order is claimed under the key
"order:<campaign>:<handle>" before anything is sent, an ambiguous failure is reconciled by
looking the campaign's codes up on TikTok before re-sending, and a double click or a second
process waits for the first instead of sending again. Calls carry ≤100 creators; a campaign
code holds ≤200 orders, after which a new code is started.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.services.audit import record
from ttcm.services.discovery import account_kind
from ttcm.services.shortlists import UNSUPPORTED_REASON
from ttcm.services.writes import Claim, WriteInProgress, claim, finish, mark_outcome
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.upsert import upsert
from ttcm.sync import write_orders


class OrderError(ValueError):
    """Invalid order input; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass
class OrderRequest:
    """What the order form collects."""

    campaign_pk: int
    handles: Sequence[str]
    video_number: int = 1
    deliverable_names: Sequence[str] = ()
    spark_days: Sequence[int] = ()  # per deliverable; 0 = no Spark Ads request


@dataclass
class OrdersOutcome:
    """What happened to each creator of an order request."""

    created: list[dict[str, Any]] = field(default_factory=list)
    existing: list[dict[str, Any]] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)


def deliverables(req: OrderRequest) -> list[dict[str, Any]]:
    """The deliverables sent to TikTok: one per video, named, each with its Spark Ads days."""
    out = []
    for i in range(req.video_number):
        name = (req.deliverable_names[i] if i < len(req.deliverable_names) else "").strip()
        days = req.spark_days[i] if i < len(req.spark_days) else 0
        out.append(
            {
                "deliverable_name": name or f"Video {i + 1}",
                "spark_ads_requested_authorization_days": int(days),
            }
        )
    return out


def validate(req: OrderRequest, campaign: dict[str, Any] | None) -> dict[str, str]:
    """Field -> problem for every field that is wrong (empty when the request is usable)."""
    lim = rules.limits()
    errors: dict[str, str] = {}
    if campaign is None:
        return {"campaign": "no such campaign"}
    if campaign.get("archived_at"):
        errors["campaign"] = "archived; restore it before creating orders"
    if not campaign.get("brand_name") or not campaign.get("description"):
        errors["campaign"] = (
            "fill the TTCM section (brand name and description) in the campaign settings first"
        )
    handles = [h for h in req.handles if h and h.strip()]
    if not handles:
        errors["handles"] = "choose at least one creator"
    bad = [h for h in handles if len(h.strip()) > lim["handle_max_chars"] or " " in h.strip()]
    if bad:
        errors["handles"] = f"not a TikTok handle: {bad[0][:40]!r}"
    if not isinstance(req.video_number, int) or not (
        lim["order_video_min"] <= req.video_number <= lim["order_video_max"]
    ):
        errors["video_number"] = f"between {lim['order_video_min']} and {lim['order_video_max']}"
    elif len(req.deliverable_names) > req.video_number:
        errors["deliverable_names"] = (
            f"{len(req.deliverable_names)} names for {req.video_number} videos"
        )
    for i, name in enumerate(req.deliverable_names, 1):
        if len(name.strip()) > lim["text_max_chars"]:
            errors[f"deliverable_names[{i}]"] = f"at most {lim['text_max_chars']} characters"
    allowed = {0, *rules.spark_days()}
    for i, days in enumerate(req.spark_days, 1):
        if days not in allowed:
            errors[f"spark_days[{i}]"] = "no request, or 7, 30, 60 or 365 days"
    if len(req.spark_days) > max(1, req.video_number if isinstance(req.video_number, int) else 1):
        errors["spark_days"] = "more Spark Ads settings than videos"
    return errors


class Orders:
    """Create and list orders; changes need `order.write`."""

    def __init__(
        self,
        store: Store,
        client_factory: Callable[[], Any],
        *,
        wait_seconds: float = 30.0,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.wait_seconds = wait_seconds

    def _campaign(self, campaign_pk: int) -> dict[str, Any] | None:
        table = m.Campaign.__table__
        with self.store.read() as conn:
            row = conn.execute(select(table).where(table.c.id == campaign_pk)).first()
        return dict(row._mapping) if row else None

    def list(self, actor: Principal, campaign_pk: int) -> list[dict[str, Any]]:
        """The campaign's orders with their deliverables, by handle."""
        require(actor, "read")
        with self.store.read() as conn:
            orders = [
                dict(r._mapping)
                for r in conn.execute(
                    select(m.Order.__table__)
                    .where(m.Order.campaign_pk == campaign_pk)
                    .order_by(m.Order.handle_name)
                )
            ]
            dels: dict[str, list[dict[str, Any]]] = {}
            for d in conn.execute(
                select(m.Deliverable.__table__)
                .where(m.Deliverable.order_id.in_([o["order_id"] for o in orders]))
                .order_by(m.Deliverable.order_id, m.Deliverable.position)
            ):
                dels.setdefault(d.order_id, []).append(dict(d._mapping))
        labels = rules.vocab()["order_statuses"]
        for o in orders:
            o["deliverables"] = dels.get(o["order_id"], [])
            o["status_label"] = labels.get(o["status"] or "", o["status"] or "unknown")
        return orders

    def code_capacity(self, campaign_pk: int) -> list[tuple[str, int]]:
        """(campaign code, orders still possible on it) for the campaign's codes."""
        cap = int(rules.limits()["orders_per_campaign_code"])
        with self.store.read() as conn:
            rows = conn.execute(
                select(m.CampaignCode.campaign_code, func.count(m.Order.order_id))
                .join(m.Order, m.Order.campaign_code == m.CampaignCode.campaign_code, isouter=True)
                .where(m.CampaignCode.campaign_pk == campaign_pk)
                .group_by(m.CampaignCode.campaign_code, m.CampaignCode.created_at)
                .order_by(m.CampaignCode.created_at)
            ).all()
        return [(code, max(0, cap - n)) for code, n in rows]

    def create(self, actor: Principal, req: OrderRequest) -> OrdersOutcome:
        """Create one order per creator, exactly once, and record them with the audit trail."""
        require(actor, "order.write")
        campaign = self._campaign(req.campaign_pk)
        errors = validate(req, campaign)
        if errors:
            raise OrderError(errors)
        assert campaign is not None
        outcome = OrdersOutcome()
        handles = list(dict.fromkeys(h.strip().lstrip("@") for h in req.handles if h.strip()))
        with self.store.read() as conn:
            kinds = {
                r.handle_name: account_kind(r.is_tcm_creator, r.is_authenticated)
                for r in conn.execute(
                    select(
                        m.Creator.handle_name, m.Creator.is_tcm_creator, m.Creator.is_authenticated
                    ).where(m.Creator.handle_name.in_(handles))
                )
            }
        sendable = []
        for h in handles:
            if kinds.get(h) == "nonauth_nonttcm":
                outcome.refused[h] = UNSUPPORTED_REASON
            else:
                sendable.append(h)
        claims: dict[str, Claim] = {}
        payload = {"deliverables": deliverables(req), "campaign_pk": req.campaign_pk}
        for h in sendable:
            try:
                c = claim(
                    self.store,
                    f"order:{req.campaign_pk}:{h}",
                    "order.create",
                    {**payload, "handle": h},
                    actor,
                    wait_seconds=self.wait_seconds,
                )
            except WriteInProgress as exc:
                outcome.failed[h] = str(exc)
                continue
            if c.done_result is not None:
                outcome.existing.append({"handle_name": h, **c.done_result})
            else:
                claims[h] = c
        if not claims:
            return outcome
        with self.client_factory() as client:
            resumed = [h for h, c in claims.items() if c.resumed]
            if resumed:
                self._reconcile(actor, client, req.campaign_pk, resumed, claims, outcome)
            to_send = [h for h in claims if h not in {o["handle_name"] for o in outcome.existing}]
            self._send(actor, client, campaign, req, to_send, claims, outcome)
        return outcome

    def _reconcile(
        self,
        actor: Principal,
        client: Any,
        campaign_pk: int,
        handles: list[str],
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
    ) -> None:
        """Find orders an earlier, unconfirmed attempt created, and record them."""
        wanted = set(handles)
        for code, _ in self.code_capacity(campaign_pk):
            found = [o for o in client.iter_orders(campaign_code=code) if o.handle_name in wanted]
            if found:
                self._record(
                    actor, found, campaign_pk, code, None, None, claims, outcome, resumed=True
                )
                wanted -= {o.handle_name for o in found}
        # an unconfirmed first order may also have started a code we never recorded
        with self.store.read() as conn:
            pending_codes = {
                (r.result or {}).get("campaign_code")
                for r in conn.execute(
                    select(m.WriteIntent.result).where(m.WriteIntent.kind == "order.create")
                )
            } - {None}
        for code in pending_codes:
            if not wanted:
                break
            found = [o for o in client.iter_orders(campaign_code=code) if o.handle_name in wanted]
            if found:
                self._record(
                    actor, found, campaign_pk, code, None, None, claims, outcome, resumed=True
                )
                wanted -= {o.handle_name for o in found}

    def _send(
        self,
        actor: Principal,
        client: Any,
        campaign: dict[str, Any],
        req: OrderRequest,
        handles: list[str],
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
    ) -> None:
        lim = rules.limits()
        per_call = int(lim["order_handles_per_call"])
        per_code = int(lim["orders_per_campaign_code"])
        codes = [(c, left) for c, left in self.code_capacity(req.campaign_pk) if left > 0]
        queue = list(handles)
        while queue:
            code, room = codes[0] if codes else (None, per_code)
            batch, queue = queue[: min(per_call, room)], queue[min(per_call, room) :]
            if code is None and codes == [] and self.code_capacity(req.campaign_pk):
                outcome.notices.append(
                    f"The campaign's codes are full ({per_code} orders each): "
                    "a new campaign code was started."
                )
            try:
                sent = client.order_create(
                    campaign["brand_name"],
                    campaign["description"],
                    batch,
                    deliverables=deliverables(req),
                    campaign_code=code,
                    default_spark_days=campaign.get("spark_days_default") or 30,
                )
            except Exception as exc:  # noqa: BLE001 - every claim must learn its outcome
                for h in batch + queue:
                    mark_outcome(self.store, claims[h].id, exc)
                    outcome.failed[h] = _failure_text(exc, h in batch)
                return
            result = sent.value
            outcome.request_ids.append(sent.request_id)
            self._record(
                actor,
                result.orders,
                req.campaign_pk,
                result.campaign_code,
                result.invite_link,
                result.remaining_orders,
                claims,
                outcome,
                request_id=sent.request_id,
            )
            used = len(result.orders)
            if codes:
                codes[0] = (codes[0][0], codes[0][1] - used)
                if codes[0][1] <= 0:
                    codes.pop(0)
            else:
                codes = [(result.campaign_code, per_code - used)] if per_code - used > 0 else []

    def _record(
        self,
        actor: Principal,
        orders: Sequence[Any],
        campaign_pk: int,
        code: str,
        invite_link: str | None,
        remaining: int | None,
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
        *,
        request_id: str | None = None,
        resumed: bool = False,
    ) -> None:
        now = datetime.now(UTC)
        with self.store.write() as conn:
            upsert(
                conn,
                m.CampaignCode.__table__,
                [
                    {
                        "campaign_code": code,
                        "campaign_pk": campaign_pk,
                        "invite_link": invite_link or (orders[0].invite_link if orders else None),
                        "remaining_orders": remaining,
                        "created_at": now,
                    }
                ],
                key=["campaign_code"],
                update=["remaining_orders"] if remaining is not None else (),
            )
            write_orders(conn, orders, campaign_pk, now)
            for o in orders:
                c = claims.get(o.handle_name)
                row = {
                    "handle_name": o.handle_name,
                    "order_id": o.order_id,
                    "campaign_code": o.campaign_code or code,
                    "invite_link": o.invite_link,
                    "status": o.status,
                }
                if c is not None:
                    finish(conn, c.id, "done", request_id or c.request_id, row)
                (outcome.existing if resumed else outcome.created).append(row)
                upsert(
                    conn,
                    m.CampaignCreator.__table__,
                    [
                        {
                            "campaign_pk": campaign_pk,
                            "handle_name": o.handle_name,
                            "added_by": actor.username,
                            "added_at": now,
                        }
                    ],
                    key=["campaign_pk", "handle_name"],
                    update=(),
                )
            record(
                conn,
                actor.username,
                "order.reconcile" if resumed else "order.create",
                f"campaign {campaign_pk} code {code}",
                {
                    "orders": [o.order_id for o in orders],
                    "handles": [o.handle_name for o in orders],
                },
                request_id,
            )


def _failure_text(exc: BaseException, in_batch: bool) -> str:
    if not in_batch:
        return "not sent: an earlier batch failed; try again"
    from ttcm.api import errors as api_errors

    if isinstance(exc, api_errors.APIConnectionError | api_errors.ServerError):
        return (
            "TikTok did not confirm the order. ttcm will look it up before sending again, so "
            "retrying cannot create a duplicate."
        )
    return f"TikTok refused the order: {exc}"
