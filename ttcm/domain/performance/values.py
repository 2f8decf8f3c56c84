"""A number as shown: its value and unit, or why there is none (never 0)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ttcm.domain import format as numfmt


@dataclass(frozen=True)
class Value:
    """A number as shown: value and unit, or why there is none; `note` qualifies a known value;
    `how` is its formula filled with its inputs (ttcm/domain/formula.py) when it is derived."""

    value: float | None
    unit: str
    reason: str | None = None
    note: str | None = None
    how: str | None = field(default=None, compare=False)  # describes the value, not part of it

    @property
    def known(self) -> bool:
        """True when there is a number."""
        return self.value is not None

    def text(self, *, with_unit: bool = True) -> str:
        """The value formatted with its unit, or "—" when unknown."""
        return fmt(self.value, self.unit, with_unit=with_unit)


def missing(unit: str, reason: str, how: str | None = None) -> Value:
    """An unknown value with the reason."""
    return Value(None, unit, reason, how=how)


def fmt(value: float | None, unit: str, *, with_unit: bool = True) -> str:
    """Format a number for people: rates in %, money with 2 decimals, counts as whole numbers.

    `with_unit=False` drops a count's unit (views, accounts, …) for tight places such as metric
    tiles whose label already names it; %, seconds and currencies always keep theirs.
    """
    return numfmt.quantity(value, unit, with_unit=with_unit)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None:
        return None
    if is_nan(numerator) or is_nan(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def is_nan(x: Any) -> bool:
    """True for a float NaN (pandas' blank)."""
    return isinstance(x, float) and math.isnan(x)
