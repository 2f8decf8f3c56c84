"""The history sections of the creator profile and the post view: ttcm's own daily snapshots,
which go on after TikTok stops reporting a post."""

from __future__ import annotations

import streamlit as st

from ttcm import rules
from ttcm.charts import creator as creator_charts
from ttcm.charts import history as charts
from ttcm.services.history import creator_series, post_series
from ttcm.web.context import PageContext
from ttcm.web.text import plain


def creator_history(ctx: PageContext, handle: str) -> None:
    """Follower growth and engagement rate over time, from the daily snapshots."""
    series = creator_series(ctx.store, ctx.principal, handle)
    if len(series.days) < 2:
        st.caption("Follower growth and engagement over time appear after two daily refreshes.")
        return
    left, right = st.columns(2)
    left.plotly_chart(
        creator_charts.follower_growth(series.days, series.followers),
        width="stretch",
        key="creator_growth",
    )
    right.plotly_chart(
        charts.engagement_over_time(series.days, series.engagement_rate),
        width="stretch",
        key="creator_er",
    )


def post_history(ctx: PageContext, video_id: str) -> None:
    """A post's cumulative views per day, past TikTok's window, and when TikTok stopped."""
    series = post_series(ctx.store, ctx.principal, video_id)
    st.markdown("**History**")
    if series.note is not None:
        st.warning(plain(series.note))
    if not series.days:
        st.caption("The post's history starts with the next refresh.")
        return
    window = int(rules.limits()["report_post_days"])
    fig = charts.cumulative_views(
        series.days, series.views, series.reported, series.posted_on, window
    )
    st.plotly_chart(fig, width="stretch", key="post_history")
