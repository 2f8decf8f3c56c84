"""The Posts page's Spark Ads tab: each post's authorization, its code with a copy button and
days left, and the form to request or extend authorizations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.services.spark import auth_label, code_label
from ttcm.web.context import PageContext
from ttcm.web.tables import show_table
from ttcm.web.text import plain as md

CODES_SHOWN = 20


def _day(when: datetime | None) -> str:
    return numfmt.timestamp(when, with_time=False)


def spark_table(rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame(rows)
    show_table(
        {
            "creator": "@" + frame["handle_name"].astype(str),
            "video": frame["video_id"],
            "request": frame["auth_status"].map(auth_label),
            "code": frame["auth_code"].fillna("—"),
            "code status": frame["auth_code_status"].map(code_label),
            # "—" where TikTok has not said (no code yet), never a bare "None"
            "starts": [_day(r["auth_code_start_time"]) for r in rows],
            "ends": [_day(r["auth_code_end_time"]) for r in rows],
            "days left": [numfmt.count(r["days_left"]) for r in rows],
            "requests left": [numfmt.count(r["num_remaining_request"]) for r in rows],
            "days asked": [numfmt.count(r["requested_authorization_days"]) for r in rows],
        },
    )
    coded = [r for r in rows if r["auth_code"]]
    if coded:
        st.markdown("**Authorization codes** (paste into TikTok Ads Manager › Spark Ads)")
        for r in coded[:CODES_SHOWN]:
            left, right = st.columns([2, 3])
            days = f" · {r['days_left']} days left" if r["days_left"] is not None else ""
            left.caption(
                md(f"@{r['handle_name']} · video {r['video_id']}")
                + f" · {code_label(r['auth_code_status'])}"
                + days
            )
            right.code(r["auth_code"], language=None)
        if len(coded) > CODES_SHOWN:
            st.caption(f"{len(coded) - CODES_SHOWN} more codes are in the table above.")


def spark_request(ctx: PageContext, rows: list[dict[str, Any]], default_days: int) -> None:
    by_vid = {r["video_id"]: r for r in rows if r["can_request"] or r["can_extend"]}
    days_options = list(rules.spark_days())
    if default_days not in days_options:
        default_days = days_options[0]
    with st.form("spark_request"):
        st.markdown("**Request Spark Ads authorization**")
        picked = st.multiselect(
            "Posts",
            list(by_vid),
            format_func=lambda v: (
                f"@{by_vid[v]['handle_name']} · {v} · {auth_label(by_vid[v]['auth_status'])}"
            ),
            key="spark_posts",
        )
        days = st.selectbox(
            "Duration",
            days_options,
            index=days_options.index(default_days),
            format_func=lambda d: f"{d} days",
            key="spark_days",
        )
        extend = st.checkbox(
            "Extend the existing authorization (accepted codes only)", key="spark_ext"
        )
        sent = st.form_submit_button("Send request", type="primary")
    if not sent:
        return
    if not picked:
        st.error("Choose at least one post.")
        return
    outcome = ctx.services.spark.request_many(ctx.principal, picked, days, extend=extend)
    for r in outcome.sent:
        (st.info if r.already else st.success)(md(f"Video {r.video_id}: {r.message}"))
    for r in outcome.failed:
        st.error(md(f"Video {r.video_id}: {r.message}"))
    st.caption(
        "The creator decides in the TikTok app; the status and the code appear here after the "
        "next refresh."
    )


def spark_ads(ctx: PageContext, campaign_pk: int, default_days: int) -> None:
    """The Spark Ads tab."""
    rows = ctx.services.spark.table(ctx.principal, campaign_pk)
    if not rows:
        st.info("No published posts yet, so there is nothing to authorize.")
        return
    spark_table(rows)
    if ctx.can("spark.request"):
        spark_request(ctx, rows, default_days)


# ---------------------------------------------------------------- the page
