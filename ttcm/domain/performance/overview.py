"""The campaign overview as of one day: totals, KPIs, pacing and costs, and its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ttcm.domain import format as numfmt
from ttcm.domain.performance.campaign_data import MANUAL, CampaignData
from ttcm.domain.performance.costs import Costs, costs
from ttcm.domain.performance.kpis import Kpi, declined_videos, kpi_progress, ordered_videos
from ttcm.domain.performance.pacing import Pacing, daily_totals, pacing
from ttcm.domain.performance.totals import Totals, totals
from ttcm.domain.performance.values import Value, missing, ratio


@dataclass
class Overview:
    """The campaign overview: totals, KPIs, pacing and costs as of one day."""

    campaign: dict[str, Any]
    as_of: date
    totals: Totals
    kpis: list[Kpi]
    pacing: Pacing
    costs: Costs
    ordered_videos: int
    declined_videos: int = 0
    views_not_daily: Value | None = None  # in the totals, not (yet) in pacing's daily stats
    views_undated: Value | None = None  # hand-added posts pacing cannot place on a day


def views_undated(posts: pd.DataFrame) -> Value | None:
    """Views of posts added by hand that have no publish time (None when there are none).

    TikTok reports no daily stats for them, so pacing counts their views on the day they were
    posted; without that day they are in the totals only, and this says which posts lack it.
    """
    if posts.empty:
        return None
    undated = posts[
        posts["tracking"].isin(MANUAL) & posts["create_time"].isna() & posts["video_views"].notna()
    ]
    if undated.empty:
        return None
    names = ", ".join(dict.fromkeys(f"@{h}" for h in undated["handle_name"]))
    n = len(undated)
    return Value(
        float(undated["video_views"].astype("float64").sum()),
        "views",
        note=(
            f"in the totals, not in pacing: {numfmt.plural(n, 'post')} added by hand "
            f"({names}) {'has' if n == 1 else 'have'} no publish time, so pacing cannot place "
            "the views on a day (update the hand-added posts' counters to read it from TikTok)"
        ),
    )


def views_not_daily(t: Totals, p: Pacing, undated: Value | None = None) -> Value | None:
    """Views the totals count that pacing's daily stats do not cover (None when they agree).

    The totals are TikTok's lifetime counters; pacing adds up the daily stats, which TikTok
    reports a few days late. Both cover the same posts (less the hand-added posts without a
    publish time, `undated`, named apart), so any other difference is that lag.
    """
    if not t.views.known or not p.to_date.known or p.as_of is None:
        return None
    apart = float(undated.value or 0) if undated is not None else 0.0
    gap = float(t.views.value or 0) - float(p.to_date.value or 0) - apart
    if gap < 0.5:
        return None
    return Value(
        gap,
        "views",
        note=f"in the totals, not yet in TikTok's daily stats (through {p.as_of:%Y-%m-%d})",
    )


def overview(data: CampaignData, as_of: date) -> Overview:
    """Compute the overview of a campaign's data as of a day."""
    t = totals(data.posts)
    c = data.campaign
    p = pacing(
        daily_totals(data.daily), c.get("start_date"), c.get("end_date"), c.get("kpi_views"), as_of
    )
    undated = views_undated(data.posts)
    return Overview(
        campaign=c,
        as_of=as_of,
        totals=t,
        kpis=kpi_progress(data, t),
        pacing=p,
        costs=costs(c, data.orders, t, data.rates, as_of),
        ordered_videos=ordered_videos(data.orders),
        declined_videos=declined_videos(data.orders),
        views_not_daily=views_not_daily(t, p, undated),
        views_undated=undated,
    )


def summary_rows(ov: Overview) -> list[dict[str, Any]]:
    """The overview as rows of numbers (metric, value, unit, target, progress, note, and `how`:
    the filled formula of a derived number)."""
    rows: list[dict[str, Any]] = []

    def add(
        section: str,
        label: str,
        v: Value,
        target: float | None = None,
        prog: float | None = None,
        note: str | None = None,
    ) -> None:
        rows.append(
            {
                "section": section,
                "metric": label,
                "value": v.value,
                "unit": v.unit,
                "target": target,
                "progress": prog,
                "note": note or (v.reason if v.value is None else v.note),
                "how": v.how,
            }
        )

    t = ov.totals
    for label, value in (
        ("Published posts", Value(float(t.posts), "posts")),
        ("Views", t.views),
        ("Engagements", t.engagements),
        ("Engagement rate", t.engagement_rate),
        ("Reach", t.reach),
        ("Organic views", t.views_organic),
        ("Paid views", t.views_paid),
    ):
        add("totals", label, value)
    for k in ov.kpis:
        value = (
            k.actual
            if k.actual.value is not None
            else missing(k.actual.unit, k.reason or "", k.actual.how)
        )
        note = k.reason if k.progress is None else k.actual.note
        add("kpi", k.label, value, k.target, k.progress, note)
    p = ov.pacing
    add(
        "pacing",
        "Views to date",
        p.to_date if p.to_date.known else missing("views", p.reason or ""),
    )
    add("pacing", "Planned views to date", p.expected_to_date)
    if ov.views_not_daily is not None:
        add("pacing", "Views not yet in daily stats", ov.views_not_daily)
    if ov.views_undated is not None:
        add("pacing", "Views of hand-added posts without a publish time", ov.views_undated)
    add(
        "pacing",
        "Projected views at end date",
        p.projected_total if p.projected_total.known else missing("views", p.reason or ""),
        p.target,
        ratio(p.projected_total.value, p.target),
    )
    c = ov.costs
    for label, value in (
        ("Creator cost (agreed fees)", c.creator_cost),
        ("Budget", c.budget),
        *c.spend(),
        *c.per_result(),
    ):
        add("costs", label, value)
    return rows
