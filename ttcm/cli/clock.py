"""`ttcm sandbox clock advance --hours N | show`: the sandbox's time, for demos and tests.

Works on the sandbox the settings name: in-process (`TTCM_API_BASE=sandbox`, whose state file the
app shares) or served on loopback by `ttcm sandbox serve`. Moves are audited as the system user.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ttcm.cli.common import CLIError, actions, load_settings


def register(sandbox_actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `clock advance` and `clock show` under the `sandbox` command's actions."""
    sub = actions(sandbox_actions, "clock", "show or move the sandbox's time")
    advance = sub.add_parser("advance", help="move the sandbox's time forward")
    advance.add_argument("--hours", required=True, help="hours to move forward (above 0)")
    advance.add_argument("--format", choices=["text", "json"], default="text")
    advance.set_defaults(func=cmd_advance)
    show = sub.add_parser("show", help="print the sandbox's current time")
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.set_defaults(func=cmd_show)


def _print(fmt: str, text: str, payload: dict[str, Any]) -> None:
    if fmt == "json":
        print(json.dumps(payload))
    else:
        print(text)


def cmd_show(args: argparse.Namespace) -> int:
    """Print the sandbox's current time and where it runs."""
    from ttcm.services.demo_time import ClockError, sandbox_time

    try:
        t = sandbox_time(load_settings())
    except ClockError as exc:
        raise CLIError(str(exc)) from None
    _print(args.format, f"{t.now:%Y-%m-%d %H:%M:%S} UTC ({t.where})", {
        "now": t.now.isoformat(), "where": t.where
    })  # fmt: skip
    return 0


def cmd_advance(args: argparse.Namespace) -> int:
    """Move the sandbox's time forward and print the time before and after."""
    from ttcm.auth import SYSTEM
    from ttcm.runtime import open_store
    from ttcm.services.demo_time import ClockError, advance, parse_hours

    settings = load_settings()
    try:
        parse_hours(args.hours)  # bad input is refused before the database is opened
        before, after = advance(open_store(settings), settings, SYSTEM, args.hours)
    except ClockError as exc:
        raise CLIError(str(exc)) from None
    text = (
        f"sandbox time moved from {before.now:%Y-%m-%d %H:%M} to {after.now:%Y-%m-%d %H:%M} UTC "
        f"({after.where})"
    )
    payload = {"before": before.now.isoformat(), "now": after.now.isoformat(), "where": after.where}
    _print(args.format, text, payload)
    return 0
