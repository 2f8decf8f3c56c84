"""The Posts page's Overview tab: KPI progress, pacing, costs, charts over time, benchmark,
retention, audience vs target and the exports (CSV, the offline HTML report)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from ttcm.charts import audience as audience_charts
from ttcm.charts import campaign as charts
from ttcm.domain import format as numfmt
from ttcm.domain.performance.audience import AUDIENCE_DIMENSIONS, campaign_audiences, parse_target
from ttcm.domain.performance.benchmarks import creator_benchmarks
from ttcm.domain.performance.campaign_data import CampaignData
from ttcm.domain.performance.costs import Costs
from ttcm.domain.performance.formulas import overview_formulas
from ttcm.domain.performance.overview import Overview
from ttcm.domain.performance.overview import overview as compute_overview
from ttcm.domain.performance.pacing import Pacing, default_as_of
from ttcm.domain.performance.trends import engagement_rate_by_day, over_time
from ttcm.domain.performance.values import Value, fmt
from ttcm.services import reports
from ttcm.services.demo_time import has_clock
from ttcm.services.post_metrics import load_campaign, retention_curves
from ttcm.web.context import PageContext
from ttcm.web.formula import how_computed
from ttcm.web.memo import Memo, content_key
from ttcm.web.tables import show_table
from ttcm.web.text import plain as md


def pct(series: pd.Series) -> pd.Series:
    """Fractions -> percent for display."""
    return series.astype("float64") * 100


def value_metric(where: Any, label: str, v: Value, shown_reasons: set[str]) -> None:
    """A metric tile: the value, or "—" with the reason underneath (each reason once a row)."""
    shown, help_text = tile_text(v, COST_TILE_CHARS)
    where.metric(label, shown, help=help_text)
    if v.value is None and v.reason and v.reason not in shown_reasons:
        shown_reasons.add(v.reason)
        where.caption(md(v.reason))


def html_report(data: CampaignData, ov: Overview, curves: list) -> str:
    """The standalone HTML report (built only when its download button is clicked)."""
    return reports.overview_html(reports.Report(ov, data, reports.figures(data, ov, curves)))


# ---------------------------------------------------------------- overview


def tile_text(v: Value, chars: int) -> tuple[str, str | None]:
    """A metric tile's value and its help. A count or an amount of money longer than `chars`
    (what a tile in its row shows whole at 1,400 px) is shown compact, 907.8M or 308.9k USD,
    and its exact value goes into the help; rates and durations are short already."""
    text = v.text(with_unit=False)
    short = numfmt.compact_quantity(v.value, v.unit)
    if short is None or len(text) <= chars:
        return text, v.note
    exact = f"Exactly {v.text()}."
    return short, f"{exact} {v.note}" if v.note else exact


KPI_TILE_CHARS, COST_TILE_CHARS = 9, 11  # rows of five and of four tiles


def show_kpis(ov: Overview) -> None:
    # each KPI's tile and progress bar; the HTML report adds a chart of the same progress
    st.subheader("KPI progress")
    for col, k in zip(st.columns(max(1, len(ov.kpis))), ov.kpis, strict=False):
        shown, help_text = tile_text(k.actual, KPI_TILE_CHARS)
        col.metric(k.label, shown, help=help_text or k.actual.unit)
        if k.progress is not None:
            col.progress(
                min(1.0, k.progress), text=f"{numfmt.percent(k.progress, 0)} of {k.target_text}"
            )
            if k.actual.note:
                col.caption(md(k.actual.note))
        else:
            col.caption(md(" ".join(dict.fromkeys(r for r in (k.actual.reason, k.reason) if r))))


def show_pacing(p: Pacing, once: Memo, gap: Value | None, undated: Value | None = None) -> None:
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
    if undated is not None:
        st.warning(md(f"{undated.text()} {undated.note}."))
    st.plotly_chart(
        once("pacing chart", lambda: charts.pacing(p)), width="stretch", key="chart_pacing"
    )


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


def show_time(data: CampaignData, once: Memo) -> None:
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
    time_chart = once(
        ("time chart", metric, cumulative),
        lambda: charts.over_time(
            over_time(data.daily, metric.lower(), cumulative=cumulative),
            metric,
            cumulative=cumulative,
        ),
    )
    st.plotly_chart(time_chart, width="stretch", key="chart_time")
    er_chart = once(
        "engagement rate chart",
        lambda: charts.engagement_rate_by_day(engagement_rate_by_day(data.daily)),
    )
    st.plotly_chart(er_chart, width="stretch", key="chart_er")


def show_benchmark(posts: pd.DataFrame, once: Memo) -> None:
    st.subheader("Creator benchmark")
    st.caption(
        "Each creator's median post against the campaign's median post and against the "
        "creator's own median views (100 % = the same)."
    )
    bench = once("benchmarks", lambda: creator_benchmarks(posts))
    figure = once("benchmark chart", lambda: charts.creator_benchmark(bench))
    st.plotly_chart(figure, width="stretch", key="chart_bench")
    ratios = ("views vs campaign", "views vs usual", "ER vs campaign", "ER vs usual")
    with st.expander("Benchmark table (views and engagement rate)"):
        show_table(
            {
                "creator": "@" + bench["handle_name"].astype(str),
                "posts": bench["posts"],
                "views": bench["video_views"],
                "views vs campaign": pct(bench["views_vs_campaign"]),
                "views vs usual": pct(bench["views_vs_usual"]),
                "ER vs campaign": pct(bench["er_vs_campaign"]),
                "ER vs usual": pct(bench["er_vs_usual"]),
            },
            {c: st.column_config.NumberColumn(format="%.0f %%") for c in ratios},
        )


def show_audience(data: CampaignData, once: Memo) -> None:
    st.subheader("Audience vs target")
    target, problems = parse_target(data.campaign.get("target_audience"))
    for problem in problems:
        st.warning(md(f"The campaign's target audience has a problem: {problem}."))
    if not target:
        st.caption("No target audience in the campaign plan; showing the audience only.")
    audiences = once("audiences", lambda: campaign_audiences(data.posts, data.audience))
    columns = st.columns(2)
    for i, (dim, label) in enumerate(AUDIENCE_DIMENSIONS.items()):
        shares = audiences.get(dim, {})
        with columns[i % 2]:
            if shares or target.get(dim):
                figure = once(
                    ("audience chart", dim),
                    partial(
                        audience_charts.audience_vs_target, dim, label, shares, target.get(dim)
                    ),
                )
                st.plotly_chart(figure, width="stretch", key=f"chart_audience_{dim}")
            else:
                st.caption(f"{label}: no post reports this audience yet.")


def show_export(campaign_pk: int, data: CampaignData, ov: Overview, curves, once: Memo) -> None:
    st.subheader("Export")
    e1, e2, e3 = st.columns(3)
    slug = f"campaign-{campaign_pk}"
    e1.download_button(
        "Overview numbers (CSV)",
        once("overview csv", lambda: reports.overview_csv(ov)),
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


def overview(ctx: PageContext, campaign_pk: int, now: datetime) -> None:
    """The Overview tab."""
    data = load_campaign(ctx.store, ctx.principal, campaign_pk)
    as_of = default_as_of(data.daily, now.date())
    # what is computed from this read is reused while the read's content is the same (the rate
    # table is one object per rates version, so it takes part by identity)
    once = Memo((content_key(replace(data, rates=None)), data.rates, as_of))
    ov = once("overview", lambda: compute_overview(data, as_of))
    c = data.campaign
    timeline = " → ".join(f"{d:%Y-%m-%d}" for d in (c["start_date"], c["end_date"]) if d)
    clock = f" · sandbox time {now:%Y-%m-%d %H:%M} UTC" if has_clock(ctx.settings) else ""
    st.caption(
        f"{numfmt.plural(ov.totals.posts, 'published post')} · "
        f"{numfmt.plural(ov.ordered_videos + ov.declined_videos, 'video')} ordered · "
        f"{numfmt.count(ov.declined_videos)} declined · "
        f"{numfmt.count(ov.totals.order_posts)} delivered · "
        f"timeline {timeline or 'not set'} · stats as of {ov.as_of:%Y-%m-%d}{clock}"
    )
    show_kpis(ov)
    show_pacing(ov.pacing, once, ov.views_not_daily, ov.views_undated)
    show_costs(ov.costs)
    how_computed(overview_formulas(ov))
    show_time(data, once)
    show_benchmark(data.posts, once)
    st.subheader("Retention compared")
    curves = retention_curves(ctx.store, ctx.principal, campaign_pk, reports.top_posts(data))
    retention = once(("retention chart", content_key(curves)), lambda: charts.retention(curves))
    st.plotly_chart(retention, width="stretch", key="chart_retention")
    show_audience(data, once)
    show_export(campaign_pk, data, ov, curves, once)


# ---------------------------------------------------------------- published posts
