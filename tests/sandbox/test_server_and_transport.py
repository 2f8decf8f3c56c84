"""The Starlette server (API under both bases, control endpoints) and the httpx transport."""

from __future__ import annotations

import argparse
import warnings

import httpx
import pytest

from tests.sandbox.support import make_app
from ttcm.sandbox import SandboxTransport, shared_app
from ttcm.sandbox.cli import add_parser
from ttcm.sandbox.ids import ACCOUNT_ID
from ttcm.sandbox.server import create_app, is_loopback, serve

with warnings.catch_warnings():  # starlette 1.x would prefer httpx2 for its test client
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

H = {"Access-Token": "t"}


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(make_app(n_creators=300)))


def test_api_under_both_bases(client: TestClient) -> None:
    for base in ("/open_api/v1.3", ""):
        r = client.get(f"{base}/tto/oauth2/tcm/", headers=H)
        assert r.status_code == 200 and r.json()["data"] == {"tto_tcm_account_ids": [ACCOUNT_ID]}
        assert r.headers["X-Tt-Logid"] == r.json()["request_id"]
    r = client.get(
        "/open_api/v1.3/tto/tcm/creator/discover/",
        params={"tto_tcm_account_id": ACCOUNT_ID, "country_codes": '["US"]'},
        headers=H,
    )
    assert r.json()["code"] == 0 and r.json()["data"]["creators"]
    r = client.post(
        "/open_api/v1.3/tto/tcm/campaign/create/",
        json={"tto_tcm_account_id": ACCOUNT_ID, "campaign_name": "c", "brand_name": "b"},
        headers=H,
    )
    assert r.json()["code"] == 0
    assert client.get("/open_api/v1.3/nowhere/", headers=H).json()["code"] == 40400
    assert client.delete("/tto/oauth2/tcm/", headers=H).json()["code"] == 40000


def test_control_endpoints(client: TestClient) -> None:
    state = client.get("/_sandbox/state").json()
    assert state["creators"] == 300 and state["campaigns"] == 0
    before = state["now"]
    moved = client.post("/_sandbox/clock/advance", json={"hours": 5})
    assert moved.status_code == 200 and moved.json()["now"] > before
    assert client.post("/_sandbox/clock/advance", json={"hours": -1}).status_code == 400
    assert client.post("/_sandbox/clock/advance", json={}).status_code == 400
    assert client.post("/_sandbox/clock/advance", content=b"{").status_code == 400

    set_ = client.post("/_sandbox/faults", json={"error_5xx": 1})
    assert set_.status_code == 200 and set_.json()["faults"] == {"error_5xx": 1.0}
    assert client.get("/tto/oauth2/tcm/", headers=H).json()["code"] == 50000
    assert client.post("/_sandbox/faults", json={"bogus": 1}).status_code == 400
    assert client.post("/_sandbox/faults", content=b"{").status_code == 400
    client.post("/_sandbox/faults", json={"http_5xx": 1})
    r = client.get("/tto/oauth2/tcm/", headers=H)
    assert r.status_code == 503
    client.post("/_sandbox/faults", json={})
    assert client.get("/tto/oauth2/tcm/", headers=H).json()["code"] == 0
    assert client.get("/_sandbox/state").json()["requests"] >= 2


def test_server_timeout_fault_stalls_then_answers(client: TestClient) -> None:
    client.post("/_sandbox/faults", json={"timeout": 1, "slow_seconds": 0.05})
    r = client.get("/tto/oauth2/tcm/", headers=H)
    assert r.status_code == 200 and r.json()["code"] == 0


def test_transport_both_bases() -> None:
    app = make_app(n_creators=100)
    with httpx.Client(transport=SandboxTransport(app)) as client:
        for url in (
            "http://sandbox/open_api/v1.3/tto/tcm/creator/status/get/",
            "http://sandbox/tto/tcm/creator/status/get/",
        ):
            r = client.get(
                url,
                params={"tto_tcm_account_id": ACCOUNT_ID, "handle_names": '["nobody"]'},
                headers=H,
            )
            assert r.json()["data"]["onboarding_status"] == [
                {"handle_name": "nobody", "status": "INVALID"}
            ]


def test_shared_app_is_cached() -> None:
    a = shared_app(120, 3)
    assert shared_app(120, 3) is a and shared_app(121, 3) is not a


def test_serve_refuses_remote_hosts() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.com")
    with pytest.raises(ValueError, match="non-loopback"):
        serve("0.0.0.0", 0, creators=10)


def test_cli_parser() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    add_parser(sub)
    args = parser.parse_args(
        ["sandbox", "serve", "--port", "9000", "--creators", "10", "--faults", "throttle_every=4"]
    )
    assert (args.host, args.port, args.creators, args.seed) == ("127.0.0.1", 9000, 10, 7)
    assert args.faults.throttle_every == 4 and callable(args.func)
    with pytest.raises(SystemExit):
        parser.parse_args(["sandbox", "serve", "--faults", "nope=1"])
    bad = parser.parse_args(["sandbox", "serve", "--host", "10.0.0.1"])
    assert bad.func(bad) == 2
