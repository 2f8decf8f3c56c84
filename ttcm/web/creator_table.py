"""Discovery's result table: figures formatted as on the profile, "—" and why for missing ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.services.discovery.rows import COLUMNS, headers
from ttcm.services.profiles import account_metric

# (row key, how it is shown) — the same formatter as the profile's metrics
_FIGURES = (
    ("followers_count", numfmt.count),
    ("avg_views", numfmt.count),
    ("median_views", numfmt.count),
    ("engagement_rate", numfmt.percent),
)
# the export's columns, with the currencies folded into the prices, and why figures are missing
_SHOWN = (*(c for c, _ in COLUMNS if c not in ("currency", "team_currency")), "missing")


def missing_reasons(row: Mapping[str, Any]) -> str:
    """'Engagement rate: why; Creator price: why' for the figures a row lacks ('' for none)."""
    why: dict[str, list[str]] = {}
    for key in ("followers_count", "avg_views", "median_views", "engagement_rate"):
        if row.get(key) is None:
            metric = account_metric(row["account_kind"], key, None)
            why.setdefault(metric.reason or "", []).append(metric.label)
    if row.get("creator_price") is None:
        metric = account_metric(row["account_kind"], "creator_price", None)
        why.setdefault(metric.reason or "", []).append(metric.label)
    elif row.get("team_price") is None:
        why.setdefault("No exchange rate for its currency (Admin › Exchange rates).", []).append(
            f"Price in {row.get('team_currency') or 'team currency'}"
        )
    return " ".join(f"{', '.join(labels)}: {reason}" for reason, labels in why.items())


def display_rows(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The rows as the table shows them: text cells, never a bare None or nan."""
    out = []
    for row in rows:
        shown: dict[str, Any] = {"profile": f"creator?handle={row['handle_name']}"}
        shown.update({k: row.get(k) or numfmt.MISSING for k in _SHOWN[:3]})
        shown.update({k: fmt(row.get(k)) for k, fmt in _FIGURES})
        shown["creator_price"] = numfmt.money(row.get("creator_price"), row.get("currency"))
        shown["team_price"] = numfmt.money(row.get("team_price"), row.get("team_currency"))
        shown["account_kind"] = numfmt.label("account_kind", row.get("account_kind"))
        shown["eligibility"] = row.get("eligibility") or numfmt.MISSING
        shown["missing"] = missing_reasons(row)
        out.append(shown)
    return pd.DataFrame(out, columns=["profile", *_SHOWN])


def results_table(rows: Sequence[Mapping[str, Any]], team_currency: str, key: str) -> list[int]:
    """The selectable table of one page of results; the positions of the ticked rows."""
    header = dict(headers(team_currency))
    config: dict[str, Any] = {k: header[k] for k in _SHOWN if k in header}
    config["engagement_rate"] = "Engagement rate"  # the cells carry their % sign
    config["profile"] = st.column_config.LinkColumn("Profile", display_text="open", width="small")
    config["missing"] = st.column_config.TextColumn(
        "Why — (missing figures)",
        help="A figure TikTok does not share for this kind of account, or that is not in the "
        "cached data yet, is shown as —; this column says which and why.",
    )
    event = st.dataframe(
        display_rows(rows),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=key,
        column_config=config,
    )
    return list(event.selection.rows) if event and event.selection else []
