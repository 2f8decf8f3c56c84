"""Home: which API the app talks to, for which account, and how fresh the cached data is."""

from ttcm.web.context import page_context

ctx = page_context("read")  # before anything else runs

import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.services.status import age_text, resource_name
from ttcm.web.alert_widgets import expiring_codes_tile
from ttcm.web.text import plain

info = ctx.services.status.overview(ctx.principal)

st.title("ttcm")
st.caption("Creator campaigns on the TikTok Creator Marketplace (TikTok One)")

left, _ = st.columns([3, 2])
with left:
    st.subheader("Data source")
    if info.is_sandbox:
        st.info(
            f"**{plain(info.api_label)}** — offline demo data, no credentials needed.",
            icon=":material/science:",
        )
    else:
        st.success(f"**{plain(info.api_label)}**", icon=":material/link:")
    account = plain(info.account_name) if info.account_name else "not fetched yet"
    st.write(
        f"Account: **{account}**" + (f" ({plain(info.account_id)})" if info.account_id else "")
    )
expiring_codes_tile()
st.subheader("Cached data")
cols = st.columns(len(info.counts))
for col, (name, n) in zip(cols, info.counts.items(), strict=True):
    col.metric(name.capitalize(), numfmt.count(n))

st.subheader("Freshness")
st.dataframe(
    [
        {
            "Data": resource_name(f.resource),
            "Last successful refresh (UTC)": numfmt.timestamp(f.last_success_at)
            if f.last_success_at
            else "never",
            "Age": age_text(f.last_success_at),
            "Last error": f.last_error or "none",
        }
        for f in info.freshness
    ],
    hide_index=True,
    width="stretch",
)
