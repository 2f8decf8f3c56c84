"""The discovery engine: every cached creator's filterable columns held in memory as numpy arrays.

Why not SQL: at 1M creators a SQLite query with several range predicates takes ~250 ms and
indexes make most shapes worse, while numpy masks over the same columns take ~6 ms
(docs/decisions.md §6). The store stays the source of truth; this index is rebuilt when the
creators data version changes (bumped by every refresh batch) and saved as a folder of .npy files
next to the database, so a fresh process maps it in milliseconds instead of re-reading the table.
Text search uses the store's trigram index; page rows are fetched from the store by id.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from ttcm import rules
from ttcm.config import data_dir
from ttcm.domain import format as numfmt
from ttcm.services.eligibility import ALREADY_TTCM, ELIGIBLE, NOT_ELIGIBLE, UNKNOWN
from ttcm.store import Store, versions
from ttcm.store import models as m

FOLLOWER_BINS = np.arange(3.0, 8.01, 0.25)  # log10 edges: 1k … 100M, 20 bins
ER_BINS = np.arange(0.0, 0.2001, 0.01)  # 0 % … 20 % in 1-point bins, last bin open-ended
NUMERIC = ("followers", "avg_views", "median_views", "er", "price", "female", "male")
_SOURCE = {
    "followers": m.Creator.followers_count,
    "avg_views": m.Creator.avg_views,
    "median_views": m.Creator.median_views,
    "er": m.Creator.engagement_rate,
    "price": m.Creator.creator_price,
    "female": m.Creator.audience_female_share,
    "male": m.Creator.audience_male_share,
}
_LOAD_BATCH = 50_000


def _codes(values: list[Any], vocab: list[str]) -> np.ndarray:
    """Map values to 1-based codes into `vocab` (0 = unknown); vocab grows as needed."""
    lookup = {v: i + 1 for i, v in enumerate(vocab)}
    out = np.zeros(len(values), dtype=np.int32)
    for i, v in enumerate(values):
        if v is None:
            continue
        code = lookup.get(v)
        if code is None:
            vocab.append(v)
            code = lookup[v] = len(vocab)
        out[i] = code
    return out


def _bits(values: list[str | None], vocab: list[str]) -> np.ndarray:
    """`,a,b,` strings -> uint64 bit sets over `vocab` (first 64 distinct items)."""
    lookup = {v: i for i, v in enumerate(vocab)}
    out = np.zeros(len(values), dtype=np.uint64)
    for i, v in enumerate(values):
        if not v:
            continue
        acc = 0
        for item in v.strip(",").split(","):
            bit = lookup.get(item)
            if bit is None and len(vocab) < 64:
                vocab.append(item)
                bit = lookup[item] = len(vocab) - 1
            if bit is not None:
                acc |= 1 << bit
        out[i] = acc
    return out


def eligibility_codes(cols: dict[str, np.ndarray], vocab: dict[str, list[str]]) -> np.ndarray:
    """Vectorised `eligibility.check(...).code` over whole columns."""
    cfg = rules.eligibility()
    supported = rules.countries()
    n = len(cols["id"])
    country_vocab = vocab["country"]
    min_by_code = np.full(len(country_vocab) + 1, np.inf)
    is_supported = np.zeros(len(country_vocab) + 1, dtype=bool)
    for i, code in enumerate(country_vocab, 1):
        if code in supported:
            is_supported[i] = True
            min_by_code[i] = supported[code]["min_followers"]
    country = cols["country"]
    followers = cols["followers"]
    fail = np.zeros(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    known_country = country > 0
    fail |= known_country & ~is_supported[country]
    unknown |= ~known_country
    in_supported = known_country & is_supported[country]
    fail |= in_supported & ~np.isnan(followers) & (followers < min_by_code[country])
    unknown |= in_supported & np.isnan(followers)
    for name in ("age18", "personal", "rating_ok"):
        col = cols[name]  # -1 unknown, 0 no, 1 yes
        fail |= col == 0
        unknown |= col == -1
    for name, threshold in (
        ("videos_30d", cfg["min_videos_last_30d"]),
        ("views_30d", cfg["min_views_last_30d"]),
    ):
        col = cols[name]
        fail |= ~np.isnan(col) & (col < threshold)
        unknown |= np.isnan(col)
    codes = np.where(fail, NOT_ELIGIBLE, np.where(unknown, UNKNOWN, ELIGIBLE)).astype(np.int8)
    codes[cols["tcm"] == 1] = ALREADY_TTCM
    return codes


def _tri(values: list[Any], yes: Any = True) -> np.ndarray:
    """None -> -1, == yes -> 1, otherwise 0."""
    return np.array([-1 if v is None else int(v == yes) for v in values], dtype=np.int8)


def _floats(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


@dataclass
class IndexData:
    """The arrays of one index version, plus the vocabularies their codes refer to."""

    version: int
    cols: dict[str, np.ndarray]
    vocab: dict[str, list[str]]

    @property
    def size(self) -> int:
        """Number of creators indexed."""
        return len(self.cols["id"])


def build(store: Store) -> IndexData:
    """Read the creators table into index arrays."""
    c = m.Creator
    fields = [
        c.id,
        c.handle_name,
        c.country_code,
        c.state_province,
        c.currency,
        c.languages,
        c.label_ids,
        c.audience_top_country,
        c.audience_top_age,
        c.is_tcm_creator,
        c.is_authenticated,
        c.account_type,
        c.age_verified_18,
        c.content_rating,
        c.videos_last_30d,
        c.views_last_30d,
        *_SOURCE.values(),
    ]
    with store.read() as conn:
        version = versions.current(conn, "creators")
        rows = conn.execute(select(*fields).order_by(c.id)).all()
    cols_raw = list(zip(*rows, strict=True)) if rows else [[] for _ in fields]
    raw = dict(zip([f.key for f in fields], cols_raw, strict=True))
    vocab: dict[str, list[str]] = {
        "country": sorted(rules.countries()),
        "state": [],
        "currency": [],
        "language": list(rules.vocab()["languages"]),
        "label": [lab["label_id"] for lab in rules.vocab()["content_labels"]]
        + [lab["label_id"] for lab in rules.vocab()["industry_labels"]],
        "age": list(rules.vocab()["age_bands"]),
    }
    cols: dict[str, np.ndarray] = {
        "id": np.array(raw["id"], dtype=np.int64),
        "country": _codes(list(raw["country_code"]), vocab["country"]),
        "state": _codes(list(raw["state_province"]), vocab["state"]),
        "currency": _codes(list(raw["currency"]), vocab["currency"]),
        "aud_country": _codes(list(raw["audience_top_country"]), vocab["country"]),
        "age": _codes(list(raw["audience_top_age"]), vocab["age"]),
        "languages": _bits(list(raw["languages"]), vocab["language"]),
        "labels": _bits(list(raw["label_ids"]), vocab["label"]),
        "tcm": _tri(list(raw["is_tcm_creator"])),
        "auth": _tri(list(raw["is_authenticated"])),
        "personal": _tri(list(raw["account_type"]), "PERSONAL"),
        "age18": _tri(list(raw["age_verified_18"])),
        "rating_ok": _tri(
            list(raw["content_rating"]), rules.eligibility()["required_content_rating"]
        ),
        "videos_30d": _floats(list(raw["videos_last_30d"])),
        "views_30d": _floats(list(raw["views_last_30d"])),
    }
    for name, col in _SOURCE.items():
        cols[name] = _floats(list(raw[col.key]))
    handles = list(raw["handle_name"])
    order = sorted(range(len(handles)), key=handles.__getitem__)
    rank = np.empty(len(handles), dtype=np.int32)
    rank[order] = np.arange(len(handles), dtype=np.int32)
    cols["handle_rank"] = rank
    with np.errstate(divide="ignore", invalid="ignore"):
        fbin = np.floor((np.log10(cols["followers"]) - FOLLOWER_BINS[0]) / 0.25)
    cols["follower_bin"] = np.clip(np.nan_to_num(fbin, nan=-1), -1, 19).astype(np.int8)
    cols["eligibility"] = eligibility_codes(cols, vocab)
    return IndexData(version=version, cols=cols, vocab=vocab)


# ---------------------------------------------------------------- snapshot on disk


def snapshot_root(store: Store) -> Path:
    """Folder of index snapshots: TTCM_INDEX_DIR, else next to a SQLite file, else under data/."""
    url = store.engine.url
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    override = os.environ.get("TTCM_INDEX_DIR")
    if override:
        return Path(override) / f"index-{digest}"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.parent / f".{db.name}.index"
    return data_dir(os.environ.get("TTCM_DATA_DIR")) / f".index-{digest}"


def save(data: IndexData, root: Path) -> Path:
    """Write one version's arrays atomically; older versions are removed."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"v{data.version}-{data.size}"
    if final.exists():
        return final
    tmp = root / f".tmp-{final.name}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for name, arr in data.cols.items():
        np.save(tmp / f"{name}.npy", arr)
    (tmp / "vocab.json").write_text(json.dumps(data.vocab), encoding="utf-8")
    try:
        tmp.rename(final)
    except OSError:  # another process published the same version first
        shutil.rmtree(tmp, ignore_errors=True)
    for old in root.glob("v*"):
        if old != final:
            shutil.rmtree(old, ignore_errors=True)
    return final


def load_snapshot(root: Path, version: int) -> IndexData | None:
    """Map a saved version (read-only, memory-mapped) or None when there is none."""
    found = sorted(root.glob(f"v{version}-*")) if root.exists() else []
    if not found:
        return None
    folder = found[0]
    try:
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        cols = {p.stem: np.load(p, mmap_mode="r") for p in folder.glob("*.npy")}
    except (OSError, ValueError):
        return None
    return IndexData(version=version, cols=cols, vocab=vocab)


# ---------------------------------------------------------------- the engine


@dataclass(frozen=True)
class Query:
    """A filter in index terms (see ttcm.services.discovery.CreatorFilter for the public one)."""

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
        idx = np.flatnonzero(mask)
        if idx.size == 0 or limit <= 0:
            return idx[:0]
        values = self.column(q.sort, q)[idx]
        key = np.where(np.isnan(values), np.inf, -values if q.descending else values)
        need = offset + limit
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

    def histogram(
        self, mask: np.ndarray, metric: str = "followers"
    ) -> tuple[np.ndarray, np.ndarray]:
        """(bin edges, counts) of a metric over the matching creators."""
        if metric == "followers":
            bins = np.asarray(self.cols["follower_bin"])[mask]
            counts = np.bincount(bins[bins >= 0], minlength=20)[:20]
            return 10**FOLLOWER_BINS, counts
        values = np.asarray(self.cols[metric])[mask]
        values = values[~np.isnan(values)]
        edges = (
            ER_BINS
            if metric == "er"
            else np.linspace(0, max(1.0, float(values.max(initial=1))), 21)
        )
        counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
        return edges, counts


# ---------------------------------------------------------------- one index per store per process

_LOCK = threading.Lock()
_CACHE: dict[str, CreatorIndex] = {}


def current(store: Store) -> CreatorIndex:
    """The index for the store's current data version (mapped from disk or built and saved)."""
    key = store.engine.url.render_as_string(hide_password=True)
    with store.read() as conn:
        version = versions.current(conn, "creators")
    cached = _CACHE.get(key)
    if cached is not None and cached.version == version:
        return cached
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.version == version:
            return cached
        root = snapshot_root(store)
        data = load_snapshot(root, version)
        if data is None:
            data = build(store)
            # a read-only folder only costs the next process a rebuild
            with contextlib.suppress(OSError):
                save(data, root)
        index = CreatorIndex(data)
        _CACHE[key] = index
        return index


def forget(store: Store | None = None) -> None:
    """Drop cached indexes (tests)."""
    with _LOCK:
        if store is None:
            _CACHE.clear()
        else:
            _CACHE.pop(store.engine.url.render_as_string(hide_password=True), None)


def log_edges_label(edge: float) -> str:
    """'10k', '1.8M' … for histogram axis labels."""
    return numfmt.compact_count(edge)
