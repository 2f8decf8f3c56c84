"""Handlers: the legacy v2 order flow (create, get, report), keyed by campaign codes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ttcm import rules
from ttcm.sandbox.campaigns import report_window, video_metrics
from ttcm.sandbox.context import Context
from ttcm.sandbox.eligibility import failed_rules, reject_reason
from ttcm.sandbox.ids import ACCOUNT_ID, MEDIA_HOST, campaign_code, object_id
from ttcm.sandbox.paging import page_of, page_params, paged
from ttcm.sandbox.params import (
    DUPLICATED,
    ID_MAX_CHARS,
    NOT_FOUND,
    NOT_TCM_CREATOR,
    PARAM_ERROR,
    URL_MAX_CHARS,
    VALIDATION,
    ApiError,
    Params,
    unknown_values,
)
from ttcm.sandbox.posts import REPORT_METRICS, day_of

QUERY_TYPES = ("ORDER_ID", "CAMPAIGN_CODE", "INVITE_LINK")
ORDER_FIELDS = (
    "order_id",
    "handle_name",
    "campaign_code",
    "invite_link",
    "status",
    "video_number",
    "deliverables",
    "video_ids",
    "create_time",
    "update_time",
)
_IDENTITY = ("video_info", "creator_info")


def order_refusal(ctx: Context, i: int) -> str | None:
    """Why TikTok refuses an order for creator `i` (assumed rule, `docs/contract.md`)."""
    if ctx.world.is_marketplace(i, ctx.t):
        return None
    if not bool(ctx.d.authenticated[i]):
        return "not a TikTok Creator Marketplace creator, and the account is not authorized."
    failures = failed_rules(ctx.d, i)
    if failures:
        return "not a TikTok Creator Marketplace creator and not eligible: " + reject_reason(
            failures
        )
    return None


def _deliverable_days(value: Any, name: str, default: int) -> int:
    allowed = (0, *rules.spark_days())
    days = default if value is None else value
    if isinstance(days, bool) or not isinstance(days, int) or days not in allowed:
        raise ApiError(
            PARAM_ERROR, f"{name} must be one of {', '.join(map(str, allowed))}, got {days!r}."
        )
    return days


def _deliverables(p: Params, lim: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The order's deliverables and video count (`deliverables` wins over `video_number`)."""
    text_max = int(lim["text_max_chars"])
    default_days = _deliverable_days(
        p.raw("default_spark_ads_requested_authorization_days"),
        "default_spark_ads_requested_authorization_days",
        int(lim["spark_ads_default_days"]),
    )
    number = p.integer(
        "video_number", lo=int(lim["order_video_min"]), hi=int(lim["order_video_max"])
    )
    items = p.objects("deliverables", max_items=int(lim["order_deliverables_max"]))
    if not items:
        count = number if number is not None else int(lim["order_video_max"])
        out = [
            {
                "deliverable_name": f"Video {k + 1}",
                "spark_ads_requested_authorization_days": default_days,
            }
            for k in range(count)
        ]
        return out, count
    out = []
    for k, item in enumerate(items):
        name = item.get("deliverable_name")
        if not isinstance(name, str) or not name.strip():
            raise ApiError(PARAM_ERROR, f"deliverables[{k}].deliverable_name is required.")
        if len(name) > text_max:
            raise ApiError(
                VALIDATION,
                f"deliverables[{k}].deliverable_name is too long: {len(name)} characters, "
                f"at most {text_max}.",
            )
        days = _deliverable_days(
            item.get("spark_ads_requested_authorization_days"),
            f"deliverables[{k}].spark_ads_requested_authorization_days",
            default_days,
        )
        out.append({"deliverable_name": name, "spark_ads_requested_authorization_days": days})
    return out, len(out)


def order_create(ctx: Context, p: Params) -> dict[str, Any]:
    """POST /tcm/order/create/v2/: one order per handle on a new or existing campaign code."""
    lim = rules.limits()
    text_max = int(lim["text_max_chars"])
    brand = p.text("brand_name", required=True, max_len=text_max)
    description = p.text("description", required=True, max_len=text_max)
    handles = p.strings(
        "handle_names",
        required=True,
        max_items=int(lim["order_handles_per_call"]),
        item_max_len=int(lim["handle_max_chars"]),
    )
    assert handles is not None
    source = p.choice("order_source", ("MSP", "OTHER"), default="OTHER")
    deliverables, video_number = _deliverables(p, lim)
    resolved: dict[str, int] = {}
    refused: dict[str, str] = {}
    for h in handles:
        i = ctx.d.index_of(h)
        if i is None or ctx.world.onboarding(i, ctx.t)[0] == "INVALID":
            raise ApiError(NOT_FOUND, f"handle_names: no TikTok account uses the handle {h!r}.")
        canonical = ctx.d.handles[i]
        if canonical in resolved:
            raise ApiError(PARAM_ERROR, f"handle_names lists {h!r} more than once.")
        resolved[canonical] = i
        reason = order_refusal(ctx, i)
        if reason:
            refused[canonical] = reason
    if refused:
        first, reason = next(iter(refused.items()))
        raise ApiError(
            NOT_TCM_CREATOR,
            f"handle_names: {first!r} cannot receive orders: {reason}",
            {"handle_names": list(refused), "reject_reasons": refused},
        )

    per_code = int(lim["orders_per_campaign_code"])
    code_name = p.text("campaign_code", max_len=ID_MAX_CHARS)
    if code_name:
        code = ctx.state.codes.get(code_name)
        if code is None:
            raise ApiError(NOT_FOUND, f"campaign_code {code_name!r} does not exist.")
        # later orders on a code inherit the first order's deliverables
        deliverables, video_number = code["deliverables"], int(code["video_number"])
        existing = [ctx.state.orders[o] for o in code["order_ids"]]
        dupes = [o["order_id"] for o in existing if ctx.d.handles[int(o["creator"])] in resolved]
        if dupes:
            raise ApiError(
                DUPLICATED,
                "handle_names: an order already exists on this campaign_code for "
                f"{len(dupes)} of these creators.",
                {"existing_order_ids": dupes},
            )
        active = sum(1 for o in existing if ctx.world.order_state(o, ctx.t).status != "DECLINED")
        if active + len(resolved) > per_code:
            raise ApiError(
                PARAM_ERROR,
                f"campaign_code {code_name} has {active} orders; at most {per_code} per code, "
                f"so {max(per_code - active, 0)} more can be created.",
            )
    else:
        if len(resolved) > per_code:
            raise ApiError(PARAM_ERROR, f"at most {per_code} orders per campaign code.")
        seq = ctx.state.next_seq()
        code_name = campaign_code(ctx.seed, seq)
        code = {
            "campaign_code": code_name,
            "seq": seq,
            "invite_link": f"{MEDIA_HOST}/ttcm/code/{code_name}",
            "brand_name": brand,
            "description": description,
            "deliverables": deliverables,
            "video_number": video_number,
            "created_at": ctx.t,
            "order_ids": [],
        }
        ctx.state.codes[code_name] = code
        active = 0

    orders = []
    for i in resolved.values():
        seq = ctx.state.next_seq()
        oid = object_id(ctx.seed, "76", seq)
        ctx.state.orders[oid] = {
            "order_id": oid,
            "seq": seq,
            "creator": i,
            "campaign_code": code_name,
            "brand_name": brand,
            "description": description,
            "order_source": source,
            "deliverables": deliverables,
            "video_number": video_number,
            "created_at": ctx.t,
        }
        code["order_ids"].append(oid)
        orders.append(
            {
                "order_id": oid,
                "handle_name": ctx.d.handles[i],
                "video_ids": [],
                "campaign_code": code_name,
                "invite_link": code["invite_link"],
                "quota": {
                    "current_video_count": 0,
                    "per_creator_video_limit": video_number,
                    "total_video_limit": video_number * per_code,
                },
                "status": "ORDER_CREATED",
            }
        )
    ctx.state.rebuild()
    return {
        "campaign_code": code_name,
        "invite_link": code["invite_link"],
        "remaining_orders": per_code - active - len(orders),
        "orders": orders,
    }


def _orders_of_query(ctx: Context, p: Params) -> list[dict[str, Any]]:
    qt = p.choice("query_type", QUERY_TYPES, required=True)
    if qt == "ORDER_ID":
        ids = p.strings(
            "order_ids",
            required=True,
            max_items=int(rules.limits()["order_ids_per_get"]),
            ids=True,
        )
        assert ids is not None
        return [ctx.state.orders[o] for o in dict.fromkeys(ids) if o in ctx.state.orders]
    if qt == "CAMPAIGN_CODE":
        name = p.text("campaign_code", required=True, max_len=ID_MAX_CHARS) or ""
        code = ctx.state.codes.get(name)
        if code is None:
            raise ApiError(NOT_FOUND, f"campaign_code {name!r} does not exist.")
    else:
        link = p.text("invite_link", required=True, max_len=URL_MAX_CHARS) or ""
        code = ctx.state.codes.get(ctx.state.code_by_link.get(link, ""))
        if code is None:
            raise ApiError(NOT_FOUND, f"invite_link {link!r} does not belong to a campaign code.")
    return [ctx.state.orders[o] for o in code["order_ids"]]


def orders(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tcm/order/get/v2/ by ORDER_ID, CAMPAIGN_CODE or INVITE_LINK."""
    page, size = page_params(p, ctx.endpoint)
    fields = p.names("fields", ORDER_FIELDS)
    chosen = _orders_of_query(ctx, p)
    out = paged(chosen, page, size, "orders")
    payloads = [ctx.world.order_payload(o, ctx.t) for o in out["orders"]]
    if fields:
        keep = set(fields) | {"order_id"}
        payloads = [{k: v for k, v in o.items() if k in keep} for o in payloads]
    out["orders"] = payloads
    return out


def order_report(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tcm/report/get/v2/: one insight per posted order video."""
    lim = rules.limits()
    page, size = page_params(p, ctx.endpoint)
    ids = p.strings("order_ids", required=True, max_items=int(lim["order_ids_per_get"]), ids=True)
    assert ids is not None
    need_daily = p.flag("need_daily_stats", False)
    start, end = report_window(p, ctx.t, required=need_daily)
    metrics = p.names("metrics", REPORT_METRICS)
    missing = [o for o in ids if o not in ctx.state.orders]
    if missing:
        raise ApiError(NOT_FOUND, f"order_ids: {', '.join(missing[:5])} do not exist.")
    end_ts = datetime(end.year, end.month, end.day, tzinfo=UTC).timestamp() + 86_399
    rows = [
        (ctx.state.orders[oid], post)
        for oid in dict.fromkeys(ids)
        for post in ctx.world.order_posts(ctx.state.orders[oid], ctx.t)
        if post.create_time <= end_ts and ctx.world.posts.is_reported(post, ctx.t)
    ]
    insights = []
    for order, post in page_of(rows, page, size):
        m = video_metrics(ctx, post, start, end, daily=need_daily)
        if metrics:
            unknown = [k for k in metrics if k not in m and k != "daily_stats"]
            if unknown:
                raise unknown_values("metrics", unknown)
            keep = set(metrics) | set(_IDENTITY) | ({"daily_stats"} if need_daily else set())
            m = {k: v for k, v in m.items() if k in keep}
        insights.append(
            {
                "dimensions": {
                    "tcm_account_id": ACCOUNT_ID,
                    "order_id": order["order_id"],
                    "order_type": "API_ORDER_V2",
                    "video_id": post.video_id,
                    "handle_name": ctx.d.handles[post.creator],
                    "video_first_release_time": day_of(post.create_time).isoformat(),
                },
                "metrics": m,
            }
        )
    info = paged(rows, page, size, "x")["page_info"]
    return {"insights": insights, "page_info": info}
