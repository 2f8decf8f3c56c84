"""Discovery's use cases: search the cached creators, hint a relaxation, the filters' options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.config import Settings
from ttcm.domain.cells import Cell
from ttcm.domain.eligibility import ELIGIBLE, NOT_ELIGIBLE
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import (
    FILTER_LABELS,
    RANGES,
    SORTS,
    CreatorFilter,
    FilterError,
)
from ttcm.services.discovery.index import CreatorIndex, Histogram, Query
from ttcm.services.discovery.rows import COLUMNS, fetch_rows
from ttcm.services.discovery.text import text_ids
from ttcm.services.exchange_rates import Pricing, pricing
from ttcm.store import Store
from ttcm.store import models as m


@dataclass(frozen=True)
class SearchResult:
    """One page of matching creators, the total count, and the histograms of all matches."""

    rows: list[dict[str, Cell]]
    total: int
    follower_hist: Histogram | None = None
    er_hist: Histogram | None = None
    columns: tuple[str, ...] = tuple(c for c, _ in COLUMNS)
    team_currency: str = ""


def to_query(store: Store, f: CreatorFilter, prices: Pricing | None = None) -> Query:
    """Translate the public filter into index terms (runs the text search)."""
    prices = prices or pricing(store)
    ranges = tuple(
        (column, *f.bounds(column))
        for column, *_ in RANGES
        if any(v is not None for v in f.bounds(column))
    )
    female_min = male_min = None
    if f.gender_skew:
        gender, pct = f.gender_skew.split("_")
        share = int(pct) / 100
        female_min, male_min = (share, None) if gender == "FEMALE" else (None, share)
    eligibility: tuple[int, ...] = ()
    if f.eligible is True:
        eligibility = (ELIGIBLE,)
    elif f.eligible is False:
        eligibility = (NOT_ELIGIBLE,)
    return Query(
        countries=f.countries,
        states=f.states,
        ranges=ranges,
        currency=f.currency,
        languages=f.languages,
        labels=f.labels,
        audience_countries=f.audience_countries,
        female_min=female_min,
        male_min=male_min,
        age_band=f.age_band,
        tcm=f.tcm,
        authenticated=f.authenticated,
        eligibility=eligibility,
        text_ids=text_ids(store, f.query) if f.query and f.query.strip() else None,
        price_factors=tuple(sorted(prices.factors().items())),
        sort=SORTS[f.sort],
        descending=f.descending,
    )


class Discovery:
    """Search and vet the cached creators (every call checks the caller may read)."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings

    def index(self, actor: Principal) -> CreatorIndex:
        """The in-memory index queries are answered from (never waits for a rebuild)."""
        require(actor, "read")
        return index_cache.current(self.store, self.settings)

    def search(
        self,
        actor: Principal,
        f: CreatorFilter,
        *,
        limit: int = 50,
        offset: int = 0,
        histograms: bool = False,
    ) -> SearchResult:
        """Creators matching `f`: one sorted page, the total, optionally the histograms."""
        index = self.index(actor)
        prices = pricing(self.store)
        q = to_query(self.store, f, prices)
        mask = index.mask(q)
        positions = index.page(q, mask, limit=max(0, limit), offset=max(0, offset))
        codes = [int(x) for x in np.asarray(index.cols["eligibility"])[positions]]
        follower_hist, er_hist = index.histograms(q, mask) if histograms else (None, None)
        return SearchResult(
            rows=fetch_rows(self.store, index.ids(positions), codes, prices),
            total=int(mask.sum()),
            follower_hist=follower_hist,
            er_hist=er_hist,
            team_currency=prices.currency,
        )

    def suggest_relaxation(self, actor: Principal, f: CreatorFilter) -> tuple[str, str, int] | None:
        """For a filter matching nothing: the one field whose removal finds the most creators."""
        best: tuple[str, str, int] | None = None
        for name in f.active():
            total = self.search(actor, f.cleared(name), limit=0).total
            if total and (best is None or total > best[2]):
                best = (name, FILTER_LABELS[name], total)
        return best

    def from_url(self, actor: Principal, params: Mapping[str, object]) -> CreatorFilter:
        """`CreatorFilter.from_query`, and states checked against the ones in the cache."""
        problems: dict[str, str] = {}
        made: CreatorFilter | None = None
        try:
            made = CreatorFilter.from_query(params)
        except FilterError as exc:
            problems.update(exc.problems)
        value = params.get("state")
        wanted = [p.strip() for p in str(value or "").split(",") if p.strip()]
        known = self.states(actor) if wanted else []
        unknown = [x for x in wanted if x not in known]
        if unknown:
            problems["state"] = (
                f"state / province: no cached creator is in {unknown[0]!r}; pick one from the list"
            )
        if problems or made is None:
            raise FilterError(next(iter(problems.values())), problems)
        return made

    def label_options(self, actor: Principal) -> list[tuple[str, str, str]]:
        """(label_id, name, type) of the cached search vocabulary (shipped vocabulary if empty)."""
        require(actor, "read")
        return label_options(self.store)

    def states(self, actor: Principal) -> list[str]:
        """States and provinces present in the cache (the index's list: no scan per rerun)."""
        return sorted(self.index(actor).data.vocab["state"])


def label_options(store: Store) -> list[tuple[str, str, str]]:
    """(label_id, name, type) of the cached search vocabulary (shipped vocabulary if empty)."""
    with store.read() as conn:
        rows = conn.execute(
            select(m.Label.label_id, m.Label.label_name, m.Label.label_type).order_by(
                m.Label.label_type, m.Label.label_name
            )
        ).all()
    if rows:
        return [(r[0], r[1], r[2]) for r in rows]
    vocab = rules.vocab()
    return [(x["label_id"], x["label_name"], "content") for x in vocab["content_labels"]] + [
        (x["label_id"], x["label_name"], "industry") for x in vocab["industry_labels"]
    ]
