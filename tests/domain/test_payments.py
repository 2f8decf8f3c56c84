"""Payment rules and the fee conversion: fee day, committed fees, refusals as data."""

from __future__ import annotations

from datetime import date

import pytest

from ttcm.domain.exchange import Rate, RateTable
from ttcm.domain.payments import convert_fee, fee_day, is_committed, payment_problems
from ttcm.domain.performance.costs import creator_cost

TODAY = date(2026, 3, 20)
TABLE = RateTable(
    [
        Rate("USD", date(2026, 3, 1), 1.0),
        Rate("EUR", date(2026, 3, 1), 0.5),
        Rate("EUR", date(2026, 3, 10), 0.8),
    ]
)


def test_the_fee_day_is_the_payment_day_only_once_paid() -> None:
    assert fee_day("paid", date(2026, 3, 5), TODAY) == date(2026, 3, 5)
    assert fee_day("scheduled", date(2026, 4, 1), TODAY) == TODAY
    assert fee_day(None, None, TODAY) == TODAY


def test_committed_means_an_order_not_declined_or_money_on_its_way() -> None:
    assert is_committed("IN_PROGRESS", None) and is_committed("DECLINED", "paid")
    assert is_committed("DECLINED", "scheduled")
    assert not is_committed("DECLINED", "unpaid") and not is_committed(None, None)


def test_conversion_uses_the_rates_of_the_day_and_never_guesses() -> None:
    early = convert_fee(100.0, "eur", "USD", TABLE, date(2026, 3, 5))
    late = convert_fee(100.0, "EUR", "USD", TABLE, date(2026, 3, 15))
    assert (early.amount, early.factor) == (200.0, 2.0) and late.amount == 125.0
    gone = convert_fee(100.0, "EUR", "USD", TABLE, date(2026, 2, 1))
    assert gone.amount is None and gone.problem == "no exchange rate for EUR on 2026-02-01"
    assert convert_fee(None, "EUR", "USD", TABLE, TODAY).problem == "no fee or list price is known"
    assert convert_fee(5.0, "", "USD", TABLE, TODAY).problem == "the fee has no currency"
    assert convert_fee(1e12, "USD", "USD", None, None).amount == 1e12  # same currency, no rate


def test_the_overview_cost_converts_a_paid_fee_at_its_payment_day() -> None:
    orders = [
        {"handle_name": "ana", "status": "COMPLETED", "agreed_fee": 100.0, "fee_currency": "EUR",
         "payment_status": "paid", "payment_date": date(2026, 3, 5)},
        {"handle_name": "ben", "status": "IN_PROGRESS", "agreed_fee": 100.0,
         "fee_currency": "EUR"},
        {"handle_name": "dan", "status": "DECLINED", "creator_price": 50.0, "currency": "USD",
         "payment_status": "paid", "payment_date": date(2026, 3, 2)},
    ]  # fmt: skip
    cost = creator_cost(orders, "USD", TABLE, TODAY)
    assert cost.value == pytest.approx(200.0 + 125.0 + 50.0)
    assert "paid fees at their payment day" in (cost.note or "")
    orders[0]["payment_date"] = date(2026, 2, 1)  # no EUR rate then
    missing = creator_cost(orders, "USD", TABLE, TODAY)
    assert missing.value is None
    assert "EUR on 2026-02-01 (paid) (the fee of @ana)" in (missing.reason or "")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("paid", None, None, None), "date"),
        (("paid", TODAY, "x" * 100, "y" * 2000), None),
        (("paid", TODAY, "x" * 101, None), "reference"),
        (("scheduled", date(2028, 3, 19), None, None), None),
        (("scheduled", date(2028, 3, 20), None, None), "date"),
        (("unpaid", None, None, "=1+1 <b>"), None),
        (("PAID", TODAY, None, None), "status"),
    ],
)
def test_payment_problems_by_field(args: tuple, field: str | None) -> None:
    problems = payment_problems(*args, TODAY)
    assert list(problems) == ([field] if field else [])
