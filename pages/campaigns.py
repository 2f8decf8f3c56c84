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
from ttcm.services.campaigns import (
    CampaignError,
    CampaignInput,
    Campaigns,
    as_input,
    text_problem,
)
from ttcm.services.orders import OrderError, OrderRequest, Orders, OrdersOutcome
from ttcm.services.shortlists import Shortlists
from ttcm.services.writes import WriteInProgress
from ttcm.web.widgets import freshness_caption
from ttcm.web.text import plain as md  # the one plain-text helper

settings = Settings.load()
store = shared_store(settings)
campaigns = Campaigns(store, lambda: make_client(settings))
orders = Orders(store, lambda: make_client(settings))
can_edit = role_allows(me.role, "campaign.write")
can_order = role_allows(me.role, "order.write")
lim = rules.limits()
TEXT_MAX = int(lim["text_max_chars"])
PER_CALL = int(lim["order_handles_per_call"])
PER_CODE = int(lim["orders_per_campaign_code"])
SPARK_DAYS = list(rules.spark_days())
FLASH = "campaigns_flash"
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
}


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


def flash(kind: str, text: str) -> None:
    """A message shown after the next rerun (text is Markdown-safe already)."""
    st.session_state.setdefault(FLASH, []).append((kind, text))


def show_flash() -> None:
    """Show and forget the messages of the previous run."""
    for kind, text in st.session_state.pop(FLASH, []):
        getattr(st, kind)(text)


def live_check(value: str, limit: int) -> None:
    """Live feedback under a TTCM text field (its counter is the widget's own)."""
    problem = text_problem(value, limit, required=False, multiline=False)
    if problem:
        st.error(md(problem))


def settings_form(prefix: str, data: CampaignInput) -> CampaignInput:
    """The settings widgets (every change reruns, so the TTCM section is checked live)."""
    st.markdown("**TikTok Creator Marketplace section** · sent to TikTok with the campaign")
    name = st.text_input(
        "Campaign name",
        value=data.campaign_name,
        max_chars=int(lim["campaign_name_max_chars"]),
        key=f"{prefix}_name",
    )
    c1, c2 = st.columns(2)
    with c1:
        brand = st.text_input(
            f"Brand name (at most {TEXT_MAX} characters)",
            value=data.brand_name,
            max_chars=TEXT_MAX,
            key=f"{prefix}_brand",
        )
        live_check(brand, TEXT_MAX)
    with c2:
        desc = st.text_input(
            f"Description (at most {TEXT_MAX} characters)",
            value=data.description,
            max_chars=TEXT_MAX,
            key=f"{prefix}_description",
        )
        live_check(desc, TEXT_MAX)
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
    goals = st.text_area("Goals", value=data.goals or "", key=f"{prefix}_goals")
    k1, k2, k3 = st.columns(3)
    kpi_views = k1.number_input(
        "Views target", min_value=0, value=data.kpi_views, step=10_000, key=f"{prefix}_views"
    )
    kpi_er = k2.number_input(
        "Engagement rate target (%)",
        min_value=0.0,
        value=None if data.kpi_engagement_rate is None else data.kpi_engagement_rate * 100,
        step=0.5,
        key=f"{prefix}_er",
    )
    kpi_reach = k3.number_input(
        "Reach target", min_value=0, value=data.kpi_reach, step=10_000, key=f"{prefix}_reach"
    )
    kpi_posts = k1.number_input(
        "Posts target", min_value=0, value=data.kpi_posts, step=1, key=f"{prefix}_posts"
    )
    kpi_codes = k2.number_input(
        "Spark Ads codes target",
        min_value=0,
        value=data.kpi_spark_codes,
        step=1,
        key=f"{prefix}_codes",
    )
    st.markdown("**Budget and timeline**")
    b1, b2 = st.columns(2)
    budget = b1.number_input(
        "Budget", min_value=0.0, value=data.budget, step=100.0, key=f"{prefix}_budget"
    )
    currency = b2.text_input(
        "Currency (e.g. USD)", value=data.currency or "", max_chars=3, key=f"{prefix}_currency"
    )
    t1, t2 = st.columns(2)
    start = t1.date_input("Start", value=data.start_date, key=f"{prefix}_start")
    end = t2.date_input("End", value=data.end_date, key=f"{prefix}_end")
    p_start = t1.date_input(
        "Posting window opens", value=data.posting_start, key=f"{prefix}_pstart"
    )
    p_end = t2.date_input("Posting window closes", value=data.posting_end, key=f"{prefix}_pend")
    st.markdown("**Brief**")
    content = st.text_area("Content needs", value=data.brief_content or "", key=f"{prefix}_brief")
    dos = st.text_area("Do's", value=data.brief_dos or "", key=f"{prefix}_dos")
    donts = st.text_area("Don'ts", value=data.brief_donts or "", key=f"{prefix}_donts")
    terms = st.text_area("Payment terms", value=data.payment_terms or "", key=f"{prefix}_terms")
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
        brief_content=content,
        brief_dos=dos,
        brief_donts=donts,
        payment_terms=terms,
    )


def forget_widgets(prefix: str) -> None:
    """Reset a form's widgets to their defaults on the next run."""
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def report_orders(outcome: OrdersOutcome) -> None:
    """Flash what an order request did, creator by creator."""
    if outcome.created:
        flash("success", f"Order Created for {len(outcome.created)} creator(s).")
    if outcome.existing:
        names = ", ".join(f"@{md(o['handle_name'])}" for o in outcome.existing[:10])
        flash("info", f"Already ordered, not sent again: {names}.")
    for notice in outcome.notices:
        flash("info", md(notice))
    for reasons, kind in (
        (outcome.refused, "error"),
        (outcome.failed, "error"),
        (outcome.unconfirmed, "warning"),
    ):
        for handle, reason in reasons.items():
            flash(kind, f"@{md(handle)}: {md(reason)}")


def run_orders(call: Any, reset: str | None = None) -> None:
    """Run an order service call, flash its outcome, rerun; errors are shown in place."""
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


st.title("Campaigns")
freshness_caption(store, "campaigns", "orders", "posts")
show_flash()

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
        new = settings_form("new", CampaignInput("", "", ""))
        if st.button("Create campaign", type="primary", key="new_save"):
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
                    flash("success", f"Campaign created on TikTok (id {md(made.campaign_id)}).")
                else:
                    flash("info", "A campaign with this name and brand exists already: opened it.")
                forget_widgets("new_")
                st.query_params["campaign"] = str(made.pk)
                st.rerun()

if chosen_pk is None:
    st.stop()
pk = int(chosen_pk)
campaign = campaigns.get(me, pk)
settings_tab, people_tab, posts_tab = st.tabs(
    ["Settings", "Creators and orders", "Tie published posts"]
)

# ---------------------------------------------------------------- settings

with settings_tab:
    st.caption(f"TikTok campaign id: {md(campaign['campaign_id'] or 'not on TikTok')}")
    if campaign["archived_at"]:
        st.warning("This campaign is archived: restore it to create orders.")
    edited = settings_form(f"edit{pk}", as_input(campaign))
    if can_edit:
        save_col, archive_col = st.columns(2)
        if save_col.button("Save campaign", type="primary", key=f"edit{pk}_save"):
            try:
                campaigns.update(me, pk, edited)
            except CampaignError as exc:
                show_errors(exc.errors)
            else:
                flash("success", "Saved.")
                st.rerun()
        archived = campaign["archived_at"] is not None
        if archive_col.button(
            "Restore campaign" if archived else "Archive campaign", key=f"archive{pk}"
        ):
            campaigns.archive(me, pk, not archived)
            flash("success", "Restored." if archived else "Archived; nothing was deleted.")
            st.rerun()

# ---------------------------------------------------------------- creators and orders

with people_tab:
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
                    "campaign_code",
                    "error",
                ]
            ]
            .fillna("")
            .rename(columns={"status_label": "order", "account_kind": "account"}),
            hide_index=True,
            width="stretch",
        )
        for row in people:
            if row["error"]:
                st.error(f"@{md(row['handle_name'])}: {md(row['error'])}")
    else:
        st.caption("No creators yet.")
    if can_edit:
        lists = {s.name: s.id for s in Shortlists(store).all(me)}
        typed = st.text_area(
            "Add creators by handle (one per line or comma separated)",
            max_chars=20_000,
            key=f"add{pk}_handles",
        )
        from_list = st.selectbox(
            "…or everyone on a shortlist",
            [None, *lists],
            format_func=lambda x: x or "—",
            key=f"add{pk}_list",
        )
        if st.button("Add to campaign", key=f"add{pk}_go"):
            names = [h for part in typed.replace(",", "\n").splitlines() if (h := part.strip())]
            if from_list:
                names += [r["handle_name"] for r in Shortlists(store).members(me, lists[from_list])]
            added = campaigns.add_creators(me, pk, names)
            if added.added:
                flash("success", f"Added {len(added.added)} creator(s).")
            if added.already:
                flash("info", f"Already in the campaign: {len(added.already)}.")
            for handle, reason in added.refused.items():
                flash("error", f"@{md(handle)}: {md(reason)}")
            if not names:
                flash("warning", "Type handles or choose a shortlist first.")
            forget_widgets(f"add{pk}_")
            forget_widgets(f"order{pk}_who")  # preselect the new creators too
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
    for room in orders.codes(pk):
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
            flash("success", f"Order statuses checked: {changed} changed.")
            st.rerun()

    if can_order:
        st.markdown("**Create orders**")
        ordered = {o["handle_name"] for o in existing}
        candidates = [
            p["handle_name"] for p in people if p["supported"] and p["handle_name"] not in ordered
        ]
        if not candidates:
            st.caption("Every supported creator of this campaign has an order.")
        else:
            picked = st.multiselect(
                "Creators", candidates, default=candidates[:PER_CALL], key=f"order{pk}_who"
            )
            videos = st.number_input(
                "Videos per creator",
                min_value=int(lim["order_video_min"]),
                max_value=int(lim["order_video_max"]),
                value=1,
                step=1,
                key=f"order{pk}_videos",
            )
            names: list[str] = []
            sparks: list[int] = []
            default_days = int(campaign["spark_days_default"] or lim["spark_ads_default_days"])
            for i in range(int(videos)):
                a, b, c = st.columns([3, 1, 1])
                names.append(
                    a.text_input(
                        f"Deliverable {i + 1} name",
                        max_chars=TEXT_MAX,
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
            request = OrderRequest(pk, picked, int(videos), names, sparks)
            if len(picked) > PER_CALL:
                st.info(
                    f"{len(picked)} creators: sent in {math.ceil(len(picked) / PER_CALL)} calls "
                    f"of at most {PER_CALL}."
                )
            room = orders.room(request)
            if orders.codes(pk) and len(picked) > room:
                st.warning(
                    f"Only {room} more order(s) fit on the current campaign code(s) "
                    f"({PER_CODE} per code, same deliverables): the other {len(picked) - room} "
                    "start a new campaign code."
                )
            if st.button("Create orders", type="primary", key=f"order{pk}_go"):
                run_orders(lambda: orders.create(me, request), reset=f"order{pk}_")

# ---------------------------------------------------------------- tie published posts

with posts_tab:
    st.caption(
        "A creator who posted without the invitation link can still have the post counted: ask "
        "TikTok to tie it to this campaign through the order's campaign code. The creator "
        "approves the request in TikTok; the next refresh then shows the post with full metrics."
    )
    codes = [room.campaign_code for room in orders.codes(pk)]
    if not codes:
        st.info("Create orders first: a post is tied through its order's campaign code.")
    elif can_order:
        code = st.selectbox("Campaign code", codes, key=f"tie{pk}_code")
        video = st.text_input("Video link or id", key=f"tie{pk}_video", max_chars=300)
        if st.button("Ask to tie the post", key=f"tie{pk}_go"):
            try:
                tied = orders.tie_post(me, code, video)
            except OrderError as exc:
                show_errors(exc.errors)
            except (WriteInProgress, AuthError) as exc:
                st.warning(md(exc))
            except TikTokAPIError as exc:
                st.error(f"TikTok did not answer as expected: {md(exc)}")
            else:
                verb = "was asked already" if tied["already"] else "asked"
                flash("success", f"Video {md(tied['video_id'])}: {verb} ({md(tied['status'])}).")
                forget_widgets(f"tie{pk}_video")
                st.rerun()
    tied_rows = orders.tied_posts(me, pk)
    if tied_rows:
        st.dataframe(
            pd.DataFrame(tied_rows)[
                ["video_id", "status_label", "number_of_requests", "handle_name", "video_views"]
            ],
            hide_index=True,
            width="stretch",
        )
