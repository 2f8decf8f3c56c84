"""A campaign's codes: how many orders each holds and takes, and their orders as TikTok holds them.

TikTok takes at most 200 active orders per campaign code, and a code's deliverables are fixed by
its first order, so a request with other deliverables gets a code of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from ttcm import rules
from ttcm.api import errors as api_errors
from ttcm.api.client import TikTokOneClient
from ttcm.api.models.orders import Order as ApiOrder
from ttcm.services.orders.request import OrderRequest, Signature, deliverables, signature
from ttcm.store import Store
from ttcm.store import models as m

CODE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
CODE_PROBLEM = "letters, digits, '-' and '_' (at most 64)"


@dataclass(frozen=True)
class CodeRoom:
    """A campaign code of a campaign and how many more orders it takes."""

    campaign_code: str
    invite_link: str | None
    active: int
    left: int
    deliverables: Signature


def campaign_row(store: Store, campaign_pk: object) -> dict[str, object] | None:
    """The stored campaign (every column), or None for a missing or malformed id."""
    if isinstance(campaign_pk, bool) or not isinstance(campaign_pk, int):
        return None
    table = m.Campaign.__table__
    with store.read() as conn:
        row = conn.execute(select(table).where(table.c.id == campaign_pk)).first()
    return dict(row._mapping) if row else None


def codes(store: Store, campaign_pk: int) -> list[CodeRoom]:
    """The campaign's codes, oldest first, with their room and their deliverables."""
    cap = int(rules.limits()["orders_per_campaign_code"])
    o, d = m.Order, m.Deliverable
    with store.read() as conn:
        found = conn.execute(
            select(m.CampaignCode.campaign_code, m.CampaignCode.invite_link)
            .where(m.CampaignCode.campaign_pk == campaign_pk)
            .order_by(m.CampaignCode.created_at, m.CampaignCode.campaign_code)
        ).all()
        active: dict[str, int] = {
            code: int(n)
            for code, n in conn.execute(
                select(o.campaign_code, func.count())
                .where(o.campaign_pk == campaign_pk)
                .where(func.coalesce(o.status, "") != "DECLINED")
                .group_by(o.campaign_code)
            ).all()
            if code is not None
        }
        items = conn.execute(
            select(o.campaign_code, d.order_id, d.deliverable_name, d.spark_days)
            .join(d, d.order_id == o.order_id)
            .where(o.campaign_pk == campaign_pk)
            .order_by(o.campaign_code, d.order_id, d.position)
        ).all()
    first: dict[str, str] = {}
    sig: dict[str, list[tuple[str, int]]] = {}
    for code, order_id, name, days in items:
        if code is not None and first.setdefault(code, order_id) == order_id:
            sig.setdefault(code, []).append((name or "", int(days or 0)))
    return [
        CodeRoom(
            code,
            link,
            active.get(code, 0),
            max(0, cap - active.get(code, 0)),
            tuple(sig.get(code, ())),
        )
        for code, link in found
    ]


def room(store: Store, req: OrderRequest) -> int:
    """How many of `req`'s orders fit on the campaign's current codes (the rest start one)."""
    campaign = campaign_row(store, req.campaign_pk) or {}
    wanted = signature(deliverables(req, int(str(campaign.get("spark_days_default") or 30))))
    return sum(c.left for c in codes(store, req.campaign_pk) if c.deliverables == wanted)


def lookup(client: TikTokOneClient, code: str) -> tuple[list[ApiOrder], str | None]:
    """Every order on a campaign code, and the request id of the look-up ([] for no such code)."""
    orders: list[ApiOrder] = []
    request_id = None
    params = {"query_type": "CAMPAIGN_CODE", "campaign_code": code}
    try:
        for page in client.iter_pages("orders", params):
            request_id = request_id or page.request_id
            raw = page.data.get("orders") or []
            orders.extend(ApiOrder.model_validate(o) for o in raw if isinstance(o, dict))
    except api_errors.NotFoundError as exc:
        return [], exc.request_id
    return orders, request_id
