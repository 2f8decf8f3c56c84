"""Workflow-2.0 orders: create them (with deliverables), find them, and their report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from ttcm.api import parsing as p
from ttcm.api import validation as v
from ttcm.api.base import BaseClient
from ttcm.api.errors import RequestValidationError
from ttcm.api.models.orders import Deliverable, Order, OrderCreateResult, OrderInsight
from ttcm.api.wire import WriteResult


def order_create(
    api: BaseClient,
    brand_name: str,
    description: str,
    handles: Iterable[str],
    *,
    video_number: int | None = None,
    deliverables: Sequence[Deliverable | Mapping[str, Any]] | None = None,
    campaign_code: str | None = None,
    default_spark_days: int = 30,
) -> WriteResult[OrderCreateResult]:
    """Create one order per handle (on `campaign_code`, or a new code)."""
    text_max = int(v.limit("text_max_chars"))
    if video_number is not None and deliverables is not None:
        raise RequestValidationError("deliverables", "give video_number or deliverables")
    body: dict[str, Any] = {
        "brand_name": v.text(brand_name, "brand_name", max_chars=text_max),
        "description": v.text(description, "description", max_chars=text_max),
        "handle_names": v.handles(
            handles, "handles", max_items=int(v.limit("order_handles_per_call"))
        ),
        "campaign_code": v.optional_text(campaign_code, "campaign_code"),
        "default_spark_ads_requested_authorization_days": v.spark_days(
            default_spark_days, "default_spark_days"
        ),
    }
    if video_number is not None:
        body["video_number"] = v.integer(
            video_number,
            "video_number",
            int(v.limit("order_video_min")),
            int(v.limit("order_video_max")),
        )
    if deliverables is not None:
        body["deliverables"] = _deliverables(deliverables, text_max)
    return p.write(api, OrderCreateResult, "order_create", body)


def _deliverables(
    items: Sequence[Deliverable | Mapping[str, Any]], text_max: int
) -> list[dict[str, Any]]:
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Sequence):
        raise RequestValidationError("deliverables", "must be a list of deliverables")
    most = int(v.limit("order_deliverables_max"))
    if not 1 <= len(items) <= most:
        raise RequestValidationError("deliverables", f"must hold 1 to {most} deliverables")
    out = []
    for item in items:
        raw = item.model_dump() if isinstance(item, Deliverable) else item
        if not isinstance(raw, Mapping):
            raise RequestValidationError("deliverables", "must be a list of deliverables")
        days = raw.get("spark_ads_requested_authorization_days")
        out.append(
            {
                "deliverable_name": v.text(
                    raw.get("deliverable_name"), "deliverable_name", max_chars=text_max
                ),
                "spark_ads_requested_authorization_days": None
                if days is None
                else v.spark_days(days, "spark_ads_requested_authorization_days", allow_zero=True),
            }
        )
    return out


def iter_orders(
    api: BaseClient,
    *,
    order_ids: Iterable[str] | None = None,
    campaign_code: str | None = None,
    invite_link: str | None = None,
) -> Iterator[Order]:
    """Orders by id (at most 200), by campaign code, or by invite link (exactly one)."""
    given = [n for n, x in (("order_ids", order_ids), ("campaign_code", campaign_code),
                            ("invite_link", invite_link)) if x is not None]  # fmt: skip
    if len(given) != 1:
        raise RequestValidationError(
            "order_ids", "give exactly one of order_ids, campaign_code, invite_link"
        )
    if order_ids is not None:
        params: dict[str, Any] = {
            "query_type": "ORDER_ID",
            "order_ids": v.strings(
                order_ids, "order_ids", max_items=int(v.limit("order_ids_per_get"))
            ),
        }
    elif campaign_code is not None:
        params = {
            "query_type": "CAMPAIGN_CODE",
            "campaign_code": v.text(campaign_code, "campaign_code"),
        }
    else:
        params = {
            "query_type": "INVITE_LINK",
            "invite_link": v.text(invite_link, "invite_link"),
        }
    return p.iter_items(api, Order, "orders", params)


def iter_order_report(
    api: BaseClient,
    order_ids: Iterable[str],
    start_date: date | str,
    end_date: date | str,
    need_daily_stats: bool = True,
) -> Iterator[OrderInsight]:
    """Per-video metrics of orders between two dates (at most 60 days apart)."""
    ids = v.strings(order_ids, "order_ids", max_items=int(v.limit("order_ids_per_get")))
    if start_date is None or end_date is None:
        raise RequestValidationError("start_date", "start_date and end_date are required")
    start, end = v.date_range(start_date, end_date, max_days=int(v.limit("report_max_days")))
    params = {
        "order_ids": ids,
        "start_date": start,
        "end_date": end,
        "need_daily_stats": bool(need_daily_stats),
    }
    return p.iter_items(api, OrderInsight, "order_report", params)
