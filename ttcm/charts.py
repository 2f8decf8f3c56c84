"""Chart builders: plain data in, plotly Figure out. Pure, so tests check the figure itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ttcm.domain import format as numfmt
from ttcm.domain.format import compact_count as log_edges_label

BAR = "#25F4EE"
ACCENT = "#FE2C55"
GREY = "#8A8B91"
_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "height": 260,
    "bargap": 0.05,
    "showlegend": False,
}


def empty_figure(title: str, message: str, *, height: int = 320) -> go.Figure:
    """A chart's empty state: its title and why there is nothing to draw, without axes."""
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    return go.Figure(
        layout={
            "title": {"text": title},
            "margin": _LAYOUT["margin"],
            "height": min(height, 220),
            "showlegend": False,
            "xaxis": hidden,
            "yaxis": hidden,
            "plot_bgcolor": "rgba(0,0,0,0)",
            "annotations": [
                {
                    "text": message,
                    "showarrow": False,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "font": {"size": 14, "color": GREY},
                }
            ],
        }
    )


def has_values(*arrays: Any) -> bool:
    """True when any of the arrays holds a finite number (all-blank data draws nothing)."""
    return any(bool(np.isfinite(np.asarray(a, dtype="float64")).any()) for a in arrays)


def follower_histogram(edges: np.ndarray, counts: np.ndarray) -> go.Figure:
    """Creators per follower band (log bins), labelled '10k–18k'."""
    if not np.asarray(counts).sum():
        return empty_figure("Followers of matching creators", "No creator matches these filters")
    labels = [
        f"{log_edges_label(lo)}–{log_edges_label(hi)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[int(c) for c in counts],
            marker_color=BAR,
            hovertemplate="%{x} followers: %{y:,} creators<extra></extra>",
        )
    )
    fig.update_layout(title="Followers of matching creators", **_LAYOUT)
    fig.update_xaxes(title="Followers")
    fig.update_yaxes(title="Creators")
    return fig


def engagement_histogram(edges: np.ndarray, counts: np.ndarray) -> go.Figure:
    """Creators per engagement-rate band, in percent; the last band is open-ended."""
    if not np.asarray(counts).sum():
        return empty_figure(
            "Engagement rate of matching creators", "No creator matches these filters"
        )
    labels = [
        f"{numfmt.percent(lo, 0)}–{numfmt.percent(hi, 0)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    if labels:
        labels[-1] = f"≥ {numfmt.percent(edges[-2], 0)}"
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[int(c) for c in counts],
            marker_color=ACCENT,
            hovertemplate="%{x}: %{y:,} creators<extra></extra>",
        )
    )
    fig.update_layout(title="Engagement rate of matching creators", **_LAYOUT)
    fig.update_xaxes(title="Engagement rate (%)")
    fig.update_yaxes(title="Creators")
    return fig


def follower_growth(days: Sequence[date], followers: Sequence[int | None]) -> go.Figure:
    """Followers per day from ttcm's daily snapshots (gaps stay gaps)."""
    if not has_values([np.nan if f is None else f for f in followers]):
        return empty_figure("Follower growth", "No daily follower counts recorded yet")
    fig = go.Figure(
        go.Scatter(
            x=list(days),
            y=list(followers),
            mode="lines+markers",
            line={"color": ACCENT},
            connectgaps=False,
            hovertemplate="%{x|%Y-%m-%d}: %{y:,} followers<extra></extra>",
        )
    )
    fig.update_layout(title="Follower growth", **{**_LAYOUT, "height": 280})
    fig.update_xaxes(title="Day")
    fig.update_yaxes(title="Followers")
    return fig


def audience_shares(title: str, shares: Sequence[tuple[str, float]], unit_label: str) -> go.Figure:
    """A horizontal bar chart of audience shares in percent, largest first."""
    if not has_values([p for _, p in shares]):
        return empty_figure(title, "No audience data reported yet")
    ordered = sorted(shares, key=lambda kv: kv[1])
    fig = go.Figure(
        go.Bar(
            x=[round(p * 100, 1) for _, p in ordered],
            y=[k for k, _ in ordered],
            orientation="h",
            marker_color=BAR,
            hovertemplate="%{y}: %{x:.1f} %<extra></extra>",
        )
    )
    fig.update_layout(title=title, **{**_LAYOUT, "height": max(180, 40 + 26 * len(ordered))})
    fig.update_xaxes(title="Share of audience (%)", range=[0, 100])
    fig.update_yaxes(title=unit_label)
    return fig
