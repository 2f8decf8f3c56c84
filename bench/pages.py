"""One rerun of the Posts & performance overview at campaign scale, against its queries alone.

Builds a temporary SQLite store with one campaign of 200 creators (orders, prices, usual
performance), 1,000 order-tracked posts (full report metrics, audience, retention) and 90 days
of daily stats per post (90,000 rows), then times:
  * queries: what the overview reads (`load_campaign` + the retention curves of the top posts),
    with nothing cached;
  * services + charts: the page's service calls and every chart builder it runs;
  * rerun: one AppTest rerun of `app_pages/posts.py` on the Overview tab (widgets, tables and the
    plotly figures serialised for the browser) — warm (the daily and audience aggregates are
    cached until the next refresh batch, and what the overview computes from an unchanged read
    is reused) and cold (the first rerun after a refresh: both recomputed).
Medians of 7 runs after a warm-up.

    .venv/bin/python bench/pages.py [--creators 200] [--posts 1000] [--days 90]

Then the Spark Ads expiry board and the Inbox (issue 16) on a store of `--board-campaigns`
campaigns × `--board-codes` authorization codes (default 200 × 50 = 10,000 codes, the alerts
the refresh derives from them: one per post, per accepted code and per code expiring within
7 days): one AppTest rerun of `app_pages/spark_board.py` and of `app_pages/inbox.py`, against
their service calls alone. `--pages board` runs only these.

Target: rerun <= 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from ttcm.auth import SYSTEM  # noqa: E402
from ttcm.auth.users import Users  # noqa: E402
from ttcm.domain.performance.overview import overview, summary_rows  # noqa: E402
from ttcm.domain.performance.pacing import default_as_of  # noqa: E402
from ttcm.services import reports  # noqa: E402
from ttcm.services.post_metrics import (  # noqa: E402
    forget_aggregates,
    load_campaign,
    retention_curves,
)
from ttcm.store import Store, upgrade  # noqa: E402
from ttcm.store import models as m  # noqa: E402
from ttcm.store.upsert import upsert  # noqa: E402
from ttcm.web import memo  # noqa: E402

START = date(2026, 8, 1)
PASSWORD = "bench password 123"


def timed(fn: Callable[[], object], runs: int = 7) -> float:
    """Median milliseconds of `fn` after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def build(store: Store, n_creators: int, n_posts: int, n_days: int, seed: int = 3) -> int:
    """Write one campaign with its creators, orders, posts and daily stats; returns its id."""
    rng = np.random.default_rng(seed)
    now = datetime.now(UTC)
    end = START + timedelta(days=n_days + 29)
    handles = [f"bench.creator{i:03d}" for i in range(n_creators)]
    with store.write() as conn:
        pk = conn.execute(
            m.Campaign.__table__.insert()
            .values(
                campaign_id="7300000000000000001",
                campaign_name="Bench launch",
                brand_name="Acme",
                description="Autumn drop",
                kpi_views=60_000_000,
                kpi_engagement_rate=0.05,
                kpi_reach=40_000_000,
                kpi_posts=n_posts,
                budget=250_000.0,
                currency="USD",
                start_date=START,
                end_date=end,
                target_audience={
                    "genders": {"FEMALE": 0.6, "MALE": 0.4},
                    "ages": {"18-24": 0.5, "25-34": 0.3, "35-44": 0.2},
                    "countries": {"US": 0.7, "GB": 0.3},
                },
                created_at=now,
                updated_at=now,
            )
            .returning(m.Campaign.id)
        ).scalar_one()
        conn.execute(
            m.Creator.__table__.insert(),
            [
                {
                    "handle_name": h,
                    "display_name": h.title(),
                    "is_tcm_creator": True,
                    "is_authenticated": bool(i % 2),
                    "median_views": int(rng.integers(5_000, 200_000)),
                    "engagement_rate": float(rng.uniform(0.02, 0.09)),
                    "creator_price": float(rng.integers(100, 3000)),
                    "currency": "USD",
                    "first_seen_at": now,
                    "fetched_at": now,
                }
                for i, h in enumerate(handles)
            ],
        )
        per = n_posts // n_creators
        conn.execute(
            m.Order.__table__.insert(),
            [
                {
                    "order_id": f"{76000000000000000 + i}",
                    "campaign_pk": pk,
                    "campaign_code": "BENCHCODE",
                    "handle_name": h,
                    "status": "COMPLETED",
                    "video_number": per,
                    "fetched_at": now,
                }
                for i, h in enumerate(handles)
            ],
        )
        posts, daily = [], []
        for j in range(n_posts):
            vid = f"{7100000000000000000 + j}"
            h = handles[j % n_creators]
            day_views = rng.integers(200, 20_000, n_days)
            views = int(day_views.sum())
            likes = int(views * rng.uniform(0.02, 0.08))
            comments, shares = likes // 20, likes // 15
            posts.append(
                {
                    "video_id": vid,
                    "handle_name": h,
                    "campaign_pk": pk,
                    "order_id": f"{76000000000000000 + j % n_creators}",
                    "tracking": "order",
                    "create_time": datetime.combine(START, datetime.min.time(), UTC),
                    "video_views": views,
                    "video_views_organic": int(views * 0.8),
                    "video_views_paid": views - int(views * 0.8),
                    "reach": int(views * 0.7),
                    "likes": likes,
                    "comments": comments,
                    "shares": shares,
                    "favorites": likes // 10,
                    "engagement_count": likes + comments + shares,
                    "engagement_rate": (likes + comments + shares) / views,
                    "video_completion_rate": float(rng.uniform(0.1, 0.5)),
                    "total_play_time": float(views * 8),
                    "average_view_time": 8.0,
                    "views_by_source": {"for_you": views // 2, "search": views // 4},
                    "audience": {
                        "genders": [["FEMALE", 0.55], ["MALE", 0.45]],
                        "ages": [["18-24", 0.4], ["25-34", 0.35], ["35-44", 0.25]],
                        "countries": [["US", 0.6], ["GB", 0.25], ["DE", 0.15]],
                    },
                    "retention": [round(0.97**s, 4) for s in range(30)],
                    "source": m.API_SOURCE,
                    "fetched_at": now,
                }
            )
            for d in range(n_days):
                v = int(day_views[d])
                lk = int(v * 0.05)
                daily.append(
                    {
                        "video_id": vid,
                        "day": START + timedelta(days=d),
                        "views": v,
                        "likes": lk,
                        "comments": lk // 20,
                        "shares": lk // 15,
                        "favorites": lk // 10,
                        "engagement_rate": 0.05,
                        "video_completion_rate": 0.3,
                    }
                )
        upsert(conn, m.Post.__table__, posts, key=["video_id"])
        for i in range(0, len(daily), 20_000):
            upsert(conn, m.PostDaily.__table__, daily[i : i + 20_000], key=["video_id", "day"])
    return int(pk)


def build_codes(store: Store, n_campaigns: int, n_codes: int, seed: int = 5) -> None:
    """Campaigns with one order post and one accepted Spark Ads code per creator."""
    rng = np.random.default_rng(seed)
    now = datetime.now(UTC)
    with store.write() as conn:
        campaigns = [
            {"id": c + 1, "campaign_name": f"Board campaign {c:03d}", "spark_days_default": 30,
             "created_at": now,
             "updated_at": now}
            for c in range(n_campaigns)
        ]  # fmt: skip
        upsert(conn, m.Campaign.__table__, campaigns, key=["id"])
        posts, codes = [], []
        for c in range(n_campaigns):
            for k in range(n_codes):
                vid = f"7400{c:05d}{k:05d}"
                ends = now + timedelta(days=float(rng.uniform(-10, 60)))
                posts.append(
                    {"video_id": vid, "handle_name": f"board.creator{c:03d}{k:02d}",
                     "campaign_pk": c + 1, "order_id": f"9{vid}", "tracking": "order",
                     "caption": f"Post {k} of campaign {c}", "create_time": now,
                     "source": m.API_SOURCE, "fetched_at": now}
                )  # fmt: skip
                codes.append(
                    {"video_id": vid, "auth_status": "ACCEPTED", "auth_code": f"#bench{vid}",
                     "auth_code_status": "IN_USE" if ends > now else "EXPIRED",
                     "auth_code_start_time": ends - timedelta(days=30),
                     "auth_code_end_time": ends, "num_remaining_request": 20,
                     "source": m.API_SOURCE, "fetched_at": now}
                )  # fmt: skip
        upsert(conn, m.Post.__table__, posts, key=["video_id"])
        upsert(conn, m.SparkAuthorization.__table__, codes, key=["video_id"])


def bench_board_and_inbox(store: Store, n_campaigns: int, n_codes: int) -> int:
    """Time the expiry board and the inbox: service calls alone, then one AppTest rerun each."""
    from streamlit.testing.v1 import AppTest

    from ttcm.services.alerts import Alerts
    from ttcm.services.spark_board import SparkBoard

    t0 = time.perf_counter()
    build_codes(store, n_campaigns, n_codes)
    alerts = Alerts(store)
    made = alerts.derive(SYSTEM)
    print(
        f"built {n_campaigns} campaigns × {n_codes} codes and {made:,} alerts "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    user = Users(store).add(SYSTEM, "board", PASSWORD, role="manager")
    board = SparkBoard(store, lambda: None)  # type: ignore[arg-type, return-value]

    def board_services() -> None:
        board.codes(user)  # the CSV is built only when someone downloads it

    def inbox_services() -> None:
        alerts.inbox(user, limit=25)
        alerts.campaigns(user)
        alerts.unread_count(user)

    for script, services in (("spark_board.py", board_services), ("inbox.py", inbox_services)):
        at = AppTest.from_file(str(PROJECT / "app_pages" / script), default_timeout=120)
        at.session_state["ttcm_auth"] = (user.account_id, user.session_version)
        at.session_state["ttcm_principal"] = user
        at.run()
        if at.exception:
            print(f"{script} failed: {at.exception[0].value}")
            return 1
        q = timed(services)
        r = timed(at.run)
        print(f"{script + ' services:':26} {q:7.1f} ms")
        print(
            f"{script + ' rerun:':26} {r:7.1f} ms  ({r / q:.2f}x services)  "
            f"target <= 300 ms: {'ok' if r <= 300 else 'MISSED'}"
        )
    return 0


def main() -> int:
    """Build the data, time the three layers, print the lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=200)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--board-campaigns", type=int, default=200)
    parser.add_argument("--board-codes", type=int, default=50)
    parser.add_argument("--pages", choices=["all", "posts", "board"], default="all")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ttcm-bench-pages-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    os.environ.update(
        TTCM_DATABASE_URL=url,
        TTCM_COOKIE_KEY="bench-Zt3Kp8Wq1Xm6Ry4Vn9Lb2Hc7Jd0Fs5Ga-oU_eI",
        TTCM_SANDBOX_STATE=str(tmp / "sandbox_state.json"),
        TTCM_INDEX_DIR=str(tmp / "index"),
    )
    store = Store.from_url(url)
    upgrade(store.engine)
    if args.pages == "board":
        return bench_board_and_inbox(store, args.board_campaigns, args.board_codes)
    t0 = time.perf_counter()
    pk = build(store, args.creators, args.posts, args.days)
    print(
        f"built {args.creators} creators, {args.posts:,} posts, "
        f"{args.posts * args.days:,} daily rows in {time.perf_counter() - t0:.1f} s"
    )
    today = datetime.now(UTC).date()

    def queries() -> None:
        data = load_campaign(store, SYSTEM, pk, cache=False)
        retention_curves(store, SYSTEM, pk, reports.top_posts(data))

    def services_and_charts() -> None:
        data = load_campaign(store, SYSTEM, pk)
        ov = overview(data, default_as_of(data.daily, today))
        curves = retention_curves(store, SYSTEM, pk, reports.top_posts(data))
        reports.figures(data, ov, curves)
        summary_rows(ov)

    from streamlit.testing.v1 import AppTest

    user = Users(store).add(SYSTEM, "bench", PASSWORD, role="manager")
    at = AppTest.from_file(str(PROJECT / "app_pages" / "posts.py"), default_timeout=120)
    at.session_state["ttcm_auth"] = (user.account_id, user.session_version)
    at.session_state["ttcm_principal"] = user
    at.query_params["campaign"] = str(pk)
    at.run()
    if at.exception:
        print(f"the page failed: {at.exception[0].value}")
        return 1
    charts = len(at.get("plotly_chart"))

    def cold_rerun() -> None:
        forget_aggregates()
        memo.forget()  # a refresh batch changed the rows: nothing computed from them is reused
        at.run()

    q = timed(queries)
    s = timed(services_and_charts)
    r = timed(at.run)
    c = timed(cold_rerun)
    print(f"queries alone:        {q:7.1f} ms  (nothing cached)")
    print(f"services + charts:    {s:7.1f} ms  ({s / q:.2f}x queries)")
    for name, ms in (("overview rerun:", r), ("cold rerun:", c)):
        print(
            f"{name:21} {ms:7.1f} ms  ({ms / q:.2f}x queries, {charts} charts)  "
            f"target <= 300 ms: {'ok' if ms <= 300 else 'MISSED'}"
        )
    failed = 0
    if args.pages == "all":
        failed = bench_board_and_inbox(store, args.board_campaigns, args.board_codes)
    store.dispose()
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
