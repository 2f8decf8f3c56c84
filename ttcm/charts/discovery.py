"""Discovery charts: how the matching creators spread over followers and engagement."""

from __future__ import annotations

import numpy as np

from ttcm.charts.bands import Bands, bands
from ttcm.charts.base import ACCENT, BAR
from ttcm.domain import format as numfmt


def follower_histogram(edges: np.ndarray, counts: np.ndarray) -> Bands:
    """Creators per follower band (log bins), labelled '10k–18k'."""
    labels = [
        f"{numfmt.compact_count(lo)}–{numfmt.compact_count(hi)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    return bands(
        "Followers of matching creators", labels, counts, BAR, "{} followers", "follower count"
    )


def engagement_histogram(edges: np.ndarray, counts: np.ndarray) -> Bands:
    """Creators per engagement-rate band, in percent; the last band is open-ended."""
    labels = [
        f"{numfmt.percent(lo, 0)}–{numfmt.percent(hi, 0)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    if labels:
        labels[-1] = f"≥ {numfmt.percent(edges[-2], 0)}"
    return bands(
        "Engagement rate of matching creators",
        labels,
        counts,
        ACCENT,
        "an engagement rate of {}",
        "engagement rate",
    )
