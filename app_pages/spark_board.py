"""Spark Ads expiry board: every authorization code across campaigns, soonest to expire first.

Everyone signed in can read and export; managers extend one or many codes (each sent once a day).
"""

from ttcm.web.session import page_principal

page_principal("read")  # before anything else runs

from ttcm.web.context import page_context

ctx = page_context("read")

import streamlit as st

from ttcm import rules
from ttcm.domain.format import plural
from ttcm.services.spark import CODE_STATUSES, code_label
from ttcm.services.spark_board import WINDOWS, BoardInputError
from ttcm.web.spark_widgets import board_frame, code_choice
from ttcm.web.text import plain
from ttcm.web.widgets import freshness_caption

board = ctx.services.spark_board
me = ctx.principal
st.title("Spark Ads expiry board")
freshness_caption(ctx.store, "spark")

left, right = st.columns(2)
window = left.selectbox(
    "Expires in",
    [None, *WINDOWS],
    format_func=lambda d: "any time" if d is None else f"the next {d} days",
    key="board_window",
)
statuses = right.multiselect("Status", CODE_STATUSES, format_func=code_label, key="board_status")
codes = board.codes(me, within=window, statuses=statuses)
st.caption(f"{plural(len(codes), 'code')}, the soonest to end first.")
st.dataframe(board_frame(codes), hide_index=True, width="stretch")
st.download_button(
    "Download CSV",
    lambda: board.csv(me, codes),  # built only when someone downloads it
    file_name="spark_ads_codes.csv",
    mime="text/csv",
    disabled=not codes,
)

if outcome := st.session_state.pop("board_outcome", None):
    if outcome.sent:
        st.success(f"Extended {plural(len(outcome.sent), 'code')}.")
    for result in outcome.failed:
        st.error(plain(f"{result.video_id}: {result.message}"))

if ctx.can("spark.request"):
    live = {c.video_id: c for c in codes if c.live}
    days_choices = rules.spark_days()
    with st.container(border=True):  # not a form: the button knows whether codes are chosen
        st.subheader("Extend codes")
        chosen = st.multiselect(
            "Codes to extend", list(live), format_func=lambda v: code_choice(live[v])
        )
        days = st.selectbox("Extend by (days)", days_choices, index=days_choices.index(30))
        submitted = st.button(
            "Extend",
            type="primary",
            disabled=not chosen,
            help=None if chosen else "Choose at least one code to extend.",
        )
        st.caption(  # always one caption: the hint gives way to what the button will send
            f"Extend sends {plural(len(chosen), 'code')}, each at most once a day."
            if chosen
            else "Choose the codes to extend above; the button then sends them."
        )
    if submitted:
        try:
            st.session_state["board_outcome"] = board.extend(me, chosen, days)
        except BoardInputError as exc:
            st.error(plain(str(exc)))
        else:
            st.rerun()
else:
    st.caption("Extending codes needs the manager role.")
