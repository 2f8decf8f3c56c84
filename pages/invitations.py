"""TTCM invitations: pre-check creators against every rule, invite them, follow each invitation."""

from ttcm.web.session import page_principal

me = page_principal("read")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm.auth import AuthError, role_allows
from ttcm.config import Settings
from ttcm.runtime import make_client, shared_store
from ttcm.services.invitations import InviteError, Invitations
from ttcm.web.text import plain, plain_list
from ttcm.web.widgets import freshness_caption

settings = Settings.load()
store = shared_store(settings)
service = Invitations(store, lambda: make_client(settings))
st.title("TTCM invitations")
freshness_caption(store, "creators")
st.caption(
    "Creators must be in one of the 24 TTCM countries, meet that country's follower minimum, "
    "be 18+, use a personal account, have posted 3+ videos with 1,000+ views in the last "
    "30 days, and make content suitable for 13+."
)

prefill = st.query_params.get("handles", "")
raw = st.text_area(
    "Handles to check (one per line or comma separated)", value=prefill, max_chars=5000
)
handles = [h for part in raw.replace(",", "\n").splitlines() if (h := part.strip())]
if handles:
    try:
        checks = service.precheck(me, handles)
    except InviteError as exc:
        st.error(plain(exc))
        st.stop()
    table = pd.DataFrame(
        [
            {
                "Handle": h,
                "Result": "already on TTCM"
                if e.already_ttcm
                else "fails: " + "; ".join(f.message for f in e.failures)
                if e.failures
                else "eligible"
                if e.eligible
                else "no rule fails; unknown: " + ", ".join(e.unknown),
            }
            for h, e in checks.items()
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    sendable = [h for h, e in checks.items() if not e.failures and not e.already_ttcm]
    if role_allows(me.role, "invite"):
        if st.button(
            f"Invite {len(sendable)} creator(s) to TTCM", type="primary", disabled=not sendable
        ):
            try:
                outcome = service.invite(me, sendable)
            except (InviteError, AuthError) as exc:
                st.error(plain(exc))
            except Exception as exc:  # noqa: BLE001 - an API failure is shown, never a traceback
                st.error(f"TikTok did not accept the request: {plain(exc)}")
            else:
                if outcome.invited:
                    st.success(f"Invited: {plain_list(outcome.invited)}")
                for h, reason in outcome.rejected.items():
                    st.warning(f"{plain(h)}: rejected by TikTok — {plain(reason)}")
                if outcome.already_invited:
                    st.info(f"Already invited: {plain_list(outcome.already_invited)}")
    else:
        st.caption("Sending invitations needs the manager role.")

st.subheader("Invitations")
rows = service.lifecycle(me)
if rows:
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "handle_name": "Handle",
            "state": "State",
            "reason": "Reason (if rejected)",
            "invited_by": "Invited by",
            "invited_at": st.column_config.DatetimeColumn(
                "Invited (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "decided_at": st.column_config.DatetimeColumn(
                "Decided (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "request_id": "TikTok request id",
        },
    )
else:
    st.caption("No invitation sent yet.")
