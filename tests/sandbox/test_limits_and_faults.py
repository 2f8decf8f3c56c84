"""Rate limiting on a fake time source, and every fault kind through `handle` and httpx."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.sandbox.support import Api, make_app
from ttcm.sandbox import SandboxTransport
from ttcm.sandbox.faults import Fault, FaultPlan, FaultSpec
from ttcm.sandbox.ratelimit import SlidingWindowLimiter

PATH = "/tto/oauth2/tcm/"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_qps_window() -> None:
    clock = FakeTime()
    api = Api(make_app(n_creators=50, qps=10, qpm=600, rate_time=clock))
    codes = [api.get(PATH)["code"] for _ in range(10)]
    assert codes == [0] * 10
    clock.now += 0.5
    env = api.get(PATH)
    assert env["code"] == 40100 and env["message"] == "App reaches the QPS limit."
    assert api.get(PATH)["code"] == 40100  # rejected calls do not count, but the window is full
    clock.now += 0.5  # the first ten leave the 1 s window
    assert api.get(PATH)["code"] == 0
    other = Api(api.app, "another-token")
    assert other.get(PATH)["code"] == 0  # per token


def test_qpm_window() -> None:
    clock = FakeTime()
    api = Api(make_app(n_creators=50, qps=10, qpm=30, rate_time=clock))
    for _ in range(3):
        assert all(api.get(PATH)["code"] == 0 for _ in range(10))
        clock.now += 1.0
    assert api.get(PATH)["code"] == 40100
    clock.now += 57.0
    assert api.get(PATH)["code"] == 0


def test_limiter_never_lets_more_than_qps_in_any_second() -> None:
    clock = FakeTime()
    lim = SlidingWindowLimiter(5, 1000, clock)
    accepted = []
    for k in range(200):
        clock.now = 1000 + k * 0.13
        if lim.allow("t"):
            accepted.append(clock.now)
    for a in accepted:
        assert sum(1 for b in accepted if a - 1 < b <= a) <= 5


# ---------------------------------------------------------------- fault spec


def test_spec_parsing() -> None:
    spec = FaultSpec.parse("throttle_every=3, error_5xx=0.5,seed=9")
    assert (spec.throttle_every, spec.error_5xx, spec.seed) == (3, 0.5, 9)
    assert FaultSpec.parse('{"timeout": 1, "slow_seconds": 0.1}').timeout == 1.0
    assert FaultSpec.parse({"slow_ms": 5}).slow_ms == 5
    assert FaultSpec.parse(None) == FaultSpec() == FaultSpec.parse("")
    assert FaultSpec.parse(str(spec)) == spec
    for bad, needle in [
        ("nope=1", "unknown fault key"),
        ("error_5xx=2", "probability"),
        ("throttle_every=-1", ">= 0"),
        ("throttle_every=1.5", "whole number"),
        ("timeout", "key=value"),
        ("{bad json", "JSON"),
        ("[1]", "key=value"),
        ({"http_5xx": "x"}, "number"),
    ]:
        with pytest.raises(ValueError, match=needle):
            FaultSpec.parse(bad)


def test_plan_counts() -> None:
    plan = FaultPlan("throttle_every=3")
    assert [plan.next() for _ in range(6)] == [None, None, Fault.THROTTLE] * 2
    plan.replace("throttle_storm=2")
    assert [plan.next() for _ in range(3)] == [Fault.THROTTLE, Fault.THROTTLE, None]
    plan.replace("token_expire_after=2")
    assert [plan.next() for _ in range(3)] == [None, None, Fault.TOKEN_EXPIRED]


def test_probabilities_are_seeded() -> None:
    plan_a, plan_b = FaultPlan("error_5xx=0.3,seed=4"), FaultPlan("error_5xx=0.3,seed=4")
    runs_a = [plan_a.next() for _ in range(200)]
    assert runs_a == [plan_b.next() for _ in range(200)]
    assert 30 < runs_a.count(Fault.ERROR_5XX) < 90
    other = FaultPlan("error_5xx=0.3,seed=5")
    assert runs_a != [other.next() for _ in range(200)]


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ("throttle_every=1", 40100),
        ("throttle_storm=5", 40100),
        ("token_expire_after=0", 0),
        ("error_5xx=1", 50000),
    ],
)
def test_envelope_faults(spec: str, code: int) -> None:
    api = Api(make_app(n_creators=50, faults=spec))
    assert api.get(PATH)["code"] == code


def test_token_expire_after() -> None:
    api = Api(make_app(n_creators=50, faults="token_expire_after=2"))
    assert [api.get(PATH)["code"] for _ in range(4)] == [0, 0, 40102, 40102]


def test_http_5xx_and_malformed() -> None:
    app = make_app(n_creators=50, faults="http_5xx=1")
    status, headers, body = Api(app).raw("GET", PATH, {})
    assert status == 503 and headers["Content-Type"].startswith("text/plain") and b"{" not in body
    app.set_faults("malformed=1")
    status, headers, body = Api(app).raw("GET", PATH, {})
    assert status == 200
    with pytest.raises(ValueError):
        json.loads(body)


def test_timeout_raises_read_timeout_in_process() -> None:
    app = make_app(n_creators=50, faults="timeout=1")
    with httpx.Client(transport=SandboxTransport(app), base_url="http://sandbox") as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get(PATH, headers={"Access-Token": "t"})
        app.set_faults(None)
        assert client.get(PATH, headers={"Access-Token": "t"}).json()["code"] == 0


def test_slow_ms_delays_every_answer() -> None:
    import time

    app = make_app(n_creators=50, faults="slow_ms=60")
    started = time.monotonic()
    Api(app).get(PATH)
    assert time.monotonic() - started >= 0.06


def test_faults_come_before_routing_and_auth() -> None:
    api = Api(make_app(n_creators=50, faults="error_5xx=1"), token="")
    assert api.get("/nowhere/")["code"] == 50000
