"""Handlers: Spark Ads authorization requests for campaign and order videos, and their status."""

from __future__ import annotations

from typing import Any

from ttcm import rules
from ttcm.sandbox.context import Context
from ttcm.sandbox.ids import VideoKind
from ttcm.sandbox.life import link_state
from ttcm.sandbox.params import ID_MAX_CHARS, NOT_FOUND, PARAM_ERROR, ApiError, Params
from ttcm.sandbox.posts import fmt_time


def _video(ctx: Context, p: Params) -> str:
    vid = p.text("video_id", required=True, max_len=ID_MAX_CHARS)
    assert vid is not None
    return vid.strip()


def _linked(ctx: Context, vid: str) -> bool:
    """True when the video belongs to an order or campaign of the account."""
    post = ctx.world.find_video(vid, ctx.t)
    if post is None:
        raise ApiError(NOT_FOUND, f"video_id {vid!r} does not exist.")
    if post.kind in (VideoKind.ORDER, VideoKind.CAMPAIGN):
        return True
    return any(
        link["video_id"] == vid and link_state(ctx.seed, link, ctx.t)[0] == "APPROVE"
        for link in ctx.state.links.values()
    )


def spark_apply(ctx: Context, p: Params) -> dict[str, Any]:
    """POST /tcm/tt_video/apply/: request (or EXTEND) a Spark Ads authorization."""
    vid = _video(ctx, p)
    allowed = rules.spark_days()
    name = "authorization_days" if p.has("authorization_days") else "authorized_days"
    days = p.integer(name, default=int(rules.limits()["spark_ads_default_days"]))
    if days not in allowed:
        raise ApiError(
            PARAM_ERROR, f"{name} must be one of {', '.join(map(str, allowed))}, got {days}."
        )
    action = p.choice("action", ("EXTEND",))
    if not _linked(ctx, vid):
        raise ApiError(
            PARAM_ERROR, f"video_id {vid} is not linked to an order or a campaign of this account."
        )
    st = ctx.world.spark(vid, ctx.t)
    if st.remaining <= 0:
        raise ApiError(PARAM_ERROR, f"video_id {vid}: no Spark Ads requests left for this video.")
    if action == "EXTEND" and not st.live(ctx.t):
        raise ApiError(
            PARAM_ERROR,
            f"action EXTEND needs an ACCEPTED, unexpired authorization; video_id {vid} is "
            f"{st.code_status or st.auth_status or 'not requested'}.",
        )
    if action is None and st.live(ctx.t):
        raise ApiError(
            PARAM_ERROR,
            f"video_id {vid} is already authorized until {fmt_time(st.end or 0)}; "
            "send action EXTEND to add days.",
        )
    record = ctx.state.spark.setdefault(vid, {"events": []})
    record["events"].append({"t": ctx.t, "days": days, "action": action or "APPLY"})
    return {}


def spark_status(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tcm/tt_video/status/: WAITING, then ACCEPTED (with a code) or REJECTED."""
    vid = _video(ctx, p)
    if not ctx.world.spark_events(vid, ctx.t):
        raise ApiError(NOT_FOUND, f"video_id {vid!r} has no Spark Ads authorization request.")
    st = ctx.world.spark(vid, ctx.t)
    out: dict[str, Any] = {
        "video_id": vid,
        "auth_status": st.auth_status,
        "auth_status_updated_time": fmt_time(st.updated_at),
        "num_remaining_request": st.remaining,
        "requested_authorization_days": st.requested_days,
    }
    if st.auth_status == "ACCEPTED" and st.start is not None and st.end is not None:
        out.update(
            auth_code=st.auth_code,
            auth_code_status=st.code_status,
            auth_code_start_time=fmt_time(st.start),
            auth_code_end_time=fmt_time(st.end),
        )
    return out
