"""The two paging schemes of docs/contract.md: page/page_size and the millisecond time cursor."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeVar

from ttcm import rules
from ttcm.api.endpoints import Endpoint
from ttcm.sandbox.params import Params

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 10
MAX_PAGE = 2**31 - 1


def page_params(p: Params, endpoint: Endpoint) -> tuple[int, int]:
    """(page, page_size) of a PAGE endpoint; page_size above the endpoint's cap is an error."""
    cap = endpoint.max_page_size or 100
    page = p.integer("page", default=1, lo=1, hi=MAX_PAGE)
    size = p.integer("page_size", default=min(DEFAULT_PAGE_SIZE, cap), lo=1, hi=cap)
    assert page is not None and size is not None
    return page, size


def page_info(page: int, page_size: int, total: int, pageable: int | None = None) -> dict[str, int]:
    """`page_info`; `pageable` (default `total`) is how many items the pages can reach."""
    reach = total if pageable is None else pageable
    return {
        "page": page,
        "page_size": page_size,
        "total_number": total,
        "total_page": math.ceil(reach / page_size) if reach else 0,
    }


def page_of(items: Sequence[T], page: int, page_size: int) -> list[T]:
    """The items of one page (empty past the end)."""
    start = (page - 1) * page_size
    return list(items[start : start + page_size]) if start < len(items) else []


def paged(items: Sequence[Any], page: int, page_size: int, key: str) -> dict[str, Any]:
    """`{key: [...], page_info: {...}}` for a fully materialised list."""
    return {
        key: page_of(items, page, page_size),
        "page_info": page_info(page, page_size, len(items)),
    }


def cursor_params(p: Params) -> tuple[int, int]:
    """(cursor ms, limit) of a CURSOR endpoint; cursor 0 means newest."""
    cap = int(rules.limits()["video_list_limit_max"])
    cursor = p.integer("cursor", default=0, lo=0)
    limit = p.integer("limit", default=cap, lo=1, hi=cap)
    assert cursor is not None and limit is not None
    return cursor, limit
