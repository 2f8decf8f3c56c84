"""Two SandboxApp instances sharing one state file see each other's writes and clock moves."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tests.sandbox.support import Api, make_app
from ttcm.sandbox.data import IN


def test_shared_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    a, b = make_app(state_path=path), make_app(state_path=path)
    api_a, api_b = Api(a), Api(b)
    handles = [a.directory.handles[i] for i in np.flatnonzero(a.directory.status == IN)[:3]]
    made = api_a.ok_post(
        "/tto/tcm/campaign/create/", campaign_name="Shared", brand_name="Acme", handle_names=handles
    )
    listed = api_b.ok_get("/tto/tcm/campaign/")["campaigns"]
    assert [c["campaign_id"] for c in listed] == [made["campaign_id"]]
    order = api_b.ok_post(
        "/tcm/order/create/v2/", brand_name="Acme", description="d", handle_names=handles[:1]
    )
    got = api_a.ok_get(
        "/tcm/order/get/v2/", query_type="CAMPAIGN_CODE", campaign_code=order["campaign_code"]
    )
    assert [o["order_id"] for o in got["orders"]] == [order["orders"][0]["order_id"]]
    # ids never collide across the two writers
    second = api_a.ok_post(
        "/tto/tcm/campaign/create/", campaign_name="Two", brand_name="Acme", handle_names=handles
    )
    assert second["campaign_id"] != made["campaign_id"]
    assert len(json.loads(path.read_text())["campaigns"]) == 2

    a.advance(80)
    assert b.clock.now() != a.clock.now()
    Api(b).ok_get("/tto/oauth2/tcm/")  # b re-reads the file on its next request
    assert b.clock.now() == a.clock.now()
    query = {"query_type": "CAMPAIGN_CODE", "campaign_code": order["campaign_code"]}
    st_a = api_a.ok_get("/tcm/order/get/v2/", **query)
    st_b = api_b.ok_get("/tcm/order/get/v2/", **query)
    assert st_a == st_b and st_a["orders"][0]["status"] != "ORDER_CREATED"


def test_restart_reads_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "state.json"
    a = make_app(state_path=path)
    Api(a).ok_post(
        "/tto/tcm/brand/profile/create/",
        brand_name="Acme",
        brand_industry_id="14200000000",
        brand_website="https://acme.example",
        logo_url="https://acme.example/logo.png",
    )
    a.advance(5)
    again = make_app(state_path=path)
    assert len(again.state.brands) == 1
    assert again.clock.now() == a.clock.now()
    assert not list(path.parent.glob(".state.json.*"))  # no temp files left behind


def test_failed_write_does_not_touch_the_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    app = make_app(state_path=path)
    before = path.read_bytes()
    env = Api(app).post("/tto/tcm/campaign/create/", campaign_name="x")
    assert env["code"] == 40002
    assert path.read_bytes() == before
