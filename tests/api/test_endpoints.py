"""Every typed method: right path, method, encoding and account key; typed results."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

import ttcm.api as m
from tests.api.conftest import ACCOUNT, Env, Router, body, envelope, payload, query
from ttcm.api import errors as e
from ttcm.api.endpoints import ENDPOINTS
from ttcm.api.wire import WriteResult

ROUTES: dict[str, Any] = {
    "/tto/oauth2/tcm/": payload("tcm_accounts"),
    "/tto/oauth2/info/": payload("account_info"),
    "/tto/tcm/category/label/": payload("labels"),
    "/tto/tcm/creator/discover/": payload("discover"),
    "/tto/tcm/creator/status/get/": payload("creator_status"),
    "/tto/tcm/creator/public/": payload("creator_public"),
    "/tto/creator/authorized/": payload("creator_authorized"),
    "/oauth2/creator/get/": payload("authorized_creators"),
    "/tto/creator/authorized/video/list/": payload("authorized_videos"),
    "/tto/tcm/brand/profile/create/": payload("brand_profile_create"),
    "/tto/tcm/brand/profile/get/": payload("brand_profiles"),
    "/tto/tcm/campaign/create/": payload("campaign"),
    "/tto/tcm/campaign/update/": payload("campaign"),
    "/tto/tcm/campaign/": payload("campaigns"),
    "/tto/tcm/campaign/link/": payload("campaign_link"),
    "/tto/tcm/campaign/link/status/": payload("link_status"),
    "/tto/tcm/report/": payload("campaign_report"),
    "/tcm/tt_video/apply/": {},
    "/tcm/tt_video/status/": payload("spark_status"),
    "/tcm/creator/invite/": payload("invite"),
    "/tcm/order/create/v2/": payload("order_create"),
    "/tcm/order/get/v2/": payload("orders"),
    "/tcm/report/get/v2/": payload("order_report"),
}


def _videos(request: httpx.Request) -> httpx.Response:
    first = "cursor" not in query(request)
    return envelope(payload("public_videos" if first else "public_videos_last"))


@pytest.fixture
def router() -> Router:
    return Router(ROUTES | {"/tto/tcm/creator/public/video/list/": _videos})


@pytest.fixture
def env(make_env, router: Router) -> Env:
    return make_env(router)


def only(router: Router, name: str) -> httpx.Request:
    """The single recorded request, checked against the endpoint table."""
    (req,) = router.requests
    endpoint = ENDPOINTS[name]
    assert req.method == endpoint.method
    assert req.url.path == "/open_api/v1.3" + endpoint.path
    return req


def test_tcm_accounts(env: Env, router: Router) -> None:
    assert env.client.tcm_accounts() == ["7000000000000000007", "7000000000000000008"]
    assert query(only(router, "tcm_accounts")) == {}


def test_account_info(env: Env, router: Router) -> None:
    info = env.client.account_info()
    assert info == m.AccountInfo.model_validate(payload("account_info"))
    assert query(only(router, "account_info")) == {"tto_tcm_account_id": ACCOUNT}


def test_labels(env: Env, router: Router) -> None:
    labels = env.client.labels("ranking")
    assert [x.label_id for x in labels.industry_labels] == ["14000000000", "14100000000"]
    assert query(only(router, "labels")) == {"label_type": "RANKING", "tto_tcm_account_id": ACCOUNT}
    with pytest.raises(e.RequestValidationError, match="label_type"):
        env.client.labels("BEST")


def test_discover(env: Env, router: Router) -> None:
    filters = {
        "country_codes": ["US"],
        "min_followers": 1000,
        "max_followers": 200000,
        "content_label_ids": ["11002002"],
        "follower_gender_ratio": "FEMALE_60",
        "min_engagement_rate": 0.03,
        "sort_field": "FOLLOWERS",
        "sort_order": "ASC",
    }
    creators, info = env.client.discover(filters, page=2, page_size=50)
    assert [c.handle_name for c in creators] == ["glow.with.mia", "chef.ollie"]
    assert creators[1].following_count == 12 and creators[0].avg_views == 52000
    assert info == m.PageInfo(page=1, page_size=200, total_number=2, total_page=1)
    q = query(only(router, "discover"))
    assert q == {
        "country_codes": '["US"]',
        "min_followers": "1000",
        "max_followers": "200000",
        "content_label_ids": '["11002002"]',
        "follower_gender_ratio": "FEMALE_60",
        "min_engagement_rate": "0.03",
        "sort_field": "FOLLOWERS",
        "sort_order": "ASC",
        "page": "2",
        "page_size": "50",
        "tto_tcm_account_id": ACCOUNT,
    }


def test_discover_without_page_info(make_env) -> None:
    env: Env = make_env(lambda r: envelope({"creators": [{"handle_name": "a"}]}))
    creators, info = env.client.discover({"country_codes": ["US"]})
    assert len(creators) == 1 and info == m.PageInfo()


@pytest.mark.parametrize(
    ("filters", "kwargs", "field"),
    [
        ({}, {}, "country_codes"),
        ({"country_codes": "US"}, {}, "country_codes"),
        ({"country_codes": []}, {}, "country_codes"),
        ({"country_codes": ["USA"]}, {}, "country_codes"),
        ({"country_codes": ["US"], "min_followers": 50}, {}, "min_followers"),
        ({"country_codes": ["US"], "max_followers": 10**11}, {}, "max_followers"),
        (
            {"country_codes": ["US"], "min_followers": 5000, "max_followers": 1000},
            {},
            "min_followers",
        ),
        ({"country_codes": ["US"], "min_followers": "1000"}, {}, "min_followers"),
        ({"country_codes": ["US"], "languages": "en"}, {}, "languages"),
        ({"country_codes": ["US"], "page": 2}, {}, "page"),
        ({"country_codes": ["US"]}, {"page_size": 201}, "page_size"),
        ({"country_codes": ["US"]}, {"page": 0}, "page"),
    ],
)
def test_discover_refuses_bad_filters_before_sending(env, router, filters, kwargs, field) -> None:
    with pytest.raises(e.RequestValidationError) as info:
        env.client.discover(filters, **kwargs)
    assert info.value.field == field
    assert isinstance(info.value, ValueError)
    assert router.requests == []


def test_iter_discover_follows_pages(make_env) -> None:
    def pages(request: httpx.Request) -> httpx.Response:
        page = int(query(request)["page"])
        creators = [{"handle_name": f"c{page}_{i}"} for i in range(2)] if page <= 2 else []
        info = {"page": page, "page_size": 2, "total_number": 4, "total_page": 2}
        return envelope({"creators": creators, "page_info": info})

    env: Env = make_env(pages)
    got = [c.handle_name for c in env.client.iter_discover({"country_codes": ["GB"]}, page_size=2)]
    assert got == ["c1_0", "c1_1", "c2_0", "c2_1"]


def test_a_listed_creator_without_a_handle_is_malformed(make_env) -> None:
    env: Env = make_env(lambda r: envelope({"creators": [{"display_name": "who?"}]}))
    with pytest.raises(e.MalformedResponseError, match="handle_name"):
        env.client.discover({"country_codes": ["US"]})


def test_creator_status_batches_of_twenty(make_env) -> None:
    seen: list[list[str]] = []

    def status(request: httpx.Request) -> httpx.Response:
        handles = json.loads(query(request)["handle_names"])
        seen.append(handles)
        return envelope(
            {"onboarding_status": [{"handle_name": h, "status": "IN"} for h in handles]}
        )

    env: Env = make_env(status)
    handles = [f"h{i}" for i in range(45)]
    result = env.client.creator_status(handles + ["@h0", "h1"])  # duplicates and a leading @
    assert [len(b) for b in seen] == [20, 20, 5]
    assert [r.handle_name for r in result] == handles


def test_creator_status_shapes(env: Env, router: Router) -> None:
    rows = env.client.creator_status(["glow.with.mia", "chef.ollie"])
    assert [(r.handle_name, r.status) for r in rows][:2] == [
        ("glow.with.mia", "IN"),
        ("chef.ollie", "INVITED"),
    ]
    q = query(only(router, "creator_status"))
    assert q == {"handle_names": '["glow.with.mia","chef.ollie"]', "tto_tcm_account_id": ACCOUNT}
    for bad in ("glow.with.mia", [], [""], ["x" * 101], [None]):
        with pytest.raises(e.RequestValidationError, match="handles"):
            env.client.creator_status(bad)


def test_creator_public(env: Env, router: Router) -> None:
    creator = env.client.creator_public("@glow.with.mia")
    assert creator.creator_id == "6800000000000000001"
    assert creator.content_labels[0].label_id == "11002002"
    assert creator.audience_devices is None  # not in the public payload: None, never 0
    assert query(only(router, "creator_public")) == {
        "handle_name": "glow.with.mia",
        "tto_tcm_account_id": ACCOUNT,
    }


def test_iter_public_videos(env: Env, router: Router) -> None:
    posts = list(env.client.iter_public_videos("glow.with.mia", limit=2))
    assert [p.video_id for p in posts] == [
        "7300000000000000003",
        "7300000000000000002",
        "7300000000000000001",
        "7300000000000000000",
    ]
    assert {p.handle_name for p in posts} == {"glow.with.mia"}
    assert posts[1].likes == 1200 and posts[1].caption_hashtags == ["grwm", "makeup"]
    assert posts[0].comments == 120 and posts[2].comments is None
    assert posts[3].create_time == datetime(2025, 10, 29, 8, tzinfo=UTC)
    first, second = router.requests
    assert query(first) == {
        "handle_name": "glow.with.mia",
        "limit": "2",
        "tto_tcm_account_id": ACCOUNT,
    }
    assert query(second)["cursor"] == "1761900000000"
    with pytest.raises(e.RequestValidationError, match="limit"):
        env.client.iter_public_videos("x", limit=11)


def test_iter_authorized_creators(env: Env, router: Router) -> None:
    creators = list(env.client.iter_authorized_creators())
    assert [c.account_kind for c in creators] == ["auth_ttcm", "auth_nonttcm"]
    assert creators[1].creator_price == 80.0
    assert query(only(router, "authorized_creators")) == {"page": "1", "page_size": "100"}


def test_creator_authorized(env: Env, router: Router) -> None:
    creator = env.client.creator_authorized(6800000000000000002, fields=["bio", "creator_rate"])
    assert creator.creator_id == "6800000000000000002"  # filled from the request
    assert (creator.creator_price, creator.currency) == (450.5, "GBP")
    assert creator.account_type == "PERSONAL" and creator.age_verified_18 is True
    q = query(only(router, "creator_authorized"))
    assert q == {"creator_id": "6800000000000000002", "fields": '["bio","creator_rate"]'}
    with pytest.raises(e.RequestValidationError, match="creator_id"):
        env.client.creator_authorized("")


def test_iter_authorized_videos(env: Env, router: Router) -> None:
    posts = list(env.client.iter_authorized_videos("6800000000000000002"))
    assert posts[0].create_time == datetime(2025, 11, 1, 18, 30, tzinfo=UTC)
    assert posts[1].create_time == datetime(2025, 10, 30, tzinfo=UTC)
    q = query(only(router, "creator_authorized_videos"))
    assert q == {"creator_id": "6800000000000000002", "limit": "10"}  # creator token: no account


def test_brand_profile_create(env: Env, router: Router) -> None:
    result = env.client.brand_profile_create(
        "Acme",
        "14000000000",
        "https://acme.example",
        "https://acme.example/logo.png",
        "https://www.tiktok.com/@acme",
    )
    assert isinstance(result, WriteResult)
    assert result.value.brand_industry_id == "14000000000"
    assert result.request_id == "req-1"
    assert body(only(router, "brand_profile_create")) == {
        "brand_name": "Acme",
        "brand_industry_id": "14000000000",
        "brand_website": "https://acme.example",
        "logo_url": "https://acme.example/logo.png",
        "tiktok_account_url": "https://www.tiktok.com/@acme",
        "tto_tcm_account_id": ACCOUNT,
    }


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("A" * 61, "1", "https://a.b", "https://a.b/l.png"), "brand_name"),
        (("Acme", "1", "http://a.b", "https://a.b/l.png"), "brand_website"),
        (
            ("Acme", "1", "https://a.b", "https://a.b/l.png", "https://tiktok.com/acme"),
            "tiktok_account_url",
        ),
        (("Acme", "", "https://a.b", "https://a.b/l.png"), "brand_industry_id"),
    ],
)
def test_brand_profile_create_checks(env: Env, router: Router, args, field) -> None:
    with pytest.raises(e.RequestValidationError) as info:
        env.client.brand_profile_create(*args)
    assert info.value.field == field and router.requests == []


def test_iter_brand_profiles(env: Env, router: Router) -> None:
    brands = list(env.client.iter_brand_profiles(["7400000000000000001"]))
    assert brands[0].brand_industry == "Beauty & Personal Care"
    q = query(only(router, "brand_profiles"))
    assert q["brand_profile_ids"] == '["7400000000000000001"]' and q["page_size"] == "100"
    with pytest.raises(e.RequestValidationError, match="brand_profile_ids"):
        env.client.iter_brand_profiles([str(i) for i in range(21)])


def test_campaign_create(env: Env, router: Router) -> None:
    result = env.client.campaign_create(
        "Spring glow",
        ["glow.with.mia", "@chef.ollie"],
        brand_profile_id="7400000000000000001",
        campaign_description="Show your routine",
        advertiser_ids=[7100000000000000001],
        default_spark_ads_requested_authorization_days=30,
        send_notification=False,
    )
    assert result.value.failed_handle_names == ["no.such.person"]
    assert result.value.spark_ads_requested_authorization_days == 30
    assert body(only(router, "campaign_create")) == {
        "campaign_name": "Spring glow",
        "campaign_type": "CAMPAIGN",
        "handle_names": ["glow.with.mia", "chef.ollie"],
        "brand_profile_id": "7400000000000000001",
        "campaign_description": "Show your routine",
        "advertiser_ids": ["7100000000000000001"],
        "default_spark_ads_requested_authorization_days": 30,
        "send_notification": False,
        "tto_tcm_account_id": ACCOUNT,
    }


def test_campaign_create_accepts_no_creators_yet(env: Env, router: Router) -> None:
    env.client.campaign_create("Later", [], brand_name="Acme")
    assert body(only(router, "campaign_create"))["handle_names"] == []
    for kwargs, field in [
        ({"campaign_name": "x" * 513}, "campaign_name"),
        ({"campaign_name": "ok", "campaign_type": "ADS"}, "campaign_type"),
        (
            {"campaign_name": "ok", "default_spark_ads_requested_authorization_days": 14},
            "default_spark_ads_requested_authorization_days",
        ),
    ]:
        with pytest.raises(e.RequestValidationError) as info:
            env.client.campaign_create(**kwargs)
        assert info.value.field == field


def test_campaign_update(env: Env, router: Router) -> None:
    result = env.client.campaign_update(
        "7300000000000000777", handle_names=["a"], send_notification=True
    )
    assert result.value.campaign_id == "7300000000000000777"
    assert body(only(router, "campaign_update")) == {
        "campaign_id": "7300000000000000777",
        "campaign_type": "CAMPAIGN",
        "handle_names": ["a"],
        "send_notification": True,
        "tto_tcm_account_id": ACCOUNT,
    }


def test_iter_campaigns_with_the_live_mock_shape(env: Env, router: Router) -> None:
    campaigns = list(env.client.iter_campaigns(["7300"], campaign_type="campaign"))
    assert [(c.campaign_id, c.campaign_name) for c in campaigns] == [("7300", "Launch")]
    q = query(only(router, "campaigns"))
    assert q == {
        "campaign_ids": '["7300"]',
        "campaign_type": "CAMPAIGN",
        "page": "1",
        "page_size": "5",
        "tto_tcm_account_id": ACCOUNT,
    }


def test_campaign_link(env: Env, router: Router) -> None:
    result = env.client.campaign_link("7300000000000000777", "7300000000000000003", "link")
    assert result.value.status == "IN_REVIEW" and result.value.number_of_requests == 1
    assert body(only(router, "campaign_link")) == {
        "campaign_id": "7300000000000000777",
        "video_id": "7300000000000000003",
        "action": "LINK",
        "tto_tcm_account_id": ACCOUNT,
    }
    with pytest.raises(e.RequestValidationError, match="action"):
        env.client.campaign_link("1", "2", "APPROVE")


def test_iter_link_status(env: Env, router: Router) -> None:
    links = list(
        env.client.iter_link_status(["7300000000000000777"], handle_names=["glow.with.mia"])
    )
    assert [x.status for x in links] == ["APPROVE", "REJECTED"]
    assert links[0].last_reminded_timestamp == datetime.fromtimestamp(1762100000, UTC)
    q = query(only(router, "campaign_link_status"))
    assert q["campaign_ids"] == '["7300000000000000777"]'
    assert q["handle_names"] == '["glow.with.mia"]'


def test_iter_campaign_report(env: Env, router: Router) -> None:
    videos = list(
        env.client.iter_campaign_report(
            "7300000000000000777", date(2025, 11, 1), "2025-11-30", country_code="us"
        )
    )
    assert [v.video_id for v in videos] == ["7300000000000000003", "7300000000000000004"]
    assert {v.campaign_id for v in videos} == {"7300000000000000777"}
    req = only(router, "campaign_report")
    assert req.headers["Country-Code"] == "US"
    assert query(req) == {
        "campaign_id": "7300000000000000777",
        "start_date": "2025-11-01",
        "end_date": "2025-11-30",
        "page": "1",
        "page_size": "100",
        "tto_tcm_account_id": ACCOUNT,
    }
    with pytest.raises(e.RequestValidationError, match="start_date"):
        env.client.iter_campaign_report("1", "2025-11-30", "2025-11-01")
    with pytest.raises(e.RequestValidationError, match="start_date"):
        env.client.iter_campaign_report("1", "2025-11-01")
    with pytest.raises(e.RequestValidationError, match="end_date"):
        env.client.iter_campaign_report("1", "2025-01-01", "2025-11-01")


def test_spark_apply(env: Env, router: Router) -> None:
    result = env.client.spark_apply("7300000000000000003", days=60, extend=True)
    assert result == WriteResult(None, "req-1")
    assert body(only(router, "spark_apply")) == {
        "video_id": "7300000000000000003",
        "authorization_days": 60,
        "action": "EXTEND",
        "tcm_account_id": ACCOUNT,
    }
    for days in (0, 14, 90, "30", True):
        with pytest.raises(e.RequestValidationError, match="days"):
            env.client.spark_apply("1", days=days)


def test_spark_apply_without_extend_sends_no_action(env: Env, router: Router) -> None:
    env.client.spark_apply("7300000000000000003")
    assert body(only(router, "spark_apply")) == {
        "video_id": "7300000000000000003",
        "authorization_days": 30,
        "tcm_account_id": ACCOUNT,
    }


def test_spark_status(env: Env, router: Router) -> None:
    status = env.client.spark_status("7300000000000000003")
    assert status.auth_code_end_time == datetime(2025, 12, 4, 10, tzinfo=UTC)
    assert query(only(router, "spark_status")) == {
        "video_id": "7300000000000000003",
        "tcm_account_id": ACCOUNT,
    }


def test_spark_status_fills_the_video_id(make_env) -> None:
    env: Env = make_env(lambda r: envelope(payload("spark_status_doc_spelling")))
    status = env.client.spark_status("42")
    assert status.video_id == "42" and status.auth_status == "WAITING"


def test_invite(env: Env, router: Router) -> None:
    result = env.client.invite(["glow.with.mia", "new.face", "too.small"])
    assert result.value.reject_reasons["too.small"].startswith("Fewer than")
    assert body(only(router, "creator_invite")) == {
        "handle_names": ["glow.with.mia", "new.face", "too.small"],
        "tcm_account_id": ACCOUNT,
    }


def test_invite_refuses_more_than_twenty_before_sending(env: Env, router: Router) -> None:
    with pytest.raises(ValueError, match="at most 20"):
        env.client.invite([f"h{i}" for i in range(21)])
    with pytest.raises(e.InvalidRequestError):
        env.client.invite([])
    assert router.requests == []


def test_order_create(env: Env, router: Router) -> None:
    result = env.client.order_create(
        "Acme",
        "Spring launch",
        ["glow.with.mia", "chef.ollie"],
        campaign_code="ABC123",
        deliverables=[
            {"deliverable_name": "Video 1", "spark_ads_requested_authorization_days": 0},
            m.Deliverable(deliverable_name="Video 2"),
        ],
        default_spark_days=60,
    )
    assert result.value.campaign_code == "ABC123"
    assert [o.order_id for o in result.value.orders] == [
        "7600000000000000001",
        "7600000000000000002",
    ]
    assert body(only(router, "order_create")) == {
        "brand_name": "Acme",
        "description": "Spring launch",
        "handle_names": ["glow.with.mia", "chef.ollie"],
        "campaign_code": "ABC123",
        "default_spark_ads_requested_authorization_days": 60,
        "deliverables": [
            {"deliverable_name": "Video 1", "spark_ads_requested_authorization_days": 0},
            {"deliverable_name": "Video 2"},
        ],
        "tcm_account_id": ACCOUNT,
    }


def test_order_create_with_a_video_number(env: Env, router: Router) -> None:
    env.client.order_create("Acme", "Spring", ["a"], video_number=3)
    sent = body(only(router, "order_create"))
    assert sent["video_number"] == 3 and "deliverables" not in sent and "campaign_code" not in sent


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"brand_name": "x" * 61}, "brand_name"),
        ({"description": ""}, "description"),
        ({"handles": [f"h{i}" for i in range(101)]}, "handles"),
        ({"video_number": 11}, "video_number"),
        ({"video_number": 0}, "video_number"),
        ({"default_spark_days": 0}, "default_spark_days"),
        ({"deliverables": [{"deliverable_name": "v"}] * 11}, "deliverables"),
        ({"deliverables": [{"deliverable_name": ""}]}, "deliverable_name"),
        (
            {
                "deliverables": [
                    {"deliverable_name": "v", "spark_ads_requested_authorization_days": 5}
                ]
            },
            "spark_ads_requested_authorization_days",
        ),
        ({"deliverables": [{"deliverable_name": "v"}], "video_number": 1}, "deliverables"),
    ],
)
def test_order_create_checks(env: Env, router: Router, kwargs: dict, field: str) -> None:
    args = {"brand_name": "Acme", "description": "Spring", "handles": ["a"]} | kwargs
    with pytest.raises(e.RequestValidationError) as info:
        env.client.order_create(
            args.pop("brand_name"), args.pop("description"), args.pop("handles"), **args
        )
    assert info.value.field == field and router.requests == []


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"order_ids": ["7600000000000000001"]},
            {"query_type": "ORDER_ID", "order_ids": '["7600000000000000001"]'},
        ),
        ({"campaign_code": "ABC123"}, {"query_type": "CAMPAIGN_CODE", "campaign_code": "ABC123"}),
        (
            {"invite_link": "https://t/x"},
            {"query_type": "INVITE_LINK", "invite_link": "https://t/x"},
        ),
    ],
)
def test_iter_orders(env: Env, router: Router, kwargs: dict, expected: dict) -> None:
    orders = list(env.client.iter_orders(**kwargs))
    assert orders[0].deliverables[0].video_id == "7300000000000000010"
    q = query(only(router, "orders"))
    assert q == expected | {"page": "1", "page_size": "20", "tcm_account_id": ACCOUNT}


def test_iter_orders_needs_exactly_one_selector(env: Env, router: Router) -> None:
    for kwargs in ({}, {"order_ids": ["1"], "campaign_code": "A"}):
        with pytest.raises(e.RequestValidationError, match="exactly one"):
            env.client.iter_orders(**kwargs)
    with pytest.raises(e.RequestValidationError, match="order_ids"):
        env.client.iter_orders(order_ids=[str(i) for i in range(201)])
    assert router.requests == []


def test_iter_order_report(env: Env, router: Router) -> None:
    rows = list(
        env.client.iter_order_report(["7600000000000000001"], date(2025, 11, 1), date(2025, 12, 30))
    )
    assert rows[0].metrics.video_id == "7300000000000000010"
    assert rows[0].metrics.daily_stats[0].views == 5000
    q = query(only(router, "order_report"))
    assert q == {
        "order_ids": '["7600000000000000001"]',
        "start_date": "2025-11-01",
        "end_date": "2025-12-30",
        "need_daily_stats": "true",
        "page": "1",
        "page_size": "100",
        "tcm_account_id": ACCOUNT,
    }
    with pytest.raises(e.RequestValidationError, match="end_date"):
        env.client.iter_order_report(["1"], "2025-01-01", "2025-03-03")
    with pytest.raises(e.RequestValidationError, match="order_ids"):
        env.client.iter_order_report([], "2025-01-01", "2025-01-03")


def test_write_answer_without_its_identity_is_malformed_with_the_request_id(make_env) -> None:
    env: Env = make_env(lambda r: envelope({"campaign_name": "x"}, request_id="req-w"))
    with pytest.raises(e.MalformedResponseError) as info:
        env.client.campaign_update("7")
    assert info.value.request_id == "req-w"
    assert not info.value.transient


def test_every_endpoint_has_a_method_tested() -> None:
    tested = {
        "tcm_accounts",
        "account_info",
        "authorized_creators",
        "labels",
        "discover",
        "creator_status",
        "creator_public",
        "creator_public_videos",
        "creator_authorized",
        "creator_authorized_videos",
        "brand_profile_create",
        "brand_profiles",
        "campaign_create",
        "campaign_update",
        "campaigns",
        "campaign_link",
        "campaign_link_status",
        "campaign_report",
        "spark_apply",
        "spark_status",
        "creator_invite",
        "order_create",
        "orders",
        "order_report",
    }
    assert tested == set(ENDPOINTS)
