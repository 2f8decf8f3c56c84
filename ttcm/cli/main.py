"""The `ttcm` command line (docs/architecture.md §4).

Every command exits 0 on success, 1 with a one-line message on bad input or an API failure,
and never prints a token. Each command group lives in its own module with a `register(subparsers)`;
this module only assembles them and turns failures into one line.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ttcm import __version__
from ttcm.cli import (
    alerts,
    app,
    campaigns,
    clock,
    creators,
    db,
    doctor,
    refresh,
    reports,
    spark,
    users,
)
from ttcm.cli.common import CLIError

DESCRIPTION = (__doc__ or "").splitlines()[0]


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree of every command."""
    from ttcm.sandbox.cli import add_parser as add_sandbox

    parser = argparse.ArgumentParser(prog="ttcm", description=DESCRIPTION)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show retries and other progress on stderr"
    )
    parser.add_argument("--version", action="version", version=f"ttcm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (db, refresh, creators, users, campaigns, spark, reports, alerts, doctor, app):
        group.register(sub)
    clock.register(add_sandbox(sub))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `ttcm` console script."""
    return run(build_parser(), argv)


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse `argv` with `parser` and run the chosen command, failures as one line on stderr."""
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
        from ttcm.refresh.errors import RefreshError

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
