"""What the ticked Discovery rows could deliver together (the projection, in the team currency)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.domain.projection import explain, project
from ttcm.services.exchange_rates import pricing
from ttcm.store import Store
from ttcm.web.formula import how_computed


def projection_metrics(store: Store, selected: Sequence[Mapping[str, Any]], team: str) -> None:
    """Four metrics and a caption naming what they could not include."""
    p = project(selected)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Combined followers", "unknown" if p.followers is None else numfmt.count(p.followers))
    m2.metric(
        "Expected views (sum of medians)",
        "unknown" if p.expected_views is None else numfmt.count(p.expected_views),
    )
    m3.metric(
        "Expected engagements",
        "unknown" if p.expected_engagements is None else numfmt.count(p.expected_engagements),
    )
    prices = pricing(store)
    total, unconverted = prices.total(p.cost_by_currency)
    m4.metric(
        f"Estimated cost ({team})",
        numfmt.money(total, team) if p.cost_by_currency else "unknown",
        help=numfmt.money_sum(p.cost_by_currency) if p.cost_by_currency else None,
    )
    notes = [
        text
        for figure in ("followers", "median_views", "engagement_rate", "price")
        if (text := p.coverage(figure))
    ]
    if unconverted:
        notes.append(f"no exchange rate for {', '.join(unconverted)} (not in the cost)")
    if notes:
        st.caption("Not included: " + "; ".join(notes) + ".")
    how_computed(explain(selected) + prices.explain(p.cost_by_currency))
