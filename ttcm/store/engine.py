"""Engine factory and the store's read/write transaction shapes.

SQLite: WAL, synchronous=NORMAL, busy_timeout, foreign keys on, and every write transaction
opened with BEGIN IMMEDIATE so it takes the write lock up front (a deferred transaction that reads
first cannot upgrade when another writer committed meanwhile, and gets SQLITE_BUSY without
waiting: docs/decisions.md §7). Reads use plain deferred transactions and never block on the
writer under WAL. PostgreSQL needs none of this.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

BUSY_TIMEOUT_MS = 10_000
_WRITE = "ttcm_write"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for a SQLAlchemy URL, with ttcm's SQLite settings when it is SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True, future=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # let SQLAlchemy, not pysqlite, decide when transactions begin
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_size_limit=67108864")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


class Store:
    """The cache database: hands out short read and write transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{_WRITE: True})

    @classmethod
    def from_url(cls, url: str) -> Store:
        """Open the store at a SQLAlchemy URL."""
        return cls(make_engine(url))

    @property
    def is_sqlite(self) -> bool:
        """True when backed by SQLite."""
        return is_sqlite(self.engine)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction, closed (never kept open) afterwards."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction that holds the write lock from its start."""
        with self._writer.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """An ORM session in one transaction, committed on success."""
        bind = self._writer if write else self.engine
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
