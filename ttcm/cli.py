"""The `ttcm` command line (docs/architecture.md §4).

Every command exits 0 on success, 1 with a one-line message on bad input or an API failure,
and never prints a token.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ttcm import __version__
from ttcm.config import ConfigError, Settings
from ttcm.domain import format as numfmt
from ttcm.errors import TTCMError

Handler = Callable[[argparse.Namespace], int]


class CLIError(TTCMError):
    """A failure to report as one line on stderr."""


def _settings() -> Settings:
    try:
        return Settings.load()
    except ConfigError as exc:
        raise CLIError(str(exc)) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, got {text!r}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a rate such as 0.05 or 5%, got {text!r}"
        ) from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"a rate must be between 0 and 1 (or 0%-100%), got {text!r}"
        )
    return value


def _csv_list(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _resources(text: str) -> list[str]:
    from ttcm.sync import RESOURCES

    names = _csv_list(text)
    if not names:
        raise argparse.ArgumentTypeError(f"name at least one of {','.join(RESOURCES)}")
    unknown = [n for n in names if n not in RESOURCES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown resource {unknown[0]!r}; choose from {','.join(RESOURCES)}"
        )
    return names


def _currency(text: str) -> str:
    from ttcm import rules

    code = text.strip().upper()
    known = {c["currency"] for c in rules.countries().values() if c.get("currency")}
    if code not in known:
        shown = text if len(text) <= 12 else text[:12] + "…"
        raise argparse.ArgumentTypeError(
            f"unknown currency {shown!r}; choose from {', '.join(sorted(known))}"
        )
    return code


# ---------------------------------------------------------------- output


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    """Print rows as a table, JSON list or CSV."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        print(json.dumps([{c: r.get(c) for c in columns} for r in rows], default=str, indent=1))
        return
    if fmt == "csv":
        from ttcm.services.export import write_csv

        # headers are the API field names, as in --format json (a machine format)
        sys.stdout.write(write_csv(columns, ([r.get(c) for c in columns] for r in rows)))
        return
    if not rows:
        print("(no rows)")
        return
    cells = [[_fmt(c, r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def _fmt(column: str, value: Any) -> str:
    if column.endswith("_rate") and isinstance(value, int | float) and not isinstance(value, bool):
        return numfmt.percent(value)  # rates are fractions in the API and percentages for people
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return numfmt.count(value)
    if isinstance(value, float) or value is None:
        return numfmt.decimal(value)
    text = str(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


# ---------------------------------------------------------------- db


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

    url = _settings().database_url
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        print(f"creating a new store at {path}", file=sys.stderr)
    rev = upgrade(make_engine(url))
    print(f"schema at revision {rev}")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    """Integrity check and row counts (never creates a database)."""
    from ttcm.store import check, make_engine

    url = _settings().database_url
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


# ---------------------------------------------------------------- refresh and purge


class _Bar:
    """A one-line progress bar on stderr (a line per second when stderr is not a terminal)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.width = 0
        self.printed_at = 0.0

    def __call__(self, p: Any) -> None:
        import time

        from ttcm.api.base import PAUSE_PREFIX

        if p.total:
            filled = int(24 * min(p.done, p.total) / p.total)
            done, total = numfmt.count(p.done), numfmt.count(p.total)
            bar = f"[{'#' * filled}{'.' * (24 - filled)}] {done}/{total}"
        else:
            bar = f"{numfmt.count(p.done)} rows"
        rate = numfmt.rate(p.rate)
        head = f"{p.resource:16} {bar}  {numfmt.count(p.requests)} requests, {rate}"
        if p.message.startswith(PAUSE_PREFIX):  # the notice whole, the counts shortened
            line = f"{head[: max(0, 118 - len(p.message))]}  {p.message}"
        else:
            line = f"{head}  {p.message}"[:120]
        if self.tty:
            sys.stderr.write("\r" + line.ljust(self.width))
            sys.stderr.flush()
            self.width = len(line)
        elif time.monotonic() - self.printed_at >= 1.0 or p.message.startswith(PAUSE_PREFIX):
            # a TikTok pause is followed by minutes of silence: never drop its notice
            print(line, file=sys.stderr)
            self.printed_at = time.monotonic()

    def close(self) -> None:
        """End the bar's line."""
        if self.tty and self.width:
            sys.stderr.write("\n")


def cmd_refresh(args: argparse.Namespace) -> int:
    """Refresh the store from the API."""
    from ttcm.runtime import make_client, open_store
    from ttcm.sync import RESOURCES, Refresher, store_is_empty

    resources = list(RESOURCES) if args.resources is None else args.resources
    settings = _settings()
    store = open_store(settings)
    if args.if_empty and not store_is_empty(store):
        print("cache already filled; not refreshing (run `ttcm refresh` to update it)")
        return 0
    bar = _Bar()
    with make_client(settings) as client:
        report = Refresher(store, client, progress=bar).run(resources, full=args.full)
    bar.close()
    parts = [
        f"{res}: " + ", ".join(f"{k} {numfmt.count(v)}" for k, v in counts.items())
        for res, counts in report.counts.items()
    ]
    resumed = f" (resumed run {report.resumed_from})" if report.resumed_from else ""
    print(
        f"refresh run {report.run_id} {report.status}{resumed} in "
        f"{numfmt.elapsed(report.seconds)}, {numfmt.count(report.requests)} requests"
    )
    for part in parts:
        print(f"  {part}")
    if report.status != "ok":
        raise CLIError(report.error or "refresh failed")
    return 0


def cmd_purge_legacy(args: argparse.Namespace) -> int:
    """Remove TikTok data that did not come from the API."""
    from ttcm.runtime import open_store
    from ttcm.sync import purge_legacy

    removed = purge_legacy(open_store(_settings()))
    total = sum(removed.values())
    for table, n in removed.items():
        print(f"{table:24} {numfmt.count(n):>10} removed")
    print(f"purged {numfmt.count(total)} rows of non-API TikTok data; team records kept")
    return 0


# ---------------------------------------------------------------- creators


def cmd_creators_search(args: argparse.Namespace) -> int:
    """Search the cached creators (same engine, rows and order as the Discovery page)."""
    from ttcm.runtime import open_store
    from ttcm.services.discovery import CreatorFilter, FilterError, search

    try:
        filters = CreatorFilter(
            countries=tuple(c.upper() for c in args.country or ()),
            states=tuple(args.state or ()),
            min_followers=args.min_followers,
            max_followers=args.max_followers,
            min_avg_views=args.min_avg_views,
            max_avg_views=args.max_avg_views,
            min_median_views=args.min_median_views,
            max_median_views=args.max_median_views,
            min_er=args.min_er,
            max_er=args.max_er,
            min_price=args.min_price,
            max_price=args.max_price,
            currency=args.currency,
            labels=tuple(args.label or ()),
            languages=tuple(args.language or ()),
            audience_countries=tuple(c.upper() for c in args.audience_country or ()),
            gender_skew=args.gender_skew.upper() if args.gender_skew else None,
            age_band=args.age,
            tcm=args.tcm,
            authenticated=args.authenticated,
            eligible=args.eligible,
            query=args.query,
            sort=args.sort,
            descending=not args.asc,
        )
    except FilterError as exc:
        raise CLIError(str(exc)) from None
    result = search(open_store(_settings()), filters, limit=args.limit)
    emit(result.rows, args.format, result.columns)
    if args.format == "table":
        shown, total = numfmt.count(len(result.rows)), numfmt.count(result.total)
        print(f"{shown} of {total} matching creators", file=sys.stderr)
    return 0


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {text!r}")


def _money(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an amount, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected an amount ≥ 0, got {text!r}")
    return value


# ---------------------------------------------------------------- users


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise CLIError("no password on standard input")
        return line.rstrip("\r\n")
    import getpass

    if not sys.stdin.isatty():
        raise CLIError("no terminal to ask for the password; use --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise CLIError("the two passwords differ")
    return first


def _users():  # type: ignore[no-untyped-def]
    from ttcm.auth import Users
    from ttcm.runtime import open_store

    return Users(open_store(_settings()))


def _auth_call(fn: Callable[[], Any]) -> Any:
    from ttcm.auth import AuthError

    try:
        return fn()
    except AuthError as exc:
        raise CLIError(str(exc)) from None


def cmd_users_add(args: argparse.Namespace) -> int:
    """Create a user."""
    from ttcm.auth import SYSTEM

    users = _users()
    password = _read_password(args)
    p = _auth_call(
        lambda: users.add(SYSTEM, args.name, password, role=args.role, name=args.full_name or "")
    )
    print(f"added {p.username} as {p.role}")
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    """Delete a user."""
    from ttcm.auth import SYSTEM

    _auth_call(lambda: _users().remove(SYSTEM, args.name))
    print(f"removed {args.name.strip().lower()}")
    return 0


def cmd_users_set_role(args: argparse.Namespace) -> int:
    """Change a user's role."""
    from ttcm.auth import SYSTEM

    _auth_call(lambda: _users().set_role(SYSTEM, args.name, args.role))
    print(f"{args.name.strip().lower()} is now {args.role}; their open sessions have ended")
    return 0


def cmd_users_reset_password(args: argparse.Namespace) -> int:
    """Set a new password."""
    from ttcm.auth import SYSTEM

    users = _users()
    password = _read_password(args)
    _auth_call(lambda: users.reset_password(SYSTEM, args.name, password))
    print(f"password of {args.name.strip().lower()} reset; their open sessions have ended")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """List users."""
    from ttcm.auth import SYSTEM

    emit(_auth_call(lambda: _users().list(SYSTEM)), args.format)
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree of every command."""
    parser = argparse.ArgumentParser(prog="ttcm", description=__doc__.splitlines()[0])
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show retries and other progress on stderr"
    )
    parser.add_argument("--version", action="version", version=f"ttcm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = sub.add_parser("db", help="schema migrations and integrity check")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    db_sub.add_parser("check", help="integrity check and row counts").set_defaults(
        func=cmd_db_check
    )

    refresh = sub.add_parser("refresh", help="refresh the local cache from TikTok One")
    refresh.add_argument(
        "--resources", type=_resources, help="creators,campaigns,orders,posts,spark"
    )
    refresh.add_argument(
        "--full", action="store_true", help="re-fetch everything, not only changes"
    )
    refresh.add_argument(
        "--if-empty", action="store_true", help="only when the cache has no creators"
    )
    refresh.set_defaults(func=cmd_refresh)

    purge = sub.add_parser("purge-legacy", help="remove TikTok data that did not come from the API")
    purge.set_defaults(func=cmd_purge_legacy)

    creators = sub.add_parser("creators", help="creator discovery")
    c_sub = creators.add_subparsers(dest="creators_command", required=True, metavar="ACTION")
    s = c_sub.add_parser("search", help="search the cached creators")
    s.add_argument("--country", type=_csv_list, help="creator countries, e.g. US,GB")
    s.add_argument("--state", type=_csv_list, help="states or provinces, where known")
    s.add_argument("--min-followers", type=_positive_int)
    s.add_argument("--max-followers", type=_positive_int)
    s.add_argument("--min-avg-views", type=_positive_int)
    s.add_argument("--max-avg-views", type=_positive_int)
    s.add_argument("--min-median-views", type=_positive_int)
    s.add_argument("--max-median-views", type=_positive_int)
    s.add_argument("--min-er", type=_fraction, help="engagement rate, 0.05 or 5%%")
    s.add_argument("--max-er", type=_fraction)
    s.add_argument("--min-price", type=_money)
    s.add_argument("--max-price", type=_money)
    s.add_argument("--currency", type=_currency, help="price currency, e.g. USD")
    s.add_argument("--label", action="append", help="label id or name (repeatable)")
    s.add_argument("--language", type=_csv_list, help="e.g. en,es")
    s.add_argument("--audience-country", type=_csv_list)
    s.add_argument("--gender-skew", help="FEMALE_50 … MALE_70")
    s.add_argument("--age", help="main audience age band, e.g. 18-24")
    s.add_argument("--tcm", type=_yes_no, help="on the marketplace: yes or no")
    s.add_argument("--authenticated", type=_yes_no, help="authenticated: yes or no")
    s.add_argument("--eligible", type=_yes_no, help="TTCM-eligible (non-TTCM creators): yes or no")
    s.add_argument("--query", help="text in handle, display name or bio")
    s.add_argument(
        "--sort",
        default="followers",
        choices=["followers", "avg_views", "median_views", "engagement_rate", "price"],
    )
    s.add_argument("--asc", action="store_true", help="ascending (default descending)")
    s.add_argument("--limit", type=_positive_int, default=50)
    s.add_argument("--format", choices=["table", "json", "csv"], default="table")
    s.set_defaults(func=cmd_creators_search)

    users = sub.add_parser("users", help="people who may sign in, and their roles")
    u_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    role_choices = ["viewer", "manager", "admin"]
    u = u_sub.add_parser("add", help="create a user")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=role_choices)
    u.add_argument("--full-name", help="name shown in the app (default: the user name)")
    u.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    u.set_defaults(func=cmd_users_add)
    u = u_sub.add_parser("remove", help="delete a user")
    u.add_argument("name")
    u.set_defaults(func=cmd_users_remove)
    u = u_sub.add_parser("set-role", help="change a user's role")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=role_choices)
    u.set_defaults(func=cmd_users_set_role)
    u = u_sub.add_parser("reset-password", help="set a new password")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true")
    u.set_defaults(func=cmd_users_reset_password)
    u = u_sub.add_parser("list", help="list users")
    u.add_argument("--format", choices=["table", "json", "csv"], default="table")
    u.set_defaults(func=cmd_users_list)

    from ttcm.cli_alerts import add_parser as add_alerts
    from ttcm.cli_app import add_parser as add_app
    from ttcm.cli_campaigns import add_parser as add_campaigns
    from ttcm.cli_clock import add_parser as add_clock
    from ttcm.cli_doctor import add_parser as add_doctor
    from ttcm.cli_reports import add_parser as add_reports
    from ttcm.sandbox.cli import add_parser as add_sandbox

    for add in (add_campaigns, add_reports, add_doctor, add_app, add_alerts):
        add(sub)
    add_clock(add_sandbox(sub))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `ttcm` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # the one-line error below is the message; library warnings only with --verbose
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:
        logging.getLogger("ttcm").setLevel(logging.ERROR)
    try:
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"ttcm: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ttcm: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line for people, never a traceback with secrets
        from sqlalchemy.exc import SQLAlchemyError

        from ttcm.api import errors as api_errors
        from ttcm.sync import RefreshError

        if isinstance(exc, api_errors.TikTokAPIError | RefreshError):
            print(f"ttcm: {exc}", file=sys.stderr)
            return 1
        if isinstance(exc, SQLAlchemyError):
            # the driver's own words; the URL is left out because it may carry a password
            reason = str(getattr(exc, "orig", None) or exc.__class__.__name__).splitlines()[0]
            print(f"ttcm: database error: {reason}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    raise SystemExit(main())
