"""Parallel guessing (real threads, both databases): attempts are reserved before hashing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ttcm.auth import SYSTEM, InvalidCredentials, LoginThrottled
from ttcm.auth.throttle import rates
from ttcm.auth.users import Device, Users
from ttcm.store import Store
from ttcm.store import models as m

PASSWORD = "correct horse battery staple"
FROZEN = datetime(2026, 11, 1, 12, tzinfo=UTC)  # no refill during the burst: the cap is exact


def _race(calls: list, threads_at_once: int) -> list[object]:
    """Run every call in its own thread, all released together; their results or errors."""
    start = threading.Barrier(threads_at_once)
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - the test sorts them
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_forty_parallel_guesses_are_held_to_the_rate_and_the_holder_gets_in(store: Store) -> None:
    users = Users(store, now=lambda: FROZEN)
    holder = users.add(SYSTEM, "target", PASSWORD, role="manager")
    her_browser = Device(holder.account_id, "her-laptop")
    guesses = [
        (lambda i=i: users.authenticate("target", f"guess number {i}", client=f"bot-{i % 5}"))
        for i in range(40)
    ]
    holder_signs_in = [lambda: users.authenticate("target", PASSWORD, "bot-0", her_browser)]
    results = _race(guesses + holder_signs_in, 41)

    checked = [r for r in results[:40] if isinstance(r, InvalidCredentials)]
    throttled = [r for r in results[:40] if isinstance(r, LoginThrottled)]
    assert len(checked) + len(throttled) == 40
    assert len(checked) == rates()["account"].burst  # 3 of 40 were hashed, not 40
    assert results[40] is not None and getattr(results[40], "username", None) == "target"
    with store.read() as conn:
        audited = conn.execute(
            select(m.AuditEntry.action).where(m.AuditEntry.target == "target")
        ).scalars()
        actions = sorted(a for a in audited if a.startswith("signin"))
    assert actions == ["signin", "signin.failed", "signin.failed", "signin.failed"]
    with pytest.raises(LoginThrottled):  # and the guessers are still held
        users.authenticate("target", "one more guess", client="bot-new")


def test_parallel_guesses_at_many_names_from_one_client_are_held(store: Store) -> None:
    users = Users(store, now=lambda: FROZEN)
    calls = [
        (lambda i=i: users.authenticate(f"name{i}", "whatever pass", client="one-bot"))
        for i in range(30)
    ]
    results = _race(calls, 30)
    checked = sum(isinstance(r, InvalidCredentials) for r in results)
    assert checked == rates()["client"].burst
    assert all(isinstance(r, InvalidCredentials | LoginThrottled) for r in results)
