"""Schema migrations (Alembic) and the integrity check behind `ttcm db upgrade|check`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from ttcm.store.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this code."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Apply migrations up to `revision`; returns the revision now applied."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # the migration's own transaction must be the write transaction
            conn = conn.execution_options(ttcm_write=True)
        command.upgrade(_config(conn), revision)
        conn.commit()
    rev = current_revision(engine)
    assert rev is not None
    return rev


def ensure_schema(engine: Engine) -> None:
    """Upgrade when the database is behind this code (used at app and CLI start)."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


@dataclass
class CheckReport:
    """Result of `ttcm db check`."""

    ok: bool
    revision: str | None
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def check(engine: Engine) -> CheckReport:
    """Run the integrity checks and count rows per table."""
    problems: list[str] = []
    rev = current_revision(engine)
    if rev != head_revision():
        problems.append(f"schema at {rev or 'nothing'}, code expects {head_revision()}")
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                problems.extend(f"integrity: {r}" for r in result[:20])
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            problems.extend(f"foreign key: {tuple(r)}" for r in fk[:20])
            if "creators_fts" in inspect(conn).get_table_names():
                try:
                    conn.exec_driver_sql(
                        "INSERT INTO creators_fts(creators_fts, rank) VALUES('integrity-check', 1)"
                    )
                except Exception as exc:  # noqa: BLE001 - report, don't crash the check
                    problems.append(f"text index: {exc}")
        present = set(inspect(conn).get_table_names())
        for table in Base.metadata.sorted_tables:
            if table.name in present:
                counts[table.name] = conn.execute(
                    text(f'SELECT COUNT(*) FROM "{table.name}"')
                ).scalar_one()
            else:
                problems.append(f"missing table {table.name}")
        conn.rollback()
    return CheckReport(ok=not problems, revision=rev, problems=problems, counts=counts)
