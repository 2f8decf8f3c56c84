"""Fees and payments of a campaign's creators: status, date, reference and notes; spend; CSV.

Managers set a payment (audited); every role reads it. Money is shown in the campaign currency,
each fee converted by `ttcm.domain.payments.convert_fee` at the rates in force on its fee day (a
paid fee: its payment day; else today). A fee that cannot be converted is named, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt
from ttcm.domain import formula
from ttcm.domain.cells import Row
from ttcm.domain.payments import (
    convert_fee,
    fee_day,
    is_committed,
    payment_problems,
    status_label,
)
from ttcm.domain.performance.costs import budget_left, budget_value, order_fee
from ttcm.domain.performance.values import Value, missing
from ttcm.errors import InputError, NotFound
from ttcm.services.campaigns.creators import campaign_people
from ttcm.services.exchange_rates import effective_rates
from ttcm.services.export import to_csv
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record
from ttcm.store.timestamps import utcnow

PaymentRow = dict[str, Any]
UNPAID: tuple[Any, ...] = ("unpaid", None, None, None)  # a creator without a payment row
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("campaign_name", "Campaign"),
    ("handle_name", "Creator"),
    ("fee_amount", "Agreed fee"),
    ("fee_currency", "Fee currency"),
    ("fee_source", "Fee is"),
    ("converted", "Fee in campaign currency"),
    ("converted_how", "Fee in campaign currency how"),
    ("campaign_currency", "Campaign currency"),
    ("rate", "Rate (campaign currency per fee unit)"),
    ("rate_day", "Rates of"),
    ("status_label", "Status"),
    ("pay_date", "Date"),
    ("reference", "Reference"),
    ("notes", "Notes"),
    ("order_status", "Order status"),
    ("problem", "Problem"),
)


class PaymentError(InputError):
    """A payment that cannot be saved; `field` is status, date, reference, notes or creator."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SpendSummary:
    """What a campaign spends, in its currency: committed, scheduled, paid, still owed, left."""

    currency: str | None
    on: date
    budget: Value
    committed: Value
    scheduled: Value
    paid: Value
    unpaid: Value
    remaining: Value
    not_converted: dict[str, str]  # handle -> why its committed fee could not be converted
    spend_vs_budget: Value  # committed ÷ budget (its how is shown; the page has no tile for it)
    conversions: tuple[str, ...] = ()  # each committed fee's conversion as its filled formula


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    value = text.strip() if isinstance(text, str) else text
    return value or None


def _sum(rows: Sequence[PaymentRow], unit: str, what: str) -> Value:
    if not unit:
        return missing(unit, "The campaign has no currency; set one in the campaign settings.")
    bad = [r["handle_name"] for r in rows if r["converted"] is None]
    if bad:
        names = ", ".join(f"@{h}" for h in bad[:3]) + (" …" if len(bad) > 3 else "")
        return missing(unit, f"Not shown: the {what} fee of {names} cannot be converted.")
    if not rows:
        return Value(0.0, unit, how=f"Fees = 0 (no {what} fee)")
    items: list[Row] = [
        {"handle_name": r["handle_name"], "fee": r["converted"], "currency": unit} for r in rows
    ]
    inputs: formula.Inputs = {"creators": items, "currency": unit}
    total = formula.evaluate("fees_total", inputs)
    assert isinstance(total, formula.Computed) and not total.left_out  # every fee converted
    return Value(total.value, unit, how=formula.explain("fees_total", inputs))


class Payments:
    """Payments of campaign creators' fees (managers write, audited; everyone reads)."""

    def __init__(self, store: Store, now: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.now = now or (lambda: datetime.now(UTC))

    def today(self) -> date:
        """The app's today (the sandbox clock's, when it has one)."""
        return self.now().date()

    def _campaign(self, conn: Connection, campaign_pk: int) -> Any:
        c = m.Campaign
        row = conn.execute(
            select(c.id, c.campaign_name, c.currency, c.budget).where(c.id == campaign_pk)
        ).first()
        if row is None:
            raise NotFound(f"There is no campaign {campaign_pk}.")
        return row

    def rows(self, actor: Principal, campaign_pk: int) -> list[PaymentRow]:
        """One row per campaign creator: fee, its conversion, payment status, date, reference."""
        require(actor, "read")
        cc, c, o, p = m.CampaignCreator, m.Creator, m.Order, m.CreatorPayment
        query = campaign_people(
            select(
                cc.handle_name,
                c.display_name,
                cc.agreed_fee,
                cc.fee_currency,
                c.creator_price,
                c.currency,
                o.status.label("order_status"),
                p.status,
                p.pay_date,
                p.reference,
                p.notes,
                p.updated_by,
                p.updated_at,
            ),
            campaign_pk,
        ).join(
            p,
            (p.handle_name == cc.handle_name) & (p.campaign_pk == cc.campaign_pk),
            isouter=True,
        )
        with self.store.read() as conn:
            campaign = self._campaign(conn, campaign_pk)
            found = [dict(r._mapping) for r in conn.execute(query)]
        rates = effective_rates(self.store)
        target = (campaign.currency or "").upper()
        on = self.today()
        orders = rules.vocab()["order_statuses"]
        out = []
        for row in found:
            amount, cur, agreed = order_fee(row)
            status = row["status"] or "unpaid"
            day = fee_day(status, row["pay_date"], on)
            conv = (
                convert_fee(amount, cur, target, rates, day)
                if target
                else convert_fee(None, None, "", None, day)
            )
            problem = conv.problem if target else "the campaign has no currency"
            out.append(
                {
                    "campaign_pk": campaign_pk,
                    "campaign_name": campaign.campaign_name,
                    "campaign_currency": target or None,
                    "handle_name": row["handle_name"],
                    "display_name": row["display_name"],
                    "fee_amount": amount,
                    "fee_currency": cur or None,
                    "fee_source": "agreed" if agreed else "list price",
                    "fee_label": numfmt.money(amount, cur or None),
                    "converted": conv.amount,
                    "converted_label": numfmt.money(conv.amount, target or None),
                    "converted_how": conv.how,
                    "rate": conv.factor,
                    "rate_day": conv.day,
                    "status": status,
                    "status_label": status_label(status),
                    "pay_date": row["pay_date"],
                    "reference": row["reference"],
                    "notes": row["notes"],
                    "order_status": row["order_status"],
                    "order_label": orders.get(row["order_status"], row["order_status"])
                    if row["order_status"]
                    else "no order",
                    "committed": is_committed(row["order_status"], status),
                    "problem": problem,
                    "updated_by": row["updated_by"],
                    "updated_at": row["updated_at"],
                }
            )
        return out

    def summary(self, actor: Principal, campaign_pk: int) -> SpendSummary:
        """Committed, scheduled, paid and still-owed fees and the budget left, converted."""
        rows = self.rows(actor, campaign_pk)
        with self.store.read() as conn:
            campaign = self._campaign(conn, campaign_pk)
        unit = (campaign.currency or "").upper()
        committed = [r for r in rows if r["committed"]]
        budget = budget_value({"budget": campaign.budget, "currency": unit})
        spent = _sum(committed, unit, "committed")
        share, remaining = budget_left(spent, budget, unit)
        return SpendSummary(
            currency=unit or None,
            on=self.today(),
            budget=budget,
            committed=spent,
            scheduled=_sum([r for r in rows if r["status"] == "scheduled"], unit, "scheduled"),
            paid=_sum([r for r in rows if r["status"] == "paid"], unit, "paid"),
            unpaid=_sum([r for r in committed if r["status"] == "unpaid"], unit, "unpaid"),
            remaining=remaining,
            not_converted={r["handle_name"]: r["problem"] for r in committed if r["problem"]},
            spend_vs_budget=share,
            conversions=tuple(
                dict.fromkeys(r["converted_how"] for r in committed if r["converted_how"])
            ),
        )

    def csv(self, actor: Principal, campaign_pk: int) -> str:
        """The finance CSV: one row per creator, formulas neutralised."""
        require(actor, "export")
        return to_csv(self.rows(actor, campaign_pk), CSV_COLUMNS)

    def set_payment(
        self,
        actor: Principal,
        campaign_pk: int,
        handle: str,
        status: str,
        pay_date: date | None,
        reference: str | None = None,
        notes: str | None = None,
    ) -> bool:
        """Set a creator's payment (audited); False when nothing changed. Raises PaymentError."""
        require(actor, "campaign.write")
        reference, notes = _clean(reference), _clean(notes)
        problems = payment_problems(status, pay_date, reference, notes, self.today())
        if problems:
            field, message = next(iter(problems.items()))
            raise PaymentError(field, message)
        cc, p = m.CampaignCreator, m.CreatorPayment
        where = (cc.campaign_pk == campaign_pk) & (cc.handle_name == handle)
        with self.store.write() as conn:
            member = conn.execute(select(cc.handle_name).where(where)).first()
            if member is None:
                raise PaymentError("creator", f"@{handle[:40]} is not a creator of this campaign.")
            has_order = conn.execute(
                select(m.Order.order_id).where(
                    m.Order.campaign_pk == campaign_pk, m.Order.handle_name == handle
                )
            ).first()
            if status != "unpaid" and has_order is None:
                raise PaymentError(
                    "status",
                    f"@{handle[:40]} has no order in this campaign: a fee is paid for an order.",
                )
            key = (p.campaign_pk == campaign_pk) & (p.handle_name == handle)
            old = conn.execute(
                select(p.status, p.pay_date, p.reference, p.notes).where(key)
            ).first()
            before = (
                (old.status, old.pay_date, old.reference, old.notes)
                if old
                else ("unpaid", None, None, None)
            )
            after = (status, pay_date, reference, notes)
            if before == after:
                return False
            conn.execute(delete(p).where(key))
            if after != UNPAID:
                conn.execute(
                    insert(p).values(
                        campaign_pk=campaign_pk,
                        handle_name=handle,
                        status=status,
                        pay_date=pay_date,
                        reference=reference,
                        notes=notes,
                        updated_by=actor.username,
                        updated_at=utcnow(),
                    )
                )
            record(
                conn,
                actor.username,
                "campaign.payment",
                str(campaign_pk),
                _detail(handle, before, after),
                None,
            )
        return True


def _shown(value: Any) -> str:
    if value is None:
        return numfmt.MISSING
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _detail(handle: str, before: tuple[Any, ...], after: tuple[Any, ...]) -> dict[str, Any]:
    """The audit detail: the creator and each changed field as "before → after"."""
    out: dict[str, Any] = {"handle": handle}
    names = ("payment_status", "payment_date", "reference", "notes")
    for name, was, now in zip(names, before, after, strict=True):
        if was != now:
            if name == "payment_status":
                was, now = status_label(was), status_label(now)
            out[name] = f"{_shown(was)} → {_shown(now)}"
    return out
