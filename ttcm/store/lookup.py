"""Read the one row (or value) a key names, or raise the caller's not-found error."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, FromClause, select
from sqlalchemy.orm import QueryableAttribute

T = TypeVar("T")


def one_row(
    conn: Connection, table: FromClause, where: ColumnElement[bool], missing: Exception
) -> dict[str, Any]:
    """The first row of `table` matching `where`, by column name; raises `missing` if none."""
    row = conn.execute(select(table).where(where)).first()
    if row is None:
        raise missing
    return dict(row._mapping)


def one_value(
    conn: Connection,
    column: ColumnElement[T] | QueryableAttribute[T],
    where: ColumnElement[bool],
    missing: Exception,
) -> T:
    """The value of `column` in the one row matching `where`; raises `missing` if none (or NULL)."""
    value = conn.execute(select(column).where(where)).scalar_one_or_none()
    if value is None:
        raise missing
    return value
