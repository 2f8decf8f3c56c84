"""Alerts in the frame: the sidebar's unread count, Home's expiring-codes tile, inbox cards."""

from __future__ import annotations

import streamlit as st

from ttcm.auth import Principal
from ttcm.config import Settings
from ttcm.domain import format as numfmt
from ttcm.runtime import shared_store
from ttcm.services.alerts import AlertItem, Alerts
from ttcm.services.spark_board import SOON_DAYS
from ttcm.web.context import Services, page_context
from ttcm.web.text import plain, plain_line


def unread_line(principal: Principal, settings: Settings) -> None:
    """The sidebar's line: how many alerts this user has not read."""
    n = Alerts(shared_store(settings)).unread_count(principal)
    st.text(f"Inbox: {numfmt.plural(n, 'unread alert')}")


def expiring_codes_tile() -> None:
    """Home's tile: how many Spark Ads codes expire within 7 days, with the way to the board."""
    ctx = page_context("read")
    n = ctx.services.spark_board.expiring_count(ctx.principal, SOON_DAYS)
    st.metric(f"Spark Ads codes expiring within {SOON_DAYS} days", numfmt.count(n))
    if n:
        st.caption("Extend them on the Spark Ads board (in the menu).")


def alert_card(services: Services, principal: Principal, item: AlertItem) -> None:
    """One alert: unread marker, kind, message (plain text), campaign, time, Mark read."""
    with st.container(border=True):
        text, action = st.columns([6, 1])
        marker = "●" if not item.read else "○"
        text.markdown(f"{marker} **{plain(item.kind_label)}** · {plain(item.message)}")
        where = plain_line(item.campaign_name) if item.campaign_name else "no campaign"
        text.caption(f"{where} · {item.occurred_at:%Y-%m-%d %H:%M} UTC")
        if not item.read and action.button("Mark read", key=f"alert_read_{item.id}"):
            services.alerts.mark_read(principal, [item.id])
            st.rerun()
