"""Paying creators' fees: the payment rules and the one way a fee becomes campaign currency.

A fee is converted through the dated rates in force on its *fee day*: the day it was paid for a
paid fee (what the money cost then), else the day the costs are computed for (the best estimate
of a payment still to come). A fee that cannot be converted is never guessed: the conversion
says why (no fee, no currency, no rate on that day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.domain.exchange import MissingRate, RateTable

DECLINED = "DECLINED"


def _rules() -> dict[str, Any]:
    return rules.load("payments")


def statuses() -> dict[str, str]:
    """Payment status code -> label, in order (unpaid, scheduled, paid)."""
    return dict(_rules()["statuses"])


def text_limits() -> tuple[int, int]:
    """(reference, notes) longest lengths, in characters."""
    r = _rules()
    return int(r["reference_max_chars"]), int(r["notes_max_chars"])


def status_label(status: str | None) -> str:
    """The label of a payment status (a creator without one is unpaid)."""
    return statuses().get(status or "unpaid", status or "unpaid")


def is_committed(order_status: str | None, payment_status: str | None) -> bool:
    """True when a creator's fee is spent or owed: an order not declined, or money on its way."""
    if payment_status in _rules()["needs_date"]:
        return True
    return order_status is not None and order_status != DECLINED


def fee_day(payment_status: str | None, pay_date: date | None, on: date | None) -> date | None:
    """The day whose rates convert a fee: the payment day of a paid fee, else `on`."""
    if payment_status == "paid" and pay_date is not None:
        return pay_date
    return on


@dataclass(frozen=True)
class Conversion:
    """A fee in the campaign currency, or why it cannot be: `problem` is then set."""

    amount: float | None
    factor: float | None  # one unit of the fee currency in the campaign currency
    day: date | None  # the day whose rates were used
    problem: str | None = None
    how: str = ""  # the conversion as its filled formula ('' when the fee is in `target`)


def convert_fee(
    amount: float | None,
    currency: str | None,
    target: str,
    rates: RateTable | None,
    day: date | None,
) -> Conversion:
    """`amount` `currency` in `target` at the rates in force on `day` (never guessed)."""
    if amount is None:
        return Conversion(None, None, day, "no fee or list price is known")
    cur = (currency or "").upper()
    if not cur:
        return Conversion(None, None, day, "the fee has no currency")
    if cur == target:
        return Conversion(float(amount), 1.0, day)
    if rates is None or day is None:
        return Conversion(None, None, day, f"no exchange rate from {cur} to {target}")
    how = rates.explain(float(amount), cur, target, day)
    try:
        factor = rates.convert(1.0, cur, target, day)
    except MissingRate as exc:
        why = f"no exchange rate for {exc.currency} on {day:%Y-%m-%d}"
        return Conversion(None, None, day, why, how)
    return Conversion(float(amount) * factor, factor, day, how=how)


def _text_problem(value: str | None, limit_key: str, what: str, *, one_line: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return f"Type the {what} as text."
    limit = int(_rules()[limit_key])
    if len(value) > limit:
        return (
            f"At most {numfmt.count(limit)} characters ({numfmt.count(len(value))} now): "
            f"shorten the {what}; nothing is cut."
        )
    if any(ord(ch) < 32 and (one_line or ch not in "\n\t") for ch in value):
        if one_line:
            return f"Keep the {what} on one line (no line breaks or control characters)."
        return f"Remove the control characters from the {what} (line breaks and tabs are fine)."
    return None


def payment_problems(
    status: str | None,
    pay_date: date | None,
    reference: str | None,
    notes: str | None,
    today: date,
) -> dict[str, str]:
    """What is wrong with a payment as typed, by field (empty when it can be saved)."""
    r = _rules()
    out: dict[str, str] = {}
    names = statuses()
    if status not in names:
        shown = str(status)[:20]
        out["status"] = f"A payment is {', '.join(names)}; not {shown!r}."
        return out
    earliest = date.fromisoformat(r["earliest_date"])
    if pay_date is not None and (not isinstance(pay_date, date) or hasattr(pay_date, "hour")):
        out["date"] = "The date is a day (YYYY-MM-DD)."
    elif status in r["needs_date"] and pay_date is None:
        out["date"] = f"A {names[status].lower()} payment needs its date."
    elif status not in r["needs_date"] and pay_date is not None:
        out["date"] = "An unpaid fee has no date: clear it, or choose scheduled or paid."
    elif pay_date is not None and pay_date < earliest:
        out["date"] = f"A payment date is on or after {earliest.isoformat()}."
    elif status == "paid" and pay_date is not None and pay_date > today:
        out["date"] = (
            f"A paid date is a day that has come: {pay_date.isoformat()} is after today "
            f"({today.isoformat()}). Choose scheduled for a payment still to make."
        )
    elif status == "scheduled" and pay_date is not None:
        last = today + timedelta(days=int(r["schedule_max_days"]))
        if pay_date > last:
            out["date"] = (
                f"A payment is scheduled at most {numfmt.count(r['schedule_max_days'])} days "
                f"ahead (until {last.isoformat()}); {pay_date.isoformat()} is later."
            )
    problem = _text_problem(reference, "reference_max_chars", "reference", one_line=True)
    if problem:
        out["reference"] = problem
    problem = _text_problem(notes, "notes_max_chars", "notes", one_line=False)
    if problem:
        out["notes"] = problem
    return out
