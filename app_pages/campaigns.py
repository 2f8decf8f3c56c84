"""Campaigns: settings (TTCM section, goals, KPIs, budget, brief), creators, orders, tied posts."""

from ttcm.web.session import page_principal

me = page_principal("read")  # before anything else runs

import math
import re
from typing import Any

import pandas as pd
import streamlit as st

from ttcm import rules
from ttcm.api.errors import TikTokAPIError
from ttcm.auth import AuthError, role_allows
from ttcm.config import Settings
from ttcm.runtime import make_client, shared_store
from ttcm.services.campaigns.service import Campaigns
from ttcm.services.campaigns.settings import (
    MAX_WHOLE,
    TEXT_LIMITS,
    CampaignError,
    CampaignInput,
    as_input,
    audience_choices,
)
from ttcm.services.links import Links
from ttcm.services import fees
from ttcm.services.orders.request import OrderError, OrderRequest, OrdersOutcome
from ttcm.services.orders.service import Orders
from ttcm.services.shortlists import Shortlists
from ttcm.services.writes import WriteInProgress
from ttcm.web.fields import Problems, checked_number, checked_text
from ttcm.web.widgets import freshness_caption
from ttcm.web.text import plain as md  # the one plain-text helper

settings = Settings.load()
store = shared_store(settings)
campaigns = Campaigns(store, lambda: make_client(settings))
orders = Orders(store, lambda: make_client(settings))
links = Links(store, lambda: make_client(settings))
fee_service = fees.Fees(store)
can_edit = role_allows(me.role, "campaign.write")
can_order = role_allows(me.role, "order.write")
lim = rules.limits()
TEXT_MAX = int(lim["text_max_chars"])
PER_CALL = int(lim["order_handles_per_call"])
PER_CODE = int(lim["orders_per_campaign_code"])
SPARK_DAYS = list(rules.spark_days())
FLASH = "campaigns_flash"
TABS = ["Settings", "Creators and orders", "Tie published posts"]
SETTINGS, PEOPLE, POSTS = TABS
LABELS = {
    "campaign": "Campaign",
    "campaign_name": "Campaign name",
    "brand_name": "Brand name",
    "description": "Description",
    "spark_days_default": "Default Spark Ads authorization",
    "goals": "Goals",
    "kpi_views": "Views target",
    "kpi_engagement_rate": "Engagement rate target",
    "kpi_reach": "Reach target",
    "kpi_posts": "Posts target",
    "kpi_spark_codes": "Spark Ads codes target",
    "budget": "Budget",
    "currency": "Currency",
    "start_date": "Start",
    "end_date": "End",
    "posting_start": "Posting window opens",
    "posting_end": "Posting window closes",
    "brief_content": "Content needs",
    "brief_dos": "Do's",
    "brief_donts": "Don'ts",
    "payment_terms": "Payment terms",
    "handles": "Creators",
    "video_number": "Videos per creator",
    "deliverable_names": "Deliverable names",
    "spark_days": "Spark Ads",
    "campaign_code": "Campaign code",
    "video_id": "Video",
    "target_audience": "Target audience",
}
AUDIENCE_LABELS = {"countries": "Countries", "genders": "Genders", "ages": "Ages"}


def label_of(field_name: str) -> str:
    """The form label of a service field name such as `deliverable_names[2]`."""
    found = re.fullmatch(r"(deliverable_names|spark_days)\[(\d+)\]", field_name)
    if found:
        what = "name" if found.group(1) == "deliverable_names" else "Spark Ads"
        return f"Deliverable {found.group(2)} {what}"
    return LABELS.get(field_name, field_name.replace("_", " ").capitalize())


def show_errors(errors: dict[str, str]) -> None:
    """One error per field, named by its label."""
    for field_name, problem in errors.items():
        st.error(f"{label_of(field_name)}: {md(problem)}")


def flash(kind: str, text: str, tab: str = SETTINGS) -> None:
    """A message shown at the top of `tab` after the next rerun (text is Markdown-safe)."""
    st.session_state.setdefault(FLASH, []).append((kind, text, tab))


def show_flash(tab: str) -> None:
    """Show and forget the messages of the previous run that belong to `tab`."""
    mine = [m for m in st.session_state.get(FLASH, []) if m[2] == tab]
    st.session_state[FLASH] = [m for m in st.session_state.get(FLASH, []) if m[2] != tab]
    for kind, text, _ in mine:
        getattr(st, kind)(text)


def settings_form(prefix: str, data: CampaignInput, problems: Problems) -> CampaignInput:
    """The settings widgets; each value is checked live and named under its field."""
    st.markdown("**TikTok Creator Marketplace section** · sent to TikTok with the campaign")
    name = checked_text(
        st,
        "Campaign name",
        problems,
        limit=int(lim["campaign_name_max_chars"]),
        value=data.campaign_name,
        key=f"{prefix}_name",
    )
    c1, c2 = st.columns(2)
    brand = checked_text(
        c1,
        f"Brand name (at most {TEXT_MAX} characters)",
        problems,
        limit=TEXT_MAX,
        value=data.brand_name,
        key=f"{prefix}_brand",
    )
    desc = checked_text(
        c2,
        f"Description (at most {TEXT_MAX} characters)",
        problems,
        limit=TEXT_MAX,
        value=data.description,
        key=f"{prefix}_description",
    )
    spark = st.selectbox(
        "Default Spark Ads authorization",
        SPARK_DAYS,
        index=SPARK_DAYS.index(data.spark_days_default)
        if data.spark_days_default in SPARK_DAYS
        else SPARK_DAYS.index(int(lim["spark_ads_default_days"])),
        format_func=lambda d: f"{d} days",
        key=f"{prefix}_spark",
    )
    st.markdown("**Goals and KPI targets**")
    goals = checked_text(
        st,
        "Goals",
        problems,
        limit=TEXT_LIMITS["goals"],
        multiline=True,
        area=True,
        value=data.goals or "",
        key=f"{prefix}_goals",
    )
    k1, k2, k3 = st.columns(3)
    whole = {"lo": 0, "hi": MAX_WHOLE, "whole": True}
    kpi_views = checked_number(
        k1, "Views target", problems, **whole, value=data.kpi_views, step=10_000,
        key=f"{prefix}_views",
    )  # fmt: skip
    kpi_er = checked_number(
        k2,
        "Engagement rate target (%)",
        problems,
        lo=0,
        hi=100,
        whole=False,
        value=None if data.kpi_engagement_rate is None else data.kpi_engagement_rate * 100,
        step=0.5,
        key=f"{prefix}_er",
    )
    kpi_reach = checked_number(
        k3, "Reach target", problems, **whole, value=data.kpi_reach, step=10_000,
        key=f"{prefix}_reach",
    )  # fmt: skip
    kpi_posts = checked_number(
        k1, "Posts target", problems, **whole, value=data.kpi_posts, step=1,
        key=f"{prefix}_posts",
    )  # fmt: skip
    kpi_codes = checked_number(
        k2, "Spark Ads codes target", problems, **whole, value=data.kpi_spark_codes, step=1,
        key=f"{prefix}_codes",
    )  # fmt: skip
    st.markdown("**Target audience**")
    choices = audience_choices()
    picked_audience: dict[str, list[str]] = {}
    a_cols = st.columns(len(choices))
    for col, (dim, options) in zip(a_cols, choices.items(), strict=True):
        chosen = (data.target_audience or {}).get(dim) or []
        picked_audience[dim] = col.multiselect(
            AUDIENCE_LABELS[dim],
            options,
            default=[c for c in chosen if c in options],
            key=f"{prefix}_aud_{dim}",
        )
    st.markdown("**Budget and timeline**")
    b1, b2 = st.columns(2)
    budget = checked_number(
        b1, "Budget", problems, lo=0, hi=MAX_WHOLE, whole=False, lo_open=True,
        value=data.budget, step=100.0, key=f"{prefix}_budget",
    )  # fmt: skip
    currency = checked_text(
        b2,
        "Currency (e.g. USD)",
        problems,
        limit=3,
        value=data.currency or "",
        key=f"{prefix}_currency",
    )
    t1, t2 = st.columns(2)
    start = t1.date_input("Start", value=data.start_date, key=f"{prefix}_start")
    end = t2.date_input("End", value=data.end_date, key=f"{prefix}_end")
    p_start = t1.date_input(
        "Posting window opens", value=data.posting_start, key=f"{prefix}_pstart"
    )
    p_end = t2.date_input("Posting window closes", value=data.posting_end, key=f"{prefix}_pend")
    st.markdown("**Brief**")
    texts = {}
    for field_name, label in (
        ("brief_content", "Content needs"),
        ("brief_dos", "Do's"),
        ("brief_donts", "Don'ts"),
        ("payment_terms", "Payment terms"),
    ):
        short = {"brief_content": "brief", "brief_dos": "dos", "brief_donts": "donts"}
        texts[field_name] = checked_text(
            st,
            label,
            problems,
            limit=TEXT_LIMITS[field_name],
            multiline=True,
            area=True,
            value=getattr(data, field_name) or "",
            key=f"{prefix}_{short.get(field_name, 'terms')}",
        )
    return CampaignInput(
        campaign_name=name,
        brand_name=brand,
        description=desc,
        spark_days_default=spark,
        goals=goals,
        kpi_views=None if kpi_views is None else int(kpi_views),
        kpi_engagement_rate=None if kpi_er is None else kpi_er / 100,
        kpi_reach=None if kpi_reach is None else int(kpi_reach),
        kpi_posts=None if kpi_posts is None else int(kpi_posts),
        kpi_spark_codes=None if kpi_codes is None else int(kpi_codes),
        budget=budget,
        currency=currency or None,
        start_date=start,
        end_date=end,
        posting_start=p_start,
        posting_end=p_end,
        target_audience={k: v for k, v in picked_audience.items() if v} or None,
        **texts,
    )


def settings_table(data: CampaignInput) -> None:
    """The settings as read-only values (for a role that may not change them)."""
    rows = []
    for name, value in vars(data).items():
        if name == "target_audience":
            value = "; ".join(
                f"{AUDIENCE_LABELS[k]}: {', '.join(v)}" for k, v in (value or {}).items()
            )
        elif name == "kpi_engagement_rate" and value is not None:
            value = f"{value * 100:g} %"
        elif name == "spark_days_default":
            value = f"{value} days"
        rows.append(
            {"Setting": label_of(name), "Value": "—" if value in (None, "") else str(value)}
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def forget_widgets(prefix: str) -> None:
    """Reset a form's widgets to their defaults on the next run."""
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def report_orders(outcome: OrdersOutcome) -> None:
    """Flash what an order request did, creator by creator, on the orders tab."""
    if outcome.created:
        flash("success", f"Order Created for {len(outcome.created)} creator(s).", PEOPLE)
    if outcome.existing:
        names = ", ".join(f"@{md(o['handle_name'])}" for o in outcome.existing[:10])
        flash("info", f"Already ordered, not sent again: {names}.", PEOPLE)
    for notice in outcome.notices:
        flash("info", md(notice), PEOPLE)
    for reasons, kind in (
        (outcome.refused, "error"),
        (outcome.failed, "error"),
        (outcome.unconfirmed, "warning"),
    ):
        for handle, reason in reasons.items():
            flash(kind, f"@{md(handle)}: {md(reason)}", PEOPLE)


def run_orders(call: Any, reset: str | None = None) -> None:
    """Run an order service call, flash its outcome on the orders tab, rerun; errors in place."""
    try:
        outcome = call()
    except (OrderError, CampaignError) as exc:
        show_errors(exc.errors)
    except (WriteInProgress, AuthError) as exc:
        st.warning(md(exc))
    except TikTokAPIError as exc:
        st.error(f"TikTok did not answer as expected: {md(exc)}")
    else:
        if isinstance(outcome, OrdersOutcome):
            report_orders(outcome)
        if reset:
            forget_widgets(reset)
        st.rerun()


def fresh_key(name: str) -> str:
    """A widget key that changes after a successful action, so the widget starts empty."""
    return f"{name}_{st.session_state.get(name + '_n', 0)}"


def renew(name: str) -> None:
    """Empty the widget of `fresh_key(name)` on the next run."""
    st.session_state[name + "_n"] = st.session_state.get(name + "_n", 0) + 1


def confirm(key: str, question: str, yes: str) -> bool:
    """A two-step confirmation: True once the person clicked `yes` after `question`."""
    if not st.session_state.get(key):
        return False
    st.warning(question)
    c1, c2 = st.columns(2)
    if c1.button(yes, type="primary", key=f"{key}_yes"):
        st.session_state[key] = False
        return True
    if c2.button("Cancel", key=f"{key}_no"):
        st.session_state[key] = False
        st.rerun()
    return False


st.title("Campaigns")
freshness_caption(store, "campaigns", "orders", "posts")
show_flash("top")

rows = campaigns.list(me, include_archived=st.toggle("Show archived campaigns"))
labels = {
    str(r["id"]): f"{r['campaign_name']} · {r['brand_name'] or '—'}"
    + (" (archived)" if r["archived_at"] else "")
    for r in rows
}
asked = st.query_params.get("campaign")
chosen_pk: str | None = None
if rows:
    keys = list(labels)
    if asked is not None and asked not in keys:
        st.warning(
            md(f"There is no campaign “{asked[:40]}” (a wrong or old link); showing the newest.")
        )
    chosen_pk = st.selectbox(
        "Campaign",
        keys,
        index=keys.index(asked) if asked in keys else 0,
        format_func=labels.get,
    )
    st.query_params["campaign"] = chosen_pk
else:
    st.info("No campaigns yet." + (" Create the first one below." if can_edit else ""))

if can_edit:
    with st.expander("New campaign", expanded=not rows):
        new_problems = Problems()
        new = settings_form("new", CampaignInput("", "", ""), new_problems)
        if new_problems:
            st.caption(md(new_problems.summary()))
        if st.button(
            "Create campaign", type="primary", key="new_save", disabled=bool(new_problems)
        ):
            try:
                made = campaigns.create(me, new)
            except CampaignError as exc:
                show_errors(exc.errors)
            except (WriteInProgress, AuthError) as exc:
                st.warning(md(exc))
            except TikTokAPIError as exc:
                st.error(f"TikTok did not create the campaign: {md(exc)}")
            else:
                if made.new:
                    flash(
                        "success", f"Campaign created on TikTok (id {md(made.campaign_id)}).", "top"
                    )
                else:
                    flash(
                        "info",
                        "A campaign with this name and brand exists already: opened it.",
                        "top",
                    )
                forget_widgets("new_")
                st.query_params["campaign"] = str(made.pk)
                st.rerun()

if chosen_pk is None:
    st.stop()
pk = int(chosen_pk)
campaign = campaigns.get(me, pk)
# keyed tabs keep the open tab across reruns (and in the URL), so an action never jumps away
settings_tab, people_tab, posts_tab = st.tabs(TABS, key="tab", bind="query-params")

# ---------------------------------------------------------------- settings

with settings_tab:
    show_flash(SETTINGS)
    st.caption(f"TikTok campaign id: {md(campaign['campaign_id'] or 'not on TikTok')}")
    archived = campaign["archived_at"] is not None
    if archived:
        st.warning("This campaign is archived: restore it to create orders.")
    if not can_edit:
        st.caption("You can read this campaign; a manager can change it.")
        settings_table(as_input(campaign))
    else:
        edit_problems = Problems()
        edited = settings_form(f"edit{pk}", as_input(campaign), edit_problems)
        if edit_problems:
            st.caption(md(edit_problems.summary()))
        save_col, archive_col = st.columns(2)
        if save_col.button(
            "Save campaign", type="primary", key=f"edit{pk}_save", disabled=bool(edit_problems)
        ):
            try:
                campaigns.update(me, pk, edited)
            except CampaignError as exc:
                show_errors(exc.errors)
            else:
                flash("success", "Saved.")
                st.rerun()
        ask = f"archive{pk}_ask"
        if archived:
            if archive_col.button("Restore campaign", key=f"archive{pk}"):
                campaigns.archive(me, pk, False)
                flash("success", f"Restored “{md(campaign['campaign_name'])}”.", "top")
                st.rerun()
        elif archive_col.button("Archive campaign…", key=f"archive{pk}"):
            st.session_state[ask] = True
        if not archived and confirm(
            ask,
            f"Archive “{md(campaign['campaign_name'])}”? It leaves the campaign list and takes "
            "no new orders; its orders and posts stay on TikTok, and you can restore it later.",
            "Yes, archive it",
        ):
            campaigns.archive(me, pk, True)
            flash(
                "success",
                f"Archived “{md(campaign['campaign_name'])}”; nothing was deleted. Turn on "
                "“Show archived campaigns” to restore it.",
                "top",
            )
            st.rerun()

# ---------------------------------------------------------------- creators and orders


def fee_form(people: list[dict]) -> None:
    """Agree a fee with one creator (amount + currency), or go back to the list price."""
    st.markdown("**Agreed fees**")
    who = st.selectbox(
        "Creator",
        [p["handle_name"] for p in people],
        format_func=lambda h: f"@{h}",
        key=f"fee{pk}_who",
    )
    row = next(p for p in people if p["handle_name"] == who)
    st.caption(f"List price: {row['list_price']} · agreed fee: {row['fee_label']}")
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
        value=(row["fee_currency"] if agreed else row["currency"]) or "",
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
        st.caption(problems.summary())
    save, reset = st.columns(2)
    if save.button("Save agreed fee", key=f"fee{pk}_save", disabled=bool(problems)):
        try:
            fee_service.set_fee(me, pk, who, amount, currency)
        except fees.FeeError as exc:
            st.error(f"{exc.field.capitalize()}: {md(str(exc))}")
        else:
            flash("success", f"Agreed fee of @{md(who)} saved.", PEOPLE)
            st.rerun()
    if agreed and reset.button("Back to the list price", key=f"fee{pk}_reset"):
        fee_service.set_fee(me, pk, who, None, None)
        flash("success", f"@{md(who)} is back at the list price.", PEOPLE)
        st.rerun()


with people_tab:
    show_flash(PEOPLE)
    people = campaigns.creators(me, pk)
    st.subheader("Creators")
    if people:
        st.dataframe(
            pd.DataFrame(people)[
                [
                    "handle_name",
                    "display_name",
                    "account_kind",
                    "status_label",
                    "list_price",
                    "fee_label",
                    "campaign_code",
                    "error",
                ]
            ]
            .fillna("")
            .rename(
                columns={
                    "handle_name": "Handle",
                    "display_name": "Name",
                    "account_kind": "Account",
                    "status_label": "Order",
                    "list_price": "List price",
                    "fee_label": "Agreed fee",
                    "campaign_code": "Campaign code",
                    "error": "Problem",
                }
            ),
            hide_index=True,
            width="stretch",
        )
        for row in people:
            if row["error"]:
                st.error(f"@{md(row['handle_name'])}: {md(row['error'])}")
    else:
        st.caption("No creators yet.")
    if can_edit and people:
        fee_form(people)
    if can_edit:
        lists = {s.name: s.id for s in Shortlists(store).all(me)}
        handles_key = fresh_key(f"add{pk}_handles")
        typed = st.text_area(
            "Add creators by handle (one per line or comma separated)", key=handles_key
        )
        from_list = st.selectbox(
            "…or everyone on a shortlist",
            [None, *lists],
            format_func=lambda x: x or "—",
            key=fresh_key(f"add{pk}_list"),
        )
        if st.button("Add to campaign", key=f"add{pk}_go"):
            names = [h for part in typed.replace(",", "\n").splitlines() if (h := part.strip())]
            if from_list:
                names += [r["handle_name"] for r in Shortlists(store).members(me, lists[from_list])]
            if not names:
                st.warning("Type handles or choose a shortlist first.")
            else:
                added = campaigns.add_creators(me, pk, names)
                if added.added:
                    flash("success", f"Added {len(added.added)} creator(s).", PEOPLE)
                if added.already:
                    flash("info", f"Already in the campaign: {len(added.already)}.", PEOPLE)
                for handle, reason in added.refused.items():
                    flash("error", f"@{md(handle)}: {md(reason)}", PEOPLE)
                renew(f"add{pk}_handles")
                renew(f"add{pk}_list")
                st.rerun()
        removable = [p["handle_name"] for p in people if not p["order_id"]]
        if removable:
            with st.expander("Remove creators"):
                drop_key = fresh_key(f"drop{pk}_who")
                drop = st.multiselect(
                    "Creators to remove (without an order)", removable, key=drop_key
                )
                ask = f"drop{pk}_ask"
                if st.button("Remove from campaign…", key=f"drop{pk}_go", disabled=not drop):
                    st.session_state[ask] = True
                if drop and confirm(
                    ask,
                    f"Remove {len(drop)} creator(s) from this campaign: "
                    + ", ".join(f"@{md(h)}" for h in drop[:10])
                    + ("…" if len(drop) > 10 else "")
                    + "? Their cached data stays; you can add them again.",
                    "Yes, remove them",
                ):
                    gone = campaigns.remove_creators(me, pk, drop)
                    if gone.removed:
                        flash(
                            "success",
                            f"Removed {len(gone.removed)} creator(s): "
                            + ", ".join(f"@{md(h)}" for h in gone.removed[:10])
                            + ".",
                            PEOPLE,
                        )
                    for handle, why in gone.kept.items():
                        flash("warning", f"@{md(handle)}: {md(why)}.", PEOPLE)
                    renew(f"drop{pk}_who")
                    st.rerun()

    st.subheader("Orders")
    open_orders = orders.unconfirmed(me, pk)
    if open_orders:
        st.warning(
            "Orders without a confirmed result: "
            + "; ".join(f"@{md(o['handle_name'])}: {md(o['message'])}" for o in open_orders)
        )
        if can_order:
            r1, r2 = st.columns([3, 2])
            code_typed = r1.text_input("Campaign code shown in TikTok One", key=f"recover{pk}")
            if r1.button("Recover orders by campaign code", key=f"recover{pk}_go"):
                run_orders(lambda: orders.recover(me, pk, code_typed), reset=f"recover{pk}")
            if any(o["new_code"] for o in open_orders) and r2.button(
                "Send unconfirmed orders again", key=f"resend{pk}"
            ):
                run_orders(lambda: orders.resend_unconfirmed(me, pk))
    for room in orders.codes(me, pk):
        text = (
            f"Campaign code {md(room.campaign_code)}: {room.active} of {PER_CODE} orders, "
            f"{room.left} left."
        )
        if room.left < PER_CODE // 10:
            st.warning(text + " Nearly full: further orders start a new campaign code.")
        else:
            st.caption(text)
    existing = orders.list(me, pk)
    for o in existing:
        with st.container(border=True):
            st.markdown(
                f"**@{md(o['handle_name'])}** · {md(o['status_label'])} · "
                f"{o['video_number'] or '?'} video(s)"
            )
            if o["status"] == "DECLINED":
                reason = o.get("decline_reason") or "TikTok did not say why"
                st.warning(
                    f"Declined by the creator: {md(reason)}. This order stays counted as "
                    "declined; order another creator below to replace it."
                )
            c1, c2 = st.columns([3, 1])
            c1.caption("Invitation link (copy it with the button on the right of the box)")
            c1.code(o["invite_link"] or "—", language=None)
            c2.caption("Campaign code")
            c2.code(o["campaign_code"] or "—", language=None)
            if o["deliverables"]:
                st.caption(
                    " · ".join(
                        md(d["deliverable_name"])
                        + (f" (Spark Ads {d['spark_days']} days)" if d["spark_days"] else "")
                        for d in o["deliverables"]
                    )
                )
    if existing and can_order and st.button("Check order statuses now", key=f"status{pk}"):
        try:
            changed = orders.refresh_statuses(me, pk)
        except TikTokAPIError as exc:
            st.error(f"TikTok did not answer: {md(exc)}")
        else:
            flash("success", f"Order statuses checked: {changed} changed.", PEOPLE)
            st.rerun()

    if can_order:
        st.markdown("**Create orders**")
        ordered = {o["handle_name"] for o in existing}
        waiting = [p for p in people if p["handle_name"] not in ordered]
        blocked = {p["handle_name"]: p["order_block"] for p in waiting if p["order_block"]}
        candidates = [p["handle_name"] for p in waiting if not p["order_block"]]
        for handle, why in blocked.items():
            st.caption(f"@{md(handle)} can't be ordered: {md(why)}")
        if not candidates:
            st.caption("Every creator of this campaign who can be ordered has an order.")
        else:
            order_problems = Problems()
            picked = st.multiselect(
                f"Creators ({len(candidates)} can be ordered; choose who gets an order)",
                candidates,
                default=[],
                key=fresh_key(f"order{pk}_who"),
            )
            lo, hi = int(lim["order_video_min"]), int(lim["order_video_max"])
            videos = checked_number(
                st,
                "Videos per creator",
                order_problems,
                lo=lo,
                hi=hi,
                whole=True,
                value=1,
                step=1,
                key=f"order{pk}_videos",
            )
            names: list[str] = []
            sparks: list[int] = []
            default_days = int(campaign["spark_days_default"] or lim["spark_ads_default_days"])
            n_rows = int(videos) if videos is not None and not order_problems else 0
            for i in range(n_rows):
                a, b, c = st.columns([3, 1, 1])
                names.append(
                    checked_text(
                        a,
                        f"Deliverable {i + 1} name",
                        order_problems,
                        limit=TEXT_MAX,
                        placeholder=f"Video {i + 1}",
                        key=f"order{pk}_name{i}",
                    )
                )
                on = b.toggle("Spark Ads", value=True, key=f"order{pk}_spark_on{i}")
                days = c.selectbox(
                    f"Deliverable {i + 1} authorization",
                    SPARK_DAYS,
                    index=SPARK_DAYS.index(default_days) if default_days in SPARK_DAYS else 1,
                    format_func=lambda d: f"{d} days",
                    disabled=not on,
                    key=f"order{pk}_days{i}",
                )
                sparks.append(int(days) if on else 0)
            if not picked:
                order_problems.add("Creators", "choose at least one creator")
            request = OrderRequest(pk, picked, n_rows or lo, names, sparks)
            if len(picked) > PER_CALL:
                st.info(
                    f"{len(picked)} creators: sent in {math.ceil(len(picked) / PER_CALL)} calls "
                    f"of at most {PER_CALL}."
                )
            room = orders.room(me, request) if not order_problems else 0
            if picked and not order_problems and orders.codes(me, pk) and len(picked) > room:
                st.warning(
                    f"Only {room} more order(s) fit on the current campaign code(s) "
                    f"({PER_CODE} per code, same deliverables): the other {len(picked) - room} "
                    "start a new campaign code."
                )
            if order_problems:
                st.caption(md(order_problems.summary()))
            if st.button(
                "Create orders",
                type="primary",
                key=f"order{pk}_go",
                disabled=bool(order_problems),
            ):
                renew(f"order{pk}_who")
                run_orders(lambda: orders.create(me, request), reset=f"order{pk}_")

# ---------------------------------------------------------------- tie published posts

with posts_tab:
    show_flash(POSTS)
    st.caption(
        "A creator who posted without the invitation link can still have the post counted: ask "
        "TikTok to tie it to this campaign through the order's campaign code. The creator "
        "approves the request in TikTok; the next refresh then shows the post with full metrics."
    )
    codes = [room.campaign_code for room in orders.codes(me, pk)]
    if not codes:
        st.info("Create orders first: a post is tied through its order's campaign code.")
    elif can_order:
        code = st.selectbox("Campaign code", codes, key=f"tie{pk}_code")
        video_key = fresh_key(f"tie{pk}_video")
        video = st.text_input("Video link or id", key=video_key)
        if st.button("Ask to tie the post", key=f"tie{pk}_go"):
            try:
                tied = links.tie_post(me, code, video)
            except OrderError as exc:
                show_errors(exc.errors)
            except (WriteInProgress, AuthError) as exc:
                st.warning(md(exc))
            except TikTokAPIError as exc:
                st.error(f"TikTok did not answer as expected: {md(exc)}")
            else:
                verb = "was asked already" if tied["already"] else "asked"
                flash(
                    "success",
                    f"Video {md(tied['video_id'])}: {verb} ({md(tied['status'])}).",
                    POSTS,
                )
                renew(f"tie{pk}_video")
                st.rerun()
    tied_rows = links.tied_posts(me, pk)
    if tied_rows:
        st.dataframe(
            pd.DataFrame(tied_rows)[
                ["video_id", "status_label", "number_of_requests", "handle_name", "video_views"]
            ].rename(
                columns={
                    "video_id": "Video",
                    "status_label": "Status",
                    "number_of_requests": "Requests",
                    "handle_name": "Creator",
                    "video_views": "Views",
                }
            ),
            hide_index=True,
            width="stretch",
        )
