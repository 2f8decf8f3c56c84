"""Invitations against the sandbox: pre-check, batches of ≤20, lifecycle, audit, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.sync.conftest import make_client
from ttcm.auth import PermissionDenied, Principal
from ttcm.services.invitations import Invitations, InviteError
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.sync import Refresher

MANAGER = Principal("max", "Max", "manager")
VIEWER = Principal("val", "Val", "viewer")


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
    eligible = [h for h, e in checks.items() if e.eligible]
    failing = [h for h, e in checks.items() if e.failures]
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


def test_unknown_handles_are_checked_as_unknown(refreshed: Store, sandbox) -> None:
    checks = Invitations(refreshed, lambda: make_client(sandbox)).precheck(MANAGER, ["@no_such_1"])
    assert checks["no_such_1"].eligible is None and checks["no_such_1"].unknown
