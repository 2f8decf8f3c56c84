"""Payments: status rules, audit, spend converted through dated rates, the finance CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.builders.posts import MANAGER, NOW, VIEWER, seed_spring
from ttcm.auth import PermissionDenied
from ttcm.domain.audit_detail import detail_text
from ttcm.domain.performance.overview import overview
from ttcm.services import post_metrics
from ttcm.services.exchange_rates import ExchangeRates
from ttcm.services.fees import Fees
from ttcm.services.payments import PaymentError, Payments
from ttcm.store import Store
from ttcm.store import models as m

ADMIN = MANAGER.__class__("ada", "Ada", "admin", 1)
TODAY = datetime(2026, 3, 20, 9, tzinfo=UTC)


@pytest.fixture
def pk(store: Store) -> int:
    pk = seed_spring(store)
    with store.write() as conn:  # ana, ben ordered; dan's order was declined; cat has none
        conn.execute(
            m.CampaignCreator.__table__.insert(),
            [{"campaign_pk": pk, "handle_name": h, "added_at": NOW} for h in ("ana", "ben", "dan")],
        )
    return pk


def pay(store: Store) -> Payments:
    return Payments(store, now=lambda: TODAY)


def _audit(store: Store) -> list:
    with store.read() as conn:
        return conn.execute(
            select(m.AuditEntry.action, m.AuditEntry.actor, m.AuditEntry.detail).order_by(
                m.AuditEntry.id
            )
        ).all()


def _row(store: Store, pk: int, handle: str) -> dict:
    return next(r for r in pay(store).rows(VIEWER, pk) if r["handle_name"] == handle)


def _eur_rates(store: Store) -> None:
    rates = ExchangeRates(store)
    rates.set_rate(ADMIN, "USD", "1", date(2026, 3, 1))
    rates.set_rate(ADMIN, "EUR", "0.5", date(2026, 3, 1))  # 1 EUR = 2 USD
    rates.set_rate(ADMIN, "EUR", "0.8", date(2026, 3, 10))  # 1 EUR = 1.25 USD


def test_every_creator_starts_unpaid_at_the_list_price(store: Store, pk: int) -> None:
    rows = pay(store).rows(VIEWER, pk)
    assert [r["handle_name"] for r in rows] == ["ana", "ben", "cat", "dan"]
    ana = rows[0]
    assert (ana["status"], ana["fee_amount"], ana["fee_source"]) == ("unpaid", 300.0, "list price")
    assert ana["converted"] == 300.0 and ana["rate"] == 1.0 and ana["committed"]
    assert not rows[3]["committed"]  # dan's order was declined and nothing was paid


def test_a_manager_marks_a_fee_paid_it_is_audited_readably(store: Store, pk: int) -> None:
    assert pay(store).set_payment(MANAGER, pk, "ana", "paid", date(2026, 3, 5), " INV-7 ", "ok")
    row = _row(store, pk, "ana")
    assert (row["status"], row["pay_date"], row["reference"], row["notes"]) == (
        "paid",
        date(2026, 3, 5),
        "INV-7",
        "ok",
    )
    action, actor, detail = _audit(store)[-1]
    assert (action, actor) == ("campaign.payment", "max")
    text = detail_text(detail, {})
    assert "Creator: ana" in text and "Payment: Unpaid → Paid" in text
    assert "Payment date: — → 2026-03-05" in text and "Reference: — → INV-7" in text
    # the same again changes nothing and writes no audit entry
    assert not pay(store).set_payment(MANAGER, pk, "ana", "paid", date(2026, 3, 5), "INV-7", "ok")
    assert len([a for a in _audit(store) if a.action == "campaign.payment"]) == 1
    # back to unpaid removes the row
    assert pay(store).set_payment(MANAGER, pk, "ana", "unpaid", None)
    with store.read() as conn:
        assert conn.execute(select(m.CreatorPayment)).first() is None


def test_a_viewer_reads_but_cannot_set_a_payment(store: Store, pk: int) -> None:
    with pytest.raises(PermissionDenied):
        pay(store).set_payment(VIEWER, pk, "ana", "paid", date(2026, 3, 5))
    assert _row(store, pk, "ana")["status"] == "unpaid"
    assert pay(store).summary(VIEWER, pk).committed.value == 500.0


HUGE = 1e308  # a huge number where text belongs


@pytest.mark.parametrize(
    ("status", "day", "reference", "notes", "field", "words"),
    [
        ("paid", None, None, None, "date", "needs its date"),
        ("scheduled", None, None, None, "date", "needs its date"),
        ("paid", date(2026, 3, 21), None, None, "date", "after today"),
        ("paid", date(9999, 12, 31), None, None, "date", "after today"),
        ("scheduled", date(2030, 1, 1), None, None, "date", "at most 730 days"),
        ("paid", date(1999, 12, 31), None, None, "date", "on or after 2000-01-01"),
        ("unpaid", date(2026, 3, 1), None, None, "date", "no date"),
        ("paid", datetime(2026, 3, 1, tzinfo=UTC), None, None, "date", "a day"),
        ("refunded", None, None, None, "status", "unpaid, scheduled, paid"),
        ("<b>paid</b>", None, None, None, "status", "unpaid, scheduled, paid"),
        ("", None, None, None, "status", "unpaid, scheduled, paid"),
        ("paid", date(2026, 3, 1), "R" * 101, None, "reference", "At most 100 characters"),
        ("paid", date(2026, 3, 1), "a\nb", None, "reference", "one line"),
        ("paid", date(2026, 3, 1), "💶" * 101, None, "reference", "(101 now)"),
        ("paid", date(2026, 3, 1), HUGE, None, "reference", "as text"),
        ("paid", date(2026, 3, 1), None, "n" * 2001, "notes", "At most 2,000 characters"),
        ("paid", date(2026, 3, 1), None, "bell\x07", "notes", "control characters"),
    ],
)
def test_bad_payments_are_refused_with_the_field_and_change_nothing(
    store: Store, pk: int, status, day, reference, notes, field: str, words: str
) -> None:
    with pytest.raises(PaymentError) as err:
        pay(store).set_payment(MANAGER, pk, "ana", status, day, reference, notes)
    assert err.value.field == field and words in str(err.value), str(err.value)
    assert _row(store, pk, "ana")["status"] == "unpaid"
    assert not [a for a in _audit(store) if a.action == "campaign.payment"]


def test_paid_today_and_scheduled_at_the_limit_are_accepted(store: Store, pk: int) -> None:
    assert pay(store).set_payment(MANAGER, pk, "ana", "paid", TODAY.date())
    assert pay(store).set_payment(MANAGER, pk, "ben", "scheduled", date(2028, 3, 19))


def test_a_creator_without_an_order_or_outside_the_campaign_is_refused(
    store: Store, pk: int
) -> None:
    with pytest.raises(PaymentError) as err:
        pay(store).set_payment(MANAGER, pk, "cat", "scheduled", date(2026, 4, 1))
    assert err.value.field == "status" and "no order" in str(err.value)
    with pytest.raises(PaymentError) as err:
        pay(store).set_payment(MANAGER, pk, "eve", "paid", date(2026, 3, 1))
    assert err.value.field == "creator"
    # notes on an unpaid creator without an order are fine
    assert pay(store).set_payment(MANAGER, pk, "cat", "unpaid", None, None, "call her agent")


def test_hostile_text_is_stored_as_typed(store: Store, pk: int) -> None:
    ref = "<script>alert('x')</script> \"q\" 🎉"
    notes = '=HYPERLINK("http://evil")\n+1 -1 @me'
    pay(store).set_payment(MANAGER, pk, "ana", "paid", date(2026, 3, 2), ref, notes)
    row = _row(store, pk, "ana")
    assert (row["reference"], row["notes"]) == (ref, notes)


def test_spend_summary_buckets_and_the_budget_left(store: Store, pk: int) -> None:
    Fees(store).set_fee(MANAGER, pk, "ana", 150.0, "USD")
    pay(store).set_payment(MANAGER, pk, "ana", "paid", date(2026, 3, 5), "INV-1")
    pay(store).set_payment(MANAGER, pk, "ben", "scheduled", date(2026, 4, 1))
    s = pay(store).summary(VIEWER, pk)
    assert (s.currency, s.on) == ("USD", TODAY.date())
    assert s.committed.value == 350.0 and s.paid.value == 150.0
    assert s.scheduled.value == 200.0 and s.unpaid.value == 0.0
    assert s.budget.value == 1000.0 and s.remaining.value == 650.0
    assert s.not_converted == {}
    # the overview's costs agree with the committed spend
    ov = overview(post_metrics.load_campaign(store, VIEWER, pk), date(2026, 3, 3))
    assert ov.costs.creator_cost.value == 350.0


def test_a_declined_order_that_was_paid_still_counts(store: Store, pk: int) -> None:
    pay(store).set_payment(MANAGER, pk, "dan", "paid", date(2026, 3, 5))
    assert _row(store, pk, "dan")["committed"]
    s = pay(store).summary(VIEWER, pk)
    # dan's 900 EUR list price has no EUR rate in March (the shipped rates start in November)
    assert s.committed.value is None and "@dan" in (s.committed.reason or "")
    assert "no exchange rate for EUR on 2026-03-05" in s.not_converted["dan"]
    assert s.remaining.value is None and s.unpaid.value == 500.0  # ana + ben still convert


def test_fees_convert_through_the_rate_of_their_fee_day(store: Store, pk: int) -> None:
    _eur_rates(store)
    Fees(store).set_fee(MANAGER, pk, "ana", 100.0, "EUR")
    Fees(store).set_fee(MANAGER, pk, "ben", 100.0, "EUR")
    pay(store).set_payment(MANAGER, pk, "ana", "paid", date(2026, 3, 5))  # 0.5 EUR per USD
    pay(store).set_payment(MANAGER, pk, "ben", "scheduled", date(2026, 3, 6))  # today's rate
    ana, ben = _row(store, pk, "ana"), _row(store, pk, "ben")
    assert (ana["converted"], ana["rate"], ana["rate_day"]) == (200.0, 2.0, date(2026, 3, 5))
    assert (ben["converted"], ben["rate"], ben["rate_day"]) == (125.0, 1.25, TODAY.date())
    s = pay(store).summary(VIEWER, pk)
    assert s.paid.value == 200.0 and s.scheduled.value == 125.0
    assert s.committed.value == pytest.approx(325.0) and s.remaining.value == pytest.approx(675.0)
    # the overview converts the paid fee at its payment day too, the others at its own day
    ov = overview(post_metrics.load_campaign(store, VIEWER, pk), date(2026, 3, 12))
    assert ov.costs.creator_cost.value == pytest.approx(200.0 + 125.0)
    assert "paid fees at their payment day" in (ov.costs.creator_cost.note or "")


def test_a_campaign_without_a_currency_converts_nothing(store: Store, pk: int) -> None:
    with store.write() as conn:
        conn.execute(m.Campaign.__table__.update().values(currency=None))
    s = pay(store).summary(VIEWER, pk)
    assert s.committed.value is None and "no currency" in (s.committed.reason or "")
    assert _row(store, pk, "ana")["problem"] == "the campaign has no currency"


def test_finance_csv_one_row_per_creator_injection_safe(store: Store, pk: int) -> None:
    _eur_rates(store)
    Fees(store).set_fee(MANAGER, pk, "ana", 100.0, "EUR")
    pay(store).set_payment(
        MANAGER, pk, "ana", "paid", date(2026, 3, 5), "=1+1", '<b>hi</b>, "q" 🎉\n@SUM(A1)'
    )
    text = pay(store).csv(VIEWER, pk)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Creator"] for r in rows] == ["ana", "ben", "cat", "dan"]
    ana = rows[0]
    with store.read() as conn:
        name = conn.execute(select(m.Campaign.campaign_name)).scalar_one()
    assert ana["Campaign"] == name
    assert (ana["Agreed fee"], ana["Fee currency"], ana["Fee is"]) == ("100.0", "EUR", "agreed")
    assert (ana["Fee in campaign currency"], ana["Campaign currency"]) == ("200.0", "USD")
    assert (ana["Rate (campaign currency per fee unit)"], ana["Rates of"]) == ("2.0", "2026-03-05")
    assert (ana["Status"], ana["Date"]) == ("Paid", "2026-03-05")
    assert ana["Reference"] == "'=1+1"
    assert ana["Notes"] == '<b>hi</b>, "q" 🎉\n\'@SUM(A1)'
    assert rows[3]["Fee in campaign currency"] == "1125.0"  # dan's 900 EUR at today's 1.25
    cat = rows[2]
    assert cat["Fee in campaign currency"] == "" and "no fee or list price" in cat["Problem"]


def test_removing_a_creator_takes_the_payment_with_it(store: Store, pk: int) -> None:
    pay(store).set_payment(MANAGER, pk, "cat", "unpaid", None, "ref", None)
    with store.write() as conn:
        conn.execute(
            m.CampaignCreator.__table__.delete().where(m.CampaignCreator.handle_name == "cat")
        )
    with store.read() as conn:
        assert conn.execute(select(m.CreatorPayment)).first() is None


def test_spend_summary_computes_through_the_formulas_and_says_how(store: Store, pk: int) -> None:
    _eur_rates(store)
    Fees(store).set_fee(MANAGER, pk, "ana", 100.0, "EUR")  # paid 5 March: 100 ÷ 0.5 × 1 = 200 USD
    pay(store).set_payment(MANAGER, pk, "ana", "paid", date(2026, 3, 5))
    s = pay(store).summary(VIEWER, pk)
    # ana 200 + ben's 200 USD list price (dan's order was declined, cat has none) = 400; 1,000 − 400
    assert (s.committed.value, s.paid.value, s.remaining.value) == (400.0, 200.0, 600.0)
    assert s.committed.how == (
        "Fees = fee in campaign currency of @ana 200.00 USD + @ben 200.00 USD = 400.00 USD"
    )
    assert s.paid.how == "Fees = fee in campaign currency of @ana 200.00 USD = 200.00 USD"
    assert (
        s.remaining.how
        == "Remaining budget = budget 1,000.00 USD − creator cost 400.00 USD = 600.00 USD"
    )
    assert s.spend_vs_budget.value == 0.4 and "= 40.00%" in (s.spend_vs_budget.how or "")
    assert s.conversions == (
        "Converted = amount 100.00 EUR ÷ EUR per USD 0.5 × USD per USD 1 = 200.00 USD",
    )


def test_spend_summary_with_a_fee_that_cannot_convert_says_which(store: Store, pk: int) -> None:
    pay(store).set_payment(MANAGER, pk, "dan", "paid", date(2026, 3, 5))  # no EUR rate in March
    s = pay(store).summary(VIEWER, pk)
    assert s.committed.value is None and s.committed.how is None
    assert s.remaining.how == "Remaining budget is unavailable: creator cost is missing"
    # the shipped rates start in November: neither currency has a rate on 5 March
    assert s.conversions == (
        "Converted is unavailable: EUR per USD is missing, USD per USD is missing",
    )


def test_finance_csv_says_how_each_fee_was_converted(store: Store, pk: int) -> None:
    _eur_rates(store)
    Fees(store).set_fee(MANAGER, pk, "ana", 100.0, "EUR")
    pay(store).set_payment(MANAGER, pk, "ana", "paid", date(2026, 3, 5))
    rows = {r["Creator"]: r for r in csv.DictReader(io.StringIO(pay(store).csv(VIEWER, pk)))}
    assert rows["ana"]["Fee in campaign currency how"] == (
        "Converted = amount 100.00 EUR ÷ EUR per USD 0.5 × USD per USD 1 = 200.00 USD"
    )
    assert rows["ben"]["Fee in campaign currency how"] == ""  # already in USD: no conversion
