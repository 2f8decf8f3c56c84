"""Exchange rates and the team currency: shipped defaults, admin edits (audited), one lookup.

The rates in force are the shipped dated defaults (`ttcm/rules/exchange_rates.json`) with the
admin's stored rates on top (a stored rate for the same currency and date wins). Every page, CSV
and CLI converts through `effective_rates` and `ttcm.domain.exchange`, never its own figures.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import Connection, select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain.exchange import (
    MissingRate,
    Rate,
    RateTable,
    clean_currency,
    clean_per_usd,
    rates_from_data,
)
from ttcm.errors import InputError
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.audit import record
from ttcm.store.tables import table_of
from ttcm.store.timestamps import utcnow
from ttcm.store.upsert import upsert

TEAM_CURRENCY_KEY = "team_currency"
VERSION = "exchange_rates"
EARLIEST = date(2000, 1, 1)


class RateError(InputError):
    """A rate or currency an admin entered that cannot be used; `field` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


_NUMBER = re.compile(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?")


def parse_per_usd(text: str) -> float:
    """A rate typed by a person ("16600", "16,600", "0.86"); raises RateError on anything else."""
    value = (text or "").strip()
    if not value:
        raise RateError("per_usd", "Enter how many units of the currency one US dollar buys.")
    if value.startswith("-") and _NUMBER.fullmatch(value[1:].strip()):
        raise RateError("per_usd", "A rate is more than 0 units per US dollar.")
    if not _NUMBER.fullmatch(value):
        raise RateError(
            "per_usd",
            f"Not a number: {value[:20]!r}. Write it like 16600 or 0.86 (a dot for decimals).",
        )
    return float(value.replace(",", ""))


def today() -> date:
    """The UTC date rates are looked up for."""
    return datetime.now(UTC).date()


def _stored(conn: Connection) -> list[Rate]:
    r = m.ExchangeRate
    return [
        Rate(row.currency, row.valid_from, float(row.per_usd), row.set_by)
        for row in conn.execute(select(r.currency, r.valid_from, r.per_usd, r.set_by))
    ]


def _team_currency(conn: Connection) -> str:
    value = conn.execute(
        select(m.AppSetting.value).where(m.AppSetting.key == TEAM_CURRENCY_KEY)
    ).scalar_one_or_none()
    return value or str(rules.exchange_rates()["team_currency"])


@cache
def _shipped() -> tuple[Rate, ...]:
    return tuple(rates_from_data(rules.exchange_rates()))


def _merge(stored: list[Rate]) -> RateTable:
    merged = {(r.currency, r.valid_from): r for r in _shipped()}
    merged.update({(r.currency, r.valid_from): r for r in stored})
    return RateTable(merged.values())


def effective_rates(store: Store) -> RateTable:
    """Shipped rates with the admin's stored rates on top (one table per rates version)."""
    return pricing(store).table


def team_currency(store: Store) -> str:
    """The currency the team compares prices in."""
    with store.read() as conn:
        return _team_currency(conn)


@dataclass(frozen=True)
class Pricing:
    """What a price comparison needs: the team currency, the day, and the rates."""

    currency: str
    on: date
    table: RateTable
    version: int
    _factors: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def factors(self) -> dict[str, float]:
        """Multiplier from each currency with a rate today to the team currency."""
        if not self._factors:
            self._factors.update(self.table.factors(self.currency, self.on))
        return dict(self._factors)

    def total(self, by_currency: dict[str, float]) -> tuple[float, list[str]]:
        """Sum of amounts in the team currency, and the currencies left out (no rate)."""
        factors = self.factors()
        total = sum(v * factors[c] for c, v in by_currency.items() if c in factors)
        return total, sorted(c for c in by_currency if c not in factors)

    def team_price(self, price: float | None, currency: str | None) -> float | None:
        """A price in the team currency (cents rounded), None without a price or a rate."""
        factor = self.factors().get(currency or "")
        return None if price is None or factor is None else round(price * factor, 2)

    def team_price_how(self, price: float | None, currency: str | None) -> str:
        """How `team_price` was converted, as a filled formula ('' when no conversion)."""
        if price is not None and currency == self.currency:
            return ""
        return self.table.explain(price, currency, self.currency, self.on)

    def explain(self, by_currency: dict[str, float]) -> list[str]:
        """Each amount's conversion to the team currency as a filled formula (or the missing
        rate); the same rates `total` multiplies by, one amount at a time."""
        return [
            self.table.explain(amount, cur, self.currency, self.on)
            for cur, amount in sorted(by_currency.items())
            if cur != self.currency
        ]


_LOCK = threading.Lock()
_PRICING: dict[str, Pricing] = {}  # by store URL; reused while the rates version and day hold


def pricing(store: Store) -> Pricing:
    """The team currency and today's rates (re-read only when an admin changed them)."""
    key = store.engine.url.render_as_string(hide_password=True)
    with store.read() as conn:
        version = versions.current(conn, VERSION)
        cached = _PRICING.get(key)
        if cached is not None and cached.version == version and cached.on == today():
            return cached
        fresh = Pricing(_team_currency(conn), today(), _merge(_stored(conn)), version)
    with _LOCK:
        _PRICING[key] = fresh
    return fresh


class ExchangeRates:
    """Read rates (any role) and change them (admins only, audited)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def rates(self, actor: Principal) -> list[Rate]:
        """Every rate in force or in history, by currency then date."""
        require(actor, "read")
        table = effective_rates(self.store)
        return [r for cur in table.currencies for r in table.history(cur)]

    def in_force(self, actor: Principal) -> list[dict[str, object]]:
        """Today's rate of each currency and what one unit is worth in the team currency."""
        require(actor, "read")
        prices = pricing(self.store)
        factors = prices.factors()
        out = []
        for cur in prices.table.currencies:
            try:
                rate = prices.table.rate(cur, prices.on)
            except MissingRate:
                continue  # only rates from a later day: not in force yet
            out.append(
                {
                    "currency": cur,
                    "per_usd": rate.per_usd,
                    "valid_from": rate.valid_from,
                    "set_by": rate.source,
                    "one_unit_in_team_currency": factors.get(cur),
                    "history": len(prices.table.history(cur)),
                }
            )
        return out

    def team_currency(self, actor: Principal) -> str:
        """The currency the team compares prices in."""
        require(actor, "read")
        return team_currency(self.store)

    def set_rate(
        self, actor: Principal, currency: str, per_usd: float | str, valid_from: date
    ) -> Rate:
        """Store a rate (replacing one of the same currency and date); returns it."""
        require(actor, "rates.manage")
        if isinstance(per_usd, str):
            per_usd = parse_per_usd(per_usd)
        try:
            code = clean_currency(currency)
        except ValueError as exc:
            raise RateError("currency", str(exc)) from None
        try:
            value = clean_per_usd(per_usd)
        except ValueError as exc:
            raise RateError("per_usd", str(exc)) from None
        if code == "USD" and value != 1.0:
            raise RateError("per_usd", "USD is the reference: one US dollar is always 1 USD.")
        if not isinstance(valid_from, date) or not EARLIEST <= valid_from <= today():
            raise RateError(
                "valid_from",
                f"A rate applies from a day between {EARLIEST.isoformat()} and today.",
            )
        now = utcnow()
        with self.store.write() as conn:
            upsert(
                conn,
                table_of(m.ExchangeRate),
                [
                    {
                        "currency": code,
                        "valid_from": valid_from,
                        "per_usd": value,
                        "set_by": actor.username,
                        "set_at": now,
                    }
                ],
                key=["currency", "valid_from"],
            )
            versions.bump(conn, VERSION)
            record(
                conn,
                actor.username,
                "rates.set",
                code,
                {"per_usd": value, "valid_from": valid_from.isoformat()},
                None,
            )
        return Rate(code, valid_from, value, actor.username)

    def set_team_currency(self, actor: Principal, currency: str) -> str:
        """Choose the team currency (it needs a rate in force today); returns it."""
        require(actor, "rates.manage")
        try:
            code = clean_currency(currency)
        except ValueError as exc:
            raise RateError("team_currency", str(exc)) from None
        try:
            effective_rates(self.store).rate(code, today())
        except MissingRate:
            raise RateError(
                "team_currency", f"There is no exchange rate for {code} today: add one first."
            ) from None
        with self.store.write() as conn:
            before = _team_currency(conn)
            upsert(
                conn,
                table_of(m.AppSetting),
                [{"key": TEAM_CURRENCY_KEY, "value": code}],
                key=["key"],
            )
            versions.bump(conn, VERSION)
            record(conn, actor.username, "rates.team_currency", code, {"was": before}, None)
        return code
