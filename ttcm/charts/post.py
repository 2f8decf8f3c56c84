"""One post's charts: views by traffic source and organic vs paid views."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from ttcm.charts.base import ACCENT, BAR, axis, figure, floats, has_values


def traffic_sources(sources: Mapping[str, int | None]) -> go.Figure:
    """Views of one post by traffic source (For You, search, …), largest first."""
    known = sorted(((k, v) for k, v in sources.items() if v is not None), key=lambda kv: -kv[1])
    bar = go.Bar(
        x=floats([v for _, v in known]),
        y=[k.replace("_", " ").capitalize() for k, _ in known],
        orientation="h",
        marker={"color": BAR},
        hovertemplate="%{y}: %{x:,} views<extra></extra>",
    )
    return figure(
        [bar],
        "Views by traffic source",
        axis("Views", rangemode="tozero"),
        axis("Traffic source", autorange="reversed"),
        legend=False,
        empty=None if has_values(bar.x) else "No traffic sources reported",
    )


def organic_paid(organic: float | None, paid: float | None) -> go.Figure:
    """Organic vs paid (Spark Ads) views of a post or the campaign."""
    parts = [(name, v) for name, v in (("Organic", organic), ("Paid", paid)) if v is not None]
    bar = go.Bar(
        x=[name for name, _ in parts],
        y=floats([v for _, v in parts]),
        marker={"color": [BAR if name == "Organic" else ACCENT for name, _ in parts]},
        hovertemplate="%{x}: %{y:,} views<extra></extra>",
    )
    return figure(
        [bar],
        "Organic vs paid views",
        axis("Traffic"),
        axis("Views", rangemode="tozero"),
        legend=False,
        empty=None if has_values(bar.y) else "No organic/paid split reported",
    )
