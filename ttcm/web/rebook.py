"""Rebooking on the Campaigns page: the creator the profile's "Rebook" named (`?rebook=handle`),
added to the chosen campaign and ordered with their last order's deliverables and fee, prefilled.

Every step is a click on this page and goes through the campaign, fee and order services with
their checks; nothing is sent to TikTok before "Create order" is clicked.
"""

from __future__ import annotations

import streamlit as st

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.errors import TTCMError
from ttcm.services.creator_history import Rebooking
from ttcm.services.orders.request import OrderRequest
from ttcm.web.campaign_creators import Person
from ttcm.web.context import PageContext
from ttcm.web.feedback import show_error
from ttcm.web.fields import Problems, checked_number
from ttcm.web.order_form import deliverable_rows, run_orders
from ttcm.web.page_state import flash
from ttcm.web.text import plain

PARAM = "rebook"
lim = rules.limits()


def rebook_handle() -> str | None:
    """The handle the URL asks to rebook, or None."""
    raw = st.query_params.get(PARAM)
    handle = (raw or "").strip().lstrip("@")
    return handle or None


def rebook_notice(ctx: PageContext) -> bool:
    """Say at the top which creator is being rebooked; True when a new campaign is to be made."""
    handle = rebook_handle()
    if handle is None or not ctx.can("order.write"):
        return False
    new = st.query_params.get("rebook_into") == "new"  # the profile's "A new campaign…"
    st.info(
        f"Rebooking @{plain(handle)}: "
        + (
            "create the new campaign below, then order on its Creators and orders tab."
            if new
            else "the order form on the Creators and orders tab is prefilled."
        )
    )
    return new


def _prefill(pk: int, last: Rebooking | None) -> None:
    """Put the last order's videos and deliverables into the form's widgets once."""
    if last is None or st.session_state.get(f"rebook{pk}_filled"):
        return
    st.session_state[f"rebook{pk}_filled"] = True
    for i, name in enumerate(last.deliverable_names):
        st.session_state[f"rebook{pk}_name{i}"] = name
        days = last.spark_days[i] if i < len(last.spark_days) else 0
        st.session_state[f"rebook{pk}_spark_on{i}"] = bool(days)
        if days:
            st.session_state[f"rebook{pk}_days{i}"] = days


def _add(ctx: PageContext, pk: int, handle: str, where: str) -> None:
    st.caption(f"@{plain(handle)} is not a creator of this campaign yet.")
    if not st.button(f"Add @{plain(handle)} to this campaign", key=f"rebook{pk}_add"):
        return
    try:
        added = ctx.services.campaigns.add_creators(ctx.principal, pk, [handle])
    except TTCMError as exc:
        show_error(exc)
        return
    for who, reason in added.refused.items():
        flash("error", f"@{plain(who)}: {plain(reason)}", where)
    if added.added:
        flash("success", f"Added @{plain(handle)} to the campaign.", where)
    st.rerun()


def _fee(ctx: PageContext, pk: int, person: Person, last: Rebooking | None, where: str) -> None:
    if last is None or last.agreed_fee is None or person["agreed_fee"] is not None:
        return
    fee = numfmt.money(last.agreed_fee, last.fee_currency)
    if st.button(f"Agree {fee}, as in {plain(last.from_campaign_name)}", key=f"rebook{pk}_fee"):
        handle = str(person["handle_name"])
        try:
            ctx.services.fees.set_fee(ctx.principal, pk, handle, last.agreed_fee, last.fee_currency)
        except TTCMError as exc:
            show_error(exc)
            return
        flash("success", f"Agreed fee of @{plain(handle)}: {fee}.", where)
        st.rerun()


def _order_form(
    ctx: PageContext, campaign: dict[str, object], handle: str, last: Rebooking | None, where: str
) -> None:
    pk = int(str(campaign["id"]))
    problems = Problems()
    lo, hi = int(lim["order_video_min"]), int(lim["order_video_max"])
    videos = checked_number(
        st, "Videos", problems, lo=lo, hi=hi, whole=True, step=1,
        value=last.video_number if last else 1, key=f"rebook{pk}_videos",
    )  # fmt: skip
    default_days = int(str(campaign["spark_days_default"] or lim["spark_ads_default_days"]))
    n_rows = int(videos) if videos is not None and not problems else 0
    names, sparks = deliverable_rows(pk, n_rows, default_days, problems, prefix="rebook")
    if problems:
        st.caption(plain(problems.summary()))
    request = OrderRequest(pk, [handle], n_rows or lo, names, sparks)
    if st.button(
        f"Create order for @{plain(handle)}",
        type="primary",
        key=f"rebook{pk}_go",
        disabled=bool(problems),
    ):
        run_orders(lambda: ctx.services.orders.create(ctx.principal, request), where)


def rebook_panel(
    ctx: PageContext, campaign: dict[str, object], people: list[Person], where: str
) -> None:
    """The prefilled rebooking of the URL's creator into this campaign (managers)."""
    handle = rebook_handle()
    if handle is None or not ctx.can("order.write"):
        return
    pk = int(str(campaign["id"]))
    with st.container(border=True):
        st.markdown(f"**Rebook @{plain(handle)} into {plain(campaign['campaign_name'])}**")
        last = ctx.services.creator_history.rebooking(ctx.principal, handle)
        person = next((p for p in people if p["handle_name"] == handle), None)
        if person is None:
            _add(ctx, pk, handle, where)
        elif person["order_id"]:
            st.info(f"@{plain(handle)} has an order in this campaign.")
        elif person["order_block"]:
            st.error(f"@{plain(handle)} can't be ordered: {plain(person['order_block'])}")
        else:
            if last is not None:
                st.caption(
                    "Prefilled with the last order's deliverables, from "
                    f"{plain(last.from_campaign_name)}."
                )
            _prefill(pk, last)
            _fee(ctx, pk, person, last, where)
            _order_form(ctx, campaign, handle, last, where)
        if st.button("Done rebooking", key=f"rebook{pk}_done"):
            for key in (PARAM, "rebook_into"):
                if key in st.query_params:
                    del st.query_params[key]
            st.rerun()
