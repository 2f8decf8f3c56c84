"""A shortlist's members on a page: the figures, the selectable table and its CSV download."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.domain.projection import explain, project
from ttcm.services.exchange_rates import Pricing
from ttcm.services.export import Column, to_csv
from ttcm.web.formula import how_computed
from ttcm.web.text import plain

_NUMBERS = {"followers_count", "median_views", "creator_price", "team_price"}


def columns(currency: str) -> list[tuple[str, str, str]]:
    """(row key, header, CSV kind): one table for the page's columns and the CSV's."""
    return [
        ("handle_name", "Handle", ""),
        ("display_name", "Display name", ""),
        ("country_code", "Country", ""),
        ("followers_count", "Followers", ""),
        ("median_views", "Median views", ""),
        ("engagement_rate", "Engagement rate (%)", "percent"),
        ("creator_price", "Creator's price", ""),
        ("currency", "Price currency", ""),
        ("team_price", f"Price in {currency}", ""),
        ("team_price_how", f"Price in {currency} how", ""),
        ("account_kind", "Account", "label:account_kind"),
        ("tags", "Tags", ""),
        ("note", "Note", ""),
    ]


def figures(members: Sequence[Mapping[str, Any]], prices: Pricing) -> None:
    """Combined followers, expected views and estimated cost, and what they leave out."""
    p = project(list(members))
    total, unconverted = prices.total(p.cost_by_currency)
    a, b, c = st.columns(3)
    a.metric("Combined followers", numfmt.count(p.followers))
    b.metric("Expected views", numfmt.count(p.expected_views), help="The sum of median views.")
    c.metric(
        "Estimated cost",
        numfmt.money(total, prices.currency) if p.cost_by_currency else numfmt.MISSING,
        help=" + ".join(numfmt.money(v, k) for k, v in p.cost_by_currency.items()) or None,
    )
    notes = [text for fig in ("followers", "median_views", "price") if (text := p.coverage(fig))]
    if unconverted:
        notes.append(f"no exchange rate for {', '.join(unconverted)} (not in the cost)")
    if notes:
        st.caption(plain("Not included: " + "; ".join(notes) + "."))
    how_computed([explain(list(members))[0], *prices.explain(p.cost_by_currency)])


def members_table(members: Sequence[Mapping[str, Any]], currency: str, list_id: int) -> list[str]:
    """The members as a multi-select table with a CSV download; returns the picked handles."""
    cols = columns(currency)
    shown = [c for c in cols if not c[0].endswith("_how")]  # the formulas are in the CSV only
    table = pd.DataFrame(list(members))
    table["profile"] = "creator?handle=" + table["handle_name"]
    table["tags"] = table["tags"].map(", ".join)
    table["engagement_rate"] = table["engagement_rate"] * 100
    table["account_kind"] = table["account_kind"].map(lambda k: numfmt.label("account_kind", k))
    config: dict[str, Any] = {
        key: st.column_config.NumberColumn(head, format="localized") if key in _NUMBERS else head
        for key, head, _ in shown
    }
    config["engagement_rate"] = st.column_config.NumberColumn("Engagement rate (%)", format="%.2f")
    event = st.dataframe(
        table[["profile", *(k for k, _, _ in shown), "added_by"]],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=f"members_{list_id}",
        column_config={
            "profile": st.column_config.LinkColumn("Profile", display_text="open"),
            **config,
            "added_by": "Added by",
        },
    )
    csv_columns: list[Column] = [(k, h, kind) if kind else (k, h) for k, h, kind in cols]
    st.download_button(
        "Download this list (CSV)",
        to_csv(members, csv_columns),
        file_name=f"shortlist-{list_id}.csv",
        mime="text/csv",
    )
    return [str(members[i]["handle_name"]) for i in event.selection.rows] if event else []
