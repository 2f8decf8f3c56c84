"""Discovery at 1,000,000 creators: ttcm's engine vs a numpy-mask floor and a pandas filter.

Builds (or reuses, with --db) a SQLite store of N creators, then times the typical query set:
  * typical: 3 countries, a follower band, engagement >= 5 %, two labels -> count + page of 50
    sorted by average views (what one Discovery rerun needs);
  * wide: engagement >= 3 % -> count + page of 50 by followers;
  * text: search "mira" in handle / display name / bio -> count + page of 50;
  * price: price >= 100 in the team currency -> count + page of 50 by converted price;
  * histogram: followers in 20 log bins under the typical filter;
  * cold start: a fresh process maps the saved index and answers the typical query.
Baselines run in the same process on the same data: numpy masks over precomputed arrays (the
floor) and a pandas DataFrame filter + nlargest. Medians of 7 runs after a warm-up.

    .venv/bin/python bench/discovery.py [--rows 1000000] [--db /tmp/ttcm-bench-1m.db]

Targets: typical <= 3x numpy and faster than pandas; text <= 20 ms; histogram <= 3x numpy;
cold start <= 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

from ttcm import rules
from ttcm.auth import SYSTEM
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter
from ttcm.services.discovery.search import Discovery
from ttcm.services.exchange_rates import pricing
from ttcm.store import Store, upgrade, versions
from ttcm.store import models as m
from ttcm.store.upsert import upsert

sys.path.insert(0, str(Path(__file__).parent))
from _gen import COUNTRIES, make_rows  # noqa: E402

CONTENT = [lab["label_id"] for lab in rules.vocab()["content_labels"]]
TYPICAL = CreatorFilter(
    countries=("US", "GB", "DE"),
    min_followers=50_000,
    max_followers=500_000,
    min_er=0.05,
    labels=(CONTENT[0], CONTENT[1]),
    sort="avg_views",
)
WIDE = CreatorFilter(min_er=0.03)
PRICE = CreatorFilter(min_price=100, sort="price")  # prices converted to the team currency
TEXT = CreatorFilter(query="mira")


def timed(fn: Callable[[], object], runs: int = 7) -> float:
    """Median milliseconds of `fn` after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def build_store(path: Path, n: int) -> Store:
    """A migrated store holding n creators (reused when it already has them)."""
    store = Store.from_url(f"sqlite:///{path}")
    upgrade(store.engine)
    with store.read() as conn:
        have = conn.execute(select(m.Creator.id).order_by(m.Creator.id.desc()).limit(1)).scalar()
    if have == n:
        return store
    print(f"building a {n:,}-creator store at {path} …", flush=True)
    t0 = time.perf_counter()
    for start in range(0, n, 100_000):
        rows = make_rows(min(100_000, n - start), seed=start + 1)
        for r in rows:
            r["handle_name"] = f"{r['handle_name']}_{start}"
        for i in range(0, len(rows), 5000):
            with store.write() as conn:
                upsert(conn, m.Creator.__table__, rows[i : i + 5000], key=["handle_name"])
        with store.write() as conn:
            versions.bump(conn, "creators")
    print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/ttcm-bench-discovery.db"))
    args = parser.parse_args()
    store = build_store(args.db, args.rows)

    t0 = time.perf_counter()
    index_cache.forget()
    index = index_cache.current(store)
    print(f"index ready in {time.perf_counter() - t0:.2f} s ({index.size:,} creators)")

    # ---- baselines over the same columns, in this process
    c = index.cols
    country = np.asarray(c["country"]).astype(np.uint8)
    followers, er = np.asarray(c["followers"]), np.asarray(c["er"])
    avg_views, labels = np.asarray(c["avg_views"]), np.asarray(c["labels"])
    ids = np.asarray(c["id"])
    bins = np.asarray(c["follower_bin"])
    wanted = np.zeros(256, dtype=bool)
    for code in ("US", "GB", "DE"):
        wanted[COUNTRIES.index(code) + 1] = True
    label_bits = np.uint64(0b11)  # the first two content labels are bits 0 and 1

    def numpy_typical() -> tuple[int, np.ndarray]:
        mask = (
            wanted[country]
            & (followers >= 50_000)
            & (followers <= 500_000)
            & (er >= 0.05)
            & ((labels & label_bits) != 0)
        )
        idx = np.flatnonzero(mask)
        top = idx[np.argsort(-avg_views[idx])[:50]]
        return int(mask.sum()), ids[top]

    def numpy_wide() -> tuple[int, np.ndarray]:
        mask = er >= 0.03
        idx = np.flatnonzero(mask)
        part = idx[np.argpartition(-followers[idx], 50)[:50]]
        return int(mask.sum()), ids[part[np.argsort(-followers[part])]]

    price, currency = np.asarray(c["price"]), np.asarray(c["currency"])
    factor_by_code = np.full(len(index.data.vocab["currency"]) + 1, np.nan)
    for cur, factor in pricing(store).factors().items():
        if cur in index.data.vocab["currency"]:
            factor_by_code[index.data.vocab["currency"].index(cur) + 1] = factor

    def numpy_price() -> tuple[int, np.ndarray]:
        converted = price * factor_by_code[currency]  # the conversion is part of the floor
        mask = converted >= 100
        idx = np.flatnonzero(mask)
        part = idx[np.argpartition(-converted[idx], 50)[:50]]
        return int(mask.sum()), ids[part[np.argsort(-converted[part])]]

    def numpy_hist() -> np.ndarray:
        mask = (
            wanted[country]
            & (followers >= 50_000)
            & (followers <= 500_000)
            & (er >= 0.05)
            & ((labels & label_bits) != 0)
        )
        b = bins[mask]
        return np.bincount(b[b >= 0], minlength=20)

    df = pd.DataFrame(
        {
            "id": ids,
            "country": pd.Series(country).map(lambda k: COUNTRIES[k - 1] if k else None),
            "followers": followers,
            "er": er,
            "avg_views": avg_views,
            "labels": labels,
        }
    )

    def pandas_typical() -> tuple[int, pd.Series]:
        mask = (
            df["country"].isin(["US", "GB", "DE"]).to_numpy()
            & df["followers"].between(50_000, 500_000).to_numpy()
            & (df["er"] >= 0.05).to_numpy()
            & ((df["labels"].to_numpy() & label_bits) != 0)
        )
        hits = df[mask]
        return len(hits), hits.nlargest(50, "avg_views")["id"]

    count, top = numpy_typical()
    ours = Discovery(store).search(SYSTEM, TYPICAL, limit=50)
    assert ours.total == count, (ours.total, count)
    assert set(r["id"] for r in ours.rows) == set(int(i) for i in top), "page differs from numpy"

    p_count, p_top = numpy_price()
    p_ours = Discovery(store).search(SYSTEM, PRICE, limit=50)
    assert p_ours.total == p_count, (p_ours.total, p_count)
    assert [r["id"] for r in p_ours.rows] == [int(i) for i in p_top], "price page differs"

    results = {
        "typical": (
            timed(lambda: Discovery(store).search(SYSTEM, TYPICAL, limit=50)),
            timed(numpy_typical),
        ),
        "wide": (timed(lambda: Discovery(store).search(SYSTEM, WIDE, limit=50)), timed(numpy_wide)),
        "price": (
            timed(lambda: Discovery(store).search(SYSTEM, PRICE, limit=50)),
            timed(numpy_price),
        ),
        "histogram": (
            timed(lambda: index.histogram(index.mask(creator_index_query(store)), "followers")),
            timed(numpy_hist),
        ),
    }
    pandas_ms = timed(pandas_typical)
    text_ms = timed(lambda: Discovery(store).search(SYSTEM, TEXT, limit=50))
    text_total = Discovery(store).search(SYSTEM, TEXT, limit=1).total

    for name, (ours_ms, floor_ms) in results.items():
        extra = (
            f"  pandas {pandas_ms:7.1f} ms  ttcm/pandas={ours_ms / pandas_ms:.2f}"
            if name == "typical"
            else ""
        )
        print(
            f"{name:10} ttcm {ours_ms:7.1f} ms  numpy {floor_ms:7.1f} ms  "
            f"ttcm/numpy={ours_ms / floor_ms:.2f}{extra}"
        )
    print(
        f"{'text':10} ttcm {text_ms:7.1f} ms  ({text_total:,} matches for 'mira'; target <= 20 ms)"
    )

    cold = cold_start(args.db)
    print(
        f"{'cold start':10} fresh process, first typical query answered in {cold:.2f} s "
        "(target <= 3 s)"
    )


def creator_index_query(store: Store):  # type: ignore[no-untyped-def]
    """The typical filter in index terms (for the histogram timing)."""
    from ttcm.services.discovery.search import to_query

    return to_query(store, TYPICAL)


def cold_start(db: Path) -> float:
    """Seconds for a new Python process to import ttcm, map the index and answer a query."""
    code = (
        "import time; t0 = time.perf_counter();"
        "from ttcm.store import Store;"
        "from ttcm.auth import SYSTEM;"
        "from ttcm.services.discovery.search import Discovery;"
        "import bench_discovery_filter as f;"
        f"s = Store.from_url('sqlite:///{db}');"
        "r = Discovery(s).search(SYSTEM, f.TYPICAL, limit=50);"
        "print(time.perf_counter() - t0)"
    )
    helper = Path(__file__).parent / "bench_discovery_filter.py"
    helper.write_text(
        "from ttcm.services.discovery.filters import CreatorFilter\n"
        "from ttcm import rules\n"
        "L = [x['label_id'] for x in rules.vocab()['content_labels']]\n"
        "TYPICAL = CreatorFilter(countries=('US','GB','DE'), min_followers=50_000, "
        "max_followers=500_000, min_er=0.05, labels=(L[0], L[1]), sort='avg_views')\n"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        helper.unlink(missing_ok=True)
    return float(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
