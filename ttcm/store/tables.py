"""The Core `Table` of an ORM model, typed as one (for `upsert`, `insert()` and friends)."""

from __future__ import annotations

from sqlalchemy import Table

from ttcm.store.models import Base


def table_of(model: type[Base]) -> Table:
    """The `Table` that `model` is mapped to."""
    table = model.__table__
    if not isinstance(table, Table):  # every model of ttcm maps a plain table
        raise TypeError(f"{model.__name__} is not mapped to a Table")
    return table
