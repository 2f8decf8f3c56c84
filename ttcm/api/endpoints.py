"""The TikTok One endpoints ttcm uses: one table that the client and the sandbox both read.

Paths are relative to the versioned base (`.../open_api/v1.3`) and start and end with `/`.
The payload shapes and the sandbox's documented assumptions are in `docs/contract.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Paging(StrEnum):
    """How an endpoint pages its results."""

    NONE = "none"
    PAGE = "page"  # page / page_size in, data.page_info {page, page_size, total_number, total_page}
    CURSOR = "cursor"  # cursor (ms) / limit in, has_more + cursor out (nested or top level)


class Token(StrEnum):
    """Which credential an endpoint needs."""

    BRAND = "brand"  # Access-Token of the TTO account
    CREATOR = "creator"  # brand token + creator_id of a creator who authorized the app (sandbox)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One API endpoint: method, path, paging scheme, page-size cap and whether it writes."""

    name: str
    method: str
    path: str
    paging: Paging = Paging.NONE
    max_page_size: int | None = None
    write: bool = False
    token: Token = Token.BRAND
    items_key: str | None = None  # key of the list in `data` for paged endpoints


_ENDPOINTS = [
    # accounts
    Endpoint("tcm_accounts", "GET", "/tto/oauth2/tcm/"),
    Endpoint("account_info", "GET", "/tto/oauth2/info/"),
    Endpoint(
        "authorized_creators",
        "GET",
        "/oauth2/creator/get/",
        Paging.PAGE,
        100,
        items_key="creators",
    ),
    # discovery
    Endpoint("labels", "GET", "/tto/tcm/category/label/"),
    Endpoint(
        "discover", "GET", "/tto/tcm/creator/discover/", Paging.PAGE, 200, items_key="creators"
    ),
    Endpoint("creator_status", "GET", "/tto/tcm/creator/status/get/"),
    Endpoint("creator_public", "GET", "/tto/tcm/creator/public/"),
    Endpoint(
        "creator_public_videos",
        "GET",
        "/tto/tcm/creator/public/video/list/",
        Paging.CURSOR,
        10,
        items_key="posts",
    ),
    Endpoint("creator_authorized", "GET", "/tto/creator/authorized/", token=Token.CREATOR),
    Endpoint(
        "creator_authorized_videos",
        "GET",
        "/tto/creator/authorized/video/list/",
        Paging.CURSOR,
        10,
        token=Token.CREATOR,
        items_key="posts",
    ),
    # brand profiles
    Endpoint("brand_profile_create", "POST", "/tto/tcm/brand/profile/create/", write=True),
    Endpoint(
        "brand_profiles", "GET", "/tto/tcm/brand/profile/get/", Paging.PAGE, 100, items_key="brands"
    ),
    # campaigns
    Endpoint("campaign_create", "POST", "/tto/tcm/campaign/create/", write=True),
    Endpoint("campaign_update", "POST", "/tto/tcm/campaign/update/", write=True),
    Endpoint("campaigns", "GET", "/tto/tcm/campaign/", Paging.PAGE, 5, items_key="campaigns"),
    Endpoint("campaign_link", "POST", "/tto/tcm/campaign/link/", write=True),
    Endpoint(
        "campaign_link_status",
        "GET",
        "/tto/tcm/campaign/link/status/",
        Paging.PAGE,
        100,
        items_key="video_infos",
    ),
    Endpoint("campaign_report", "GET", "/tto/tcm/report/", Paging.PAGE, 100, items_key="videos"),
    # Spark Ads
    Endpoint("spark_apply", "POST", "/tcm/tt_video/apply/", write=True),
    Endpoint("spark_status", "GET", "/tcm/tt_video/status/"),
    # order flow (workflow 2.0, keyed by tcm_account_id)
    Endpoint("creator_invite", "POST", "/tcm/creator/invite/", write=True),
    Endpoint("order_create", "POST", "/tcm/order/create/v2/", write=True),
    Endpoint("orders", "GET", "/tcm/order/get/v2/", Paging.PAGE, 20, items_key="orders"),
    Endpoint("order_report", "GET", "/tcm/report/get/v2/", Paging.PAGE, 100, items_key="insights"),
]

ENDPOINTS: dict[str, Endpoint] = {e.name: e for e in _ENDPOINTS}
BY_PATH: dict[str, Endpoint] = {e.path: e for e in _ENDPOINTS}

# The reference's "six TTO read endpoints with their own rate limits" (docs/decisions.md §3).
TTO_READ_BUCKET_PATHS = frozenset(
    {
        "/tto/creator/authorized/",
        "/tto/creator/authorized/video/list/",
        "/tto/tcm/creator/public/",
        "/tto/tcm/creator/public/video/list/",
        "/tto/tcm/rank/",
        "/tto/tcm/creator/discover/",
    }
)

# The app permission each path needs (official API-reference index, "TikTok One" section;
# docs/contract.md, "Transport"). Paths not listed there are marked [assumed].
_READ = "TCM > Read TCM Account"
_WRITE = "TCM > Create and Update TCM Account"
PERMISSIONS: dict[str, str] = {
    "/tto/oauth2/tcm/": _READ,
    "/tto/oauth2/info/": _READ,
    "/tto/tcm/creator/status/get/": _READ,
    "/tto/tcm/category/label/": _READ,
    "/tto/tcm/creator/discover/": _READ,
    "/tto/tcm/campaign/": _READ,
    "/tto/tcm/campaign/link/status/": _READ,
    "/tto/tcm/report/": _READ,
    "/tto/tcm/brand/profile/create/": _WRITE,
    "/tto/tcm/brand/profile/get/": _WRITE,
    "/tto/tcm/campaign/create/": _WRITE,
    "/tto/tcm/campaign/update/": _WRITE,
    "/tto/tcm/campaign/link/": _WRITE,
    "/tcm/tt_video/apply/": "TCM > Send Spark Ads Invitation to Creators and Get the Status",
    "/tcm/tt_video/status/": "TCM > Send Spark Ads Invitation to Creators and Get the Status",
    "/tto/creator/authorized/": "TikTok Creator > Creator User > Get Creator Insights",
    "/tto/tcm/creator/public/": "TikTok Creator > Creator User > Get Creator Insights",
    "/tto/creator/authorized/video/list/": "TikTok Creator > Creator Media > Get Creator Media",
    "/tto/tcm/creator/public/video/list/": "TikTok Creator > Creator Media > Get Creator Media",
    # [assumed]: the legacy /tcm/ order flow and the authorized-creator list are not in the index
    "/oauth2/creator/get/": "TikTok Creator > Creator User > Get Creator Insights",
    "/tcm/creator/invite/": "TCM > Create and Update TCM Account",
    "/tcm/order/create/v2/": "TCM > Create and Update TCM Account",
    "/tcm/order/get/v2/": _READ,
    "/tcm/report/get/v2/": _READ,
}
