"""`ttcm creators search`: the Discovery page's search on the command line."""

from __future__ import annotations

import argparse
import sys

from ttcm.cli.common import (
    FORMATS,
    CLIError,
    actions,
    emit,
    load_settings,
    positive_int,
)
from ttcm.domain import format as numfmt
from ttcm.services.discovery.filters import add_cli_arguments


def cmd_creators_search(args: argparse.Namespace) -> int:
    """Search the cached creators (same engine, rows and order as the Discovery page)."""
    from ttcm.auth import SYSTEM
    from ttcm.runtime import open_store
    from ttcm.services.discovery.filters import FilterError, from_cli_args
    from ttcm.services.discovery.search import Discovery

    try:
        filters = from_cli_args(args)
    except FilterError as exc:
        raise CLIError(str(exc)) from None
    result = Discovery(open_store(load_settings())).search(SYSTEM, filters, limit=args.limit)
    emit(result.rows, args.format, result.columns)
    if args.format == "table":
        shown, total = numfmt.count(len(result.rows)), numfmt.count(result.total)
        print(f"{shown} of {total} matching creators", file=sys.stderr)
    return 0


SAVED_COLUMNS = ("id", "name", "owner", "shared", "new_since", "last_opened_at", "query", "problem")


def cmd_creators_saved(args: argparse.Namespace) -> int:
    """The saved Discovery searches with how many creators are new since they were opened."""
    from dataclasses import replace

    from ttcm.auth import SYSTEM
    from ttcm.runtime import open_store
    from ttcm.services.saved_searches import SavedSearches

    who = replace(SYSTEM, username=args.user) if args.user else SYSTEM
    settings = load_settings()
    found = SavedSearches(open_store(settings), settings).list(who)
    emit([{c: getattr(s, c) for c in SAVED_COLUMNS} for s in found], args.format, SAVED_COLUMNS)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `creators search`."""
    c_sub = actions(subparsers, "creators", "creator discovery")
    s = c_sub.add_parser("search", help="search the cached creators")
    add_cli_arguments(s)
    s.add_argument("--limit", type=positive_int, default=50)
    s.add_argument("--format", choices=FORMATS, default="table")
    s.set_defaults(func=cmd_creators_search)
    saved = c_sub.add_parser(
        "saved", help="saved Discovery searches (shared ones, and --user's own) with new-since"
    )
    saved.add_argument(
        "--user", help="also that user's own searches; new since that user last opened each"
    )
    saved.add_argument("--format", choices=FORMATS, default="table")
    saved.set_defaults(func=cmd_creators_saved)
