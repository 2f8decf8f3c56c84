"""The Spark Ads expiry board: every code across campaigns, soonest first; filters; extend; CSV."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders.spark import World
from tests.services import board_builders as b
from ttcm.auth import PermissionDenied
from ttcm.services.spark_board import BoardInputError, SparkBoard
from ttcm.store import Store

HOSTILE = '=HYPERLINK("http://e.vil") <script>x</script> **b** 🎉'


def board(store: Store) -> SparkBoard:
    def no_client():  # reads never reach TikTok
        raise AssertionError("the board's reads must not call TikTok")

    return SparkBoard(store, no_client, now=lambda: b.NOW)


@pytest.fixture
def codes(store: Store) -> Store:
    spring, autumn = b.campaign(store, "Spring"), b.campaign(store, HOSTILE)
    for vid, handle, pk, days, status in (
        ("1", "ana", spring, 20, "IN_USE"),
        ("2", HOSTILE, autumn, 2.5, "NOT_USED"),
        ("3", "cat", spring, 10, "IN_USE"),
        ("4", "dan", autumn, -3, "EXPIRED"),
        ("5", "eve", spring, 40, "DELETED"),
    ):
        b.post(store, vid, handle, pk)
        b.code(store, vid, days, auth_code_status=status)
    b.post(store, "6", "fay", spring)
    b.code(store, "6", 5, auth_status="WAITING", auth_code=None)  # no code yet: not listed
    return store


def test_every_code_soonest_first_with_days_left(codes: Store) -> None:
    rows = board(codes).codes(b.VIEWER)
    assert [r.video_id for r in rows] == ["4", "2", "3", "1", "5"]
    assert [r.days_left for r in rows] == [0, 3, 10, 20, 40]
    assert [r.live for r in rows] == [False, True, True, True, False]
    assert rows[1].handle_name == HOSTILE and rows[1].campaign_name == HOSTILE
    assert rows[0].auth_code_end_time == b.NOW - timedelta(days=3)


@pytest.mark.parametrize(
    ("within", "statuses", "expected"),
    [
        (7, None, ["2"]),
        (14, None, ["2", "3"]),
        (30, None, ["2", "3", "1"]),
        (None, ["EXPIRED", "DELETED"], ["4", "5"]),
        (30, ["IN_USE"], ["3", "1"]),
    ],
)
def test_filters_by_window_and_status(codes: Store, within, statuses, expected) -> None:
    rows = board(codes).codes(b.VIEWER, within=within, statuses=statuses)
    assert [r.video_id for r in rows] == expected


def test_home_count_is_codes_expiring_within_7_days(codes: Store) -> None:
    assert board(codes).expiring_count(b.VIEWER) == 1
    assert board(codes).expiring_count(b.VIEWER, 14) == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"within": 10}, "within"), ({"within": True}, "within"), ({"statuses": ["USED"]}, "status")],
)
def test_a_filter_that_is_not_offered_is_refused(codes: Store, kwargs, field) -> None:
    with pytest.raises(BoardInputError) as info:
        board(codes).codes(b.VIEWER, **kwargs)
    assert info.value.field == field


def test_csv_neutralises_formulas_in_names(codes: Store) -> None:
    sb = board(codes)
    text = sb.csv(b.VIEWER, sb.codes(b.VIEWER, within=7))
    header, line = text.splitlines()
    assert header.startswith('"Video id","Post","Creator","Campaign","Authorization code"')
    assert '"\'=HYPERLINK(""http://e.vil"") <script>x</script> **b** 🎉"' in line
    assert '"#code-2","NOT_USED"' in line and line.endswith('"3"')


def test_extend_refuses_bad_choices_and_viewers(codes: Store) -> None:
    sb = board(codes)
    with pytest.raises(BoardInputError, match="Choose at least one code") as info:
        sb.extend(b.MANAGER, [], 30)
    assert info.value.field == "codes"
    with pytest.raises(BoardInputError, match="Extend by: choose 7, 30, 60, 365") as info:
        sb.extend(b.MANAGER, ["1"], 31)
    assert info.value.field == "days"
    with pytest.raises(PermissionDenied):
        sb.extend(b.VIEWER, ["1"], 30)


def test_extend_many_sends_each_once_and_audits(store: Store) -> None:
    world = World(store)
    ads = world.ads()
    videos = [v for v in world.videos if v == world.accepted()]
    video = videos[0]
    ads.request(b.MANAGER, video, 7)
    world.sandbox.advance(100)
    world.refresh_spark()
    sb = SparkBoard(store, world.client, now=world.sandbox.clock.now)
    listed = sb.codes(b.VIEWER)
    assert [r.video_id for r in listed] == [video] and listed[0].live
    before = listed[0].auth_code_end_time
    outcome = sb.extend(b.MANAGER, [video, video, "99999"], 30)
    assert [r.ok for r in outcome.results] == [True, False]
    assert "not a published post" in outcome.results[1].message
    again = sb.extend(b.MANAGER, [video], 30)  # a double click
    assert again.results[0].already
    assert world.sent.count((video, 30, True)) == 1
    assert ("spark.extend", video) in [(a, t) for a, t, _ in world.audit()]
    world.sandbox.advance(100)
    world.refresh_spark()
    after = sb.codes(b.VIEWER)[0].auth_code_end_time
    assert before is not None and after is not None and after > before
