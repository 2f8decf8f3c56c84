"""Profile chart builders: a chart without data shows only its empty state."""

from __future__ import annotations

from datetime import date

import pytest

from ttcm.charts import creator

EMPTY = {
    "growth (no days)": lambda: creator.follower_growth([], []),
    "growth (gaps only)": lambda: creator.follower_growth([date(2026, 3, 1)], [None]),
    "audience": lambda: creator.audience_shares("Age", [], "Age band"),
}


@pytest.mark.parametrize("build", EMPTY.values(), ids=EMPTY.keys())
def test_a_chart_without_data_has_no_axes_only_a_message(build) -> None:
    fig = build()
    assert fig.data == ()
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.title.text and fig.layout.annotations[0].text


def test_a_chart_with_data_keeps_its_axes() -> None:
    fig = creator.follower_growth([date(2026, 3, 1)], [1200])
    assert len(fig.data) == 1 and fig.layout.xaxis.visible is not False
    assert not fig.layout.annotations


def test_creator_audience_is_labelled_and_in_natural_order() -> None:
    genders = creator.audience_shares(
        "Gender", [("MALE", 0.3), ("FEMALE", 0.6), ("OTHER", 0.1)], "Gender"
    )
    assert list(genders.data[0].y)[::-1] == ["Female", "Male", "Other"]  # first bar on top
    ages = creator.audience_shares("Age", [("25-34", 0.5), ("18-24", 0.3), ("55+", 0.2)], "Age")
    assert list(ages.data[0].y)[::-1] == ["18-24", "25-34", "55+"]
