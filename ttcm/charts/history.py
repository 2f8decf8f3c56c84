"""Charts of ttcm's own metric history: a post's cumulative views day by day (past TikTok's
reporting window) and a creator's engagement rate over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import plotly.graph_objects as go

from ttcm.charts.base import ACCENT, GREY, axis, figure, has_values, rate_line

KEPT = "Last values kept (TikTok stopped reporting)"


def _day_line(x: float, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    shape = {
        "type": "line",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "xref": "x",
        "yref": "paper",
        "line": {"color": GREY, "dash": "dot"},
    }
    note = {"x": x, "y": 1, "xref": "x", "yref": "paper", "text": label, "showarrow": False}
    return shape, {**note, "xanchor": "left", "yanchor": "bottom"}


def cumulative_views(
    days: Sequence[date],
    views: Sequence[int | None],
    reported: Sequence[bool],
    posted_on: date | None,
    window_days: int,
) -> go.Figure:
    """A post's lifetime views on each snapshot day, by days since it was posted: what TikTok
    reported as a solid line, the days after it stopped (last values kept) as a dashed one."""
    title = "Cumulative views"
    if not has_values([float("nan") if v is None else v for v in views]):
        return figure([], title, axis(None), axis(None), empty="No daily snapshots recorded yet")
    start = posted_on or days[0]
    x = [(d - start).days for d in days]
    text = [d.isoformat() for d in days]
    shown = [i for i, r in enumerate(reported) if r]
    kept = [i for i, r in enumerate(reported) if not r]
    if kept and shown and shown[-1] < kept[0]:
        kept = [shown[-1], *kept]  # the dashed line starts where the solid one ends
    hover = "day %{x} (%{text}): %{y:,} views<extra>%{fullData.name}</extra>"
    traces = [
        go.Scatter(
            x=[x[i] for i in part],
            y=[views[i] for i in part],
            text=[text[i] for i in part],
            name=name,
            mode="lines+markers",
            line={"color": color, "dash": dash},
            hovertemplate=hover,
        )
        for part, name, color, dash in (
            (shown, "Reported by TikTok", ACCENT, "solid"),
            (kept, KEPT, GREY, "dash"),
        )
        if part
    ]
    shape, note = _day_line(window_days, f"day {window_days}")
    label = "Days since posted" if posted_on is not None else "Days since the first snapshot"
    return figure(
        traces,
        title,
        axis(label, rangemode="tozero"),
        axis("Views", rangemode="tozero"),
        shapes=[shape],
        annotations=[note],
    )


def engagement_over_time(days: Sequence[date], rates: Sequence[float | None]) -> go.Figure:
    """A creator's engagement rate (in percent) per day from ttcm's snapshots; gaps stay gaps."""
    title = "Engagement rate over time"
    if not has_values([float("nan") if r is None else r for r in rates]):
        return figure([], title, axis(None), axis(None), empty="No daily engagement rates yet")
    line = rate_line(list(days), [None if r is None else round(r * 100, 2) for r in rates])
    return figure(
        [line],
        title,
        axis("Day"),
        axis("Engagement rate (%)", rangemode="tozero"),
        height=280,
        legend=False,
    )
