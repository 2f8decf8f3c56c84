"""`ttcm creators search`: the Discovery page's search on the command line."""

from __future__ import annotations

import argparse
import sys

from ttcm.cli.common import (
    FORMATS,
    CLIError,
    actions,
    csv_list,
    currency,
    emit,
    fraction,
    load_settings,
    money,
    positive_int,
    yes_no,
)
from ttcm.domain import format as numfmt


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
    result = search(open_store(load_settings()), filters, limit=args.limit)
    emit(result.rows, args.format, result.columns)
    if args.format == "table":
        shown, total = numfmt.count(len(result.rows)), numfmt.count(result.total)
        print(f"{shown} of {total} matching creators", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `creators search`."""
    c_sub = actions(subparsers, "creators", "creator discovery")
    s = c_sub.add_parser("search", help="search the cached creators")
    s.add_argument("--country", type=csv_list, help="creator countries, e.g. US,GB")
    s.add_argument("--state", type=csv_list, help="states or provinces, where known")
    s.add_argument("--min-followers", type=positive_int)
    s.add_argument("--max-followers", type=positive_int)
    s.add_argument("--min-avg-views", type=positive_int)
    s.add_argument("--max-avg-views", type=positive_int)
    s.add_argument("--min-median-views", type=positive_int)
    s.add_argument("--max-median-views", type=positive_int)
    s.add_argument("--min-er", type=fraction, help="engagement rate, 0.05 or 5%%")
    s.add_argument("--max-er", type=fraction)
    s.add_argument("--min-price", type=money)
    s.add_argument("--max-price", type=money)
    s.add_argument("--currency", type=currency, help="price currency, e.g. USD")
    s.add_argument("--label", action="append", help="label id or name (repeatable)")
    s.add_argument("--language", type=csv_list, help="e.g. en,es")
    s.add_argument("--audience-country", type=csv_list)
    s.add_argument("--gender-skew", help="FEMALE_50 … MALE_70")
    s.add_argument("--age", help="main audience age band, e.g. 18-24")
    s.add_argument("--tcm", type=yes_no, help="on the marketplace: yes or no")
    s.add_argument("--authenticated", type=yes_no, help="authenticated: yes or no")
    s.add_argument("--eligible", type=yes_no, help="TTCM-eligible (non-TTCM creators): yes or no")
    s.add_argument("--query", help="text in handle, display name or bio")
    s.add_argument(
        "--sort",
        default="followers",
        choices=["followers", "avg_views", "median_views", "engagement_rate", "price"],
    )
    s.add_argument("--asc", action="store_true", help="ascending (default descending)")
    s.add_argument("--limit", type=positive_int, default=50)
    s.add_argument("--format", choices=FORMATS, default="table")
    s.set_defaults(func=cmd_creators_search)
