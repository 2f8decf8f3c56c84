"""Requests: encoding, account keys, envelope errors, retries, backoff, throttling, writes."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date

import httpx
import pytest

from tests.api.conftest import ACCOUNT, BASE, TOKEN, Env, Script, body, envelope, query
from ttcm.api import TikTokOneClient
from ttcm.api import errors as e
from ttcm.api.retry import RetryPolicy, parse_retry_after

SERVER_ERROR = envelope(code=50000, message="System error")
THROTTLED = envelope(code=40100, message="App reaches the QPS limit.")
OK_DATA = {"x": 1, "industry_labels": [], "content_labels": []}
OK = envelope(OK_DATA, request_id="req-ok")


def test_request_sends_token_header_path_and_account_key(make_env) -> None:
    script = Script([OK])
    env: Env = make_env(script)
    resp = env.client.request("labels", {"label_type": "SEARCH"})
    (req,) = script.requests
    assert resp.data == OK_DATA and resp.request_id == "req-ok"
    assert req.method == "GET"
    assert str(req.url).startswith(f"{BASE}/tto/tcm/category/label/?")
    assert req.headers["Access-Token"] == TOKEN  # raw, no Bearer
    assert query(req) == {"label_type": "SEARCH", "tto_tcm_account_id": ACCOUNT}


def test_get_params_encoding(make_env) -> None:
    script = Script([envelope({"creators": [], "page_info": {"total_number": 0}})])
    env: Env = make_env(script)
    env.client.request(
        "discover",
        {
            "country_codes": ["US", "GB"],
            "filters": {"a": [1, "2"]},
            "min_followers": 1000,
            "min_engagement_rate": 0.25,
            "keyword_search": "skin care",
            "flag": True,
            "off": False,
            "dropped": None,
            "day": date(2025, 11, 2),
            "ids": ("7300000000000000001",),
        },
    )
    assert query(script.requests[0]) == {
        "country_codes": '["US","GB"]',
        "filters": '{"a":[1,"2"]}',
        "min_followers": "1000",
        "min_engagement_rate": "0.25",
        "keyword_search": "skin care",
        "flag": "true",
        "off": "false",
        "day": "2025-11-02",
        "ids": '["7300000000000000001"]',
        "tto_tcm_account_id": ACCOUNT,
    }


def test_post_body_is_json_with_the_tcm_key_on_tcm_paths(make_env) -> None:
    script = Script([OK])
    env: Env = make_env(script)
    env.client.request("spark_apply", json={"video_id": "7300000000000000003", "action": None})
    (req,) = script.requests
    assert req.method == "POST"
    assert req.headers["content-type"] == "application/json"
    assert body(req) == {"video_id": "7300000000000000003", "tcm_account_id": ACCOUNT}


def test_caller_supplied_account_key_wins(make_env) -> None:
    script = Script([OK])
    env: Env = make_env(script)
    env.client.request("account_info", {"tto_tcm_account_id": "other"})
    assert query(script.requests[0])["tto_tcm_account_id"] == "other"


def test_account_id_is_resolved_once_from_the_account_list(make_env) -> None:
    script = Script(
        [envelope({"tto_tcm_account_ids": [7000000000000000009, "7000000000000000010"]}), OK]
    )
    env: Env = make_env(script, account_id=None)
    assert env.client.account_id == "7000000000000000009"
    env.client.request("account_info")
    env.client.request("account_info")
    assert [r.url.path for r in script.requests] == [
        "/open_api/v1.3/tto/oauth2/tcm/",
        "/open_api/v1.3/tto/oauth2/info/",
        "/open_api/v1.3/tto/oauth2/info/",
    ]
    assert "tto_tcm_account_id" not in query(script.requests[0])


def test_no_account_for_the_token_is_a_permission_error(make_env) -> None:
    env: Env = make_env(Script([envelope({"tto_tcm_account_ids": []})]), account_id=None)
    with pytest.raises(e.PermissionDeniedError, match="not authorized for any"):
        env.client.account_info()


def test_misuse_of_request_is_a_value_error(make_env) -> None:
    env: Env = make_env(Script([OK]))
    with pytest.raises(ValueError, match="unknown endpoint"):
        env.client.request("nope")
    with pytest.raises(ValueError, match="pass json"):
        env.client.request("spark_apply", {"video_id": "1"})
    with pytest.raises(ValueError, match="pass params"):
        env.client.request("labels", json={})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"base_url": "sandbox"}, "base_url"),
        ({"access_token": " "}, "access_token"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
def test_constructor_checks(kwargs: dict, match: str) -> None:
    args = {"base_url": BASE, "access_token": TOKEN} | kwargs
    with pytest.raises(ValueError, match=match):
        TikTokOneClient(args.pop("base_url"), args.pop("access_token"), **args)


# ---------------------------------------------------------------- retries of reads


def test_reads_retry_transient_errors_with_exponential_backoff(make_env) -> None:
    script = Script([SERVER_ERROR, SERVER_ERROR, OK])
    env: Env = make_env(script)
    assert env.client.request("labels").request_id == "req-ok"
    assert len(script.requests) == 3
    # min(0.5 * 2**n, 8) shortened by 25 % * rng (rng = 0.5)
    assert env.sleeps.calls == pytest.approx([0.5 * 0.875, 1.0 * 0.875])


def test_reads_give_up_after_max_retries(make_env) -> None:
    script = Script([SERVER_ERROR])
    env: Env = make_env(script)
    with pytest.raises(e.ServerError) as info:
        env.client.request("labels")
    assert len(script.requests) == 3  # 1 + max_retries (2)
    assert info.value.code == 50000
    assert len(env.sleeps.calls) == 2


def test_max_retries_zero_means_one_attempt(make_env) -> None:
    script = Script([SERVER_ERROR, OK])
    env: Env = make_env(script, max_retries=0)
    with pytest.raises(e.ServerError):
        env.client.request("labels")
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503, text="503 Service Temporarily Unavailable"),
        httpx.Response(502, text="bad gateway"),
        httpx.ReadTimeout("slow"),
        httpx.ConnectTimeout("no route"),
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("peer closed"),
        envelope(code=60001, message="maintenance"),
        envelope(code=51000, message="rpc error"),
    ],
    ids=lambda f: type(f).__name__ if isinstance(f, Exception) else str(f.status_code),
)
def test_read_retry_triggers(make_env, failure) -> None:
    script = Script([failure, OK])
    env: Env = make_env(script)
    assert env.client.request("labels").data == OK_DATA
    assert len(script.requests) == 2


@pytest.mark.parametrize(
    ("failure", "cls"),
    [
        (httpx.ReadTimeout("slow"), e.APITimeoutError),
        (httpx.ConnectError("no"), e.APIConnectionError),
        (httpx.Response(503, text="down"), e.ServerError),
    ],
)
def test_transport_failures_become_client_errors(make_env, failure, cls) -> None:
    env: Env = make_env(Script([failure]))
    with pytest.raises(cls):
        env.client.request("labels")


def test_malformed_json_is_retried_once(make_env) -> None:
    garbled = httpx.Response(200, content=b'{"code": 0, "message": "OK", "data": {"')
    script = Script([garbled, garbled, OK])
    env: Env = make_env(script)
    with pytest.raises(e.MalformedResponseError):
        env.client.request("labels")
    assert len(script.requests) == 2
    script = Script([garbled, OK])
    env = make_env(script)
    assert env.client.request("labels").data == OK_DATA


@pytest.mark.parametrize(
    "failure",
    [
        envelope(code=40002, message="bad param"),
        envelope(code=40105),
        envelope(code=40007),
        envelope(code=40121),
        envelope(code=40001),
        envelope(code=99999),
        httpx.Response(404, text="not here"),
        httpx.Response(200, json={"code": 0, "data": [1]}),
    ],
)
def test_permanent_errors_are_not_retried(make_env, failure) -> None:
    script = Script([failure, OK])
    env: Env = make_env(script)
    with pytest.raises(e.TikTokAPIError):
        env.client.request("labels")
    assert len(script.requests) == 1
    assert env.sleeps.calls == []


# ---------------------------------------------------------------- Retry-After


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after-ms": "abc", "retry-after": "2"}, 2.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
        ({"retry-after": "Sun, 02 Nov 2025 09:00:30 GMT"}, 30.0),
        ({"retry-after": "nan"}, None),
    ],
)
def test_parse_retry_after(headers: dict, expected: float | None) -> None:
    now = 1762074000.0  # Sun, 02 Nov 2025 09:00:00 GMT
    assert parse_retry_after(httpx.Headers(headers), now=lambda: now) == expected


@pytest.mark.parametrize(
    ("headers", "slept"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after-ms": "1200"}, 1.2),
        ({"retry-after": "60"}, 60.0),
        ({"retry-after": "61"}, 0.4375),
        ({"retry-after": "120"}, 0.4375),
        ({"retry-after": "0"}, 0.4375),
        ({"retry-after": "-5"}, 0.4375),
    ],
)
def test_retry_after_is_honoured_only_between_0_and_60_seconds(make_env, headers, slept) -> None:
    script = Script([envelope(code=50000, headers=headers), OK])
    env: Env = make_env(script)
    env.client.request("labels")
    assert env.sleeps.calls == pytest.approx([slept])


def test_backoff_table() -> None:
    policy = RetryPolicy()
    assert [policy.backoff(n, lambda: 0.0) for n in range(6)] == [0.5, 1, 2, 4, 8, 8]
    assert [policy.backoff(n, lambda: 1.0) for n in range(3)] == [0.375, 0.75, 1.5]
    assert [policy.throttle_backoff(n, lambda: 0.0) for n in range(5)] == [1, 2, 4, 8, 8]
    assert policy.throttle_backoff(0, lambda: 0.999) == pytest.approx(1.999)


# ---------------------------------------------------------------- throttling


def test_throttled_reads_wait_at_least_a_second_and_pause_the_limiter(make_env) -> None:
    script = Script([THROTTLED, THROTTLED, OK])
    env: Env = make_env(script)
    paused: list[float] = []
    original = env.limiter.penalize
    env.limiter.penalize = lambda s, **kw: (paused.append(s), original(s, **kw))[1]  # type: ignore[method-assign]
    assert env.client.request("labels").data == OK_DATA
    assert env.sleeps.calls == pytest.approx([1.5, 2.5])  # (1, 2) + rng 0.5
    assert paused == env.sleeps.calls
    assert all(s >= 1.0 for s in env.sleeps.calls)


def test_throttling_has_its_own_bound(make_env) -> None:
    script = Script([THROTTLED])
    env: Env = make_env(script, max_throttle_retries=4)
    with pytest.raises(e.RateLimitError):
        env.client.request("labels")
    assert len(script.requests) == 5


def test_throttle_and_transient_budgets_are_separate(make_env) -> None:
    script = Script([THROTTLED, SERVER_ERROR, THROTTLED, SERVER_ERROR, OK])
    env: Env = make_env(script)
    assert env.client.request("labels").data == OK_DATA
    assert len(script.requests) == 5


@pytest.mark.parametrize("code", [40100, 40132, 61000, 51021])
def test_every_throttle_code_is_retried_for_writes_too(make_env, code: int) -> None:
    script = Script([envelope(code=code), envelope({"campaign_id": "7"})])
    env: Env = make_env(script)
    result = env.client.campaign_update("7", handle_names=["a"])
    assert result.value.campaign_id == "7"
    assert len(script.requests) == 2


def test_http_429_is_a_throttle(make_env) -> None:
    script = Script([httpx.Response(429, text="slow down", headers={"retry-after": "2"}), OK])
    env: Env = make_env(script)
    env.client.request("labels")
    assert env.sleeps.calls == [2.0]


# ---------------------------------------------------------------- writes are never retried blindly


@pytest.mark.parametrize(
    ("failure", "cls"),
    [
        (SERVER_ERROR, e.ServerError),
        (httpx.Response(503, text="down"), e.ServerError),
        (httpx.ReadTimeout("slow"), e.APITimeoutError),
        (httpx.WriteTimeout("slow"), e.APITimeoutError),
        (httpx.ReadError("reset"), e.APIConnectionError),
        (httpx.Response(200, content=b'{"code": 0, "data": {'), e.MalformedResponseError),
    ],
)
def test_writes_are_not_retried_after_an_ambiguous_failure(make_env, failure, cls) -> None:
    script = Script([failure, envelope({"in_tcm": [], "invited": ["a"]})])
    env: Env = make_env(script)
    with pytest.raises(cls) as info:
        env.client.invite(["a"])
    assert len(script.requests) == 1
    assert env.sleeps.calls == []
    if isinstance(info.value, e.APIConnectionError):
        assert info.value.sent is True


@pytest.mark.parametrize("failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("no")])
def test_writes_are_retried_when_the_connection_never_opened(make_env, failure) -> None:
    script = Script([failure, envelope({"invited": ["a"]}, request_id="req-w")])
    env: Env = make_env(script)
    result = env.client.invite(["a"])
    assert result.value.invited == ["a"] and result.request_id == "req-w"
    assert len(script.requests) == 2


def test_every_attempt_passes_the_limiter(make_env) -> None:
    script = Script([SERVER_ERROR, SERVER_ERROR, OK])
    env: Env = make_env(script, qps=1)
    env.client.request("labels")
    env.client.request("labels")
    # 4 requests at 1 QPS: the backoffs (0.44 s, 0.88 s) are topped up to a full second
    assert sum(env.sleeps.calls) + sum(env.limiter_sleeps.calls) == pytest.approx(3.0)


def test_threads_share_one_client_and_resolve_the_account_once(make_env) -> None:
    calls: list[str] = []
    guard = threading.Lock()

    def server(request: httpx.Request) -> httpx.Response:
        with guard:
            calls.append(request.url.path)
        if request.url.path.endswith("/tto/oauth2/tcm/"):
            return envelope({"tto_tcm_account_ids": ["7000000000000000077"]})
        return envelope(OK_DATA)

    env: Env = make_env(server, account_id=None)
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            for _ in range(10):
                env.client.request("labels")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert calls.count("/open_api/v1.3/tto/oauth2/tcm/") == 1
    assert len(calls) == 61


def test_importing_the_client_does_not_import_the_sandbox() -> None:
    code = "import sys, ttcm.api; assert 'ttcm.sandbox' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
