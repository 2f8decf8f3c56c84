"""`ttcm campaigns payments <campaign> [--csv]`: each creator's fee and payment, and the spend.

The table (or `--format json`) lists one creator a row with the fee converted into the campaign
currency; a spend summary follows on stderr. `--csv` prints the finance CSV of the Campaigns
page instead (every field quoted, formulas neutralised). Read-only, as the system user.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ttcm.cli.common import FORMATS, app_clock, campaign_pk, emit, open_settings_and_store

COLUMNS = (
    "handle_name",
    "fee_amount",
    "fee_currency",
    "fee_source",
    "converted",
    "campaign_currency",
    "rate",
    "rate_day",
    "status",
    "pay_date",
    "reference",
    "order_status",
    "problem",
)


def cmd_payments(args: argparse.Namespace) -> int:
    """Print a campaign's fees and payments (or the finance CSV) and its spend."""
    from ttcm.auth import SYSTEM
    from ttcm.services.payments import Payments

    settings, store = open_settings_and_store()
    pk = campaign_pk(store, args.campaign)
    payments = Payments(store, now=app_clock(settings))
    if args.csv:
        sys.stdout.write(payments.csv(SYSTEM, pk))
        return 0
    emit(payments.rows(SYSTEM, pk), args.format, COLUMNS)
    s = payments.summary(SYSTEM, pk)
    if args.format == "table":
        for label, value in (
            ("budget", s.budget),
            ("committed", s.committed),
            ("paid", s.paid),
            ("scheduled", s.scheduled),
            ("not yet scheduled", s.unpaid),
            ("remaining budget", s.remaining),
        ):
            print(f"{label}: {_money(value)}", file=sys.stderr)
        for handle, why in s.not_converted.items():
            print(f"@{handle}: {why} (not in the totals)", file=sys.stderr)
    return 0


def _money(value: Any) -> str:
    from ttcm.domain import format as numfmt

    if value.value is None:
        return f"{numfmt.MISSING} ({value.reason})"
    return numfmt.money(value.value, value.unit or None)


def add_to(c_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `campaigns payments` to the campaigns group."""
    p = c_sub.add_parser("payments", help="each creator's fee and payment, and the spend")
    p.add_argument("campaign", help="TikTok campaign_id or the local id")
    p.add_argument("--csv", action="store_true", help="print the finance CSV instead")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_payments)
