"""Lenient readers for payload values: numbers from strings, ids as strings, any timestamp form.

Each reader returns the value in its canonical type, or None when the input cannot be read (never
raises). `Annotated` aliases at the end plug them into the pydantic models of `ttcm.api.models`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError, ValidatorFunctionWrapHandler, WrapValidator

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _number(value: Any) -> float | None:
    """A finite number from a number or a numeric string; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if abs(value) < 1e300 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if _NUMBER.fullmatch(text):
            number = float(text)
            return number if math.isfinite(number) else None
    return None


def to_int(value: Any) -> int | None:
    """An integer (counts, days, cursors), or None when the value is not a number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = _number(value)
    return None if number is None else int(round(number))


def to_float(value: Any) -> float | None:
    """A finite float, or None."""
    return _number(value)


def to_bool(value: Any) -> bool | None:
    """A boolean from a bool, 0/1 or a true/false string, or None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(
            value.strip().lower()
        )
    return None


def to_text(value: Any) -> str | None:
    """A string from a string or a plain number; other values are None."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value) if math.isfinite(value) else None
    return None


def to_id(value: Any) -> str | None:
    """An id as a string (64-bit ids arrive as numbers or strings); None when absent or junk."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def to_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime from Unix seconds/milliseconds (number or string) or a date string."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    number = _number(value)
    if number is not None:
        if abs(number) >= 1e14:  # microseconds
            number /= 1e6
        elif abs(number) >= 1e11:  # milliseconds (1e11 s would be the year 5138)
            number /= 1e3
        if number <= 0:
            return None  # 0 / negative stand for "never" in these payloads
        try:
            return _EPOCH + timedelta(seconds=number)
        except OverflowError:
            return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    return None


def to_date(value: Any) -> date | None:
    """A calendar date from `YYYY-MM-DD`, a date-time string or a timestamp."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    moment = to_datetime(value)
    return moment.date() if moment else None


def split_list(value: Any) -> list[Any] | None:
    """A list from a list, a JSON-encoded list or a comma-separated string."""
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except (ValueError, RecursionError):
                parsed = None
            return parsed if isinstance(parsed, list) else None
        return [part.strip() for part in text.split(",") if part.strip()]
    return None


def to_str_list(value: Any) -> list[str] | None:
    """A list of strings (numbers become strings; other items are dropped)."""
    items = split_list(value)
    if items is None:
        return None
    return [text for text in (to_id(item) for item in items) if text is not None]


def to_float_list(value: Any) -> list[float] | None:
    """A list of floats from a list, `"[0.9, 0.8]"` or `"0.9,0.8"`; junk items are dropped."""
    items = split_list(value)
    if items is None:
        return None
    numbers = [number for number in (_number(item) for item in items) if number is not None]
    return None if items and not numbers else numbers  # nothing readable is unknown, not empty


def lenient(read: Callable[[Any], Any]) -> BeforeValidator:
    """A pydantic before-validator running one of the readers above."""
    return BeforeValidator(read)


def _keep_valid_items(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate a list item by item, dropping items that do not fit; a non-list becomes None."""
    items = split_list(value) if isinstance(value, str) else value
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return None
    kept: list[Any] = []
    for item in items:
        try:
            kept.extend(handler([item]))
        except ValidationError:
            continue
    return kept


def _keep_valid_items_or_empty(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    kept = _keep_valid_items(value, handler)
    return [] if kept is None else kept


def _or_none(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate a nested object; a nested object that does not fit becomes None."""
    try:
        return handler(value)
    except ValidationError:
        return None


Id = Annotated[str, lenient(to_id)]
OptId = Annotated[str | None, lenient(to_id)]
Text = Annotated[str | None, lenient(to_text)]
Count = Annotated[int | None, lenient(to_int)]
Ratio = Annotated[float | None, lenient(to_float)]
Flag = Annotated[bool | None, lenient(to_bool)]
Time = Annotated[datetime | None, lenient(to_datetime)]
StrList = Annotated[list[str] | None, lenient(to_str_list)]
Strings = Annotated[list[str], lenient(lambda v: to_str_list(v) or [])]
FloatList = Annotated[list[float] | None, lenient(to_float_list)]
Items = WrapValidator(_keep_valid_items)
ItemsOrEmpty = WrapValidator(_keep_valid_items_or_empty)
Nested = WrapValidator(_or_none)
