"""The "Fees & payments" tab of the Campaigns page: spend, the table, one payment, the CSV."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.domain.payments import payment_problems, statuses, text_limits
from ttcm.domain.performance.values import Value
from ttcm.errors import TTCMError
from ttcm.services.payments import PaymentRow, SpendSummary
from ttcm.web.context import PageContext
from ttcm.web.feedback import show_error
from ttcm.web.formula import how_computed
from ttcm.web.page_state import flash
from ttcm.web.text import plain
from ttcm.web.widgets import creator_picker

COLUMNS = {
    "handle_name": "Creator",
    "fee_label": "Fee",
    "fee_source": "Fee is",
    "converted_label": "In campaign currency",
    "rate_text": "Rate",
    "rate_day": "Rates of",
    "status_label": "Payment",
    "pay_date": "Date",
    "reference": "Reference",
    "notes": "Notes",
    "order_label": "Order",
    "problem": "Problem",
}
LABELS = {"status": "Payment", "date": "Date", "reference": "Reference", "notes": "Notes"}


def money_tile(where: Any, label: str, v: Value, shown_reasons: set[str]) -> None:
    """A money tile in the currency's own decimals (a total, not a unit cost), or "—" and why."""
    where.metric(label, numfmt.money(v.value, v.unit or None), help=v.note)
    if v.note:
        where.caption(plain(v.note))
    if v.value is None and v.reason and v.reason not in shown_reasons:
        shown_reasons.add(v.reason)
        where.caption(plain(v.reason))


def spend_tiles(s: SpendSummary) -> None:
    """Budget, committed, scheduled, paid, still owed and left, in the campaign currency."""
    st.subheader("Spend")
    reasons: set[str] = set()
    tiles = (
        ("Budget", s.budget),
        ("Committed (agreed fees)", s.committed),
        ("Remaining budget", s.remaining),
    )
    for col, (label, v) in zip(st.columns(3), tiles, strict=True):
        money_tile(col, label, v, reasons)
    tiles = (("Paid", s.paid), ("Scheduled", s.scheduled), ("Not yet scheduled", s.unpaid))
    for col, (label, v) in zip(st.columns(3), tiles, strict=True):
        money_tile(col, label, v, reasons)
    st.caption(
        f"Fees in other currencies are converted at the rates in force on {s.on:%Y-%m-%d} "
        "(today); a paid fee at the rates of its payment day."
    )
    for handle, why in s.not_converted.items():
        st.warning(f"@{plain(handle)}: {plain(why)} — not counted in the totals above.")
    how_computed(spend_how(s))


def spend_how(s: SpendSummary) -> list[str]:
    """The spend tiles' formulas filled with this campaign's fees, then each fee's conversion."""
    named = (
        ("Committed", s.committed),
        ("Paid", s.paid),
        ("Scheduled", s.scheduled),
        ("Not yet scheduled", s.unpaid),
    )
    lines = [f"{label}: {v.how}" for label, v in named if v.how]
    lines += [v.how for v in (s.remaining, s.spend_vs_budget) if v.how]
    return lines + list(s.conversions)


def _day(value: object) -> str:
    """A date as YYYY-MM-DD, or "" when there is none."""
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else ""


def payments_table(rows: list[PaymentRow]) -> None:
    """One line per creator: fee, its value in the campaign currency, payment."""
    shown = []
    for r in rows:
        rate = r["rate"]
        shown.append(
            {
                **r,
                "rate_text": numfmt.significant(rate) if rate is not None else "",
                # text, not dates beside blanks: a column of one type serialises without a fix-up
                "pay_date": _day(r["pay_date"]),
                "rate_day": _day(r["rate_day"]),
            }
        )
    frame = pd.DataFrame(shown)[list(COLUMNS)].astype("object")
    frame = frame.where(frame.notna(), "").rename(columns=COLUMNS)
    st.dataframe(frame, hide_index=True, width="stretch")


def _field_error(where: Any, name: str, problems: dict[str, str]) -> None:
    if name in problems:
        where.error(f"{LABELS[name]}: {plain(problems[name])}")


def payment_form(ctx: PageContext, pk: int, rows: list[PaymentRow], where: str) -> None:
    """Set one creator's payment: status, date, reference and notes (checked as typed)."""
    st.subheader("Update a payment")
    row = creator_picker(rows, key=f"pay{pk}_who")
    who = str(row["handle_name"])
    names = statuses()
    key = f"pay{pk}_{who}"
    left, right = st.columns(2)
    status = left.selectbox(
        "Payment",
        list(names),
        index=list(names).index(row["status"]),
        format_func=lambda s: names[s],
        key=f"{key}_status",
    )
    today = ctx.services.payments.today()
    ref_max, notes_max = text_limits()
    day = right.date_input(
        "Date (scheduled or paid)",
        value=row["pay_date"],
        key=f"{key}_date",
    )
    reference = st.text_input(
        f"Reference (invoice or transfer, up to {ref_max} characters)",
        value=row["reference"] or "",
        key=f"{key}_ref",
    )
    notes = st.text_area(
        f"Notes (up to {numfmt.count(notes_max)} characters)",
        value=row["notes"] or "",
        key=f"{key}_notes",
    )
    typed_day = day if isinstance(day, date) else None
    problems = payment_problems(
        status, typed_day, reference.strip() or None, notes.strip() or None, today
    )
    _field_error(left, "status", problems)
    _field_error(right, "date", problems)
    _field_error(st, "reference", problems)
    _field_error(st, "notes", problems)
    if st.button("Save payment", key=f"pay{pk}_save", disabled=bool(problems)):
        try:
            changed = ctx.services.payments.set_payment(
                ctx.principal, pk, who, status, typed_day, reference, notes
            )
        except TTCMError as exc:
            show_error(exc, lambda name: LABELS.get(name, name.capitalize()))
            return
        if changed:
            flash("success", f"Payment of @{plain(who)} saved ({names[status]}).", where)
        else:
            flash("info", f"Nothing changed for @{plain(who)}.", where)
        st.rerun()


def payments_tab(ctx: PageContext, campaign: dict[str, Any], where: str) -> None:
    """The Fees & payments tab: spend summary, table, editor (managers) and the finance CSV."""
    pk = int(campaign["id"])
    rows = ctx.services.payments.rows(ctx.principal, pk)
    if not rows:
        st.info("No creators in this campaign yet: add them on the Creators and orders tab.")
        return
    spend_tiles(ctx.services.payments.summary(ctx.principal, pk))
    st.subheader("Fees and payments")
    st.caption("Agreed fees are set on the Creators and orders tab (until then: the list price).")
    payments_table(rows)
    if ctx.can("export"):
        st.download_button(
            "Finance CSV",
            ctx.services.payments.csv(ctx.principal, pk),
            file_name=f"campaign-{pk}-payments.csv",
            mime="text/csv",
            on_click="ignore",
        )
    if ctx.can("campaign.write"):
        payment_form(ctx, pk, rows, where)
