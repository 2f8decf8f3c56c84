"""Client-side argument checks with the contract's limits (`ttcm/rules/api_limits.json`).

Each check raises `RequestValidationError` (an `InvalidRequestError` and a `ValueError`) naming
the argument, before anything is sent.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from ttcm import rules
from ttcm.api.errors import RequestValidationError


def limit(name: str) -> Any:
    """One value of `ttcm/rules/api_limits.json`."""
    return rules.limits()[name]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def text(value: Any, field: str, *, max_chars: int | None = None) -> str:
    """A non-blank string of at most `max_chars` characters."""
    if not isinstance(value, str) or not value.strip():
        raise RequestValidationError(field, f"must be a non-empty string, got {value!r}")
    if max_chars is not None and len(value) > max_chars:
        raise RequestValidationError(
            field, f"is {len(value)} characters long; at most {max_chars} are allowed"
        )
    return value


def optional_text(value: Any, field: str, *, max_chars: int | None = None) -> str | None:
    """`text` for an argument that may be None."""
    return None if value is None else text(value, field, max_chars=max_chars)


def identifier(value: Any, field: str) -> str:
    """An id as a string (integers are accepted and converted)."""
    if _is_int(value) and value >= 0:
        return str(value)
    return text(value, field).strip()


def strings(
    values: Any,
    field: str,
    *,
    max_items: int | None = None,
    max_chars: int | None = None,
    required: bool = True,
) -> list[str]:
    """A list of distinct non-empty strings (order kept); a bare string is refused."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise RequestValidationError(
            field, f"must be a list of strings, got {type(values).__name__}"
        )
    out: list[str] = []
    for value in values:
        item = identifier(value, field) if _is_int(value) else text(value, field)
        if max_chars is not None and len(item) > max_chars:
            raise RequestValidationError(
                field, f"has an item of {len(item)} characters; at most {max_chars} are allowed"
            )
        if item not in out:
            out.append(item)
    if required and not out:
        raise RequestValidationError(field, "must not be empty")
    if max_items is not None and len(out) > max_items:
        raise RequestValidationError(
            field, f"has {len(out)} items; at most {max_items} per request"
        )
    return out


def optional_strings(values: Any, field: str, **kwargs: Any) -> list[str] | None:
    """`strings` for an argument that may be None."""
    return None if values is None else strings(values, field, **kwargs)


def handles(
    values: Any, field: str, *, max_items: int | None = None, required: bool = True
) -> list[str]:
    """TikTok handles (a leading `@` is removed)."""
    raw = strings(values, field, required=required)
    out: list[str] = []
    for handle in raw:
        clean = handle.strip().removeprefix("@")
        if not clean:
            raise RequestValidationError(field, f"has an empty handle {handle!r}")
        if len(clean) > int(limit("handle_max_chars")):
            raise RequestValidationError(
                field, f"handle {clean[:20]!r}... is longer than {limit('handle_max_chars')}"
            )
        if clean not in out:
            out.append(clean)
    if max_items is not None and len(out) > max_items:
        raise RequestValidationError(
            field, f"has {len(out)} handles; at most {max_items} per request"
        )
    return out


def handle(value: Any, field: str = "handle") -> str:
    """One TikTok handle."""
    return handles([value] if isinstance(value, str) else value, field, max_items=1)[0]


def choice(value: Any, field: str, allowed: Collection[str]) -> str:
    """One of `allowed` (case-insensitive; returned upper-case as the API spells enums)."""
    if isinstance(value, str) and value.strip().upper() in allowed:
        return value.strip().upper()
    raise RequestValidationError(field, f"must be one of {', '.join(allowed)}, got {value!r}")


def integer(value: Any, field: str, lo: int | None = None, hi: int | None = None) -> int:
    """An integer in [lo, hi]."""
    if not _is_int(value):
        raise RequestValidationError(field, f"must be an integer, got {value!r}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise RequestValidationError(field, f"must be between {lo} and {hi}, got {value}")
    return int(value)


def spark_days(value: Any, field: str, *, allow_zero: bool = False) -> int:
    """A Spark Ads authorization duration (7/30/60/365; 0 = none, only where allowed)."""
    allowed = tuple(rules.spark_days())
    if allow_zero:
        allowed = (0, *allowed)
    if not _is_int(value) or value not in allowed:
        raise RequestValidationError(
            field, f"must be one of {', '.join(map(str, allowed))} days, got {value!r}"
        )
    return int(value)


def day(value: Any, field: str) -> date:
    """A date from a `date` or a `YYYY-MM-DD` string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RequestValidationError(field, f"must be a date (YYYY-MM-DD), got {value!r}")


def date_range(
    start: Any, end: Any, *, max_days: int | None = None
) -> tuple[date | None, date | None]:
    """Start/end dates, both or neither, with start <= end and at most `max_days` apart."""
    first = None if start is None else day(start, "start_date")
    last = None if end is None else day(end, "end_date")
    if (first is None) != (last is None):
        raise RequestValidationError("start_date", "start_date and end_date go together")
    if first is not None and last is not None:
        if first > last:
            raise RequestValidationError("start_date", f"{first} is after end_date {last}")
        if max_days is not None and (last - first).days > max_days:
            raise RequestValidationError(
                "end_date", f"must be at most {max_days} days after start_date"
            )
    return first, last


def url(value: Any, field: str, prefix: str) -> str:
    """A URL that starts with `prefix`."""
    text(value, field)
    if not value.startswith(prefix):
        raise RequestValidationError(field, f"must start with {prefix}")
    return value
