"""Admin: every write, who made it, when, on what, and the TikTok request id."""

from ttcm.web.context import page_context

ctx = page_context("audit.read")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.web.fields import Problems, checked_text

st.title("Audit log")
wrong = Problems()
typed = checked_text(
    st,
    "Only actions containing (e.g. order, campaign, invite)",
    wrong,
    limit=int(rules.input_limits()["audit_action_max_chars"]),
)
if wrong:
    st.stop()  # a filter that cannot be used shows nothing rather than everything
rows = ctx.services.audit_log.newest(ctx.principal, typed)
st.caption(f"{numfmt.plural(len(rows), 'entry', 'entries')}, newest first")
st.dataframe(
    pd.DataFrame(
        [
            {
                "When (UTC)": numfmt.timestamp(r.at),
                "Who": r.actor,
                "What": r.what,
                "On": r.target,
                "Detail": r.detail,
                "TikTok request id": r.request_id or numfmt.MISSING,
            }
            for r in rows
        ],
        columns=["When (UTC)", "Who", "What", "On", "Detail", "TikTok request id"],
    ),
    hide_index=True,
    width="stretch",
)
