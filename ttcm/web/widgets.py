"""Small Streamlit helpers shared by pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import streamlit as st

from ttcm.charts import bands
from ttcm.refresh.status import freshness
from ttcm.services.status import age_text, resource_name
from ttcm.store import Store
from ttcm.web.text import plain_line

Row = TypeVar("Row", bound=Mapping[str, Any])


def creator_picker(rows: Sequence[Row], key: str) -> Row:
    """A "Creator" select box over the rows' @handles; the row of the one picked."""
    handles = [str(r["handle_name"]) for r in rows]
    who = st.selectbox("Creator", handles, format_func=lambda h: f"@{h}", key=key)
    return next(r for r in rows if r["handle_name"] == who)


def band_chart(where: Any, chart: bands.Bands, matching: int) -> None:
    """A histogram of bands as a static picture: its title, the bars, and one line saying what
    they show (also the picture's text alternative)."""
    box = where.container()
    box.markdown(f"**{plain_line(chart.title)}**")
    said = bands.summary(chart, matching)
    box.image(bands.svg(chart), width="stretch", alt=said)
    box.caption(plain_line(said))


def freshness_caption(store: Store, *resources: str) -> None:
    """One caption line: how fresh the resources this page shows are."""
    by_name = {f.resource: f for f in freshness(store)}
    parts = []
    for name in resources:
        f = by_name.get(name)
        when = age_text(f.last_success_at if f else None)
        parts.append(f"{resource_name(name)} refreshed {when}")
        if f and f.last_error:
            parts.append(f"last attempt failed: {f.last_error[:120]}")
    st.caption(plain_line(" · ".join(parts)))


def number_or_none(value: float | int | None) -> int | None:
    """A whole number from a number_input, or None when it was left empty."""
    return None if value is None else int(value)


def money(value: float | None) -> float | None:
    """An amount from a number_input, or None when it was left empty."""
    return None if value is None else float(value)
