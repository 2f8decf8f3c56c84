"""Admin: check that the configured TikTok API answers the way ttcm expects (`ttcm doctor`)."""

from ttcm.web.context import page_context

ctx = page_context("credentials")  # before anything else runs

import streamlit as st

from ttcm.services.doctor import run_doctor
from ttcm.web.text import plain

_REPORT = "doctor_report"
settings = ctx.settings
st.title("API check")
st.caption(
    "One read-only request per endpoint: reachable, permission, answer shape and units. "
    "Nothing is written to TikTok."
)
where = "the offline sandbox" if settings.is_sandbox else settings.api_base
st.text(f"API: {where}")
if st.button("Check the API now", type="primary"):
    with st.spinner("Asking TikTok…"), ctx.services.client() as client:
        st.session_state[_REPORT] = run_doctor(ctx.principal, client)

report = st.session_state.get(_REPORT)
if report is not None:
    if report.ok:
        st.success("Every endpoint answered as expected.")
    else:
        bad = [
            v.endpoint
            for v in report.verdicts
            if v.status not in ("expected", "reachable", "skipped")
        ]
        st.error(f"Not as expected: {plain(', '.join(bad))}")
    st.dataframe(
        [
            {"Endpoint": v.endpoint, "Path": v.path, "Verdict": v.status, "Detail": v.detail}
            for v in report.verdicts
        ],
        hide_index=True,
        width="stretch",
    )
    st.text(f"Rate limits: {report.headroom}")
    st.text("To save the answers for a bug report: ttcm doctor --record DIR")
