"""The campaign median of creators' figures through its formula: known values only, the unknown
ones counted and named."""

from __future__ import annotations

from ttcm.domain.performance.creator_results import CreatorResult, median_value
from ttcm.domain.performance.values import Value, missing


def _result(handle: str, cpv: Value, er: Value | None = None) -> CreatorResult:
    none = missing("", "n/a")
    return CreatorResult(handle, 1, ("ACCEPTED",), 1, none, er or none, none, cpv)


def test_median_of_known_values_counts_the_unknown() -> None:
    results = [
        _result("ana", Value(0.05, "USD")),
        _result("ben", missing("USD", "no views")),
        _result("cat", Value(0.01, "USD")),
        _result("dan", Value(0.02, "USD")),
    ]
    m = median_value(results, "campaign_median_cpv", "USD", "CPV")
    assert (m.value, m.unit) == (0.02, "USD")  # median of 0.01, 0.02, 0.05
    assert m.note == "over 3 creators; 1 without a known CPV"
    assert m.how == (
        "Campaign median CPV = median CPV of @ana 0.0500 USD, @cat 0.0100 USD, @dan 0.0200 USD"
        " = 0.0200 USD; not counted: @ben (CPV is missing)"
    )


def test_an_even_count_takes_the_mean_of_the_middle_two() -> None:
    none = missing("USD", "x")
    results = [_result("a", none, Value(0.01, "%")), _result("b", none, Value(0.03, "%"))]
    m = median_value(results, "campaign_median_er", "%", "ER")
    assert m.value == 0.02
    assert m.how == "Campaign median ER = median ER of @a 1.00%, @b 3.00% = 2.00%"


def test_no_known_value_says_why_instead_of_zero() -> None:
    m = median_value([_result("a", missing("USD", "x"))], "campaign_median_cpv", "USD", "CPV")
    assert m.value is None and m.reason == "No creator of this campaign has a known CPV yet."
    assert m.how == "Campaign median CPV is unavailable: CPV is unknown for the only creator"
    assert median_value([], "campaign_median_cpv", "USD", "CPV").value is None
