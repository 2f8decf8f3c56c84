"""Inbox: what the refresh noticed (posts, declined orders, invitations, Spark codes, KPIs, pace).

Every user sees the team's alerts and keeps their own read state; unread alerts come first.
"""

from ttcm.web.session import page_principal

page_principal("read")  # before anything else runs

from ttcm.web.context import page_context

ctx = page_context("read")

import streamlit as st

from ttcm.domain.format import count, plural
from ttcm.web.alert_widgets import alert_card
from ttcm.web.labels import unique_labels

CARDS = 25  # cards drawn per rerun at first; "Show more" adds as many again
alerts = ctx.services.alerts
me = ctx.principal
st.title("Inbox")

names = unique_labels(alerts.campaigns(me))
left, right = st.columns([3, 1])
campaign = left.selectbox(
    "Campaign",
    [None, *names],
    format_func=lambda pk: "All campaigns" if pk is None else names[pk],
    key="inbox_campaign",
)
unread_only = right.toggle("Unread only", key="inbox_unread_only")
shown = st.session_state.setdefault("inbox_shown", CARDS)
inbox = alerts.inbox(me, campaign_pk=campaign, unread_only=unread_only, limit=shown)
st.caption(
    f"{count(inbox.unread)} unread of {plural(inbox.total, 'alert')}"
    + (f" · showing the first {count(shown)}" if len(inbox.items) == shown else "")
)
if inbox.unread and st.button("Mark all read", key="inbox_all_read"):
    alerts.mark_all_read(me, campaign)
    st.rerun()
if not inbox.items:
    st.info("Nothing here yet: alerts appear after a refresh notices something to act on.")
for item in inbox.items:
    alert_card(ctx.services, me, item)
if len(inbox.items) == shown and inbox.total > shown and st.button("Show more", key="inbox_more"):
    st.session_state["inbox_shown"] = shown + CARDS
    st.rerun()
