"""Building the discovery index: the creators table read into numpy columns, and its snapshots.

The snapshot is a folder of .npy files per creators data version, next to the database (or in
the settings' index folder), so a fresh process maps it in milliseconds (docs/decisions.md §6).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select
from sqlalchemy.sql import ClauseElement

from ttcm import rules
from ttcm.domain.eligibility import eligibility_codes
from ttcm.store import Store, versions
from ttcm.store import models as m

FOLLOWER_BINS = np.arange(3.0, 8.01, 0.25)  # log10 edges: 1k … 100M, 20 bins
ER_BINS = np.arange(0.0, 0.2001, 0.01)  # 0 % … 20 % in 1-point bins, last bin open-ended
# Discovery's default sort (followers, most first), ordered once per build: a page of a broad
# filter then walks it instead of sorting every match
DEFAULT_SORT = ("followers", True)  # (column, descending)
DEFAULT_ORDER = "order_followers_desc"
# bumped whenever the arrays of a snapshot change meaning or a column is added: a snapshot of
# another layout is never mapped (its folder name ends in another -l<n>)
LAYOUT = 2
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


def _per_value(values: Sequence[object], encode: Callable[[Any], Any], dtype: type) -> np.ndarray:
    """`encode` applied once per distinct value (None included), spread back over the rows.

    A million rows hold a few hundred distinct countries or language sets, so this is far
    cheaper than a Python call per row. Values are met in order of first appearance (as a row
    loop would meet them), so vocabularies that `encode` grows come out in the same order.
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    table: np.ndarray = np.array([encode(u) for u in uniques] + [encode(None)], dtype=dtype)
    return table[codes]  # the sentinel -1 picks the last entry: the code of None


def _codes(values: Sequence[str | None], vocab: list[str]) -> np.ndarray:
    """Map values to 1-based codes into `vocab` (0 = unknown); vocab grows as needed."""
    lookup = {v: i + 1 for i, v in enumerate(vocab)}

    def code(v: str | None) -> int:
        if v is None:
            return 0
        if v not in lookup:
            vocab.append(v)
            lookup[v] = len(vocab)
        return lookup[v]

    return _per_value(values, code, np.int32)


def _bits(values: Sequence[str | None], vocab: list[str]) -> np.ndarray:
    """`,a,b,` strings -> uint64 bit sets over `vocab` (first 64 distinct items)."""
    lookup = {v: i for i, v in enumerate(vocab)}

    def bits(v: str | None) -> int:
        if not v:
            return 0
        acc = 0
        for item in v.strip(",").split(","):
            bit = lookup.get(item)
            if bit is None and len(vocab) < 64:
                vocab.append(item)
                bit = lookup[item] = len(vocab) - 1
            if bit is not None:
                acc |= 1 << bit
        return acc

    return _per_value(values, bits, np.uint64)


def _tri(values: Sequence[object], yes: object = True) -> np.ndarray:
    """None -> -1, == yes -> 1, otherwise 0."""
    return _per_value(values, lambda v: -1 if v is None else int(v == yes), np.int8)


def _floats(values: Sequence[float | None]) -> np.ndarray:
    return np.array(values, dtype=np.float64)  # None becomes NaN


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
        rows = _fetch(conn, select(*fields).order_by(c.id))
        # handles in code-point order (Python's str order): the store sorts them by its index
        by_handle = _fetch(conn, select(c.id).order_by(_codepoint(conn, c.handle_name)))
    cols_raw: list[tuple[Any, ...]] = (
        list(zip(*rows, strict=True)) if rows else [() for _ in fields]
    )
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
    ids = cols["id"]
    order = np.searchsorted(ids, np.array([i for (i,) in by_handle], dtype=np.int64))
    rank = np.empty(ids.size, dtype=np.int32)
    rank[order] = np.arange(ids.size, dtype=np.int32)
    cols["handle_rank"] = rank
    with np.errstate(divide="ignore", invalid="ignore"):
        fbin = np.floor((np.log10(cols["followers"]) - FOLLOWER_BINS[0]) / 0.25)
    cols["follower_bin"] = np.clip(np.nan_to_num(fbin, nan=-1), -1, 19).astype(np.int8)
    cols["er_bin"] = er_bins(cols["er"])
    cols["eligibility"] = eligibility_codes(cols, vocab)
    column, descending = DEFAULT_SORT
    cols[DEFAULT_ORDER] = sort_order(cols[column], cols["handle_rank"], descending=descending)
    return IndexData(version=version, cols=cols, vocab=vocab)


def er_bins(er: np.ndarray) -> np.ndarray:
    """Each rate's histogram bin over ER_BINS (-1: unknown), as np.histogram would place it.

    Below 0 counts in the first bin, from 20 % up in the last (the histogram's bins are closed
    on the left, and the last on both sides).
    """
    known = ~np.isnan(er)
    bins = np.full(er.size, -1, dtype=np.int8)
    placed = np.searchsorted(ER_BINS, np.clip(er[known], ER_BINS[0], ER_BINS[-1]), side="right")
    bins[known] = np.minimum(placed - 1, len(ER_BINS) - 2)
    return bins


def sort_key(values: np.ndarray, *, descending: bool) -> np.ndarray:
    """What a sort orders by, smallest first: unknown values last in either direction."""
    return np.where(np.isnan(values), np.inf, -values if descending else values)


def sort_order(values: np.ndarray, handle_rank: np.ndarray, *, descending: bool) -> np.ndarray:
    """Every position in a sort's order: unknown values last, ties by handle (index.page's)."""
    return np.lexsort((handle_rank, sort_key(values, descending=descending))).astype(np.int32)


def _fetch(conn: Connection, stmt: ClauseElement) -> Sequence[Sequence[Any]]:
    """All rows as plain tuples straight from the driver's cursor.

    SQLAlchemy's row objects and type processing cost about a third of a million-row read; the
    columns read here need none of it (SQLite's 0/1 for booleans compares equal to True/False).
    """
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(stmt.compile(dialect=conn.dialect)))
        return cursor.fetchall()
    finally:
        cursor.close()


def _codepoint(conn: Connection, column: Any) -> Any:
    """`column` under the collation that orders text by code point, as Python's sorted does."""
    return column.collate("C" if conn.dialect.name == "postgresql" else "BINARY")


# ---------------------------------------------------------------- snapshot on disk


def snapshot_root(store: Store, index_dir: Path | None, data_dir: Path) -> Path:
    """Folder of index snapshots: `index_dir` (TTCM_INDEX_DIR), else next to a SQLite file, else
    in `data_dir` (TTCM_DATA_DIR)."""
    url = store.engine.url
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    if index_dir is not None:
        return index_dir / f"index-{digest}"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.parent / f".{db.name}.index"
    return data_dir / f".index-{digest}"


def save(data: IndexData, root: Path) -> Path:
    """Write one version's arrays atomically; older versions are removed."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"v{data.version}-{data.size}-l{LAYOUT}"
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
        # a newer version another process published meanwhile stays
        if old != final and (_version_of(old) < data.version or _layout_of(old) != LAYOUT):
            shutil.rmtree(old, ignore_errors=True)
    return final


def _version_of(folder: Path) -> int:
    """The version in a snapshot folder's name (v12-5000 -> 12; unreadable: -1)."""
    head = folder.name[1:].split("-", 1)[0]
    return int(head) if head.isdecimal() else -1


def _layout_of(folder: Path) -> int:
    """The layout in a snapshot folder's name (v12-5000-l2 -> 2; none: 1, the first layout)."""
    parts = folder.name.split("-")
    tail = parts[2] if len(parts) == 3 else "l1"
    return int(tail[1:]) if tail[:1] == "l" and tail[1:].isdecimal() else -1


def load_snapshot(root: Path, version: int) -> IndexData | None:
    """Map a saved version (read-only, memory-mapped) or None when there is none."""
    found = sorted(root.glob(f"v{version}-*-l{LAYOUT}")) if root.exists() else []
    if not found:
        return None
    folder = found[0]
    try:
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        cols = {p.stem: np.load(p, mmap_mode="r") for p in folder.glob("*.npy")}
    except (OSError, ValueError):
        return None
    return IndexData(version=version, cols=cols, vocab=vocab)
