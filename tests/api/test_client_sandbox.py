"""The client against the in-process sandbox: every endpoint method, end to end.

The sandbox (`ttcm.sandbox`) implements the same contract independently, so these tests catch
drift between the client and the contract on either side.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from itertools import islice

import pytest

import ttcm.api as m
from tests.api.conftest import FakeClock, Sleeper
from ttcm import rules
from ttcm.api import RateLimiter, TikTokOneClient
from ttcm.api import errors as e

sandbox = pytest.importorskip("ttcm.sandbox", reason="the sandbox package is not available")
SandboxApp, SandboxClock, SandboxTransport = (
    sandbox.SandboxApp,
    sandbox.SandboxClock,
    sandbox.SandboxTransport,
)

BASE = "http://sandbox.local/open_api/v1.3"
TOKEN = "sandbox-client-token"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class VirtualClock(FakeClock):
    """Real monotonic time plus every sleep so far: sleeping costs nothing, time still runs."""

    def __call__(self) -> float:
        return time.monotonic() + super().__call__()


class Harness:
    """A fresh 2,000-creator sandbox (fixed clock) and a client whose backoffs are recorded."""

    def __init__(self, faults: dict[str, object] | None = None, **app_kwargs: object) -> None:
        self.app = SandboxApp(
            n_creators=2000, seed=3, qps=1000, qpm=100000, clock=SandboxClock(START), **app_kwargs
        )
        clock = VirtualClock(start=0.0)
        self.sleeps = Sleeper(clock)
        self.client = TikTokOneClient(
            BASE,
            TOKEN,
            transport=SandboxTransport(self.app),
            limiter=RateLimiter(1000, 100000, clock=clock, sleep=Sleeper(clock)),
            sleep=self.sleeps,
        )
        if faults is not None:
            assert self.client.account_id  # resolved before the faults start
            self.app.set_faults(faults)

    def advance(self, days: float) -> None:
        self.app.advance(days * 24)


@pytest.fixture
def sb() -> Harness:
    h = Harness()
    yield h
    h.client.close()


@pytest.fixture(scope="module")
def ro() -> Harness:
    """A harness shared by read-only tests."""
    h = Harness()
    yield h
    h.client.close()


def marketplace_handles(h: Harness, n: int, country: str = "US") -> list[str]:
    creators, _ = h.client.discover({"country_codes": [country]}, page_size=n)
    return [c.handle_name for c in creators]


# ---------------------------------------------------------------- accounts and labels


def test_account_is_resolved_and_described(ro: Harness) -> None:
    ids = ro.client.tcm_accounts()
    assert ro.client.account_id == ids[0]
    info = ro.client.account_info()
    assert info.tto_tcm_account_id == ids[0] and info.account_name


def test_labels_match_the_vocabulary(ro: Harness) -> None:
    vocab = rules.vocab()
    for kind in ("SEARCH", "RANKING"):
        labels = ro.client.labels(kind)
        assert [x.label_id for x in labels.content_labels] == [
            x["label_id"] for x in vocab["content_labels"]
        ]
        assert len(labels.industry_labels) == len(vocab["industry_labels"])


# ---------------------------------------------------------------- discovery


def test_discover_pages_and_the_result_cap(ro: Harness) -> None:
    creators, info = ro.client.discover({"country_codes": ["US"]}, page=1, page_size=50)
    assert len(creators) == 50 and info.page == 1 and info.page_size == 50
    assert info.total_number and info.total_number > 250
    everyone = list(ro.client.iter_discover({"country_codes": ["US"]}))
    cap = rules.limits()["discover_result_cap"]
    assert len(everyone) == cap
    assert len({c.handle_name for c in everyone}) == cap
    assert all(c.is_tcm_creator and c.country_code == "US" for c in everyone)
    assert all(c.audience_devices is None for c in everyone)  # not a discover field


def test_discover_filters_and_sorting(ro: Harness) -> None:
    filters = {
        "country_codes": ["GB", "DE"],
        "min_followers": 20000,
        "max_followers": 500000,
        "sort_field": "FOLLOWERS",
        "sort_order": "ASC",
    }
    creators = list(ro.client.iter_discover(filters, page_size=100))
    assert creators
    counts = [c.followers_count for c in creators]
    assert counts == sorted(counts)
    assert all(20000 <= n <= 500000 for n in counts)
    assert {c.country_code for c in creators} <= {"GB", "DE"}


def test_discover_outside_the_marketplace_countries(ro: Harness) -> None:
    with pytest.raises(e.CountryUnsupportedError) as info:
        ro.client.discover({"country_codes": ["XX"]})
    assert info.value.code == 40122 and info.value.request_id


def test_creator_status_in_batches(ro: Harness) -> None:
    handles = marketplace_handles(ro, 45)
    rows = ro.client.creator_status([*handles, "nobody.here.at.all"])
    assert [r.handle_name for r in rows] == [*handles, "nobody.here.at.all"]
    assert {r.status for r in rows[:-1]} == {"IN"}
    assert rows[-1].status == "INVALID"


def test_creator_public_and_videos(ro: Harness) -> None:
    handle = marketplace_handles(ro, 1)[0]
    creator = ro.client.creator_public(handle)
    assert creator.handle_name == handle and creator.creator_id
    assert creator.followers_count is not None and creator.median_views is not None
    posts = list(ro.client.iter_public_videos(handle, limit=4))
    assert posts and {p.handle_name for p in posts} == {handle}
    times = [p.create_time for p in posts]
    assert times == sorted(times, reverse=True)  # newest first, across cursor pages
    assert len({p.video_id for p in posts}) == len(posts)
    assert all(t is not None and t.tzinfo is not None for t in times)


def test_public_data_of_a_non_marketplace_creator(ro: Harness) -> None:
    outsider = next(c for c in ro.client.iter_authorized_creators() if not c.is_tcm_creator)
    assert outsider.account_kind == "auth_nonttcm"
    with pytest.raises(e.NotTTCMCreatorError):
        ro.client.creator_public(outsider.handle_name)


def test_authorized_creators_and_their_insights(ro: Harness) -> None:
    creators = list(islice(ro.client.iter_authorized_creators(), 150))  # crosses a page of 100
    assert len(creators) == 150
    assert all(c.is_authenticated and c.creator_id for c in creators)
    chosen = creators[0]
    full = ro.client.creator_authorized(chosen.creator_id)
    assert full.handle_name == chosen.handle_name
    assert full.audience_devices and full.account_type in ("PERSONAL", "BUSINESS")
    assert full.avg_views is None  # not an authorized field
    narrow = ro.client.creator_authorized(chosen.creator_id, fields=["bio"])
    assert narrow.bio is not None and narrow.creator_id == chosen.creator_id
    videos = list(islice(ro.client.iter_authorized_videos(chosen.creator_id, limit=3), 9))
    assert videos and all(isinstance(v, m.Post) for v in videos)
    with pytest.raises(e.PermissionDeniedError):
        ro.client.creator_authorized("1")
    with pytest.raises(e.InvalidRequestError):
        ro.client.creator_authorized(chosen.creator_id, fields=["shoe_size"])


# ---------------------------------------------------------------- brand profiles and campaigns


def test_brand_profile_create_and_list(sb: Harness) -> None:
    made = sb.client.brand_profile_create(
        "Acme",
        "14000000000",
        "https://acme.example",
        "https://acme.example/logo.png",
        "https://www.tiktok.com/@acme",
    )
    assert made.request_id and made.value.brand_name == "Acme"
    listed = list(sb.client.iter_brand_profiles())
    assert [b.brand_profile_id for b in listed] == [made.value.brand_profile_id]
    assert list(sb.client.iter_brand_profiles([made.value.brand_profile_id])) == listed


def test_campaigns_links_and_report(sb: Harness) -> None:
    handles = marketplace_handles(sb, 6)
    created = sb.client.campaign_create(
        "Spring glow",
        handles[:3] + ["nobody.here.at.all"],
        brand_name="Acme",
        campaign_description="Show your routine",
        default_spark_ads_requested_authorization_days=60,
    )
    campaign = created.value
    assert campaign.failed_handle_names == ["nobody.here.at.all"]
    assert set(campaign.handle_names) == set(handles[:3])
    assert campaign.invite_link and campaign.spark_ads_requested_authorization_days == 60
    updated = sb.client.campaign_update(campaign.campaign_id, handle_names=handles[:5])
    assert set(updated.value.handle_names) == set(handles[:5])
    for i in range(6):  # more campaigns than one page of 5
        sb.client.campaign_create(f"Extra {i}", [], brand_name="Acme")
    listed = list(sb.client.iter_campaigns())
    assert len(listed) == 7 and len({c.campaign_id for c in listed}) == 7
    assert [c.campaign_id for c in sb.client.iter_campaigns([campaign.campaign_id])] == [
        campaign.campaign_id
    ]
    video = next(sb.client.iter_public_videos(handles[5]))
    link = sb.client.campaign_link(campaign.campaign_id, video.video_id, "LINK")
    assert link.value.status == "IN_REVIEW" and link.value.campaign_id == campaign.campaign_id
    statuses = list(sb.client.iter_link_status([campaign.campaign_id]))
    assert [s.video_id for s in statuses] == [video.video_id]
    sb.advance(20)
    decided = list(sb.client.iter_link_status(handle_names=[handles[5]]))
    assert decided[0].status in ("APPROVE", "REJECTED", "IN_REVIEW")
    today = (START + timedelta(days=20)).date()
    report = list(
        sb.client.iter_campaign_report(campaign.campaign_id, today - timedelta(days=30), today)
    )
    assert all(isinstance(v, m.ReportVideo) for v in report)
    assert all(v.campaign_id == campaign.campaign_id and v.video_id for v in report)
    assert all(v.handle_name in handles for v in report)
    us_only = list(sb.client.iter_campaign_report(campaign.campaign_id, country_code="US"))
    assert len(us_only) == len(report)  # every member is a US creator
    with pytest.raises(e.NotFoundError):
        list(sb.client.iter_campaign_report("1"))


# ---------------------------------------------------------------- invitations, orders, Spark Ads


def test_invite_and_follow_the_status(sb: Harness) -> None:
    outsiders = [
        c.handle_name
        for c in islice(sb.client.iter_authorized_creators(), 400)
        if not c.is_tcm_creator
    ][:20]
    members = marketplace_handles(sb, 2)
    result = sb.client.invite(outsiders[:18] + members)
    assert result.request_id
    value = result.value
    assert set(value.in_tcm) == set(members)
    assert set(value.invited) | set(value.rejected) == set(outsiders[:18])
    assert set(value.reject_reasons) == set(value.rejected)
    if value.invited:
        rows = sb.client.creator_status(value.invited)
        assert {r.status for r in rows} == {"INVITED"}
    with pytest.raises(ValueError, match="at most 20"):
        sb.client.invite([f"h{i}" for i in range(21)])


def test_orders_report_and_spark_ads(sb: Harness) -> None:
    handles = marketplace_handles(sb, 3, country="GB")
    made = sb.client.order_create(
        "Acme",
        "Spring launch",
        handles,
        # 0 days: no Spark Ads with the order (a deliverable's days, 30 by default, become a
        # request when its video is posted: tests/sandbox/test_orders.py); this test asks by hand
        deliverables=[
            {"deliverable_name": "Unboxing", "spark_ads_requested_authorization_days": 0},
            {"deliverable_name": "Review", "spark_ads_requested_authorization_days": 0},
        ],
    )
    code = made.value.campaign_code
    assert len(made.value.orders) == 3 and made.value.remaining_orders == 197
    ids = [o.order_id for o in made.value.orders]
    by_id = list(sb.client.iter_orders(order_ids=ids))
    by_code = list(sb.client.iter_orders(campaign_code=code))
    by_link = list(sb.client.iter_orders(invite_link=made.value.invite_link))
    assert {o.order_id for o in by_id} == {o.order_id for o in by_code} == set(ids)
    assert {o.order_id for o in by_link} == set(ids)
    assert [d.deliverable_name for d in by_id[0].deliverables] == ["Unboxing", "Review"]
    with pytest.raises(e.DuplicateRequestError) as dup:
        sb.client.order_create("Acme", "Spring launch", handles[:1], campaign_code=code)
    assert dup.value.existing_order_ids == [made.value.orders[0].order_id]

    sb.advance(30)
    orders = list(sb.client.iter_orders(campaign_code=code))
    assert {o.status for o in orders} <= set(rules.vocab()["order_statuses"])
    start = START.date()
    rows = list(sb.client.iter_order_report(ids, start, start + timedelta(days=30)))
    assert all(r.order_id in ids and r.metrics.video_id for r in rows)
    posted = [vid for o in orders for vid in o.video_ids or ()]
    if not posted:
        pytest.skip("no creator posted within 30 sandbox days for this seed")
    assert {r.video_id for r in rows} <= set(posted)
    assert any(r.metrics.daily_stats for r in rows)

    video = posted[0]
    applied = sb.client.spark_apply(video, days=30)
    assert applied.value is None and applied.request_id
    status = sb.client.spark_status(video)
    assert status.video_id == video and status.auth_status == "WAITING"
    assert status.requested_authorization_days == 30
    sb.advance(10)
    status = sb.client.spark_status(video)
    assert status.auth_status in ("ACCEPTED", "REJECTED")
    if status.auth_status == "ACCEPTED":
        assert status.auth_code and status.auth_code_end_time > status.auth_code_start_time
        sb.client.spark_apply(video, days=7, extend=True)
    with pytest.raises(e.NotFoundError):
        sb.client.spark_status("7999999999999999999")


# ---------------------------------------------------------------- faults


def test_reads_ride_out_throttling_and_server_faults() -> None:
    h = Harness(
        faults={
            "throttle_every": 4,
            "error_5xx": 0.1,
            "http_5xx": 0.05,
            "malformed": 0.05,
            "seed": 11,
        }
    )
    with h.client:
        everyone = list(h.client.iter_discover({"country_codes": ["US"]}, page_size=25))
        assert len(everyone) == rules.limits()["discover_result_cap"]
    assert h.sleeps.calls  # it did wait
    assert min(h.sleeps.calls) > 0


def test_a_throttle_storm_pauses_and_then_passes() -> None:
    h = Harness(faults={"throttle_storm": 3})
    with h.client:
        assert h.client.account_info().account_name
    assert len(h.sleeps.calls) == 3 and all(s >= 1.0 for s in h.sleeps.calls)


def test_writes_are_not_retried_on_a_sandbox_5xx() -> None:
    h = Harness(faults={"error_5xx": 1.0})
    with h.client:
        with pytest.raises(e.ServerError):
            h.client.campaign_create("Launch", [], brand_name="Acme", campaign_description="x")
        assert h.sleeps.calls == []  # one attempt, no backoff
        h.app.set_faults(None)
        assert list(h.client.iter_campaigns()) == []


def test_timeouts_are_client_errors() -> None:
    h = Harness(faults={"timeout": 1.0, "slow_seconds": 0})
    with h.client, pytest.raises(e.APITimeoutError):
        h.client.labels()
    assert len(h.sleeps.calls) == 2


def test_expired_and_unknown_tokens() -> None:
    h = Harness(faults={"token_expire_after": 1})  # counted from when the faults were set
    with h.client:
        h.client.labels()
        with pytest.raises(e.TokenExpiredError):
            h.client.labels()
    h = Harness(tokens={"another-token"})
    with h.client, pytest.raises(e.TokenInvalidError):
        h.client.tcm_accounts()
