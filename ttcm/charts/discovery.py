"""Discovery charts: how the matching creators spread over followers and engagement."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ttcm.charts.base import ACCENT, BAR, LAYOUT, empty_figure
from ttcm.domain import format as numfmt


def _histogram(
    title: str, labels: list[str], counts: np.ndarray, colour: str, axis_title: str, hover: str
) -> go.Figure:
    """Creators per band: one bar per label, or the empty state when no creator matches."""
    if not np.asarray(counts).sum():
        return empty_figure(title, "No creator matches these filters")
    bar = go.Bar(
        x=labels,
        y=np.asarray(counts, dtype=np.int64),
        marker={"color": colour},
        hovertemplate=f"{hover}: %{{y:,}} creators<extra></extra>",
    )
    layout = {
        **LAYOUT,
        "title": {"text": title},
        "xaxis": {"title": {"text": axis_title}},
        "yaxis": {"title": {"text": "Creators"}},
    }
    return go.Figure(data=[bar], layout=layout)


def follower_histogram(edges: np.ndarray, counts: np.ndarray) -> go.Figure:
    """Creators per follower band (log bins), labelled '10k–18k'."""
    labels = [
        f"{numfmt.compact_count(lo)}–{numfmt.compact_count(hi)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    return _histogram(
        "Followers of matching creators", labels, counts, BAR, "Followers", "%{x} followers"
    )


def engagement_histogram(edges: np.ndarray, counts: np.ndarray) -> go.Figure:
    """Creators per engagement-rate band, in percent; the last band is open-ended."""
    labels = [
        f"{numfmt.percent(lo, 0)}–{numfmt.percent(hi, 0)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    if labels:
        labels[-1] = f"≥ {numfmt.percent(edges[-2], 0)}"
    return _histogram(
        "Engagement rate of matching creators",
        labels,
        counts,
        ACCENT,
        "Engagement rate (%)",
        "%{x}",
    )
