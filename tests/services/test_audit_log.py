"""The audit log service: admins only, filtered by any part of the action, campaigns by name."""

from __future__ import annotations

import pytest

from tests.builders import ADMIN, MANAGER, add_campaign
from ttcm.auth import PermissionDenied
from ttcm.services.audit import record
from ttcm.services.audit_log import AuditLog
from ttcm.store import Store


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
