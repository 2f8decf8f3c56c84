"""Cost per result: fees (agreed, else list price) and budget per view, engagement, 1,000 views."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ttcm.domain import formula
from ttcm.domain.exchange import RateTable
from ttcm.domain.payments import convert_fee, fee_day, is_committed
from ttcm.domain.performance.totals import Totals
from ttcm.domain.performance.values import Value, missing


@dataclass(frozen=True)
class Costs:
    """What the campaign costs per result, on the creators' prices and on the budget."""

    currency: str | None
    creator_cost: Value
    budget: Value
    cpv: Value
    cpe: Value
    cpm: Value
    budget_cpv: Value
    budget_cpe: Value
    budget_cpm: Value
    spend_vs_budget: Value
    remaining_budget: Value

    def per_result(self) -> list[tuple[str, Value]]:
        """(label, value) of the costs per view, engagement and thousand views, fees then budget."""
        return [
            ("Cost per view (fees)", self.cpv),
            ("Cost per engagement (fees)", self.cpe),
            ("CPM (fees)", self.cpm),
            ("Cost per view (budget)", self.budget_cpv),
            ("Cost per engagement (budget)", self.budget_cpe),
            ("CPM (budget)", self.budget_cpm),
        ]

    def spend(self) -> list[tuple[str, Value]]:
        """(label, value) of the spend against the budget."""
        return [
            ("Spend vs budget", self.spend_vs_budget),
            ("Remaining budget", self.remaining_budget),
        ]


def order_fee(order: Mapping[str, Any]) -> tuple[float | None, str, bool]:
    """(amount, currency, agreed?) an order costs: the agreed fee, else the creator's list price."""
    if order.get("agreed_fee") is not None:
        return float(order["agreed_fee"]), (order.get("fee_currency") or "").upper(), True
    price = order.get("creator_price")
    return (None if price is None else float(price)), (order.get("currency") or "").upper(), False


def _names(handles: Sequence[str]) -> str:
    return ", ".join(f"@{h}" for h in handles[:3]) + (" …" if len(handles) > 3 else "")


def creator_cost(
    orders: Sequence[Mapping[str, Any]],
    currency: str | None,
    rates: RateTable | None = None,
    on: date | None = None,
) -> Value:
    """Sum of the fees (agreed, else list price) the campaign is committed to.

    Committed: an order not declined, or a payment scheduled or paid (ttcm.domain.payments). A fee
    in another currency is converted through the dated rates in force on its fee day (the payment
    day of a paid fee, else `on`); a fee with no rate (or no currency) makes the total unknown and
    is named, never guessed or left out.
    """
    unit = currency or ""
    live = [o for o in orders if is_committed(o.get("status"), o.get("payment_status"))]
    if not currency:
        return missing(unit, "The campaign has no currency; set one in the campaign settings.")
    if not live:
        return missing(unit, "No orders yet (declined orders cost nothing).")
    fees = [(o["handle_name"], *order_fee(o), o) for o in live]
    unknown = [h for h, amount, _, _, _ in fees if amount is None]
    if unknown:
        return missing(unit, f"No fee or list price is known for {_names(unknown)}.")
    target = currency.upper()
    no_currency = [h for h, _, cur, _, _ in fees if not cur]
    if no_currency:
        return missing(unit, f"The fee of {_names(no_currency)} has no currency.")
    total = 0.0
    converted: list[str] = []
    paid_days = False
    lacking: dict[tuple[str, date | None], list[str]] = {}
    for handle, amount, cur, _, order in fees:
        day = fee_day(order.get("payment_status"), order.get("payment_date"), on)
        done = convert_fee(amount, cur, target, rates, day)
        if done.amount is None:
            lacking.setdefault((cur, day), []).append(handle)
            continue
        total += done.amount
        if cur != target and cur not in converted:
            converted.append(cur)
        paid_days = paid_days or (cur != target and day != on)
    if lacking:
        parts = "; ".join(
            f"{cur}{f' on {d:%Y-%m-%d} (paid)' if d and d != on else ''} (the fee of {_names(hs)})"
            for (cur, d), hs in sorted(lacking.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
        )
        when = f" on {on:%Y-%m-%d}" if on else ""
        return missing(
            unit,
            f"Missing exchange rate{when} to {target} for {parts}: the total is not shown "
            "(fees in different currencies are never added up unconverted).",
        )
    agreed = sum(1 for f in fees if f[3])
    notes = []
    if agreed:
        notes.append(f"{agreed} of {len(fees)} fees agreed, the others at list price")
    if converted:
        when = f"the rates of {on:%Y-%m-%d}" if on else "their rates"
        paid = " (paid fees at their payment day's)" if paid_days else ""
        notes.append(f"{', '.join(converted)} converted at {when}{paid}")
    return Value(total, target, note="; ".join(notes) or None)


def _per(metric: str, base: Value, amount: Value, what: str, unit: str) -> Value:
    """Cost (or budget) per result through its formula; a missing or 0 input says which."""
    cost_key, amount_key = ("budget" if metric.startswith("budget") else "cost"), what
    inputs = {cost_key: base.value, amount_key: amount.value, "currency": unit or None}
    result = formula.evaluate(metric, inputs)
    how = formula.explain(metric, inputs)
    if isinstance(result, formula.Missing):
        gap = result.gaps[0]
        if gap.input == cost_key:
            why = (
                base.reason or "The cost is unknown."
                if gap.kind == "missing"
                else "The cost is 0, so there is no cost per result to show."
            )
        elif gap.kind == "missing":
            why = amount.reason or f"No {what} yet."
        else:
            why = f"No {what} yet."
        return missing(unit, why, how)
    return Value(result.value, unit, note=amount.note, how=how)


def budget_value(campaign: Mapping[str, Any]) -> Value:
    """The campaign plan's budget in its currency, or why there is none."""
    currency = (campaign.get("currency") or "").upper()
    if campaign.get("budget") is None:
        return missing(currency, "No budget in the campaign plan.")
    if not currency:
        return missing(currency, "The budget has no currency.")
    return Value(float(campaign["budget"]), currency)


def budget_left(cost: Value, budget: Value, unit: str) -> tuple[Value, Value]:
    """(spend vs budget, remaining budget) of `cost` through their formulas, each with its how."""
    inputs = {"cost": cost.value, "budget": budget.value, "currency": unit or None}
    share_how = formula.explain("spend_vs_budget", inputs)
    remaining_how = formula.explain("remaining_budget", inputs)
    if not cost.known or not budget.known:
        why = cost.reason if not cost.known else budget.reason
        return missing("%", why or "", share_how), missing(unit, why or "", remaining_how)
    ratio = formula.evaluate("spend_vs_budget", inputs)
    share = (
        Value(ratio.value, "%", how=share_how)
        if isinstance(ratio, formula.Computed)
        else missing("%", "The budget is 0, so there is no share of it to show.", share_how)
    )
    left = formula.evaluate("remaining_budget", inputs)
    assert isinstance(left, formula.Computed)  # both inputs are known here
    note = "over budget" if left.value < 0 else None
    return share, Value(left.value, unit, note=note, how=remaining_how)


def costs(
    campaign: Mapping[str, Any],
    orders: Sequence[Mapping[str, Any]],
    t: Totals,
    rates: RateTable | None = None,
    on: date | None = None,
) -> Costs:
    """Cost per view, per engagement and per 1,000 views (CPM) on fees and on the budget."""
    currency = (campaign.get("currency") or "").upper() or None
    unit = currency or ""
    budget = budget_value(campaign)
    cost = creator_cost(orders, currency, rates, on)
    share, remaining = budget_left(cost, budget, unit)
    return Costs(
        currency=currency,
        creator_cost=cost,
        budget=budget,
        cpv=_per("cpv", cost, t.views, "views", unit),
        cpe=_per("cpe", cost, t.engagements, "engagements", unit),
        cpm=_per("cpm", cost, t.views, "views", unit),
        budget_cpv=_per("budget_cpv", budget, t.views, "views", unit),
        budget_cpe=_per("budget_cpe", budget, t.engagements, "engagements", unit),
        budget_cpm=_per("budget_cpm", budget, t.views, "views", unit),
        spend_vs_budget=share,
        remaining_budget=remaining,
    )
