"""API orders -> `orders` and `deliverables` rows, and their write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from ttcm.api.models.orders import Order
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert

ORDER_COMPARE = (
    "status",
    "video_number",
    "invite_link",
    "video_ids",
    "update_time",
    "decline_reason",
)


def write_orders(
    conn: Connection, orders: Sequence[Order], campaign_pk: int | None, now: datetime
) -> int:
    """Upsert orders and their deliverables; returns orders inserted or changed."""
    rows = [
        {
            "order_id": o.order_id,
            "campaign_pk": campaign_pk,
            "campaign_code": o.campaign_code,
            "handle_name": o.handle_name,
            "status": o.status,
            "video_number": o.video_number,
            "invite_link": o.invite_link,
            "video_ids": list(o.video_ids or []),
            "create_time": o.create_time,
            "update_time": o.update_time,
            "decline_reason": getattr(o, "decline_reason", None),
            "source": m.API_SOURCE,
            "fetched_at": now,
        }
        for o in orders
    ]
    changed = upsert(conn, table_of(m.Order), rows, key=["order_id"], compare=ORDER_COMPARE)
    deliverables = [
        {
            "order_id": o.order_id,
            "position": i,
            "deliverable_name": d.deliverable_name,
            "spark_days": d.spark_ads_requested_authorization_days,
            "video_id": getattr(d, "video_id", None),
        }
        for o in orders
        for i, d in enumerate(o.deliverables or (), 1)
    ]
    upsert(conn, table_of(m.Deliverable), deliverables, key=["order_id", "position"])
    return changed
