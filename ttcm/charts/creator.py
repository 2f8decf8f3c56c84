"""A creator's profile charts: follower growth and their audience."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import plotly.graph_objects as go

from ttcm.charts.base import ACCENT, BAR, LAYOUT, empty_figure, has_values
from ttcm.domain.performance.audience import shown_shares


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
    fig.update_layout(title="Follower growth", **{**LAYOUT, "height": 280})
    fig.update_xaxes(title="Day")
    fig.update_yaxes(title="Followers")
    return fig


def audience_shares(title: str, shares: Sequence[tuple[str, float]], unit_label: str) -> go.Figure:
    """A creator's audience shares in percent: labelled, in the natural order (`unit_label` names
    the dimension: Gender, Age, Countries, …), else largest first; the first bar is on top."""
    if not has_values([p for _, p in shares]):
        return empty_figure(title, "No audience data reported yet")
    ordered = shown_shares(unit_label, ((str(k), float(p)) for k, p in shares))[::-1]
    fig = go.Figure(
        go.Bar(
            x=[round(p * 100, 1) for _, p in ordered],
            y=[k for k, _ in ordered],
            orientation="h",
            marker_color=BAR,
            hovertemplate="%{y}: %{x:.1f} %<extra></extra>",
        )
    )
    fig.update_layout(title=title, **{**LAYOUT, "height": max(180, 40 + 26 * len(ordered))})
    fig.update_xaxes(title="Share of audience (%)", range=[0, 100])
    fig.update_yaxes(title=unit_label)
    return fig
