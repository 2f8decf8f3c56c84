"""TTCM invitations: pre-check creators against every rule, invite them, follow each invitation."""

from ttcm.web.context import page_context

ctx = page_context("read")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm.domain.format import plural
from ttcm.services.invitations import NOT_IN_CACHE, InviteError, lifecycle_rows
from ttcm.web.actions import attempt, confirm_done
from ttcm.web.text import plain
from ttcm.web.widgets import freshness_caption

LOOKUPS = "invite_lookups"  # handle -> Check from TikTok, kept across reruns of this session
OUTCOME = "invite_outcome"
me, service = ctx.principal, ctx.services.invitations
st.title("TTCM invitations")
freshness_caption(ctx.store, "creators")
st.caption(
    "Creators must be in one of the 24 TTCM countries, meet that country's follower minimum, "
    "be 18+, use a personal account, have posted 3+ videos with 1,000+ views in the last "
    "30 days, and make content suitable for 13+. Only creators whose every rule is known to "
    "pass are invited."
)

confirm_done()
if done := st.session_state.pop(OUTCOME, None):
    st.dataframe(pd.DataFrame(done.rows()), hide_index=True, width="stretch")

prefill = st.query_params.get("handles", "")
raw = st.text_area("Handles to check (one per line or comma separated)", value=prefill)
handles = [h for part in raw.replace(",", "\n").splitlines() if (h := part.strip())]
if handles:
    lookups = st.session_state.setdefault(LOOKUPS, {})
    try:
        checks = service.precheck(me, handles, lookups)
    except InviteError as exc:
        st.error(plain(exc))
        st.stop()
    st.dataframe(
        pd.DataFrame(
            [{"Handle": h, "Result": c.verdict, "Why": c.message} for h, c in checks.items()]
        ),
        hide_index=True,
        width="stretch",
    )
    unknown = [h for h, c in checks.items() if c.verdict == NOT_IN_CACHE]
    sendable = [h for h, c in checks.items() if c.sendable]
    if not ctx.can("invite"):
        st.caption("Looking up handles and sending invitations need the manager role.")
    else:
        if unknown and st.button(f"Look up {plural(len(unknown), 'handle')} on TikTok"):
            attempt(
                lambda: service.lookup(me, unknown),
                f"Looked up {plural(len(unknown), 'handle')} on TikTok; nothing was sent.",
                then=lookups.update,
            )
        if st.button(
            f"Invite {plural(len(sendable), 'creator')} to TTCM",
            type="primary",
            disabled=not sendable,
        ):
            attempt(
                lambda: service.invite(me, sendable),
                lambda outcome: f"Sent {plural(len(outcome.invited), 'invitation')}.",
                then=lambda outcome: st.session_state.__setitem__(OUTCOME, outcome),
            )
        if not sendable:
            st.caption("No creator in this list can be invited now; the table says why.")

st.subheader("Invitations")
if rows := service.lifecycle(me):
    st.dataframe(pd.DataFrame(lifecycle_rows(rows)), hide_index=True, width="stretch")
else:
    st.caption("No invitation sent yet.")
