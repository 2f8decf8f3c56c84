"""The one formatter: counts, compact counts, %, money per currency, durations, codes, headers."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from ttcm import rules
from ttcm.domain import format as fmt


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (7, "7"),
        (1234, "1,234"),
        (1234567, "1,234,567"),
        (57404.25, "57,404"),
        (-1500, "-1,500"),
        (10**12, "1,000,000,000,000"),
    ],
)
def test_counts_have_thousands_separators(value, shown) -> None:
    assert fmt.count(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (950, "950"),
        (1000, "1k"),
        (12_345, "12.3k"),
        (999_950, "1M"),
        (1_200_000, "1.2M"),
        (3_000_000_000, "3B"),
        (-2_500, "-2.5k"),
    ],
)
def test_compact_counts_where_space_is_short(value, shown) -> None:
    assert fmt.count(value, compact=True) == shown
    assert fmt.compact_count(value) == shown


@pytest.mark.parametrize("bad", [None, math.nan, math.inf, "12", True])
def test_unknown_values_are_a_dash_never_none_or_nan(bad) -> None:
    for shown in (
        fmt.count(bad),
        fmt.compact_count(bad),
        fmt.decimal(bad),
        fmt.percent(bad),
        fmt.money(bad, "USD"),
        fmt.duration(bad),
        fmt.quantity(bad, "views"),
    ):
        assert shown == fmt.MISSING
        assert "None" not in shown and "nan" not in shown


def test_missing_with_a_reason() -> None:
    assert fmt.missing() == "—"
    assert fmt.missing("not shared for this account") == "— (not shared for this account)"


@pytest.mark.parametrize(
    ("fraction", "digits", "shown"),
    [(0.0523, 2, "5.23%"), (0.05, 1, "5.0%"), (1, 0, "100%"), (0, 2, "0.00%"), (12.5, 0, "1,250%")],
)
def test_rates_are_percentages(fraction, digits, shown) -> None:
    assert fmt.percent(fraction, digits) == shown


def test_signed_percent_for_growth() -> None:
    assert fmt.percent(0.031, 1, signed=True) == "+3.1%"
    assert fmt.percent(-0.031, 1, signed=True) == "-3.1%"


def test_percent_value_is_what_a_percent_column_holds() -> None:
    assert fmt.percent_value(0.0523) == 5.23
    assert fmt.percent_value(None) is None
    assert fmt.percent_value(math.nan) is None


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (1234.5, "USD", "1,234.50 USD"),
        (0, "EUR", "0.00 EUR"),
        (291_091_000, "IDR", "291,091,000 IDR"),
        (15_000, "JPY", "15,000 JPY"),
        (15_000.4, "KRW", "15,000 KRW"),
        (2_500_000, "VND", "2,500,000 VND"),
        (12.345, "KWD", "12.345 KWD"),
        (5, "usd", "5.00 USD"),
    ],
)
def test_money_uses_the_currency_decimals(amount, currency, shown) -> None:
    assert fmt.money(amount, currency) == shown


def test_zero_decimal_currencies_never_show_cents() -> None:
    for code in ("JPY", "KRW", "IDR", "VND"):
        assert fmt.exponent(code) == 0
        assert "." not in fmt.money(1234, code)


def test_currency_exponents_are_data() -> None:
    assert rules.display()["currency_exponents"]["JPY"] == 0
    assert fmt.exponent("ZZZ") == rules.display()["default_exponent"]


def test_small_unit_costs_keep_their_precision() -> None:
    assert fmt.money(0.0055, "USD", per_unit=True) == "0.0055 USD"
    assert fmt.money(0.5, "JPY", per_unit=True) == "0.5000 JPY"
    assert fmt.money(12.5, "USD", per_unit=True) == "12.50 USD"


def test_money_without_a_currency_says_so() -> None:
    assert fmt.money(10, None) == "10 (currency unknown)"


def test_money_in_several_currencies() -> None:
    assert fmt.money_sum({"USD": 1200, "JPY": 50_000}) == "1,200.00 USD + 50,000 JPY"
    assert fmt.money_sum({}) == fmt.MISSING


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00"),
        (5, "0:05"),
        (75.4, "1:15"),
        (599.6, "10:00"),
        (3600, "1:00:00"),
        (3725, "1:02:05"),
    ],
)
def test_durations_are_m_ss(seconds, shown) -> None:
    assert fmt.duration(seconds) == shown


def test_negative_duration_is_unknown() -> None:
    assert fmt.duration(-1) == fmt.MISSING


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.0523, "%", "5.23%"),
        (14.2, "s", "14.2 s"),
        (75.4, "s", "1:15"),
        (0.0055, "USD", "0.0055 USD"),
        (1500, "JPY", "1,500 JPY"),
        (57404.25, "views", "57,404 views"),
        (3, "", "3"),
        (2.5, "", "2.50"),
    ],
)
def test_quantities_by_unit(value, unit, shown) -> None:
    assert fmt.quantity(value, unit) == shown


def test_quantity_without_its_noun() -> None:
    assert fmt.quantity(1200, "views", with_unit=False) == "1,200"
    assert fmt.quantity(None, "views") == fmt.MISSING


def test_plural() -> None:
    assert fmt.plural(1, "creator") == "1 creator"
    assert fmt.plural(0, "creator") == "0 creators"
    assert fmt.plural(12000, "creator") == "12,000 creators"


def test_internal_codes_become_labels() -> None:
    assert fmt.label("account_kind", "auth_nonttcm") == "Authenticated, not on TTCM"
    assert fmt.label("spark_code_status", "NOT_USED") == "Not used yet"
    assert fmt.label("account_kind", "brand_new_kind") == "Brand new kind"
    assert fmt.label("account_kind", None) == fmt.MISSING
    for kind, names in rules.display()["labels"].items():
        for code, name in names.items():
            assert fmt.label(kind, code) == name
            assert "_" not in name


def test_headers_are_words() -> None:
    assert fmt.header("followers_count") == "Followers"
    assert fmt.header("some_new_field") == "Some new field"
    assert all("_" not in h for h in rules.display()["headers"].values())


def test_timestamps() -> None:
    assert fmt.timestamp(datetime(2026, 12, 1, 21, 5)) == "2026-12-01 21:05"
    assert fmt.timestamp(datetime(2026, 12, 1), with_time=False) == "2026-12-01"
    assert fmt.timestamp(None) == fmt.MISSING


def test_elapsed_and_rate() -> None:
    assert fmt.elapsed(0.42) == "0.4 s"
    assert fmt.elapsed(59.9) == "59.9 s"
    assert fmt.elapsed(75) == "1:15"
    assert fmt.elapsed(None) == fmt.MISSING
    assert fmt.rate(12.54) == "12.5/s"
    assert fmt.rate(1234.5) == "1,234.5/s"


def test_numpy_numbers_are_numbers() -> None:
    import numpy as np

    assert fmt.count(np.int64(12345)) == "12,345"
    assert fmt.percent(np.float64(0.05)) == "5.00%"
    assert fmt.count(np.float64("nan")) == fmt.MISSING
