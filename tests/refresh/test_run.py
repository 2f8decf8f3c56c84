"""Refresh from the in-process sandbox into SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text, update

from tests.refresh.conftest import make_client, visible_creators
from ttcm import rules
from ttcm.refresh.errors import RefreshBusy
from ttcm.refresh.lease import Lease
from ttcm.refresh.run import Refresher
from ttcm.refresh.status import freshness, store_is_empty
from ttcm.store import Store, check
from ttcm.store import models as m
from ttcm.store.purge import purge_legacy
from ttcm.store.timestamps import utcnow


def _count(store: Store, model) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def _handles(store: Store) -> set[str]:
    with store.read() as conn:
        return set(conn.execute(select(m.Creator.handle_name)).scalars())


def test_full_refresh_fills_an_empty_store_with_every_visible_creator(store, sandbox) -> None:
    assert store_is_empty(store)
    with make_client(sandbox) as client:
        expected = visible_creators(sandbox)
        report = Refresher(store, client).run(["creators"])
    assert report.status == "ok", report.error
    assert _handles(store) == expected
    assert _count(store, m.Creator) == len(expected) == report.counts["creators"]["new"]
    # authorized creators are written again with the richer authorized payload
    assert report.counts["creators"]["changed"] >= len(expected)
    assert _count(store, m.Label) == len(rules.vocab()["content_labels"]) + len(
        rules.vocab()["industry_labels"]
    )
    assert _count(store, m.Account) == 1
    assert check(store.engine).ok
    fresh = {f.resource: f for f in freshness(store)}
    assert fresh["creators"].last_success_at is not None
    assert fresh["orders"].last_success_at is None


def test_discover_cap_is_respected_by_the_sweep(store, sandbox) -> None:
    """No discover query returned more than the cap, yet every creator arrived."""
    seen: list[int] = []
    with make_client(sandbox) as client:
        original = client.discover

        def spy(filters, page=1, page_size=200):
            creators, info = original(filters, page=page, page_size=page_size)
            seen.append(page * page_size)
            return creators, info

        client.discover = spy  # type: ignore[method-assign]
        expected = visible_creators(sandbox)
        Refresher(store, client).run(["creators"])
    assert max(seen) <= rules.limits()["discover_result_cap"]
    assert _handles(store) == expected


def test_second_run_changes_only_what_changed(store, sandbox) -> None:
    with make_client(sandbox) as client:
        first = Refresher(store, client).run(["creators"])
        second = Refresher(store, client).run(["creators"])
    assert first.counts["creators"]["changed"] > 0
    assert second.status == "ok"
    assert second.counts["creators"]["changed"] == 0
    assert second.counts["creators"]["seen"] == first.counts["creators"]["seen"]


def test_team_records_survive_a_refresh_and_a_purge(store, sandbox) -> None:
    with make_client(sandbox) as client:
        Refresher(store, client).run(["creators"])
        handle = sorted(_handles(store))[0]
        now = time.time()
        from datetime import UTC, datetime

        ts = datetime.fromtimestamp(now, UTC)
        with store.write() as conn:
            sl = conn.execute(
                m.Shortlist.__table__.insert()
                .values(name="Q1 beauty", created_at=ts)
                .returning(m.Shortlist.id)
            ).scalar_one()
            conn.execute(
                m.ShortlistMember.__table__.insert().values(
                    shortlist_id=sl, handle_name=handle, note="great fit", added_at=ts
                )
            )
            # a row that did not come from the API (e.g. an old scraper import)
            conn.execute(
                m.Creator.__table__.insert().values(
                    handle_name="scraped_one",
                    source="scraper",
                    first_seen_at=ts,
                    fetched_at=ts,
                )
            )
        Refresher(store, client).run(["creators"])
    removed = purge_legacy(store)
    assert removed["creators"] == 1
    assert "scraped_one" not in _handles(store)
    assert _count(store, m.ShortlistMember) == 1
    assert _count(store, m.Shortlist) == 1


def test_lease_allows_one_refresh_at_a_time(store, sandbox) -> None:
    with make_client(sandbox) as client:
        holder = Lease(store, utcnow, owner="other-host:1:1")
        holder.acquire()
        with pytest.raises(RefreshBusy, match="another refresh is running"):
            Refresher(store, client).run(["creators"])
        holder.release()
        assert Refresher(store, client).run(["creators"]).status == "ok"


def test_an_interrupted_run_resumes_from_its_checkpoint(store, sandbox) -> None:
    with make_client(sandbox) as client:
        expected = visible_creators(sandbox)
        original = client.discover
        calls = {"n": 0}

        def dying(filters, page=1, page_size=200):
            calls["n"] += 1
            if calls["n"] == 6:
                raise KeyboardInterrupt  # the operator pressed Ctrl-C mid-run
            return original(filters, page=page, page_size=page_size)

        client.discover = dying  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            Refresher(store, client).run(["creators"])
        partial = _handles(store)
        assert 0 < len(partial) < len(expected)
        client.discover = original  # type: ignore[method-assign]
        resumed = Refresher(store, client).run(["creators"])
    assert resumed.status == "ok" and resumed.resumed_from is not None
    assert _handles(store) == expected
    # the resumed run skipped the slices the first one had committed
    assert resumed.counts["creators"]["seen"] < len(expected) + 5 * 200


def test_token_expiry_mid_run_stops_cleanly_and_keeps_the_data(store, sandbox) -> None:
    with make_client(sandbox) as client:
        Refresher(store, client).run(["creators"])
    before = _handles(store)
    sandbox.set_faults({"token_expire_after": 8})  # counted from now: dies mid-sweep
    with make_client(sandbox) as client:
        report = Refresher(store, client).run(["creators"])
    assert report.status == "failed"
    assert "access token" in report.error and "resumes" in report.error
    assert _handles(store) == before
    assert check(store.engine).ok
    fresh = {f.resource: f for f in freshness(store)}
    assert "access token" in fresh["creators"].last_error
    sandbox.set_faults({})
    with make_client(sandbox) as client:
        again = Refresher(store, client).run(["creators"])
    assert again.status == "ok" and again.resumed_from == report.run_id


def test_a_reader_never_sees_half_a_batch_and_never_errors(sqlite_store: Store, sandbox) -> None:
    store = sqlite_store
    errors: list[BaseException] = []
    mismatches: list[tuple[int, int]] = []
    reads = {"n": 0}
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                with store.read() as conn:
                    n = conn.execute(select(func.count()).select_from(m.Creator)).scalar_one()
                    run = conn.execute(
                        select(m.SyncRun.counts).order_by(m.SyncRun.id.desc()).limit(1)
                    ).scalar_one_or_none()
                    conn.execute(text("SELECT COUNT(*) FROM creators_fts")).scalar_one()
                written = ((run or {}).get("creators") or {}).get("new", 0)
                if run is not None and n != written:
                    mismatches.append((n, written))
                reads["n"] += 1
            except BaseException as exc:  # noqa: BLE001 - any error fails the test
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        with make_client(sandbox) as client:
            report = Refresher(store, client).run(["creators"])
    finally:
        stop.set()
        thread.join()
    assert report.status == "ok"
    assert errors == []
    assert mismatches == []
    assert reads["n"] > 10


def test_unknown_resource_is_refused(store, sandbox) -> None:
    from ttcm.refresh.errors import RefreshError

    with make_client(sandbox) as client, pytest.raises(RefreshError, match="unknown resource"):
        Refresher(store, client).run(["creatures"])


def test_stale_running_row_is_marked_interrupted(store, sandbox) -> None:
    """A run row left 'running' by a killed process is closed by the next run."""
    with make_client(sandbox) as client:
        Refresher(store, client).run(["creators"])
    with store.write() as conn:
        conn.execute(update(m.SyncRun).values(status="running"))
    with make_client(sandbox) as client:
        Refresher(store, client).run(["creators"])
    with store.read() as conn:
        statuses = list(conn.execute(select(m.SyncRun.status).order_by(m.SyncRun.id)).scalars())
    assert statuses == ["interrupted", "ok"]


def test_post_refresh_steps_run_once_at_the_end_of_a_run(store, sandbox) -> None:
    calls: list[tuple[Store, object, int]] = []

    def step(s: Store, now) -> None:
        with s.read() as conn:
            finished = conn.execute(
                select(func.count()).select_from(m.SyncRun).where(m.SyncRun.status == "ok")
            ).scalar_one()
        calls.append((s, now, finished))

    with make_client(sandbox) as client:
        Refresher(store, client, after=(step,)).run(["campaigns"])
    assert len(calls) == 1
    assert calls[0][0] is store and calls[0][2] == 1  # after the run's books were closed
