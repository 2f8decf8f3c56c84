"""Accounts, labels, routing and auth, creator status, public and authorized data, video lists."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.sandbox.support import Api, make_app, omit
from ttcm import rules
from ttcm.api.endpoints import ENDPOINTS
from ttcm.sandbox import SandboxApp
from ttcm.sandbox.data import IN, INVALID, NOT_IN
from ttcm.sandbox.ids import ACCOUNT_ID

PUBLIC = "/tto/tcm/creator/public/"
PUBLIC_VIDEOS = "/tto/tcm/creator/public/video/list/"
AUTHORIZED = "/tto/creator/authorized/"
AUTHORIZED_VIDEOS = "/tto/creator/authorized/video/list/"
STATUS = "/tto/tcm/creator/status/get/"


def _pick(app: SandboxApp, status: int, authenticated: bool) -> int:
    d = app.directory
    return int(np.flatnonzero((d.status == status) & (d.authenticated == authenticated))[0])


# ---------------------------------------------------------------- transport-level rules


def test_every_endpoint_has_a_handler() -> None:
    from ttcm.sandbox.app import HANDLERS

    assert set(HANDLERS) == set(ENDPOINTS)


def test_unknown_path_and_wrong_method(rapi: Api) -> None:
    assert rapi.get("/tto/tcm/nothing/")["code"] == 40400
    assert rapi.get("/tto/tcm/campaign/create/")["code"] == 40000
    assert rapi.get("/open_api/v1.3/tto/oauth2/tcm/")["code"] == 0


def test_token_rules() -> None:
    app = make_app(n_creators=50, tokens={"good"})
    ok = Api(app, "good").get("/tto/oauth2/tcm/")
    assert ok["code"] == 0
    assert Api(app, "").get("/tto/oauth2/tcm/")["code"] == 40104
    assert Api(app, "bad").get("/tto/oauth2/tcm/")["code"] == 40105
    assert Api(app, "Bearer good").get("/tto/oauth2/tcm/")["code"] == 40105
    env = Api(app, "tok-SECRET-x").get("/tto/oauth2/tcm/")
    assert "tok-SECRET" not in env["message"]


def test_any_token_accepted_without_a_token_list(rapi: Api) -> None:
    assert Api(rapi.app, "whatever").get("/tto/oauth2/tcm/")["code"] == 0


def test_account_id_rules(rapi: Api) -> None:
    info = "/tto/oauth2/info/"
    assert rapi.get(info, tto_tcm_account_id=omit())["code"] == 40002
    env = rapi.get(info, tto_tcm_account_id="123")
    assert env["code"] == 40001 and "tto_tcm_account_id" in env["message"]
    assert rapi.get("/tcm/tt_video/status/", tcm_account_id="1", video_id="1")["code"] == 40001
    assert rapi.get("/tcm/tt_video/status/", tcm_account_id=omit(), video_id="1")["code"] == 40002


def test_request_ids_are_unique(rapi: Api) -> None:
    ids = {rapi.get("/tto/oauth2/tcm/")["request_id"] for _ in range(50)}
    assert len(ids) == 50


def test_accounts_and_labels(rapi: Api) -> None:
    assert rapi.ok_get("/tto/oauth2/tcm/") == {"tto_tcm_account_ids": [ACCOUNT_ID]}
    info = rapi.ok_get("/tto/oauth2/info/")
    assert info["tto_tcm_account_id"] == ACCOUNT_ID and info["business_verification_status"]
    labels = rapi.ok_get("/tto/tcm/category/label/", label_type="SEARCH")
    assert labels["content_labels"] == rules.vocab()["content_labels"]
    assert labels["industry_labels"] == rules.vocab()["industry_labels"]
    assert rapi.get("/tto/tcm/category/label/", label_type="X")["code"] == 40002


# ---------------------------------------------------------------- creator status


def test_status_get(rapi: Api, shared: SandboxApp) -> None:
    d = shared.directory
    handles = [d.handles[_pick(shared, s, a)] for s, a in ((IN, False), (NOT_IN, True))]
    invalid = d.handles[int(np.flatnonzero(d.status == INVALID)[0])]
    data = rapi.ok_get(STATUS, handle_names=[*handles, invalid, "nobody_here_1"])
    assert [s["status"] for s in data["onboarding_status"]] == [
        "IN",
        "NOT_IN",
        "INVALID",
        "INVALID",
    ]
    assert [s["handle_name"] for s in data["onboarding_status"]][:2] == handles


def test_status_get_limits(rapi: Api) -> None:
    many = [f"h{i}" for i in range(rules.limits()["status_handles_per_call"] + 1)]
    assert rapi.get(STATUS, handle_names=many)["code"] == 40011
    assert rapi.get(STATUS, handle_names=[])["code"] == 40002
    assert rapi.get(STATUS)["code"] == 40002
    assert rapi.get(STATUS, handle_names=["x" * 101])["code"] == 40700


# ---------------------------------------------------------------- public data


def test_public_profile(rapi: Api, shared: SandboxApp) -> None:
    i = _pick(shared, IN, False)
    c = rapi.ok_get(PUBLIC, handle_name=shared.directory.handles[i])
    assert c["handle_name"] == shared.directory.handles[i]
    assert c["is_tcm_creator"] is True and c["is_authenticated"] is False
    assert 0 < c["engagement_rate"] < 1 and c["median_views"] > 0
    assert "audience_devices" not in c and "account_type" not in c
    assert len(c["audience_countries"]) == 5


def test_public_errors(rapi: Api, shared: SandboxApp) -> None:
    outsider = shared.directory.handles[_pick(shared, NOT_IN, True)]
    assert rapi.get(PUBLIC, handle_name=outsider)["code"] == 40121
    assert rapi.get(PUBLIC_VIDEOS, handle_name=outsider)["code"] == 40121
    assert rapi.get(PUBLIC, handle_name="nobody_here_1")["code"] == 40007
    assert rapi.get(PUBLIC)["code"] == 40002


def test_public_video_cursor_paging(rapi: Api, shared: SandboxApp) -> None:
    h = shared.directory.handles[_pick(shared, IN, False)]
    seen, cursor, pages = [], 0, 0
    while True:
        data = rapi.ok_get(PUBLIC_VIDEOS, handle_name=h, cursor=cursor, limit=7)
        posts, info = data["posts"], data["page_info"]
        seen += posts
        pages += 1
        if posts:
            assert info["cursor"] == posts[-1]["create_time"] * 1000
        if not info["has_more"]:
            break
        cursor = info["cursor"]
    times = [p["create_time"] for p in seen]
    assert times == sorted(times, reverse=True) and len(set(times)) == len(times)
    assert len({p["video_id"] for p in seen}) == len(seen) >= 12
    assert pages == -(-len(seen) // 7)
    past = rapi.ok_get(PUBLIC_VIDEOS, handle_name=h, cursor=seen[-1]["create_time"] * 1000)
    assert past["posts"] == [] and past["page_info"]["has_more"] is False
    post = seen[0]
    assert post["video_id"].isdigit() and isinstance(post["create_time"], int)
    assert post["collaboration_status"] in ("NONE", "CREATOR_EARNS_COMMISSION", "PAID_PARTNERSHIP")


def test_video_ids_filter_and_limits(rapi: Api, shared: SandboxApp) -> None:
    h = shared.directory.handles[_pick(shared, IN, False)]
    posts = rapi.ok_get(PUBLIC_VIDEOS, handle_name=h)["posts"]
    assert len(posts) == 10
    wanted = [posts[1]["video_id"], posts[4]["video_id"]]
    data = rapi.ok_get(PUBLIC_VIDEOS, handle_name=h, video_ids=wanted)
    assert [p["video_id"] for p in data["posts"]] == wanted
    assert rapi.get(PUBLIC_VIDEOS, handle_name=h, limit=11)["code"] == 40002
    assert rapi.get(PUBLIC_VIDEOS, handle_name=h, limit=0)["code"] == 40002
    assert rapi.get(PUBLIC_VIDEOS, handle_name=h, cursor=-1)["code"] == 40002


# ---------------------------------------------------------------- authorized data


def test_authorized_profile(rapi: Api, shared: SandboxApp) -> None:
    i = _pick(shared, NOT_IN, True)
    cid = shared.directory.creator_id(i)
    c = rapi.ok_get(AUTHORIZED, creator_id=cid, tto_tcm_account_id=omit())
    assert c["creator_id"] == cid and c["is_tcm_creator"] is False
    assert {"audience_devices", "account_type", "age_verified_18", "videos_last_30d"} <= set(c)
    assert "median_views" not in c and "engagement_rate" not in c
    if c.get("creator_rate"):
        assert set(c["creator_rate"]) == {"rate", "currency"}
    narrow = rapi.ok_get(AUTHORIZED, creator_id=cid, fields=["bio", "audience_ages"])
    assert set(narrow) == {"creator_id", "handle_name", "bio", "audience_ages"}


def test_authorized_errors(rapi: Api, shared: SandboxApp) -> None:
    not_auth = shared.directory.creator_id(_pick(shared, IN, False))
    assert rapi.get(AUTHORIZED, creator_id=not_auth)["code"] == 40130
    assert rapi.get(AUTHORIZED, creator_id="42")["code"] == 40001
    assert rapi.get(AUTHORIZED)["code"] == 40002
    ok = shared.directory.creator_id(_pick(shared, IN, True))
    assert rapi.get(AUTHORIZED, creator_id=ok, fields=["nope"])["code"] == 40002
    assert rapi.get(AUTHORIZED, creator_id=ok, tto_tcm_account_id="1")["code"] == 40001
    assert rapi.get(AUTHORIZED_VIDEOS, creator_id=not_auth)["code"] == 40130


def test_authorized_video_cursor(rapi: Api, shared: SandboxApp) -> None:
    cid = shared.directory.creator_id(_pick(shared, NOT_IN, True))
    seen, cursor = [], 0
    while True:
        data = rapi.ok_get(AUTHORIZED_VIDEOS, creator_id=cid, cursor=cursor, limit=10)
        assert set(data) == {"posts", "has_more", "cursor"}
        seen += data["posts"]
        if not data["has_more"]:
            break
        cursor = data["cursor"]
    assert len({p["video_id"] for p in seen}) == len(seen) > 0


def test_authorized_creators_list(rapi: Api, shared: SandboxApp) -> None:
    d = shared.directory
    total = int(d.authenticated.sum())
    first = rapi.ok_get("/oauth2/creator/get/", page=1, page_size=100)
    assert first["page_info"]["total_number"] == total
    assert first["page_info"]["total_page"] == -(-total // 100)
    assert all(c["is_authenticated"] for c in first["creators"])
    kinds = {c["is_tcm_creator"] for c in first["creators"]}
    assert kinds == {True, False}
    last_page = first["page_info"]["total_page"]
    last = rapi.ok_get("/oauth2/creator/get/", page=last_page, page_size=100)
    assert len(last["creators"]) == total - 100 * (last_page - 1)
    assert rapi.ok_get("/oauth2/creator/get/", page=last_page + 1, page_size=100)["creators"] == []
    assert rapi.get("/oauth2/creator/get/", page_size=101)["code"] == 40002


def test_json_list_param_errors(rapi: Api) -> None:
    status, _, body = rapi.raw(
        "GET", STATUS, {"tto_tcm_account_id": ACCOUNT_ID, "handle_names": "not json"}
    )
    env = json.loads(body)
    assert env["code"] == 40002 and "handle_names" in env["message"]
    status, _, body = rapi.raw(
        "GET", STATUS, {"tto_tcm_account_id": ACCOUNT_ID, "handle_names": "[1, 2]"}
    )
    assert json.loads(body)["code"] == 40002


@pytest.mark.parametrize("path", ["/tto/tcm/campaign/create/", "/tcm/order/create/v2/"])
def test_junk_bodies(rapi: Api, path: str) -> None:
    for body in (b"{", b"[1,2]", b"\xff\xfe", b'"text"', b"null"):
        status, _, out = rapi.raw("POST", path, body=body)
        assert json.loads(out)["code"] in (40000, 40002)
