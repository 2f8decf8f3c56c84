"""What every chart shares: colours, the empty state, one-call figure layout, axes and lines.

Rates and shares arrive as fractions and are drawn in percent; every axis names its unit. Each
figure is built from one layout dict and numpy arrays: plotly validates those far faster than
element-by-element lists and `update_*` calls, which matters for a page that redraws on rerun.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

BAR = "#25F4EE"
ACCENT = "#FE2C55"
GREY = "#8A8B91"
LAYOUT = {
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
            "margin": LAYOUT["margin"],
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
# Axes grow their margins to fit tick labels and titles (`automargin`), so these are minimums.
# They start where a titled axis's labels usually end in Streamlit's font (measured in chromium:
# left up to 90 px, bottom 65 px, 120 px with a legend below): a margin that has to grow makes
# plotly draw the whole figure a second time, about a third of each chart's drawing time.
MARGIN = {"l": 92, "r": 10, "t": 50, "b": 68}
MARGIN_LEGEND_BELOW = {**MARGIN, "b": 124}
# the legend goes under the plot, where it can wrap without covering the title: at the
# figure's bottom edge, in the bottom margin, so it never meets the x axis's title however
# short the plot is (a place relative to the plot's height did on a two-bar chart)
LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "yanchor": "bottom",
    "y": 0.01,
    "xanchor": "left",
    "x": 0,
}


def figure(
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
        "margin": MARGIN_LEGEND_BELOW if below else MARGIN,
        "height": height + (70 if below else 0),
        "showlegend": bool(legend),
        "xaxis": xaxis,
        "yaxis": yaxis,
        "shapes": list(shapes),
        **layout,
    }
    if legend:
        spec["legend"] = LEGEND_BELOW
    return go.Figure(data=list(traces), layout=spec)


def axis(title: str | None, **extra: Any) -> dict[str, Any]:
    """An axis spec that grows its margin to fit its labels, titled when `title` is given."""
    spec = {"automargin": True, **extra}
    return {"title": {"text": title}, **spec} if title else spec


def rule(axis: str, at: float) -> dict[str, Any]:
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


def floats(values: Any, scale: float = 1.0) -> np.ndarray:
    """Numbers as a float array (None and NaN become gaps), times `scale`."""
    out = np.array([np.nan if v is None else v for v in values], dtype="float64")
    return out * scale


def days(index: Any) -> np.ndarray:
    """Day labels as datetime64 values plotly draws on a date axis."""
    return pd.to_datetime(pd.Index(index)).to_numpy()


def day_axis(n_days: int) -> dict[str, Any]:
    """An x axis of calendar days: at most one tick a day, never an hour between two days."""
    return axis(
        "Day",
        type="date",
        tickformat="%b %d",
        hoverformat="%Y-%m-%d",
        nticks=min(max(n_days, 2), 10),
    )


def wrapped(label: str, width: int = 26) -> str:
    """A long category label broken into lines (plotly's <br>) so no axis cuts it off."""
    return "<br>".join(textwrap.wrap(label, width)) or label


def rate_line(x: Any, percents: Any) -> go.Scatter:
    """A daily rate in percent as one line with markers; a day without a rate stays a gap."""
    return go.Scatter(
        x=x,
        y=percents,
        mode="lines+markers",
        line={"color": ACCENT},
        connectgaps=False,
        hovertemplate="%{x|%Y-%m-%d}: %{y:.2f} %<extra></extra>",
    )
