"""`ttcm spark request|status`: Spark Ads authorizations of campaign posts."""

from __future__ import annotations

import argparse

from ttcm import rules
from ttcm.cli.common import (
    FORMATS,
    CLIError,
    actions,
    app_clock,
    campaign_pk,
    emit,
    open_settings_and_store,
)


def _days(text: str) -> int:
    allowed = rules.spark_days()
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value not in allowed:
        raise argparse.ArgumentTypeError(
            f"choose {', '.join(map(str, allowed))} days, got {text!r}"
        )
    return value


def cmd_spark_request(args: argparse.Namespace) -> int:
    """Send one Spark Ads request (once per video, action and day)."""
    from ttcm.auth import SYSTEM
    from ttcm.runtime import make_client
    from ttcm.services.spark import SparkAds, SparkError

    settings, store = open_settings_and_store()
    ads = SparkAds(store, lambda: make_client(settings), now=app_clock(settings))
    try:
        result = ads.request(SYSTEM, args.video, args.days, extend=args.extend)
    except SparkError as exc:
        raise CLIError(str(exc)) from None
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
    from ttcm.runtime import make_client
    from ttcm.services.spark import STATUS_FIELDS, SparkAds

    settings, store = open_settings_and_store()
    pk = None if args.campaign is None else campaign_pk(store, args.campaign)
    ads = SparkAds(store, lambda: make_client(settings), now=app_clock(settings))
    emit(ads.status(SYSTEM, pk), args.format, STATUS_FIELDS)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `spark request` and `spark status`."""
    s_sub = actions(subparsers, "spark", "Spark Ads authorizations of campaign posts")
    req = s_sub.add_parser("request", help="ask a creator to authorize (or extend) one post")
    req.add_argument("--video", required=True, help="the post's TikTok video id")
    req.add_argument("--days", type=_days, required=True, help="7, 30, 60 or 365")
    req.add_argument("--extend", action="store_true", help="extend an accepted authorization")
    req.add_argument("--format", choices=["table", "json"], default="table")
    req.set_defaults(func=cmd_spark_request)
    status = s_sub.add_parser("status", help="authorization status, codes and days left")
    status.add_argument("--campaign", help="campaign number or TikTok campaign id")
    status.add_argument("--format", choices=FORMATS, default="table")
    status.set_defaults(func=cmd_spark_status)
