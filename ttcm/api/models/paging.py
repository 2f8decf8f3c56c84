"""Paging blocks of list answers: page numbers or an opaque cursor."""

from __future__ import annotations

from ttcm.api.coerce import Count, Flag
from ttcm.api.models.base import Model


class PageInfo(Model):
    """Page-number paging: `data.page_info`."""

    page: Count = None
    page_size: Count = None
    total_number: Count = None
    total_page: Count = None


class CursorInfo(Model):
    """Cursor paging: `page_info` or the top level of `data`; the cursor is opaque (int or str)."""

    has_more: Flag = None
    cursor: int | str | None = None
