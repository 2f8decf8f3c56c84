"""`ttcm sandbox serve`: the offline TikTok One on a loopback port (wired in by `ttcm.cli.main`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ttcm.config import SANDBOX_DIALECTS as DIALECTS
from ttcm.sandbox.dialect import Dialect
from ttcm.sandbox.faults import FaultSpec


def _fault_spec(text: str) -> FaultSpec:
    try:
        return FaultSpec.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _dialect(text: str) -> Dialect:
    try:
        return Dialect.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def _port(text: str) -> int:
    value = _positive_int(text) if text != "0" else 0
    if value > 65535:
        raise argparse.ArgumentTypeError(f"port must be at most 65535, got {value}")
    return value


def add_parser(subparsers: Any) -> Any:
    """Register `sandbox serve` on an argparse subparsers object; returns the sandbox's actions.

    Other `sandbox` actions (`clock`, in `ttcm.cli.clock`) are added to the returned object.
    """
    sandbox = subparsers.add_parser("sandbox", help="the offline TikTok One API")
    sub = sandbox.add_subparsers(dest="sandbox_command", required=True, metavar="ACTION")
    serve = sub.add_parser("serve", help="serve the sandbox over HTTP on loopback")
    serve.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8765, help="port (default 8765, 0: any)")
    serve.add_argument("--creators", type=_positive_int, default=5000, help="directory size")
    serve.add_argument("--seed", type=int, default=7, help="directory seed (default 7)")
    serve.add_argument(
        "--faults", type=_fault_spec, default=None, help="fault spec, e.g. throttle_every=5,seed=1"
    )
    serve.add_argument(
        "--dialect",
        type=_dialect,
        default=None,
        help=f"answer with documented variants: any of {','.join(DIALECTS)}",
    )
    serve.add_argument("--qps", type=_positive_int, default=None, help="requests per second")
    serve.add_argument("--state", default=None, help="JSON file shared with other processes")
    serve.set_defaults(func=cmd_serve)
    return sub


def cmd_serve(args: argparse.Namespace) -> int:
    """Handler of `sandbox serve`: build the directory, then serve until interrupted."""
    from ttcm.sandbox.server import is_loopback, serve

    if not is_loopback(args.host):
        print(
            f"ttcm sandbox: refusing to serve on non-loopback host {args.host!r}", file=sys.stderr
        )
        return 2
    serve(
        args.host,
        args.port,
        creators=args.creators,
        seed=args.seed,
        faults=args.faults,
        qps=args.qps,
        state_path=args.state,
        dialect=args.dialect,
    )
    return 0
