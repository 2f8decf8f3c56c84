"""Refresh of orders: every order of every campaign code, one code per transaction."""

from __future__ import annotations

from sqlalchemy import select

from ttcm.refresh.context import RunContext
from ttcm.store import models as m
from ttcm.store.rows_orders import write_orders


def refresh_orders(ctx: RunContext) -> None:
    """Read each campaign code's orders and write them with their deliverables."""
    with ctx.store.read() as conn:
        codes = list(
            conn.execute(select(m.CampaignCode.campaign_code, m.CampaignCode.campaign_pk)).all()
        )
    for code, campaign_pk in codes:
        orders = list(ctx.client.iter_orders(campaign_code=code))
        with ctx.store.write() as conn:
            ctx.run.add("orders", "changed", write_orders(conn, orders, campaign_pk, ctx.now()))
            ctx.renew(conn)
    ctx.complete_now("orders")
