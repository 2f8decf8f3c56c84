"""`ttcm alerts --since <date|ISO> [--json]`: the alerts recorded since then, for cron and e-mail.

Plain text prints one line per alert (time, kind, campaign, message); `--json` (or `--format
json`) prints a list of objects. Alerts are the team's; the command line reads them as the
system user, so read state does not change.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from ttcm.cli.common import CLIError, load_settings

if TYPE_CHECKING:
    from ttcm.services.alerts import AlertItem


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `alerts`."""
    alerts = subparsers.add_parser(
        "alerts", help="print the alerts recorded since a date or time (for cron/e-mail scripts)"
    )
    alerts.add_argument(
        "--since", required=True, help="a day (2026-12-01, UTC) or an ISO time (2026-12-01T08:00Z)"
    )
    alerts.add_argument("--format", choices=["text", "json"], default="text")
    alerts.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )
    alerts.set_defaults(func=cmd_alerts)


def line(item: AlertItem) -> str:
    """One alert as a line of plain text (line breaks in data become spaces)."""
    where = item.campaign_name or "no campaign"
    text = f"{item.created_at:%Y-%m-%d %H:%M} UTC  {item.kind_label}  [{where}]  {item.message}"
    return " ".join(text.splitlines())


def cmd_alerts(args: argparse.Namespace) -> int:
    """Print the alerts recorded at or after `--since`, oldest first."""
    from ttcm.auth import SYSTEM
    from ttcm.runtime import open_store
    from ttcm.services.alerts import Alerts, SinceError, parse_since

    try:
        since = parse_since(args.since)  # refused before the database is opened
    except SinceError as exc:
        raise CLIError(str(exc)) from None
    items = Alerts(open_store(load_settings())).since(SYSTEM, since)
    if args.format == "json":
        print(json.dumps([item.as_json() for item in items], ensure_ascii=False))
    else:
        for item in items:
            print(line(item))
    return 0
