"""The sections of the creator profile page (metrics, audience, eligibility, videos, similar)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ttcm.charts import creator as charts
from ttcm.domain import format as numfmt
from ttcm.domain.format import plural
from ttcm.services.profiles import MetricValue, Profile
from ttcm.services.shortlists import ShortlistError
from ttcm.web.context import PageContext
from ttcm.web.formula import how_computed
from ttcm.web.text import plain, plain_list

_AUDIENCE_TITLES = {
    "country": "Countries",
    "gender": "Gender",
    "age": "Age",
    "device": "Devices",
    "locale": "Locales",
}


def metric_text(metric: MetricValue) -> str:
    """A metric's value as shown, "—" when TikTok does not give it (the reason is beside it)."""
    value = metric.value
    if not metric.available:
        return numfmt.MISSING
    if metric.key == "engagement_rate":
        return numfmt.percent(value)
    if metric.key == "followers_growth":
        return f"{numfmt.percent(value, 1, signed=True)} since first snapshot"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return numfmt.count(value)
    if isinstance(value, list):
        return ", ".join(f"{k} {numfmt.percent(s, 0)}" for k, s in value[:3])
    if isinstance(value, float):
        audience = metric.key.startswith("audience")
        return numfmt.percent(value, 0) if audience else numfmt.decimal(value)
    return str(value)


def metrics_table(p: Profile) -> None:
    """Every account metric: its value, or "—" and why it is unavailable."""
    rows = [
        {
            "Metric": metric.label,
            "Value": metric_text(metric),
            "Why unavailable": metric.reason or "",
        }
        for metric in p.metrics
        if metric.key not in ("handle_name", "profile_image")
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    how_computed(p.formulas)


def audience_charts(p: Profile) -> None:
    """One bar chart per audience dimension TikTok shares."""
    if not p.audience:
        return
    st.subheader("Audience")
    cols = st.columns(min(3, len(p.audience)))
    for i, (dim, shares) in enumerate(p.audience.items()):
        title = _AUDIENCE_TITLES.get(dim, dim)
        cols[i % len(cols)].plotly_chart(
            charts.audience_shares(title, shares[:10], title), width="stretch"
        )


def eligibility_section(p: Profile) -> None:
    """The TTCM rules the creator fails, what could not be checked, and the invitation."""
    st.subheader("TTCM eligibility")
    e = p.eligibility
    for failure in e.failures:
        st.warning(plain(failure.message))
    if not e.failures and e.eligible:
        st.success("Meets every TTCM rule we can check.")
    if e.unknown:
        st.caption("Could not be checked (not shared for this account): " + plain_list(e.unknown))
    if p.invitation:
        reason = p.invitation.get("reason")
        st.info(
            f"Invitation: {plain(str(p.invitation['state']).lower())}"
            + (f" — {plain(reason)}" if reason else "")
        )


def recent_videos(p: Profile) -> None:
    """The creator's latest cached videos."""
    if not p.posts:
        return
    st.subheader("Recent videos")
    recent = pd.DataFrame(p.posts)
    recent["tracking"] = recent["tracking"].map(lambda t: numfmt.label("tracking", t))
    st.dataframe(recent.rename(columns=numfmt.header), hide_index=True, width="stretch")


def similar_creators(ctx: PageContext, handle: str) -> None:
    """The most similar cached creators, why, and a way to shortlist the ticked ones."""
    st.subheader("Similar creators")
    matches = ctx.services.profiles.similar(ctx.principal, handle)
    if not matches:
        st.caption("No similar creator in the cache.")
        return
    table = pd.DataFrame(
        [
            {
                "profile": f"creator?handle={s.handle_name}",
                "handle": s.handle_name,
                "why": "; ".join(s.reasons),
                "score": numfmt.decimal(s.score),
            }
            for s in matches
        ]
    )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        column_config={"profile": st.column_config.LinkColumn("Profile", display_text="open")},
        key=f"similar_{handle}",
    )
    rows = event.selection.rows if event and event.selection else []
    picked = [matches[i].handle_name for i in rows]
    if not (ctx.can("shortlist.write") and picked):
        return
    lists = ctx.services.shortlists
    existing = {s.name: s.id for s in lists.all(ctx.principal)}
    if not existing:
        st.caption("Create a shortlist on the Shortlists page first.")
        return
    target = st.selectbox("Shortlist", list(existing))
    if st.button(f"Shortlist {plural(len(picked), 'similar creator')}"):
        try:
            outcome = lists.add(ctx.principal, existing[target], picked)
        except ShortlistError as exc:
            st.error(plain(exc))
            return
        st.success(f"Added {plural(len(outcome.added), 'creator')}.")
        for h, reason in outcome.refused.items():
            st.warning(f"{plain(h)}: {plain(reason)}")
