"""A campaign's performance charts: KPI progress, pacing, views over time, benchmarks, retention."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ttcm.charts.base import (
    ACCENT,
    BAR,
    DARK,
    GREY,
    MARGIN_LEGEND_BELOW,
    PALETTE,
    axis,
    day_axis,
    days,
    figure,
    floats,
    has_values,
    rate_line,
    rule,
    wrapped,
)
from ttcm.domain.performance.campaign_data import OTHERS, TOTAL
from ttcm.domain.performance.kpis import Kpi
from ttcm.domain.performance.pacing import Pacing


def kpi_progress(kpis: Sequence[Kpi]) -> go.Figure:
    """Horizontal bars: each KPI's actual as % of its target (KPIs without one are left out)."""
    shown = [k for k in kpis if k.progress is not None]
    bar = go.Bar(
        x=np.round(floats([k.progress for k in shown], 100), 1),
        y=[wrapped(k.label) for k in shown],
        orientation="h",
        marker={"color": [ACCENT if (k.progress or 0) < 1 else BAR for k in shown]},
        customdata=[[k.actual.text(), k.target_text] for k in shown],
        hovertemplate="%{y}: %{x:.1f} % of target (%{customdata[0]} of %{customdata[1]})"
        "<extra></extra>",
    )
    return figure(
        [bar],
        "KPI progress",
        axis("Progress (% of target)", ticksuffix=" %", rangemode="tozero"),
        axis(None, autorange="reversed"),
        height=max(200, 70 + 40 * sum(1 + wrapped(k.label).count("<br>") for k in shown)),
        legend=False,
        shapes=[rule("x", 100)],
        empty=None if has_values(bar.x) else "No KPI has both a target and a value yet",
    )


def pacing(p: Pacing) -> go.Figure:
    """Cumulative views against the plan line to the target, with the projection to the end."""
    traces = []
    for name, points, line, verb in (
        ("Plan", p.plan, {"color": GREY, "dash": "dash"}, "plan "),
        ("Actual", p.actual, {"color": ACCENT, "width": 3}, ""),
        ("Projection", p.projection, {"color": ACCENT, "dash": "dot"}, "projected "),
    ):
        if points:
            traces.append(
                go.Scatter(
                    x=days([d for d, _ in points]),
                    y=floats([v for _, v in points]),
                    name=name,
                    mode="lines",
                    line=line,
                    hovertemplate=f"%{{x|%Y-%m-%d}}: {verb}%{{y:,.0f}} views<extra></extra>",
                )
            )
    n_days = len(p.plan) or len(p.actual) + len(p.projection)
    return figure(
        traces,
        "Pacing: cumulative views",
        day_axis(n_days),
        axis("Cumulative views", rangemode="tozero"),
        empty=None if traces else (p.reason or "Nothing to show yet"),
    )


def over_time(frame: pd.DataFrame, metric_label: str, *, cumulative: bool) -> go.Figure:
    """One line per creator column of `frame` (day index) plus a bold Total line."""
    colours = iter(PALETTE * 3)
    x = days(frame.index)
    unit = metric_label.lower()
    traces = []
    for column in frame.columns:
        total = column == TOTAL
        colour = DARK if total else (GREY if column == OTHERS else next(colours))
        traces.append(
            go.Scatter(
                x=x,
                y=frame[column].to_numpy(dtype="float64", na_value=np.nan),
                name=str(column) if column in (TOTAL, OTHERS) else f"@{column}",
                mode="lines",
                connectgaps=False,
                line={"color": colour, "width": 3 if total else 1.5},
                hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:,.0f}} {unit}"
                "<extra>%{fullData.name}</extra>",
            )
        )
    kind = "Cumulative" if cumulative else "Daily"
    return figure(
        traces,
        f"{kind} {unit}",
        day_axis(len(frame.index)),
        axis(f"{metric_label} ({'cumulative' if cumulative else 'per day'})"),
        legend="below",
        empty=None if has_values(*(t.y for t in traces)) else f"No daily {unit} reported yet",
    )


def engagement_rate_by_day(rates: pd.Series) -> go.Figure:
    """Daily engagement rate over all creators, in percent."""
    values = np.round(rates.to_numpy(dtype="float64", na_value=np.nan) * 100, 3)
    line = rate_line(days(rates.index), values)
    return figure(
        [line],
        "Engagement rate by day",
        day_axis(len(rates.index)),
        axis("Engagement rate (%)", ticksuffix=" %", rangemode="tozero"),
        legend=False,
        empty=None if has_values(values) else "No daily engagement data reported yet",
    )


def creator_benchmark(bench: pd.DataFrame, *, limit: int = 25) -> go.Figure:
    """Per creator: median post views as % of the campaign median and of their usual views."""
    shown = bench.head(limit)
    names = [f"@{h}" for h in shown["handle_name"]]

    def pct(col: str) -> np.ndarray:
        return np.round(shown[col].to_numpy(dtype="float64", na_value=np.nan) * 100, 1)

    bars = [
        go.Bar(
            x=names,
            y=pct(column),
            name=name,
            marker={"color": colour},
            hovertemplate=f"%{{x}}: %{{y:.0f}} % of {what}<extra></extra>",
        )
        for column, name, colour, what in (
            ("views_vs_campaign", "vs campaign median", BAR, "the campaign median"),
            ("views_vs_usual", "vs their usual views", ACCENT, "their median views"),
        )
    ]
    return figure(
        bars,
        "Creator benchmark: views per post",
        axis("Creator"),
        axis("Views per post (% of benchmark)", ticksuffix=" %"),
        barmode="group",
        shapes=[rule("y", 100)],
        # up to 25 handles, slanted: room for a 17-character handle from the start (a longer
        # one still gets its room, at the price of a second drawing)
        margin={**MARGIN_LEGEND_BELOW, "r": 90, "b": 150},
        empty=None if has_values(bars[0].y, bars[1].y) else "No post has views to compare yet",
    )


def retention(curves: Sequence[tuple[str, Sequence[float]]]) -> go.Figure:
    """View retention of several posts: share of viewers still watching at each second."""
    colours = iter(PALETTE * 3)
    lines = [
        go.Scatter(
            x=np.arange(len(values)),
            y=np.round(floats(values, 100), 2),
            name=label,
            mode="lines",
            line={"color": next(colours)},
            hovertemplate="second %{x}: %{y:.1f} % still watching<extra>%{fullData.name}</extra>",
        )
        for label, values in curves
    ]
    return figure(
        lines,
        "View retention",
        axis("Second of the video (s)", rangemode="tozero"),
        axis("Viewers still watching (%)", range=[0, 100], ticksuffix=" %"),
        legend="below",
        empty=None if has_values(*(t.y for t in lines)) else "No post reports view retention",
    )
