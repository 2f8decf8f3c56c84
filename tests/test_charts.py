"""Discovery and profile chart builders: a chart without data shows only its empty state."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from ttcm import charts

EDGES = np.array([1e3, 1e4, 1e5])

EMPTY = {
    "followers": lambda: charts.follower_histogram(EDGES, np.array([0, 0])),
    "engagement": lambda: charts.engagement_histogram(np.array([0.0, 0.05, 0.1]), np.zeros(2)),
    "growth (no days)": lambda: charts.follower_growth([], []),
    "growth (gaps only)": lambda: charts.follower_growth([date(2026, 3, 1)], [None]),
    "audience": lambda: charts.audience_shares("Age", [], "Age band"),
}


@pytest.mark.parametrize("build", EMPTY.values(), ids=EMPTY.keys())
def test_a_chart_without_data_has_no_axes_only_a_message(build) -> None:
    fig = build()
    assert fig.data == ()
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.title.text and fig.layout.annotations[0].text


def test_a_chart_with_data_keeps_its_axes() -> None:
    fig = charts.follower_growth([date(2026, 3, 1)], [1200])
    assert len(fig.data) == 1 and fig.layout.xaxis.visible is not False
    assert not fig.layout.annotations
