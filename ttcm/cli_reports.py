"""`ttcm spark request|status` and `ttcm report` (wired into `ttcm.cli` by `add_parser`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ttcm import rules
from ttcm.domain import format as numfmt


def _days(text: str) -> int:
    allowed = rules.spark_days()
    try:
        value = int(text)
    except ValueError:
        value = None
    if value not in allowed:
        raise argparse.ArgumentTypeError(
            f"choose {', '.join(map(str, allowed))} days, got {text!r}"
        )
    return value


def add_parser(subparsers: Any) -> None:
    """Register `spark request`, `spark status` and `report` on an argparse subparsers object."""
    spark = subparsers.add_parser("spark", help="Spark Ads authorizations of campaign posts")
    s_sub = spark.add_subparsers(dest="spark_command", required=True, metavar="ACTION")
    req = s_sub.add_parser("request", help="ask a creator to authorize (or extend) one post")
    req.add_argument("--video", required=True, help="the post's TikTok video id")
    req.add_argument("--days", type=_days, required=True, help="7, 30, 60 or 365")
    req.add_argument("--extend", action="store_true", help="extend an accepted authorization")
    req.add_argument("--format", choices=["table", "json"], default="table")
    req.set_defaults(func=cmd_spark_request)
    status = s_sub.add_parser("status", help="authorization status, codes and days left")
    status.add_argument("--campaign", help="campaign number or TikTok campaign id")
    status.add_argument("--format", choices=["table", "json", "csv"], default="table")
    status.set_defaults(func=cmd_spark_status)

    report = subparsers.add_parser("report", help="a campaign's performance report")
    report.add_argument("--campaign", required=True, help="campaign number or TikTok campaign id")
    report.add_argument("--format", choices=["csv", "html"], required=True)
    report.add_argument("--output", help="file to write (default: standard output)")
    report.set_defaults(func=cmd_report)


def _context() -> tuple[Any, Any, Any]:
    from ttcm.cli import CLIError
    from ttcm.config import ConfigError, Settings
    from ttcm.runtime import open_store

    try:
        settings = Settings.load()
    except ConfigError as exc:
        raise CLIError(str(exc)) from None
    return settings, open_store(settings), CLIError


def _now(settings: Any) -> Any:
    """The clock the commands use: the sandbox's when the API is a sandbox (one-line errors)."""
    from ttcm.cli import CLIError
    from ttcm.services.demo_time import ClockError, app_now

    def now() -> Any:
        try:
            return app_now(settings)
        except ClockError as exc:
            raise CLIError(str(exc)) from None

    return now


def _campaign(store: Any, ref: str | None, error: type[Exception]) -> int | None:
    from ttcm.auth import SYSTEM
    from ttcm.services.posts import PostError, find_campaign

    if ref is None:
        return None
    try:
        return find_campaign(store, SYSTEM, ref)
    except PostError as exc:
        raise error(str(exc)) from None


def cmd_spark_request(args: argparse.Namespace) -> int:
    """Send one Spark Ads request (once per video, action and day)."""
    from ttcm.auth import SYSTEM
    from ttcm.cli import emit
    from ttcm.runtime import make_client
    from ttcm.services.spark import SparkAds, SparkError

    settings, store, error = _context()
    ads = SparkAds(store, lambda: make_client(settings), now=_now(settings))
    try:
        result = ads.request(SYSTEM, args.video, args.days, extend=args.extend)
    except SparkError as exc:
        raise error(str(exc)) from None
    status = result.status or {}
    row = {
        "video_id": result.video_id,
        "request_id": result.request_id,
        "already_sent_today": result.already,
        "auth_status": status.get("auth_status"),
        "num_remaining_request": status.get("num_remaining_request"),
        "requested_authorization_days": status.get("requested_authorization_days"),
    }
    if args.format == "json":
        emit([row], "json")
    else:
        print(result.message + (f" (request id {result.request_id})" if result.request_id else ""))
    return 0


def cmd_spark_status(args: argparse.Namespace) -> int:
    """Print the cached authorizations (refresh first for the newest state)."""
    from ttcm.auth import SYSTEM
    from ttcm.cli import emit
    from ttcm.runtime import make_client
    from ttcm.services.spark import STATUS_FIELDS, SparkAds

    settings, store, error = _context()
    pk = _campaign(store, args.campaign, error)
    rows = SparkAds(store, lambda: make_client(settings), now=_now(settings)).status(SYSTEM, pk)
    emit(rows, args.format, STATUS_FIELDS)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write a campaign's overview as CSV numbers or a standalone HTML report."""
    from ttcm.auth import SYSTEM
    from ttcm.services import reports
    from ttcm.services.posts import PostError

    settings, store, error = _context()
    pk = _campaign(store, args.campaign, error)
    assert pk is not None
    today = _now(settings)().date()
    try:
        report = reports.build(store, SYSTEM, pk, today=today)
    except PostError as exc:
        raise error(str(exc)) from None
    if args.format == "csv":
        text = reports.overview_csv(report.overview)
    else:
        text = reports.overview_html(report)
    if args.output:
        path = Path(args.output)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise error(f"cannot write {path}: {exc.strerror or exc}") from None
        size = numfmt.count(len(text.encode("utf-8")))
        print(f"wrote {path} ({size} bytes)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
