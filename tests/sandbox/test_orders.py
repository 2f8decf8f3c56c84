"""Invitations and the legacy v2 order flow: create, get, report, limits."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.sandbox.support import Api
from ttcm import rules
from ttcm.sandbox import SandboxApp
from ttcm.sandbox.data import (
    FAIL_AGE,
    FAIL_BUSINESS,
    FAIL_FOLLOWERS,
    FAIL_NONE,
    IN,
    INVALID,
    NOT_IN,
)

INVITE = "/tcm/creator/invite/"
STATUS = "/tto/tcm/creator/status/get/"
CREATE = "/tcm/order/create/v2/"
GET = "/tcm/order/get/v2/"
REPORT = "/tcm/report/get/v2/"


def _handles(app: SandboxApp, mask: np.ndarray, k: int) -> list[str]:
    return [app.directory.handles[i] for i in np.flatnonzero(mask)[:k].tolist()]


def _order_body(handles: list[str], **extra: Any) -> dict[str, Any]:
    return {"brand_name": "Acme", "description": "Autumn launch", "handle_names": handles} | extra


# ---------------------------------------------------------------- invitations


def test_invite_outcomes(api: Api) -> None:
    d = api.app.directory
    eligible = _handles(api.app, (d.status == NOT_IN) & (d.fail == FAIL_NONE), 2)
    business = _handles(api.app, (d.status == NOT_IN) & (d.fail == FAIL_BUSINESS), 1)
    small = _handles(api.app, (d.status == NOT_IN) & (d.fail == FAIL_FOLLOWERS), 1)
    member = _handles(api.app, d.status == IN, 1)
    invalid = _handles(api.app, d.status == INVALID, 1)
    out = api.ok_post(
        INVITE, handle_names=[*eligible, *business, *small, *member, *invalid, "nobody_here_1"]
    )
    assert out["in_tcm"] == member
    assert out["invited"] == eligible
    assert out["rejected"] == [*business, *small, *invalid, "nobody_here_1"]
    reasons = out["reject_reasons"]
    assert reasons[business[0]].startswith("account_type:")
    assert "followers" in reasons[small[0]] and "minimum" in reasons[small[0]]
    status = api.ok_get(STATUS, handle_names=eligible + business)["onboarding_status"]
    assert [s["status"] for s in status] == ["INVITED", "INVITED", "NOT_IN"]
    again = api.ok_post(INVITE, handle_names=eligible)
    assert again["invited"] == eligible
    assert api.app.state.invitations[eligible[0]]["round"] == 1


def test_invite_limits(api: Api) -> None:
    many = [f"h{i}" for i in range(rules.limits()["invite_handles_per_call"] + 1)]
    assert api.post(INVITE, handle_names=many)["code"] == 40011
    assert api.post(INVITE)["code"] == 40002
    assert api.post(INVITE, tcm_account_id="5", handle_names=["a"])["code"] == 40001


# ---------------------------------------------------------------- orders


def test_order_create_and_get(api: Api) -> None:
    d = api.app.directory
    off_ttcm = (d.status == NOT_IN) & d.authenticated & (d.fail == FAIL_NONE)  # eligible
    handles = _handles(api.app, d.status == IN, 3) + _handles(api.app, off_ttcm, 1)
    out = api.ok_post(
        CREATE,
        **_order_body(
            handles,
            deliverables=[
                {"deliverable_name": "Unboxing", "spark_ads_requested_authorization_days": 30},
                {"deliverable_name": "Review", "spark_ads_requested_authorization_days": 0},
            ],
            video_number=7,
        ),
    )
    per_code = rules.limits()["orders_per_campaign_code"]
    assert out["remaining_orders"] == per_code - 4
    assert [o["handle_name"] for o in out["orders"]] == handles
    first = out["orders"][0]
    assert first["status"] == "ORDER_CREATED" and first["video_ids"] == []
    assert first["quota"]["per_creator_video_limit"] == 2  # deliverables win over video_number
    code, link = out["campaign_code"], out["invite_link"]

    by_code = api.ok_get(GET, query_type="CAMPAIGN_CODE", campaign_code=code)
    assert [o["order_id"] for o in by_code["orders"]] == [o["order_id"] for o in out["orders"]]
    order = by_code["orders"][0]
    assert order["status"] == "ORDER_CREATED" and order["video_number"] == 2
    assert [x["deliverable_name"] for x in order["deliverables"]] == ["Unboxing", "Review"]
    by_link = api.ok_get(GET, query_type="INVITE_LINK", invite_link=link)
    assert by_link["page_info"]["total_number"] == 4
    ids = [first["order_id"], "999", first["order_id"]]
    by_id = api.ok_get(GET, query_type="ORDER_ID", order_ids=ids, fields=["status"])
    assert by_id["orders"] == [{"order_id": first["order_id"], "status": "ORDER_CREATED"}]


@pytest.mark.parametrize(
    ("who", "needle"),
    [
        ("not_authorized", "not authorized"),
        ("under_18", "age: The creator must be 18 or older."),
        ("business", "account_type:"),
    ],
)
def test_orders_for_creators_tiktok_refuses_answer_40121(api: Api, who: str, needle: str) -> None:
    """Off the marketplace: only an authorized creator who meets the marketplace rules."""
    d = api.app.directory
    off = d.status == NOT_IN
    mask = {
        "not_authorized": off & ~d.authenticated,
        "under_18": off & d.authenticated & (d.fail == FAIL_AGE),
        "business": off & d.authenticated & (d.fail == FAIL_BUSINESS),
    }[who]
    [bad] = _handles(api.app, mask, 1)
    good = _handles(api.app, d.status == IN, 2)
    before = len(api.app.state.orders)
    out = api.post(CREATE, **_order_body([good[0], bad, good[1]]))
    assert out["code"] == 40121 and bad in out["message"] and needle in out["message"]
    assert out["data"]["handle_names"] == [bad] and needle in out["data"]["reject_reasons"][bad]
    assert len(api.app.state.orders) == before and not api.app.state.codes  # nothing created


def test_default_video_number_and_inheritance(api: Api) -> None:
    d = api.app.directory
    handles = _handles(api.app, d.status == IN, 3)
    out = api.ok_post(CREATE, **_order_body(handles[:1], video_number=3))
    assert out["orders"][0]["quota"]["per_creator_video_limit"] == 3
    later = api.ok_post(
        CREATE, **_order_body(handles[1:2], video_number=9, campaign_code=out["campaign_code"])
    )
    assert later["orders"][0]["quota"]["per_creator_video_limit"] == 3
    assert later["campaign_code"] == out["campaign_code"]
    plain = api.ok_post(CREATE, **_order_body(handles[2:3]))
    assert (
        plain["orders"][0]["quota"]["per_creator_video_limit"] == rules.limits()["order_video_max"]
    )


def test_duplicate_handle_on_code(api: Api) -> None:
    d = api.app.directory
    handles = _handles(api.app, d.status == IN, 3)
    out = api.ok_post(CREATE, **_order_body(handles[:2]))
    env = api.post(CREATE, **_order_body(handles[1:], campaign_code=out["campaign_code"]))
    assert env["code"] == 40050
    assert env["data"]["existing_order_ids"] == [out["orders"][1]["order_id"]]
    assert len(api.app.state.orders) == 2  # nothing written by the failed call


def test_orders_per_code_cap(api: Api) -> None:
    d = api.app.directory
    cap = rules.limits()["orders_per_campaign_code"]
    per_call = rules.limits()["order_handles_per_call"]
    handles = _handles(api.app, d.status == IN, cap + 1)
    out = api.ok_post(CREATE, **_order_body(handles[:per_call]))
    code = out["campaign_code"]
    rest = handles[per_call:cap]
    while rest:
        last = api.ok_post(CREATE, **_order_body(rest[:per_call], campaign_code=code))
        rest = rest[per_call:]
    assert last["remaining_orders"] == 0
    env = api.post(CREATE, **_order_body(handles[cap:], campaign_code=code))
    assert env["code"] == 40002 and code in env["message"] and str(cap) in env["message"]


@pytest.mark.parametrize(
    ("change", "code", "needle"),
    [
        ({"brand_name": "x" * 61}, 40700, "brand_name"),
        ({"description": "x" * 61}, 40700, "description"),
        ({"description": None}, 40002, "description"),
        ({"video_number": 11}, 40002, "video_number"),
        ({"video_number": 0}, 40002, "video_number"),
        ({"deliverables": [{"deliverable_name": "x" * 61}]}, 40700, "deliverable_name"),
        ({"deliverables": [{"deliverable_name": "a"}] * 11}, 40002, "deliverables"),
        ({"deliverables": [{"deliverable_name": "a",
                            "spark_ads_requested_authorization_days": 14}]},
         40002, "spark_ads_requested_authorization_days"),
        ({"deliverables": ["a"]}, 40002, "deliverables"),
        ({"default_spark_ads_requested_authorization_days": 5}, 40002,
         "default_spark_ads_requested_authorization_days"),
        ({"order_source": "WEB"}, 40002, "order_source"),
        ({"campaign_code": "NOPE"}, 40007, "campaign_code"),
        ({"handle_names": ["nobody_here_1"]}, 40007, "handle_names"),
        ({"handle_names": []}, 40002, "handle_names"),
        ({"handle_names": [f"h{i}" for i in range(101)]}, 40011, "handle_names"),
    ],
)  # fmt: skip
def test_order_create_validation(api: Api, change: dict, code: int, needle: str) -> None:
    handles = _handles(api.app, api.app.directory.status == IN, 2)
    env = api.post(CREATE, **(_order_body(handles) | change))
    assert env["code"] == code and needle in env["message"], env
    assert api.app.state.orders == {} and api.app.state.codes == {}


def test_duplicate_handles_in_one_call(api: Api) -> None:
    h = _handles(api.app, api.app.directory.status == IN, 1)[0]
    assert api.post(CREATE, **_order_body([h, h.upper()]))["code"] == 40002


def test_order_get_validation(api: Api) -> None:
    assert api.get(GET)["code"] == 40002
    assert api.get(GET, query_type="X")["code"] == 40002
    assert api.get(GET, query_type="ORDER_ID")["code"] == 40002
    many = [str(i) for i in range(rules.limits()["order_ids_per_get"] + 1)]
    assert api.get(GET, query_type="ORDER_ID", order_ids=many)["code"] == 40011
    assert api.get(GET, query_type="CAMPAIGN_CODE", campaign_code="NOPE")["code"] == 40007
    assert api.get(GET, query_type="INVITE_LINK", invite_link="https://x")["code"] == 40007
    assert api.get(GET, query_type="ORDER_ID", order_ids=["1"], page_size=21)["code"] == 40002
    assert api.get(GET, query_type="ORDER_ID", order_ids=["1"], fields=["x"])["code"] == 40002


def test_order_get_paging(api: Api) -> None:
    handles = _handles(api.app, api.app.directory.status == IN, 25)
    code = api.ok_post(CREATE, **_order_body(handles))["campaign_code"]
    p1 = api.ok_get(GET, query_type="CAMPAIGN_CODE", campaign_code=code, page_size=20)
    p2 = api.ok_get(GET, query_type="CAMPAIGN_CODE", campaign_code=code, page=2, page_size=20)
    p3 = api.ok_get(GET, query_type="CAMPAIGN_CODE", campaign_code=code, page=3, page_size=20)
    assert len(p1["orders"]) == 20 and len(p2["orders"]) == 5 and p3["orders"] == []
    assert p1["page_info"]["total_page"] == 2


def test_order_report_validation(api: Api) -> None:
    h = _handles(api.app, api.app.directory.status == IN, 1)
    oid = api.ok_post(CREATE, **_order_body(h))["orders"][0]["order_id"]
    assert api.get(REPORT)["code"] == 40002
    assert api.get(REPORT, order_ids=["404"])["code"] == 40007
    env = api.get(REPORT, order_ids=[oid], need_daily_stats=True)
    assert env["code"] == 40002 and "start_date" in env["message"]
    env = api.get(REPORT, order_ids=[oid], start_date="2026-01-01", end_date="2026-03-15")
    assert env["code"] == 40002 and "60" in env["message"]
    ok = api.get(REPORT, order_ids=[oid], start_date="2026-01-01", end_date="2026-03-02")
    assert ok["code"] == 0 and ok["data"]["insights"] == []
    assert api.get(REPORT, order_ids=[oid], metrics=["nope"])["code"] == 40002
    assert api.get(REPORT, order_ids=[oid], need_daily_stats="maybe")["code"] == 40002
