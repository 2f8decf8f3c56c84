"""The discovery engine: filter, count, sort and histogram every cached creator in memory.

Why not SQL: at 1M creators a SQLite query with several range predicates takes ~250 ms and
indexes make most shapes worse, while numpy masks over the same columns take ~6 ms
(docs/decisions.md §6). The columns come from `build.py`; `index_cache.py` keeps one per store
and replaces it off the request path when the data changes. Text search uses the store's
trigram index (`text.py`); page rows are fetched from the store by id (`rows.py`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from ttcm.services.discovery.build import (
    DEFAULT_ORDER,
    DEFAULT_SORT,
    ER_BINS,
    FOLLOWER_BINS,
    IndexData,
    sort_key,
)

Histogram = tuple[np.ndarray, np.ndarray]  # (bin edges, counts)
_HISTOGRAMS_KEPT = 64
# metrics whose histogram bin build.py stores per creator (-1: unknown), with the bins' edges
_STORED_BINS = {"followers": ("follower_bin", 10**FOLLOWER_BINS), "er": ("er_bin", ER_BINS)}


@dataclass(frozen=True)
class Query:
    """A filter in index terms (the public one is filters.CreatorFilter)."""

    countries: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    ranges: tuple[tuple[str, float | None, float | None], ...] = ()
    currency: str | None = None
    languages: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    audience_countries: tuple[str, ...] = ()
    female_min: float | None = None
    male_min: float | None = None
    age_band: str | None = None
    tcm: bool | None = None
    authenticated: bool | None = None
    eligibility: tuple[int, ...] = ()
    text_ids: np.ndarray | None = None  # sorted creator ids matching the text search
    # (currency, multiplier to the team currency): "price" ranges and sorting use the converted
    # price; a currency missing here has no rate, so its prices count as unknown
    price_factors: tuple[tuple[str, float], ...] = ()
    sort: str = "followers"
    descending: bool = True


class CreatorIndex:
    """Filter, count, sort and histogram the cached creators."""

    def __init__(self, data: IndexData) -> None:
        self.data = data
        self.cols = data.cols
        self._lookup = {k: {v: i + 1 for i, v in enumerate(vs)} for k, vs in data.vocab.items()}
        self._team_price: tuple[tuple[tuple[str, float], ...], np.ndarray] | None = None
        self._lock = threading.Lock()
        self._histograms: OrderedDict[tuple[Query, bytes], tuple[Histogram, Histogram]] = (
            OrderedDict()
        )

    @property
    def version(self) -> int:
        """The creators data version this index was built at."""
        return self.data.version

    @property
    def size(self) -> int:
        """Number of creators indexed."""
        return self.data.size

    def team_price(self, factors: tuple[tuple[str, float], ...]) -> np.ndarray:
        """Every creator's price in the team currency (NaN: no price or no rate); cached."""
        cached = self._team_price
        if cached is not None and cached[0] == factors:
            return cached[1]
        table = np.full(len(self.data.vocab["currency"]) + 1, np.nan)
        for currency, factor in factors:
            code = self._lookup["currency"].get(currency)
            if code is not None:
                table[code] = factor
        converted = np.asarray(self.cols["price"]) * table[np.asarray(self.cols["currency"])]
        self._team_price = (factors, converted)
        return converted

    def column(self, name: str, q: Query) -> np.ndarray:
        """A numeric column as the query compares it (prices in the team currency)."""
        if name == "price":
            return self.team_price(q.price_factors)
        return np.asarray(self.cols[name])

    def _code_mask(self, col: str, vocab: str, values: Iterable[str]) -> np.ndarray:
        # a lookup table indexed by code is ~10x faster than np.isin on large columns
        table = np.zeros(len(self.data.vocab[vocab]) + 1, dtype=bool)
        for v in values:
            code = self._lookup[vocab].get(v)
            if code is not None:
                table[code] = True
        return table[self.cols[col]]

    def _bit_mask(self, col: str, vocab: str, values: Iterable[str]) -> np.ndarray:
        acc = 0
        for v in values:
            bit = self._lookup[vocab].get(v)
            if bit is not None:
                acc |= 1 << (bit - 1)
        if acc == 0:
            return np.zeros(self.size, dtype=bool)
        return (self.cols[col] & np.uint64(acc)) != 0

    def mask(self, q: Query) -> np.ndarray:
        """Boolean mask of the creators matching `q`."""
        c = self.cols
        mask = np.ones(self.size, dtype=bool)
        if q.countries:
            mask &= self._code_mask("country", "country", q.countries)
        if q.states:
            mask &= self._code_mask("state", "state", q.states)
        for name, lo, hi in q.ranges:
            col = self.column(name, q)
            if lo is not None:
                mask &= col >= lo  # NaN (unknown) never matches a bound
            if hi is not None:
                mask &= col <= hi
        if q.currency:
            mask &= self._code_mask("currency", "currency", [q.currency])
        if q.languages:
            mask &= self._bit_mask("languages", "language", q.languages)
        if q.labels:
            mask &= self._bit_mask("labels", "label", q.labels)
        if q.audience_countries:
            mask &= self._code_mask("aud_country", "country", q.audience_countries)
        if q.female_min is not None:
            mask &= c["female"] >= q.female_min
        if q.male_min is not None:
            mask &= c["male"] >= q.male_min
        if q.age_band:
            mask &= self._code_mask("age", "age", [q.age_band])
        if q.tcm is not None:
            mask &= c["tcm"] == int(q.tcm)
        if q.authenticated is not None:
            mask &= c["auth"] == int(q.authenticated)
        if q.eligibility:
            mask &= np.isin(c["eligibility"], np.array(q.eligibility, dtype=np.int8))
        if q.text_ids is not None:
            ids = c["id"]
            hits = np.asarray(q.text_ids, dtype=np.int64)
            text_mask = np.zeros(self.size, dtype=bool)
            if hits.size and ids.size:
                pos = np.searchsorted(ids, hits)  # ids are sorted: O(hits · log n)
                found = (pos < ids.size) & (ids[np.minimum(pos, ids.size - 1)] == hits)
                text_mask[pos[found]] = True
            mask &= text_mask
        return mask

    def page(self, q: Query, mask: np.ndarray, limit: int, offset: int = 0) -> np.ndarray:
        """Positions of one page, sorted by `q.sort` (unknown values last, then by handle)."""
        if limit <= 0:
            return np.empty(0, dtype=np.intp)
        need = offset + limit
        if (q.sort, q.descending) == DEFAULT_SORT:
            walked = _walk(np.asarray(self.cols[DEFAULT_ORDER]), mask, need)
            if walked is not None:
                return walked[offset:need]
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return idx
        values = self.column(q.sort, q)[idx]
        key = sort_key(values, descending=q.descending)
        if idx.size > 4 * need and need < 10_000:
            # keep every candidate that can reach the page, ties at the boundary included
            kth = np.partition(key, need - 1)[need - 1]
            keep = key <= kth
            idx, key = idx[keep], key[keep]
        order = np.lexsort((np.asarray(self.cols["handle_rank"])[idx], key))
        return idx[order[offset:need]]

    def ids(self, positions: np.ndarray) -> list[int]:
        """Creator ids (store primary keys) at index positions."""
        return [int(i) for i in np.asarray(self.cols["id"])[positions]]

    def histograms(self, q: Query, mask: np.ndarray) -> tuple[Histogram, Histogram]:
        """The followers and engagement-rate histograms of `q`'s matches (`mask`), memoized.

        The same filter under another sort or page, or opened again, has the same matches in
        this version: its counts are kept (the last 64 filters; a new version is a new index).
        """
        key = (replace(q, sort="", descending=True, text_ids=None), _digest(q.text_ids))
        with self._lock:
            hit = self._histograms.get(key)
            if hit is not None:
                self._histograms.move_to_end(key)
                return hit
        made = (self.histogram(mask, "followers"), self.histogram(mask, "er"))
        for _, counts in made:
            counts.setflags(write=False)  # shared by every later caller
        with self._lock:
            self._histograms[key] = made
            while len(self._histograms) > _HISTOGRAMS_KEPT:
                self._histograms.popitem(last=False)
        return made

    def histogram(self, mask: np.ndarray, metric: str = "followers") -> Histogram:
        """(bin edges, counts) of a metric over the matching creators."""
        if metric in _STORED_BINS:
            column, edges = _STORED_BINS[metric]
            bins = np.asarray(self.cols[column])[mask]
            return edges, np.bincount(bins[bins >= 0], minlength=len(edges) - 1)
        values = np.asarray(self.cols[metric])[mask]
        values = values[~np.isnan(values)]
        edges = np.linspace(0, max(1.0, float(values.max(initial=1))), 21)
        counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
        return edges, counts


def _walk(order: np.ndarray, mask: np.ndarray, need: int) -> np.ndarray | None:
    """The first `need` matching positions along a presorted order (fewer if fewer match).

    Cheap while matches are common (a page of a broad filter reads a few thousand positions);
    None once an eighth of the order has been read without filling the page: sorting the
    matches themselves is cheaper then.
    """
    found: list[np.ndarray] = []
    have, start, step = 0, 0, max(4 * need, 4096)
    budget = max(order.size // 8, step)
    while start < order.size:
        if start >= budget:
            return None
        chunk = order[start : start + step]
        hits = chunk[mask[chunk]]
        found.append(hits)
        have += hits.size
        if have >= need:
            break
        start += step
        step *= 2
    return np.concatenate(found)[:need].astype(np.intp) if found else np.empty(0, np.intp)


def _digest(ids: np.ndarray | None) -> bytes:
    """A short fingerprint of a text search's ids (b"" without one)."""
    if ids is None:
        return b""
    return hashlib.blake2b(np.asarray(ids, dtype=np.int64).tobytes(), digest_size=16).digest()
