"""One discovery index build at N creators, against reading the same rows the usual way.

The build is what a refresh batch waits for before its data shows in Discovery (issue 15: within
30 s of the batch). Builds (or reuses) bench/discovery.py's SQLite store, then times, median of
--runs after nothing (each run reads cold Python objects; the file stays in the page cache):
  * build: `ttcm.services.discovery.build.build(store)`, every column the index holds;
  * baseline: `conn.execute(select(<the same columns>)).all()` through SQLAlchemy, rows only,
    nothing encoded: what "read the creators" costs before any index work.

    .venv/bin/python bench/index_build.py [--creators 1000000] [--runs 3] [--db PATH]

Target: at most 15 s at 1M. New data shows after up to two builds (the one running when its batch
landed, then its own), so two must fit the 30 s goal. The ratio says how much the encoding adds
to the read that no build can skip.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import select

from ttcm.services.discovery.build import build
from ttcm.store import models as m

sys.path.insert(0, str(Path(__file__).parent))
from discovery import build_store  # noqa: E402

c = m.Creator
COLUMNS = [
    c.id, c.handle_name, c.country_code, c.state_province, c.currency, c.languages, c.label_ids,
    c.audience_top_country, c.audience_top_age, c.is_tcm_creator, c.is_authenticated,
    c.account_type, c.age_verified_18, c.content_rating, c.videos_last_30d, c.views_last_30d,
    c.followers_count, c.avg_views, c.median_views, c.engagement_rate, c.creator_price,
    c.audience_female_share, c.audience_male_share,
]  # fmt: skip


def main() -> None:
    """Print the build's median time, the plain read's and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/ttcm-bench-refresh-{args.creators}.db")
    store = build_store(db, args.creators)
    builds: list[float] = []
    reads: list[float] = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        data = build(store)
        builds.append(time.perf_counter() - t0)
        del data
        t0 = time.perf_counter()
        with store.read() as conn:
            rows = conn.execute(select(*COLUMNS).order_by(c.id)).all()
        reads.append(time.perf_counter() - t0)
        del rows
    b, r = statistics.median(builds), statistics.median(reads)
    print(f"{args.creators:,} creators · median of {args.runs}")
    print(f"index build                {b:6.2f} s")
    print(f"plain read of its columns  {r:6.2f} s   (SQLAlchemy rows, nothing encoded)")
    print(f"build / plain read         {b / r:6.2f}x")
    verdict = "ok" if b <= 15 * args.creators / 1_000_000 else "MISSED"
    print(f"target: build <= 15 s per million creators: {verdict}")


if __name__ == "__main__":
    main()
