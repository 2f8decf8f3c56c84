"""ttcm/domain/formula.py over ttcm/rules/formulas.json: every metric against hand-computed values,
with each input missing or 0, and the data's consistency."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from ttcm import rules
from ttcm.domain import formula
from ttcm.domain.exchange import Rate, RateTable
from ttcm.domain.projection import explain as explain_selection
from ttcm.domain.projection import project

PROJECT = Path(__file__).resolve().parents[2]


def value(metric: str, inputs) -> float:
    result = formula.evaluate(metric, inputs)
    assert isinstance(result, formula.Computed), result
    return result.value


def gaps(metric: str, inputs) -> list[tuple[str, str]]:
    result = formula.evaluate(metric, inputs)
    assert isinstance(result, formula.Missing), result
    return [(g.input, g.kind) for g in result.gaps]


# ---------------------------------------------------------------- hand-computed values

POST = {"likes": 1204, "comments": 88, "shares": 41, "views": 18330}


def test_engagement_rate_of_a_post_from_its_counters() -> None:
    assert value("engagements", POST) == 1333  # 1,204 + 88 + 41
    assert value("engagement_rate", POST) == pytest.approx(1333 / 18330)  # 0.072722...
    assert formula.explain("engagement_rate", POST) == (
        "ER = (likes 1,204 + comments 88 + shares 41) ÷ views 18,330 = 7.27%"
    )


def test_engagement_rate_of_given_engagements() -> None:
    inputs = {"engagements": 650, "views": 13_000}
    assert value("engagement_rate", inputs) == 0.05
    assert formula.explain("engagement_rate", inputs) == (
        "ER = engagements 650 ÷ views 13,000 = 5.00%"
    )


@pytest.mark.parametrize("name", ["likes", "comments", "shares", "views"])
def test_engagement_rate_names_each_missing_counter(name: str) -> None:
    inputs = {**POST, name: None}
    assert gaps("engagement_rate", inputs) == [(name, "missing")]
    assert formula.explain("engagement_rate", inputs) == f"ER is unavailable: {name} is missing"


def test_engagement_rate_of_no_views_is_unavailable_not_zero() -> None:
    assert formula.explain("engagement_rate", {**POST, "views": 0}) == (
        "ER is unavailable: views is 0"
    )
    # a given engagements of None is missing, not recomputed from counters that are absent
    assert gaps("engagement_rate", {"engagements": None, "views": 10}) == [
        ("engagements", "missing")
    ]
    # 0 engagements is a real 0 % (only views must be non-zero)
    assert value("engagement_rate", {"engagements": 0, "views": 10}) == 0.0


def test_reach_rate_and_its_gaps() -> None:
    inputs = {"reach": 1500, "views": 2000}
    assert value("reach_rate", inputs) == 0.75
    assert formula.explain("reach_rate", inputs) == (
        "Reach rate = reach 1,500 ÷ views 2,000 = 75.00%"
    )
    assert gaps("reach_rate", {"reach": None, "views": 2000}) == [("reach", "missing")]
    assert gaps("reach_rate", {"reach": 10, "views": 0}) == [("views", "zero")]


def test_completion_rate_is_tiktoks_figure_said_so() -> None:
    assert value("completion_rate", {"completion_rate": 0.412}) == 0.412
    assert formula.explain("completion_rate", {"completion_rate": 0.412}) == (
        "Completion rate = 41.20% (reported by TikTok: the share of plays watched to the end; "
        "ttcm does not compute it)"
    )
    assert formula.explain("completion_rate", {}) == (
        "Completion rate is unavailable: completion rate is missing"
    )


def test_account_engagement_rate_is_tiktoks_figure() -> None:
    assert value("account_engagement_rate", {"engagement_rate": 0.05}) == 0.05
    assert gaps("account_engagement_rate", {"engagement_rate": None}) == [
        ("engagement_rate", "missing")
    ]


def test_follower_growth() -> None:
    inputs = {"followers_now": 1200, "followers_first": 1000}
    assert value("followers_growth", inputs) == pytest.approx(0.2)
    assert formula.explain("followers_growth", inputs) == (
        "Growth = (followers now 1,200 − followers at the first snapshot 1,000) ÷ "
        "followers at the first snapshot 1,000 = 20.00%"
    )
    assert gaps("followers_growth", {"followers_now": 5, "followers_first": 0}) == [
        ("followers_first", "zero")
    ]
    assert gaps("followers_growth", {"followers_now": None, "followers_first": 10}) == [
        ("followers_now", "missing")
    ]


@pytest.mark.parametrize(
    ("metric", "inputs", "expected", "sentence"),
    [
        ("cpv", {"cost": 500, "views": 6500}, 500 / 6500,
         "CPV = creator cost 500.00 USD ÷ views 6,500 = 0.0769 USD"),
        ("cpe", {"cost": 500, "engagements": 325}, 500 / 325,
         "CPE = creator cost 500.00 USD ÷ engagements 325 = 1.54 USD"),
        ("cpm", {"cost": 500, "views": 6500}, 500 / 6500 * 1000,
         "CPM = creator cost 500.00 USD ÷ views 6,500 × 1,000 = 76.92 USD"),
        ("budget_cpv", {"budget": 1000, "views": 6500}, 1000 / 6500,
         "CPV (budget) = budget 1,000.00 USD ÷ views 6,500 = 0.1538 USD"),
        ("budget_cpe", {"budget": 1000, "engagements": 325}, 1000 / 325,
         "CPE (budget) = budget 1,000.00 USD ÷ engagements 325 = 3.08 USD"),
        ("budget_cpm", {"budget": 1000, "views": 6500}, 1000 / 6500 * 1000,
         "CPM (budget) = budget 1,000.00 USD ÷ views 6,500 × 1,000 = 153.85 USD"),
    ],
)  # fmt: skip
def test_costs_per_result(metric: str, inputs, expected: float, sentence: str) -> None:
    inputs = {**inputs, "currency": "USD"}
    assert value(metric, inputs) == pytest.approx(expected)
    assert formula.explain(metric, inputs) == sentence
    for name in [k for k in inputs if k != "currency"]:
        assert gaps(metric, {**inputs, name: None}) == [(name, "missing")]
        assert gaps(metric, {**inputs, name: 0}) == [(name, "zero")]
    short = formula.spec(metric)["short"]
    assert formula.explain(metric, {"currency": "USD"}).startswith(f"{short} is unavailable: ")


def test_spend_against_the_budget() -> None:
    inputs = {"cost": 300, "budget": 1000, "currency": "USD"}
    assert value("spend_vs_budget", inputs) == 0.3
    assert value("remaining_budget", inputs) == 700
    assert formula.explain("spend_vs_budget", inputs) == (
        "Spend vs budget = creator cost 300.00 USD ÷ budget 1,000.00 USD = 30.00%"
    )
    over = {**inputs, "cost": 1300}
    assert formula.explain("remaining_budget", over) == (
        "Remaining budget = budget 1,000.00 USD − creator cost 1,300.00 USD = -300.00 USD"
    )
    assert gaps("spend_vs_budget", {**inputs, "budget": 0}) == [("budget", "zero")]
    assert value("remaining_budget", {**inputs, "budget": 0}) == -300  # a 0 budget is 300 over
    for name in ("cost", "budget"):
        assert gaps("remaining_budget", {**inputs, name: None}) == [(name, "missing")]
        assert gaps("spend_vs_budget", {**inputs, name: None}) == [(name, "missing")]


def test_a_cost_in_a_currency_with_no_decimals() -> None:
    assert formula.explain("cpm", {"cost": 150_000, "views": 20_000, "currency": "jpy"}) == (
        "CPM = creator cost 150,000 JPY ÷ views 20,000 × 1,000 = 7,500 JPY"
    )


def test_projected_views() -> None:
    inputs = {"views_to_date": 6500, "days_elapsed": 3, "days_total": 10}
    assert value("projected_views", inputs) == pytest.approx(6500 / 3 * 10)
    assert formula.explain("projected_views", inputs) == (
        "Projected views = views to date 6,500 ÷ days elapsed 3 × days in the timeline 10 = 21,667"
    )
    assert gaps("projected_views", {**inputs, "days_elapsed": 0}) == [("days_elapsed", "zero")]
    assert gaps("projected_views", {**inputs, "views_to_date": None}) == [
        ("views_to_date", "missing")
    ]


CREATORS = [
    {"handle_name": "ana", "median_views": 1000, "engagement_rate": 0.05},
    {"handle_name": "ben", "median_views": 2000, "engagement_rate": 0.04},
    {"handle_name": "cat", "median_views": None, "engagement_rate": 0.1},
    {"handle_name": "dan", "median_views": 500, "engagement_rate": None},
]


def test_expected_views_and_engagements_of_a_selection() -> None:
    rows = {"creators": CREATORS}
    assert value("expected_views", rows) == 3500  # 1,000 + 2,000 + 500
    assert value("expected_engagements", rows) == 130  # 1,000 × 5 % + 2,000 × 4 %
    assert formula.explain("expected_views", rows) == (
        "Expected views = median views of @ana 1,000 + @ben 2,000 + @dan 500 = 3,500; "
        "not counted: @cat (median views is missing)"
    )
    assert formula.explain("expected_engagements", rows) == (
        "Expected engagements = @ana (median views 1,000 × engagement rate 5.00%) + "
        "@ben (median views 2,000 × engagement rate 4.00%) = 130; not counted: "
        "@cat (median views is missing); @dan (engagement rate is missing)"
    )


def test_expected_views_of_nobody_is_unavailable() -> None:
    assert formula.explain("expected_views", {"creators": []}) == (
        "Expected views is unavailable: there are no creators"
    )
    none = {"creators": [{"handle_name": "x"}, {"handle_name": "y"}]}
    assert formula.explain("expected_views", none) == (
        "Expected views is unavailable: median views is unknown for all 2 creators"
    )


def test_the_projection_computes_through_the_formulas() -> None:
    p = project(CREATORS)
    assert (p.expected_views, p.expected_engagements) == (3500, 130)
    assert explain_selection(CREATORS)[0].startswith("Expected views = median views of @ana")
    assert project([]).expected_views is None


def test_currency_conversion() -> None:
    inputs = {"amount": 100, "source": "EUR", "target": "JPY",
              "source_per_usd": 0.8, "target_per_usd": 150}  # fmt: skip
    assert value("currency_conversion", inputs) == pytest.approx(100 / 0.8 * 150)  # 18,750
    assert formula.explain("currency_conversion", inputs) == (
        "Converted = amount 100.00 EUR ÷ EUR per USD 0.8 × JPY per USD 150 = 18,750 JPY"
    )
    assert gaps("currency_conversion", {**inputs, "source_per_usd": None}) == [
        ("source_per_usd", "missing")
    ]


def test_rate_table_converts_through_the_formula_and_agrees_with_its_factors() -> None:
    table = RateTable(
        [Rate("USD", date(2026, 1, 1), 1.0), Rate("EUR", date(2026, 1, 1), 0.8),
         Rate("JPY", date(2026, 1, 1), 150.0), Rate("JPY", date(2026, 6, 1), 160.0)]
    )  # fmt: skip
    on = date(2026, 7, 1)
    factors = table.factors("EUR", on)  # the vectorised path Pricing.total multiplies by
    for cur, amount in (("JPY", 48_000.0), ("USD", 12.5), ("EUR", 7.0)):
        assert table.convert(amount, cur, "EUR", on) == pytest.approx(amount * factors[cur])
    assert table.explain(48_000, "JPY", "EUR", on) == (
        "Converted = amount 48,000 JPY ÷ JPY per USD 160 × EUR per USD 0.8 = 240.00 EUR"
    )
    assert table.explain(1, "GBP", "EUR", on) == "Converted is unavailable: GBP per USD is missing"
    assert table.explain(None, "JPY", "EUR", on) == "Converted is unavailable: amount is missing"


def test_hostile_values_stay_numbers_or_are_missing() -> None:
    for bad in ("=1+1", "<b>1</b>", True, float("nan"), float("inf")):
        assert gaps("engagement_rate", {"engagements": 1, "views": bad}) == [("views", "missing")]
    huge = {"engagements": 10**15, "views": 10**18}
    assert formula.explain("engagement_rate", huge) == (
        "ER = engagements 1,000,000,000,000,000 ÷ views 1,000,000,000,000,000,000 = 0.10%"
    )
    # a hostile handle is text in the sentence; pages escape it, the CSV neutralises it
    odd = {"creators": [{"handle_name": "=cmd|' /C calc'!A0", "median_views": 5}]}
    assert "@=cmd|' /C calc'!A0 5" in formula.explain("expected_views", odd)


def test_an_unknown_metric_is_named() -> None:
    with pytest.raises(KeyError, match="no_such"):
        formula.evaluate("no_such", {})


# ---------------------------------------------------------------- the data


def _references(node) -> set[str]:
    if isinstance(node, str):
        return {node}
    if "each" in node:
        return _references(node["sum_of"])
    if "median" in node:
        return _references(node["of"])
    ((op, args),) = node.items()
    return set() if op == "const" else set().union(*(_references(a) for a in args))


@pytest.mark.parametrize("metric", sorted(rules.formulas()["metrics"]))
def test_every_formula_is_complete(metric: str) -> None:
    spec = rules.formulas()["metrics"][metric]
    assert {"label", "short", "unit", "formula", "inputs", "nonzero"} <= set(spec)
    assert spec["unit"] in rules.formulas()["units"]
    inputs = spec["inputs"]
    assert _references(spec["formula"]) <= set(inputs), "every input the formula reads is listed"
    assert set(spec["nonzero"]) <= set(inputs)
    for name, info in inputs.items():
        assert info["label"] and info["unit"] in {*rules.formulas()["units"], "list"}, name
        if "computed_by" in info:
            assert info["computed_by"] in rules.formulas()["metrics"]
    assert formula.describe(metric).startswith(f"{spec['short']} = ")


def test_every_formula_a_module_names_exists() -> None:
    """Every metric id passed to evaluate/explain in ttcm/ has a formula (and is used)."""
    named: set[str] = set()
    for path in (PROJECT / "ttcm").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("evaluate", "explain")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                named.add(node.args[0].value)
    from ttcm.domain.performance.formulas import POST_FORMULAS

    named |= set(POST_FORMULAS.values())
    named |= {"cpv", "cpe", "cpm", "budget_cpv", "budget_cpe", "budget_cpm"}  # costs._per
    named |= {"expected_views", "expected_engagements"}  # projection._sum_of and explain
    named |= {"campaign_median_er", "campaign_median_cpv"}  # creator_results.median_value
    metrics = set(rules.formulas()["metrics"])
    assert named <= metrics
    assert metrics - named == {"engagements"}  # read through engagement_rate's computed_by


def test_the_daily_engagement_rate_series_agrees_with_the_formula() -> None:
    """trends.engagement_rate_by_day stays vectorised for charts; it computes the same ER."""
    import pandas as pd

    from ttcm.domain.performance.trends import engagement_rate_by_day

    d1, d2, d3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)
    daily = pd.DataFrame(
        [
            {"day": d1, "views": 1000, "likes": 40, "comments": 5, "shares": 5},
            {"day": d1, "views": 3000, "likes": 100, "comments": 10, "shares": 20},
            {"day": d2, "views": 0, "likes": 0, "comments": 0, "shares": 0},
            {"day": d3, "views": 500, "likes": 12, "comments": None, "shares": 1},
        ]
    )
    series = engagement_rate_by_day(daily)
    assert series[d1] == value(
        "engagement_rate", {"likes": 140, "comments": 15, "shares": 25, "views": 4000}
    )
    # no views: blank in the chart, unavailable in the formula; a day without comments likewise
    assert series[d2] != series[d2]
    assert gaps("engagement_rate", {"likes": 0, "comments": 0, "shares": 0, "views": 0}) == [
        ("views", "zero")
    ]
    assert d3 not in series.index
