"""Bulk upsert on the raw DBAPI cursor: new rows inserted, changed rows updated, the rest untouched.

The ORM is ~2x slower for bulk writes (docs/decisions.md §6), so the refresh's hot path builds one
`INSERT ... ON CONFLICT DO UPDATE ... WHERE <some column differs>` statement and runs it with the
driver's executemany. Values still go through each column type's bind processor, so rows written
here read back through the ORM exactly like rows written by it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Connection, Table


@dataclass(frozen=True)
class UpsertPlan:
    """A compiled upsert for one table and column set on one dialect."""

    sql: str
    columns: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]

    def params(self, rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Row mappings -> parameter tuples in column order, with bind processing."""
        cols, procs = self.columns, self.processors
        if not any(procs):
            return [tuple(row.get(c) for c in cols) for row in rows]
        out = []
        for row in rows:
            out.append(
                tuple(
                    (p(row.get(c)) if p is not None else row.get(c))
                    for c, p in zip(cols, procs, strict=True)
                )
            )
        return out


@lru_cache(maxsize=64)
def _plan(
    table: Table,
    dialect_name: str,
    columns: tuple[str, ...],
    key: tuple[str, ...],
    update: tuple[str, ...],
    compare: tuple[str, ...],
    dialect: Any,
) -> UpsertPlan:
    placeholder = "?" if dialect_name == "sqlite" else "%s"
    differs = "IS NOT" if dialect_name == "sqlite" else "IS DISTINCT FROM"
    q = dialect.identifier_preparer.quote
    name = q(table.name)
    col_sql = ", ".join(q(c) for c in columns)
    values = ", ".join(placeholder for _ in columns)
    sql = f"INSERT INTO {name} ({col_sql}) VALUES ({values}) ON CONFLICT ({', '.join(map(q, key))})"
    if update:
        sets = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in update)
        sql += f" DO UPDATE SET {sets}"
        if compare:
            where = " OR ".join(f"{name}.{q(c)} {differs} excluded.{q(c)}" for c in compare)
            sql += f" WHERE {where}"
    else:
        sql += " DO NOTHING"
    procs = tuple(_processor(table.c[c].type, dialect) for c in columns)
    return UpsertPlan(sql=sql, columns=columns, processors=procs)


def _processor(col_type: Any, dialect: Any) -> Callable[[Any], Any] | None:
    impl = col_type.dialect_impl(dialect)
    proc = impl.bind_processor(dialect)
    if proc is None and isinstance(impl, JSON) and dialect.name == "postgresql":
        # SQLAlchemy leaves JSON adaptation to psycopg at a level the raw cursor bypasses
        from psycopg.types.json import Jsonb

        return lambda v: None if v is None else Jsonb(v)
    return proc


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str],
    update: Sequence[str] | None = None,
    compare: Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
) -> int:
    """Upsert `rows` into `table` by `key`; returns how many rows were inserted or changed.

    `update` lists the columns overwritten on conflict (default: all but the key; empty = do
    nothing on conflict). Only rows where one of `compare` (default: `update`) differs are
    rewritten, so a refresh that sees no change writes nothing.
    """
    if not rows:
        return 0
    cols = tuple(columns or rows[0].keys())
    upd = tuple(c for c in cols if c not in key) if update is None else tuple(update)
    cmp = upd if compare is None else tuple(compare)
    dialect = conn.dialect
    plan = _plan(table, dialect.name, cols, tuple(key), upd, cmp, dialect)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(plan.sql, plan.params(rows))
        return max(cursor.rowcount, 0)
    finally:
        cursor.close()
