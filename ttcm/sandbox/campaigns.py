"""Handlers: brand profiles, TTO campaigns, video link requests and the campaign report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from ttcm import rules
from ttcm.sandbox.accounts import ACCOUNT_COUNTRY
from ttcm.sandbox.context import Context
from ttcm.sandbox.ids import ACCOUNT_ID, MEDIA_HOST, VideoKind, object_id
from ttcm.sandbox.life import link_state, spark_boosted_since
from ttcm.sandbox.paging import page_of, page_params, paged
from ttcm.sandbox.params import (
    ID_MAX_CHARS,
    NOT_FOUND,
    PARAM_ERROR,
    URL_MAX_CHARS,
    ApiError,
    Params,
)
from ttcm.sandbox.posts import Post, fmt_time

CAMPAIGN_TYPES = ("CAMPAIGN", "BRAND_LINK")
_IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".gif")


def _text_max() -> int:
    return int(rules.limits()["text_max_chars"])


# ---------------------------------------------------------------- brand profiles


def _brand_payload(b: dict[str, Any], industry_key: str) -> dict[str, Any]:
    """A brand profile; create names the industry `brand_industry_id`, get `brand_industry`."""
    out = {
        "brand_profile_id": b["brand_profile_id"],
        "brand_name": b["brand_name"],
        industry_key: b["brand_industry_id"],
        "brand_website": b["brand_website"],
        "logo_url": b["logo_url"],
    }
    if b.get("tiktok_account_url"):
        out["tiktok_account_url"] = b["tiktok_account_url"]
    return out


def brand_profile_create(ctx: Context, p: Params) -> dict[str, Any]:
    """POST /tto/tcm/brand/profile/create/."""
    name = p.text("brand_name", required=True, max_len=_text_max())
    industries = [lab["label_id"] for lab in rules.vocab()["industry_labels"]]
    industry = p.text("brand_industry_id", required=True)
    if industry not in industries:
        raise ApiError(PARAM_ERROR, f"brand_industry_id {industry!r} is not an industry label id.")
    website = p.text("brand_website", required=True, max_len=URL_MAX_CHARS)
    if not (website or "").startswith("https://") or len(website or "") <= len("https://"):
        raise ApiError(PARAM_ERROR, "brand_website must be an https:// URL.")
    logo = p.text("logo_url", required=True, max_len=URL_MAX_CHARS) or ""
    if not logo.startswith(("https://", "http://")) or not logo.split("?")[0].lower().endswith(
        _IMAGE_TYPES
    ):
        raise ApiError(PARAM_ERROR, "logo_url must be the URL of a JPG, PNG or GIF image.")
    tiktok = p.text("tiktok_account_url", max_len=URL_MAX_CHARS)
    if tiktok and not tiktok.startswith("https://www.tiktok.com/@"):
        raise ApiError(PARAM_ERROR, "tiktok_account_url must start with https://www.tiktok.com/@.")
    bid = object_id(ctx.seed, "74", ctx.state.next_seq())
    brand = {
        "brand_profile_id": bid,
        "brand_name": name,
        "brand_industry_id": industry,
        "brand_website": website,
        "logo_url": logo,
        "tiktok_account_url": tiktok,
        "created_at": ctx.t,
    }
    ctx.state.brands[bid] = brand
    return _brand_payload(brand, "brand_industry_id")


def brand_profiles(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/brand/profile/get/."""
    page, size = page_params(p, ctx.endpoint)
    ids = p.strings(
        "brand_profile_ids", max_items=int(rules.limits()["brand_profile_ids_max"]), ids=True
    )
    brands = list(ctx.state.brands.values())
    if ids is not None:
        wanted = set(ids)
        brands = [b for b in brands if b["brand_profile_id"] in wanted]
    return paged([_brand_payload(b, "brand_industry") for b in brands], page, size, "brands")


# ---------------------------------------------------------------- campaigns


def campaign_payload(ctx: Context, c: dict[str, Any]) -> dict[str, Any]:
    """The campaign object."""
    members = [int(m["creator"]) for m in c["members"].values()]
    out: dict[str, Any] = {
        "campaign_id": c["campaign_id"],
        "campaign_type": c["campaign_type"],
    }
    if c.get("brand_profile_id"):
        out["brand_profile_id"] = c["brand_profile_id"]
    out.update(
        brand_name=c["brand_name"],
        campaign_name=c["campaign_name"],
        campaign_description=c.get("campaign_description") or "",
        handle_names=list(c["members"]),
    )
    if c.get("anchor_id"):
        out["anchor_id"] = c["anchor_id"]
    out.update(
        video_ids=[x.video_id for x in ctx.world.campaign_videos(c, ctx.t)],
        advertiser_ids=list(c.get("advertiser_ids") or []),
        spark_ads_requested_authorization_days=int(c["spark_days"]),
        invite_link=c["invite_link"],
        create_time=fmt_time(float(c["created_at"])),
        update_time=fmt_time(float(c["updated_at"])),
        country_codes=sorted({ctx.d.country_code(i) for i in members}),
        failed_handle_names=list(c.get("failed_handle_names") or []),
        dm_info={
            "business_account_handle": c.get("business_account_handle") or "",
            "dm_allowed": bool(c.get("business_account_handle")),
        },
    )
    return out


def _campaign(ctx: Context, p: Params) -> dict[str, Any]:
    cid = p.text("campaign_id", required=True, max_len=ID_MAX_CHARS)
    c = ctx.state.campaigns.get(cid or "")
    if c is None:
        raise ApiError(NOT_FOUND, f"campaign_id {cid!r} does not exist.")
    return c


def _members(ctx: Context, p: Params, required: bool) -> tuple[dict[str, int], list[str]] | None:
    """Resolve `handle_names`: (canonical handle -> creator, failed handles), None if absent."""
    lim = rules.limits()
    handles = p.strings(
        "handle_names", required=required, item_max_len=int(lim["handle_max_chars"])
    )
    if handles is None:
        return None
    found: dict[str, int] = {}
    failed: list[str] = []
    for h in dict.fromkeys(handles):
        i = ctx.d.index_of(h)
        if i is None or ctx.world.onboarding(i, ctx.t)[0] == "INVALID":
            failed.append(h)
        else:
            found[ctx.d.handles[i]] = i
    return found, failed


def _spark_days(p: Params, name: str, default: int) -> int:
    allowed = rules.spark_days()
    days = p.integer(name, default=default)
    if days not in allowed:
        raise ApiError(
            PARAM_ERROR, f"{name} must be one of {', '.join(map(str, allowed))}, got {days}."
        )
    return days


def campaign_create(ctx: Context, p: Params) -> dict[str, Any]:
    """POST /tto/tcm/campaign/create/; with `campaign_id`, adds creators to that campaign."""
    if p.has("campaign_id"):
        c = _campaign(ctx, p)
        resolved = _members(ctx, p, required=True)
        assert resolved is not None
        found, failed = resolved
        for h, i in found.items():
            c["members"].setdefault(h, {"creator": i, "added_at": ctx.t})
        c["failed_handle_names"] = failed
        c["updated_at"] = ctx.t
        ctx.state.rebuild()
        return campaign_payload(ctx, c)
    lim = rules.limits()
    name = p.text("campaign_name", required=True, max_len=int(lim["campaign_name_max_chars"]))
    ctype = p.choice("campaign_type", CAMPAIGN_TYPES, default="CAMPAIGN")
    brand_id = p.text("brand_profile_id", max_len=ID_MAX_CHARS)
    brand_name = p.text("brand_name", max_len=_text_max())
    if brand_id:
        brand = ctx.state.brands.get(brand_id)
        if brand is None:
            raise ApiError(NOT_FOUND, f"brand_profile_id {brand_id!r} does not exist.")
        brand_name = brand["brand_name"]
    elif not brand_name:
        raise ApiError(PARAM_ERROR, "brand_profile_id or brand_name is required.")
    description = p.text("campaign_description", max_len=int(lim["campaign_name_max_chars"]))
    advertisers = p.strings("advertiser_ids", ids=True) or []
    days = _spark_days(
        p, "default_spark_ads_requested_authorization_days", int(lim["spark_ads_default_days"])
    )
    p.flag("send_notification", True)
    business = p.text("business_account_handle", max_len=int(lim["handle_max_chars"]))
    anchor = p.text("anchor_id", max_len=ID_MAX_CHARS)
    resolved = _members(ctx, p, required=False)
    found, failed = resolved if resolved is not None else ({}, [])
    seq = ctx.state.next_seq()
    cid = object_id(ctx.seed, "73", seq)
    c = {
        "campaign_id": cid,
        "seq": seq,
        "campaign_type": ctype,
        "brand_profile_id": brand_id,
        "brand_name": brand_name,
        "campaign_name": name,
        "campaign_description": description,
        "anchor_id": anchor,
        "advertiser_ids": advertisers,
        "spark_days": days,
        "invite_link": f"{MEDIA_HOST}/tto/invite/{cid}",
        "created_at": ctx.t,
        "updated_at": ctx.t,
        "members": {h: {"creator": i, "added_at": ctx.t} for h, i in found.items()},
        "failed_handle_names": failed,
        "business_account_handle": business,
    }
    ctx.state.campaigns[cid] = c
    ctx.state.rebuild()
    return campaign_payload(ctx, c)


def campaign_update(ctx: Context, p: Params) -> dict[str, Any]:
    """POST /tto/tcm/campaign/update/: replace the creators and/or the advertisers."""
    c = _campaign(ctx, p)
    ctype = p.choice("campaign_type", CAMPAIGN_TYPES)
    if ctype and ctype != c["campaign_type"]:
        raise ApiError(
            PARAM_ERROR, f"campaign_type is {c['campaign_type']} for this campaign, not {ctype}."
        )
    advertisers = p.strings("advertiser_ids", ids=True)
    p.flag("send_notification", True)
    resolved = _members(ctx, p, required=False)
    if resolved is not None:
        found, failed = resolved
        c["members"] = {
            h: c["members"].get(h, {"creator": i, "added_at": ctx.t}) for h, i in found.items()
        }
        c["failed_handle_names"] = failed
    if advertisers is not None:
        c["advertiser_ids"] = advertisers
    c["updated_at"] = ctx.t
    ctx.state.rebuild()
    return campaign_payload(ctx, c)


def campaigns(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/campaign/: campaigns in creation order, at most 5 per page."""
    page, size = page_params(p, ctx.endpoint)
    ids = p.strings("campaign_ids", ids=True)
    ctype = p.choice("campaign_type", CAMPAIGN_TYPES)
    chosen = [
        c
        for c in ctx.state.campaigns.values()
        if (ids is None or c["campaign_id"] in ids) and (not ctype or c["campaign_type"] == ctype)
    ]
    out = paged(chosen, page, size, "campaigns")
    out["campaigns"] = [campaign_payload(ctx, c) for c in out["campaigns"]]
    return out


# ---------------------------------------------------------------- video links


def campaign_link(ctx: Context, p: Params) -> dict[str, Any]:
    """POST /tto/tcm/campaign/link/: ask to link a creator's video (LINK) or withdraw (REVOKE)."""
    c = _campaign(ctx, p)
    vid = p.text("video_id", required=True, max_len=ID_MAX_CHARS) or ""
    action = p.choice("action", ("LINK", "REVOKE"), required=True)
    post = ctx.world.find_video(vid, ctx.t)
    if post is None:
        raise ApiError(NOT_FOUND, f"video_id {vid!r} does not exist.")
    if post.kind == VideoKind.CAMPAIGN and post.campaign_id == c["campaign_id"]:
        raise ApiError(PARAM_ERROR, f"video_id {vid} was posted for this campaign already.")
    key = f"{c['campaign_id']}:{vid}"
    link = ctx.state.links.get(key)
    status = link_state(ctx.seed, link, ctx.t)[0] if link else None
    if action == "REVOKE":
        if link is None:
            raise ApiError(NOT_FOUND, f"video_id {vid} has no link request on this campaign.")
        if status not in ("IN_REVIEW", "APPROVE"):
            raise ApiError(PARAM_ERROR, f"video_id {vid}: a {status} link cannot be revoked.")
        link["revoked_at"] = ctx.t
    elif link is None:
        link = {
            "link_request_id": object_id(ctx.seed, "75", ctx.state.next_seq()),
            "campaign_id": c["campaign_id"],
            "video_id": vid,
            "creator": post.creator,
            "round": 1,
            "requested_at": ctx.t,
            "reminded_at": None,
            "revoked_at": None,
            "requests": 1,
        }
        ctx.state.links[key] = link
    elif status == "APPROVE":
        raise ApiError(PARAM_ERROR, f"video_id {vid} is already linked to this campaign.")
    elif status == "IN_REVIEW":
        link["requests"] = int(link["requests"]) + 1
        link["reminded_at"] = ctx.t
    else:  # REJECTED or REVOKE: ask again
        link.update(
            round=int(link["round"]) + 1,
            requested_at=ctx.t,
            reminded_at=None,
            revoked_at=None,
            requests=int(link["requests"]) + 1,
        )
    return ctx.world.link_payload(link, ctx.t)


def campaign_link_status(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/campaign/link/status/."""
    page, size = page_params(p, ctx.endpoint)
    ids = p.strings("campaign_ids", ids=True)
    handles = p.strings("handle_names")
    ctype = p.choice("campaign_type", CAMPAIGN_TYPES)
    wanted = {ctx.d.index_of(h) for h in handles} if handles is not None else None
    links = [
        link
        for link in ctx.state.links.values()
        if (ids is None or link["campaign_id"] in ids)
        and (wanted is None or int(link["creator"]) in wanted)
        and (not ctype or ctx.state.campaigns[link["campaign_id"]]["campaign_type"] == ctype)
    ]
    out = paged(links, page, size, "video_infos")
    out["video_infos"] = [ctx.world.link_payload(link, ctx.t) for link in out["video_infos"]]
    return out


# ---------------------------------------------------------------- report


def report_window(p: Params, t: float, *, required: bool = False) -> tuple[date, date]:
    """(start, end) from start_date/end_date, at most `report_max_days` apart."""
    max_days = int(rules.limits()["report_max_days"])
    start, end = p.day("start_date", required=required), p.day("end_date", required=required)
    today = datetime.fromtimestamp(t, UTC).date()
    if start is None and end is None:
        return today - timedelta(days=max_days - 1), today
    if start is None or end is None:
        raise ApiError(PARAM_ERROR, "start_date and end_date must be sent together.")
    if end < start:
        raise ApiError(PARAM_ERROR, "end_date must not be before start_date.")
    if (end - start).days > max_days:
        raise ApiError(
            PARAM_ERROR, f"end_date - start_date is {(end - start).days} days; at most {max_days}."
        )
    return start, end


def video_metrics(
    ctx: Context, post: Post, start: date, end: date, *, daily: bool = True
) -> dict[str, Any]:
    """The report metrics of one video, with its Spark Ads code and paid split if any."""
    st = ctx.world.spark(post.video_id, ctx.t)
    return ctx.world.posts.report_item(
        post,
        ctx.t,
        start=start,
        end=end,
        auth_code=st.auth_code if st.auth_status == "ACCEPTED" else None,
        boosted_since=spark_boosted_since(ctx.seed, post.video_id, st),
        daily=daily,
    )


def campaign_report(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/report/: per-video metrics of one campaign (`Country-Code` header optional)."""
    c = _campaign(ctx, p)
    page, size = page_params(p, ctx.endpoint)
    start, end = report_window(p, ctx.t)
    country = ctx.headers.get("country-code", "").strip().upper() or None
    if country and country not in rules.countries():
        raise ApiError(PARAM_ERROR, f"Country-Code header {country!r} is not a TTCM country.")
    videos = [
        v for v in ctx.world.campaign_videos(c, ctx.t) if ctx.world.posts.is_reported(v, ctx.t)
    ]
    if country:
        videos = [v for v in videos if ctx.d.country_code(v.creator) == country]
    members = sorted({ctx.d.country_code(int(m["creator"])) for m in c["members"].values()})
    return {
        "tto_tcm_account_id": ACCOUNT_ID,
        "campaign_id": c["campaign_id"],
        "country_code": country or (members[0] if members else ACCOUNT_COUNTRY),
        "campaign_type": c["campaign_type"],
        "campaign_channel_type": "STANDARD_CAMPAIGN",
        "page_info": paged(videos, page, size, "videos")["page_info"],
        "videos": [video_metrics(ctx, v, start, end) for v in page_of(videos, page, size)],
    }
