"""Creators: discovery, marketplace status, public and authorized profiles, invitations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ttcm.api import parsing as p
from ttcm.api import validation as v
from ttcm.api.base import BaseClient
from ttcm.api.endpoints import ENDPOINTS
from ttcm.api.errors import RequestValidationError
from ttcm.api.models.creators import Creator, InviteResult, OnboardingStatus
from ttcm.api.models.paging import PageInfo
from ttcm.api.models.posts import Post
from ttcm.api.wire import WriteResult

LINK_ACTIONS = ("LINK", "REVOKE")
# discover filters that are lists on the wire (a bare string there is a caller bug)
_DISCOVER_LISTS = (
    "country_codes",
    "state_provinces",
    "content_label_ids",
    "industry_label_ids",
    "languages",
    "follower_country_codes",
)


def _discover_params(filters: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(filters, Mapping):
        raise RequestValidationError("filters", "must be a mapping of discover filters")
    params = dict(filters)
    for key in ("page", "page_size"):
        if key in params:
            raise RequestValidationError(key, "pass it as an argument, not as a filter")
    params["country_codes"] = v.strings(params.get("country_codes"), "country_codes", max_chars=2)
    for key in _DISCOVER_LISTS[1:]:
        if params.get(key) is not None:
            params[key] = v.strings(params[key], key, required=False)
    lo, hi = int(v.limit("discover_min_followers")), int(v.limit("discover_max_followers"))
    low = high = None
    if params.get("min_followers") is not None:
        low = v.integer(params["min_followers"], "min_followers", lo, hi)
    if params.get("max_followers") is not None:
        high = v.integer(params["max_followers"], "max_followers", lo, hi)
    if low is not None and high is not None and low > high:
        raise RequestValidationError("min_followers", f"{low} is above max_followers {high}")
    return params


def discover(
    api: BaseClient, filters: Mapping[str, Any], page: int = 1, page_size: int = 200
) -> tuple[list[Creator], PageInfo]:
    """One page of marketplace creators matching `filters` (at most 250 per query)."""
    params = _discover_params(filters)
    v.integer(page, "page", 1)
    v.integer(page_size, "page_size", 1, ENDPOINTS["discover"].max_page_size)
    response = api.request("discover", {**params, "page": page, "page_size": page_size})
    creators = p.creators(response, "discover")
    info = response.data.get("page_info")
    pages = PageInfo.model_validate(info) if isinstance(info, dict) else PageInfo()
    return creators, pages


def iter_discover(
    api: BaseClient, filters: Mapping[str, Any], page_size: int = 200
) -> Iterator[Creator]:
    """Every creator of a discover query, page after page (up to the result cap)."""
    pages = api.iter_pages("discover", _discover_params(filters), page_size)
    return (c for page in pages for c in p.creators(page, "discover"))


def creator_status(api: BaseClient, handles: Iterable[str]) -> list[OnboardingStatus]:
    """Marketplace status (IN/NOT_IN/INVALID/INVITED) per handle, in batches of 20."""
    wanted = v.handles(handles, "handles")
    batch = int(v.limit("status_handles_per_call"))
    out: list[OnboardingStatus] = []
    for i in range(0, len(wanted), batch):
        response = api.request("creator_status", {"handle_names": wanted[i : i + batch]})
        out.extend(p.items(OnboardingStatus, response, "creator_status", "onboarding_status"))
    return out


def creator_public(api: BaseClient, handle: str) -> Creator:
    """Public marketplace profile of one creator."""
    name = v.handle(handle)
    response = api.request("creator_public", {"handle_name": name})
    creator = p.parse(Creator, response.data, "creator_public", response.request_id)
    if creator.handle_name is None:
        creator.handle_name = name
    return creator


def iter_public_videos(api: BaseClient, handle: str, limit: int = 10) -> Iterator[Post]:
    """A marketplace creator's public videos, newest first (`limit` per request)."""
    name = v.handle(handle)
    posts = p.iter_items(api, Post, "creator_public_videos", {"handle_name": name}, page_size=limit)
    return p.filled(posts, "handle_name", name)


def iter_authorized_creators(api: BaseClient) -> Iterator[Creator]:
    """Every creator who authorized the app (marketplace or not)."""
    pages = api.iter_pages("authorized_creators")
    return (c for page in pages for c in p.creators(page, "authorized_creators"))


def creator_authorized(
    api: BaseClient, creator_id: str, fields: Sequence[str] | None = None
) -> Creator:
    """Private insights of a creator who authorized the app (`fields` to narrow them)."""
    cid = v.identifier(creator_id, "creator_id")
    params = {
        "creator_id": cid,
        "fields": v.optional_strings(fields, "fields"),
    }
    response = api.request("creator_authorized", params)
    creator = p.parse(Creator, response.data, "creator_authorized", response.request_id)
    if creator.creator_id is None:
        creator.creator_id = cid
    return creator


def iter_authorized_videos(api: BaseClient, creator_id: str, limit: int = 10) -> Iterator[Post]:
    """An authorized creator's videos, newest first."""
    cid = v.identifier(creator_id, "creator_id")
    return p.iter_items(
        api, Post, "creator_authorized_videos", {"creator_id": cid}, page_size=limit
    )


def invite(api: BaseClient, handles: Iterable[str]) -> WriteResult[InviteResult]:
    """Invite up to 20 creators to the marketplace in one call."""
    wanted = v.handles(handles, "handles", max_items=int(v.limit("invite_handles_per_call")))
    return p.write(api, InviteResult, "creator_invite", {"handle_names": wanted})
