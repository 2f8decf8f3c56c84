"""Home: which API the app talks to, for which account, and how fresh the cached data is."""

from ttcm.web.session import page_principal

page_principal("read")  # before anything else runs


import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.config import Settings
from ttcm.runtime import shared_store
from ttcm.services.status import age_text, overview
from ttcm.web.alert_widgets import expiring_codes_tile
from ttcm.web.text import plain

settings = Settings.load()
info = overview(shared_store(settings), settings)

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
            "Resource": f.resource,
            "Last successful refresh (UTC)": f.last_success_at.strftime("%Y-%m-%d %H:%M")
            if f.last_success_at
            else "never",
            "Age": age_text(f.last_success_at),
            "Last error": f.last_error or "",
        }
        for f in info.freshness
    ],
    hide_index=True,
    width="stretch",
)
