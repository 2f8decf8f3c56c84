"""Orders on the Campaigns page: the orders, their codes, recovery, replacing a declined creator,
and the form that creates orders (each creator's order is sent exactly once)."""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.errors import TTCMError
from ttcm.services.orders.request import OrderRequest, OrdersOutcome
from ttcm.web.campaign_creators import Person, handles_text
from ttcm.web.campaign_form import SPARK_DAYS, TEXT_MAX, label_of
from ttcm.web.context import PageContext
from ttcm.web.feedback import show_error
from ttcm.web.fields import Problems, checked_number, checked_text
from ttcm.web.page_state import flash, forget_widgets, fresh_key, renew
from ttcm.web.text import plain

lim = rules.limits()
PER_CALL = int(lim["order_handles_per_call"])
PER_CODE = int(lim["orders_per_campaign_code"])


def report_orders(outcome: OrdersOutcome, where: str) -> None:
    """Flash what an order request did, creator by creator."""
    if outcome.created:
        n = len(outcome.created)
        made = "Order created" if n == 1 else "Orders created"
        flash("success", f"{made} for {numfmt.plural(n, 'creator')}.", where)
    if outcome.existing:
        names = handles_text([str(o["handle_name"]) for o in outcome.existing])
        flash("info", f"Already ordered, not sent again: {names}.", where)
    for notice in outcome.notices:
        flash("info", plain(notice), where)
    for reasons, kind in (
        (outcome.refused, "error"),
        (outcome.failed, "error"),
        (outcome.unconfirmed, "warning"),
    ):
        for handle, reason in reasons.items():
            flash(kind, f"@{plain(handle)}: {plain(reason)}", where)


def run_orders(call: Callable[[], OrdersOutcome], where: str, reset: str | None = None) -> None:
    """Run an order call, flash its outcome on `where` and rerun; errors are shown in place."""
    try:
        outcome = call()
    except TTCMError as exc:
        show_error(exc, label_of)
        return
    report_orders(outcome, where)
    if reset:
        forget_widgets(reset)
    st.rerun()


def unconfirmed_orders(ctx: PageContext, pk: int, where: str) -> None:
    """Orders without a confirmed result, and the ways to settle them."""
    waiting = ctx.services.orders.unconfirmed(ctx.principal, pk)
    if not waiting:
        return
    st.warning(
        "Orders without a confirmed result: "
        + "; ".join(f"@{plain(o['handle_name'])}: {plain(o['message'])}" for o in waiting)
    )
    if not ctx.can("order.write"):
        return
    orders, me = ctx.services.orders, ctx.principal
    r1, r2 = st.columns([3, 2])
    typed = r1.text_input("Campaign code shown in TikTok One", key=f"recover{pk}")
    if r1.button("Recover orders by campaign code", key=f"recover{pk}_go"):
        run_orders(lambda: orders.recover(me, pk, typed), where, reset=f"recover{pk}")
    if any(o["new_code"] for o in waiting) and r2.button(
        "Send unconfirmed orders again", key=f"resend{pk}"
    ):
        run_orders(lambda: orders.resend_unconfirmed(me, pk), where)


def code_rooms(ctx: PageContext, pk: int) -> None:
    """How full each campaign code is."""
    for room in ctx.services.orders.codes(ctx.principal, pk):
        text = (
            f"Campaign code {plain(room.campaign_code)}: {numfmt.count(room.active)} of "
            f"{numfmt.plural(PER_CODE, 'order')}, {numfmt.count(room.left)} left."
        )
        if room.left < PER_CODE // 10:
            st.warning(text + " Nearly full: further orders start a new campaign code.")
        else:
            st.caption(text)


def replace_declined(
    ctx: PageContext, pk: int, order: dict[str, object], spares: list[str], where: str
) -> None:
    """Order another creator, with the same deliverables, in place of a declined one."""
    declined = str(order["handle_name"])
    if not spares:
        st.caption("Add another creator to the campaign to replace this one.")
        return
    left, right = st.columns([3, 1])
    spare = left.selectbox(
        f"Replace @{declined} with",
        spares,
        index=None,
        placeholder="Choose a creator of this campaign",
        format_func=lambda h: f"@{h}",
        key=f"replace{pk}_{declined}",
    )
    if right.button("Replace", key=f"replace{pk}_{declined}_go", disabled=spare is None):
        orders, me = ctx.services.orders, ctx.principal
        run_orders(
            lambda: orders.replace(me, pk, declined, str(spare)),
            where,
            reset=f"replace{pk}_{declined}",
        )


def order_card(order: dict[str, object]) -> None:
    """One order: creator, status, videos, invitation link, code and deliverables."""
    videos = order["video_number"]
    shown = numfmt.plural(int(str(videos)), "video") if videos else "videos unknown"
    st.markdown(f"**@{plain(order['handle_name'])}** · {plain(order['status_label'])} · {shown}")
    if order["status"] == "DECLINED":
        reason = str(order.get("decline_reason") or "TikTok did not say why").rstrip(". ")
        st.warning(
            f"Declined by the creator: {plain(reason)}. This order stays counted as declined; "
            "replace the creator below."
        )
    c1, c2 = st.columns([3, 1])
    c1.caption("Invitation link (copy it with the button on the right of the box)")
    c1.code(str(order["invite_link"] or "—"), language=None)
    c2.caption("Campaign code")
    c2.code(str(order["campaign_code"] or "—"), language=None)
    items = order["deliverables"]
    if isinstance(items, list) and items:
        st.caption(
            " · ".join(
                plain(d["deliverable_name"])
                + (
                    f" (Spark Ads {numfmt.plural(d['spark_days'], 'day')})"
                    if d["spark_days"]
                    else ""
                )
                for d in items
            )
        )


def orders_list(
    ctx: PageContext, pk: int, people: list[Person], where: str
) -> list[dict[str, object]]:
    """The campaign's orders, each with a Replace for a declined creator; returns the orders."""
    existing = ctx.services.orders.list(ctx.principal, pk)
    ordered = {o["handle_name"] for o in existing}
    spares = [
        str(p["handle_name"])
        for p in people
        if p["handle_name"] not in ordered and not p["order_block"]
    ]
    for o in existing:
        with st.container(border=True):
            order_card(o)
            if o["status"] == "DECLINED" and ctx.can("order.write"):
                replace_declined(ctx, pk, o, spares, where)
    if (
        existing
        and ctx.can("order.write")
        and st.button("Check order statuses now", key=f"status{pk}")
    ):
        try:
            changed = ctx.services.orders.refresh_statuses(ctx.principal, pk)
        except TTCMError as exc:
            show_error(exc)
        else:
            flash("success", f"Order statuses checked: {numfmt.count(changed)} changed.", where)
            st.rerun()
    return existing


def deliverable_rows(
    pk: int, count: int, default_days: int, problems: Problems, prefix: str = "order"
) -> tuple[list[str], list[int]]:
    """Name and Spark Ads of each deliverable (widget keys start with `prefix` and `pk`)."""
    names: list[str] = []
    sparks: list[int] = []
    for i in range(count):
        a, b, c = st.columns([3, 1, 1])
        names.append(
            checked_text(
                a,
                f"Deliverable {i + 1} name",
                problems,
                limit=TEXT_MAX,
                placeholder=f"Video {i + 1}",
                key=f"{prefix}{pk}_name{i}",
            )
        )
        on = b.toggle("Spark Ads", value=True, key=f"{prefix}{pk}_spark_on{i}")
        days = c.selectbox(
            f"Deliverable {i + 1} authorization",
            SPARK_DAYS,
            index=SPARK_DAYS.index(default_days) if default_days in SPARK_DAYS else 1,
            format_func=lambda d: numfmt.plural(d, "day"),
            disabled=not on,
            key=f"{prefix}{pk}_days{i}",
        )
        sparks.append(int(days) if on else 0)
    return names, sparks


def create_orders(
    ctx: PageContext,
    campaign: dict[str, object],
    people: list[Person],
    existing: list[dict[str, object]],
    where: str,
) -> None:
    """The form that orders the campaign's creators who can be ordered (nothing preselected)."""
    pk = int(str(campaign["id"]))
    st.markdown("**Create orders**")
    ordered = {o["handle_name"] for o in existing}
    waiting = [p for p in people if p["handle_name"] not in ordered]
    for p in waiting:
        if p["order_block"]:
            st.caption(f"@{plain(p['handle_name'])} can't be ordered: {plain(p['order_block'])}")
    candidates = [str(p["handle_name"]) for p in waiting if not p["order_block"]]
    if not candidates:
        st.caption("Every creator of this campaign who can be ordered has an order.")
        return
    problems = Problems()
    picked = st.multiselect(
        f"Creators ({numfmt.count(len(candidates))} can be ordered; choose who gets an order)",
        candidates,
        default=[],
        key=fresh_key(f"order{pk}_who"),
    )
    lo, hi = int(lim["order_video_min"]), int(lim["order_video_max"])
    videos = checked_number(
        st, "Videos per creator", problems, lo=lo, hi=hi, whole=True, value=1, step=1,
        key=f"order{pk}_videos",
    )  # fmt: skip
    default_days = int(str(campaign["spark_days_default"] or lim["spark_ads_default_days"]))
    n_rows = int(videos) if videos is not None and not problems else 0
    names, sparks = deliverable_rows(pk, n_rows, default_days, problems)
    if not picked:
        problems.add("Creators", "choose at least one creator")
    request = OrderRequest(pk, picked, n_rows or lo, names, sparks)
    if len(picked) > PER_CALL:
        calls = math.ceil(len(picked) / PER_CALL)
        st.info(
            f"{numfmt.plural(len(picked), 'creator')}: sent in {numfmt.plural(calls, 'call')} "
            f"of at most {numfmt.count(PER_CALL)}."
        )
    orders, me = ctx.services.orders, ctx.principal
    room = orders.room(me, request) if not problems else 0
    if picked and not problems and orders.codes(me, pk) and len(picked) > room:
        st.warning(
            f"Only {numfmt.plural(room, 'more order')} fit on the current campaign codes "
            f"({numfmt.count(PER_CODE)} per code, same deliverables): the other "
            f"{numfmt.count(len(picked) - room)} start a new campaign code."
        )
    if problems:
        st.caption(plain(problems.summary()))
    if st.button("Create orders", type="primary", key=f"order{pk}_go", disabled=bool(problems)):
        renew(f"order{pk}_who")
        run_orders(lambda: orders.create(me, request), where, reset=f"order{pk}_")


def orders_section(
    ctx: PageContext, campaign: dict[str, object], people: list[Person], where: str
) -> None:
    """The orders part of the Creators and orders tab."""
    pk = int(str(campaign["id"]))
    st.subheader("Orders")
    unconfirmed_orders(ctx, pk, where)
    code_rooms(ctx, pk)
    existing = orders_list(ctx, pk, people, where)
    if ctx.can("order.write"):
        create_orders(ctx, campaign, people, existing, where)
