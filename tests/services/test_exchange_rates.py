"""Exchange rates: dated conversion, admin edits (checked, audited), prices in one currency."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.builders import ADMIN, MANAGER, VIEWER
from tests.builders.creators import PRICED, load
from ttcm.auth import PermissionDenied
from ttcm.domain.exchange import MissingRate, Rate, RateTable
from ttcm.services.audit import entries
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter, FilterError
from ttcm.services.discovery.search import Discovery
from ttcm.services.exchange_rates import ExchangeRates, RateError, effective_rates, team_currency
from ttcm.store import Store

TODAY = datetime.now(UTC).date()


@pytest.fixture
def priced(store: Store) -> Store:
    index_cache.forget()
    load(store, PRICED)
    return store


def order(store: Store, f: CreatorFilter) -> list[str]:
    return [r["handle_name"] for r in Discovery(store).search(VIEWER, f, limit=50).rows]


# ---------------------------------------------------------------- domain


def test_conversion_uses_the_rate_in_force_on_the_day() -> None:
    table = RateTable(
        [
            Rate("USD", date(2026, 1, 1), 1.0),
            Rate("EUR", date(2026, 1, 1), 0.90),
            Rate("EUR", date(2026, 6, 1), 0.80),
        ]
    )
    assert table.convert(90, "EUR", "USD", date(2026, 5, 31)) == pytest.approx(100)
    assert table.convert(80, "EUR", "USD", date(2026, 6, 1)) == pytest.approx(100)
    assert table.convert(100, "USD", "EUR", date(2026, 7, 1)) == pytest.approx(80)
    assert table.convert(7, "XAU", "XAU", date(2026, 7, 1)) == 7
    with pytest.raises(MissingRate, match="EUR on 2025-12-31"):
        table.convert(1, "EUR", "USD", date(2025, 12, 31))
    with pytest.raises(MissingRate, match="XAU"):
        table.convert(1, "XAU", "USD", date(2026, 7, 1))
    factors = table.factors("EUR", date(2026, 7, 1))
    assert factors == {"USD": pytest.approx(0.8), "EUR": 1.0}


# ---------------------------------------------------------------- discovery


def test_price_sort_compares_prices_in_the_team_currency(priced: Store) -> None:
    got = order(priced, CreatorFilter(sort="price"))
    # before: VND and IDR first (291,091,000 and 9,960,000 "units" beat 12,900 EUR)
    assert got == ["eur_top", "vnd_big", "usd_mid", "idr_big", "jpy_small", "no_price", "odd_cur"]
    assert order(priced, CreatorFilter(sort="price", descending=False))[:5] == [
        "jpy_small",
        "idr_big",
        "usd_mid",
        "vnd_big",
        "eur_top",
    ]


def test_rows_show_the_own_price_and_its_value_in_the_team_currency(priced: Store) -> None:
    result = Discovery(priced).search(VIEWER, CreatorFilter(sort="price"), limit=50)
    rows = {r["handle_name"]: r for r in result.rows}
    assert result.team_currency == "USD"
    assert (rows["vnd_big"]["creator_price"], rows["vnd_big"]["currency"]) == (291_091_000, "VND")
    assert rows["vnd_big"]["team_price"] == pytest.approx(291_091_000 / 26_300, abs=0.01)
    assert rows["eur_top"]["team_price"] == pytest.approx(15_000, abs=0.01)
    assert rows["usd_mid"]["team_price"] == 2_000
    assert rows["no_price"]["team_price"] is None
    assert rows["odd_cur"]["team_price"] is None  # no rate: unknown, never the raw figure
    assert {r["team_currency"] for r in result.rows} == {"USD"}


def test_each_team_price_says_how_it_was_converted_in_the_csv(priced: Store) -> None:
    import csv
    import io

    from ttcm.services.discovery.rows import csv_columns
    from ttcm.services.export import to_csv

    result = Discovery(priced).search(VIEWER, CreatorFilter(sort="price"), limit=50)
    rows = {r["handle_name"]: r for r in result.rows}
    assert rows["vnd_big"]["team_price_how"] == (
        "Converted = amount 291,091,000 VND ÷ VND per USD 26,300 × USD per USD 1 = 11,068.10 USD"
    )
    assert rows["usd_mid"]["team_price_how"] == ""  # already in the team currency
    assert rows["no_price"]["team_price_how"] == "Converted is unavailable: amount is missing"
    assert rows["odd_cur"]["team_price_how"] == "Converted is unavailable: XAU per USD is missing"
    text = to_csv(result.rows, csv_columns(result.team_currency))
    parsed = {r["Handle"]: r for r in csv.DictReader(io.StringIO(text))}
    header = list(parsed["vnd_big"])
    assert header[header.index("Price in USD") + 1] == "Price in USD how"
    assert parsed["vnd_big"]["Price in USD how"] == rows["vnd_big"]["team_price_how"]


def test_price_bounds_are_in_the_team_currency(priced: Store) -> None:
    got = order(priced, CreatorFilter(min_price=500, max_price=12_000, sort="price"))
    assert got == ["vnd_big", "usd_mid", "idr_big"]
    # a bound never matches an unknown price (no price, or no rate for its currency)
    assert "odd_cur" not in order(priced, CreatorFilter(max_price=10**9))
    assert order(priced, CreatorFilter(min_price=1, currency="IDR")) == ["idr_big"]


def test_changing_rates_or_team_currency_reorders_at_once(priced: Store) -> None:
    rates = ExchangeRates(priced)
    rates.set_rate(ADMIN, "VND", 5_000, TODAY)  # now 58,218 USD: the most expensive
    assert order(priced, CreatorFilter(sort="price"))[0] == "vnd_big"
    rates.set_team_currency(ADMIN, "EUR")
    result = Discovery(priced).search(VIEWER, CreatorFilter(sort="price"), limit=50)
    rows = {r["handle_name"]: r for r in result.rows}
    assert result.team_currency == "EUR"
    assert rows["eur_top"]["team_price"] == 12_900
    assert rows["usd_mid"]["team_price"] == pytest.approx(2_000 * 0.86, abs=0.01)
    rates.set_rate(ADMIN, "XAU", 0.00001, TODAY)  # an admin adds a missing currency
    assert order(priced, CreatorFilter(sort="price"))[0] == "odd_cur"


# ---------------------------------------------------------------- the service


def test_only_admins_change_rates_and_every_change_is_audited(store: Store) -> None:
    rates = ExchangeRates(store)
    for who in (MANAGER, VIEWER):
        with pytest.raises(PermissionDenied):
            rates.set_rate(who, "EUR", 0.9, TODAY)
        with pytest.raises(PermissionDenied):
            rates.set_team_currency(who, "EUR")
    assert team_currency(store) == "USD"
    rates.set_rate(ADMIN, "eur", 0.9, TODAY)
    rates.set_team_currency(ADMIN, "EUR")
    assert effective_rates(store).rate("EUR", TODAY) == Rate("EUR", TODAY, 0.9, "ada")
    assert rates.team_currency(VIEWER) == "EUR"
    log = entries(store, ADMIN)
    actions = [(e["action"], e["target"]) for e in log]
    assert ("rates.set", "EUR") in actions
    assert ("rates.team_currency", "EUR") in actions


def test_a_stored_rate_wins_over_the_shipped_one_of_the_same_day(store: Store) -> None:
    shipped = effective_rates(store).history("EUR")[0]
    assert shipped.source == "shipped"
    ExchangeRates(store).set_rate(ADMIN, "EUR", 0.95, shipped.valid_from)
    history = effective_rates(store).history("EUR")
    assert [(r.valid_from, r.per_usd, r.source) for r in history] == [
        (shipped.valid_from, 0.95, "ada")
    ]


@pytest.mark.parametrize(
    ("currency", "per_usd", "valid_from", "field"),
    [
        ("", 1.0, TODAY, "currency"),
        ("<b>EU</b>", 1.0, TODAY, "currency"),
        ("=CMD", 1.0, TODAY, "currency"),
        ("€", 1.0, TODAY, "currency"),
        ("EURO", 1.0, TODAY, "currency"),
        ("EUR", 0, TODAY, "per_usd"),
        ("EUR", -1.0, TODAY, "per_usd"),
        ("EUR", math.nan, TODAY, "per_usd"),
        ("EUR", math.inf, TODAY, "per_usd"),
        ("EUR", 1e12, TODAY, "per_usd"),
        ("EUR", True, TODAY, "per_usd"),
        ("USD", 1.1, TODAY, "per_usd"),
        ("EUR", 0.9, TODAY + timedelta(days=1), "valid_from"),
        ("EUR", 0.9, date(1999, 12, 31), "valid_from"),
    ],
)
def test_bad_rates_are_refused_by_field_and_change_nothing(
    store: Store, currency: str, per_usd: float, valid_from: date, field: str
) -> None:
    before = effective_rates(store).history("EUR")
    with pytest.raises(RateError) as caught:
        ExchangeRates(store).set_rate(ADMIN, currency, per_usd, valid_from)
    assert caught.value.field == field
    assert str(caught.value)
    assert effective_rates(store).history("EUR") == before
    assert entries(store, ADMIN) == []


def test_team_currency_needs_a_rate(store: Store) -> None:
    with pytest.raises(RateError, match="no exchange rate for XAU"):
        ExchangeRates(store).set_team_currency(ADMIN, "XAU")
    with pytest.raises(RateError):
        ExchangeRates(store).set_team_currency(ADMIN, "dollars")
    assert team_currency(store) == "USD"


def test_price_filter_still_refuses_bad_bounds() -> None:
    with pytest.raises(FilterError, match="price"):
        CreatorFilter(min_price=-1)
