"""`ttcm campaigns create|list` and `ttcm orders create|list` (docs/architecture.md §4).

The same services as the Campaigns page, acting as `ttcm.auth.SYSTEM`, so the same validation
and the same exactly-once rule hold: two identical `orders create` run at the same moment create
one order per creator. `ttcm.cli.main` wires these in with `register(sub)`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ttcm.cli import payments
from ttcm.cli.common import FORMATS, CLIError, actions, csv_list, emit, load_settings

if TYPE_CHECKING:
    from ttcm.services.campaigns.service import Campaigns
    from ttcm.services.orders.service import Orders

CAMPAIGN_COLUMNS = (
    "id",
    "campaign_id",
    "campaign_name",
    "brand_name",
    "campaign_description",
    "spark_ads_requested_authorization_days",
    "creators",
    "orders",
    "archived",
)
ORDER_COLUMNS = (
    "handle_name",
    "order_id",
    "campaign_code",
    "invite_link",
    "status",
    "result",
    "message",
)
LIST_COLUMNS = (
    "handle_name",
    "order_id",
    "campaign_code",
    "invite_link",
    "status",
    "video_number",
    "deliverables",
    "create_time",
)


def _services() -> tuple[Campaigns, Orders]:
    from ttcm.runtime import make_client, open_store
    from ttcm.services.campaigns.service import Campaigns
    from ttcm.services.orders.service import Orders

    settings = load_settings()
    store = open_store(settings)
    factory = lambda: make_client(settings)  # noqa: E731 - a fresh client per service call
    return Campaigns(store, factory), Orders(store, factory)


def _errors_line(exc: Any) -> str:
    return "; ".join(f"{field}: {problem}" for field, problem in exc.errors.items())


@contextmanager
def _write_refusals_as_cli_errors(input_error: type[Exception]) -> Iterator[None]:
    """Turn a write's field errors and a write already under way into one CLI error line."""
    from ttcm.services.writes import WriteInProgress

    try:
        yield
    except input_error as exc:
        raise CLIError(_errors_line(exc)) from None
    except WriteInProgress as exc:
        raise CLIError(str(exc)) from None


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _campaign_row(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": c["id"],
        "campaign_id": c["campaign_id"],
        "campaign_name": c["campaign_name"],
        "brand_name": c["brand_name"],
        "campaign_description": c["description"],
        "spark_ads_requested_authorization_days": c["spark_days_default"],
        "creators": c.get("creators"),
        "orders": c.get("orders"),
        "archived": c["archived_at"] is not None,
    }


def _campaign_pk(campaigns: Any, ref: str) -> int:
    from ttcm.auth import SYSTEM
    from ttcm.services.campaigns.settings import CampaignError

    try:
        return int(campaigns.resolve(SYSTEM, ref))
    except CampaignError as exc:
        raise CLIError(_errors_line(exc)) from None


# ---------------------------------------------------------------- campaigns


def cmd_campaigns_create(args: argparse.Namespace) -> int:
    """Create a campaign on TikTok (once) and record it."""
    from ttcm.auth import SYSTEM
    from ttcm.services.campaigns.settings import CampaignError, CampaignInput

    campaigns, _ = _services()
    data = CampaignInput(
        campaign_name=args.name,
        brand_name=args.brand_name,
        description=args.description,
        spark_days_default=args.spark_days,
    )
    with _write_refusals_as_cli_errors(CampaignError):
        made = campaigns.create(SYSTEM, data)
    emit([_campaign_row(campaigns.get(SYSTEM, made.pk))], args.format, CAMPAIGN_COLUMNS[:6])
    if not made.new:
        print("a campaign with this name and brand existed already; nothing sent", file=sys.stderr)
    return 0


def cmd_campaigns_list(args: argparse.Namespace) -> int:
    """List the campaigns, newest first."""
    from ttcm.auth import SYSTEM

    campaigns, _ = _services()
    rows = campaigns.list(SYSTEM, include_archived=args.archived)
    emit([_campaign_row(c) for c in rows], args.format, CAMPAIGN_COLUMNS)
    return 0


# ---------------------------------------------------------------- orders


def _order_rows(outcome: Any) -> list[dict[str, Any]]:
    rows = [{**o, "result": "created", "message": None} for o in outcome.created]
    rows += [{**o, "result": "existing", "message": "ordered before"} for o in outcome.existing]
    for result, reasons in (
        ("refused", outcome.refused),
        ("failed", outcome.failed),
        ("unconfirmed", outcome.unconfirmed),
    ):
        rows += [{"handle_name": h, "result": result, "message": r} for h, r in reasons.items()]
    return rows


def cmd_orders_create(args: argparse.Namespace) -> int:
    """Create one order per creator (exactly once) and print link and code per creator."""
    from ttcm.auth import SYSTEM
    from ttcm.services.orders.messages import UNCONFIRMED_NEW
    from ttcm.services.orders.request import OrderError, OrderRequest

    campaigns, orders = _services()
    pk = _campaign_pk(campaigns, args.campaign)
    names = args.deliverables or []
    spark = [] if args.spark_days is None else [args.spark_days] * max(args.videos, 0)
    request = OrderRequest(
        campaign_pk=pk,
        handles=args.handles,
        video_number=args.videos,
        deliverable_names=names,
        spark_days=spark,
        resend_unconfirmed=args.resend_unconfirmed,
    )
    with _write_refusals_as_cli_errors(OrderError):
        outcome = orders.create(SYSTEM, request)
    rows = _order_rows(outcome)
    emit(rows, args.format, ORDER_COLUMNS)
    if args.format == "table":  # the table shortens long cells; links must be copyable whole
        links = {r["campaign_code"]: r["invite_link"] for r in rows if r.get("invite_link")}
        for code, link in links.items():
            print(f"invitation link of campaign code {code}: {link}")
    for notice in outcome.notices:
        print(notice, file=sys.stderr)
    problems = {**outcome.refused, **outcome.failed, **outcome.unconfirmed}
    if problems:
        first, reason = next(iter(problems.items()))
        hint = ""
        if UNCONFIRMED_NEW in outcome.unconfirmed.values():
            hint = (
                " If TikTok One shows no order for them, run the same command again with "
                "--resend-unconfirmed (ttcm looks them up on the campaign's codes first)."
            )
        raise CLIError(
            f"{len(problems)} of {len(rows)} creators have no order: @{first}: {reason}{hint}"
        )
    return 0


def cmd_orders_list(args: argparse.Namespace) -> int:
    """List a campaign's orders as last seen (run `ttcm refresh --resources orders` to update)."""
    from ttcm.auth import SYSTEM

    campaigns, orders = _services()
    pk = _campaign_pk(campaigns, args.campaign)
    rows = orders.list(SYSTEM, pk)
    for r in rows:
        named = r["deliverables"]
        if not isinstance(named, list):  # Orders.list always gives a list: anything else is a bug
            raise TypeError(f"order {r['order_id']}: deliverables are {type(named).__name__}")
        r["deliverables"] = ", ".join(str(d["deliverable_name"] or "") for d in named)
    emit(rows, args.format, LIST_COLUMNS)
    return 0


# ---------------------------------------------------------------- parser


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `campaigns create|list|payments` and `orders create|list`."""
    formats = FORMATS
    c_sub = actions(subparsers, "campaigns", "campaigns and their TTCM section")
    c = c_sub.add_parser("create", help="create a campaign on TikTok and record it")
    c.add_argument("--name", required=True, help="campaign name (at most 512 characters)")
    c.add_argument("--brand-name", required=True, help="brand name (at most 60 characters)")
    c.add_argument("--description", required=True, help="description (at most 60 characters)")
    c.add_argument(
        "--spark-days", type=_whole, default=30, help="default Spark Ads days: 7, 30, 60 or 365"
    )
    c.add_argument("--format", choices=formats, default="table")
    c.set_defaults(func=cmd_campaigns_create)
    c = c_sub.add_parser("list", help="list campaigns")
    c.add_argument("--archived", action="store_true", help="include archived campaigns")
    c.add_argument("--format", choices=formats, default="table")
    c.set_defaults(func=cmd_campaigns_list)
    payments.add_to(c_sub)

    o_sub = actions(subparsers, "orders", "orders: one per creator per campaign")
    o = o_sub.add_parser("create", help="create orders (each creator once, ever)")
    o.add_argument("--campaign", required=True, help="TikTok campaign_id or the local id")
    o.add_argument("--handles", required=True, type=csv_list, help="h1,h2,…")
    o.add_argument("--videos", type=_whole, required=True, help="videos per creator, 1 to 10")
    o.add_argument("--deliverables", type=csv_list, help='deliverable names, "A,B,C"')
    o.add_argument(
        "--spark-days",
        type=_whole,
        default=None,
        help="Spark Ads days per deliverable: 0 (none), 7, 30, 60 or 365 (default: campaign's)",
    )
    o.add_argument(
        "--resend-unconfirmed",
        action="store_true",
        help="send again orders whose earlier call (one that started a new campaign code) was "
        "never confirmed, after looking them up on the campaign's known codes",
    )
    o.add_argument("--format", choices=formats, default="table")
    o.set_defaults(func=cmd_orders_create)
    o = o_sub.add_parser("list", help="a campaign's orders")
    o.add_argument("--campaign", required=True, help="TikTok campaign_id or the local id")
    o.add_argument("--format", choices=formats, default="table")
    o.set_defaults(func=cmd_orders_list)
