"""Alerts: each kind of fact becomes one alert, exactly once across re-runs; read state per user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.builders.spark import World
from tests.services import board_builders as b
from ttcm.auth import SYSTEM, PermissionDenied
from ttcm.services.alerts import Alerts, SinceError, alerts_on, parse_since
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.models_alerts import Alert

HOSTILE = '<b>x</b> **y** [z](http://e.vil) =1+2 "q" 🎉'


def seed(store: Store) -> dict[str, int]:
    """One fact of every kind, in two campaigns."""
    spring = b.campaign(store, "Spring", kpi_posts=1)
    autumn = b.campaign(
        store,
        "Autumn",
        kpi_views=1_000_000,
        start_date=(b.NOW - timedelta(days=10)).date(),
        end_date=(b.NOW + timedelta(days=20)).date(),
    )
    b.post(store, "101", "ana", spring)
    b.post(store, "201", HOSTILE, autumn)
    b.daily(store, "201", -5, 1_000)
    b.code(store, "101", 3)  # accepted, expires within 7 days
    b.order(store, "o-9", "ben", spring, status="DECLINED", decline_reason="Too busy")
    b.invitation(store, "cat", "JOINED")
    b.invitation(store, "dan", "REJECTED", "Not interested")
    b.invitation(store, "eve", "INVITED")
    return {"spring": spring, "autumn": autumn}


def kinds(store: Store) -> list[tuple[str, str]]:
    with store.read() as conn:
        return sorted(tuple(r) for r in conn.execute(select(Alert.kind, Alert.fact_key)))


def test_each_fact_becomes_one_alert_and_a_rerun_adds_none(store: Store) -> None:
    pks = seed(store)
    alerts = Alerts(store, now=lambda: b.NOW)
    created = alerts.derive(SYSTEM)
    spring, autumn = pks["spring"], pks["autumn"]
    assert kinds(store) == sorted(
        [
            ("post_published", "post:101"),
            ("post_published", "post:201"),
            ("order_declined", "declined:o-9"),
            ("invitation_accepted", "invitation:cat:JOINED"),
            ("invitation_rejected", "invitation:dan:REJECTED"),
            ("spark_accepted", "spark:101:#code-101"),
            ("spark_expiring", f"expiring:101:{(b.NOW + timedelta(days=3)):%Y-%m-%d}"),
            ("kpi_reached", f"kpi:{spring}:posts:1"),
            ("behind_pace", f"pace:{autumn}:2026-W49"),
        ]
    )
    assert created == 9
    assert alerts.derive(SYSTEM) == 0  # the same state again: nothing new
    later = Alerts(store, now=lambda: b.NOW + timedelta(hours=6))
    assert later.derive(SYSTEM) == 0  # and later the same week
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(Alert)).scalar() == 9
    messages = {a.kind: a.message for a in alerts.inbox(b.VIEWER).items}
    assert messages["order_declined"] == "@ben declined order o-9: Too busy"
    assert messages["invitation_rejected"] == "@dan rejected the TTCM invitation: Not interested"
    assert "expires on 2026-12-05 (3 days left)" in messages["spark_expiring"]
    assert messages["kpi_reached"] == "Target reached — Published posts: 1 posts of 1 posts."
    assert messages["behind_pace"].startswith("Behind pace: 1,000 views so far, projected")


def test_a_new_fact_about_the_same_thing_is_a_new_alert(store: Store) -> None:
    pks = seed(store)
    alerts = Alerts(store, now=lambda: b.NOW)
    alerts.derive(SYSTEM)
    b.set_code_end(store, "101", 5)  # extended: a new end day, again within 7 days
    with store.write() as conn:
        table = m.Campaign.__table__
        conn.execute(table.update().where(table.c.id == pks["spring"]).values(kpi_posts=2))
    b.post(store, "102", "ana", pks["spring"])
    assert alerts.derive(SYSTEM) == 3  # the new end day, the new post, the raised target met
    keys = {k for _, k in kinds(store)}
    assert f"kpi:{pks['spring']}:posts:2" in keys and "post:102" in keys
    assert f"expiring:101:{(b.NOW + timedelta(days=5)):%Y-%m-%d}" in keys
    next_week = Alerts(store, now=lambda: b.NOW + timedelta(days=7))
    next_week.derive(SYSTEM)
    assert any(
        k.startswith(f"pace:{pks['autumn']}:") and k.endswith("W50") for _, k in kinds(store)
    )


def test_ended_and_far_codes_do_not_alert_as_expiring(store: Store) -> None:
    pk = b.campaign(store)
    for vid, days, status in (("1", 3, "EXPIRED"), ("2", 30, "IN_USE"), ("3", -1, "IN_USE")):
        b.post(store, vid, "ana", pk)
        b.code(store, vid, days, auth_code_status=status)
    Alerts(store, now=lambda: b.NOW).derive(SYSTEM)
    assert [k for kind, k in kinds(store) if kind == "spark_expiring"] == []


def test_read_state_is_per_user_and_unread_come_first(store: Store) -> None:
    pks = seed(store)
    alerts = Alerts(store, now=lambda: b.NOW)
    alerts.derive(SYSTEM)
    inbox = alerts.inbox(b.MANAGER)
    assert inbox.total == inbox.unread == 9 and alerts.unread_count(b.VIEWER) == 9
    first = inbox.items[0]
    assert alerts.mark_read(b.MANAGER, [first.id, first.id]) == 1
    assert alerts.mark_read(b.MANAGER, [first.id]) == 0  # already read
    assert alerts.unread_count(b.MANAGER) == 8 and alerts.unread_count(b.VIEWER) == 9
    after = alerts.inbox(b.MANAGER)
    assert after.items[-1].id == first.id and after.items[-1].read
    assert all(not a.read for a in after.items[:-1])
    spring = alerts.inbox(b.MANAGER, campaign_pk=pks["spring"])
    assert {a.campaign_name for a in spring.items} == {"Spring"}
    assert alerts.mark_all_read(b.MANAGER, pks["spring"]) == spring.unread
    assert alerts.inbox(b.MANAGER, campaign_pk=pks["spring"]).unread == 0
    assert alerts.inbox(b.MANAGER, unread_only=True).total == 9
    assert all(not a.read for a in alerts.inbox(b.MANAGER, unread_only=True).items)
    assert alerts.mark_all_read(b.VIEWER) == 9 and alerts.unread_count(b.VIEWER) == 0
    assert alerts.mark_read(b.VIEWER, [999_999]) == 0  # an id that does not exist: nothing


def test_campaign_filter_lists_only_campaigns_with_alerts(store: Store) -> None:
    pks = seed(store)
    b.campaign(store, "Quiet")
    alerts = Alerts(store, now=lambda: b.NOW)
    alerts.derive(SYSTEM)
    assert alerts.campaigns(b.VIEWER) == [(pks["autumn"], "Autumn"), (pks["spring"], "Spring")]


def test_only_the_refresh_role_derives(store: Store) -> None:
    with pytest.raises(PermissionDenied):
        Alerts(store).derive(b.MANAGER)
    with pytest.raises(PermissionDenied):
        Alerts(store).inbox(None)  # type: ignore[arg-type]


def test_since_lists_alerts_recorded_from_then_on(store: Store) -> None:
    seed(store)
    Alerts(store, now=lambda: b.NOW).derive(SYSTEM)
    b.post(store, "555", "zed", None)  # not in a campaign: no alert
    b.invitation(store, "fay", "JOINED")
    Alerts(store, now=lambda: b.NOW + timedelta(days=1)).derive(SYSTEM)
    alerts = Alerts(store)
    assert [a.message for a in alerts.since(b.VIEWER, b.NOW + timedelta(hours=1))] == [
        "@fay accepted the TTCM invitation and joined."
    ]
    assert len(alerts.since(b.VIEWER, b.NOW)) == 10


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-01", datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-12-01T08:30", datetime(2026, 12, 1, 8, 30, tzinfo=UTC)),
        ("2026-12-01T08:30:00Z", datetime(2026, 12, 1, 8, 30, tzinfo=UTC)),
        ("2026-12-01T10:30:00+02:00", datetime(2026, 12, 1, 8, 30, tzinfo=UTC)),
    ],
)
def test_parse_since_reads_days_and_iso_times(raw: str, expected: datetime) -> None:
    assert parse_since(raw) == expected


@pytest.mark.parametrize("raw", ["", "yesterday", "2026-13-01", "12/01/2026", "2026-12-01T25:00"])
def test_parse_since_refuses_what_is_not_a_time(raw: str) -> None:
    with pytest.raises(SinceError, match="--since"):
        parse_since(raw)


def test_the_refresh_records_alerts_once_per_fact(store: Store) -> None:
    world = World(store)  # a refresh of orders and posts ran
    keys = {k for _, k in kinds(store)}
    assert {f"post:{v}" for v in world.videos} <= keys
    world.refresh_spark()  # nothing changed on TikTok: no new alert
    assert {k for _, k in kinds(store)} == keys


def test_the_refresh_step_reads_the_app_clock_as_the_spark_board_does(store: Store) -> None:
    pk = b.campaign(store)
    b.post(store, "1", "ana", pk)
    b.code(store, "1", 10)  # 10 days left on the app's (sandbox) clock at b.NOW...
    real_utc = b.NOW - timedelta(days=30)  # ...while the refresh's own clock is far behind it
    step = alerts_on(lambda: b.NOW + timedelta(days=5))  # the sandbox clock moved 5 days on
    step(store, lambda: real_utc)
    with store.read() as conn:
        rows = conn.execute(select(Alert.kind, Alert.fact_key, Alert.created_at)).all()
    expiring = [key for kind, key, _ in rows if kind == "spark_expiring"]
    assert expiring == [f"expiring:1:{(b.NOW + timedelta(days=10)):%Y-%m-%d}"]
    assert {when.replace(tzinfo=UTC) for _, _, when in rows} == {b.NOW + timedelta(days=5)}
