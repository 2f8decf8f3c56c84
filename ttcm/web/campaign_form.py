"""The campaign settings form (TTCM section, goals and KPIs, audience, budget, brief) and its
read-only view; every value is checked where it is typed and named under its field."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.services.campaigns.settings import (
    MAX_WHOLE,
    TEXT_LIMITS,
    CampaignInput,
    audience_choices,
)
from ttcm.web.fields import Problems, checked_number, checked_text

lim = rules.limits()
TEXT_MAX = int(lim["text_max_chars"])
SPARK_DAYS = list(rules.spark_days())
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
WHOLE_TARGETS = ("kpi_views", "kpi_reach", "kpi_posts", "kpi_spark_codes")


def label_of(field_name: str) -> str:
    """The form label of a service field name such as `deliverable_names[2]`."""
    found = re.fullmatch(r"(deliverable_names|spark_days)\[(\d+)\]", field_name)
    if found:
        what = "name" if found.group(1) == "deliverable_names" else "Spark Ads"
        return f"Deliverable {found.group(2)} {what}"
    return LABELS.get(field_name, field_name.replace("_", " ").capitalize())


def whole_number(
    where: DeltaGenerator, label: str, problems: Problems, value: int | None, step: int, key: str
) -> float | None:
    """A whole-number target from 0 up, checked where it is typed."""
    return checked_number(
        where, label, problems, lo=0, hi=MAX_WHOLE, whole=True, value=value, step=step, key=key
    )


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
    kpi_views = whole_number(
        k1, "Views target", problems, data.kpi_views, 10_000, f"{prefix}_views"
    )
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
    kpi_reach = whole_number(
        k3, "Reach target", problems, data.kpi_reach, 10_000, f"{prefix}_reach"
    )
    kpi_posts = whole_number(k1, "Posts target", problems, data.kpi_posts, 1, f"{prefix}_posts")
    kpi_codes = whole_number(
        k2, "Spark Ads codes target", problems, data.kpi_spark_codes, 1, f"{prefix}_codes"
    )
    for col, target, typed in (
        (k1, "kpi_views", kpi_views),
        (k3, "kpi_reach", kpi_reach),
        (k1, "kpi_posts", kpi_posts),
        (k2, "kpi_spark_codes", kpi_codes),
    ):
        if typed is not None:
            col.caption(f"{label_of(target)}: {shown_value(target, int(typed), None)}")
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
    if budget is not None:
        b1.caption(f"Budget: {shown_value('budget', budget, currency.strip().upper() or None)}")
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


def shown_value(name: str, value: object, currency: str | None) -> str:
    """A setting as a person reads it: money with its currency, counts with separators."""
    if value is None or value == "" or value == {}:
        return "—"
    if name == "target_audience" and isinstance(value, dict):
        return "; ".join(f"{AUDIENCE_LABELS[k]}: {', '.join(v)}" for k, v in value.items())
    if name == "kpi_engagement_rate":
        return numfmt.percent(value)
    if name == "budget":
        return numfmt.money(value, currency)
    if name in WHOLE_TARGETS:
        return numfmt.count(value)
    if name == "spark_days_default" and isinstance(value, int):
        return numfmt.plural(value, "day")
    return str(value)


def settings_table(data: CampaignInput) -> None:
    """The settings as read-only values (for a role that may not change them)."""
    rows = [
        {"Setting": label_of(name), "Value": shown_value(name, value, data.currency)}
        for name, value in vars(data).items()
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
