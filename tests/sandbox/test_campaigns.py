"""Brand profiles, TTO campaigns, video link requests and the campaign report."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.sandbox.support import Api
from ttcm import rules
from ttcm.sandbox import SandboxApp
from ttcm.sandbox.data import IN, INVALID

BRAND = "/tto/tcm/brand/profile/create/"
BRANDS = "/tto/tcm/brand/profile/get/"
CREATE = "/tto/tcm/campaign/create/"
UPDATE = "/tto/tcm/campaign/update/"
LIST = "/tto/tcm/campaign/"
LINK = "/tto/tcm/campaign/link/"
LINK_STATUS = "/tto/tcm/campaign/link/status/"
REPORT = "/tto/tcm/report/"

GOOD_BRAND = {
    "brand_name": "Acme Snacks",
    "brand_industry_id": "14200000000",
    "brand_website": "https://acme.example",
    "logo_url": "https://acme.example/logo.png",
    "tiktok_account_url": "https://www.tiktok.com/@acme",
}


def _members(app: SandboxApp, k: int = 5) -> list[str]:
    d = app.directory
    return [d.handles[i] for i in np.flatnonzero(d.status == IN)[:k].tolist()]


def _campaign(api: Api, **extra: Any) -> dict[str, Any]:
    body = {"campaign_name": "Launch", "brand_name": "Acme", "handle_names": _members(api.app)}
    return api.ok_post(CREATE, **(body | extra))


def test_brand_profile_create_and_get(api: Api) -> None:
    made = api.ok_post(BRAND, **GOOD_BRAND)
    assert made["brand_profile_id"].isdigit() and made["brand_name"] == "Acme Snacks"
    assert made["brand_industry_id"] == GOOD_BRAND["brand_industry_id"]
    other = api.ok_post(BRAND, **(GOOD_BRAND | {"brand_name": "Other", "tiktok_account_url": None}))
    listed = api.ok_get(BRANDS)
    assert [b["brand_profile_id"] for b in listed["brands"]] == [
        made["brand_profile_id"],
        other["brand_profile_id"],
    ]
    assert listed["page_info"]["total_number"] == 2
    assert listed["brands"][0]["brand_industry"] == GOOD_BRAND["brand_industry_id"]
    one = api.ok_get(BRANDS, brand_profile_ids=[other["brand_profile_id"]])
    assert [b["brand_name"] for b in one["brands"]] == ["Other"]
    assert "tiktok_account_url" not in one["brands"][0]


@pytest.mark.parametrize(
    ("change", "code", "needle"),
    [
        ({"brand_name": "x" * 61}, 40700, "brand_name"),
        ({"brand_name": None}, 40002, "brand_name"),
        ({"brand_industry_id": "1"}, 40002, "brand_industry_id"),
        ({"brand_website": "http://acme.example"}, 40002, "brand_website"),
        ({"logo_url": "https://acme.example/logo.svg"}, 40002, "logo_url"),
        ({"tiktok_account_url": "https://tiktok.com/acme"}, 40002, "tiktok_account_url"),
    ],
)
def test_brand_profile_validation(api: Api, change: dict, code: int, needle: str) -> None:
    env = api.post(BRAND, **(GOOD_BRAND | change))
    assert env["code"] == code and needle in env["message"]
    assert api.app.state.brands == {}


def test_brand_profile_ids_limit(api: Api) -> None:
    many = [str(i) for i in range(rules.limits()["brand_profile_ids_max"] + 1)]
    assert api.get(BRANDS, brand_profile_ids=many)["code"] == 40011


def test_campaign_create_object(api: Api) -> None:
    d = api.app.directory
    invalid = d.handles[int(np.flatnonzero(d.status == INVALID)[0])]
    handles = _members(api.app, 3)
    c = api.ok_post(
        CREATE,
        campaign_name="Autumn launch",
        brand_name="Acme",
        campaign_description='Try our "new" <b>snacks</b> 🍿',
        handle_names=[*handles, "nobody_here_1", invalid],
        advertiser_ids=["123"],
        business_account_handle="acme",
    )
    assert c["campaign_id"].isdigit() and c["campaign_type"] == "CAMPAIGN"
    assert c["handle_names"] == handles
    assert c["failed_handle_names"] == ["nobody_here_1", invalid]
    assert c["spark_ads_requested_authorization_days"] == rules.limits()["spark_ads_default_days"]
    assert c["invite_link"].startswith("https://") and c["video_ids"] == []
    assert c["country_codes"] == sorted({d.country_code(d.index_of(h)) for h in handles})
    assert c["dm_info"] == {"business_account_handle": "acme", "dm_allowed": True}
    assert c["campaign_description"] == 'Try our "new" <b>snacks</b> 🍿'


def test_campaign_with_brand_profile(api: Api) -> None:
    brand = api.ok_post(BRAND, **GOOD_BRAND)
    c = _campaign(api, brand_name=None, brand_profile_id=brand["brand_profile_id"])
    assert c["brand_name"] == GOOD_BRAND["brand_name"]
    assert api.post(CREATE, campaign_name="x", brand_profile_id="999")["code"] == 40007


@pytest.mark.parametrize(
    ("body", "code", "needle"),
    [
        ({"brand_name": "Acme"}, 40002, "campaign_name"),
        ({"campaign_name": "x"}, 40002, "brand_name"),
        ({"campaign_name": "x" * 513, "brand_name": "Acme"}, 40700, "campaign_name"),
        ({"campaign_name": "x", "brand_name": "Acme", "campaign_type": "ADS"}, 40002,
         "campaign_type"),
        ({"campaign_name": "x", "brand_name": "Acme",
          "default_spark_ads_requested_authorization_days": 10}, 40002,
         "default_spark_ads_requested_authorization_days"),
        ({"campaign_name": "x", "brand_name": "Acme", "handle_names": "abc"}, 40002,
         "handle_names"),
        ({"campaign_id": "404", "handle_names": ["a"]}, 40007, "campaign_id"),
    ],
)  # fmt: skip
def test_campaign_create_validation(api: Api, body: dict, code: int, needle: str) -> None:
    env = api.post(CREATE, **body)
    assert env["code"] == code and needle in env["message"], env
    assert api.app.state.campaigns == {}


def test_add_creators_and_update(api: Api) -> None:
    c = _campaign(api)
    more = [
        api.app.directory.handles[i] for i in np.flatnonzero(api.app.directory.status == IN)[5:7]
    ]
    added = api.ok_post(CREATE, campaign_id=c["campaign_id"], handle_names=more)
    assert added["handle_names"] == c["handle_names"] + more
    updated = api.ok_post(
        UPDATE, campaign_id=c["campaign_id"], handle_names=more[:1], advertiser_ids=["9"]
    )
    assert updated["handle_names"] == more[:1] and updated["advertiser_ids"] == ["9"]
    assert updated["update_time"] >= updated["create_time"]
    assert (
        api.post(UPDATE, campaign_id=c["campaign_id"], campaign_type="BRAND_LINK")["code"] == 40002
    )
    assert api.post(UPDATE, campaign_id="1")["code"] == 40007


def test_campaign_list_paging(api: Api) -> None:
    ids = [_campaign(api, campaign_name=f"C{k}")["campaign_id"] for k in range(7)]
    _campaign(api, campaign_name="Links", campaign_type="BRAND_LINK")
    p1 = api.ok_get(LIST, page=1, page_size=5)
    p2 = api.ok_get(LIST, page=2, page_size=5)
    p3 = api.ok_get(LIST, page=3, page_size=5)
    assert [c["campaign_id"] for c in p1["campaigns"] + p2["campaigns"]][:7] == ids
    assert len(p2["campaigns"]) == 3 and p3["campaigns"] == []
    assert p1["page_info"] == {"page": 1, "page_size": 5, "total_number": 8, "total_page": 2}
    assert api.get(LIST, page_size=6)["code"] == 40002
    assert api.ok_get(LIST)["page_info"]["page_size"] == 5
    only = api.ok_get(LIST, campaign_ids=ids[2:4])
    assert [c["campaign_id"] for c in only["campaigns"]] == ids[2:4]
    links = api.ok_get(LIST, campaign_type="BRAND_LINK")
    assert [c["campaign_name"] for c in links["campaigns"]] == ["Links"]


def _video_of(api: Api, handle: str) -> str:
    posts = api.ok_get("/tto/tcm/creator/public/video/list/", handle_name=handle)["posts"]
    return posts[0]["video_id"]


def test_link_request_flow(api: Api) -> None:
    c = _campaign(api)
    handle = c["handle_names"][0]
    vid = _video_of(api, handle)
    first = api.ok_post(LINK, campaign_id=c["campaign_id"], video_id=vid, action="LINK")
    assert first["status"] == "IN_REVIEW" and first["number_of_requests"] == 1
    again = api.ok_post(LINK, campaign_id=c["campaign_id"], video_id=vid, action="LINK")
    assert again["number_of_requests"] == 2 and again["link_request_id"] == first["link_request_id"]
    listed = api.ok_get(LINK_STATUS, campaign_ids=[c["campaign_id"]])
    assert [v["video_id"] for v in listed["video_infos"]] == [vid]
    assert api.ok_get(LINK_STATUS, handle_names=["nobody_here_1"])["video_infos"] == []
    assert api.ok_get(LINK_STATUS, handle_names=[handle])["page_info"]["total_number"] == 1
    revoked = api.ok_post(LINK, campaign_id=c["campaign_id"], video_id=vid, action="REVOKE")
    assert revoked["status"] == "REVOKE"
    assert (
        api.post(LINK, campaign_id=c["campaign_id"], video_id=vid, action="REVOKE")["code"] == 40002
    )


def test_link_validation(api: Api) -> None:
    c = _campaign(api)
    vid = _video_of(api, c["handle_names"][0])
    assert api.post(LINK, campaign_id="1", video_id=vid, action="LINK")["code"] == 40007
    assert (
        api.post(LINK, campaign_id=c["campaign_id"], video_id="123", action="LINK")["code"] == 40007
    )
    env = api.post(LINK, campaign_id=c["campaign_id"], video_id=vid, action="MAYBE")
    assert env["code"] == 40002 and "action" in env["message"]
    assert (
        api.post(LINK, campaign_id=c["campaign_id"], video_id=vid, action="REVOKE")["code"] == 40007
    )
    assert api.get(LINK_STATUS, page_size=101)["code"] == 40002


def test_report_validation(api: Api) -> None:
    c = _campaign(api)
    cid = c["campaign_id"]
    assert api.get(REPORT)["code"] == 40002
    assert api.get(REPORT, campaign_id="1")["code"] == 40007
    assert api.get(REPORT, campaign_id=cid, start_date="2026-01-01")["code"] == 40002
    env = api.get(REPORT, campaign_id=cid, start_date="2026-01-01", end_date="2026-05-01")
    assert env["code"] == 40002 and "60" in env["message"]
    assert (
        api.get(REPORT, campaign_id=cid, start_date="2026-02-01", end_date="2026-01-01")["code"]
        == 40002
    )
    assert (
        api.get(REPORT, campaign_id=cid, start_date="01/02/2026", end_date="2026-01-01")["code"]
        == 40002
    )
    env = api.get(REPORT, campaign_id=cid, headers={"Country-Code": "MX"})
    assert env["code"] == 40002 and "Country-Code" in env["message"]
    empty = api.ok_get(REPORT, campaign_id=cid)
    assert empty["videos"] == [] and empty["campaign_id"] == cid
