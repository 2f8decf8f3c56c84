"""Typed reading and validation of request parameters; every failure is an `ApiError`."""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

# Envelope codes the sandbox answers (docs/contract.md, "Error codes").
OK = 0
INVALID_REQUEST = 40000
PERMISSION = 40001
PARAM_ERROR = 40002
NOT_FOUND = 40007
TOO_MANY_IDS = 40011
DUPLICATED = 40050
RATE_LIMITED = 40100
TOKEN_EXPIRED = 40102
TOKEN_MISSING = 40104
TOKEN_INVALID = 40105
NOT_TCM_CREATOR = 40121
COUNTRY_UNSUPPORTED = 40122
SCOPE_NOT_AUTHORIZED = 40130
ROUTE_NOT_FOUND = 40400
VALIDATION = 40700
SYS_ERROR = 50000

_MAX_INT = 2**63 - 1
# Sanity bounds on free text that names things (not domain rules: those live in ttcm/rules/).
ID_MAX_CHARS = 64
URL_MAX_CHARS = 2048


class ApiError(Exception):
    """A non-zero envelope answer: code, message naming the field, optional data."""

    def __init__(self, code: int, message: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.data = code, message, data or {}


def unknown_values(name: str, bad: Sequence[str]) -> ApiError:
    """The refusal of list parameter `name` for values the endpoint does not know (five named)."""
    return ApiError(PARAM_ERROR, f"{name} has unknown values: {', '.join(bad[:5])}.")


def parse_body(body: bytes) -> dict[str, Any]:
    """The JSON object of a POST body (empty body: empty object)."""
    if not body or not body.strip():
        return {}
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiError(INVALID_REQUEST, "Request body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise ApiError(INVALID_REQUEST, "Request body must be a JSON object.")
    return value


class Params:
    """Parameters of one request: the query string (GET) or the JSON body (POST).

    Query values are strings and list/object values are JSON-encoded strings; body values are
    already JSON types. Each getter validates and names the parameter in its error.
    """

    def __init__(self, values: Mapping[str, Any], *, from_query: bool) -> None:
        self.values = values
        self.from_query = from_query

    def has(self, name: str) -> bool:
        """True when the parameter is present and not empty."""
        v = self.values.get(name)
        return v is not None and v != ""

    def raw(self, name: str) -> Any:
        """The parameter as sent, or None."""
        return self.values.get(name) if self.has(name) else None

    def _missing(self, name: str) -> ApiError:
        return ApiError(PARAM_ERROR, f"{name} is required.")

    def _given(self, name: str, required: bool) -> Any:
        """The parameter as sent, or None when absent; an absent `required` one is refused."""
        v = self.raw(name)
        if v is None and required:
            raise self._missing(name)
        return v

    def text(
        self,
        name: str,
        *,
        required: bool = False,
        max_len: int | None = None,
        default: str | None = None,
        code: int = VALIDATION,
    ) -> str | None:
        """A string parameter, at most `max_len` characters."""
        v = self._given(name, required)
        if v is None:
            return default
        if isinstance(v, bool) or not isinstance(v, str | int):
            raise ApiError(PARAM_ERROR, f"{name} must be a string.")
        v = str(v)
        if required and not v.strip():
            raise self._missing(name)
        if max_len is not None and len(v) > max_len:
            raise ApiError(code, f"{name} is too long: {len(v)} characters, at most {max_len}.")
        return v

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        default: int | None = None,
        lo: int | None = None,
        hi: int | None = None,
    ) -> int | None:
        """An integer parameter within [lo, hi]."""
        v = self._given(name, required)
        if v is None:
            return default
        number: int | None = None
        if isinstance(v, bool):
            number = None
        elif isinstance(v, int):
            number = v
        elif isinstance(v, float) and v.is_integer() and not self.from_query:
            number = int(v)
        elif isinstance(v, str):
            try:
                number = int(v.strip())
            except ValueError:
                number = None
        if number is None:
            raise ApiError(PARAM_ERROR, f"{name} must be an integer, got {_show(v)}.")
        lo_ = 0 if lo is None else lo
        hi_ = _MAX_INT if hi is None else hi
        if not lo_ <= number <= hi_:
            raise ApiError(PARAM_ERROR, f"{name} must be between {lo_} and {hi_}, got {number}.")
        return number

    def number(
        self,
        name: str,
        *,
        default: float | None = None,
        lo: float = 0.0,
        hi: float = 1e15,
    ) -> float | None:
        """A finite float parameter within [lo, hi]."""
        v = self.raw(name)
        if v is None:
            return default
        value: float | None = None
        if isinstance(v, int | float) and not isinstance(v, bool):
            value = float(v)
        elif isinstance(v, str):
            try:
                value = float(v.strip())
            except ValueError:
                value = None
        if value is None or not math.isfinite(value):
            raise ApiError(PARAM_ERROR, f"{name} must be a number, got {_show(v)}.")
        if not lo <= value <= hi:
            raise ApiError(PARAM_ERROR, f"{name} must be between {lo:g} and {hi:g}, got {value:g}.")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean parameter (`true`/`false` in queries)."""
        v = self.raw(name)
        if v is None:
            return default
        if isinstance(v, bool):
            return v
        if isinstance(v, str) and v.strip().lower() in ("true", "false", "1", "0"):
            return v.strip().lower() in ("true", "1")
        raise ApiError(PARAM_ERROR, f"{name} must be true or false, got {_show(v)}.")

    def choice(
        self,
        name: str,
        choices: Iterable[str],
        *,
        default: str | None = None,
        required: bool = False,
    ) -> str | None:
        """An enum parameter."""
        allowed = list(choices)
        v = self.raw(name)
        if v is None:
            if required:
                raise ApiError(PARAM_ERROR, f"{name} is required; one of {', '.join(allowed)}.")
            return default
        if not isinstance(v, str) or v not in allowed:
            raise ApiError(
                PARAM_ERROR, f"{name} must be one of {', '.join(allowed)}, got {_show(v)}."
            )
        return v

    def _list(self, name: str, required: bool = False) -> list[Any] | None:
        v = self._given(name, required)
        if v is None:
            return None
        if isinstance(v, str) and self.from_query:
            try:
                v = json.loads(v)
            except (ValueError, RecursionError):
                raise ApiError(
                    PARAM_ERROR,
                    f'{name} must be a JSON-encoded list, e.g. {name}=["a","b"]; got {_show(v)}.',
                ) from None
        if not isinstance(v, list):
            raise ApiError(PARAM_ERROR, f"{name} must be a list, got {_show(v)}.")
        return v

    def strings(
        self,
        name: str,
        *,
        required: bool = False,
        max_items: int | None = None,
        item_max_len: int | None = None,
        ids: bool = False,
    ) -> list[str] | None:
        """A list of strings (`ids=True` also accepts integers and requires digits)."""
        items = self._list(name, required)
        if items is None:
            return None
        if required and not items:
            raise ApiError(PARAM_ERROR, f"{name} must not be empty.")
        if max_items is not None and len(items) > max_items:
            raise ApiError(
                TOO_MANY_IDS, f"{name} has {len(items)} items; at most {max_items} per request."
            )
        out = []
        for item in items:
            if ids and isinstance(item, int) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str):
                raise ApiError(PARAM_ERROR, f"{name} must contain only strings, got {_show(item)}.")
            if item_max_len is not None and len(item) > item_max_len:
                raise ApiError(
                    VALIDATION, f"{name} has an item longer than {item_max_len} characters."
                )
            out.append(item)
        return out

    def names(self, name: str, known: Collection[str]) -> list[str] | None:
        """A list of names, each one of `known` (e.g. the `fields` an endpoint can return)."""
        items = self.strings(name, max_items=len(known))
        bad = [v for v in items or () if v not in known]
        if bad:
            raise unknown_values(name, bad)
        return items

    def objects(self, name: str, *, max_items: int | None = None) -> list[dict[str, Any]] | None:
        """A list of JSON objects."""
        items = self._list(name)
        if items is None:
            return None
        if max_items is not None and len(items) > max_items:
            raise ApiError(
                PARAM_ERROR, f"{name} has {len(items)} items; at most {max_items} are allowed."
            )
        if not all(isinstance(i, dict) for i in items):
            raise ApiError(PARAM_ERROR, f"{name} must be a list of objects.")
        return items

    def day(self, name: str, *, required: bool = False) -> date | None:
        """A `YYYY-MM-DD` date parameter."""
        v = self._given(name, required)
        if v is None:
            return None
        try:
            if not isinstance(v, str) or len(v) != 10:
                raise ValueError
            return date.fromisoformat(v)
        except ValueError:
            raise ApiError(
                PARAM_ERROR, f"{name} must be a date YYYY-MM-DD, got {_show(v)}."
            ) from None


def _show(value: Any) -> str:
    """A short printable form of a bad value for an error message."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."
