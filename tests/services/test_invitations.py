"""Invitations against the sandbox: pre-check, batches of ≤20, lifecycle, audit, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.builders import MANAGER, VIEWER
from tests.refresh.conftest import make_client
from ttcm.auth import PermissionDenied
from ttcm.refresh.run import Refresher
from ttcm.services.invitations import (
    ALREADY_INVITED,
    ALREADY_TTCM,
    ELIGIBLE,
    FAILS,
    NO_ACCOUNT,
    NO_FACTS,
    NOT_IN_CACHE,
    Invitations,
    InviteError,
    InviteLookupError,
)
from ttcm.store import Store
from ttcm.store import models as m


@pytest.fixture
def refreshed(store: Store, sandbox) -> Store:
    with make_client(sandbox) as client:
        assert Refresher(store, client).run(["creators"]).status == "ok"
    return store


def _non_ttcm(store: Store) -> dict[str, dict]:
    table = m.Creator.__table__
    with store.read() as conn:
        rows = conn.execute(select(table).where(table.c.is_tcm_creator.is_(False))).all()
    return {r.handle_name: dict(r._mapping) for r in rows}


def test_invite_batches_records_and_follows_the_lifecycle(refreshed: Store, sandbox) -> None:
    service = Invitations(refreshed, lambda: make_client(sandbox))
    candidates = _non_ttcm(refreshed)
    checks = service.precheck(MANAGER, list(candidates))
    eligible = [h for h, c in checks.items() if c.sendable]
    failing = [h for h, c in checks.items() if c.verdict == FAILS]
    assert len(eligible) > 20 and failing  # the sandbox has both kinds
    sent_calls: list[int] = []
    with make_client(sandbox) as probe:
        original = type(probe).invite

    def counting_invite(self, handles):
        sent_calls.append(len(handles))
        return original(self, handles)

    type(probe).invite = counting_invite
    try:
        outcome = service.invite(MANAGER, eligible[:45] + failing[:3])
    finally:
        type(probe).invite = original
    assert sent_calls == [20, 20, 5]  # ≤20 per API call
    assert set(outcome.skipped) == set(failing[:3])  # never sent
    assert all(outcome.skipped[h] for h in failing[:3])
    assert len(outcome.invited) + len(outcome.rejected) + len(outcome.already_ttcm) == 45
    assert len(outcome.request_ids) == 3
    again = service.invite(MANAGER, eligible[:5])
    assert sorted(again.already_invited) == sorted(h for h in eligible[:5] if h in outcome.invited)
    with refreshed.read() as conn:
        audit = (
            conn.execute(select(m.AuditEntry.request_id).where(m.AuditEntry.action == "invite"))
            .scalars()
            .all()
        )
    assert sorted(audit) == sorted(outcome.request_ids)
    # time passes: creators join or decline, and the refresh records it
    sandbox.advance(24 * 4)
    with make_client(sandbox) as client:
        Refresher(refreshed, client).run(["creators"])
    states = {r["handle_name"]: r for r in service.lifecycle(MANAGER)}
    decided = [r for r in states.values() if r["state"] in ("JOINED", "REJECTED")]
    assert decided, states
    for r in decided:
        if r["state"] == "REJECTED":
            assert r["reason"]
    joined = [h for h, r in states.items() if r["state"] == "JOINED"]
    if joined:
        with refreshed.read() as conn:
            flags = (
                conn.execute(
                    select(m.Creator.is_tcm_creator).where(m.Creator.handle_name.in_(joined))
                )
                .scalars()
                .all()
            )
        assert all(flags)  # joined creators became TTCM accounts


def test_viewer_cannot_invite_and_nothing_is_sent(refreshed: Store, sandbox) -> None:
    before = sandbox.requests
    service = Invitations(refreshed, lambda: make_client(sandbox))
    with pytest.raises(PermissionDenied):
        service.invite(VIEWER, list(_non_ttcm(refreshed))[:3])
    assert sandbox.requests == before
    assert service.lifecycle(VIEWER) == []


@pytest.mark.parametrize("handles", [[], ["  "], ["a b"], ["x" * 101], ["<script>\n"]])
def test_bad_handles_are_refused_before_sending(refreshed: Store, sandbox, handles) -> None:
    before = sandbox.requests
    with pytest.raises(InviteError):
        Invitations(refreshed, lambda: make_client(sandbox)).invite(MANAGER, handles)
    assert sandbox.requests == before


def _uncached(store: Store, sandbox) -> dict[str, str]:
    """Sandbox handles the cache does not hold, by their TikTok status (IN / NOT_IN / INVITED)."""
    with store.read() as conn:
        cached = set(conn.execute(select(m.Creator.handle_name)).scalars())
    out: dict[str, str] = {}
    with make_client(sandbox) as client:
        pool = [h for h in list(sandbox.directory.handles[:600]) if h not in cached]
        for st in client.creator_status(pool[:200]):
            out.setdefault(st.status, st.handle_name)
    return out


def test_a_handle_not_in_the_cache_is_never_sendable_before_a_lookup(
    refreshed: Store, sandbox
) -> None:
    service = Invitations(refreshed, lambda: make_client(sandbox))
    before = sandbox.requests
    checks = service.precheck(MANAGER, ["@no_such_1"])
    assert checks["no_such_1"].verdict == NOT_IN_CACHE  # before: "no rule fails", sendable
    assert not checks["no_such_1"].sendable
    assert sandbox.requests == before  # a pre-check never calls TikTok


def test_lookup_asks_tiktok_and_names_why_a_handle_cannot_be_invited(
    refreshed: Store, sandbox
) -> None:
    statuses = _uncached(refreshed, sandbox)
    assert "NOT_IN" in statuses
    service = Invitations(refreshed, lambda: make_client(sandbox))
    wanted = ["no_such_1", statuses["NOT_IN"]]
    with pytest.raises(PermissionDenied):
        service.lookup(VIEWER, wanted)
    found = service.lookup(MANAGER, wanted)
    assert found["no_such_1"].verdict == NO_ACCOUNT
    assert found[statuses["NOT_IN"]].verdict == NO_FACTS
    assert "authorize" in found[statuses["NOT_IN"]].message
    merged = service.precheck(MANAGER, wanted, found)
    assert [c.verdict for c in merged.values()] == [NO_ACCOUNT, NO_FACTS]


def test_invite_looks_up_unknown_handles_and_sends_none_of_them(refreshed: Store, sandbox) -> None:
    statuses = _uncached(refreshed, sandbox)
    service = Invitations(refreshed, lambda: make_client(sandbox))
    eligible = next(
        h for h, c in service.precheck(MANAGER, list(_non_ttcm(refreshed))).items() if c.sendable
    )
    outcome = service.invite(MANAGER, ["no_such_1", statuses["NOT_IN"], eligible])
    assert set(outcome.refused) == {"no_such_1", statuses["NOT_IN"]}
    assert "no usable account" in outcome.refused["no_such_1"]
    assert not outcome.rejected  # before: no_such_1 became a REJECTED invitation
    assert outcome.invited == [eligible]
    states = {r["handle_name"]: r["state"] for r in service.lifecycle(MANAGER)}
    assert states == {eligible: "INVITED"}


def test_already_invited_creators_are_shown_as_such(refreshed: Store, sandbox) -> None:
    service = Invitations(refreshed, lambda: make_client(sandbox))
    checks = service.precheck(MANAGER, list(_non_ttcm(refreshed)))
    eligible = [h for h, c in checks.items() if c.verdict == ELIGIBLE][:2]
    service.invite(MANAGER, eligible[:1])
    again = service.precheck(MANAGER, eligible)
    assert again[eligible[0]].verdict == ALREADY_INVITED  # before: "eligible"
    assert (
        "Already invited on" in again[eligible[0]].message
        and "by max" in again[eligible[0]].message
    )
    assert not again[eligible[0]].sendable
    assert again[eligible[1]].verdict == ELIGIBLE
    ttcm = next(
        h
        for h, c in service.precheck(MANAGER, _all_handles(refreshed)).items()
        if c.verdict == ALREADY_TTCM
    )
    assert not service.precheck(MANAGER, [ttcm])[ttcm].sendable


def _all_handles(store: Store) -> list[str]:
    with store.read() as conn:
        return list(conn.execute(select(m.Creator.handle_name).limit(300)).scalars())


class _OddClient:
    """A client whose status answer TikTok's contract does not allow."""

    def __init__(self, answer: list) -> None:
        self.answer = answer

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def creator_status(self, handles):
        return self.answer

    def invite(self, handles):  # pragma: no cover - must never be reached
        raise AssertionError("sent")


@pytest.mark.parametrize(
    "answer",
    [[], [type("S", (), {"handle_name": "no_such_1", "status": "MAYBE", "reject_reason": None})()]],
)
def test_an_unexpected_lookup_answer_fails_loudly_and_sends_nothing(refreshed, answer) -> None:
    service = Invitations(refreshed, lambda: _OddClient(answer))
    with pytest.raises(InviteLookupError):
        service.invite(MANAGER, ["no_such_1"])
    assert service.lifecycle(MANAGER) == []
