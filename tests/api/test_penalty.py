"""TikTok's throttling penalties on a fake clock: QPM restricts 5 minutes, QPD until 00:00 UTC.

No test sleeps: the client's sleeps and the limiter's advance a `FakeClock`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.api.conftest import Env, FakeClock, Script, Sleeper, envelope
from ttcm.api import RateLimiter, TikTokOneClient
from ttcm.api import errors as e
from ttcm.sandbox import SandboxApp, SandboxTransport

OK = envelope({"industry_labels": [], "content_labels": []})
QPS = envelope(code=40100, message="App reaches the QPS limit.")
QPM = envelope(code=40100, message="App reaches the QPM limit.")
QPD = envelope(code=40100, message="App reaches the QPD limit.")
START = datetime(2026, 12, 1, 21, 40, tzinfo=UTC)


class Wall:
    """UTC wall time that follows the fake monotonic clock."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.origin = clock()

    def __call__(self) -> datetime:
        return START + timedelta(seconds=self.clock() - self.origin)


def _env(make_env, steps, **kwargs) -> Env:  # type: ignore[no-untyped-def]
    env: Env = make_env(Script(steps), **kwargs)
    env.client._wall = Wall(env.clock)  # follow the fake clock
    return env


def test_a_qpm_throttle_pauses_five_minutes_then_resumes(make_env) -> None:
    env = _env(make_env, [QPM, OK])
    assert env.client.request("labels").data == {"industry_labels": [], "content_labels": []}
    assert env.sleeps.calls == [300.0]
    assert env.clock() - 1000.0 >= 300.0


def test_the_pause_holds_every_thread_and_shows_until_when(make_env) -> None:
    env = _env(make_env, [QPM, OK])
    notices: list[str | None] = []
    original = env.sleeps.__call__

    def sleep(seconds: float) -> None:
        # while the client waits out the penalty, another caller of the same limiter must wait too
        notices.append(env.limiter.pause_notice())
        assert env.limiter.reserve() >= env.clock() + 299.0
        original(seconds)

    env.client._sleep = sleep
    env.client.request("labels")
    assert notices == ["paused by TikTok until 21:45 UTC"]
    assert env.limiter.pause_notice() is None  # over once the five minutes have passed


def test_a_qpd_throttle_waits_until_midnight_utc(make_env) -> None:
    env = _env(make_env, [QPD, OK], max_throttle_wait=3 * 3600)
    env.client.request("labels")
    assert env.sleeps.calls == [pytest.approx((2 * 60 + 20) * 60)]  # 21:40 -> 00:00


def test_a_penalty_beyond_the_wait_budget_fails_naming_the_end(make_env) -> None:
    env = _env(make_env, [QPD, OK], max_throttle_wait=900)
    with pytest.raises(e.RateLimitError, match="paused by TikTok until 00:00 UTC") as info:
        env.client.request("labels")
    assert "beyond the longest this client waits (15:00)" in str(info.value)
    assert env.sleeps.calls == []


def test_the_total_wait_is_bounded_across_penalties(make_env) -> None:
    env = _env(make_env, [QPM, QPM, QPM, OK], max_throttle_wait=700)
    with pytest.raises(e.RateLimitError, match="paused by TikTok until 21:55 UTC"):
        env.client.request("labels")
    assert env.sleeps.calls == [300.0, 300.0]


def test_a_qps_throttle_still_backs_off_briefly(make_env) -> None:
    env = _env(make_env, [QPS, OK])
    env.client.request("labels")
    assert env.sleeps.calls == pytest.approx([1.5])
    assert env.limiter.pause_notice() is None


def test_the_sandbox_penalty_scaled_by_a_time_factor_and_the_client_resumes() -> None:
    clock = FakeClock()
    app = SandboxApp(
        n_creators=300,
        seed=5,
        qps=1000,
        qpm=12,
        faults="qpm_penalty=300,time_factor=0.5",
        rate_time=clock,
    )
    sleeps = Sleeper(clock)
    limiter = RateLimiter(1000.0, 1_000_000, clock=clock, sleep=Sleeper(clock))
    with TikTokOneClient(
        "http://sandbox.local/open_api/v1.3",
        "sandbox-token",
        transport=SandboxTransport(app),
        limiter=limiter,
        sleep=sleeps,
        rng=lambda: 0.5,
        qpm_penalty=300 * 0.5,  # the client is told the same time factor
    ) as client:
        client._wall = Wall(clock)
        got = list(client.iter_discover({"country_codes": ["US"]}, page_size=5))
    assert len(got) == len({c.handle_name for c in got}) > 12 * 5
    # each per-minute breach cost one 150 s pause (300 s x 0.5), after which the sandbox answered
    assert sleeps.calls and set(sleeps.calls) == {150.0}
    pages = -(-len(got) // 5)
    assert app.requests == 1 + pages + len(sleeps.calls)  # account id, pages, refused ones


def test_the_tto_creator_endpoints_have_a_budget_of_their_own(make_env) -> None:
    from tests.api.conftest import Router

    routes = {
        "/tto/tcm/creator/discover/": {"creators": [{"handle_name": "mia"}]},
        "/tto/tcm/category/label/": {"industry_labels": [], "content_labels": []},
    }
    env: Env = make_env(Router(routes))  # the app budget: 1000/s, 1,000,000/min
    env.client.tto_limiter = RateLimiter(1000.0, 3, clock=env.clock, sleep=env.limiter_sleeps)
    start = env.clock()
    for _ in range(5):
        env.client.labels()
    assert env.clock() - start < 1.0  # labels never wait for the TTO bucket
    for _ in range(4):
        env.client.discover({"country_codes": ["US"]})
    assert env.clock() - start >= 60.0  # the 4th discover call waited for the TTO minute
