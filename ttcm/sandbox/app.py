"""`SandboxApp`: an offline TikTok One that answers every endpoint of `ttcm.api.endpoints`.

`handle` is the whole API: it takes a method, a path (with or without the `/open_api/v1.3`
prefix), the query, the body and the headers, and always returns `(status, headers, body)` with
the JSON envelope `{code, message, request_id, data}`. Faults come first, then routing, the
token, the rate limit, the account id, and the endpoint's own validation.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from datetime import datetime
from typing import Any, NamedTuple

from ttcm import rules
from ttcm.api.endpoints import BY_PATH, Endpoint, Token
from ttcm.sandbox import accounts, campaigns, creators, orders, spark
from ttcm.sandbox.clock import SandboxClock
from ttcm.sandbox.context import Context, Handler
from ttcm.sandbox.data import CreatorDirectory
from ttcm.sandbox.dialect import Dialect
from ttcm.sandbox.discover import Discover
from ttcm.sandbox.faults import Fault, FaultPlan, FaultSpec
from ttcm.sandbox.ids import ACCOUNT_ID
from ttcm.sandbox.params import (
    ID_MAX_CHARS,
    INVALID_REQUEST,
    PARAM_ERROR,
    PERMISSION,
    RATE_LIMITED,
    ROUTE_NOT_FOUND,
    SYS_ERROR,
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    TOKEN_MISSING,
    ApiError,
    Params,
    parse_body,
)
from ttcm.sandbox.ratelimit import SlidingWindowLimiter
from ttcm.sandbox.state import SandboxState, StateFile
from ttcm.sandbox.world import World

log = logging.getLogger(__name__)

BASE_PATH = "/open_api/v1.3"
FAULT_HEADER = "X-Sandbox-Fault"  # set to "timeout" when the transport must time out
RATE_LIMIT_MESSAGE = "App reaches the QPS limit."
# [assumed] wording: only the QPS message is documented (docs/contract.md, "Rate limits");
# the client reads "QPM"
QPM_LIMIT_MESSAGE = "App reaches the QPM limit. Requests are restricted for 5 minutes."

HANDLERS: dict[str, Handler] = {
    "tcm_accounts": accounts.tcm_accounts,
    "account_info": accounts.account_info,
    "authorized_creators": accounts.authorized_creators,
    "labels": accounts.labels,
    "discover": creators.discover,
    "creator_status": creators.creator_status,
    "creator_public": creators.creator_public,
    "creator_public_videos": creators.creator_public_videos,
    "creator_authorized": creators.creator_authorized,
    "creator_authorized_videos": creators.creator_authorized_videos,
    "creator_invite": creators.creator_invite,
    "brand_profile_create": campaigns.brand_profile_create,
    "brand_profiles": campaigns.brand_profiles,
    "campaign_create": campaigns.campaign_create,
    "campaign_update": campaigns.campaign_update,
    "campaigns": campaigns.campaigns,
    "campaign_link": campaigns.campaign_link,
    "campaign_link_status": campaigns.campaign_link_status,
    "campaign_report": campaigns.campaign_report,
    "spark_apply": spark.spark_apply,
    "spark_status": spark.spark_status,
    "order_create": orders.order_create,
    "orders": orders.orders,
    "order_report": orders.order_report,
}

Response = tuple[int, dict[str, str], bytes]


class _Request(NamedTuple):
    """One request as `Sandbox.handle` received it."""

    method: str
    path: str
    query: Mapping[str, str]
    body: bytes
    headers: Mapping[str, str]


def route_path(path: str) -> str:
    """The endpoint path of a request path: the `/open_api/v1.3` prefix is optional."""
    path = path.split("?", 1)[0]
    if path.startswith(BASE_PATH + "/"):
        path = path[len(BASE_PATH) :]
    return path


def account_key(endpoint: Endpoint) -> str | None:
    """The account-id parameter an endpoint requires (None: no account id)."""
    if endpoint.path == "/tto/oauth2/tcm/":  # the call that lists the account ids
        return None
    if endpoint.path.startswith("/tto/"):
        return "tto_tcm_account_id"
    if endpoint.path.startswith("/tcm/"):
        return "tcm_account_id"
    return None


class SandboxApp:
    """A deterministic, offline TikTok One for one seed and directory size."""

    def __init__(
        self,
        n_creators: int = 5000,
        seed: int = 7,
        qps: float | None = None,
        qpm: float | None = None,
        faults: str | dict[str, Any] | FaultSpec | None = None,
        clock: SandboxClock | None = None,
        state_path: str | os.PathLike[str] | None = None,
        tokens: set[str] | frozenset[str] | list[str] | None = None,
        *,
        rate_time: Callable[[], float] | None = None,
        dialect: str | Dialect | None = None,
    ) -> None:
        limits = rules.limits()["rate_limit"]
        self.dialect = Dialect.parse(dialect)
        self.directory = CreatorDirectory(n_creators, seed)
        self.clock = clock or SandboxClock()
        self.faults = FaultPlan(faults)
        self.limiter = SlidingWindowLimiter(
            float(qps or limits["qps"]), float(qpm or limits["qpm"]), rate_time or time.monotonic
        )
        self.tokens = frozenset(tokens) if tokens is not None else None
        self._file = StateFile(state_path) if state_path is not None else None
        self._lock = threading.RLock()
        self.requests = 0
        self.internal_errors = 0
        state = SandboxState()
        if self._file is not None:
            with self._file.locked():
                loaded = self._file.load()
                if loaded is None:
                    state.data["clock_offset_hours"] = self.clock.offset_hours
                    self._file.save(state)
                else:
                    state = loaded
                    self.clock.offset_hours = float(state.data.get("clock_offset_hours", 0.0))
        self.world = World(self.directory, state)
        self.discover = Discover(self.directory)

    @property
    def seed(self) -> int:
        """The directory's seed."""
        return self.directory.seed

    @property
    def state(self) -> SandboxState:
        """The brand's facts (campaigns, orders, invitations, Spark Ads requests, links)."""
        return self.world.state

    # ---------------------------------------------------------------- the API

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        body: bytes,
        headers: Mapping[str, str],
    ) -> Response:
        """Answer one request; never raises, whatever the input."""
        started = time.monotonic()
        request_id = self._request_id()
        extra: dict[str, str] = {}
        with self._lock:
            self.requests += 1
        try:
            fault = self.faults.next()
            if fault == Fault.HTTP_5XX:
                return self._finish(
                    started,
                    503,
                    {"Content-Type": "text/plain; charset=utf-8", "X-Tt-Logid": request_id},
                    b"503 Service Temporarily Unavailable",
                )
            if fault == Fault.MALFORMED:
                text = json.dumps({"code": 0, "message": "OK", "request_id": request_id})
                return self._finish(
                    started, 200, self._headers(request_id), text[:-1].encode() + b', "data": {"'
                )
            data: dict[str, Any]
            if fault == Fault.THROTTLE:
                code, message, data = RATE_LIMITED, RATE_LIMIT_MESSAGE, {}
            elif fault == Fault.TOKEN_EXPIRED:
                code, message, data = TOKEN_EXPIRED, "Access token has expired.", {}
            elif fault == Fault.ERROR_5XX:
                code, message, data = SYS_ERROR, "System error, please try again later.", {}
            else:
                if fault == Fault.TIMEOUT:
                    extra[FAULT_HEADER] = "timeout"
                try:
                    code, message = 0, "OK"
                    data = self._dispatch(_Request(method, path, query, body, headers))
                except ApiError as err:
                    code, message, data = err.code, err.message, err.data
        except Exception:  # noqa: BLE001 - the API answers an envelope, whatever happened
            self.internal_errors += 1
            log.exception("sandbox: unexpected error while handling a request")
            code, message, data = INVALID_REQUEST, "Invalid request.", {}
        envelope = {"code": code, "message": message, "request_id": request_id, "data": data}
        try:
            body_out = json.dumps(
                envelope, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            ).encode("utf-8")
        except (TypeError, ValueError):
            self.internal_errors += 1
            log.exception("sandbox: answer could not be encoded")
            envelope.update(code=INVALID_REQUEST, message="Invalid request.", data={})
            body_out = json.dumps(envelope).encode("utf-8")
        return self._finish(started, 200, self._headers(request_id) | extra, body_out)

    def _finish(
        self, started: float, status: int, headers: dict[str, str], body: bytes
    ) -> Response:
        delay = self.faults.delay_seconds - (time.monotonic() - started)
        if delay > 0:
            time.sleep(delay)
        return status, headers, body

    @staticmethod
    def _headers(request_id: str) -> dict[str, str]:
        return {"Content-Type": "application/json; charset=utf-8", "X-Tt-Logid": request_id}

    def _request_id(self) -> str:
        return self.clock.now().strftime("%Y%m%d%H%M%S") + uuid.uuid4().hex[:20].upper()

    def _dispatch(self, request: _Request) -> dict[str, Any]:
        method, path, query, body, headers = request
        route = route_path(str(path))
        endpoint = BY_PATH.get(route)
        if endpoint is None:
            shown = route if len(route) <= 80 else route[:77] + "..."
            raise ApiError(ROUTE_NOT_FOUND, f"No such endpoint: {shown!r}.")
        if str(method).upper() != endpoint.method:
            raise ApiError(
                INVALID_REQUEST, f"{endpoint.path} must be called with {endpoint.method}."
            )
        lower = {str(k).lower(): str(v) for k, v in headers.items()}
        token = lower.get("access-token", "").strip()
        if not token:
            raise ApiError(TOKEN_MISSING, "The Access-Token header is missing.")
        if token.lower().startswith("bearer ") or (
            self.tokens is not None and token not in self.tokens
        ):
            raise ApiError(TOKEN_INVALID, "Access token is incorrect or has been revoked.")
        with self._lock:
            spec = self.faults.spec
            verdict = self.limiter.check(token, spec.qpm_penalty * spec.time_factor)
            if verdict == "qps":
                raise ApiError(RATE_LIMITED, RATE_LIMIT_MESSAGE)
            if verdict is not None:
                raise ApiError(RATE_LIMITED, QPM_LIMIT_MESSAGE)
            if endpoint.method == "GET":
                raw = self.dialect.decode_query({str(k): str(v) for k, v in query.items()})
                params = Params(raw, from_query=True)
            else:
                params = Params(parse_body(bytes(body or b"")), from_query=False)
            self._check_account(endpoint, params)
            write = endpoint.write and self._file is not None
            with self._file.locked() if write and self._file else nullcontext():
                self._sync()
                ctx = Context(self.world, self.discover, self.clock.timestamp(), endpoint, lower)
                data = HANDLERS[endpoint.name](ctx, params)
                if write and self._file is not None:
                    self._file.save(self.state)
            return self.dialect.apply(endpoint.name, data)

    def _check_account(self, endpoint: Endpoint, p: Params) -> None:
        key = account_key(endpoint)
        if key is None:
            return
        value = p.text(
            key, required=endpoint.token != Token.CREATOR, max_len=ID_MAX_CHARS, code=PARAM_ERROR
        )
        if value is not None and value.strip() != ACCOUNT_ID:
            raise ApiError(PERMISSION, f"{key} {value!r} is not an account this token may use.")

    def _sync(self) -> None:
        """Re-read the state file when another process changed it."""
        if self._file is None or not self._file.changed():
            return
        loaded = self._file.load()
        if loaded is not None:
            self.world.state = loaded
            self.clock.offset_hours = float(loaded.data.get("clock_offset_hours", 0.0))

    # ---------------------------------------------------------------- control (sandbox only)

    def advance(self, hours: float) -> datetime:
        """Move the sandbox clock forward (and persist the offset when there is a state file)."""
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not hours >= 0:
            raise ValueError(f"hours must be a non-negative number, got {hours!r}")
        with self._lock, self._file.locked() if self._file else nullcontext():
            self._sync()
            now = self.clock.advance(float(hours))
            self.state.data["clock_offset_hours"] = self.clock.offset_hours
            if self._file is not None:
                self._file.save(self.state)
        return now

    def set_faults(self, spec: str | dict[str, Any] | FaultSpec | None) -> FaultSpec:
        """Replace the fault spec (ValueError when it is bad)."""
        return self.faults.replace(spec)

    def summary(self) -> dict[str, Any]:
        """Counts for tests and the control endpoint `GET /_sandbox/state`."""
        with self._lock:
            self._sync()
            return {
                "now": self.clock.now().isoformat(),
                "seed": self.seed,
                "creators": self.directory.n,
                "account_id": ACCOUNT_ID,
                "requests": self.requests,
                "faults": self.faults.spec.as_dict(),
                **self.state.counts(),
            }
