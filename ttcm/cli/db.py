"""`ttcm db upgrade|check`: schema migrations and the integrity check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ttcm.cli.common import CLIError, actions, load_settings
from ttcm.domain import format as numfmt


def _sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other backends and in-memory databases)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Apply schema migrations (creating the store when its SQLite file does not exist yet)."""
    from ttcm.store import make_engine, upgrade

    url = load_settings().database_url
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        print(f"creating a new store at {path}", file=sys.stderr)
    rev = upgrade(make_engine(url))
    print(f"schema at revision {rev}")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    """Integrity check and row counts (never creates a database)."""
    from ttcm.store import check, make_engine

    url = load_settings().database_url
    path = _sqlite_file(url)
    if path is not None and not path.is_file():
        raise CLIError(
            f"no store at {path} (check TTCM_DATABASE_URL; `ttcm db upgrade` creates a new one)"
        )
    report = check(make_engine(url))
    for table, n in report.counts.items():
        print(f"{table:24} {numfmt.count(n):>12}")
    if report.ok:
        print(f"ok: revision {report.revision}, integrity check passed")
        return 0
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `db upgrade` and `db check`."""
    db_sub = actions(subparsers, "db", "schema migrations and integrity check")
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    db_sub.add_parser("check", help="integrity check and row counts").set_defaults(
        func=cmd_db_check
    )
