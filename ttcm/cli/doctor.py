"""`ttcm doctor [--record DIR]`: check that the configured API answers as the client expects."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ttcm.cli.common import CLIError, load_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `doctor`."""
    doctor = subparsers.add_parser(
        "doctor",
        help="check the configured API (read-only): reachability, permissions, answer shapes",
    )
    doctor.add_argument(
        "--record",
        type=Path,
        metavar="DIR",
        help="save every answer, tokens/ids/handles redacted, as DIR/<endpoint>.json",
    )
    doctor.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    """Run the check and print one line per endpoint; exit 1 unless every one is as expected."""
    from ttcm.auth import SYSTEM
    from ttcm.runtime import make_client
    from ttcm.services.doctor import run_doctor

    if args.record is not None and args.record.exists() and not args.record.is_dir():
        raise CLIError(f"--record: {args.record} exists and is not a folder")
    settings = load_settings()
    with make_client(settings) as client:
        report = run_doctor(SYSTEM, client, args.record)
    where = "the offline sandbox" if settings.is_sandbox else settings.api_base
    print(f"checking {where}")
    width = max(len(v.endpoint) for v in report.verdicts)
    for v in report.verdicts:
        detail = v.detail.replace("\n", " ")
        detail = detail if len(detail) <= 300 else detail[:299] + "…"
        print(f"  {v.endpoint:{width}}  {v.status:18}  {detail}")
    print(f"rate limits: {report.headroom}")
    if args.record is not None:
        print(f"answers saved in {args.record} (tokens, ids and handles redacted)")
    if not report.ok:
        bad = [
            v.endpoint
            for v in report.verdicts
            if v.status not in ("expected", "reachable", "skipped")
        ]
        print(f"ttcm: not as expected: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0
