"""Discovery charts: how the matching creators spread over followers and engagement."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ttcm.charts.base import ACCENT, BAR, LAYOUT, empty_figure
from ttcm.domain import format as numfmt
from ttcm.services.creator_index import log_edges_label


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
    fig.update_layout(title="Followers of matching creators", **LAYOUT)
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
    fig.update_layout(title="Engagement rate of matching creators", **LAYOUT)
    fig.update_xaxes(title="Engagement rate (%)")
    fig.update_yaxes(title="Creators")
    return fig
