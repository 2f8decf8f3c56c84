"""The exception tree: every code maps to its class, and the text never carries a token."""

from __future__ import annotations

import pickle

import httpx
import pytest

from tests.api.conftest import TOKEN, Env, Script, envelope
from ttcm.api import errors as e
from ttcm.api.wire import parse_response

CODE_TABLE = [
    *[(c, e.InvalidRequestError) for c in (40000, 40002, 40011, 40700)],
    *[(c, e.PermissionDeniedError) for c in (40001, 40003, 40130, 40113, 40117, 40118)],
    *[(c, e.NotFoundError) for c in (40007, 40400)],
    *[(c, e.RateLimitError) for c in (40100, 40132, 61000, 51021)],
    (40102, e.TokenExpiredError),
    *[(c, e.TokenInvalidError) for c in (40104, 40105, 40103, 40107)],
    (40121, e.NotTTCMCreatorError),
    (40122, e.CountryUnsupportedError),
    (40050, e.DuplicateRequestError),
    *[(c, e.ServerError) for c in (50000, 50002, 51000, 51001, 51099, 60001)],
    *[(c, e.APIStatusError) for c in (40006, 40009, 40202, 41001, 50001, 51100, 99999, -1)],
]


@pytest.mark.parametrize(("code", "cls"), CODE_TABLE)
def test_every_code_maps_to_its_class(code: int, cls: type[e.APIStatusError]) -> None:
    with pytest.raises(e.TikTokAPIError) as info:
        parse_response(envelope(code=code, message="nope", request_id="rid-9"))
    err = info.value
    assert type(err) is cls
    assert isinstance(err, e.APIStatusError)
    assert (err.code, err.message, err.request_id) == (code, "nope", "rid-9")
    assert err.transient is (cls in (e.RateLimitError, e.ServerError))
    assert err.retryable is err.transient


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (500, e.ServerError),
        (502, e.ServerError),
        (503, e.ServerError),
        (429, e.RateLimitError),
        (401, e.TokenInvalidError),
        (403, e.PermissionDeniedError),
        (404, e.NotFoundError),
        (400, e.InvalidRequestError),
        (418, e.APIStatusError),
    ],
)
def test_non_2xx_without_envelope_maps_by_status(status: int, cls: type) -> None:
    answer = httpx.Response(status, text="<html>gateway</html>", headers={"X-Tt-Logid": "lg-1"})
    with pytest.raises(e.TikTokAPIError) as info:
        parse_response(answer)
    assert type(info.value) is cls
    assert info.value.code is None
    assert info.value.http_status == status
    assert info.value.request_id == "lg-1"
    assert f"HTTP {status}" in str(info.value)


def test_an_envelope_code_wins_over_the_http_status() -> None:
    with pytest.raises(e.RateLimitError):
        parse_response(envelope(code=40100, status=500))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b'{"code": 0, "data": {"',
        b"[1, 2]",
        b'"ok"',
        b'{"message": "OK"}',
        b'{"code": "abc"}',
        b'{"code": true}',
        b'{"code": null}',
        b"\xff\xfe\x00garbage",
    ],
)
def test_a_body_that_is_not_an_envelope_is_malformed_and_transient(content: bytes) -> None:
    with pytest.raises(e.MalformedResponseError) as info:
        parse_response(httpx.Response(200, content=content))
    assert info.value.transient


def test_data_of_the_wrong_type_is_malformed_and_not_transient() -> None:
    answer = httpx.Response(200, json={"code": 0, "request_id": "r", "data": [1, 2]})
    with pytest.raises(e.MalformedResponseError) as info:
        parse_response(answer)
    assert not info.value.transient


def test_success_envelope_variants() -> None:
    ok = parse_response(httpx.Response(200, json={"code": "0", "request_id": 12345}))
    assert ok.data == {} and ok.request_id == "12345"
    ok = parse_response(
        httpx.Response(200, json={"code": 0, "data": []}, headers={"X-Tt-Logid": "hdr"})
    )
    assert ok.data == {} and ok.request_id == "hdr"


def test_str_shows_code_message_and_request_id() -> None:
    err = e.NotFoundError(40007, "campaign_id '9' does not exist.", "20251102ABC")
    assert str(err) == "campaign_id '9' does not exist. [code 40007, request_id 20251102ABC]"
    assert "NotFoundError(code=40007" in repr(err)


def test_duplicate_keeps_data_and_existing_ids() -> None:
    with pytest.raises(e.DuplicateRequestError) as info:
        parse_response(
            envelope({"existing_order_ids": ["76001", 76002, None]}, code=40050, message="dup")
        )
    assert info.value.data == {"existing_order_ids": ["76001", 76002, None]}
    assert info.value.existing_order_ids == ["76001", "76002"]


def test_client_side_validation_error_is_a_value_error_and_an_invalid_request() -> None:
    err = e.RequestValidationError("handles", "has 21 handles; at most 20 per request")
    assert isinstance(err, ValueError)
    assert isinstance(err, e.InvalidRequestError)
    assert err.field == "handles"
    assert err.request_id is None
    assert "handles: has 21 handles" in str(err)


def test_errors_survive_pickling() -> None:
    err = e.DuplicateRequestError(40050, "dup", "r", data={"existing_order_ids": ["1"]})
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is e.DuplicateRequestError
    assert (back.code, back.message, back.request_id, back.data) == (40050, "dup", "r", err.data)
    conn = pickle.loads(pickle.dumps(e.APIConnectionError("down", sent=False)))
    assert conn.sent is False and conn.transient


def test_hierarchy_lets_callers_catch_by_family() -> None:
    assert issubclass(e.APITimeoutError, e.APIConnectionError)
    for cls in (e.APIConnectionError, e.MalformedResponseError, e.APIStatusError):
        assert issubclass(cls, e.TikTokAPIError)
    assert not issubclass(e.APIConnectionError, e.APIStatusError)


# ---------------------------------------------------------------- secrets


def test_a_token_inside_a_server_message_is_redacted(make_env) -> None:
    script = Script([envelope(code=40105, message=f"Access token {TOKEN} is incorrect.")])
    env: Env = make_env(script)
    with pytest.raises(e.TokenInvalidError) as info:
        env.client.account_info()
    for text in (str(info.value), repr(info.value), info.value.message, str(info.value.args)):
        assert TOKEN not in text
        assert "***" in text or "Access token" in text


def test_token_like_values_are_redacted_even_when_unknown() -> None:
    err = e.APIStatusError(40001, "bad access_token=zzz-unknown-123 and secret: hush-hush", "r")
    assert "zzz-unknown-123" not in str(err)
    assert "hush-hush" not in str(err)


def test_a_request_id_carrying_the_token_is_redacted(make_env) -> None:
    env: Env = make_env(Script([envelope(code=40001, request_id=TOKEN)]))
    with pytest.raises(e.PermissionDeniedError) as info:
        env.client.account_info()
    assert TOKEN not in str(info.value)
