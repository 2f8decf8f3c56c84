"""The campaign median of creators' figures: known values only, the unknown ones counted."""

from __future__ import annotations

from ttcm.domain.performance.creator_results import median_value
from ttcm.domain.performance.values import Value, missing


def test_median_of_known_values_counts_the_unknown() -> None:
    values = [
        Value(0.05, "USD"),
        missing("USD", "no views"),
        Value(0.01, "USD"),
        Value(0.02, "USD"),
    ]
    m = median_value(values, "USD", "CPV")
    assert (m.value, m.unit) == (0.02, "USD")
    assert m.note == "over 3 creators; 1 without a known CPV"


def test_an_even_count_takes_the_mean_of_the_middle_two() -> None:
    assert median_value([Value(1.0, "%"), Value(3.0, "%")], "%", "ER").value == 2.0


def test_no_known_value_says_why_instead_of_zero() -> None:
    m = median_value([missing("USD", "x")], "USD", "CPV")
    assert m.value is None and m.reason == "No creator of this campaign has a known CPV yet."
    assert median_value([], "USD", "CPV").value is None
