"""The audit log service: admins only, filtered by any part of the action, campaigns by name."""

from __future__ import annotations

import pytest

from tests.builders import ADMIN, MANAGER, add_campaign
from ttcm.auth import PermissionDenied
from ttcm.errors import InputError
from ttcm.services.audit import entries
from ttcm.services.audit_log import AuditLog
from ttcm.store import Store
from ttcm.store.audit import record


@pytest.fixture
def log(store: Store) -> AuditLog:
    pk = add_campaign(store, "Spring launch")
    with store.write() as conn:
        record(conn, "max", "campaign.archive", str(pk), {"campaign_pk": pk}, None)
        record(conn, "max", "order.create", f"campaign {pk} code C1", {"orders": ["9"]}, "req-1")
        record(conn, "ada", "user.add", "1", {"role": "viewer"}, None)
    return AuditLog(store)


def test_entries_name_the_campaign_and_read_as_words(log: AuditLog) -> None:
    rows = log.newest(ADMIN)
    assert [r.what for r in rows] == ["User added", "Orders created", "Campaign archived"]
    user, order, archive = rows
    assert user.target == "1" and user.detail == "Role: viewer"
    assert order.target == "Spring launch · code C1" and order.request_id == "req-1"
    assert archive.target == "Spring launch" and archive.detail == "Campaign: Spring launch"


def test_the_filter_matches_part_of_the_action_or_its_name(log: AuditLog) -> None:
    assert [r.action for r in log.newest(ADMIN, "order")] == ["order.create"]
    assert [r.action for r in log.newest(ADMIN, "archived")] == ["campaign.archive"]
    assert [r.action for r in log.newest(ADMIN, "CAMPAIGN")] == ["campaign.archive"]
    assert log.newest(ADMIN, "%") == [] and log.newest(ADMIN, "_") == []
    assert len(log.newest(ADMIN, "  ")) == 3


def test_only_admins_read_the_log(log: AuditLog) -> None:
    with pytest.raises(PermissionDenied):
        log.newest(MANAGER)


def test_refresh_entries_name_the_resources_they_read(store: Store) -> None:
    with store.write() as conn:
        record(conn, "max", "refresh.start", "creators,spark", {"full": False}, None)
        record(conn, "max", "refresh", "orders, posts,made_up_thing", {"status": "ok"}, None)
    done, started = AuditLog(store).newest(ADMIN)
    assert started.target == "Creators, Spark Ads codes"
    assert done.target == "Orders, Posts and their stats, Made up thing"


@pytest.mark.parametrize("limit", [0, -1, 5001, 10**18, True, 2.5, "10"])
def test_an_out_of_range_limit_is_refused_not_clamped(store: Store, limit: object) -> None:
    with store.write() as conn:
        record(conn, "max", "user.add", "1", {"role": "viewer"}, None)
    with pytest.raises(InputError, match="from 1 to 5,000"):
        entries(store, ADMIN, limit=limit)  # type: ignore[arg-type]


def test_the_limits_at_either_end_are_served(store: Store) -> None:
    with store.write() as conn:
        for n in range(3):
            record(conn, "max", "user.add", str(n), {}, None)
    assert [e["target"] for e in entries(store, ADMIN, limit=1)] == ["2"]
    assert len(entries(store, ADMIN, limit=5000)) == 3
