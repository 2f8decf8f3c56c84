"""Orders service: validation, limits, exactly once under concurrency, timeouts and crashes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.builders import MANAGER, VIEWER
from tests.builders.campaigns import GOOD, NOW, Spy, audit, count, make_client, seed_creators
from tests.builders.cli import cli
from tests.refresh.conftest import cli_env, loopback_sandbox
from ttcm.api import errors as api_errors
from ttcm.auth import PermissionDenied
from ttcm.refresh.run import Refresher
from ttcm.sandbox import SandboxApp
from ttcm.services.campaigns.service import Campaigns
from ttcm.services.links import Links
from ttcm.services.orders.messages import UNCONFIRMED_NEW
from ttcm.services.orders.request import OrderError, OrderRequest
from ttcm.services.orders.service import Orders
from ttcm.store import Store
from ttcm.store import models as m


class World:
    """A store with cached creators, a campaign on the sandbox, and a spying client factory."""

    def __init__(self, store: Store, app: SandboxApp) -> None:
        self.store, self.app = store, app
        self.kinds = seed_creators(store, app)
        self.spy = Spy(app)
        self.campaign = Campaigns(store, self.spy).create(MANAGER, GOOD).pk
        self.orders = self.service()
        self.links = Links(store, self.spy, wait_seconds=10.0)

    def service(self, **kwargs: Any) -> Orders:
        """An Orders service on this world (another session, when called again)."""
        return Orders(self.store, self.spy, **{"wait_seconds": 10.0, **kwargs})

    def request(self, handles: list[str], **kwargs: Any) -> OrderRequest:
        """An order request for this world's campaign."""
        return OrderRequest(self.campaign, handles, **kwargs)

    def remote_orders(self) -> dict[str, int]:
        """Orders per handle as TikTok (the sandbox) holds them."""
        out: dict[str, int] = {}
        for o in self.app.state.orders.values():
            h = self.app.directory.handles[int(o["creator"])]
            out[h] = out.get(h, 0) + 1
        return out


@pytest.fixture
def world(store, sbx) -> World:
    return World(store, sbx)


@pytest.fixture
def lite(sqlite_store, sbx) -> World:
    """A world on SQLite only, for checks that do not depend on the database."""
    return World(sqlite_store, sbx)


def _order_intents(store: Store) -> list[Any]:
    with store.read() as conn:
        return conn.execute(select(m.WriteIntent).where(m.WriteIntent.kind == "order.create")).all()


# ---------------------------------------------------------------- validation


def test_every_bad_field_is_named_and_nothing_is_sent(lite: World) -> None:
    ok = lite.kinds["ttcm"][:2]
    sent_before = lite.app.requests
    cases = [
        (dict(handles=[]), "handles", "choose at least one creator"),
        (dict(handles="abc"), "handles", "choose at least one creator"),
        (dict(handles=["<script>alert(1)</script>"]), "handles", "not a TikTok handle"),
        (dict(handles=["🎯"]), "handles", "not a TikTok handle"),
        (dict(handles=["a b"]), "handles", "not a TikTok handle"),
        (dict(handles=[f"h{i}" for i in range(1001)]), "handles", "at most 1,000"),
        (dict(video_number=0), "video_number", "from 1 to 10"),
        (dict(video_number=11), "video_number", "from 1 to 10"),
        (dict(video_number=True), "video_number", "from 1 to 10"),
        (dict(video_number="3"), "video_number", "from 1 to 10"),
        (dict(deliverable_names=["a", "b"]), "deliverable_names", "2 names for 1 video"),
        (dict(deliverable_names=["x" * 61]), "deliverable_names[1]", "at most 60"),
        (dict(deliverable_names=["two\nlines"]), "deliverable_names[1]", "line breaks"),
        (dict(deliverable_names=[None, 7], video_number=2), "deliverable_names[2]", "text"),
        (dict(spark_days=[14]), "spark_days[1]", "7, 30, 60 or 365"),
        (dict(spark_days=[True]), "spark_days[1]", "7, 30, 60 or 365"),
        (dict(spark_days=[30, 30]), "spark_days", "2 Spark Ads settings for 1 video"),
        (dict(campaign_pk=999), "campaign", "no such campaign"),
        (dict(campaign_pk="1"), "campaign", "no such campaign"),
    ]
    for change, field, problem in cases:
        with pytest.raises(OrderError) as caught:
            lite.orders.create(MANAGER, replace(lite.request(ok), **change))
        assert problem in caught.value.errors[field], (change, caught.value.errors)
    assert lite.app.requests == sent_before and not _order_intents(lite.store)


def test_the_campaign_needs_its_ttcm_section_and_must_not_be_archived(lite: World) -> None:
    with lite.store.write() as conn:
        pk = conn.execute(
            m.Campaign.__table__.insert()
            .values(campaign_name="From TikTok", created_at=NOW, updated_at=NOW)
            .returning(m.Campaign.id)
        ).scalar_one()
    with pytest.raises(OrderError, match="fill the TTCM section"):
        lite.orders.create(MANAGER, OrderRequest(pk, lite.kinds["ttcm"][:1]))
    Campaigns(lite.store, lite.spy).archive(MANAGER, lite.campaign)
    with pytest.raises(OrderError, match="archived"):
        lite.orders.create(MANAGER, lite.request(lite.kinds["ttcm"][:1]))
    assert not lite.spy.sent("order_create")


def test_a_viewer_cannot_order(lite: World) -> None:
    with pytest.raises(PermissionDenied):
        lite.orders.create(VIEWER, lite.request(lite.kinds["ttcm"][:1]))
    with pytest.raises(PermissionDenied):
        lite.links.tie_post(VIEWER, "SBX000001AA", "123")
    assert not lite.spy.sent("order_create") and not _order_intents(lite.store)


# ---------------------------------------------------------------- create


def test_orders_are_created_with_link_code_deliverables_and_audit(world: World) -> None:
    handles = world.kinds["ttcm"][:3]
    out = world.orders.create(
        MANAGER,
        world.request(
            [f"@{handles[0].upper()}", *handles[1:]],
            video_number=3,
            deliverable_names=["Unboxing", "  ", "Review 🎥"],
            spark_days=[30, 0],
        ),
    )
    assert sorted(o["handle_name"] for o in out.created) == sorted(handles)
    assert {o["status"] for o in out.created} == {"ORDER_CREATED"}
    [code] = {o["campaign_code"] for o in out.created}
    [link] = {o["invite_link"] for o in out.created}
    assert world.app.state.codes[code]["invite_link"] == link
    listed = {o["handle_name"]: o for o in world.orders.list(VIEWER, world.campaign)}
    assert set(listed) == set(handles)
    first = listed[handles[0]]
    assert (first["status_label"], first["video_number"], first["invite_link"]) == (
        "Order Created",
        3,
        link,
    )
    assert [(d["deliverable_name"], d["spark_days"]) for d in first["deliverables"]] == [
        ("Unboxing", 30),
        ("Video 2", 0),
        ("Review 🎥", 60),  # a deliverable without a setting takes the campaign's default
    ]
    remote = world.app.state.codes[code]["deliverables"]
    assert [d["spark_ads_requested_authorization_days"] for d in remote] == [30, 0, 60]
    # a new code starts with one order, then the rest follow on that code
    assert [len(h) for h in world.spy.sent("order_create")] == [1, 2]
    # one request, one audit entry, though it took two calls (each request id is kept)
    [entry] = audit(world.store, "order.create")
    assert entry.request_id and len(entry.detail["request_ids"]) == 2
    assert sorted(entry.detail["handles"]) == sorted(handles)
    assert sorted(entry.detail["orders"]) == sorted(o["order_id"] for o in out.created)
    members = Campaigns(world.store, world.spy).creators(VIEWER, world.campaign)
    assert {o["handle_name"] for o in members} == set(handles)


def test_unsupported_and_unknown_creators_are_refused_and_never_sent(lite: World) -> None:
    ttcm, other = lite.kinds["ttcm"][0], lite.kinds["auth_nonttcm"][0]
    bad = lite.kinds["unsupported"][0]
    out = lite.orders.create(MANAGER, lite.request([ttcm, other, bad, "not_cached_1"]))
    assert sorted(o["handle_name"] for o in out.created) == sorted([ttcm, other])
    assert "Invite the creator to TTCM, or ask them to authenticate" in out.refused[bad]
    assert out.refused["not_cached_1"].startswith("Not in the cache")
    sent = [h for batch in lite.spy.sent("order_create") for h in batch]
    assert bad not in sent and "not_cached_1" not in sent


def test_creators_tiktok_would_refuse_are_not_ordered_and_say_why(lite: World) -> None:
    """11.7: known failed rules refuse before sending; TikTok's 40121 names the creator."""
    ttcm = lite.kinds["ttcm"][:2]
    known, hidden = lite.kinds["under_18"][:2]
    with lite.store.write() as conn:  # the cache knows one of them is under 18
        conn.execute(
            m.Creator.__table__.update()
            .where(m.Creator.handle_name == known)
            .values(age_verified_18=False)
        )
    out = lite.orders.create(MANAGER, lite.request([ttcm[0], known, hidden, ttcm[1]]))
    assert sorted(o["handle_name"] for o in out.created) == sorted(ttcm)
    assert "18 or older" in out.refused[known] and "Choose another creator" in out.refused[known]
    sent = [h for batch in lite.spy.sent("order_create") for h in batch]
    assert known not in sent  # refused before anything was sent
    assert "TikTok refuses orders" in out.refused[hidden] and "18 or older" in out.refused[hidden]
    assert set(lite.remote_orders()) == set(ttcm)
    rows = {
        r["handle_name"]: r for r in Campaigns(lite.store, lite.spy).creators(VIEWER, lite.campaign)
    }
    assert hidden not in rows or rows[hidden]["order_block"] is None
    assert not lite.orders.unconfirmed(VIEWER, lite.campaign)  # a refusal is definite
    again = lite.orders.create(MANAGER, lite.request([hidden]))
    assert "TikTok refuses orders" in again.refused[hidden]  # sent again, refused again


def test_the_same_request_again_sends_nothing(world: World) -> None:
    handles = world.kinds["ttcm"][:3]
    first = world.orders.create(MANAGER, world.request(handles))
    again = world.orders.create(MANAGER, world.request([*handles, world.kinds["ttcm"][3]]))
    assert sorted(o["order_id"] for o in again.existing) == sorted(
        o["order_id"] for o in first.created
    )
    assert [o["handle_name"] for o in again.created] == [world.kinds["ttcm"][3]]
    assert sum(len(b) for b in world.spy.sent("order_create")) == 4
    assert all(n == 1 for n in world.remote_orders().values())


def test_two_sessions_submitting_the_same_orders_at_once_create_each_once(world: World) -> None:
    handles = world.kinds["ttcm"][:5]
    start = threading.Barrier(2)
    outcomes: list[Any] = []

    def submit() -> None:
        service = world.service()
        start.wait()
        outcomes.append(service.create(MANAGER, world.request(handles, video_number=2)))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert world.remote_orders() == dict.fromkeys(handles, 1)
    assert sum(len(b) for b in world.spy.sent("order_create")) == 5
    ids = [sorted(o["order_id"] for o in out.orders) for out in outcomes]
    assert ids[0] == ids[1] and len(ids[0]) == 5
    assert not outcomes[0].failed and not outcomes[1].failed


# ---------------------------------------------------------------- ambiguous sends


def test_a_timeout_on_a_known_code_is_looked_up_not_sent_again(world: World) -> None:
    first = world.kinds["ttcm"][0]
    world.orders.create(MANAGER, world.request([first]))
    later = world.kinds["ttcm"][1:4]
    world.spy.fault_next["order_create"] = {"timeout": 1.0}
    out = world.orders.create(MANAGER, world.request(later))
    assert set(out.unconfirmed) == set(later) and not out.created
    assert "cannot create a duplicate" in out.unconfirmed[later[0]]
    assert world.remote_orders() == dict.fromkeys([first, *later], 1)  # TikTok has them
    assert [u["handle_name"] for u in world.orders.unconfirmed(VIEWER, world.campaign)] == sorted(
        later
    )
    retry = world.orders.create(MANAGER, world.request(later))
    assert sorted(o["handle_name"] for o in retry.existing) == sorted(later)
    assert not retry.created and len(world.spy.sent("order_create")) == 2  # no third send
    assert world.remote_orders() == dict.fromkeys([first, *later], 1)
    assert world.orders.unconfirmed(VIEWER, world.campaign) == []
    [entry] = audit(world.store, "order.reconcile")
    assert entry.request_id and sorted(entry.detail["handles"]) == sorted(later)
    assert len(audit(world.store, "order.create_unconfirmed")) == 1


def test_a_timeout_starting_a_new_code_waits_for_recovery_by_code(world: World) -> None:
    handle = world.kinds["ttcm"][0]
    world.spy.fault_next["order_create"] = {"timeout": 1.0}
    out = world.orders.create(MANAGER, world.request(world.kinds["ttcm"][:3]))
    assert out.unconfirmed == {handle: UNCONFIRMED_NEW}
    assert set(out.failed) == set(world.kinds["ttcm"][1:3])  # not sent after the doubt
    again = world.orders.create(MANAGER, world.request([handle]))
    assert again.unconfirmed == {handle: UNCONFIRMED_NEW}  # no code to look up: not resent
    assert len(world.spy.sent("order_create")) == 1
    [open_one] = world.orders.unconfirmed(VIEWER, world.campaign)
    assert open_one["new_code"] and open_one["handle_name"] == handle
    with pytest.raises(OrderError, match="campaign_code"):
        world.orders.recover(MANAGER, world.campaign, "<b>code</b>")
    with pytest.raises(OrderError, match="no orders"):
        world.orders.recover(MANAGER, world.campaign, "SBX999999ZZ")
    [code] = list(world.app.state.codes)  # what TikTok One shows the manager
    recovered = world.orders.recover(MANAGER, world.campaign, code)
    assert [o["handle_name"] for o in recovered.existing] == [handle]
    assert world.orders.unconfirmed(VIEWER, world.campaign) == []
    assert audit(world.store, "order.recover")[0].request_id
    rest = world.orders.create(MANAGER, world.request(world.kinds["ttcm"][:3]))
    assert [o["handle_name"] for o in rest.existing] == [handle]
    assert len(rest.created) == 2 and world.remote_orders() == dict.fromkeys(
        world.kinds["ttcm"][:3], 1
    )
    assert {o["campaign_code"] for o in rest.orders} == {code}


def test_an_unconfirmed_new_code_can_be_resent_on_request(world: World) -> None:
    handle = world.kinds["ttcm"][0]
    # the request timed out before TikTok received it (nothing there to recover)
    world.spy.fault_next["order_create"] = api_errors.APITimeoutError("timed out", sent=True)
    out = world.orders.create(MANAGER, world.request([handle]))
    assert out.unconfirmed == {handle: UNCONFIRMED_NEW} and not world.remote_orders()
    resent = world.orders.resend_unconfirmed(MANAGER, world.campaign)
    assert [o["handle_name"] for o in resent.created] == [handle]
    assert world.remote_orders() == {handle: 1}
    assert world.orders.unconfirmed(VIEWER, world.campaign) == []


def test_a_crash_between_sending_and_recording_never_makes_a_second_order(
    world: World, monkeypatch
) -> None:
    first = world.kinds["ttcm"][0]
    world.orders.create(MANAGER, world.request([first]))
    later = world.kinds["ttcm"][1:3]

    class Crash(BaseException):
        """The process dies between TikTok's answer and the store's commit."""

    from ttcm.services.orders.record import OrderRecorder

    original = OrderRecorder.save

    def save(self: OrderRecorder, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("created"):
            raise Crash
        original(self, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(OrderRecorder, "save", save)
        with pytest.raises(Crash):
            world.service().create(MANAGER, world.request(later))
    assert world.remote_orders() == dict.fromkeys([first, *later], 1)
    assert {r.status for r in _order_intents(world.store)} == {"done", "pending"}
    busy = world.service(wait_seconds=0.2).create(MANAGER, world.request(later))
    assert set(busy.failed) == set(later) and "another session" in busy.failed[later[0]]
    after = world.service(stale_after=timedelta(0)).create(MANAGER, world.request(later))
    assert sorted(o["handle_name"] for o in after.existing) == sorted(later)
    assert len(world.spy.sent("order_create")) == 2
    assert world.remote_orders() == dict.fromkeys([first, *later], 1)
    assert {r.status for r in _order_intents(world.store)} == {"done"}


def test_an_order_tiktok_already_holds_on_the_code_is_adopted(lite: World) -> None:
    first, other = lite.kinds["ttcm"][:2]
    made = lite.orders.create(MANAGER, lite.request([first]))
    code = made.created[0]["campaign_code"]
    with make_client(lite.app) as client:  # e.g. someone ordered in TikTok One meanwhile
        direct = client.order_create(
            GOOD.brand_name,
            GOOD.description,
            [other],
            deliverables=lite.app.state.codes[code]["deliverables"],
            campaign_code=code,
        )
    out = lite.orders.create(MANAGER, lite.request([other]))
    assert [o["order_id"] for o in out.existing] == [direct.value.orders[0].order_id]
    assert lite.remote_orders() == {first: 1, other: 1}


def test_a_throttled_send_is_failed_and_can_be_sent_again(lite: World) -> None:
    handle = lite.kinds["ttcm"][0]
    lite.spy.fault_next["order_create"] = api_errors.RateLimitError(40100, "QPS", "r-9")
    out = lite.orders.create(MANAGER, lite.request([handle]))
    assert "throttling" in out.failed[handle] and not lite.remote_orders()
    assert audit(lite.store, "order.create_failed")[0].request_id == "r-9"
    again = lite.orders.create(MANAGER, lite.request([handle]))
    assert [o["handle_name"] for o in again.created] == [handle]


# ---------------------------------------------------------------- limits


def test_calls_carry_at_most_100_creators_and_codes_at_most_200_orders(world: World) -> None:
    handles = world.kinds["ttcm"][:250]
    out = world.orders.create(MANAGER, world.request(handles))
    assert len(out.created) == 250 and not (out.failed or out.unconfirmed or out.refused)
    sizes = [len(b) for b in world.spy.sent("order_create")]
    assert max(sizes) <= 100 and sizes == [1, 100, 99, 1, 49]
    codes = world.orders.codes(VIEWER, world.campaign)
    assert [(c.active, c.left) for c in codes] == [(200, 0), (50, 150)]
    [notice] = out.notices
    assert f"Campaign code {codes[0].campaign_code} is full (200 orders)" in notice
    assert world.remote_orders() == dict.fromkeys(handles, 1)
    more = world.orders.create(MANAGER, world.request(world.kinds["ttcm"][250:255]))
    assert {o["campaign_code"] for o in more.created} == {codes[1].campaign_code}
    assert world.orders.room(VIEWER, world.request(["x"])) == 145


def test_other_deliverables_start_a_code_of_their_own(lite: World) -> None:
    a, b = lite.kinds["ttcm"][:2]
    lite.orders.create(MANAGER, lite.request([a]))
    out = lite.orders.create(MANAGER, lite.request([b], video_number=2))
    assert out.notices == [
        "These deliverables differ from those of the campaign's codes (a code keeps its first "
        "order's deliverables): a new campaign code was started."
    ]
    codes = lite.orders.codes(VIEWER, lite.campaign)
    assert len(codes) == 2 and [len(c.deliverables) for c in codes] == [1, 2]
    assert lite.orders.room(VIEWER, lite.request(["x"], video_number=2)) == 199


# ---------------------------------------------------------------- statuses and tied posts


def test_status_follows_the_order_as_the_clock_moves(world: World) -> None:
    handles = world.kinds["ttcm"][:6]
    world.orders.create(MANAGER, world.request(handles, video_number=2))
    world.app.advance(24 * 12)
    with make_client(world.app) as client:
        report = Refresher(world.store, client).run(["orders", "posts"])
    assert report.status == "ok", report.error
    statuses = {o["status"] for o in world.orders.list(VIEWER, world.campaign)}
    assert "ORDER_CREATED" not in statuses and statuses <= {"COMPLETED", "DECLINED", "IN_PROGRESS"}
    assert count(world.store, m.Post, m.Post.campaign_pk == world.campaign) > 0
    assert world.orders.refresh_statuses(MANAGER, world.campaign) == 0  # already current


def test_a_declined_order_keeps_the_reason_tiktok_gives(lite: World) -> None:
    """11.13: a declined order showed no reason."""
    handles = lite.kinds["ttcm"][:40]
    lite.orders.create(MANAGER, lite.request(handles))
    lite.app.advance(24 * 4)  # every creator has decided
    lite.orders.refresh_statuses(MANAGER, lite.campaign)
    rows = lite.orders.list(VIEWER, lite.campaign)
    declined = [o for o in rows if o["status"] == "DECLINED"]
    assert declined and all(o["decline_reason"] for o in declined)
    assert all(o["decline_reason"] is None for o in rows if o["status"] != "DECLINED")
    with make_client(lite.app) as client:  # the refresh records it too
        assert Refresher(lite.store, client).run(["orders"]).status == "ok"
    again = {o["order_id"]: o["decline_reason"] for o in lite.orders.list(VIEWER, lite.campaign)}
    assert all(again[o["order_id"]] == o["decline_reason"] for o in declined)


def test_a_declined_creator_is_replaced_once_with_the_same_deliverables(lite: World) -> None:
    """11.13: a declined creator could not be replaced."""
    handles = lite.kinds["ttcm"][:40]
    lite.orders.create(
        MANAGER, lite.request(handles, video_number=2, deliverable_names=["Intro", "Demo"])
    )
    lite.app.advance(24 * 4)
    lite.orders.refresh_statuses(MANAGER, lite.campaign)
    [gone, *_] = [o for o in lite.orders.list(VIEWER, lite.campaign) if o["status"] == "DECLINED"]
    spare = lite.kinds["ttcm"][40]
    with pytest.raises(PermissionDenied):
        lite.orders.replace(VIEWER, lite.campaign, gone["handle_name"], spare)
    with pytest.raises(OrderError, match="only a declined order"):
        lite.orders.replace(MANAGER, lite.campaign, spare, lite.kinds["ttcm"][41])
    with pytest.raises(OrderError, match="choose another creator"):
        lite.orders.replace(MANAGER, lite.campaign, gone["handle_name"], gone["handle_name"])
    sent_before = len(lite.spy.sent("order_create"))
    first = lite.orders.replace(MANAGER, lite.campaign, gone["handle_name"], spare)
    again = lite.orders.replace(MANAGER, lite.campaign, gone["handle_name"], spare)  # double click
    assert [o["handle_name"] for o in first.created] == [spare] and not again.created
    assert [o["handle_name"] for o in again.existing] == [spare]
    assert len(lite.spy.sent("order_create")) == sent_before + 1
    new = next(o for o in lite.orders.list(VIEWER, lite.campaign) if o["handle_name"] == spare)
    assert [d["deliverable_name"] for d in new["deliverables"]] == ["Intro", "Demo"]
    [entry] = audit(lite.store, "order.replace")
    assert entry.detail["replaces"] == gone["handle_name"] and entry.detail["handles"] == [spare]


def test_codes_and_room_check_the_role(lite: World) -> None:
    """Issue 13: `codes` and `room` took no principal."""
    nobody = None
    with pytest.raises(PermissionDenied):
        lite.orders.codes(nobody, lite.campaign)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        lite.orders.room(nobody, lite.request(["x"]))  # type: ignore[arg-type]
    assert lite.orders.codes(VIEWER, lite.campaign) == []


def test_spark_ads_chosen_per_deliverable_follows_the_post(lite: World) -> None:
    """11.4: Spark Ads chosen at order creation never reached the Spark Ads tab."""
    from ttcm.services.spark import SparkAds

    handles = lite.kinds["ttcm"][:12]
    lite.orders.create(
        MANAGER,
        lite.request(handles, video_number=2, deliverable_names=["A", "B"], spark_days=[60, 0]),
    )
    lite.app.advance(24 * 12)
    with make_client(lite.app) as client:  # the posts first: requested at once, before spark
        assert Refresher(lite.store, client).run(["orders", "posts"]).status == "ok"
    early = SparkAds(lite.store, lite.spy).table(VIEWER, lite.campaign)
    assert {r["auth_status"] for r in early if r["requested_with_order"]} == {"WAITING"}
    with make_client(lite.app) as client:
        report = Refresher(lite.store, client).run(["spark"])
    assert report.status == "ok", report.error
    with lite.store.read() as conn:
        position = dict(
            conn.execute(
                select(m.Deliverable.video_id, m.Deliverable.position).where(
                    m.Deliverable.video_id.is_not(None)
                )
            ).all()
        )
    rows = SparkAds(lite.store, lite.spy).table(VIEWER, lite.campaign)
    first = [r for r in rows if position.get(r["video_id"]) == 1]
    second = [r for r in rows if position.get(r["video_id"]) == 2]
    assert first and second
    assert all(r["auth_status"] in ("WAITING", "ACCEPTED", "REJECTED") for r in first)
    assert all(r["requested_authorization_days"] == 60 for r in first)
    assert all(r["auth_status"] is None for r in second)  # 0 days: not requested


def test_a_published_post_is_tied_through_the_campaign_code(world: World) -> None:
    handle = world.kinds["ttcm"][0]
    code = world.orders.create(MANAGER, world.request([handle])).created[0]["campaign_code"]
    with make_client(world.app) as client:
        videos = [p.video_id for p in client.iter_public_videos(handle)][:4]
    tied = [
        world.links.tie_post(MANAGER, code, f"https://www.tiktok.com/@{handle}/video/{vid}")
        for vid in videos
    ]
    assert {t["status"] for t in tied} == {"IN_REVIEW"} and not any(t["already"] for t in tied)
    again = world.links.tie_post(MANAGER, code, videos[0])
    assert again["already"] and len(world.spy.sent("campaign_link")) == len(videos)
    entries = audit(world.store, "post.tie")
    assert len(entries) == len(videos) and all(e.request_id for e in entries)
    world.app.advance(80)
    with make_client(world.app) as client:
        assert Refresher(world.store, client).run(["campaigns", "posts"]).status == "ok"
    rows = {r["video_id"]: r for r in world.links.tied_posts(VIEWER, world.campaign)}
    assert set(rows) == set(videos)
    approved = [v for v, r in rows.items() if r["status"] == "APPROVE"]
    assert approved, "the sandbox approves about 3 in 4 link requests"
    for vid in approved:
        assert rows[vid]["status_label"] == "Tied to the campaign"
        assert rows[vid]["handle_name"] == handle and rows[vid]["video_views"] is not None
    with world.store.read() as conn:
        post_campaigns = set(
            conn.execute(select(m.Post.campaign_pk).where(m.Post.video_id.in_(approved))).scalars()
        )
    assert post_campaigns == {world.campaign}


def test_tying_a_post_validates_first_and_names_the_field(lite: World) -> None:
    handle = lite.kinds["ttcm"][0]
    code = lite.orders.create(MANAGER, lite.request([handle])).created[0]["campaign_code"]
    for code_in, video, field in [
        ("<script>", "123", "campaign_code"),
        (code, "'; DROP TABLE posts; --", "video_id"),
        (code, "", "video_id"),
        ("SBX999999ZZ", "123", "campaign_code"),
    ]:
        with pytest.raises(OrderError) as caught:
            lite.links.tie_post(MANAGER, code_in, video)
        assert field in caught.value.errors
    assert not lite.spy.sent("campaign_link")
    with pytest.raises(OrderError, match="no published video"):
        lite.links.tie_post(MANAGER, code, "7100000000000000001")
    assert count(lite.store, m.LinkStatus) == 0


# ---------------------------------------------------------------- command line


def test_cli_campaigns_and_two_identical_orders_create_at_once(tmp_path) -> None:
    """`campaigns create|list`, `orders create|list`; two runs at once make one order each."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with loopback_sandbox("--creators", "3000", "--seed", "13", "--qps", "1000") as base:
        env = cli_env(url, base)
        made = cli(env, "campaigns", "create", "--name", "Autumn", "--brand-name", "Acme",
                   "--description", "Jackets", "--spark-days", "7", "--format", "json")  # fmt: skip
        assert made.returncode == 0, made.stderr
        [campaign] = json.loads(made.stdout)
        campaign_id = campaign["campaign_id"]
        assert campaign["spark_ads_requested_authorization_days"] == 7
        bad = cli(env, "campaigns", "create", "--name", "X", "--brand-name", "B" * 61,
                  "--description", "D")  # fmt: skip
        assert bad.returncode == 1 and bad.stderr.count("\n") == 1
        assert "brand_name: at most 60 characters" in bad.stderr
        listed = cli(env, "campaigns", "list", "--format", "json")
        assert [r["campaign_id"] for r in json.loads(listed.stdout)] == [campaign_id]
        store = Store.from_url(url)
        kinds = seed_creators(store, SandboxApp(n_creators=3000, seed=13))
        handles = ",".join(kinds["ttcm"][:5])
        args = ["orders", "create", "--campaign", campaign_id, "--handles", handles,
                "--videos", "2", "--deliverables", "Unboxing,Review", "--spark-days", "7",
                "--format", "json"]  # fmt: skip
        cmd = [sys.executable, "-m", "ttcm.cli", *args]
        procs = [
            subprocess.Popen(
                cmd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        results = [(p.wait(120), *p.communicate()) for p in procs]
        for code, _out, err in results:
            assert code == 0, err
        rows = [json.loads(out) for _, out, _ in results]
        assert {r["order_id"] for r in rows[0]} == {r["order_id"] for r in rows[1]}
        assert len({r["order_id"] for r in rows[0]}) == 5
        assert sorted(r["result"] for r in rows[0] + rows[1]) == ["created"] * 5 + ["existing"] * 5
        assert all(r["invite_link"] and r["campaign_code"] for r in rows[0])
        listed = cli(env, "orders", "list", "--campaign", campaign_id, "--format", "json")
        assert listed.returncode == 0, listed.stderr
        [first] = [
            r for r in json.loads(listed.stdout) if r["handle_name"] == rows[0][0]["handle_name"]
        ]
        assert first["deliverables"] == "Unboxing, Review" and first["status"] == "ORDER_CREATED"
        bad = cli(env, "orders", "create", "--campaign", campaign_id, "--handles", "x",
                  "--videos", "11")  # fmt: skip
        assert bad.returncode == 1 and "video_number: a whole number from 1 to 10" in bad.stderr
        assert bad.stderr.count("\n") == 1
        unknown = cli(env, "orders", "list", "--campaign", "nope")
        assert unknown.returncode == 1 and "no campaign with id 'nope'" in unknown.stderr
        store.dispose()
