"""Discovery's filter form, drawn from the field table (ttcm/services/discovery/filters.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from ttcm import rules
from ttcm.services.discovery.filters import (
    FIELDS,
    SORTS,
    URL_LABELS,
    CreatorFilter,
    Field,
    FilterError,
    currencies,
)
from ttcm.web.fields import Problems, checked_number, checked_text
from ttcm.web.text import plain, plain_line

_TRI = [None, True, False]
_SORT_NAMES = {
    "followers": "Followers",
    "avg_views": "Average views",
    "median_views": "Median views",
    "engagement_rate": "Engagement rate",
}


def show_url_problems(exc: FilterError, params: Mapping[str, object]) -> None:
    """Every bad value of a shared link, each with a button that clears it; then stop."""
    st.error("This link holds filter values ttcm cannot use. Clear them, or start again.")
    for key, problem in exc.problems.items():
        shown = str(params.get(key, ""))
        left, right = st.columns([4, 1])
        left.warning(
            plain_line(f"{URL_LABELS.get(key, key)} = “{shown[:60]}”: {problem}"),
            icon=":material/filter_alt_off:",
        )
        if right.button("Clear this filter", key=f"clear_{key}"):
            del st.query_params[key]
            st.rerun()
    if st.button("Start again with no filters"):
        st.query_params.clear()
        st.rerun()
    st.stop()


def form_key(current: CreatorFilter) -> str:
    """A key that changes with the filter, so widgets redraw with a filter changed from the URL."""
    return hashlib.sha1(json.dumps(current.to_query(), sort_keys=True).encode()).hexdigest()[:8]


class Options:
    """What the choice fields offer: countries, states, labels and the vocabularies."""

    def __init__(self, states: list[str], labels: list[tuple[str, str, str]], team: str) -> None:
        countries = rules.countries()
        self.names = {c: v["name"] for c, v in countries.items()}
        self.names.update(
            {c: v["name"] for c, v in rules.load("countries")["unsupported_examples"].items()}
        )
        self.label_names = {lid: name for lid, name, _ in labels}
        self.team = team
        vocab = rules.vocab()
        self.lists: dict[str, list[Any]] = {
            "countries": sorted(self.names),
            "audience_countries": sorted(countries),
            "states": states,
            "languages": list(vocab["languages"]),
            "labels": [lid for lid, _, _ in labels],
            "currency": currencies(),
            "gender_skew": list(vocab["gender_ratios"]),
            "age_band": list(vocab["age_bands"]),
            "sort": list(SORTS),
        }

    def show(self, name: str) -> Callable[[Any], str]:
        """How an option of field `name` is shown."""
        if name in ("countries", "audience_countries"):
            return lambda c: f"{c} · {self.names.get(c, c)}"
        if name == "labels":
            return lambda lid: self.label_names.get(lid, lid)
        if name == "gender_skew":
            return lambda g: (
                "any" if g is None else f"≥ {g.split('_')[1]} % {g.split('_')[0].lower()}"
            )
        if name == "sort":
            return lambda s: _SORT_NAMES.get(s, f"Price in {self.team}")
        if name == "eligible":
            return lambda v: {None: "any", True: "eligible", False: "not eligible"}[v]
        return lambda v: {None: "any", True: "yes", False: "no"}.get(v, str(v))


def _widget(where: Any, f: Field, value: Any, opts: Options, wrong: Problems) -> Any:
    """One field's widget; returns its value in the filter's terms (None: empty)."""
    label = f"{f.widget} ({opts.team})" if f.unit == "team" else f.widget
    limit = float(rules.input_limits()[f.limit]) if f.limit else None
    if f.kind == "text":
        return checked_text(where, label, wrong, limit=int(limit or 0), value=value or "")
    if f.kind in ("codes", "items"):
        options = opts.lists[f.name]
        shown = [v for v in value if v in options] if f.name == "labels" else list(value)
        return tuple(
            where.multiselect(label, options, default=shown, format_func=opts.show(f.name))
        )
    if f.kind in ("count", "money", "rate"):
        percent = f.unit == "%"
        typed = checked_number(
            where,
            label,
            wrong,
            lo=0,
            hi=limit,
            whole=f.kind == "count",
            value=None if value is None else (round(value * 100, 3) if percent else value),
            step={"count": 1000, "money": 50.0, "rate": 0.5}[f.kind],
            help=f.help.capitalize() if f.kind == "money" else None,
        )
        if typed is None:
            return None
        return int(typed) if f.kind == "count" else float(typed) / (100 if percent else 1)
    if f.kind == "asc":
        return where.toggle(label, value=value)
    choices = _TRI if f.kind == "flag" else [None, *opts.lists[f.name]]
    if f.kind == "sort":
        choices = opts.lists["sort"]
    fmt = opts.show(f.name) if f.kind in ("flag", "sort") or f.name == "gender_skew" else None
    return where.selectbox(
        label,
        choices,
        index=choices.index(value),
        format_func=fmt or (lambda v: "any" if v is None else str(v)),
    )


@dataclass(frozen=True)
class _Drawn:
    """The form as the browser has it: its key, the filter its widgets were created with (their
    ids depend on it) and the form key of the filter they show now (after an apply: the new one)."""

    key: str
    created_with: CreatorFilter
    shows: str


_DRAWN = "_discovery_form"


def _drawn_for(current: CreatorFilter) -> _Drawn:
    """The same form again while it shows `current`; else new widgets filled from `current`.

    An applied filter is shown by the widgets that were submitted, so the run that applies it
    needs no second run, and the next Apply reaches the same form. A filter from anywhere else
    (a link, Back, a saved search, a Clear button) gets a form never used before, so no widget
    keeps a value it was left with.
    """
    drawn = st.session_state.get(_DRAWN)
    if isinstance(drawn, _Drawn) and drawn.shows == form_key(current):
        return drawn
    fresh = int(st.session_state.get(f"{_DRAWN}_n", 0)) + 1
    st.session_state[f"{_DRAWN}_n"] = fresh
    drawn = _Drawn(f"filters_{form_key(current)}_{fresh}", current, form_key(current))
    st.session_state[_DRAWN] = drawn
    return drawn


def filter_form(current: CreatorFilter, opts: Options) -> CreatorFilter | None:
    """The sidebar form; the filter it describes once applied and valid, else None."""
    wrong = Problems()
    values: dict[str, Any] = {}
    drawn = _drawn_for(current)
    with st.sidebar.form(drawn.key):
        st.subheader("Filters")
        pair: list[Any] = []
        for f in FIELDS:
            if f.name.startswith("min_"):
                pair = list(st.columns(2))
            where = pair.pop(0) if pair else st
            values[f.name] = _widget(where, f, getattr(drawn.created_with, f.name), opts, wrong)
        applied = st.form_submit_button("Apply filters", type="primary")
    if not applied:
        return None
    if wrong:
        st.sidebar.error(f"Filters not applied. {wrong.summary()}")
        return None
    values["query"] = (values["query"] or "").strip() or None
    try:
        chosen = CreatorFilter(**values)
    except FilterError as exc:
        st.sidebar.error(plain(exc))
        return None
    st.session_state[_DRAWN] = replace(drawn, shows=form_key(chosen))
    return chosen
