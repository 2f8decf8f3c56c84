"""History chart builders, checked on the Figure: cumulative views past day 21, ER over time."""

from __future__ import annotations

from datetime import date, timedelta

from ttcm.charts import history

POSTED = date(2026, 11, 1)
DAYS = [POSTED + timedelta(days=d) for d in (1, 10, 20, 22, 30)]


def test_cumulative_views_split_what_tiktok_reported_from_the_kept_values() -> None:
    fig = history.cumulative_views(
        DAYS, [100, 900, 1200, 1200, 1200], [True, True, True, False, False], POSTED, 21
    )
    solid, kept = fig.data
    assert (solid.name, list(solid.x), list(solid.y)) == (
        "Reported by TikTok",
        [1, 10, 20],
        [100, 900, 1200],
    )
    # the kept line starts at the last reported point and runs past day 21
    assert kept.name == history.KEPT and list(kept.x) == [20, 22, 30]
    assert list(kept.y) == [1200, 1200, 1200] and kept.line.dash == "dash"
    assert list(kept.text) == ["2026-11-21", "2026-11-23", "2026-12-01"]
    assert fig.layout.shapes[0].x0 == 21 and fig.layout.annotations[0].text == "day 21"
    assert fig.layout.xaxis.title.text == "Days since posted"


def test_cumulative_views_while_tiktok_still_reports_have_one_line() -> None:
    fig = history.cumulative_views(DAYS[:2], [100, 900], [True, True], None, 21)
    assert [t.name for t in fig.data] == ["Reported by TikTok"]
    assert list(fig.data[0].x) == [0, 9]  # no posting day known: days since the first snapshot
    assert fig.layout.xaxis.title.text == "Days since the first snapshot"


def test_history_charts_without_data_show_only_a_message() -> None:
    for fig in (
        history.cumulative_views([], [], [], POSTED, 21),
        history.cumulative_views([POSTED], [None], [True], POSTED, 21),
        history.engagement_over_time([POSTED], [None]),
    ):
        assert fig.data == () and fig.layout.annotations[0].text
        assert fig.layout.xaxis.visible is False


def test_engagement_over_time_is_in_percent_with_gaps_kept() -> None:
    fig = history.engagement_over_time(DAYS[:3], [0.0512, None, 0.061])
    assert list(fig.data[0].y) == [5.12, None, 6.1]
    assert fig.layout.yaxis.title.text == "Engagement rate (%)"
