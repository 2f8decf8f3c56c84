"""The write-intent outbox: one claimant per business key, take-overs, outcomes."""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from ttcm.api import errors as api_errors
from ttcm.auth import Principal
from ttcm.services.writes import (
    WriteInProgress,
    claim,
    claim_many,
    finish,
    mark,
    mark_outcome,
    note,
    open_intents,
    outcome_status,
)
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.holders import holder_id, holder_is_dead

ADA = Principal("ada", "Ada", "manager")
BOB = Principal("bob", "Bob", "manager")


def _row(store: Store, key: str) -> Any:
    with store.read() as conn:
        return conn.execute(select(m.WriteIntent).where(m.WriteIntent.business_key == key)).one()


def _done(store: Store, intent_id: str, result: dict[str, Any]) -> None:
    with store.write() as conn:
        finish(conn, intent_id, "done", "req-1", result)


def test_a_key_is_claimed_once_then_its_result_is_returned(store: Store) -> None:
    first = claim(store, "order:1:anna", "order.create", {"handle": "anna"}, ADA)
    assert not first.resumed and not first.done and first.payload == {"handle": "anna"}
    assert claim_many(store, {"order:1:anna": {}}, "order.create", BOB) == {"order:1:anna": None}
    with pytest.raises(WriteInProgress, match="another session"):
        claim(store, "order:1:anna", "order.create", {}, BOB, wait_seconds=0.05)
    _done(store, first.id, {"order_id": "76001"})
    again = claim(store, "order:1:anna", "order.create", {}, BOB)
    assert again.done and again.done_result == {"order_id": "76001"}
    assert (again.id, again.request_id) == (first.id, "req-1")


def test_a_waiting_claimant_gets_the_result_when_the_first_finishes(store: Store) -> None:
    first = claim(store, "k", "order.create", {}, ADA)
    timer = threading.Timer(0.2, _done, (store, first.id, {"ok": True}))
    timer.start()
    got = claim(store, "k", "order.create", {}, BOB, wait_seconds=5, poll=0.02)
    timer.join()
    assert got.done_result == {"ok": True}


@pytest.mark.parametrize(
    ("status", "resumed"), [("unknown", True), ("failed", False), ("pending", True)]
)
def test_take_over_after_an_unknown_a_failed_or_a_dead_sender(
    store: Store, status: str, resumed: bool
) -> None:
    first = claim(store, "k", "order.create", {"campaign_code": "SBX1"}, ADA)
    if status != "pending":
        mark(store, [first.id], status, "boom")
    else:  # a pending row nobody touched for longer than stale_after: its sender died
        with store.write() as conn:
            conn.execute(
                update(m.WriteIntent).values(updated_at=_row(store, "k").updated_at - timedelta(1))
            )
    got = claim(store, "k", "order.create", {"other": 1}, BOB, wait_seconds=0)
    assert (got.id, got.resumed) == (first.id, resumed)
    assert got.payload == {"campaign_code": "SBX1"}  # what the earlier attempt recorded
    row = _row(store, "k")
    assert (row.status, row.actor) == ("pending", "bob")


def test_a_pending_claim_of_a_dead_process_is_taken_over_at_once(store: Store) -> None:
    """The claimant was killed (its pid is gone): no wait for `stale_after`."""
    import subprocess
    import sys

    first = claim(store, "k", "order.create", {"campaign_code": "SBX1"}, ADA)
    assert _row(store, "k").holder == holder_id()
    with pytest.raises(WriteInProgress):  # a live holder (this process) is waited for
        claim(store, "k", "order.create", {}, BOB, wait_seconds=0)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = f"{socket.gethostname()}:{gone.pid}:1"
    with store.write() as conn:
        conn.execute(update(m.WriteIntent).values(holder=dead))
    got = claim(store, "k", "order.create", {}, BOB, wait_seconds=0)
    assert (got.id, got.resumed) == (first.id, True)
    assert _row(store, "k").holder == holder_id()


def test_holder_ids_name_the_process_and_only_a_gone_one_is_dead() -> None:
    host = socket.gethostname()
    assert not holder_is_dead(holder_id()) and not holder_is_dead(None)
    assert not holder_is_dead(f"elsewhere:{os.getpid()}:1")  # another machine: cannot tell
    assert holder_is_dead(f"{host}:{os.getpid()}:not-my-start")  # this pid, an earlier process
    assert not holder_is_dead(f"{host}:1:-")  # pid 1 runs, start unknown: presumed alive
    assert not holder_is_dead("garbage")


def test_only_one_of_many_threads_wins_a_key(store: Store) -> None:
    start = threading.Barrier(6)
    won: list[Any] = []

    def race() -> None:
        start.wait()
        got = claim_many(store, {"a": {}, "b": {}, "c": {}}, "x", ADA)
        won.append(got)

    threads = [threading.Thread(target=race) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for key in "abc":
        winners = [g[key] for g in won if g[key] is not None]
        assert len(winners) == 1, key
    # the keys went to one caller together, never split between callers
    assert sum(1 for g in won if any(v is not None for v in g.values())) == 1


def test_only_one_of_many_threads_takes_over_an_unknown_intent(store: Store) -> None:
    first = claim(store, "k", "x", {}, ADA)
    mark(store, [first.id], "unknown")
    start = threading.Barrier(6)
    got: list[Any] = []

    def race() -> None:
        start.wait()
        got.append(claim_many(store, {"k": {}}, "x", BOB)["k"])

    threads = [threading.Thread(target=race) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(1 for g in got if g is not None) == 1


def test_note_records_the_request_and_open_intents_list_it(store: Store) -> None:
    a = claim(store, "order:7:anna", "order.create", {}, ADA)
    b = claim(store, "order:7:bob", "order.create", {}, ADA)
    c = claim(store, "order:70:carl", "order.create", {}, ADA)
    claim(store, "order:7_:x", "order.create", {}, ADA)  # "_" is not a LIKE wildcard here
    note(store, {a.id: {"campaign_code": "SBX1", "handles": ("anna",)}})
    mark(store, [b.id], "unknown")
    _done(store, c.id, {})
    listed = open_intents(store, "order:7:")
    assert [(r["key"], r["status"]) for r in listed] == [
        ("order:7:anna", "pending"),
        ("order:7:bob", "unknown"),
    ]
    assert listed[0]["payload"] == {"campaign_code": "SBX1", "handles": ["anna"]}


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (api_errors.APITimeoutError("read timed out", sent=True), "unknown"),
        (api_errors.APIConnectionError("refused", sent=False), "failed"),
        (api_errors.ServerError(50000, "System error"), "unknown"),
        (api_errors.MalformedResponseError("garbled"), "unknown"),
        (api_errors.RateLimitError(40100, "App reaches the QPS limit."), "failed"),
        (api_errors.InvalidRequestError(40002, "bad"), "failed"),
        (api_errors.RequestValidationError("handles", "too many"), "failed"),
        (api_errors.DuplicateRequestError(40050, "exists"), "failed"),
        (RuntimeError("bug after sending"), "unknown"),
    ],
)
def test_outcome_of_a_failed_send(store: Store, exc: BaseException, status: str) -> None:
    assert outcome_status(exc) == status
    first = claim(store, "k", "x", {}, ADA)
    assert mark_outcome(store, [first.id], exc) == status
    row = _row(store, "k")
    assert row.status == status and exc.__class__.__name__ in row.error
