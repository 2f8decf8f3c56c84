"""Transport core of the TikTok One client: send, classify, retry.

One `httpx.Client` per client object; every attempt passes the shared rate limiter; each answer
goes through `wire.parse_response`. Reads are retried on transient faults; writes only when the
request provably was not executed (throttled, or the connection never opened).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Self

import httpx

from ttcm.api.coerce import to_id
from ttcm.api.endpoints import (
    PERMISSIONS,
    TTO_READ_BUCKET_PATHS,
    Endpoint,
)
from ttcm.api.errors import (
    APIConnectionError,
    APITimeoutError,
    MalformedResponseError,
    PermissionDeniedError,
    RateLimitError,
    TikTokAPIError,
)
from ttcm.api.ratelimit import RateLimiter, shared_limiter
from ttcm.api.redact import install_log_redaction, register_secret
from ttcm.api.retry import RetryPolicy
from ttcm.api.wire import (
    Response,
    parse_response,
)
from ttcm.domain import format as fmt

log = logging.getLogger("ttcm.api")

# httpx logs every request URL at INFO (docs/decisions.md §4): quiet by default, redacted always.
for _name in ("httpx", "httpcore"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.WARNING)
install_log_redaction()

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


def _limiter_key(base_url: str, token: str) -> str:
    # limits are per app; the token stands for it. Only a digest is kept as the key.
    return f"{base_url}#{hashlib.sha256(token.encode()).hexdigest()[:16]}"


PAUSE_PREFIX = "paused by TikTok until"


def _pause_notice(until: datetime) -> str:
    return f"{PAUSE_PREFIX} {until:%H:%M} UTC"


class Transport:
    """Sends built requests through the rate limiters with retries; `BaseClient` names them."""

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        account_id: str | None = None,
        qps: float = 10.0,
        qpm: int = 600,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        max_throttle_retries: int = 6,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        tto_qps: float | None = None,
        tto_qpm: int | None = None,
        tto_limiter: RateLimiter | None = None,
        max_throttle_wait: float = 900.0,
        qpm_penalty: float = 300.0,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not isinstance(access_token, str) or not access_token.strip():
            raise ValueError("access_token is required")
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        if max_retries < 0 or max_throttle_retries < 0:
            raise ValueError("max_retries and max_throttle_retries must be >= 0")
        if not (max_throttle_wait >= 0 and qpm_penalty > 0):
            raise ValueError("max_throttle_wait must be >= 0 and qpm_penalty > 0")
        register_secret(access_token)
        self.base_url = base_url.rstrip("/")
        self._account_id = to_id(account_id)
        self._account_lock = threading.Lock()
        self.policy = RetryPolicy(
            max_retries=max_retries,
            max_throttle_retries=max_throttle_retries,
            qpm_penalty=float(qpm_penalty),
            max_throttle_wait=float(max_throttle_wait),
        )
        self._wall = wall
        # called with ("paused by TikTok until HH:MM UTC", seconds) when a penalty starts
        self.on_pause: Callable[[str, float], None] | None = None
        self.limiter = limiter or shared_limiter(
            _limiter_key(self.base_url, access_token), qps, qpm
        )
        # the six TTO creator endpoints have budgets of their own (docs/contract.md, "Rate
        # limits"); the
        # numbers are unpublished, so there is no second limiter unless they are configured
        self.tto_limiter: RateLimiter | None = tto_limiter
        if tto_limiter is None and (tto_qps is not None or tto_qpm is not None):
            self.tto_limiter = shared_limiter(
                _limiter_key(self.base_url, access_token) + "#tto",
                tto_qps or self.limiter.qps,
                tto_qpm or self.limiter.qpm,
            )
        self._sleep = sleep
        self._rng = rng
        self._sent = itertools.count(1)
        self.requests_sent = 0  # HTTP requests sent by this client (retries included)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Access-Token": access_token, "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, account_id={self._account_id!r})"

    # ------------------------------------------------------------ send, retry

    def _send(self, endpoint: Endpoint, build: Callable[[], httpx.Request]) -> Response:
        retries = throttles = 0
        throttle_wait = 0.0
        malformed_retried = False
        attempt = 0
        while True:
            attempt += 1
            if self.tto_limiter is not None and endpoint.path in TTO_READ_BUCKET_PATHS:
                self.tto_limiter.acquire()
            self.limiter.acquire()
            started = time.monotonic()
            try:
                response = parse_response(self._transmit(endpoint, build()))
            except RateLimitError as err:
                penalty = self.policy.penalty(err, self._wall())
                if penalty is None:
                    wait = self.policy.delay(
                        err, write=endpoint.write, retries=retries, throttles=throttles,
                        malformed_retried=malformed_retried, rng=self._rng,
                    )  # fmt: skip
                    throttles += 1
                else:
                    wait = penalty
                until = self._wall() + timedelta(seconds=wait or 0)
                if wait is not None and throttle_wait + wait > self.policy.max_throttle_wait:
                    wait = None
                self._log_failure(endpoint, err, attempt, wait)
                if wait is None:
                    if penalty is not None:
                        raise RateLimitError(
                            err.code,
                            f"paused by TikTok until {until:%H:%M} UTC ({err.message}); that "
                            "is beyond the longest this client waits "
                            f"({fmt.elapsed(self.policy.max_throttle_wait)})",
                            err.request_id,
                            http_status=err.http_status,
                        ) from err
                    raise
                throttle_wait += wait
                # every thread sharing the limiter waits out TikTok's restriction
                notice = _pause_notice(until) if penalty else None
                self.limiter.penalize(wait, notice=notice)
                if notice is not None and self.on_pause is not None:
                    self.on_pause(notice, wait)
                self._sleep(wait)
                continue
            except PermissionDeniedError as err:
                self._log_failure(endpoint, err, attempt, None)
                if err.code == 40001 and endpoint.path in PERMISSIONS:
                    raise PermissionDeniedError(
                        err.code,
                        f"{err.message} (the app may lack the '{PERMISSIONS[endpoint.path]}' "
                        f"permission that {endpoint.path} needs: ask for it in My Apps > "
                        "App Detail, then authorize the account again)",
                        err.request_id,
                        http_status=err.http_status,
                    ) from err
                raise
            except TikTokAPIError as err:
                wait = self.policy.delay(
                    err,
                    write=endpoint.write,
                    retries=retries,
                    throttles=throttles,
                    malformed_retried=malformed_retried,
                    rng=self._rng,
                )
                self._log_failure(endpoint, err, attempt, wait)
                if wait is None:
                    raise
                retries += 1
                malformed_retried |= isinstance(err, MalformedResponseError)
                self._sleep(wait)
                continue
            log.debug(
                "%s %s code=0 request_id=%s attempt=%d %.0f ms",
                endpoint.method,
                endpoint.path,
                response.request_id or "-",
                attempt,
                (time.monotonic() - started) * 1000,
            )
            return response

    def _transmit(self, endpoint: Endpoint, request: httpx.Request) -> httpx.Response:
        """Send and read one request; httpx failures become client errors."""
        what = f"{endpoint.method} {endpoint.path}"
        try:
            self.requests_sent = next(self._sent)  # itertools.count is atomic under the GIL
            http = self._http.send(request)
            try:
                http.read()
            finally:
                http.close()
        except httpx.TimeoutException as exc:
            sent = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
            raise APITimeoutError(f"{what} timed out ({type(exc).__name__})", sent=sent) from exc
        except httpx.ConnectError as exc:
            raise APIConnectionError(f"{what}: could not connect ({exc})", sent=False) from exc
        except httpx.RequestError as exc:
            raise APIConnectionError(f"{what}: {type(exc).__name__} ({exc})") from exc
        return http

    def _log_failure(
        self, endpoint: Endpoint, err: TikTokAPIError, attempt: int, wait: float | None
    ) -> None:
        outcome = "giving up" if wait is None else f"retrying in {round(wait, 2)} s"
        level = logging.WARNING if wait is not None or err.transient else logging.INFO
        log.log(
            level,
            "%s %s failed: %s code=%s request_id=%s attempt=%d; %s",
            endpoint.method,
            endpoint.path,
            type(err).__name__,
            err.code if err.code is not None else err.http_status,
            err.request_id or "-",
            attempt,
            outcome,
        )
