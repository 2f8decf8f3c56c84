"""Posts & performance: a campaign's overview (KPIs, pacing, costs, charts, export), its published
posts with every metric TikTok provides for them, and the Spark Ads tab. Everyone signed in can
read; managers add posts by hand and request Spark Ads authorizations.
"""

from ttcm.web.session import page_principal

me = page_principal("read")  # before anything else runs

from datetime import UTC, datetime
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.charts import audience as audience_charts
from ttcm.charts import campaign as charts
from ttcm.charts import post as post_charts
from ttcm import rules
from ttcm.auth import role_allows
from ttcm.config import Settings
from ttcm.runtime import make_client, shared_store
from ttcm.domain.performance.audience import AUDIENCE_DIMENSIONS, campaign_audiences, parse_target
from ttcm.domain.performance.benchmarks import creator_benchmarks
from ttcm.domain.performance.campaign_data import CampaignData
from ttcm.domain.performance.costs import Costs
from ttcm.domain.performance.overview import Overview
from ttcm.domain.performance.pacing import Pacing, default_as_of
from ttcm.domain.performance.trends import engagement_rate_by_day, over_time
from ttcm.domain.performance.values import Value, fmt
from ttcm.domain.performance import overview as overview_
from ttcm.services import reports
from ttcm.services.demo_time import ClockError, app_now, has_clock
from ttcm.services.posts import (
    MANUAL,
    PostDetail,
    PostError,
    add_manual_post,
    campaign_choices,
    creator_videos,
    load_campaign,
    post_detail,
    refresh_manual_posts,
    remove_manual_post,
    retention_curves,
    stray_posts,
    tracking_labels,
)
from ttcm.services.spark import SparkAds, auth_label, code_label
from ttcm.web.fields import Problems, checked_text
from ttcm.web.widgets import freshness_caption
from ttcm.web.text import plain as md  # the one plain-text helper

settings = Settings.load()
store = shared_store(settings)
HANDLE_MAX = int(rules.limits()["handle_max_chars"])


def page_now() -> datetime:
    """The app's "now": the sandbox's clock when the API is a sandbox (see demo_time)."""
    try:
        return app_now(settings)
    except ClockError as exc:
        st.warning(md(f"{exc} Days left and pacing use the real UTC time instead."))
        return datetime.now(UTC)


can_add = role_allows(me.role, "campaign.write")
can_spark = role_allows(me.role, "spark.request")
labels = tracking_labels()
specs = rules.metric_availability()["post_metrics"]
CODES_SHOWN = 20
TRACKED = {"order": "order", "manual_auth": "by hand", "manual_nonauth": "by hand (not auth.)"}


NOW = page_now()
spark = SparkAds(store, lambda: make_client(settings), now=lambda: NOW)


def pct(series: pd.Series) -> pd.Series:
    """Fractions -> percent for display."""
    return series.astype("float64") * 100


def value_metric(where: Any, label: str, v: Value, shown_reasons: set[str]) -> None:
    """A metric tile: the value, or "—" with the reason underneath (each reason once a row)."""
    where.metric(label, v.text(), help=v.note)
    if v.value is None and v.reason and v.reason not in shown_reasons:
        shown_reasons.add(v.reason)
        where.caption(md(v.reason))


def html_report(data: CampaignData, ov: Overview, curves: list) -> str:
    """The standalone HTML report (built only when its download button is clicked)."""
    return reports.overview_html(reports.Report(ov, data, reports.figures(data, ov, curves)))


# ---------------------------------------------------------------- overview


def show_kpis(ov: Overview) -> None:
    st.subheader("KPI progress")
    for col, k in zip(st.columns(max(1, len(ov.kpis))), ov.kpis, strict=False):
        col.metric(k.label, k.actual.text(with_unit=False), help=k.actual.note or k.actual.unit)
        if k.progress is not None:
            col.progress(
                min(1.0, k.progress), text=f"{numfmt.percent(k.progress, 0)} of {k.target_text}"
            )
            if k.actual.note:
                col.caption(md(k.actual.note))
        else:
            col.caption(md(" ".join(dict.fromkeys(r for r in (k.actual.reason, k.reason) if r))))
    st.plotly_chart(charts.kpi_progress(ov.kpis), width="stretch", key="chart_kpis")


def show_pacing(p: Pacing, gap: Value | None) -> None:
    st.subheader("Pacing")
    target = fmt(p.target, "views")
    if p.status == "on track":
        st.success(
            f"On track: at the current pace the campaign reaches {p.projected_total.text()} "
            f"by {p.end:%Y-%m-%d} (target {target})."
        )
    elif p.status == "behind":
        st.warning(
            f"Behind: at the current pace the campaign reaches {p.projected_total.text()} "
            f"by {p.end:%Y-%m-%d}, short of the {target} target."
        )
    elif p.reason:
        st.info(md(p.reason))
    if gap is not None:
        st.caption(
            f"Views to date ({p.to_date.text()}) add up TikTok's daily stats through "
            f"{p.as_of:%Y-%m-%d}; the KPI's views also hold {gap.text()} TikTok has not yet "
            "broken down by day (daily stats arrive a few days late)."
        )
    st.plotly_chart(charts.pacing(p), width="stretch", key="chart_pacing")


def show_costs(costs: Costs) -> None:
    st.subheader("Cost per result")
    for tiles in (
        (
            ("Creator cost (agreed fees)", costs.creator_cost),
            ("Cost per view", costs.cpv),
            ("Cost per engagement", costs.cpe),
            ("CPM (per 1,000 views)", costs.cpm),
        ),
        (
            ("Budget", costs.budget),
            ("Cost per view (budget)", costs.budget_cpv),
            ("Cost per engagement (budget)", costs.budget_cpe),
            ("CPM (budget)", costs.budget_cpm),
        ),
        (
            ("Spend vs budget", costs.spend_vs_budget),
            ("Remaining budget", costs.remaining_budget),
        ),
    ):
        reasons: set[str] = set()
        for col, (label, v) in zip(st.columns(4), tiles, strict=False):
            value_metric(col, label, v, reasons)


def show_time(data: CampaignData) -> None:
    st.subheader("Views and engagement over time")
    left, right = st.columns(2)
    mode = left.segmented_control(
        "Show", ["Daily", "Cumulative"], default="Cumulative", key="posts_mode"
    )
    metric = right.segmented_control(
        "Metric", ["Views", "Engagements"], default="Views", key="posts_metric"
    )
    cumulative = (mode or "Cumulative") == "Cumulative"
    metric = metric or "Views"
    frame = over_time(data.daily, metric.lower(), cumulative=cumulative)
    st.plotly_chart(
        charts.over_time(frame, metric, cumulative=cumulative), width="stretch", key="chart_time"
    )
    st.plotly_chart(
        charts.engagement_rate_by_day(engagement_rate_by_day(data.daily)),
        width="stretch",
        key="chart_er",
    )


def show_benchmark(posts: pd.DataFrame) -> None:
    st.subheader("Creator benchmark")
    st.caption(
        "Each creator's median post against the campaign's median post and against the "
        "creator's own median views (100 % = the same)."
    )
    bench = creator_benchmarks(posts)
    st.plotly_chart(charts.creator_benchmark(bench), width="stretch", key="chart_bench")
    ratios = ("views vs campaign", "views vs usual", "ER vs campaign", "ER vs usual")
    with st.expander("Benchmark table (views and engagement rate)"):
        st.dataframe(
            pd.DataFrame(
                {
                    "creator": "@" + bench["handle_name"].astype(str),
                    "posts": bench["posts"],
                    "views": bench["video_views"],
                    "views vs campaign": pct(bench["views_vs_campaign"]),
                    "views vs usual": pct(bench["views_vs_usual"]),
                    "ER vs campaign": pct(bench["er_vs_campaign"]),
                    "ER vs usual": pct(bench["er_vs_usual"]),
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={c: st.column_config.NumberColumn(format="%.0f %%") for c in ratios},
        )


def show_audience(data: CampaignData) -> None:
    st.subheader("Audience vs target")
    target, problems = parse_target(data.campaign.get("target_audience"))
    for problem in problems:
        st.warning(md(f"The campaign's target audience has a problem: {problem}."))
    if not target:
        st.caption("No target audience in the campaign plan; showing the audience only.")
    audiences = campaign_audiences(data.posts, data.audience)
    columns = st.columns(2)
    for i, (dim, label) in enumerate(AUDIENCE_DIMENSIONS.items()):
        shares = audiences.get(dim, {})
        with columns[i % 2]:
            if shares or target.get(dim):
                st.plotly_chart(
                    audience_charts.audience_vs_target(dim, label, shares, target.get(dim)),
                    width="stretch",
                    key=f"chart_audience_{dim}",
                )
            else:
                st.caption(f"{label}: no post reports this audience yet.")


def show_export(campaign_pk: int, data: CampaignData, ov: Overview, curves) -> None:
    st.subheader("Export")
    e1, e2, e3 = st.columns(3)
    slug = f"campaign-{campaign_pk}"
    e1.download_button(
        "Overview numbers (CSV)",
        reports.overview_csv(ov),
        file_name=f"{slug}-overview.csv",
        mime="text/csv",
        on_click="ignore",
    )
    e2.download_button(
        "Posts (CSV)",
        partial(reports.posts_csv, data),
        file_name=f"{slug}-posts.csv",
        mime="text/csv",
        on_click="ignore",
    )
    e3.download_button(
        "Report (HTML, works offline)",
        partial(html_report, data, ov, curves),
        file_name=f"{slug}-report.html",
        mime="text/html",
        on_click="ignore",
    )


def overview(campaign_pk: int) -> None:
    """The Overview tab."""
    data = load_campaign(store, me, campaign_pk)
    ov = overview_.overview(data, default_as_of(data.daily, NOW.date()))
    c = data.campaign
    timeline = " → ".join(f"{d:%Y-%m-%d}" for d in (c["start_date"], c["end_date"]) if d)
    clock = f" · sandbox time {NOW:%Y-%m-%d %H:%M} UTC" if has_clock(settings) else ""
    st.caption(
        f"{numfmt.plural(ov.totals.posts, 'published post')} · "
        f"{numfmt.plural(ov.ordered_videos + ov.declined_videos, 'video')} ordered · "
        f"{numfmt.count(ov.declined_videos)} declined · "
        f"{numfmt.count(ov.totals.order_posts)} delivered · "
        f"timeline {timeline or 'not set'} · stats as of {ov.as_of:%Y-%m-%d}{clock}"
    )
    show_kpis(ov)
    show_pacing(ov.pacing, ov.views_not_daily)
    show_costs(ov.costs)
    show_time(data)
    show_benchmark(data.posts)
    st.subheader("Retention compared")
    curves = retention_curves(store, me, campaign_pk, reports.top_posts(data))
    st.plotly_chart(charts.retention(curves), width="stretch", key="chart_retention")
    show_audience(data)
    show_export(campaign_pk, data, ov, curves)


# ---------------------------------------------------------------- published posts


COUNT_COLUMNS = ("views", "likes", "comments", "shares", "favorites", "engagements", "reach")


def posts_table(posts: pd.DataFrame) -> None:
    st.dataframe(
        pd.DataFrame(
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
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
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
        unit = specs[mv.key]["unit"]
        shown = fmt(mv.value, unit, with_unit=False) if mv.available else "—"
        with grid[i % 4]:
            st.metric(mv.label, shown, help=unit if mv.available else mv.reason)
            if not mv.available:
                st.caption(md(f"Unavailable: {mv.reason}"))
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
            chart_or_reason(mv, partial(audience_charts.post_audience, dim, label), f"post_audience_{dim}")


def add_by_hand(campaign_pk: int, posts: pd.DataFrame) -> None:
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
                with make_client(settings) as client:
                    st.session_state["posts_videos"] = creator_videos(
                        store, me, client, handle, campaign_pk=campaign_pk
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
                    add_manual_post(store, me, campaign_pk, by_id[vid]["handle_name"], by_id[vid])
                except PostError as exc:
                    st.error(md(exc))
                else:
                    st.session_state.pop("posts_videos", None)
                    st.rerun()
        has_manual = not posts.empty and bool(posts["tracking"].isin(MANUAL).any())
        if has_manual and st.button("Update counters of hand-added posts", key="posts_update"):
            try:
                with make_client(settings) as client:
                    n = refresh_manual_posts(store, me, client, campaign_pk)
            except Exception as exc:  # noqa: BLE001 - API failures are shown
                st.error(md(f"TikTok did not return the counters: {exc}"))
            else:
                st.success(f"Updated {n} post(s).")


def show_strays(campaign_pk: int) -> None:
    """Posts linked by creators who are not in the campaign: counted nowhere, and why."""
    strays = stray_posts(store, me, campaign_pk)
    if not strays:
        return
    names = ", ".join(dict.fromkeys(f"@{s['handle_name']}" for s in strays))
    st.warning(
        md(
            f"{len(strays)} post(s) by creators who are not in this campaign ({names}) are not "
            "counted in any figure. Add the creator on Campaigns › Creators, or remove the post."
        )
    )
    if not can_add:
        return
    for s in strays:
        if st.button(
            md(f"Remove video {s['video_id']} (@{s['handle_name']}) from the campaign"),
            key=f"posts_stray_{s['video_id']}",
        ):
            try:
                remove_manual_post(store, me, campaign_pk, s["video_id"])
            except PostError as exc:
                st.error(md(exc))
            else:
                st.rerun()


def published_posts(campaign_pk: int) -> None:
    """The Published posts tab."""
    posts = load_campaign(store, me, campaign_pk, audience=False, daily=False).posts
    show_strays(campaign_pk)
    st.caption(
        "Posts tracked through an order (invite link or campaign code) carry every metric; "
        "posts added by hand carry only the public counters. A blank cell is a metric TikTok "
        "does not provide for that post."
    )
    if posts.empty:
        st.info("No published posts yet. They appear after the creators post and a refresh.")
    else:
        posts_table(posts)
        described = {
            r.video_id: (
                f"@{r.handle_name} · {r.create_time:%Y-%m-%d} · "
                f"{fmt(r.video_views, 'views')} · {labels.get(r.tracking, r.tracking)}"
                if r.create_time is not None
                else f"@{r.handle_name} · {r.video_id}"
            )
            for r in posts.itertuples()
        }
        picked = st.selectbox(
            "Post details", list(described), format_func=described.get, key="posts_detail"
        )
        detail = post_detail(store, me, picked)
        show_post(detail)
        if (
            can_add
            and detail.post["tracking"] in MANUAL
            and st.button("Remove this hand-added post from the campaign", key="posts_remove")
        ):
            try:
                remove_manual_post(store, me, campaign_pk, picked)
            except PostError as exc:
                st.error(md(exc))
            else:
                st.rerun()
    if can_add:
        add_by_hand(campaign_pk, posts)


# ---------------------------------------------------------------- Spark Ads


def spark_table(rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame(rows)
    st.dataframe(
        pd.DataFrame(
            {
                "creator": "@" + frame["handle_name"].astype(str),
                "video": frame["video_id"],
                "request": frame["auth_status"].map(auth_label),
                "code": frame["auth_code"].fillna("—"),
                "code status": frame["auth_code_status"].map(code_label),
                "starts": frame["auth_code_start_time"],
                "ends": frame["auth_code_end_time"],
                "days left": frame["days_left"],
                "requests left": frame["num_remaining_request"],
                "days asked": frame["requested_authorization_days"],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "starts": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
            "ends": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
        },
    )
    coded = [r for r in rows if r["auth_code"]]
    if coded:
        st.markdown("**Authorization codes** (paste into TikTok Ads Manager › Spark Ads)")
        for r in coded[:CODES_SHOWN]:
            left, right = st.columns([2, 3])
            days = f" · {r['days_left']} days left" if r["days_left"] is not None else ""
            left.caption(
                md(f"@{r['handle_name']} · video {r['video_id']}")
                + f" · {code_label(r['auth_code_status'])}"
                + days
            )
            right.code(r["auth_code"], language=None)
        if len(coded) > CODES_SHOWN:
            st.caption(f"{len(coded) - CODES_SHOWN} more codes are in the table above.")


def spark_request(rows: list[dict[str, Any]], default_days: int) -> None:
    by_vid = {r["video_id"]: r for r in rows if r["can_request"] or r["can_extend"]}
    days_options = list(rules.spark_days())
    if default_days not in days_options:
        default_days = days_options[0]
    with st.form("spark_request"):
        st.markdown("**Request Spark Ads authorization**")
        picked = st.multiselect(
            "Posts",
            list(by_vid),
            format_func=lambda v: (
                f"@{by_vid[v]['handle_name']} · {v} · {auth_label(by_vid[v]['auth_status'])}"
            ),
            key="spark_posts",
        )
        days = st.selectbox(
            "Duration",
            days_options,
            index=days_options.index(default_days),
            format_func=lambda d: f"{d} days",
            key="spark_days",
        )
        extend = st.checkbox(
            "Extend the existing authorization (accepted codes only)", key="spark_ext"
        )
        sent = st.form_submit_button("Send request", type="primary")
    if not sent:
        return
    if not picked:
        st.error("Choose at least one post.")
        return
    outcome = spark.request_many(me, picked, days, extend=extend)
    for r in outcome.sent:
        (st.info if r.already else st.success)(md(f"Video {r.video_id}: {r.message}"))
    for r in outcome.failed:
        st.error(md(f"Video {r.video_id}: {r.message}"))
    st.caption(
        "The creator decides in the TikTok app; the status and the code appear here after the "
        "next refresh."
    )


def spark_ads(campaign_pk: int, default_days: int) -> None:
    """The Spark Ads tab."""
    rows = spark.table(me, campaign_pk)
    if not rows:
        st.info("No published posts yet, so there is nothing to authorize.")
        return
    spark_table(rows)
    if can_spark:
        spark_request(rows, default_days)


# ---------------------------------------------------------------- the page

st.title("Posts & performance")
freshness_caption(store, "posts", "spark")

choices = {str(c["id"]): c for c in campaign_choices(store, me)}
if not choices:
    st.info("No campaigns yet: create one on the Campaigns page.")
    st.stop()
wanted = st.query_params.get("campaign")
keys = list(choices)
if wanted is not None and wanted not in keys:
    st.warning("The campaign in this link does not exist (or is archived); showing the newest.")
chosen = st.selectbox(
    "Campaign",
    keys,
    index=keys.index(wanted) if wanted in keys else 0,
    format_func=lambda k: f"{choices[k]['campaign_name']} · {choices[k]['brand_name'] or '—'}",
)
st.query_params["campaign"] = chosen

# bound to the URL, so only the open tab runs (and a link can open the Spark Ads tab)
overview_tab, posts_tab, spark_tab = st.tabs(
    ["Overview", "Published posts", "Spark Ads"], key="view", bind="query-params"
)
if overview_tab.open is not False:
    with overview_tab:
        overview(int(chosen))
if posts_tab.open is not False:
    with posts_tab:
        published_posts(int(chosen))
if spark_tab.open is not False:
    with spark_tab:
        spark_ads(int(chosen), choices[chosen]["spark_days_default"] or 30)
