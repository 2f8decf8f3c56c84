"""Agreed fees: set by managers (audited), validated without clamping, used by the costs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.builders.posts import MANAGER, NOW, VIEWER, seed_spring
from ttcm.auth import PermissionDenied
from ttcm.domain.performance.overview import overview
from ttcm.services import post_metrics
from ttcm.services.exchange_rates import ExchangeRates
from ttcm.services.fees import FeeError, Fees
from ttcm.store import Store
from ttcm.store import models as m

ADMIN = MANAGER.__class__("ada", "Ada", "admin", 1)


@pytest.fixture
def spring_pk(store: Store) -> int:
    pk = seed_spring(store)
    with store.write() as conn:  # ana and ben were ordered from the campaign's creators list
        conn.execute(
            m.CampaignCreator.__table__.insert(),
            [{"campaign_pk": pk, "handle_name": h, "added_at": NOW} for h in ("ana", "ben")],
        )
    return pk


def _fee(store: Store, pk: int, handle: str) -> tuple:
    with store.read() as conn:
        cc = m.CampaignCreator
        return tuple(
            conn.execute(
                select(cc.agreed_fee, cc.fee_currency).where(
                    cc.campaign_pk == pk, cc.handle_name == handle
                )
            ).one()
        )


def _audit(store: Store) -> list:
    with store.read() as conn:
        return conn.execute(
            select(m.AuditEntry.action, m.AuditEntry.actor).order_by(m.AuditEntry.id)
        ).all()


def test_a_manager_sets_a_fee_it_is_audited_and_costs_use_it(store: Store, spring_pk: int) -> None:
    Fees(store).set_fee(MANAGER, spring_pk, "ana", 150.0, "usd")
    assert _fee(store, spring_pk, "ana") == (150.0, "USD")
    assert ("campaign.fee", "max") in _audit(store)
    data = post_metrics.load_campaign(store, VIEWER, spring_pk)
    ov = overview(data, date(2026, 3, 3))
    assert ov.costs.creator_cost.value == 350.0  # 150 agreed for ana + ben's 200 list price
    assert ov.costs.cpv.value == pytest.approx(350 / 6500)
    assert ov.costs.remaining_budget.value == 650.0
    Fees(store).set_fee(MANAGER, spring_pk, "ana", None, None)
    assert _fee(store, spring_pk, "ana") == (None, None)
    assert ("campaign.fee_cleared", "max") in _audit(store)


def test_a_fee_in_another_currency_goes_through_the_dated_rate(
    store: Store, spring_pk: int
) -> None:
    rates = ExchangeRates(store)
    rates.set_rate(ADMIN, "EUR", "0.5", date(2026, 3, 1))
    rates.set_rate(ADMIN, "USD", "1", date(2026, 3, 1))  # the shipped rates start in November
    Fees(store).set_fee(MANAGER, spring_pk, "ana", 100.0, "EUR")
    data = post_metrics.load_campaign(store, VIEWER, spring_pk)
    ov = overview(data, date(2026, 3, 3))
    assert ov.costs.creator_cost.value == pytest.approx(200.0 + 200.0), ov.costs.creator_cost


def test_a_fee_with_no_rate_is_named(store: Store, spring_pk: int) -> None:
    Fees(store).set_fee(MANAGER, spring_pk, "ben", 5.0, "XYZ")
    data = post_metrics.load_campaign(store, VIEWER, spring_pk)
    cost = overview(data, date(2026, 3, 3)).costs.creator_cost
    assert cost.value is None and "XYZ (the fee of @ben)" in cost.reason


def test_a_viewer_cannot_set_a_fee(store: Store, spring_pk: int) -> None:
    with pytest.raises(PermissionDenied):
        Fees(store).set_fee(VIEWER, spring_pk, "ana", 1.0, "USD")
    assert _fee(store, spring_pk, "ana") == (None, None)


@pytest.mark.parametrize(
    ("amount", "currency", "field", "words"),
    [
        (-1.0, "USD", "amount", "0 or more"),
        (1e13, "USD", "amount", "not plausible"),
        (float("nan"), "USD", "amount", "a number"),
        (float("inf"), "USD", "amount", "a number"),
        (10.0, "", "currency", "three-letter code"),
        (10.0, "<b>US</b>", "currency", "three-letter code"),
        (10.0, "=1+1", "currency", "three-letter code"),
        (10.0, "💶💶💶", "currency", "three-letter code"),
        (10.0, "USDX", "currency", "three-letter code"),
    ],
)
def test_bad_fees_are_refused_and_change_nothing(
    store: Store, spring_pk: int, amount: float, currency: str, field: str, words: str
) -> None:
    with pytest.raises(FeeError) as err:
        Fees(store).set_fee(MANAGER, spring_pk, "ana", amount, currency)
    assert err.value.field == field and words in str(err.value)
    assert _fee(store, spring_pk, "ana") == (None, None)
    assert not [a for a in _audit(store) if a.action.startswith("campaign.fee")]


def test_a_creator_outside_the_campaign_is_refused(store: Store, spring_pk: int) -> None:
    with pytest.raises(FeeError) as err:
        Fees(store).set_fee(MANAGER, spring_pk, "dan", 1.0, "USD")
    assert err.value.field == "creator"
