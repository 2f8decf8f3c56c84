"""Handlers: discover, onboarding status, invitations, public and authorized creator data."""

from __future__ import annotations

from typing import Any

from ttcm import rules
from ttcm.sandbox.context import Context
from ttcm.sandbox.eligibility import failed_rules, reject_reason
from ttcm.sandbox.paging import cursor_params, page_info, page_params
from ttcm.sandbox.params import (
    ID_MAX_CHARS,
    NOT_TCM_CREATOR,
    PERMISSION,
    SCOPE_NOT_AUTHORIZED,
    ApiError,
    Params,
)
from ttcm.sandbox.posts import Post
from ttcm.sandbox.profiles import AUTHORIZED_FIELDS, View, creator_object


def discover(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/creator/discover/: filtered, sorted, capped at `discover_result_cap`."""
    page, size = page_params(p, ctx.endpoint)
    result = ctx.discover.query(p, page, size, ctx.world.joined(ctx.t))
    cap = int(rules.limits()["discover_result_cap"])
    return {
        "creators": [
            creator_object(ctx.world, i, ctx.t, View.DISCOVER) for i in result.indexes.tolist()
        ],
        "page_info": page_info(page, size, result.total, min(result.total, cap)),
    }


def _handles(p: Params, limit_key: str) -> list[str]:
    lim = rules.limits()
    handles = p.strings(
        "handle_names",
        required=True,
        max_items=int(lim[limit_key]),
        item_max_len=int(lim["handle_max_chars"]),
    )
    assert handles is not None
    return list(dict.fromkeys(handles))


def creator_status(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/creator/status/get/: IN / NOT_IN / INVALID / INVITED per handle."""
    out = []
    for handle in _handles(p, "status_handles_per_call"):
        i = ctx.d.index_of(handle)
        if i is None:
            out.append({"handle_name": handle, "status": "INVALID"})
            continue
        status, reason = ctx.world.onboarding(i, ctx.t)
        item = {"handle_name": handle, "status": status}
        if reason:
            item["reject_reason"] = reason
        out.append(item)
    return {"onboarding_status": out}


def creator_invite(ctx: Context, p: Params) -> dict[str, Any]:
    """POST /tcm/creator/invite/: invite eligible creators; reject the others naming the rule."""
    in_tcm: list[str] = []
    invited: list[str] = []
    rejected: list[str] = []
    reasons: dict[str, str] = {}
    new: dict[str, int] = {}
    for handle in _handles(p, "invite_handles_per_call"):
        i = ctx.d.index_of(handle)
        status = ctx.world.onboarding(i, ctx.t)[0] if i is not None else "UNKNOWN"
        if i is None or status == "INVALID":
            rejected.append(handle)
            reasons[handle] = (
                "No TikTok account uses this handle."
                if i is None
                else "The account is banned or deleted."
            )
        elif status == "IN":
            in_tcm.append(handle)
        elif status == "INVITED":
            invited.append(handle)
        elif failures := failed_rules(ctx.d, i):
            rejected.append(handle)
            reasons[handle] = reject_reason(failures)
        else:
            invited.append(handle)
            new[ctx.d.handles[i]] = i
    for handle, i in new.items():  # all validated: now record
        before = ctx.state.invitations.get(handle, {})
        ctx.state.invitations[handle] = {
            "creator": i,
            "invited_at": ctx.t,
            "round": int(before.get("round", 0)) + 1,
        }
    return {"in_tcm": in_tcm, "invited": invited, "rejected": rejected, "reject_reasons": reasons}


def _marketplace_creator(ctx: Context, p: Params) -> int:
    i = ctx.creator(p)
    if not ctx.world.is_marketplace(i, ctx.t):
        handle = p.raw("handle_name")
        raise ApiError(
            NOT_TCM_CREATOR, f"handle_name: {handle!r} is not a TikTok Creator Marketplace creator."
        )
    return i


def creator_public(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/creator/public/: public insights of a marketplace creator."""
    return creator_object(ctx.world, _marketplace_creator(ctx, p), ctx.t, View.PUBLIC)


def _authorized_creator(ctx: Context, p: Params) -> int:
    cid = p.text("creator_id", required=True, max_len=ID_MAX_CHARS)
    assert cid is not None
    i = ctx.d.index_of_id(cid.strip())
    if i is None:
        raise ApiError(PERMISSION, f"creator_id {cid!r} has not authorized this app.")
    if not bool(ctx.d.authenticated[i]):
        raise ApiError(
            SCOPE_NOT_AUTHORIZED,
            f"creator_id {cid!r}: the creator has not granted this app the needed scopes.",
        )
    return i


def creator_authorized(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/creator/authorized/: private insights of a creator who authorized the app."""
    fields = p.names("fields", AUTHORIZED_FIELDS)
    i = _authorized_creator(ctx, p)
    return creator_object(ctx.world, i, ctx.t, View.AUTHORIZED, fields)


def _video_page(ctx: Context, p: Params, i: int) -> tuple[list[dict[str, Any]], bool, int]:
    """Posts newest first from the cursor: (posts, has_more, next cursor)."""
    cursor, limit = cursor_params(p)
    wanted = p.strings("video_ids", max_items=int(rules.limits()["video_list_limit_max"]), ids=True)
    posts: list[Post] = ctx.world.creator_posts(i, ctx.t)
    if wanted:
        keep = set(wanted)
        posts = [x for x in posts if x.video_id in keep]
    if cursor:
        posts = [x for x in posts if x.create_time * 1000 < cursor]
    page = posts[:limit]
    next_cursor = page[-1].create_time * 1000 if page else cursor
    payloads = [ctx.world.posts.payload(x, ctx.t) for x in page]
    return payloads, len(posts) > limit, next_cursor


def creator_public_videos(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/creator/public/video/list/: `page_info {has_more, cursor}`."""
    posts, has_more, cursor = _video_page(ctx, p, _marketplace_creator(ctx, p))
    return {"posts": posts, "page_info": {"has_more": has_more, "cursor": cursor}}


def creator_authorized_videos(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/creator/authorized/video/list/: `has_more` and `cursor` at the top of data."""
    posts, has_more, cursor = _video_page(ctx, p, _authorized_creator(ctx, p))
    return {"posts": posts, "has_more": has_more, "cursor": cursor}
