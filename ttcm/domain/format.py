"""The one formatter for numbers and codes shown to people (pages, charts, CSV, HTML, CLI).

Counts get thousands separators (or a compact 1.2M where space is short), rates are shown as
percentages, durations as m:ss, money with its currency and that currency's own decimals.
Nothing here returns a raw `None`, `nan` or an internal code.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ttcm import rules

MISSING = "—"
_COMPACT = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def _known(value: Any) -> bool:
    # numbers.Real also admits numpy's ints and floats, which pandas and the index hand out
    if value is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    return math.isfinite(float(value))


def missing(reason: str | None = None) -> str:
    """The placeholder for an unknown value, with its reason when the place has room for one."""
    return f"{MISSING} ({reason})" if reason else MISSING


def count(value: Any, *, compact: bool = False) -> str:
    """A whole count: 12,345 (or 12.3k / 1.2M with `compact`); fractions are rounded."""
    if not _known(value):
        return MISSING
    if compact:
        return compact_count(value)
    return f"{round(value):,}"


def compact_count(value: Any) -> str:
    """A count where space is short: 950, 12.3k, 1.2M, 3B."""
    if not _known(value):
        return MISSING
    n = round(value)
    for size, suffix in _COMPACT:
        if abs(n) >= size:
            shown = f"{n / size:.1f}".removesuffix(".0")
            if shown.lstrip("-") == "1000" and suffix != "T":  # 999,950 is 1M, not 1000k
                bigger = _COMPACT[_COMPACT.index((size, suffix)) - 1]
                return f"{n / bigger[0]:.1f}".removesuffix(".0") + bigger[1]
            return shown + suffix
    return str(n)


def decimal(value: Any, digits: int = 2) -> str:
    """A plain number with thousands separators and `digits` decimals (whole numbers stay whole)."""
    if not _known(value):
        return MISSING
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def exact(value: Any) -> str:
    """A number as it was typed, with thousands separators: 1,000,000, 0.0055, 1,234.5."""
    if not _known(value):
        return MISSING
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def significant(value: Any, digits: int = 6) -> str:
    """A number to `digits` significant figures, with separators: 16,600, 0.86, 0.000123457."""
    if not _known(value):
        return MISSING
    return f"{value:,.{digits}g}"


def percent(fraction: Any, digits: int = 2, *, signed: bool = False) -> str:
    """A rate given as a fraction, shown as a percentage: 0.0523 -> "5.23%"."""
    if not _known(fraction):
        return MISSING
    sign = "+" if signed else ""
    return f"{fraction * 100:{sign},.{digits}f}%"


def percent_value(fraction: Any, digits: int = 4) -> float | None:
    """A fraction as the number a "%" column holds (0.0523 -> 5.23), for CSV and tables."""
    if not _known(fraction):
        return None
    return round(float(fraction) * 100, digits)


def exponent(currency: str) -> int:
    """How many decimals the currency is shown with (JPY 0, USD 2, KWD 3)."""
    table = rules.display()
    return int(table["currency_exponents"].get(currency.upper(), table["default_exponent"]))


def money(amount: Any, currency: str | None, *, per_unit: bool = False) -> str:
    """An amount with its currency: "1,234.50 USD", "291,091 IDR".

    `per_unit` is for small unit costs (cost per view): below 1 it keeps four decimals so a
    CPV of 0.0055 is not shown as 0.01, whatever the currency.
    """
    if not _known(amount):
        return MISSING
    if not currency:
        return f"{decimal(amount)} (currency unknown)"
    digits = 4 if per_unit and abs(amount) < 1 else exponent(currency)
    return f"{amount:,.{digits}f} {currency.upper()}"


def money_sum(by_currency: Mapping[str, Any]) -> str:
    """Amounts in several currencies, one after the other: "1,200 USD + 50,000 JPY"."""
    parts = [money(v, cur) for cur, v in by_currency.items() if _known(v)]
    return " + ".join(parts) if parts else MISSING


def duration(seconds: Any) -> str:
    """A duration as m:ss (h:mm:ss from an hour): 75.4 -> "1:15"."""
    if not _known(seconds) or seconds < 0:
        return MISSING
    total = int(seconds + 0.5)  # half up: 2.5 s is 0:03
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def elapsed(seconds: Any) -> str:
    """How long a run took: "0.4 s" under a minute (tenths matter there), else m:ss."""
    if not _known(seconds) or seconds < 0:
        return MISSING
    return f"{seconds:.1f} s" if seconds < 59.95 else duration(seconds)


def rate(per_second: Any) -> str:
    """A throughput: "12.5/s"."""
    return MISSING if not _known(per_second) else f"{per_second:,.1f}/s"


def is_currency(unit: str) -> bool:
    """True for a currency code such as USD or JPY (the services' units are codes or nouns)."""
    return len(unit) == 3 and unit.isupper()


def compact_quantity(value: Any, unit: str) -> str | None:
    """A count or an amount where space is short (907.8M, 308.9k USD); None for a rate, a
    duration, a plain decimal or an unknown value, which have no shorter form."""
    if not unit or unit in ("%", "s") or not _known(value):
        return None
    return compact_count(value) + (f" {unit}" if is_currency(unit) else "")


def quantity(value: Any, unit: str, *, with_unit: bool = True) -> str:
    """A value with a unit as the services name it: "%" (a fraction), "s", a currency, or a noun.

    `with_unit=False` drops a count's noun (views, accounts, …) for places whose label already
    names it; %, durations and currencies always keep theirs.
    """
    if unit == "%":
        return percent(value)
    if unit == "s":  # watch times: tenths matter under a minute, m:ss from there
        return elapsed(value)
    if is_currency(unit):
        return money(value, unit, per_unit=True)
    if not unit:
        return decimal(value)
    text = count(value)
    return f"{text} {unit}" if with_unit and text != MISSING else text


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 creator", "2 creators", "12,000 creators"."""
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{count(n)} {word}"


def label(kind: str, code: Any) -> str:
    """The people's name of an internal code (`account_kind`, `auth_nonttcm` -> "Authenticated,
    not on TTCM"); an unlisted code is shown as words, never as snake_case."""
    if code is None or code == "":
        return MISSING
    names = rules.display()["labels"].get(kind, {})
    text = str(code)
    return names.get(text) or text.replace("_", " ").capitalize()


def header(key: str) -> str:
    """A column header for a field name: the listed one, else the name as words."""
    return rules.display()["headers"].get(key) or key.replace("_", " ").capitalize()


def timestamp(when: datetime | None, *, with_time: bool = True) -> str:
    """A UTC time as 2026-12-01 21:30 (or the date alone)."""
    if when is None:
        return MISSING
    return when.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
