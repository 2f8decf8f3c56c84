"""The wire format: query/body encoding, the account key per path, and envelope decoding.

`parse_response` turns one HTTP answer into a `Response` (the envelope's `data` and
`request_id`) or raises the matching exception of `ttcm.api.errors`; it never raises anything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel

from ttcm.api.endpoints import ENDPOINTS, Endpoint, Token
from ttcm.api.errors import MalformedResponseError, class_for_http_status, error_for_code
from ttcm.api.retry import parse_retry_after

PARTIAL_OK = 20001  # part of a batch succeeded: returned to the caller, never raised
TTO_ACCOUNT_KEY = "tto_tcm_account_id"
TCM_ACCOUNT_KEY = "tcm_account_id"
_MAX_MESSAGE = 500

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Response:
    """A successful answer: the envelope's `data` (always a dict) and its `request_id`.

    `partial` is True for code 20001 (part of a batch failed): `data` then names the failed
    parts and `message` says what TikTok reported.
    """

    data: dict[str, Any]
    request_id: str
    partial: bool = False
    message: str = ""


@dataclass(frozen=True, slots=True)
class WriteResult(Generic[T]):
    """What a write returned, with the request id to record in the audit log.

    `partial` is True when TikTok executed only part of it (code 20001); the failed parts are in
    `value` (e.g. `InviteResult.rejected`) and `message`.
    """

    value: T
    request_id: str
    partial: bool = False
    message: str = ""


# ---------------------------------------------------------------- encoding


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    return value


def encode_query(params: Mapping[str, Any]) -> dict[str, str]:
    """GET parameters: None dropped, lists/objects JSON-encoded, booleans as true/false."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, Mapping | list | tuple | set | frozenset | BaseModel):
            out[key] = json.dumps(_jsonable(value), separators=(",", ":"), ensure_ascii=False)
        elif isinstance(value, Enum):
            out[key] = str(value.value)
        elif isinstance(value, datetime | date):
            out[key] = value.isoformat()
        else:
            out[key] = str(value)
    return out


def encode_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """A POST body: None values dropped at the top level, dates as ISO strings."""
    return {k: _jsonable(v) for k, v in body.items() if v is not None}


def account_key(endpoint: Endpoint) -> str | None:
    """The account parameter an endpoint needs: `tto_tcm_account_id` on /tto/, `tcm_account_id`
    on /tcm/, none for the account list and creator-token calls."""
    if endpoint.name == "tcm_accounts" or endpoint.token is Token.CREATOR:
        return None
    if endpoint.path.startswith("/tto/"):
        return TTO_ACCOUNT_KEY
    if endpoint.path.startswith("/tcm/"):
        return TCM_ACCOUNT_KEY
    return None


# ---------------------------------------------------------------- decoding


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value[:_MAX_MESSAGE]
    if value is None:
        return ""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)[:_MAX_MESSAGE]
    except (TypeError, ValueError, RecursionError):
        return type(value).__name__


def _code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def parse_response(http: httpx.Response) -> Response:
    """Turn one HTTP answer into a `Response`, or raise the matching `TikTokAPIError`."""
    status = http.status_code
    header_id = http.headers.get("x-tt-logid") or None
    retry_after = parse_retry_after(http.headers)
    try:
        body: Any = json.loads(http.content) if http.content else None
    except (ValueError, RecursionError):
        body = None
    envelope = body if isinstance(body, dict) else None
    code = _code(envelope.get("code")) if envelope is not None else None
    request_id = header_id
    if envelope is not None and isinstance(envelope.get("request_id"), str | int):
        request_id = str(envelope["request_id"]) or header_id
    ok_status = 200 <= status < 300

    partial = code == PARTIAL_OK and ok_status_of(status)
    if code is not None and code != 0 and not partial:
        data = envelope.get("data") if envelope is not None else None
        raise error_for_code(
            code,
            _text(envelope.get("message") if envelope is not None else "") or f"code {code}",
            request_id,
            data=data if isinstance(data, dict) else None,
            http_status=status,
            retry_after=retry_after,
        )
    if not ok_status:
        cls = class_for_http_status(status)
        reason = http.reason_phrase or "error"
        raise cls(
            None,
            f"the API answered HTTP {status} {reason}",
            request_id,
            http_status=status,
            retry_after=retry_after,
        )
    if code is None:
        what = "not JSON" if body is None else "not an API envelope"
        raise MalformedResponseError(
            f"the API answer was {what} ({len(http.content)} bytes)",
            request_id,
            http_status=status,
        )
    data = envelope.get("data") if envelope is not None else None
    if data is None or data == []:
        data = {}
    if not isinstance(data, dict):
        raise MalformedResponseError(
            f"the API answer's data is a {type(data).__name__}, not an object",
            request_id,
            code=0,
            transient=False,
        )
    message = _text(envelope.get("message")) if partial and envelope is not None else ""
    return Response(data=data, request_id=request_id or "", partial=partial, message=message)


def ok_status_of(status: int) -> bool:
    """True for a 2xx HTTP status."""
    return 200 <= status < 300


def shape_error(name: str, detail: str, request_id: str | None) -> MalformedResponseError:
    """A well-formed answer of endpoint `name` whose `data` has the wrong shape (not transient)."""
    path = ENDPOINTS[name].path if name in ENDPOINTS else name
    return MalformedResponseError(f"{path} answered {detail}", request_id, code=0, transient=False)
