"""Refresh end to end against the sandbox's dialects: read every creator, or fail loudly.

A renamed list key is either a documented variant (read) or drift (UnexpectedResponse and a
failed run) — never "0 rows, success". Percentages are stored as fractions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.refresh.conftest import make_client, visible_creators
from ttcm.api.client import TikTokOneClient
from ttcm.refresh.run import Refresher
from ttcm.sandbox import SandboxApp
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.timestamps import as_utc

FAST = {"qps": 100_000, "qpm": 10_000_000}


def _app(dialect: str) -> SandboxApp:
    return SandboxApp(n_creators=600, seed=11, dialect=dialect, **FAST)


def _refresh_creators(store: Store, client: TikTokOneClient) -> None:
    """Refresh the creators and insist that the run went through."""
    report = Refresher(store, client).run(["creators"])
    assert report.status == "ok", report.error


def _handles(store: Store) -> set[str]:
    with store.read() as conn:
        return set(conn.execute(select(m.Creator.handle_name)).scalars())


@pytest.mark.parametrize(
    "dialect", ["renamed", "string_cursors", "percentages", "renamed,string_cursors,percentages"]
)
def test_a_refresh_over_documented_variants_reads_every_creator(store, dialect: str) -> None:
    app = _app(dialect)
    with make_client(app) as client:
        report = Refresher(store, client).run(["creators", "campaigns", "posts", "spark"])
    assert report.status == "ok", report.error
    assert _handles(store) == visible_creators(app)
    with store.read() as conn:
        top = conn.execute(select(func.max(m.Creator.engagement_rate))).scalar_one()
    assert top is not None and 0 < top <= 1  # fractions, even when sent as percentages


def test_a_refresh_over_an_unknown_list_key_fails_loudly(store) -> None:
    app = _app("unknown_list_key")
    with make_client(app) as client:
        report = Refresher(store, client).run(["creators"])
    assert report.status == "failed"
    assert "answered without 'creators'" in (report.error or "")
    assert "keys present: items, page_info" in (report.error or "")
    assert _handles(store) == set()


def test_thin_discover_rows_keep_the_queried_country_and_tracked_creators_get_details(
    store,
) -> None:
    app = _app("thin_discover")
    with make_client(app) as client:
        _refresh_creators(store, client)
        with store.read() as conn:
            rows = conn.execute(
                select(m.Creator.handle_name, m.Creator.country_code, m.Creator.is_tcm_creator)
                .where(m.Creator.is_authenticated.is_not(True))
                .order_by(m.Creator.handle_name)
            ).all()
        assert rows and all(r.country_code is not None and r.is_tcm_creator for r in rows)
        d = app.directory
        wrong = [
            r.handle_name
            for r in rows
            if d.country_code(d.index_of(r.handle_name)) != r.country_code
        ]
        assert wrong == []
        tracked = rows[0].handle_name
        with store.write() as conn:
            now = datetime.now(UTC)
            conn.execute(m.Shortlist.__table__.insert().values(id=1, name="picks", created_at=now))
            conn.execute(
                m.ShortlistMember.__table__.insert().values(
                    shortlist_id=1, handle_name=tracked, added_at=now
                )
            )
        _refresh_creators(store, client)
    with store.read() as conn:
        er = conn.execute(
            select(m.Creator.engagement_rate).where(m.Creator.handle_name == tracked)
        ).scalar_one()
    assert er is not None  # filled from the public detail endpoint


def test_a_qpm_penalty_pauses_the_refresh_which_then_resumes_and_says_until_when(store) -> None:
    from tests.api.conftest import FakeClock, Sleeper
    from ttcm.api import RateLimiter, TikTokOneClient
    from ttcm.sandbox import SandboxTransport

    clock = FakeClock()
    app = SandboxApp(
        n_creators=300, seed=11, qps=100_000, qpm=20, faults="qpm_penalty=300", rate_time=clock
    )
    lines: list[str] = []
    leases: list[timedelta] = []

    class LeaseWatch(Sleeper):
        def __call__(self, seconds: float) -> None:
            if seconds >= 300:  # during the penalty: how long is the refresh's lease still held?
                with store.read() as conn:
                    expires = conn.execute(select(m.Lease.expires_at)).scalar_one()
                leases.append(as_utc(expires) - datetime.now(UTC))
            super().__call__(seconds)

    sleeps = LeaseWatch(clock)
    with TikTokOneClient(
        "http://sandbox.local/open_api/v1.3",
        "tok-SECRET-penalty",
        transport=SandboxTransport(app),
        limiter=RateLimiter(100_000, 10_000_000, clock=clock, sleep=Sleeper(clock)),
        sleep=sleeps,
        max_throttle_wait=3600,
    ) as client:
        report = Refresher(store, client, progress=lambda p: lines.append(p.message)).run(
            ["creators"]
        )
    assert report.status == "ok", report.error
    assert _handles(store) == visible_creators(app)
    assert sleeps.calls.count(300.0) >= 1  # at least one five-minute penalty was waited out
    assert any(m.startswith("paused by TikTok until ") and m.endswith(" UTC") for m in lines)
    assert min(leases) > timedelta(seconds=300)  # the lease outlives each pause


def test_a_penalty_beyond_the_wait_budget_fails_the_refresh_naming_the_end(store) -> None:
    from tests.api.conftest import FakeClock, Sleeper
    from ttcm.api import RateLimiter, TikTokOneClient
    from ttcm.sandbox import SandboxTransport

    clock = FakeClock()
    app = SandboxApp(
        n_creators=300, seed=11, qps=100_000, qpm=20, faults="qpm_penalty=300", rate_time=clock
    )
    with TikTokOneClient(
        "http://sandbox.local/open_api/v1.3",
        "tok-SECRET-penalty",
        transport=SandboxTransport(app),
        limiter=RateLimiter(100_000, 10_000_000, clock=clock, sleep=Sleeper(clock)),
        sleep=Sleeper(clock),
        max_throttle_wait=60,
    ) as client:
        report = Refresher(store, client).run(["creators"])
    assert report.status == "failed"
    assert "paused by TikTok until" in (report.error or "")


def test_an_opened_profile_is_filled_from_the_detail_endpoint_by_the_next_refresh(
    store,
) -> None:
    from ttcm.auth import Principal
    from ttcm.services.openings import record_opened

    app = _app("thin_discover")
    with make_client(app) as client:
        first = Refresher(store, client).run(["creators"])
        assert first.status == "ok", first.error
        with store.read() as conn:
            thin = (
                conn.execute(
                    select(m.Creator.handle_name)
                    .where(m.Creator.is_authenticated.is_not(True), m.Creator.is_tcm_creator)
                    .where(m.Creator.engagement_rate.is_(None))
                    .order_by(m.Creator.handle_name)
                )
                .scalars()
                .first()
            )
        assert thin is not None  # discover sent no ER for it
        record_opened(store, Principal("val", "Val", "viewer"), thin)
        _refresh_creators(store, client)
        with store.read() as conn:
            er, labels = conn.execute(
                select(m.Creator.engagement_rate, m.Creator.label_ids).where(
                    m.Creator.handle_name == thin
                )
            ).one()
            fetched = conn.execute(select(m.CreatorOpening.detail_fetched_at)).scalar_one()
        assert er is not None and labels  # filled from the public detail endpoint
        assert fetched is not None  # off the queue: the refresh after does not fetch it again
        asked: list[str] = []
        detail = client.creator_public

        def counted(handle: str):  # type: ignore[no-untyped-def]
            asked.append(handle)
            return detail(handle)

        client.creator_public = counted  # type: ignore[method-assign]
        _refresh_creators(store, client)
        assert asked == []  # nothing tracked, nothing opened since the last fetch
        record_opened(store, Principal("val", "Val", "viewer"), thin)  # opened again
        _refresh_creators(store, client)
        assert asked == [thin]
