"""KPI, pacing, cost and benchmark maths against hand-computed values (pure: no store).

The "spring" campaign used throughout is in tests/builders/performance.py, with its numbers
worked by hand.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from tests.builders.performance import (
    day,
    spring,
    spring_campaign,
    spring_daily,
    spring_orders,
    spring_posts,
)
from ttcm.domain.exchange import Rate, RateTable
from ttcm.domain.performance.audience import campaign_audience, campaign_audiences, parse_target
from ttcm.domain.performance.benchmarks import creator_benchmarks, post_benchmarks
from ttcm.domain.performance.campaign_data import OTHERS, TOTAL, CampaignData, empty_daily
from ttcm.domain.performance.costs import costs, creator_cost
from ttcm.domain.performance.kpis import kpi_progress
from ttcm.domain.performance.overview import overview, summary_rows
from ttcm.domain.performance.pacing import daily_totals, default_as_of, pacing
from ttcm.domain.performance.totals import totals
from ttcm.domain.performance.trends import engagement_rate_by_day, over_time
from ttcm.domain.performance.values import Value, fmt, ratio

D = date(2026, 3, 1)


# ---------------------------------------------------------------- totals and KPIs


def test_totals_are_views_weighted_and_skip_posts_without_the_metric() -> None:
    t = totals(spring_posts())
    assert t.posts == 4 and t.order_posts == 3
    assert t.views == Value(6500.0, "views")
    assert t.engagements.value == 300.0
    assert t.engagements.note == "1 of 4 posts carry no engagement data"
    # 300 engagements over the 6,000 views of the posts that report engagements
    assert t.engagement_rate.value == pytest.approx(0.05)
    assert "3 of 4 posts" in t.engagement_rate.note
    assert t.reach.value == 4900.0
    assert t.views_paid.value == 0.0  # a reported zero stays a zero


def test_kpi_progress_against_the_plan() -> None:
    kpis = {k.key: k for k in kpi_progress(spring())}
    assert kpis["views"].progress == pytest.approx(0.65)
    assert kpis["engagement_rate"].progress == pytest.approx(1.0)
    assert kpis["reach"].progress == pytest.approx(4900 / 8000)
    delivered = kpis["delivered"]
    assert delivered.actual.value == 3 and delivered.target == 3  # dan declined: 2 + 1 ordered
    assert kpis["posts"].progress == pytest.approx(1.0)
    assert "spark" not in kpis  # no Spark Ads target in the plan


def test_kpis_without_targets_or_values_say_why() -> None:
    data = spring(kpi_views=None, kpi_reach=0, kpi_spark_codes=2)
    kpis = {k.key: k for k in kpi_progress(data)}
    assert kpis["views"].progress is None
    assert kpis["views"].reason == "No views target in the campaign plan."
    assert kpis["reach"].progress is None and kpis["reach"].reason == "The reach target is 0."
    assert kpis["spark"].progress == pytest.approx(0.5)


def test_an_empty_campaign_has_no_fake_zeros() -> None:
    data = CampaignData.empty(spring_campaign())
    t = totals(data.posts)
    assert t.posts == 0
    for v in (t.views, t.engagements, t.engagement_rate, t.reach):
        assert v.value is None and v.reason == "No published posts yet."
        assert v.text() == "—"
    kpis = {k.key: k for k in kpi_progress(data, t)}
    assert kpis["views"].progress is None and kpis["views"].reason == "No published posts yet."
    assert kpis["delivered"].reason == "No orders yet."
    ov = overview(data, day(5))
    assert ov.pacing.actual == [] and ov.pacing.reason == "No daily views reported yet."
    assert len(ov.pacing.plan) == 10  # the plan line still shows where the campaign should be
    assert ov.costs.creator_cost.reason.startswith("No orders yet")
    assert ov.costs.budget_cpv.value is None and ov.costs.budget_cpv.reason
    for row in summary_rows(ov):
        if row["value"] is None:
            assert row["note"], row
    assert over_time(data.daily).empty
    assert creator_benchmarks(data.posts).empty
    assert campaign_audience(data.posts, data.audience, "genders") == {}


def test_a_metric_nobody_reports_is_unknown_not_zero() -> None:
    posts = spring_posts()
    posts["reach"] = np.nan
    t = totals(posts)
    assert t.reach.value is None
    assert t.reach.reason == "No post of this campaign reports reach."


# ---------------------------------------------------------------- pacing


def test_pacing_matches_the_hand_computed_line_and_projection() -> None:
    by_day = daily_totals(spring_daily())
    assert list(by_day) == [1000.0, 1100.0, 3900.0]
    p = pacing(by_day, day(1), day(10), 10_000, day(3))
    assert p.actual == [(day(1), 1000.0), (day(2), 2100.0), (day(3), 6000.0)]
    assert p.plan[0] == (day(1), 0.0) and p.plan[-1] == (day(10), 10_000.0)
    assert p.plan[2][1] == pytest.approx(10_000 * 2 / 9)
    assert p.expected_to_date.value == pytest.approx(2222.22, abs=0.01)
    # 6,000 views in 3 days = 2,000 a day; 10 days -> 20,000
    assert p.projected_total.value == pytest.approx(20_000)
    assert p.projection == [(day(3), 6000.0), (day(10), pytest.approx(20_000))]
    assert p.status == "on track"
    behind = pacing(by_day, day(1), day(10), 25_000, day(3))
    assert behind.status == "behind"


def test_pacing_counts_early_views_on_the_start_day_and_stops_at_the_end() -> None:
    by_day = pd.Series({date(2026, 2, 27): 500.0, day(1): 100.0, day(12): 999.0})
    p = pacing(by_day, day(1), day(10), 1000, day(20))
    assert p.as_of == day(10)
    assert p.actual[0] == (day(1), 600.0)
    assert p.actual[-1] == (day(10), 600.0)  # day 12 is after the end date
    assert p.projection == []  # nothing left to project
    assert p.projected_total.value == pytest.approx(600.0)


@pytest.mark.parametrize(
    ("start", "end", "as_of", "reason"),
    [
        (None, day(10), day(3), "Set the campaign's start and end dates to see pacing."),
        (day(10), day(1), day(3), "The campaign ends before it starts"),
        (day(5), day(10), day(3), "The campaign starts on 2026-03-05"),
    ],
)
def test_pacing_without_a_usable_timeline_says_why(start, end, as_of, reason) -> None:
    p = pacing(daily_totals(spring_daily()), start, end, 10_000, as_of)
    assert p.reason.startswith(reason)
    assert p.actual == [] and p.projection == []
    assert p.projected_total.value is None and p.projected_total.reason == p.reason


def test_pacing_of_a_one_day_campaign_and_without_a_target() -> None:
    by_day = pd.Series({day(1): 700.0})
    one = pacing(by_day, day(1), day(1), 1000, day(1))
    assert one.plan == [(day(1), 1000.0)]
    assert one.projected_total.value == 700.0 and one.status == "behind"
    free = pacing(by_day, day(1), day(4), None, day(1))
    assert free.plan == [] and free.status is None
    assert free.projected_total.value == 2800.0
    assert "No views target" in free.reason


def test_default_as_of_is_the_last_reported_day() -> None:
    assert default_as_of(spring_daily(), day(28)) == day(3)
    assert default_as_of(empty_daily(), day(28)) == day(28)


# ---------------------------------------------------------------- costs


def test_costs_on_prices_and_on_budget() -> None:
    t = totals(spring_posts())
    c = costs(spring_campaign(), spring_orders(), t)
    assert c.currency == "USD"
    assert c.creator_cost == Value(500.0, "USD")  # dan declined: his price does not count
    assert c.cpv.value == pytest.approx(500 / 6500)
    assert c.cpe.value == pytest.approx(500 / 300)
    assert c.cpm.value == pytest.approx(500 / 6500 * 1000)
    assert c.budget_cpv.value == pytest.approx(1000 / 6500)
    assert c.budget_cpe.value == pytest.approx(1000 / 300)
    assert c.budget_cpm.value == pytest.approx(1000 / 6500 * 1000)
    assert c.cpe.note == "1 of 4 posts carry no engagement data"


def test_zero_budget_and_zero_views_never_divide() -> None:
    t = totals(spring_posts())
    c = costs(spring_campaign(budget=0.0), spring_orders(), t)
    assert c.budget == Value(0.0, "USD")
    for v in (c.budget_cpv, c.budget_cpe, c.budget_cpm):
        assert v.value is None and "cost is 0" in v.reason
    silent = spring_posts().assign(video_views=0.0, engagement_count=0.0)
    c = costs(spring_campaign(), spring_orders(), totals(silent))
    assert c.cpv.value is None and c.cpv.reason == "No views yet."
    assert c.cpe.value is None and c.cpe.reason == "No engagements yet."


def test_prices_in_another_currency_without_a_rate_are_not_summed() -> None:
    orders = spring_orders()
    orders[1]["currency"] = "ILS"
    c = costs(spring_campaign(), orders, totals(spring_posts()))
    assert c.creator_cost.value is None
    assert "Missing exchange rate to USD for ILS (the fee of @ben)" in c.creator_cost.reason
    assert c.cpv.value is None and c.cpv.reason == c.creator_cost.reason
    assert c.budget_cpv.value is not None  # the budget is still in the campaign's currency


def test_unknown_price_no_currency_no_budget() -> None:
    orders = spring_orders()
    orders[0]["creator_price"] = None
    t = totals(spring_posts())
    assert "No fee or list price is known for @ana" in creator_cost(orders, "USD").reason
    c = costs(spring_campaign(currency=None, budget=None), spring_orders(), t)
    assert c.creator_cost.reason.startswith("The campaign has no currency")
    assert c.budget.reason == "No budget in the campaign plan."
    nocur = costs(spring_campaign(currency=None), spring_orders(), t)
    assert nocur.budget.reason == "The budget has no currency."


# ---------------------------------------------------------------- over time, benchmarks, audience


def test_views_over_time_per_creator_total_and_cumulative() -> None:
    daily = over_time(spring_daily())
    assert list(daily.columns) == ["ana", "ben", TOTAL]
    assert list(daily[TOTAL]) == [1000.0, 1100.0, 3900.0]
    assert math.isnan(daily.loc[day(1), "ben"])  # ben had not posted: a gap, not a zero
    cumulative = over_time(spring_daily(), cumulative=True)
    assert list(cumulative["ana"]) == [1000.0, 2100.0, 3000.0]
    assert list(cumulative[TOTAL]) == [1000.0, 2100.0, 6000.0]
    top1 = over_time(spring_daily(), top=1)  # 3,000 views each: the tie goes by handle
    assert list(top1.columns) == ["ana", OTHERS, TOTAL]
    assert list(top1[OTHERS].fillna(-1)) == [-1, -1, 3000.0]
    eng = over_time(spring_daily(), "engagements")
    assert list(eng[TOTAL]) == [60.0, 60.0, 180.0]
    with pytest.raises(ValueError, match="metric"):
        over_time(spring_daily(), "likes")


def test_pre_summed_other_creators_stay_last_and_are_never_a_leader() -> None:
    daily = spring_daily()
    daily.loc[len(daily)] = (day(1), OTHERS, 99_999.0, 1.0, 1.0, 1.0)
    frame = over_time(daily, top=1)
    assert list(frame.columns) == ["ana", OTHERS, TOTAL]
    assert frame.loc[day(1), OTHERS] == 99_999.0


def test_engagement_rate_by_day() -> None:
    rates = engagement_rate_by_day(spring_daily())
    assert rates[day(1)] == pytest.approx(60 / 1000)
    assert rates[day(3)] == pytest.approx(180 / 3900)


def test_benchmarks_against_campaign_median_and_usual_performance() -> None:
    bench = post_benchmarks(spring_posts()).set_index("video_id")
    # campaign median views = median(2000, 1000, 3000, 500) = 1500
    assert bench.loc["v1", "views_vs_campaign"] == pytest.approx(2000 / 1500)
    assert bench.loc["v1", "views_vs_usual"] == pytest.approx(2.0)
    assert bench.loc["v3", "views_vs_usual"] == pytest.approx(1.5)
    assert math.isnan(bench.loc["v4", "views_vs_usual"])  # cat's usual views are unknown
    # engagement-rate median over the posts that report it: median(0.06, 0.03, 0.05) = 0.05
    assert bench.loc["v2", "er_vs_campaign"] == pytest.approx(0.6)
    assert bench.loc["v3", "er_vs_usual"] == pytest.approx(0.05 / 0.04)
    per_creator = creator_benchmarks(spring_posts()).set_index("handle_name")
    assert list(per_creator.index) == ["ana", "ben", "cat"]  # by views
    assert per_creator.loc["ana", "posts"] == 2
    assert per_creator.loc["ana", "views_vs_usual"] == pytest.approx(1.5)  # median of 2.0, 1.0


def test_campaign_audience_is_weighted_by_views() -> None:
    data = spring()
    shares = campaign_audience(data.posts, data.audience, "genders")
    assert shares == pytest.approx({"FEMALE": 0.7, "MALE": 0.3})
    assert list(shares) == ["FEMALE", "MALE"]
    assert campaign_audience(data.posts, data.audience, "ages") == {}
    assert set(campaign_audiences(data.posts, data.audience)) == {"genders"}


@pytest.mark.parametrize(
    ("raw", "parsed", "problem"),
    [
        (None, {}, None),
        ({"gender": {"FEMALE": 0.7}}, {"genders": {"FEMALE": 0.7}}, None),
        ({"ages": [["18-24", 0.5], ["25-34", 0.5]]}, {"ages": {"18-24": 0.5, "25-34": 0.5}}, None),
        ({"countries": ["US", "GB"]}, {"countries": {"US": 0.5, "GB": 0.5}}, None),
        ({"moods": {"happy": 1}}, {}, "unknown dimension 'moods'"),
        ({"ages": {"18-24": 60}}, {}, "shares are fractions"),
        ("everyone", {}, "not a mapping"),
        ({"ages": "<script>"}, {}, "no usable"),
    ],
)
def test_parse_target(raw, parsed, problem) -> None:
    target, problems = parse_target(raw)
    assert target == parsed
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


# ---------------------------------------------------------------- the overview and formatting


def test_overview_and_summary_rows() -> None:
    ov = overview(spring(), day(3))
    rows = {(r["section"], r["metric"]): r for r in summary_rows(ov)}
    assert rows[("totals", "Views")]["value"] == 6500.0
    assert rows[("kpi", "Views")]["progress"] == pytest.approx(0.65)
    assert rows[("pacing", "Projected views at end date")]["progress"] == pytest.approx(2.0)
    assert rows[("costs", "CPM (fees)")]["value"] == pytest.approx(76.923, abs=1e-3)
    assert ov.ordered_videos == 3


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (None, "views", "—"),
        (float("nan"), "views", "—"),
        (6500.0, "views", "6,500 views"),
        (0.0512, "%", "5.12%"),
        (0.0769, "USD", "0.0769 USD"),
        (1234.5, "USD", "1,234.50 USD"),
        (9.13, "s", "9.1 s"),
        (75.4, "s", "1:15"),
        (2.5, "", "2.50"),
        (3.0, "", "3"),
        (57_404.25, "views", "57,404 views"),
    ],
)
def test_fmt(value, unit, text) -> None:
    assert fmt(value, unit) == text


def test_fmt_without_the_unit_of_a_count() -> None:
    assert fmt(16_147, "views", with_unit=False) == "16,147"
    assert fmt(0.05, "%", with_unit=False) == "5.00%"
    assert fmt(12.5, "USD", with_unit=False) == "12.50 USD"


def test_ratio_never_divides_by_zero() -> None:
    assert ratio(1, 0) is None
    assert ratio(None, 2) is None
    assert ratio(1, float("nan")) is None
    assert ratio(1, 4) == 0.25


def test_views_the_daily_stats_do_not_cover_yet_are_named() -> None:
    """Pacing adds up daily stats, which lag the lifetime counters the KPIs use: say by how much."""
    ov = overview(spring(), day(3))
    assert ov.totals.views.value == 6500 and ov.pacing.to_date.value == 6000
    assert ov.views_not_daily == Value(
        500.0, "views", note="in the totals, not yet in TikTok's daily stats (through 2026-03-03)"
    )
    rows = {r["metric"]: r for r in summary_rows(ov) if r["section"] == "pacing"}
    assert rows["Views not yet in daily stats"]["value"] == 500.0
    posts = spring_posts()  # without the hand-added post (no daily stats) both agree
    same = CampaignData(spring_campaign(), posts[posts["tracking"] == "order"], spring_daily())
    assert overview(same, day(3)).views_not_daily is None


# ---------------------------------------------------------------- agreed fees and declines


def _table() -> RateTable:
    return RateTable(
        [
            Rate("USD", day(1) - timedelta(days=30), 1.0),
            Rate("EUR", day(1) - timedelta(days=30), 0.5),  # 1 EUR = 2 USD
            Rate("EUR", day(3), 0.8),  # from day 3: 1 EUR = 1.25 USD
        ]
    )


def test_costs_use_the_agreed_fee_converted_at_the_dated_rate() -> None:
    orders = spring_orders()
    orders[0].update(agreed_fee=100.0, fee_currency="EUR")  # ana: 100 EUR agreed, not 300 USD
    t = totals(spring_posts())
    early = costs(spring_campaign(), orders, t, _table(), day(2))
    assert early.creator_cost.value == pytest.approx(200.0 + 200.0)  # 100 EUR = 200 USD, ben 200
    assert "1 of 2 fees agreed" in early.creator_cost.note
    assert "EUR converted at the rates of" in early.creator_cost.note
    later = costs(spring_campaign(), orders, t, _table(), day(3))
    assert later.creator_cost.value == pytest.approx(125.0 + 200.0)
    assert later.cpv.value == pytest.approx(325.0 / 6500)
    assert later.cpm.value == pytest.approx(325.0 / 6500 * 1000)
    assert later.spend_vs_budget == Value(pytest.approx(0.325), "%")
    assert later.remaining_budget.value == pytest.approx(675.0)


def test_a_fee_without_a_rate_is_named_and_never_summed() -> None:
    orders = spring_orders()
    orders[1].update(agreed_fee=50_000.0, fee_currency="JPY")
    c = costs(spring_campaign(), orders, totals(spring_posts()), _table(), day(3))
    assert c.creator_cost.value is None
    assert "JPY (the fee of @ben)" in c.creator_cost.reason
    assert c.cpv.value is None and c.spend_vs_budget.value is None
    assert c.remaining_budget.value is None and "JPY" in c.remaining_budget.reason


def test_over_budget_shows_a_negative_remainder_not_zero() -> None:
    orders = spring_orders()
    orders[0].update(agreed_fee=1500.0, fee_currency="USD")
    c = costs(spring_campaign(), orders, totals(spring_posts()))
    assert c.remaining_budget.value == pytest.approx(1000 - 1700)
    assert c.remaining_budget.note == "over budget"
    assert c.spend_vs_budget.value == pytest.approx(1.7)


def test_delivered_vs_ordered_names_the_declined_orders() -> None:
    ov = overview(spring(), day(3))
    delivered = {k.key: k for k in ov.kpis}["delivered"]
    assert "declined orders not counted" in delivered.label
    assert ov.ordered_videos == 3 and ov.declined_videos == 1
    assert delivered.actual.note == "4 ordered, 1 declined: over the 3 that stand"


def test_every_order_declined_says_so() -> None:
    data = spring()
    data.orders = [dict(o, status="DECLINED") for o in data.orders]
    delivered = {k.key: k for k in kpi_progress(data)}["delivered"]
    assert delivered.progress is None and delivered.reason == "Every order was declined (4 videos)."


def test_a_hand_added_post_without_publish_time_is_named_not_a_pacing_gap() -> None:
    """Issue 11: pacing can't place a hand-added post with no publish time; say so, by name."""
    posts = spring_posts()
    posts["create_time"] = posts["create_time"].astype("object")
    posts.loc[posts["video_id"] == "v4", "create_time"] = None
    ov = overview(CampaignData(spring_campaign(), posts, spring_daily()), day(3))
    assert ov.views_undated is not None and ov.views_undated.value == 500.0
    assert "@cat" in (ov.views_undated.note or "") and "no publish time" in ov.views_undated.note
    assert ov.views_not_daily is None  # the 500 views are these, not a reporting lag
    rows = {r["metric"]: r for r in summary_rows(ov) if r["section"] == "pacing"}
    assert rows["Views of hand-added posts without a publish time"]["value"] == 500.0
    assert overview(spring(), day(3)).views_undated is None  # dated posts: nothing to name
