"""Helpers of the sandbox tests: a fixed-clock app factory and a thin client for `handle`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ttcm.api.endpoints import BY_PATH
from ttcm.sandbox import SandboxApp, SandboxClock
from ttcm.sandbox.app import account_key
from ttcm.sandbox.ids import ACCOUNT_ID

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TOKEN = "sandbox-test-token"
_OMIT = object()


class Api:
    """Calls `SandboxApp.handle` like the client would, filling in the account id."""

    def __init__(self, app: SandboxApp, token: str = TOKEN) -> None:
        self.app = app
        self.token = token

    def _with_account(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        endpoint = BY_PATH.get(path)
        key = account_key(endpoint) if endpoint else None
        if key and key not in params:
            params = {key: ACCOUNT_ID, **params}
        return {k: v for k, v in params.items() if v is not _OMIT}

    def raw(
        self,
        method: str,
        path: str,
        query: dict[str, str] | None = None,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """`handle` with the token header."""
        h = {"Access-Token": self.token} | (headers or {})
        return self.app.handle(method, path, query or {}, body, h)

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> dict:
        """GET with lists/objects JSON-encoded; returns the envelope."""
        query = {
            k: json.dumps(v)
            if isinstance(v, list | dict)
            else str(v).lower()
            if isinstance(v, bool)
            else str(v)
            for k, v in self._with_account(path, params).items()
        }
        status, hdrs, body = self.raw("GET", path, query, headers=headers)
        return _envelope(status, hdrs, body)

    def post(self, path: str, headers: dict[str, str] | None = None, **body: Any) -> dict:
        """POST a JSON body; returns the envelope."""
        raw = json.dumps(self._with_account(path, body)).encode()
        status, hdrs, out = self.raw("POST", path, body=raw, headers=headers)
        return _envelope(status, hdrs, out)

    def ok_get(self, path: str, **params: Any) -> dict:
        """GET that must succeed; returns `data`."""
        env = self.get(path, **params)
        assert env["code"] == 0, env
        return env["data"]

    def ok_post(self, path: str, **body: Any) -> dict:
        """POST that must succeed; returns `data`."""
        env = self.post(path, **body)
        assert env["code"] == 0, env
        return env["data"]


def _envelope(status: int, headers: dict[str, str], body: bytes) -> dict:
    assert status == 200
    env = json.loads(body)
    assert set(env) == {"code", "message", "request_id", "data"}
    assert headers["X-Tt-Logid"] == env["request_id"]
    return env


def omit() -> Any:
    """Marker to drop the automatic account id from a call."""
    return _OMIT


def make_app(**kwargs: Any) -> SandboxApp:
    """A 2,000-creator app on a fixed clock without practical rate limits."""
    kwargs.setdefault("clock", SandboxClock(START))
    kwargs.setdefault("qps", 100_000)
    kwargs.setdefault("qpm", 10_000_000)
    return SandboxApp(kwargs.pop("n_creators", 2000), kwargs.pop("seed", 7), **kwargs)
