"""Campaign performance charts: plain data in, plotly Figure out (pure; tested on the figure).

Rates and shares arrive as fractions and are drawn in percent; every axis names its unit. Each
figure is built from one layout dict and numpy arrays: plotly validates those far faster than
element-by-element lists and `update_*` calls, which matters for a page that redraws on rerun.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ttcm.charts import ACCENT, BAR, GREY, empty_figure, has_values
from ttcm.services.performance import OTHERS, TOTAL, Kpi, Pacing

DARK = "#161823"
PALETTE = (
    "#25F4EE",
    "#FE2C55",
    "#7B61FF",
    "#FFB800",
    "#00B386",
    "#FF7A45",
    "#3A86FF",
    "#C77DFF",
    "#8AC926",
    "#F15BB5",
)
# axes grow their margins to fit tick labels and titles (`automargin`), so these are minimums
_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}
# the legend goes under the plot, where it can wrap without covering the title
_LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.25, "xanchor": "left", "x": 0}


def _figure(
    traces: Sequence[Any],
    title: str,
    xaxis: dict[str, Any],
    yaxis: dict[str, Any],
    *,
    height: int = 320,
    legend: bool | str = True,
    empty: str | None = None,
    shapes: Sequence[dict[str, Any]] = (),
    **layout: Any,
) -> go.Figure:
    """A figure with its whole layout given at once; `empty` is a message when there is no data.

    `legend` is False (none), or True / "below": under the plot, never over the title.
    An empty figure is only its title and the message: no traces, axes, grid or reference
    lines (an axis without data would draw a meaningless -1…1 range).
    """
    if empty is not None:
        return empty_figure(title, empty, height=height)
    below = bool(legend)
    spec: dict[str, Any] = {
        "title": {"text": title},
        "margin": {**_MARGIN, "b": 90} if below else _MARGIN,
        "height": height + (70 if below else 0),
        "showlegend": bool(legend),
        "xaxis": xaxis,
        "yaxis": yaxis,
        "shapes": list(shapes),
        **layout,
    }
    if legend:
        spec["legend"] = _LEGEND_BELOW
    return go.Figure(data=list(traces), layout=spec)


def _axis(title: str | None, **extra: Any) -> dict[str, Any]:
    spec = {"automargin": True, **extra}
    return {"title": {"text": title}, **spec} if title else spec


def _rule(axis: str, at: float) -> dict[str, Any]:
    """A dashed reference line across the plot at `at` on `axis` ("x" or "y")."""
    other = "y" if axis == "x" else "x"
    return {
        "type": "line",
        f"{axis}0": at,
        f"{axis}1": at,
        f"{other}0": 0,
        f"{other}1": 1,
        f"{axis}ref": axis,
        f"{other}ref": "paper",
        "line": {"color": GREY, "dash": "dash"},
    }


def _floats(values: Any, scale: float = 1.0) -> np.ndarray:
    """Numbers as a float array (None and NaN become gaps), times `scale`."""
    out = np.array([np.nan if v is None else v for v in values], dtype="float64")
    return out * scale


def _days(index: Any) -> np.ndarray:
    return pd.to_datetime(pd.Index(index)).to_numpy()


def _day_axis(n_days: int) -> dict[str, Any]:
    """An x axis of calendar days: at most one tick a day, never an hour between two days."""
    return _axis(
        "Day",
        type="date",
        tickformat="%b %d",
        hoverformat="%Y-%m-%d",
        nticks=min(max(n_days, 2), 10),
    )


# ---------------------------------------------------------------- overview


def kpi_progress(kpis: Sequence[Kpi]) -> go.Figure:
    """Horizontal bars: each KPI's actual as % of its target (KPIs without one are left out)."""
    shown = [k for k in kpis if k.progress is not None]
    bar = go.Bar(
        x=np.round(_floats([k.progress for k in shown], 100), 1),
        y=[k.label for k in shown],
        orientation="h",
        marker={"color": [ACCENT if (k.progress or 0) < 1 else BAR for k in shown]},
        customdata=[[k.actual.text(), k.target_text] for k in shown],
        hovertemplate="%{y}: %{x:.1f} % of target (%{customdata[0]} of %{customdata[1]})"
        "<extra></extra>",
    )
    return _figure(
        [bar],
        "KPI progress",
        _axis("Progress (% of target)", ticksuffix=" %", rangemode="tozero"),
        _axis(None, autorange="reversed"),
        height=max(200, 70 + 40 * len(shown)),
        legend=False,
        shapes=[_rule("x", 100)],
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
                    x=_days([d for d, _ in points]),
                    y=_floats([v for _, v in points]),
                    name=name,
                    mode="lines",
                    line=line,
                    hovertemplate=f"%{{x|%Y-%m-%d}}: {verb}%{{y:,.0f}} views<extra></extra>",
                )
            )
    n_days = len(p.plan) or len(p.actual) + len(p.projection)
    return _figure(
        traces,
        "Pacing: cumulative views",
        _day_axis(n_days),
        _axis("Cumulative views", rangemode="tozero"),
        empty=None if traces else (p.reason or "Nothing to show yet"),
    )


def over_time(frame: pd.DataFrame, metric_label: str, *, cumulative: bool) -> go.Figure:
    """One line per creator column of `frame` (day index) plus a bold Total line."""
    colours = iter(PALETTE * 3)
    days = _days(frame.index)
    unit = metric_label.lower()
    traces = []
    for column in frame.columns:
        total = column == TOTAL
        colour = DARK if total else (GREY if column == OTHERS else next(colours))
        traces.append(
            go.Scatter(
                x=days,
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
    return _figure(
        traces,
        f"{kind} {unit}",
        _day_axis(len(frame.index)),
        _axis(f"{metric_label} ({'cumulative' if cumulative else 'per day'})"),
        legend="below",
        empty=None if has_values(*(t.y for t in traces)) else f"No daily {unit} reported yet",
    )


def engagement_rate_by_day(rates: pd.Series) -> go.Figure:
    """Daily engagement rate over all creators, in percent."""
    values = np.round(rates.to_numpy(dtype="float64", na_value=np.nan) * 100, 3)
    line = go.Scatter(
        x=_days(rates.index),
        y=values,
        mode="lines+markers",
        line={"color": ACCENT},
        connectgaps=False,
        hovertemplate="%{x|%Y-%m-%d}: %{y:.2f} %<extra></extra>",
    )
    return _figure(
        [line],
        "Engagement rate by day",
        _day_axis(len(rates.index)),
        _axis("Engagement rate (%)", ticksuffix=" %", rangemode="tozero"),
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
            y=pct("views_vs_campaign"),
            name="vs campaign median",
            marker={"color": BAR},
            hovertemplate="%{x}: %{y:.0f} % of the campaign median<extra></extra>",
        ),
        go.Bar(
            x=names,
            y=pct("views_vs_usual"),
            name="vs their usual views",
            marker={"color": ACCENT},
            hovertemplate="%{x}: %{y:.0f} % of their median views<extra></extra>",
        ),
    ]
    return _figure(
        bars,
        "Creator benchmark: views per post",
        _axis("Creator"),
        _axis("Views per post (% of benchmark)", ticksuffix=" %"),
        barmode="group",
        shapes=[_rule("y", 100)],
        empty=None if has_values(bars[0].y, bars[1].y) else "No post has views to compare yet",
    )


def retention(curves: Sequence[tuple[str, Sequence[float]]]) -> go.Figure:
    """View retention of several posts: share of viewers still watching at each second."""
    colours = iter(PALETTE * 3)
    lines = [
        go.Scatter(
            x=np.arange(len(values)),
            y=np.round(_floats(values, 100), 2),
            name=label,
            mode="lines",
            line={"color": next(colours)},
            hovertemplate="second %{x}: %{y:.1f} % still watching<extra>%{fullData.name}</extra>",
        )
        for label, values in curves
    ]
    return _figure(
        lines,
        "View retention",
        _axis("Second of the video (s)", rangemode="tozero"),
        _axis("Viewers still watching (%)", range=[0, 100], ticksuffix=" %"),
        legend="below",
        empty=None if has_values(*(t.y for t in lines)) else "No post reports view retention",
    )


def audience_vs_target(
    label: str,
    campaign: Mapping[str, float],
    target: Mapping[str, float] | None,
    *,
    name: str = "Campaign audience",
) -> go.Figure:
    """Grouped horizontal bars: the campaign's audience share per key beside the brand's target."""
    keys = list(campaign) + [k for k in (target or {}) if k not in campaign]
    keys = keys[:15]
    bars = [
        go.Bar(
            y=keys,
            x=np.round(_floats([campaign.get(k) for k in keys], 100), 1),
            orientation="h",
            name=name,
            marker={"color": BAR},
            hovertemplate="%{y}: %{x:.1f} % of viewers<extra></extra>",
        )
    ]
    if target:
        bars.append(
            go.Bar(
                y=keys,
                x=np.round(_floats([target.get(k) for k in keys], 100), 1),
                orientation="h",
                name="Target",
                marker={"color": ACCENT},
                hovertemplate="%{y}: target %{x:.1f} %<extra></extra>",
            )
        )
    return _figure(
        bars,
        f"Audience by {label.lower()}" + (" vs target" if target else ""),
        _axis("Share of viewers (%)", range=[0, 100], ticksuffix=" %"),
        _axis(label, autorange="reversed"),
        height=max(220, 80 + 28 * len(keys) * (2 if target else 1)),
        legend=bool(target),
        barmode="group",
        empty=None if has_values(*(b.x for b in bars)) else "No audience data reported yet",
    )


# ---------------------------------------------------------------- one post


def traffic_sources(sources: Mapping[str, int | None]) -> go.Figure:
    """Views of one post by traffic source (For You, search, …), largest first."""
    known = sorted(((k, v) for k, v in sources.items() if v is not None), key=lambda kv: -kv[1])
    bar = go.Bar(
        x=_floats([v for _, v in known]),
        y=[k.replace("_", " ").capitalize() for k, _ in known],
        orientation="h",
        marker={"color": BAR},
        hovertemplate="%{y}: %{x:,} views<extra></extra>",
    )
    return _figure(
        [bar],
        "Views by traffic source",
        _axis("Views", rangemode="tozero"),
        _axis("Traffic source", autorange="reversed"),
        legend=False,
        empty=None if has_values(bar.x) else "No traffic sources reported",
    )


def organic_paid(organic: float | None, paid: float | None) -> go.Figure:
    """Organic vs paid (Spark Ads) views of a post or the campaign."""
    parts = [(name, v) for name, v in (("Organic", organic), ("Paid", paid)) if v is not None]
    bar = go.Bar(
        x=[name for name, _ in parts],
        y=_floats([v for _, v in parts]),
        marker={"color": [BAR if name == "Organic" else ACCENT for name, _ in parts]},
        hovertemplate="%{x}: %{y:,} views<extra></extra>",
    )
    return _figure(
        [bar],
        "Organic vs paid views",
        _axis("Traffic"),
        _axis("Views", rangemode="tozero"),
        legend=False,
        empty=None if has_values(bar.y) else "No organic/paid split reported",
    )


def audience_shares(label: str, shares: Sequence[Sequence[object]]) -> go.Figure:
    """One post's audience in one dimension ([[key, share]], shares as fractions), in percent."""
    pairs = sorted(((str(k), float(v)) for k, v in shares), key=lambda kv: -kv[1])
    return audience_vs_target(label, dict(pairs), None, name="Viewers of this post")
