"""Exceptions raised by the TikTok One client: one tree, catch at the level you need.

    TikTokAPIError                     code, message, request_id; str() never shows a token
    ├── APIStatusError                 the API answered a non-zero code (unknown codes land here)
    │   ├── InvalidRequestError        40000, 40002, 40011, 40700
    │   │   └── RequestValidationError bad argument caught before sending (also a ValueError)
    │   ├── PermissionDeniedError      40001, 40003, 40113, 40117, 40118, 40130
    │   ├── NotFoundError              40007, 40400
    │   ├── DuplicateRequestError      40050 (keeps `data`, e.g. existing_order_ids)
    │   ├── TokenExpiredError          40102
    │   ├── TokenInvalidError          40103, 40104, 40105, 40107
    │   ├── NotTTCMCreatorError        40121
    │   ├── CountryUnsupportedError    40122
    │   ├── RateLimitError             40100, 40132, 51021, 61000, HTTP 429   (transient)
    │   └── ServerError                50000, 50002, 51000-51099, 60001, HTTP 5xx (transient)
    ├── APIConnectionError             no answer; `sent` says whether the request left (transient)
    │   └── APITimeoutError
    └── MalformedResponseError         not an envelope, or `data` of the wrong shape
        └── UnexpectedResponse         a success answer without a key the endpoint must send

`transient` (alias `retryable`) is true when waiting and sending the same read again can succeed.
The code -> class table is `CODE_CLASSES` / `CODE_RANGES` / `HTTP_STATUS_CLASSES` below.
"""

from __future__ import annotations

from typing import Any

from ttcm.api.redact import redact
from ttcm.errors import UpstreamError


class TikTokAPIError(UpstreamError):
    """Base of every client error: `code` (None when no envelope), `message`, `request_id`."""

    transient: bool = False

    def __init__(
        self,
        code: int | None,
        message: str,
        request_id: str | None = None,
        *,
        http_status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.code = code
        self.message = redact(str(message))
        self.request_id = redact(request_id) if request_id else None
        self.http_status = http_status
        self.retry_after = retry_after  # seconds the server asked us to wait, when it said so
        super().__init__(self.message)

    @property
    def retryable(self) -> bool:
        """Alias of `transient`: sending the same read again later may succeed."""
        return self.transient

    def __str__(self) -> str:
        parts = [f"code {self.code}" if self.code is not None else None]
        if self.http_status is not None and (self.http_status >= 300 or self.code is None):
            parts.append(f"HTTP {self.http_status}")
        parts.append(f"request_id {self.request_id or '-'}")
        return f"{self.message} [{', '.join(p for p in parts if p)}]"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"request_id={self.request_id!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # keep pickling (multiprocessing, caches) working with the keyword-only fields
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[TikTokAPIError], state: dict[str, Any]) -> TikTokAPIError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("message", ""))
    err.__dict__.update(state)
    return err


class APIStatusError(TikTokAPIError):
    """The API answered with a non-zero code this client has no specific class for."""


class InvalidRequestError(APIStatusError):
    """The request was rejected as invalid (missing/bad parameter, too many ids, text too long)."""


class RequestValidationError(InvalidRequestError, ValueError):
    """An argument failed the client-side checks; nothing was sent. `field` names the argument."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(40002, f"{field}: {message}", None)
        self.field = field


class PermissionDeniedError(APIStatusError):
    """The token may not act on this account, or the creator did not grant the scope."""


class NotFoundError(APIStatusError):
    """The handle, campaign, video, order or path does not exist."""


class DuplicateRequestError(APIStatusError):
    """The same write was already done; `data` carries what the server knows (existing ids)."""

    def __init__(
        self,
        code: int | None,
        message: str,
        request_id: str | None = None,
        *,
        data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(code, message, request_id, **kwargs)
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}

    @property
    def existing_order_ids(self) -> list[str]:
        """Ids of the orders that already exist (40050 on order create), as strings."""
        ids = self.data.get("existing_order_ids")
        if not isinstance(ids, list):
            return []
        return [str(i) for i in ids if isinstance(i, str | int) and not isinstance(i, bool)]


class TokenExpiredError(APIStatusError):
    """The access token expired: renew it, then run again."""


class TokenInvalidError(APIStatusError):
    """The access token is missing, unknown or revoked: re-authorize; never retry."""


class NotTTCMCreatorError(APIStatusError):
    """The creator is not on the TikTok Creator Marketplace."""


class CountryUnsupportedError(APIStatusError):
    """The country is not one of the marketplace countries."""


class RateLimitError(APIStatusError):
    """The app is over its request rate; the request was not executed, so any call may be resent."""

    transient = True


class ServerError(APIStatusError):
    """A temporary fault of the API (envelope 5xxxx/60001 or HTTP 5xx)."""

    transient = True


class APIConnectionError(TikTokAPIError):
    """No answer arrived. `sent` is False when the request provably never left (connect failed)."""

    transient = True

    def __init__(self, message: str, *, sent: bool = True) -> None:
        super().__init__(None, message, None)
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """The API did not answer in time."""


class MalformedResponseError(TikTokAPIError):
    """The answer was not a JSON envelope, or `data` did not have the documented shape.

    A garbled body is transient (retried once for reads); a well-formed body of the wrong shape
    is not (`transient=False`), since asking again returns the same shape.
    """

    transient = True

    def __init__(
        self,
        message: str,
        request_id: str | None = None,
        *,
        code: int | None = None,
        http_status: int | None = None,
        transient: bool = True,
    ) -> None:
        super().__init__(code, message, request_id, http_status=http_status)
        self.transient = transient


def key_text(key: object) -> str:
    """A key name from an answer, safe to print: control characters shown as '?', 40 at most."""
    text = "".join(c if c.isprintable() else "?" for c in str(key))
    return text if len(text) <= 40 else text[:39] + "…"


class UnexpectedResponse(MalformedResponseError):
    """A success answer lacks a key its endpoint must send (schema drift); never retried.

    Names the endpoint, the missing key and the keys that were present; never a value.
    """

    def __init__(
        self,
        endpoint: str,
        missing: str,
        present: list[str] | tuple[str, ...],
        request_id: str | None = None,
        *,
        where: str = "data",
        detail: str = "",
    ) -> None:
        self.endpoint = endpoint
        self.missing = missing
        self.present = tuple(sorted(key_text(k) for k in present))
        self.where = where
        keys = ", ".join(self.present[:30]) or "none"
        more = f" (+{len(self.present) - 30} more)" if len(self.present) > 30 else ""
        extra = f"; {detail}" if detail else ""
        super().__init__(
            f"{endpoint} answered without {missing!r} in {where}{extra} "
            f"(keys present: {keys}{more})",
            request_id,
            code=0,
            transient=False,
        )


# ---------------------------------------------------------------- code -> class, as data

CODE_CLASSES: dict[int, type[APIStatusError]] = {
    **dict.fromkeys((40000, 40002, 40011, 40700), InvalidRequestError),
    **dict.fromkeys((40001, 40003, 40113, 40117, 40118, 40130), PermissionDeniedError),
    **dict.fromkeys((40007, 40400), NotFoundError),
    40050: DuplicateRequestError,
    **dict.fromkeys((40100, 40132, 51021, 61000), RateLimitError),
    40102: TokenExpiredError,
    **dict.fromkeys((40103, 40104, 40105, 40107), TokenInvalidError),
    40121: NotTTCMCreatorError,
    40122: CountryUnsupportedError,
    **dict.fromkeys((50000, 50002, 60001), ServerError),
}
# inclusive ranges, consulted after CODE_CLASSES (so 51021 stays a rate limit)
CODE_RANGES: tuple[tuple[int, int, type[APIStatusError]], ...] = (
    (51000, 51099, ServerError),
    (52000, 52999, ServerError),  # server timeouts (issue 14): retried for reads
)
# a non-2xx HTTP answer without a usable envelope
HTTP_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: InvalidRequestError,
    401: TokenInvalidError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def class_for_code(code: int) -> type[APIStatusError]:
    """The exception class for a non-zero envelope code."""
    cls = CODE_CLASSES.get(code)
    if cls is not None:
        return cls
    for lo, hi, range_cls in CODE_RANGES:
        if lo <= code <= hi:
            return range_cls
    return APIStatusError


def class_for_http_status(status: int) -> type[APIStatusError]:
    """The exception class for a non-2xx HTTP status without an envelope."""
    if status >= 500:
        return ServerError
    return HTTP_STATUS_CLASSES.get(status, APIStatusError)


def error_for_code(
    code: int,
    message: str,
    request_id: str | None,
    *,
    data: dict[str, Any] | None = None,
    http_status: int | None = None,
    retry_after: float | None = None,
) -> APIStatusError:
    """Build the exception for an envelope with a non-zero `code`."""
    cls = class_for_code(code)
    kwargs: dict[str, Any] = {"http_status": http_status, "retry_after": retry_after}
    if issubclass(cls, DuplicateRequestError):
        kwargs["data"] = data
    return cls(code, message, request_id, **kwargs)
