"""The Posts & performance page under AppTest: overview, published posts, Spark Ads tab, roles."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from tests.builders import as_read, signed_in
from tests.builders.posts import (
    NOW,
    add_creators,
    add_spring_campaign,
    post_row,
    seed_spring,
    video,
)
from ttcm.api.wire import WriteResult
from ttcm.store import models as m

PAGE = "app_pages/posts.py"


@pytest.fixture
def spring_pk(web_store) -> int:
    return seed_spring(web_store)


def page(principal, **params):
    at = signed_in(principal, PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def texts(at) -> str:
    parts = [str(x.value) for kind in ("error", "warning", "info", "success", "caption")
             for x in getattr(at, kind)]  # fmt: skip
    # as the reader sees it: the page escapes Markdown characters in data with a backslash
    return re.sub(r"\\(.)", r"\1", "\n".join(parts + [m.value for m in at.markdown]))


def metrics(at) -> dict[str, str]:
    return {mt.label: mt.value for mt in at.metric}


class FakeClient:
    """What the page may ask of TikTok: video lists and Spark Ads; records the requests."""

    sent: list[tuple[str, int, bool]] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def iter_public_videos(self, handle, limit=10):
        return iter([SimpleNamespace(**video("301")), SimpleNamespace(**video("302", 90))])

    iter_authorized_videos = iter_public_videos

    def spark_apply(self, video_id, days=30, extend=False):
        FakeClient.sent.append((video_id, days, extend))
        return WriteResult(None, f"req-{video_id}")

    def spark_status(self, video_id):
        return SimpleNamespace(
            video_id=video_id,
            auth_status="WAITING",
            auth_status_updated_time=None,
            num_remaining_request=28,
            requested_authorization_days=60,
            auth_code=None,
            auth_code_status=None,
            auth_code_start_time=None,
            auth_code_end_time=None,
        )


@pytest.fixture
def fake_tiktok(monkeypatch):
    FakeClient.sent = []
    monkeypatch.setattr("ttcm.runtime.make_client", lambda settings: FakeClient())
    # pages open clients through their PageContext's services
    monkeypatch.setattr("ttcm.web.context.make_client", lambda settings: FakeClient())
    return FakeClient


# ---------------------------------------------------------------- overview


def test_overview_shows_kpis_costs_and_charts(people, spring_pk) -> None:
    at = page(people["viewer"], campaign=str(spring_pk))
    assert not at.exception
    shown = metrics(at)
    assert shown["Views"] == "6,500"
    assert shown["Engagement rate"] == "5.00%"
    assert shown["Posts delivered vs ordered (declined orders not counted)"] == "3"
    assert shown["Creator cost (agreed fees)"] == "500.00 USD"
    assert shown["CPM (per 1,000 views)"] == "76.92 USD"
    assert shown["Cost per view (budget)"] == "0.1538 USD"
    assert [p.value for p in at.get("progress")][:1] == [65]
    # pacing counts the same posts as the KPIs: cat's hand-added 500 views are in it
    assert "On track" in texts(at) and "21,667 views" in texts(at)
    # pacing, time, engagement rate, benchmark, retention, audience by gender vs target (the
    # KPIs' tiles and bars say what the report's KPI chart does)
    assert len(at.get("plotly_chart")) == 6
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Overview numbers (CSV)", "Posts (CSV)", "Report (HTML, works offline)"]
    [bench] = at.dataframe  # the benchmark table; the other tabs' tables did not run
    assert list(bench.value["creator"]) == ["@ana", "@ben", "@cat"]
    assert bench.value["views vs usual"].iloc[0] == pytest.approx(150.0)


def test_reruns_reuse_the_overview_until_the_data_changes(
    people, web_store, spring_pk, monkeypatch
) -> None:
    """Issue 15: a rerun on the same rows computes nothing again; a changed row shows at once."""
    from ttcm.web import memo, posts_overview

    memo.forget()
    computed: list[int] = []
    real = posts_overview.compute_overview

    def counting(*args, **kwargs):
        computed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(posts_overview, "compute_overview", counting)
    at = page(people["viewer"], campaign=str(spring_pk))
    at.run()
    assert not at.exception and metrics(at)["Views"] == "6,500"
    assert len(computed) == 1  # the second run read the same rows
    with web_store.write() as conn:  # a write outside any audited service or refresh
        conn.execute(update(m.Post).where(m.Post.video_id == "103").values(video_views=4000))
    at.run()
    assert metrics(at)["Views"] == "7,500"
    assert len(computed) == 2
    other = page(people["manager"], campaign=str(spring_pk))  # another session, same rows
    assert metrics(other)["Views"] == "7,500" and len(computed) == 2


def test_declined_orders_are_shown_apart_and_costs_use_agreed_fees(
    people, web_store, spring_pk
) -> None:
    """11.13: "delivered vs ordered 100 %" hid the declined order; costs were list prices."""
    from ttcm.services.fees import Fees

    with web_store.write() as conn:
        conn.execute(
            m.CampaignCreator.__table__.insert(),
            [{"campaign_pk": spring_pk, "handle_name": "ana", "added_at": NOW}],
        )
    Fees(web_store).set_fee(people["manager"], spring_pk, "ana", 100.0, "USD")
    at = page(people["viewer"], campaign=str(spring_pk))
    assert not at.exception
    shown = texts(at)
    assert "4 videos ordered · 1 declined · 3 delivered" in shown
    assert "4 ordered, 1 declined: over the 3 that stand" in shown
    tiles = metrics(at)
    assert tiles["Creator cost (agreed fees)"] == "300.00 USD"  # 100 agreed + ben's 200
    assert tiles["Spend vs budget"] == "30.00%"
    assert tiles["Remaining budget"] == "700.00 USD"


def test_unknown_numbers_show_a_dash_and_the_reason(people, web_store) -> None:
    pk = add_spring_campaign(
        web_store, budget=0.0, currency="USD", target_audience={"moods": {"x": 1}}
    )
    at = page(people["viewer"], campaign=str(pk))
    assert not at.exception
    shown = metrics(at)
    assert shown["Views"] == "—" and shown["Cost per view (budget)"] == "—"
    body = texts(at)
    assert "No published posts yet." in body
    assert "The cost is 0, so there is no cost per result to show." in body
    assert "Set the campaign's start and end dates to see pacing." in body
    assert "unknown dimension 'moods'" in body


def test_a_link_to_a_missing_campaign_falls_back_with_a_warning(people, spring_pk) -> None:
    at = page(people["viewer"], campaign="<script>", view="<b>nope</b>")
    assert not at.exception
    assert "does not exist" in texts(at)
    assert at.query_params["campaign"] in (str(spring_pk), [str(spring_pk)])
    assert len(at.get("plotly_chart")) == 6  # an unknown tab falls back to the overview


def test_no_campaigns_yet(people) -> None:
    at = page(people["viewer"])
    assert not at.exception and "No campaigns yet" in texts(at)


def test_the_time_chart_switches_to_daily_engagements(people, spring_pk) -> None:
    at = page(people["viewer"], campaign=str(spring_pk))
    at.segmented_control(key="posts_mode").set_value("Daily").run()
    at.segmented_control(key="posts_metric").set_value("Engagements").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 6


# ---------------------------------------------------------------- published posts


def test_published_posts_table_and_a_full_post(people, spring_pk) -> None:
    at = page(people["viewer"], campaign=str(spring_pk), view="Published posts")
    assert not at.exception
    [table] = at.dataframe
    frame = table.value
    assert len(frame) == 4 and set(frame["video"]) == {"101", "102", "103", "104"}
    cat = frame[frame["video"] == "104"].iloc[0]
    assert cat["views"] == 500 and cat["reach"] != cat["reach"]  # NaN: blank, not 0
    assert cat["tracked"] == "by hand (not auth.)"
    at.selectbox(key="posts_detail").set_value("101").run()
    shown = metrics(at)
    assert shown["Reach"] == "1,500" and shown["Average play time"] == "2.5 s"
    assert len(at.get("plotly_chart")) == 4  # retention, organic/paid, sources, gender
    assert "Audience age: Not reported yet." in texts(at)
    assert len(at.button) == 0  # viewers cannot add posts


def test_a_hand_added_post_explains_its_missing_metrics(people, spring_pk) -> None:
    at = page(people["viewer"], campaign=str(spring_pk), view="Published posts")
    at.selectbox(key="posts_detail").set_value("104").run()
    shown = metrics(at)
    assert shown["Views"] == "500" and shown["Reach"] == "—"
    body = texts(at)
    assert "Unavailable: Posts added by hand from a non-authenticated account" in body
    assert "View retention: Posts added by hand" in body
    assert len(at.get("plotly_chart")) == 0


def test_a_manager_adds_a_post_by_hand(people, spring_pk, web_store, fake_tiktok) -> None:
    at = page(people["manager"], campaign=str(spring_pk), view="Published posts")
    at.text_input(key="posts_handle").input("@ana").run()
    [load] = [b for b in at.button if b.label == "Load the creator's videos"]
    load.click().run()
    assert not at.exception
    at.selectbox(key="posts_video").set_value("302").run()
    [add] = [b for b in at.button if b.label == "Add to campaign"]
    add.click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 5
    with web_store.read() as conn:
        tracking = conn.execute(select(m.Post.tracking).where(m.Post.video_id == "302")).scalar()
    assert tracking == "manual_auth"


def test_a_creator_outside_the_campaign_cannot_add_a_post(
    people, spring_pk, web_store, fake_tiktok
) -> None:
    add_creators(web_store, {"handle_name": "zed", "is_tcm_creator": True})
    at = page(people["manager"], campaign=str(spring_pk), view="Published posts")
    at.text_input(key="posts_handle").input("@zed").run()
    [load] = [b for b in at.button if b.label == "Load the creator's videos"]
    load.click().run()
    assert not at.exception
    assert any("@zed is not a creator of this campaign" in e.value for e in at.error)
    assert not [s for s in at.selectbox if s.key == "posts_video"]  # nothing to add
    assert len(at.dataframe[0].value) == 4


def test_a_stray_post_counts_nowhere_and_can_be_removed(people, spring_pk, web_store) -> None:
    add_creators(web_store, {"handle_name": "zed", "is_tcm_creator": True})
    with web_store.write() as conn:
        conn.execute(
            m.Post.__table__.insert().values(
                **post_row("402", "zed", spring_pk, "manual_nonauth", video_views=1_030_000)
            )
        )
    at = page(people["viewer"], campaign=str(spring_pk))
    assert metrics(at)["Views"] == "6,500"
    assert "21,667 views" in texts(at)
    at = page(people["manager"], campaign=str(spring_pk), view="Published posts")
    assert any(
        "not in this campaign (@zed) are not counted" in as_read(w.value) for w in at.warning
    )
    assert len(at.dataframe[0].value) == 4
    [remove] = [b for b in at.button if b.key == "posts_stray_402"]
    remove.click().run()
    assert not at.exception and not at.warning
    with web_store.read() as conn:
        assert conn.execute(select(m.Post.video_id).where(m.Post.video_id == "402")).first() is None


def test_a_hostile_handle_gets_a_clear_message(people, spring_pk, fake_tiktok) -> None:
    at = page(people["manager"], campaign=str(spring_pk), view="Published posts")
    at.text_input(key="posts_handle").input("<img src=x onerror=alert(1)>").run()
    [load] = [b for b in at.button if b.label == "Load the creator's videos"]
    load.click().run()
    assert not at.exception
    assert any("is not a TikTok handle" in e.value for e in at.error)


# ---------------------------------------------------------------- Spark Ads


def test_spark_tab_shows_status_codes_and_days_left(people, spring_pk) -> None:
    at = page(people["viewer"], campaign=str(spring_pk), view="Spark Ads")
    assert not at.exception
    frame = at.dataframe[0].value
    by_video = frame.set_index("video")
    # statuses in words, not the API's codes (ACCEPTED, NOT_USED, WAITING)
    assert by_video.loc["101", "request"] == "accepted"
    assert by_video.loc["101", "code status"] == "not used yet"
    assert by_video.loc["103", "request"] == "waiting for the creator"
    assert by_video.loc["102", "request"] == "not requested"
    assert by_video.loc["102", "code status"] == "—"
    assert "NOT_USED" not in texts(at) and any("not used yet" in c.value for c in at.caption)
    assert [c.value for c in at.code] == ["#code101"]
    assert any("days left" in c.value for c in at.caption)
    assert len(at.form) == 0  # viewers cannot request


def test_a_manager_requests_spark_ads_for_a_selection(
    people, spring_pk, web_store, fake_tiktok
) -> None:
    at = page(people["manager"], campaign=str(spring_pk), view="Spark Ads")
    posts = at.multiselect(key="spark_posts")
    # the hand-added post (104) cannot be requested
    assert sorted(posts.options) == [
        "@ana · 101 · accepted",
        "@ana · 102 · not requested",
        "@ben · 103 · waiting for the creator",
    ]
    posts.set_value(["102", "103"])
    at.selectbox(key="spark_days").set_value(60)
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert sorted(fake_tiktok.sent) == [("102", 60, False), ("103", 60, False)]
    assert len(at.success) == 2
    at.multiselect(key="spark_posts").set_value(["102"])
    at.form_submit_button[0].click().run()
    assert any("Already requested today" in i.value for i in at.info)
    assert len(fake_tiktok.sent) == 2
    with web_store.read() as conn:
        audit = conn.execute(
            select(m.AuditEntry.target, m.AuditEntry.request_id).where(
                m.AuditEntry.action == "spark.apply"
            )
        ).all()
    assert sorted(audit) == [("102", "req-102"), ("103", "req-103")]


def test_refusals_are_shown_per_post(people, spring_pk, web_store, fake_tiktok) -> None:
    with web_store.write() as conn:
        conn.execute(
            update(m.SparkAuthorization)
            .where(m.SparkAuthorization.video_id == "103")
            .values(num_remaining_request=0)
        )
    at = page(people["manager"], campaign=str(spring_pk), view="Spark Ads")
    at.multiselect(key="spark_posts").set_value(["103"])
    at.form_submit_button[0].click().run()
    assert [re.sub(r"\\(.)", r"\1", e.value) for e in at.error] == [
        "Video 103: TikTok allows no more Spark Ads requests for this video."
    ]
    at.multiselect(key="spark_posts").set_value(["102"])
    at.checkbox(key="spark_ext").check()
    at.form_submit_button[0].click().run()
    assert "Only an accepted, unexpired authorization can be extended" in re.sub(
        r"\\(.)", r"\1", at.error[0].value
    )
    assert fake_tiktok.sent == []


def test_a_tile_too_narrow_for_a_long_count_or_amount_shows_it_compact_and_exact_in_help() -> None:
    """Rows of tiles cut "907,778,123" to "907,778,…" and "308,941.00 USD" to "308,941.00 …"."""
    from ttcm.domain.performance.values import Value
    from ttcm.web.posts_overview import tile_text

    assert tile_text(Value(907_778_123, "views"), 9) == ("907.8M", "Exactly 907,778,123 views.")
    assert tile_text(Value(6_500, "views", note="incl. 500 added by hand"), 9) == (
        "6,500",
        "incl. 500 added by hand",
    )
    assert tile_text(Value(308_941.0, "USD"), 11) == ("308.9k USD", "Exactly 308,941.00 USD.")
    assert tile_text(Value(-58_941.0, "USD"), 11) == ("-58.9k USD", "Exactly -58,941.00 USD.")
    assert tile_text(Value(0.0003, "USD"), 11) == ("0.0003 USD", None)
    assert tile_text(Value(12.3456, "%"), 3)[0] == Value(12.3456, "%").text()  # rates stay whole
    assert tile_text(Value(None, "views", reason="no posts yet"), 9)[0] == "—"
    with_note = tile_text(Value(1_234_567_890, "accounts", note="reach is estimated"), 9)
    assert with_note == ("1.2B", "Exactly 1,234,567,890 accounts. reach is estimated")
