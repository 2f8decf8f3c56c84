"""Admin: refresh the cache from TikTok now, with live progress (runs off the page's thread)."""

from ttcm.web.context import page_context, recheck

ctx = page_context("refresh")  # before anything else runs
me = ctx.principal


import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.services.status import age_text, resource_name
from ttcm.refresh.status import RESOURCES, freshness
from ttcm.web.text import plain

jobs = ctx.services.refresh_jobs
st.title("Refresh")
chosen = st.multiselect("Resources", RESOURCES, default=list(RESOURCES), format_func=resource_name)
full = st.checkbox("Full refresh (re-fetch everything, not only changes)")
clicked = st.button("Refresh now", type="primary", disabled=jobs.state().running or not chosen)
if clicked and not jobs.start(me, chosen, full=full):
    st.warning("A refresh is already running.")


@st.fragment(run_every=1.0)
def _progress() -> None:
    recheck("refresh")
    state = jobs.state()
    if state.running:
        p = state.progress
        if p is not None:
            st.progress(
                min(1.0, p.done / p.total) if p.total else 0.0,
                text=f"{p.resource}: {numfmt.count(p.done)} rows · "
                f"{numfmt.count(p.requests)} requests · {numfmt.rate(p.rate)}"
                + (f" · {p.message}" if p.message.startswith("paused by TikTok") else ""),
            )
        else:
            st.progress(0.0, text="starting…")
    elif state.report is not None:
        r = state.report
        (st.success if r.status == "ok" else st.error)(
            f"Run {r.run_id} {r.status} in {numfmt.elapsed(r.seconds)}, "
            f"{numfmt.count(r.requests)} requests" + (f": {plain(r.error)}" if r.error else "")
        )
    elif state.error:
        st.error(plain(state.error))
    st.dataframe(
        [
            {"Resource": resource_name(f.resource), "Last success": age_text(f.last_success_at)}
            for f in freshness(ctx.store)
        ],
        hide_index=True,
    )


_progress()
