"""The Core table of an ORM model, typed as a Table (mypy sees `__table__` as a FromClause)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table


def table_of(model: Any) -> Table:
    """`model.__table__` as the Table it is (for Core inserts and `upsert`)."""
    return cast(Table, model.__table__)
