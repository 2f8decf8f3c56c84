"""Admin: the sandbox's clock — see it and move it forward, so a demo can follow invitations,
orders, posts and Spark Ads to the end. Only shown working when the API is the sandbox.
"""

from ttcm.web.context import page_context

ctx = page_context("sandbox.clock")  # before anything else runs

import time

import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.services.demo_time import ClockError, advance, has_clock, parse_hours, sandbox_time
from ttcm.web.text import plain

me, settings, store = ctx.principal, ctx.settings, ctx.store
DOUBLE_CLICK_SECONDS = 3.0
PRESETS = {"+1 hour": 1, "+1 day": 24, "+3 days": 72, "+1 week": 168}

st.title("Sandbox clock")
st.caption(
    "Invitations, orders, posts and Spark Ads in the sandbox move with its clock; the app's "
    "days left, stats as of and pacing follow it. After moving it, refresh the cache "
    "(Admin › Refresh) to see what happened meanwhile. Every move is in the audit log."
)
if not has_clock(settings):
    st.info(plain(f"The API is {settings.api_base}, not the sandbox: there is no clock to move."))
    st.stop()
try:
    current = sandbox_time(settings)
except ClockError as exc:
    st.error(plain(str(exc)))
    st.stop()
st.metric(f"Sandbox time ({current.where})", f"{numfmt.timestamp(current.now)} UTC")


def move(raw: object) -> None:
    """Move the clock once (a second identical click right after is ignored) and say so."""
    last = st.session_state.get("clock_last")
    if last and last[0] == str(raw) and time.monotonic() - last[1] < DOUBLE_CLICK_SECONDS:
        st.info("That move was just made; the second click was ignored.")
        return
    try:
        before, after = advance(store, settings, me, raw)
    except ClockError as exc:
        st.error(plain(str(exc)))
        return
    st.session_state["clock_last"] = (str(raw), time.monotonic())
    st.session_state["clock_moved"] = (
        f"Sandbox time moved from {numfmt.timestamp(before.now)} to "
        f"{numfmt.timestamp(after.now)} UTC."
    )
    st.rerun()


hours = st.text_input("Hours to move forward", placeholder="e.g. 24", key="clock_hours")
problem = None
if hours.strip():
    try:
        parse_hours(hours)
    except ClockError as exc:
        problem = str(exc)
if problem:
    st.error(plain(problem))
if st.button("Move forward", type="primary", disabled=bool(problem) or not hours.strip()):
    move(hours)

st.write("Quick moves")
for col, (label, h) in zip(st.columns(len(PRESETS)), PRESETS.items(), strict=True):
    if col.button(label, key=f"clock_{h}"):
        move(h)

if moved := st.session_state.pop("clock_moved", None):
    st.success(moved + " Refresh the cache to see what happened meanwhile.")
