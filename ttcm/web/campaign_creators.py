"""A campaign's creators on the Campaigns page: the table, agreed fees, add and remove."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.errors import TTCMError
from ttcm.services import fees
from ttcm.web.context import PageContext
from ttcm.web.feedback import show_error
from ttcm.web.fields import Problems, checked_number
from ttcm.web.page_state import confirm, flash, fresh_key, renew
from ttcm.web.text import plain
from ttcm.web.widgets import creator_picker

Person = dict[str, object]
COLUMNS = {
    "handle_name": "Handle",
    "display_name": "Name",
    "account_kind": "Account",
    "status_label": "Order",
    "list_price": "List price",
    "fee_label": "Agreed fee",
    "campaign_code": "Campaign code",
    "error": "Problem",
}


def handles_text(handles: list[str], most: int = 10) -> str:
    """@a, @b, … as plain text (at most `most`, then an ellipsis)."""
    shown = ", ".join(f"@{plain(h)}" for h in handles[:most])
    return shown + ("…" if len(handles) > most else "")


def creators_table(people: list[Person]) -> None:
    """The campaign's creators with their account, order, prices and any problem."""
    st.subheader("Creators")
    if not people:
        st.caption("No creators yet.")
        return
    frame = pd.DataFrame(people)[list(COLUMNS)].fillna("").rename(columns=COLUMNS)
    st.dataframe(frame, hide_index=True, width="stretch")
    for row in people:
        if row["error"]:
            st.error(f"@{plain(row['handle_name'])}: {plain(row['error'])}")


def fee_form(ctx: PageContext, pk: int, people: list[Person], where: str) -> None:
    """Agree a fee with one creator (amount + currency), or go back to the list price."""
    st.markdown("**Agreed fees**")
    row = creator_picker(people, key=f"fee{pk}_who")
    who = str(row["handle_name"])
    st.caption(f"List price: {plain(row['list_price'])} · agreed fee: {plain(row['fee_label'])}")
    agreed = row["agreed_fee"] is not None
    problems = Problems()
    left, right = st.columns([3, 1])
    amount = checked_number(
        left,
        "Agreed fee",
        problems,
        lo=0,
        hi=fees.MAX_FEE,
        whole=False,
        value=row["agreed_fee"] if agreed else row["creator_price"],
        step=1.0,
        key=f"fee{pk}_{who}_amount",
    )
    currency = right.text_input(
        "Currency",
        value=str((row["fee_currency"] if agreed else row["currency"]) or ""),
        key=f"fee{pk}_{who}_currency",
    )
    if amount is None:
        left.error("Agreed fee: Enter the agreed amount.")
        problems.add("Agreed fee", "Enter the agreed amount.")
    bad_currency = fees.currency_problem(currency)
    if bad_currency:
        right.error(f"Currency: {bad_currency}")
        problems.add("Currency", bad_currency)
    if problems:
        st.caption(plain(problems.summary()))
    save, reset = st.columns(2)
    if save.button("Save agreed fee", key=f"fee{pk}_save", disabled=bool(problems)):
        try:
            ctx.services.fees.set_fee(ctx.principal, pk, who, amount, currency)
        except TTCMError as exc:
            show_error(exc)
        else:
            flash("success", f"Agreed fee of @{plain(who)} saved.", where)
            st.rerun()
    if agreed and reset.button("Back to the list price", key=f"fee{pk}_reset"):
        ctx.services.fees.set_fee(ctx.principal, pk, who, None, None)
        flash("success", f"@{plain(who)} is back at the list price.", where)
        st.rerun()


def add_creators(ctx: PageContext, pk: int, where: str) -> None:
    """Add creators by typed handles or from a shortlist; what happened is said on `where`."""
    lists = {s.name: s.id for s in ctx.services.shortlists.all(ctx.principal)}
    typed = st.text_area(
        "Add creators by handle (one per line or comma separated)",
        key=fresh_key(f"add{pk}_handles"),
    )
    from_list = st.selectbox(
        "…or everyone on a shortlist",
        [None, *lists],
        format_func=lambda x: x or "—",
        key=fresh_key(f"add{pk}_list"),
    )
    if not st.button("Add to campaign", key=f"add{pk}_go"):
        return
    names = [h for part in typed.replace(",", "\n").splitlines() if (h := part.strip())]
    if from_list:
        members = ctx.services.shortlists.members(ctx.principal, lists[from_list])
        names += [str(r["handle_name"]) for r in members]
    if not names:
        st.warning("Type handles or choose a shortlist first.")
        return
    added = ctx.services.campaigns.add_creators(ctx.principal, pk, names)
    if added.added:
        flash("success", f"Added {numfmt.plural(len(added.added), 'creator')}.", where)
    if added.already:
        flash("info", f"Already in the campaign: {numfmt.count(len(added.already))}.", where)
    for handle, reason in added.refused.items():
        flash("error", f"@{plain(handle)}: {plain(reason)}", where)
    renew(f"add{pk}_handles")
    renew(f"add{pk}_list")
    st.rerun()


def remove_creators(ctx: PageContext, pk: int, people: list[Person], where: str) -> None:
    """Take creators without an order off the campaign, after asking."""
    removable = [str(p["handle_name"]) for p in people if not p["order_id"]]
    if not removable:
        return
    with st.expander("Remove creators"):
        drop = st.multiselect(
            "Creators to remove (without an order)", removable, key=fresh_key(f"drop{pk}_who")
        )
        ask = f"drop{pk}_ask"
        if st.button("Remove from campaign…", key=f"drop{pk}_go", disabled=not drop):
            st.session_state[ask] = True
        if not drop or not confirm(
            ask,
            f"Remove {numfmt.plural(len(drop), 'creator')} from this campaign: "
            f"{handles_text(drop)}? Their cached data stays; you can add them again.",
            "Yes, remove them",
        ):
            return
        gone = ctx.services.campaigns.remove_creators(ctx.principal, pk, drop)
        if gone.removed:
            flash(
                "success",
                f"Removed {numfmt.plural(len(gone.removed), 'creator')}: "
                f"{handles_text(gone.removed)}.",
                where,
            )
        for handle, why in gone.kept.items():
            flash("warning", f"@{plain(handle)}: {plain(why)}.", where)
        renew(f"drop{pk}_who")
        st.rerun()


def creators_section(ctx: PageContext, pk: int, where: str) -> list[Person]:
    """The creators part of the Creators and orders tab; returns the creators for the orders."""
    people = ctx.services.campaigns.creators(ctx.principal, pk)
    creators_table(people)
    if ctx.can("campaign.write"):
        if people:
            fee_form(ctx, pk, people, where)
        add_creators(ctx, pk, where)
        remove_creators(ctx, pk, people, where)
    return people
