"""Campaign report export: the overview's numbers as CSV, and a standalone HTML report.

The HTML report (`stakeholder_report`) embeds plotly.js once (no network needed to open it),
prints on A4 and Letter, and escapes every text that came from people or from TikTok. PNG
export is not offered: it needs kaleido plus a browser process, which the offline install does
not carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
import plotly.graph_objects as go

from ttcm.auth import Principal, require
from ttcm.charts import audience, campaign
from ttcm.domain import format as numfmt
from ttcm.domain.performance import overview as overview_
from ttcm.domain.performance.audience import AUDIENCE_DIMENSIONS, campaign_audiences, parse_target
from ttcm.domain.performance.benchmarks import creator_benchmarks
from ttcm.domain.performance.campaign_data import CampaignData
from ttcm.domain.performance.formulas import post_hows
from ttcm.domain.performance.overview import Overview, summary_rows
from ttcm.domain.performance.pacing import default_as_of
from ttcm.domain.performance.trends import engagement_rate_by_day, over_time
from ttcm.services import stakeholder_report
from ttcm.services.export import Column, to_csv
from ttcm.services.post_metrics import load_campaign, retention_curves
from ttcm.store import Store

CSV_COLUMNS = (
    ("section", "section"),
    ("metric", "metric"),
    ("value", "value"),
    ("unit", "unit"),
    ("target", "target"),
    ("progress", "progress (1.0 = target reached)"),
    ("note", "note"),
    ("how", "how is this computed"),
)
RETENTION_POSTS = 6
TOP_CREATORS = 8


@dataclass
class Report:
    """A campaign overview and its figures, ready to show or export."""

    overview: Overview
    data: CampaignData
    figures: dict[str, go.Figure]


def figures(
    data: CampaignData,
    ov: Overview,
    curves: Sequence[tuple[str, Sequence[float]]] = (),
    *,
    cumulative: bool = True,
    top: int = TOP_CREATORS,
) -> dict[str, go.Figure]:
    """Every overview chart, by name, built from the campaign's data."""
    target, _ = parse_target(data.campaign.get("target_audience"))
    out = {
        "kpis": campaign.kpi_progress(ov.kpis),
        "pacing": campaign.pacing(ov.pacing),
        "views": campaign.over_time(
            over_time(data.daily, "views", cumulative=cumulative, top=top),
            "Views",
            cumulative=cumulative,
        ),
        "engagements": campaign.over_time(
            over_time(data.daily, "engagements", cumulative=cumulative, top=top),
            "Engagements",
            cumulative=cumulative,
        ),
        "engagement_rate": campaign.engagement_rate_by_day(engagement_rate_by_day(data.daily)),
        "benchmark": campaign.creator_benchmark(creator_benchmarks(data.posts)),
        "retention": campaign.retention(curves),
    }
    audiences = campaign_audiences(data.posts, data.audience)
    for dim, label in AUDIENCE_DIMENSIONS.items():
        shares = audiences.get(dim, {})
        if shares or target.get(dim):
            out[f"audience_{dim}"] = audience.audience_vs_target(
                dim, label, shares, target.get(dim)
            )
    return out


def top_posts(data: CampaignData, n: int = RETENTION_POSTS) -> list[str]:
    """The `n` most viewed posts that TikTok tracks fully (for retention comparisons)."""
    posts = data.posts
    if posts.empty:
        return []
    full = posts[(posts["tracking"] == "order") & posts["video_views"].notna()]
    return list(full.sort_values("video_views", ascending=False, kind="stable")["video_id"][:n])


def build(store: Store, actor: Principal, campaign_pk: int, *, today: date | None = None) -> Report:
    """Load a campaign and compute its overview and every chart."""
    require(actor, "export")
    data = load_campaign(store, actor, campaign_pk)
    as_of = default_as_of(data.daily, today or datetime.now(UTC).date())
    ov = overview_.overview(data, as_of)
    curves = retention_curves(store, actor, campaign_pk, top_posts(data))
    return Report(ov, data, figures(data, ov, curves))


def _plain(value: object) -> object:
    """Whole floats as integers (6500, not 6500.0); NaN and NaT as empty."""
    if value is pd.NaT:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return int(value)
    return value


def overview_csv(ov: Overview) -> str:
    """The overview's numbers as CSV (unknown values are empty, with the reason in `note`)."""
    rows = [{k: _plain(v) for k, v in r.items()} for r in summary_rows(ov)]
    for r in rows:
        if r.get("unit") == "%":  # rates are fractions inside; a "%" row holds percentages
            r["value"], r["target"] = (
                numfmt.percent_value(r["value"]),
                numfmt.percent_value(r["target"]),
            )
    return to_csv(rows, CSV_COLUMNS)


def posts_csv(data: CampaignData) -> str:
    """One row per published post with its metrics (empty where TikTok provides none)."""
    columns: list[Column] = [
        ("video_id", "Video"),
        ("handle_name", "Handle"),
        ("tracking", "Tracked by", "label:tracking"),
        ("create_time", "Posted (UTC)"),
        ("video_views", "Views"),
        ("likes", "Likes"),
        ("comments", "Comments"),
        ("shares", "Shares"),
        ("favorites", "Favorites"),
        ("engagement_count", "Engagements"),
        ("engagement_rate", "Engagement rate (%)", "percent"),
        ("engagement_rate_how", "Engagement rate how"),
        ("reach", "Reach (accounts)"),
        ("reach_how", "Reach rate how"),
        ("total_play_time", "Total play time (s)"),
        ("average_view_time", "Average view time (s)"),
        ("video_completion_rate", "Completion rate (%)", "percent"),
        ("video_completion_rate_how", "Completion rate how"),
    ]
    rows = [{str(k): _plain(v) for k, v in r.items()} for r in data.posts.to_dict("records")]
    for row in rows:
        row.update({f"{key}_how": how for key, how in post_hows(row).items()})
    return to_csv(rows, columns)


def overview_html(report: Report, *, generated: datetime | None = None) -> str:
    """The stakeholder report: KPI table, summary, every chart, creators and posts tables."""
    return stakeholder_report.render(
        report.overview, report.data, report.figures, generated=generated
    )
