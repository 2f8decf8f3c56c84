"""The Posts page's Published posts tab: every post with its metrics (or why TikTok shares none),
one post's charts, stray posts, and adding or removing a post by hand."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from ttcm import rules
from ttcm.charts import audience as audience_charts
from ttcm.charts import campaign as charts
from ttcm.charts import post as post_charts
from ttcm.domain.performance.audience import AUDIENCE_DIMENSIONS
from ttcm.domain.performance.campaign_data import MANUAL
from ttcm.domain.performance.values import fmt
from ttcm.services.manual_posts import (
    add_manual_post,
    creator_videos,
    refresh_manual_posts,
    remove_manual_post,
)
from ttcm.services.post_metrics import load_campaign
from ttcm.services.posts import (
    PostDetail,
    PostError,
    post_detail,
    stray_posts,
    tracking_labels,
)
from ttcm.services.stakeholder_report import TRACKED
from ttcm.web.context import PageContext
from ttcm.web.fields import Problems, checked_text
from ttcm.web.formula import how_computed
from ttcm.web.history_charts import post_history
from ttcm.web.posts_overview import pct
from ttcm.web.tables import show_table
from ttcm.web.text import plain as md

HANDLE_MAX = int(rules.limits()["handle_max_chars"])
COUNT_COLUMNS = ("views", "likes", "comments", "shares", "favorites", "engagements", "reach")


def posts_table(posts: pd.DataFrame) -> None:
    show_table(
        {
            "creator": "@" + posts["handle_name"].astype(str),
            "posted": posts["create_time"],
            "tracked": posts["tracking"].map(TRACKED),
            "views": posts["video_views"],
            "likes": posts["likes"],
            "comments": posts["comments"],
            "shares": posts["shares"],
            "favorites": posts["favorites"],
            "engagements": posts["engagement_count"],
            "engagement rate": pct(posts["engagement_rate"]),
            "reach": posts["reach"],
            "avg play time": posts["average_view_time"],
            "completion": pct(posts["video_completion_rate"]),
            "video": posts["video_id"],
        },
        {
            "posted": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "engagement rate": st.column_config.NumberColumn(format="%.2f %%"),
            "completion": st.column_config.NumberColumn(format="%.1f %%"),
            "avg play time": st.column_config.NumberColumn(format="%.1f s"),
            **{c: st.column_config.NumberColumn(format="localized") for c in COUNT_COLUMNS},
        },
    )


def chart_or_reason(mv: Any, build: Any, key: str) -> None:
    """A post's chart when TikTok provides the metric, else why it does not."""
    if mv.available:
        st.plotly_chart(build(mv.value), width="stretch", key=key)
    else:
        st.info(md(f"{mv.label}: {mv.reason}"))


def show_post(detail: PostDetail) -> None:
    st.markdown(f"**@{md(detail.post['handle_name'])}** · {md(detail.tracking_label)}")
    if detail.post.get("embed_url"):
        st.caption(md(f"Video {detail.post['video_id']} · {detail.post['embed_url']}"))
    grid = st.columns(4)
    for i, mv in enumerate(detail.metrics):
        unit = rules.metric_availability()["post_metrics"][mv.key]["unit"]
        value = mv.value if isinstance(mv.value, int | float) else None
        shown = fmt(value, unit, with_unit=False) if mv.available else "—"
        with grid[i % 4]:
            st.metric(mv.label, shown, help=unit if mv.available else mv.reason)
            if not mv.available:
                st.caption(md(f"Unavailable: {mv.reason}"))
    how_computed(detail.formulas)
    left, right = st.columns(2)
    with left:
        chart_or_reason(
            detail.retention, lambda v: charts.retention([("This post", v)]), "post_retention"
        )
        chart_or_reason(
            detail.split,
            lambda v: post_charts.organic_paid(v.get("organic"), v.get("paid")),
            "post_split",
        )
    with right:
        chart_or_reason(detail.sources, post_charts.traffic_sources, "post_sources")
    columns = st.columns(2)
    for i, (dim, mv) in enumerate(detail.audience.items()):
        with columns[i % 2]:
            label = AUDIENCE_DIMENSIONS[dim]
            chart_or_reason(
                mv, partial(audience_charts.post_audience, dim, label), f"post_audience_{dim}"
            )


def add_by_hand(ctx: PageContext, campaign_pk: int, posts: pd.DataFrame) -> None:
    with st.expander("Add a post by hand"):
        st.caption(
            "Pick one of a campaign creator's videos (add the creator on Campaigns › Creators "
            "first). Posts added by hand carry fewer metrics; tying the post to an order with "
            "the campaign code gives the full report."
        )
        handle_wrong = Problems()
        handle = checked_text(
            st, "Creator handle", handle_wrong, limit=HANDLE_MAX, key="posts_handle"
        )
        if st.button("Load the creator's videos", key="posts_load", disabled=bool(handle_wrong)):
            try:
                with ctx.services.client() as client:
                    st.session_state["posts_videos"] = creator_videos(
                        ctx.store, ctx.principal, client, handle, campaign_pk=campaign_pk
                    )
            except PostError as exc:
                st.error(md(exc))
            except Exception as exc:  # noqa: BLE001 - API failures are shown, not raised
                st.error(md(f"TikTok did not return the videos: {exc}"))
        videos = st.session_state.get("posts_videos") or []
        if videos:
            by_id = {v["video_id"]: v for v in videos}
            vid = st.selectbox(
                "Video",
                list(by_id),
                format_func=lambda x: (
                    f"{by_id[x].get('create_time') or ''} · "
                    f"{fmt(by_id[x].get('video_views'), 'views')} · "
                    f"{(by_id[x].get('caption') or '')[:60]}"
                ),
                key="posts_video",
            )
            if st.button("Add to campaign", key="posts_add", type="primary"):
                try:
                    add_manual_post(
                        ctx.store, ctx.principal, campaign_pk, by_id[vid]["handle_name"], by_id[vid]
                    )
                except PostError as exc:
                    st.error(md(exc))
                else:
                    st.session_state.pop("posts_videos", None)
                    st.rerun()
        has_manual = not posts.empty and bool(posts["tracking"].isin(MANUAL).any())
        if has_manual and st.button("Update counters of hand-added posts", key="posts_update"):
            try:
                with ctx.services.client() as client:
                    n = refresh_manual_posts(ctx.store, ctx.principal, client, campaign_pk)
            except Exception as exc:  # noqa: BLE001 - API failures are shown
                st.error(md(f"TikTok did not return the counters: {exc}"))
            else:
                st.success(f"Updated {n} post(s).")


def show_strays(ctx: PageContext, campaign_pk: int) -> None:
    """Posts linked by creators who are not in the campaign: counted nowhere, and why."""
    strays = stray_posts(ctx.store, ctx.principal, campaign_pk)
    if not strays:
        return
    names = ", ".join(dict.fromkeys(f"@{s['handle_name']}" for s in strays))
    st.warning(
        md(
            f"{len(strays)} post(s) by creators who are not in this campaign ({names}) are not "
            "counted in any figure. Add the creator on Campaigns › Creators, or remove the post."
        )
    )
    if not ctx.can("campaign.write"):
        return
    for s in strays:
        if st.button(
            md(f"Remove video {s['video_id']} (@{s['handle_name']}) from the campaign"),
            key=f"posts_stray_{s['video_id']}",
        ):
            try:
                remove_manual_post(ctx.store, ctx.principal, campaign_pk, s["video_id"])
            except PostError as exc:
                st.error(md(exc))
            else:
                st.rerun()


def published_posts(ctx: PageContext, campaign_pk: int) -> None:
    """The Published posts tab."""
    posts = load_campaign(ctx.store, ctx.principal, campaign_pk, audience=False, daily=False).posts
    show_strays(ctx, campaign_pk)
    st.caption(
        "Posts tracked through an order (invite link or campaign code) carry every metric; "
        "posts added by hand carry only the public counters. A blank cell is a metric TikTok "
        "does not provide for that post."
    )
    if posts.empty:
        st.info("No published posts yet. They appear after the creators post and a refresh.")
    else:
        posts_table(posts)
        labels = tracking_labels()
        described: dict[str, str] = {
            str(r["video_id"]): (
                f"@{r['handle_name']} · {r['create_time']:%Y-%m-%d} · "
                f"{fmt(r['video_views'], 'views')} · {labels.get(r['tracking'], r['tracking'])}"
                if r["create_time"] is not None and r["create_time"] is not pd.NaT
                else f"@{r['handle_name']} · {r['video_id']}"
            )
            for r in posts.to_dict("records")
        }
        picked = str(
            st.selectbox(
                "Post details",
                list(described),
                format_func=described.__getitem__,
                key="posts_detail",
            )
        )
        detail = post_detail(ctx.store, ctx.principal, picked)
        show_post(detail)
        post_history(ctx, picked)
        if (
            ctx.can("campaign.write")
            and detail.post["tracking"] in MANUAL
            and st.button("Remove this hand-added post from the campaign", key="posts_remove")
        ):
            try:
                remove_manual_post(ctx.store, ctx.principal, campaign_pk, picked)
            except PostError as exc:
                st.error(md(exc))
            else:
                st.rerun()
    if ctx.can("campaign.write"):
        add_by_hand(ctx, campaign_pk, posts)


# ---------------------------------------------------------------- Spark Ads
