"""Creator profile: facts, metrics (or why they are unavailable), audience, similar creators."""

from ttcm.web.context import page_context

ctx = page_context("read")  # before anything else runs

import streamlit as st

from ttcm import rules
from ttcm.services.profiles import ProfileError
from ttcm.web.creator_profile import (
    audience_charts,
    eligibility_section,
    metrics_table,
    recent_videos,
    similar_creators,
)
from ttcm.web.creator_history import history_section, profile_handle
from ttcm.web.fields import Problems, checked_text
from ttcm.web.history_charts import creator_history
from ttcm.web.shortlist_add import shortlist_form
from ttcm.web.text import plain, plain_line, plain_list
from ttcm.web.widgets import freshness_caption

HANDLE_MAX = int(rules.limits()["handle_max_chars"])
me, profiles = ctx.principal, ctx.services.profiles
handle = profile_handle()
if not handle:
    st.title("Creator profile")
    st.info("Open a creator from Discovery or a shortlist, or type a handle.")
    typed_wrong = Problems()
    typed = checked_text(st, "Handle", typed_wrong, limit=HANDLE_MAX)
    if typed.strip() and not typed_wrong:
        st.query_params["handle"] = typed.strip().lstrip("@")
        st.rerun()
    st.stop()

try:
    p = profiles.profile(me, handle)
except ProfileError as exc:
    st.title("Creator profile")
    st.error(plain(exc))
    st.stop()
if st.session_state.get("_opened_profile") != handle:
    profiles.opened(me, p.creator["handle_name"])
    st.session_state["_opened_profile"] = handle

c = p.creator
st.title(f"@{plain(c['handle_name'])}")
st.caption(
    plain_line(
        f"{c.get('display_name') or ''} · {c.get('country_code') or 'country unknown'}"
        f" · {p.kind_label}"
    )
)
freshness_caption(ctx.store, "creators")
if p.kind == "nonauth_nonttcm":
    st.error(
        "Unsupported account: not on TTCM and not authenticated, so TikTok shares no data for it. "
        "Invite the creator to TTCM, or ask them to authenticate their TikTok account."
    )
elif ctx.can("shortlist.write"):
    shortlist_form(ctx, [handle], f"shortlist_{handle}", f"Add @{plain(handle)} to shortlist")
if c.get("bio"):
    st.text(c["bio"])  # plain text: bios are creator-written
if p.labels:
    st.write("Labels: " + plain_list(p.labels))
if p.shortlists:
    st.caption("On shortlists: " + plain_list(p.shortlists))

st.subheader("Account metrics")
metrics_table(p)
creator_history(ctx, handle)
audience_charts(p)
if not c.get("is_tcm_creator"):
    eligibility_section(p)
history_section(ctx, c["handle_name"])
recent_videos(p)
similar_creators(ctx, handle)
