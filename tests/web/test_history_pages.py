"""AppTest: history on the post view (cumulative views past day 21, the "stopped reporting"
note) and on the creator profile (follower growth, engagement rate over time)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.builders import as_read, signed_in
from tests.builders.posts import NOW, add_creators, seed_spring
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.tables import table_of

POSTED = (NOW - timedelta(days=3)).date()  # post 101 of the spring campaign


def _post_snapshots(store: Store, vid: str, days: dict[int, tuple[int, bool]]) -> None:
    with store.write() as conn:
        conn.execute(
            table_of(m.PostSnapshot).insert(),
            [
                {"video_id": vid, "day": POSTED + timedelta(days=d), "video_views": v,
                 "reported": r}
                for d, (v, r) in days.items()
            ],
        )  # fmt: skip


def _charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _title(spec: dict) -> str:
    return spec["layout"]["title"]["text"]


def _open_post(people, pk: int, vid: str):
    at = signed_in(people["viewer"], "app_pages/posts.py")
    at.query_params["campaign"] = str(pk)
    at.query_params["view"] = "Published posts"
    at.run()
    at.selectbox(key="posts_detail").set_value(vid).run()
    assert not at.exception
    return at


def test_the_post_view_shows_views_past_day_21_and_when_tiktok_stopped(people, web_store) -> None:
    pk = seed_spring(web_store)
    _post_snapshots(
        web_store,
        "101",
        {1: (400, True), 10: (2100, True), 20: (2400, True), 22: (2400, False), 30: (2400, False)},
    )
    at = _open_post(people, pk, "101")
    stopped = (POSTED + timedelta(days=22)).isoformat()
    warnings = [as_read(w.value) for w in at.warning]
    assert f"TikTok stopped reporting this post on {stopped}; last values kept." in warnings
    [history] = [c for c in _charts(at) if _title(c) == "Cumulative views"]
    solid, kept = history["data"]
    assert solid["x"] == [1, 10, 20] and solid["y"] == [400, 2100, 2400]
    assert kept["x"] == [20, 22, 30] and kept["y"] == [2400, 2400, 2400]  # past day 21
    assert "Last values kept" in kept["name"]


def test_a_post_tiktok_still_reports_has_no_note(people, web_store) -> None:
    pk = seed_spring(web_store)
    _post_snapshots(web_store, "102", {1: (50, True), 2: (80, True)})
    at = _open_post(people, pk, "102")
    assert not any("stopped reporting" in str(w.value) for w in at.warning)
    [history] = [c for c in _charts(at) if _title(c) == "Cumulative views"]
    assert [t["name"] for t in history["data"]] == ["Reported by TikTok"]


def test_a_post_without_snapshots_says_when_its_history_starts(people, web_store) -> None:
    pk = seed_spring(web_store)
    at = _open_post(people, pk, "103")
    assert "The post's history starts with the next refresh." in [c.value for c in at.caption]
    assert "Cumulative views" not in [_title(c) for c in _charts(at)]


def test_the_profile_shows_follower_growth_and_engagement_over_time(people, web_store) -> None:
    add_creators(
        web_store,
        {"handle_name": "maya", "display_name": "=1+1 <b>Maya</b> 🎈", "is_tcm_creator": True,
         "is_authenticated": True, "followers_count": 12_500, "engagement_rate": 0.061},
    )  # fmt: skip
    with web_store.write() as conn:
        pk = (
            conn.execute(table_of(m.Creator).select().where(m.Creator.handle_name == "maya"))
            .first()
            .id
        )
        conn.execute(
            table_of(m.CreatorSnapshot).insert(),
            [
                {"creator_pk": pk, "day": date(2026, 3, d), "followers_count": f,
                 "engagement_rate": er}
                for d, f, er in ((1, 12_000, 0.05), (2, 12_200, None), (3, 12_500, 0.061))
            ],
        )  # fmt: skip
    at = signed_in(people["viewer"], "app_pages/creator.py")
    at.query_params["handle"] = "maya"
    at.run()
    assert not at.exception
    charts = {_title(c): c for c in _charts(at)}
    assert charts["Follower growth"]["data"][0]["y"] == [12_000, 12_200, 12_500]
    assert charts["Engagement rate over time"]["data"][0]["y"] == [5.0, None, 6.1]


def test_a_profile_with_one_snapshot_says_when_the_charts_appear(people, web_store) -> None:
    add_creators(web_store, {"handle_name": "solo", "is_tcm_creator": True})
    at = signed_in(people["viewer"], "app_pages/creator.py")
    at.query_params["handle"] = "solo"
    at.run()
    assert not at.exception
    assert any("appear after two daily refreshes" in c.value for c in at.caption)
    assert "Engagement rate over time" not in [_title(c) for c in _charts(at)]
