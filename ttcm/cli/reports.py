"""`ttcm report`: a campaign's performance report as CSV numbers or standalone HTML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ttcm.cli.common import CLIError, app_clock, campaign_pk, open_settings_and_store
from ttcm.domain import format as numfmt


def cmd_report(args: argparse.Namespace) -> int:
    """Write a campaign's overview as CSV numbers or a standalone HTML report."""
    from ttcm.auth import SYSTEM
    from ttcm.services import reports
    from ttcm.services.posts import PostError

    settings, store = open_settings_and_store()
    pk = campaign_pk(store, args.campaign)
    today = app_clock(settings)().date()
    try:
        report = reports.build(store, SYSTEM, pk, today=today)
    except PostError as exc:
        raise CLIError(str(exc)) from None
    if args.format == "csv":
        text = reports.overview_csv(report.overview)
    else:
        text = reports.overview_html(report)
    if args.output:
        path = Path(args.output)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CLIError(f"cannot write {path}: {exc.strerror or exc}") from None
        size = numfmt.count(len(text.encode("utf-8")))
        print(f"wrote {path} ({size} bytes)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `report`."""
    report = subparsers.add_parser("report", help="a campaign's performance report")
    report.add_argument("--campaign", required=True, help="campaign number or TikTok campaign id")
    report.add_argument("--format", choices=["csv", "html"], required=True)
    report.add_argument("--output", help="file to write (default: standard output)")
    report.set_defaults(func=cmd_report)
