"""Audience charts: a campaign's or a post's viewers per breakdown, beside the brand's target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from ttcm.charts.base import ACCENT, BAR, axis, figure, floats, has_values
from ttcm.domain.performance.audience import shown_shares


def _keys(dimension: str, campaign: Mapping[str, float], target: Mapping[str, float]) -> list[str]:
    """The keys of both sides in the dimension's order (ages youngest first, others by share)."""
    union = dict(campaign)
    union.update({k: 0.0 for k in target if k not in campaign})
    return [k for k, _ in shown_shares(dimension, union.items())]


def audience_vs_target(
    dimension: str,
    label: str,
    campaign: Mapping[str, float],
    target: Mapping[str, float] | None,
    *,
    name: str = "Campaign audience",
) -> go.Figure:
    """Grouped horizontal bars: the campaign's audience share per key beside the brand's target.

    Keys are shown as people read them (FEMALE -> Female) and in the dimension's natural order.
    """
    mine = dict(shown_shares(dimension, campaign.items()))
    goal = dict(shown_shares(dimension, (target or {}).items()))
    keys = _keys(dimension, mine, goal)[:15]
    bars = [
        go.Bar(
            y=keys,
            x=np.round(floats([mine.get(k) for k in keys], 100), 1),
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
                x=np.round(floats([goal.get(k) for k in keys], 100), 1),
                orientation="h",
                name="Target",
                marker={"color": ACCENT},
                hovertemplate="%{y}: target %{x:.1f} %<extra></extra>",
            )
        )
    return figure(
        bars,
        f"Audience by {label.lower()}" + (" vs target" if target else ""),
        axis("Share of viewers (%)", range=[0, 100], ticksuffix=" %"),
        axis(label, autorange="reversed", type="category"),
        height=max(220, 80 + 28 * len(keys) * (2 if target else 1)),
        legend=bool(target),
        barmode="group",
        empty=None if has_values(*(b.x for b in bars)) else "No audience data reported yet",
    )


def post_audience(dimension: str, label: str, shares: Sequence[Sequence[object]]) -> go.Figure:
    """One post's audience in one dimension ([[key, share]], shares as fractions), in percent."""
    pairs = [(str(k), float(v)) for k, v in shares]  # type: ignore[arg-type]
    return audience_vs_target(dimension, label, dict(pairs), None, name="Viewers of this post")
