"""Currency conversion through dated exchange rates: the one place money changes currency.

A rate says how many units of a currency one US dollar buys, from a date until the next rate of
the same currency. Converting A -> B goes through the dollar: amount / per_usd[A] * per_usd[B].
A currency with no rate on the day is never guessed: `convert` raises MissingRate and the
vectorised `factors` leaves it out, so callers show "no rate" instead of a made-up figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ttcm.domain import format as numfmt
from ttcm.domain import formula
from ttcm.errors import NotFound

CURRENCY_RE = re.compile(r"[A-Z]{3}")
MAX_PER_USD = 10_000_000.0  # far above any currency's units per dollar (VND ~26,000)


class MissingRate(NotFound):
    """No exchange rate for a currency on the day asked."""

    def __init__(self, currency: str, on: date) -> None:
        super().__init__(f"No exchange rate for {currency} on {on.isoformat()}.")
        self.currency = currency
        self.on = on


@dataclass(frozen=True)
class Rate:
    """Units of `currency` per US dollar, valid from `valid_from` until the next rate."""

    currency: str
    valid_from: date
    per_usd: float
    source: str = "shipped"  # "shipped" (data file) or the admin who set it


class RateTable:
    """Dated rates of every currency; answers the rate in force on a day."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        by_currency: dict[str, list[Rate]] = {}
        for r in rates:
            by_currency.setdefault(r.currency, []).append(r)
        self._by_currency = {
            cur: sorted(items, key=lambda r: r.valid_from) for cur, items in by_currency.items()
        }

    @property
    def currencies(self) -> list[str]:
        """Currencies that have at least one rate."""
        return sorted(self._by_currency)

    def history(self, currency: str) -> list[Rate]:
        """Every rate of a currency, oldest first."""
        return list(self._by_currency.get(currency, ()))

    def rate(self, currency: str, on: date) -> Rate:
        """The rate of `currency` in force on `on`; raises MissingRate."""
        found = None
        for r in self._by_currency.get(currency, ()):
            if r.valid_from > on:
                break
            found = r
        if found is None:
            raise MissingRate(currency, on)
        return found

    def convert(self, amount: float, source: str, target: str, on: date) -> float:
        """`amount` of `source` in `target` at the rates in force on `on`."""
        if source == target:
            return float(amount)
        inputs: dict[str, float | str] = {
            "amount": float(amount),
            "source": source,
            "target": target,
            "source_per_usd": self.rate(source, on).per_usd,
            "target_per_usd": self.rate(target, on).per_usd,
        }
        result = formula.evaluate("currency_conversion", inputs)
        assert isinstance(result, formula.Computed)  # rates are > 0 (clean_per_usd)
        return result.value

    def explain(self, amount: float | None, source: str | None, target: str, on: date) -> str:
        """The conversion as a filled formula, or what is missing (the amount, a day's rate)."""

        def per_usd(currency: str | None) -> float | None:
            try:
                return self.rate(currency, on).per_usd if currency else None
            except MissingRate:
                return None

        inputs = {
            "amount": amount,
            "source": source,
            "target": target,
            "source_per_usd": per_usd(source),
            "target_per_usd": per_usd(target),
        }
        return formula.explain("currency_conversion", inputs)

    def factors(self, target: str, on: date) -> dict[str, float]:
        """Multiplier from each currency with a rate on `on` to `target` (always target: 1)."""
        try:
            to = self.rate(target, on).per_usd
        except MissingRate:
            return {target: 1.0}
        out = {}
        for cur in self._by_currency:
            try:
                out[cur] = to / self.rate(cur, on).per_usd
            except MissingRate:
                continue
        out[target] = 1.0
        return out


def clean_currency(code: str) -> str:
    """An ISO 4217-shaped code in capitals; raises ValueError naming the problem."""
    value = (code or "").strip().upper()
    if not CURRENCY_RE.fullmatch(value):
        raise ValueError(f"A currency is a three-letter code such as USD, got {code[:20]!r}.")
    return value


def clean_per_usd(value: float) -> float:
    """A usable units-per-dollar figure; raises ValueError naming the problem."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"A rate is a number, got {value!r}.")
    if value <= 0:
        raise ValueError("A rate is more than 0 units per US dollar.")
    if value > MAX_PER_USD:
        raise ValueError(
            f"A rate above {numfmt.count(MAX_PER_USD)} units per US dollar is not plausible."
        )
    return float(value)


def rates_from_data(data: Mapping[str, object]) -> list[Rate]:
    """The shipped rates of `ttcm/rules/exchange_rates.json` as Rate objects (validated)."""
    out = []
    for item in data["rates"]:  # type: ignore[attr-defined]
        out.append(
            Rate(
                currency=clean_currency(item["currency"]),
                valid_from=date.fromisoformat(item["valid_from"]),
                per_usd=clean_per_usd(item["per_usd"]),
            )
        )
    return out
