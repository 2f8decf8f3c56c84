"""TTCM invitations: pre-check creators against every rule, invite them, follow each invitation."""

from ttcm.web.session import page_principal

me = page_principal("read")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm.api.errors import TikTokAPIError
from ttcm.auth import AuthError, role_allows
from ttcm.config import Settings
from ttcm.domain.format import plural
from ttcm.runtime import make_client, shared_store
from ttcm.services.invitations import (
    NOT_IN_CACHE,
    Invitations,
    InviteError,
    InviteLookupError,
    InviteOutcome,
)
from ttcm.web.text import plain
from ttcm.web.widgets import freshness_caption

LOOKUPS = "invite_lookups"  # handle -> Check from TikTok, kept across reruns of this session
settings = Settings.load()
store = shared_store(settings)
service = Invitations(store, lambda: make_client(settings))
can_invite = role_allows(me.role, "invite")
st.title("TTCM invitations")
freshness_caption(store, "creators")
st.caption(
    "Creators must be in one of the 24 TTCM countries, meet that country's follower minimum, "
    "be 18+, use a personal account, have posted 3+ videos with 1,000+ views in the last "
    "30 days, and make content suitable for 13+. Only creators whose every rule is known to "
    "pass are invited."
)


def _outcome_rows(outcome: InviteOutcome) -> list[dict[str, str]]:
    rows = [{"Handle": h, "Outcome": "invited"} for h in outcome.invited]
    rows += [
        {"Handle": h, "Outcome": f"rejected by TikTok: {r}"} for h, r in outcome.rejected.items()
    ]
    rows += [{"Handle": h, "Outcome": "already on TTCM"} for h in outcome.already_ttcm]
    rows += [{"Handle": h, "Outcome": "already invited"} for h in outcome.already_invited]
    rows += [
        {"Handle": h, "Outcome": "not sent: " + "; ".join(f)} for h, f in outcome.skipped.items()
    ]
    rows += [{"Handle": h, "Outcome": f"not sent: {r}"} for h, r in outcome.refused.items()]
    return rows


if done := st.session_state.pop("invite_outcome", None):
    st.success(f"Sent {plural(len(done.invited), 'invitation')}.")
    st.dataframe(pd.DataFrame(_outcome_rows(done)), hide_index=True, width="stretch")

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
    if not can_invite:
        st.caption("Looking up handles and sending invitations need the manager role.")
    else:
        if unknown and st.button(f"Look up {plural(len(unknown), 'handle')} on TikTok"):
            try:
                lookups.update(service.lookup(me, unknown))
            except (InviteLookupError, TikTokAPIError) as exc:
                st.error(f"The lookup did not finish; nothing was sent. {exc}")
            else:
                st.rerun()
        if st.button(
            f"Invite {plural(len(sendable), 'creator')} to TTCM",
            type="primary",
            disabled=not sendable,
        ):
            try:
                outcome = service.invite(me, sendable)
            except (InviteError, AuthError) as exc:
                st.error(plain(exc))
            except (InviteLookupError, TikTokAPIError) as exc:
                st.error(f"TikTok did not accept the request; nothing more was sent. {plain(exc)}")
            else:
                st.session_state["invite_outcome"] = outcome
                st.rerun()
        if not sendable:
            st.caption("No creator in this list can be invited now; the table says why.")

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
