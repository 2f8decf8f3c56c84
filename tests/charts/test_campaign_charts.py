"""Chart builders checked on the returned Figure: traces, values, axis titles and units."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from tests.builders.performance import day, spring, spring_daily
from ttcm.charts import audience, base, campaign, post
from ttcm.domain.performance.audience import campaign_audience
from ttcm.domain.performance.benchmarks import creator_benchmarks
from ttcm.domain.performance.campaign_data import OTHERS, CampaignData, empty_daily, empty_posts
from ttcm.domain.performance.kpis import DELIVERED_LABEL, kpi_progress
from ttcm.domain.performance.overview import overview
from ttcm.domain.performance.trends import engagement_rate_by_day, over_time


def values(trace, axis: str = "y") -> list:
    """A trace's values as plain floats (None for gaps)."""
    return [None if pd.isna(v) else float(v) for v in getattr(trace, axis)]


def axis_title(fig, axis: str) -> str | None:
    return getattr(fig.layout, axis).title.text


def message(fig) -> str | None:
    notes = fig.layout.annotations
    return notes[0].text if notes else None


def test_kpi_progress_in_percent_of_target() -> None:
    kpis = kpi_progress(spring())
    fig = campaign.kpi_progress(kpis)
    [bar] = fig.data
    assert list(bar.y) == [
        "Views",
        "Engagement rate",
        "Reach",
        "Posts delivered vs ordered<br>(declined orders not<br>counted)",
        "Published posts",
    ]
    assert values(bar, "x") == [65.0, 100.0, 61.3, 100.0, 100.0]
    assert axis_title(fig, "xaxis") == "Progress (% of target)"
    assert fig.layout.xaxis.ticksuffix == " %"
    assert [s.x0 for s in fig.layout.shapes] == [100]  # the "target reached" line
    assert bar.customdata[0][0] == "6,500 views" and bar.customdata[0][1] == "10,000 views"


def test_a_long_kpi_label_is_wrapped_not_cut() -> None:
    """Issue 11: "Posts delivered vs ordered (declined orders not counted)" was cut off."""
    fig = campaign.kpi_progress(kpi_progress(spring()))
    labels = list(fig.data[0].y)
    long = next(label for label in labels if label.startswith("Posts delivered"))
    assert long.replace("<br>", " ") == DELIVERED_LABEL
    assert max(len(line) for label in labels for line in label.split("<br>")) <= 26


def test_kpi_progress_leaves_out_kpis_without_a_target() -> None:
    fig = campaign.kpi_progress(kpi_progress(spring(kpi_views=None, kpi_posts=None)))
    assert "Views" not in list(fig.data[0].y)
    empty = campaign.kpi_progress([])
    assert message(empty) == "No KPI has both a target and a value yet"


def test_pacing_has_plan_actual_and_projection() -> None:
    ov = overview(spring(), day(3))
    fig = campaign.pacing(ov.pacing)
    assert [t.name for t in fig.data] == ["Plan", "Actual", "Projection"]
    plan, actual, projection = fig.data
    assert values(actual) == [1000.0, 2100.0, 6000.0]
    assert values(plan)[0] == 0.0 and values(plan)[-1] == 10_000.0
    assert values(projection) == [6000.0, 20_000.0]
    assert pd.Timestamp(projection.x[-1]).date() == date(2026, 3, 10)
    assert axis_title(fig, "xaxis") == "Day"
    assert axis_title(fig, "yaxis") == "Cumulative views"
    assert plan.line.dash == "dash" and projection.line.dash == "dot"


def test_pacing_without_dates_shows_the_reason() -> None:
    ov = overview(spring(start_date=None), day(3))
    fig = campaign.pacing(ov.pacing)
    assert fig.data == ()
    assert message(fig) == "Set the campaign's start and end dates to see pacing."


def test_views_over_time_lines_per_creator_and_total() -> None:
    frame = over_time(spring_daily(), cumulative=True)
    fig = campaign.over_time(frame, "Views", cumulative=True)
    assert [t.name for t in fig.data] == ["@ana", "@ben", "Total"]
    assert values(fig.data[2]) == [1000.0, 2100.0, 6000.0]
    assert values(fig.data[1])[0] is None  # a gap before ben's first report
    assert fig.data[2].line.width == 3
    assert fig.layout.title.text == "Cumulative views"
    assert axis_title(fig, "yaxis") == "Views (cumulative)"
    # calendar days: at most a tick a day (never "Nov 25, Nov 25" for a midday tick)
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.nticks == 3
    assert fig.layout.xaxis.tickformat == "%b %d"
    daily = campaign.over_time(over_time(spring_daily(), "engagements"), "Engagements",
                             cumulative=False)  # fmt: skip
    assert daily.layout.title.text == "Daily engagements"
    assert axis_title(daily, "yaxis") == "Engagements (per day)"
    assert values(daily.data[-1]) == [60.0, 60.0, 180.0]


def test_other_creators_are_grey() -> None:
    frame = over_time(spring_daily(), top=1)
    fig = campaign.over_time(frame, "Views", cumulative=False)
    others = next(t for t in fig.data if t.name == OTHERS)
    assert others.line.color == base.GREY


def test_empty_time_series() -> None:
    fig = campaign.over_time(over_time(empty_daily()), "Views", cumulative=True)
    assert message(fig) == "No daily views reported yet"


def _blank_daily() -> pd.DataFrame:
    """Daily rows that carry no numbers (a day reported with every metric missing)."""
    return pd.DataFrame(
        {"day": [day(1), day(2)], "handle_name": ["ana", "ana"], "views": [np.nan, np.nan],
         "likes": [np.nan] * 2, "comments": [np.nan] * 2, "shares": [np.nan] * 2}
    )  # fmt: skip


def _blank_bench() -> pd.DataFrame:
    return pd.DataFrame(
        {"handle_name": ["ana"], "posts": [1], "video_views": [np.nan],
         "views_vs_campaign": [np.nan], "views_vs_usual": [np.nan],
         "er_vs_campaign": [np.nan], "er_vs_usual": [np.nan]}
    )  # fmt: skip


EMPTY_CHARTS = {
    "kpis": lambda: campaign.kpi_progress([]),
    "pacing": lambda: campaign.pacing(overview(CampaignData.empty({}), day(3)).pacing),
    "views (no rows)": lambda: campaign.over_time(
        over_time(empty_daily()), "Views", cumulative=True
    ),
    "engagements (blank rows)": lambda: campaign.over_time(
        over_time(_blank_daily(), "engagements"), "Engagements", cumulative=False
    ),
    "engagement rate (no rows)": lambda: campaign.engagement_rate_by_day(
        engagement_rate_by_day(empty_daily())
    ),
    "engagement rate (blank rows)": lambda: campaign.engagement_rate_by_day(
        engagement_rate_by_day(_blank_daily())
    ),
    "benchmark (no rows)": lambda: campaign.creator_benchmark(creator_benchmarks(empty_posts())),
    "benchmark (blank ratios)": lambda: campaign.creator_benchmark(_blank_bench()),
    "retention (none)": lambda: campaign.retention([]),
    "retention (empty curve)": lambda: campaign.retention([("@ana", [])]),
    "audience": lambda: audience.audience_vs_target("ages", "Age", {}, None),
    "audience (blank shares)": lambda: audience.audience_vs_target(
        "ages", "Age", {"18-24": np.nan}, None
    ),
    "traffic sources": lambda: post.traffic_sources({"for_you": None}),
    "organic/paid": lambda: post.organic_paid(None, None),
}


@pytest.mark.parametrize("build", EMPTY_CHARTS.values(), ids=EMPTY_CHARTS.keys())
def test_a_chart_without_data_shows_only_its_empty_state(build) -> None:
    """No -1…1 axes, grid or reference line: the title and a message saying why."""
    fig = build()
    assert fig.layout.title.text
    assert message(fig)
    assert fig.data == ()
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.shapes == ()


def test_engagement_rate_by_day_in_percent() -> None:
    fig = campaign.engagement_rate_by_day(engagement_rate_by_day(spring_daily()))
    assert values(fig.data[0]) == pytest.approx([6.0, 60 / 1100 * 100, 180 / 3900 * 100], abs=1e-3)
    assert axis_title(fig, "yaxis") == "Engagement rate (%)"


def test_creator_benchmark_bars_in_percent() -> None:
    fig = campaign.creator_benchmark(creator_benchmarks(spring().posts))
    vs_campaign, vs_usual = fig.data
    assert list(vs_campaign.x) == ["@ana", "@ben", "@cat"]
    assert vs_campaign.name == "vs campaign median"
    assert values(vs_usual) == [150.0, 150.0, None]  # cat's usual views are unknown
    assert values(vs_campaign)[1] == 200.0  # 3,000 / 1,500
    assert fig.layout.barmode == "group"
    assert axis_title(fig, "yaxis") == "Views per post (% of benchmark)"
    assert [s.y0 for s in fig.layout.shapes] == [100]


def test_retention_curves_in_percent_per_second() -> None:
    fig = campaign.retention([("@ana · …1", [1.0, 0.5, 0.25]), ("@ben · …2", [1.0, 0.8])])
    assert [t.name for t in fig.data] == ["@ana · …1", "@ben · …2"]
    assert values(fig.data[0]) == [100.0, 50.0, 25.0]
    assert list(fig.data[1].x) == [0, 1]
    assert axis_title(fig, "xaxis") == "Second of the video (s)"
    assert axis_title(fig, "yaxis") == "Viewers still watching (%)"
    assert tuple(fig.layout.yaxis.range) == (0, 100)
    assert message(campaign.retention([])) == "No post reports view retention"


def test_audience_vs_target() -> None:
    data = spring()
    shares = campaign_audience(data.posts, data.audience, "genders")
    target = {"FEMALE": 0.7, "MALE": 0.2, "OTHER": 0.1}
    fig = audience.audience_vs_target("genders", "Gender", shares, target)
    mine, goal = fig.data
    assert list(mine.y) == ["Female", "Male", "Other"]  # labels for people, not TikTok's codes
    assert values(mine, "x") == [70.0, 30.0, None]  # no viewer share for OTHER: a gap
    assert values(goal, "x") == [70.0, 20.0, 10.0]
    assert fig.layout.title.text == "Audience by gender vs target"
    assert axis_title(fig, "xaxis") == "Share of viewers (%)"
    alone = audience.audience_vs_target("ages", "Age", {"18-24": 0.6}, None)
    assert len(alone.data) == 1 and alone.layout.title.text == "Audience by age"


def test_audience_ages_are_in_natural_order_and_codes_are_labelled() -> None:
    shares = {"35-44": 0.1, "18-24": 0.4, "55+": 0.05, "25-34": 0.3, "AGE_13_17": 0.15}
    fig = audience.audience_vs_target("ages", "Age", shares, {"25-34": 0.5, "18-24": 0.5})
    assert list(fig.data[0].y) == ["13-17", "18-24", "25-34", "35-44", "55+"]
    assert values(fig.data[1], "x") == [None, 50.0, 50.0, None, None]
    genders = audience.post_audience("genders", "Gender", [["MALE", 0.4], ["FEMALE", 0.6]])
    assert list(genders.data[0].y) == ["Female", "Male"]


def test_post_charts() -> None:
    sources = post.traffic_sources({"for_you": 100, "search": 300, "sound": None})
    assert list(sources.data[0].y) == ["Search", "For you"]
    assert values(sources.data[0], "x") == [300.0, 100.0]
    assert axis_title(sources, "xaxis") == "Views"
    split = post.organic_paid(900, 100)
    assert list(split.data[0].x) == ["Organic", "Paid"] and values(split.data[0]) == [900, 100]
    assert message(post.organic_paid(None, None)) == "No organic/paid split reported"
    ages = audience.post_audience("ages", "Age", [["25-34", 0.3], ["18-24", 0.7]])
    assert list(ages.data[0].y) == ["18-24", "25-34"]
    assert ages.data[0].name == "Viewers of this post" and not ages.layout.showlegend
    assert values(ages.data[0], "x") == [70.0, 30.0]


def test_builders_are_pure() -> None:
    frame = over_time(spring_daily())
    before = frame.copy()
    campaign.over_time(frame, "Views", cumulative=False)
    pd.testing.assert_frame_equal(frame, before)
    a = campaign.pacing(overview(spring(), day(3)).pacing).to_json()
    b = campaign.pacing(overview(spring(), day(3)).pacing).to_json()
    assert a == b
    assert np.isfinite(values(campaign.kpi_progress(kpi_progress(spring())).data[0], "x")).all()
