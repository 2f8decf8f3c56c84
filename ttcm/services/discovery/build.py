"""Building the discovery index: the creators table read into numpy columns, and its snapshots.

The snapshot is a folder of .npy files per creators data version, next to the database (or in
the settings' index folder), so a fresh process maps it in milliseconds (docs/decisions.md §6).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from ttcm import rules
from ttcm.domain.eligibility import eligibility_codes
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


def _codes(values: Sequence[str | None], vocab: list[str]) -> np.ndarray:
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


def _tri(values: Sequence[object], yes: object = True) -> np.ndarray:
    """None -> -1, == yes -> 1, otherwise 0."""
    return np.array([-1 if v is None else int(v == yes) for v in values], dtype=np.int8)


def _floats(values: Sequence[float | None]) -> np.ndarray:
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
        # a newer version another process published meanwhile stays
        if old != final and _version_of(old) < data.version:
            shutil.rmtree(old, ignore_errors=True)
    return final


def _version_of(folder: Path) -> int:
    """The version in a snapshot folder's name (v12-5000 -> 12; unreadable: -1)."""
    head = folder.name[1:].split("-", 1)[0]
    return int(head) if head.isdecimal() else -1


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
