"""Fixtures of the client tests: a fake clock, scripted/routed MockTransport servers, payloads."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.leakguard import SECRET_MARKER
from ttcm.api import RateLimiter, TikTokOneClient

BASE = "https://business-api.test/open_api/v1.3"
TOKEN = f"{SECRET_MARKER}a1b2c3d4e5"
ACCOUNT = "7000000000000000007"
PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> dict[str, Any]:
    """A recorded-shape `data` object from tests/api/payloads/<name>.json."""
    return json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


def envelope(
    data: Any = None,
    code: int = 0,
    message: str = "OK",
    request_id: str = "req-1",
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """An HTTP answer carrying the TikTok envelope (and the X-Tt-Logid header)."""
    body = {"code": code, "message": message, "request_id": request_id, "data": data or {}}
    return httpx.Response(status, json=body, headers={"X-Tt-Logid": request_id, **(headers or {})})


class FakeClock:
    """Monotonic time that only moves when something sleeps; thread-safe."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        with self._lock:
            self.now += max(0.0, seconds)


class Sleeper:
    """A `sleep` that records each delay and advances the fake clock instead of waiting."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.clock.advance(seconds)


Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Script:
    """A server that answers requests with the given steps in order (the last one repeats)."""

    def __init__(self, steps: Iterable[Step]) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps[min(len(self.requests), len(self.steps)) - 1]
        if isinstance(step, Exception):
            raise step
        if callable(step) and not isinstance(step, httpx.Response):
            return step(request)
        return step


class Router:
    """A server answering by path: `routes[path]` is a `data` dict or a request -> Response."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/open_api/v1.3")
        route = self.routes.get(path)
        if route is None:
            return envelope(code=40400, message=f"No such endpoint: {path}")
        if callable(route):
            return route(request)
        return envelope(route, request_id=f"req-{len(self.requests)}")


def query(request: httpx.Request) -> dict[str, str]:
    """The query parameters of a recorded request."""
    return dict(request.url.params.multi_items())


def body(request: httpx.Request) -> dict[str, Any]:
    """The JSON body of a recorded request."""
    return json.loads(request.content)


class Env:
    """A client wired to a fake clock, a recording sleeper and a test limiter."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> None:
        self.clock = FakeClock()
        self.sleeps = Sleeper(self.clock)  # the client's backoff sleeps
        self.limiter_sleeps = Sleeper(self.clock)
        self.limiter = RateLimiter(
            kwargs.pop("qps", 1000.0),
            kwargs.pop("qpm", 1_000_000),
            clock=self.clock,
            sleep=self.limiter_sleeps,
        )
        kwargs.setdefault("account_id", ACCOUNT)
        self.client = TikTokOneClient(
            BASE,
            kwargs.pop("token", TOKEN),
            transport=httpx.MockTransport(handler),
            limiter=self.limiter,
            sleep=self.sleeps,
            rng=kwargs.pop("rng", lambda: 0.5),
            **kwargs,
        )


@pytest.fixture
def make_env() -> Iterable[Callable[..., Env]]:
    """Factory: `make_env(handler, **client_kwargs)`; clients are closed afterwards."""
    made: list[Env] = []

    def make(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> Env:
        env = Env(handler, **kwargs)
        made.append(env)
        return env

    yield make
    for env in made:
        env.client.close()
