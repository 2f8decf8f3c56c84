"""Campaigns: settings (plan, KPIs, budget, brief, TTCM section), creators and orders."""

from ttcm.web.session import page_principal

me = page_principal("read")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm import rules
from ttcm.auth import role_allows
from ttcm.config import Settings
from ttcm.runtime import make_client, shared_store
from ttcm.services.campaigns import CampaignError, CampaignInput, Campaigns, as_input
from ttcm.services.orders import OrderError, OrderRequest, Orders
from ttcm.services.shortlists import Shortlists
from ttcm.web.widgets import freshness_caption

settings = Settings.load()
store = shared_store(settings)
campaigns = Campaigns(store, lambda: make_client(settings))
orders = Orders(store, lambda: make_client(settings))
can_write = role_allows(me.role, "campaign.write")
lim = rules.limits()
TEXT_MAX = lim["text_max_chars"]

st.title("Campaigns")
freshness_caption(store, "campaigns", "orders")


def settings_form(key: str, data: CampaignInput) -> CampaignInput | None:
    """The settings form; returns the input when submitted."""
    with st.form(key):
        st.markdown("**TikTok Creator Marketplace section** (sent to TikTok with every order)")
        name = st.text_input(
            "Campaign name", value=data.campaign_name, max_chars=lim["campaign_name_max_chars"]
        )
        brand = st.text_input(
            f"Brand name (≤{TEXT_MAX})", value=data.brand_name, max_chars=TEXT_MAX
        )
        desc = st.text_input(
            f"Description (≤{TEXT_MAX})", value=data.description, max_chars=TEXT_MAX
        )
        days = rules.spark_days()
        spark = st.selectbox(
            "Default Spark Ads authorization",
            days,
            index=days.index(data.spark_days_default) if data.spark_days_default in days else 1,
            format_func=lambda d: f"{d} days",
        )
        st.markdown("**Goals and KPI targets**")
        goals = st.text_area("Goals", value=data.goals or "", max_chars=5000)
        k1, k2, k3 = st.columns(3)
        kpi_views = k1.number_input("Views target", min_value=0, value=data.kpi_views, step=10_000)
        kpi_er = k2.number_input(
            "Engagement rate target (%)",
            min_value=0.0,
            max_value=100.0,
            value=None if data.kpi_engagement_rate is None else data.kpi_engagement_rate * 100,
            step=0.5,
        )
        kpi_reach = k3.number_input("Reach target", min_value=0, value=data.kpi_reach, step=10_000)
        kpi_posts = k1.number_input("Posts target", min_value=0, value=data.kpi_posts, step=1)
        kpi_codes = k2.number_input(
            "Spark Ads codes target", min_value=0, value=data.kpi_spark_codes, step=1
        )
        st.markdown("**Budget and timeline**")
        b1, b2 = st.columns(2)
        budget = b1.number_input("Budget", min_value=0.0, value=data.budget, step=100.0)
        currency = b2.text_input("Currency (e.g. USD)", value=data.currency or "", max_chars=3)
        t1, t2 = st.columns(2)
        start = t1.date_input("Start", value=data.start_date)
        end = t2.date_input("End", value=data.end_date)
        p_start = t1.date_input("Posting window opens", value=data.posting_start)
        p_end = t2.date_input("Posting window closes", value=data.posting_end)
        st.markdown("**Brief**")
        content = st.text_area("Content needs", value=data.brief_content or "", max_chars=20_000)
        dos = st.text_area("Do's", value=data.brief_dos or "", max_chars=5000)
        donts = st.text_area("Don'ts", value=data.brief_donts or "", max_chars=5000)
        terms = st.text_area("Payment terms", value=data.payment_terms or "", max_chars=5000)
        if not st.form_submit_button("Save campaign", type="primary", disabled=not can_write):
            return None
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


def show_errors(exc: CampaignError | OrderError) -> None:
    for field_name, problem in exc.errors.items():
        st.error(f"{field_name.replace('_', ' ').capitalize()}: {problem}")


rows = campaigns.list(me, include_archived=st.toggle("Show archived"))
chosen_pk = st.query_params.get("campaign")
if rows:
    labels = {str(r["id"]): f"{r['campaign_name']} · {r['brand_name'] or '—'}" for r in rows}
    keys = list(labels)
    index = keys.index(chosen_pk) if chosen_pk in keys else 0
    chosen_pk = st.selectbox("Campaign", keys, index=index, format_func=labels.get)
    st.query_params["campaign"] = chosen_pk
else:
    st.info("No campaigns yet.")
    chosen_pk = None

if can_write:
    with st.expander("New campaign", expanded=not rows):
        new = settings_form("new_campaign", CampaignInput("", "", ""))
        if new is not None:
            try:
                pk = campaigns.create(me, new)
            except CampaignError as exc:
                show_errors(exc)
            except Exception as exc:  # noqa: BLE001 - API failures are shown, never a traceback
                st.error(f"TikTok did not create the campaign: {exc}")
            else:
                st.query_params["campaign"] = str(pk)
                st.rerun()

if chosen_pk is None:
    st.stop()
campaign = campaigns.get(me, int(chosen_pk))
settings_tab, people_tab = st.tabs(["Settings", "Creators and orders"])

with settings_tab:
    st.caption(f"TikTok campaign id: {campaign['campaign_id'] or 'not created on TikTok yet'}")
    edited = settings_form(f"edit_{chosen_pk}", as_input(campaign))
    if edited is not None:
        try:
            campaigns.update(me, int(chosen_pk), edited)
            st.success("Saved.")
        except CampaignError as exc:
            show_errors(exc)
    if can_write:
        archived = campaign["archived_at"] is not None
        if st.button("Restore campaign" if archived else "Archive campaign"):
            campaigns.archive(me, int(chosen_pk), not archived)
            st.rerun()

with people_tab:
    people = campaigns.creators(me, int(chosen_pk))
    if people:
        table = pd.DataFrame(people)
        st.dataframe(
            table[
                [
                    "handle_name",
                    "display_name",
                    "account_kind",
                    "status",
                    "order_id",
                    "campaign_code",
                    "error",
                ]
            ],
            hide_index=True,
            width="stretch",
        )
        for row in people:
            if row["error"]:
                st.error(f"@{row['handle_name']}: {row['error']}")
    if can_write:
        with st.form("add_creators", clear_on_submit=True):
            handles = st.text_area(
                "Add creators by handle (one per line or comma separated)", max_chars=5000
            )
            lists = {s.name: s.id for s in Shortlists(store).all(me)}
            from_list = st.selectbox(
                "…or everyone on a shortlist", [None, *lists], format_func=lambda x: x or "—"
            )
            if st.form_submit_button("Add to campaign"):
                names = [
                    h for part in handles.replace(",", "\n").splitlines() if (h := part.strip())
                ]
                if from_list:
                    names += [
                        mbr["handle_name"]
                        for mbr in Shortlists(store).members(me, lists[from_list])
                    ]
                added = campaigns.add_creators(me, int(chosen_pk), names)
                st.success(f"Added {added} creator(s).")
                st.rerun()

    st.subheader("Orders")
    capacity = orders.code_capacity(int(chosen_pk))
    for code, left in capacity:
        (st.warning if left < 20 else st.caption)(
            f"Campaign code {code}: {left} of {lim['orders_per_campaign_code']} orders left"
        )
    existing = orders.list(me, int(chosen_pk))
    for o in existing:
        with st.container(border=True):
            st.markdown(
                f"**@{o['handle_name']}** · {o['status_label']} · {o['video_number']} video(s)"
            )
            c1, c2 = st.columns(2)
            c1.caption("Invitation link")
            c1.code(o["invite_link"] or "—", language=None)
            c2.caption("Campaign code")
            c2.code(o["campaign_code"] or "—", language=None)
            if o["deliverables"]:
                st.caption(
                    " · ".join(
                        f"{d['deliverable_name']}"
                        + (f" (Spark Ads {d['spark_days']} days)" if d["spark_days"] else "")
                        for d in o["deliverables"]
                    )
                )
    if role_allows(me.role, "order.write"):
        ordered = {o["handle_name"] for o in existing}
        candidates = [
            p["handle_name"] for p in people if p["supported"] and p["handle_name"] not in ordered
        ]
        with st.form("create_orders"):
            st.markdown("**Create orders**")
            picked = st.multiselect(
                "Creators", candidates, default=candidates[: lim["order_handles_per_call"]]
            )
            room = (
                sum(left for _, left in capacity) if capacity else lim["orders_per_campaign_code"]
            )
            if len(picked) > room:
                st.warning(
                    f"Only {room} orders fit on the current code(s); the rest start a new code."
                )
            videos = st.slider(
                "Videos per creator", lim["order_video_min"], lim["order_video_max"], 1
            )
            names, sparks = [], []
            for i in range(lim["order_video_max"]):
                a, b = st.columns([3, 2])
                names.append(
                    a.text_input(
                        f"Deliverable {i + 1} name",
                        max_chars=TEXT_MAX,
                        placeholder=f"Video {i + 1}",
                    )
                )
                sparks.append(
                    b.selectbox(
                        f"Deliverable {i + 1} Spark Ads",
                        [0, *rules.spark_days()],
                        index=0,
                        format_func=lambda d: "no request" if d == 0 else f"{d} days",
                    )
                )
            st.caption("Only the first N deliverables (N = videos per creator) are used.")
            if st.form_submit_button("Create orders", type="primary"):
                try:
                    outcome = orders.create(
                        me,
                        OrderRequest(
                            campaign_pk=int(chosen_pk),
                            handles=picked,
                            video_number=videos,
                            deliverable_names=names[:videos],
                            spark_days=sparks[:videos],
                        ),
                    )
                except OrderError as exc:
                    show_errors(exc)
                else:
                    if outcome.created:
                        st.success(f"Order Created for {len(outcome.created)} creator(s).")
                    for notice in outcome.notices:
                        st.info(notice)
                    for h, reason in {**outcome.refused, **outcome.failed}.items():
                        st.error(f"@{h}: {reason}")
