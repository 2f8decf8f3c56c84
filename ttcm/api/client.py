"""`TikTokOneClient`: typed methods over the TikTok One endpoints of `endpoints.py`.

Reads return models (`ttcm.api.models`) or iterators of models that follow every page; writes
return `WriteResult(value, request_id)` so callers can audit them. Arguments are checked against
`ttcm/rules/api_limits.json` before sending. Transport, retries and paging live in `base.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from ttcm.api import validation as v
from ttcm.api.base import BaseClient
from ttcm.api.endpoints import ENDPOINTS
from ttcm.api.errors import RequestValidationError
from ttcm.api.models import (
    AccountInfo,
    BrandProfile,
    Campaign,
    Creator,
    Deliverable,
    InviteResult,
    LabelSet,
    LinkInfo,
    OnboardingStatus,
    Order,
    OrderCreateResult,
    OrderInsight,
    PageInfo,
    Post,
    ReportVideo,
    SparkStatus,
)
from ttcm.api.wire import Response, WriteResult, shape_error

if TYPE_CHECKING:
    from ttcm.config import Settings

M = TypeVar("M", bound=BaseModel)

SANDBOX_BASE_URL = "http://sandbox.local/open_api/v1.3"
LABEL_TYPES = ("SEARCH", "RANKING")
CAMPAIGN_TYPES = ("CAMPAIGN", "BRAND_LINK")
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


def _errors_summary(exc: ValidationError) -> str:
    parts = [
        f"{'.'.join(str(p) for p in e['loc']) or 'data'}: {e['msg']}"
        for e in exc.errors(include_url=False, include_input=False)[:3]
    ]
    return "; ".join(parts)


class TikTokOneClient(BaseClient):
    """The TikTok One API for one brand account (thread-safe; share one per process)."""

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> TikTokOneClient:
        """A client for `settings`: the in-process sandbox when `api_base == "sandbox"`."""
        from ttcm.config import SANDBOX

        options: dict[str, Any] = {"account_id": settings.account_id, "qps": settings.qps}
        if settings.api_base == SANDBOX:
            from ttcm.sandbox import SandboxTransport, shared_app

            app = shared_app(
                settings.sandbox_creators,
                settings.sandbox_seed,
                state_path=settings.sandbox_state,
                dialect=settings.sandbox_dialect,
            )
            options["transport"] = SandboxTransport(app)
            return cls(SANDBOX_BASE_URL, settings.access_token, **(options | kwargs))
        return cls(settings.api_base, settings.access_token, **(options | kwargs))

    # ------------------------------------------------------------ parsing helpers

    def _parse(self, model: type[M], data: Any, name: str, request_id: str) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            detail = f"an unexpected {model.__name__}: {_errors_summary(exc)}"
            raise shape_error(name, detail, request_id) from None

    def _items(
        self, model: type[M], response: Response, name: str, key: str | None = None
    ) -> list[M]:
        key = key or ENDPOINTS[name].items_key or ""
        raw = response.data.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            detail = f"{key} as a {type(raw).__name__}, not a list"
            raise shape_error(name, detail, response.request_id)
        return [self._parse(model, item, name, response.request_id) for item in raw]

    def _iter_items(
        self,
        model: type[M],
        name: str,
        params: Mapping[str, Any] | None = None,
        page_size: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[M]:
        # iter_pages checks its arguments now; only the requests are lazy
        pages = self.iter_pages(name, params, page_size, headers=headers)
        return (item for page in pages for item in self._items(model, page, name))

    def _creators(self, response: Response, name: str) -> list[Creator]:
        creators = self._items(Creator, response, name)
        for c in creators:
            if c.handle_name is None:
                raise shape_error(name, "a creator without handle_name", response.request_id)
        return creators

    def _write(self, model: type[M], name: str, body: Mapping[str, Any]) -> WriteResult[M]:
        response = self.request(name, json=body)
        return WriteResult(
            self._parse(model, response.data, name, response.request_id),
            response.request_id,
            partial=response.partial,
            message=response.message,
        )

    # ------------------------------------------------------------ accounts and labels

    def tcm_accounts(self) -> list[str]:
        """Ids of the TikTok One accounts this token may act on."""
        return self._account_ids()

    def account_info(self) -> AccountInfo:
        """Name, timezone, country and verification status of the account."""
        response = self.request("account_info")
        info = self._parse(AccountInfo, response.data, "account_info", response.request_id)
        if info.tto_tcm_account_id is None:
            info.tto_tcm_account_id = self.account_id
        return info

    def labels(self, label_type: str = "SEARCH") -> LabelSet:
        """Industry and content label vocabularies (`SEARCH` or `RANKING`)."""
        kind = v.choice(label_type, "label_type", LABEL_TYPES)
        response = self.request("labels", {"label_type": kind})
        return self._parse(LabelSet, response.data, "labels", response.request_id)

    # ------------------------------------------------------------ discovery

    def _discover_params(self, filters: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(filters, Mapping):
            raise RequestValidationError("filters", "must be a mapping of discover filters")
        params = dict(filters)
        for key in ("page", "page_size"):
            if key in params:
                raise RequestValidationError(key, "pass it as an argument, not as a filter")
        params["country_codes"] = v.strings(
            params.get("country_codes"), "country_codes", max_chars=2
        )
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
        self, filters: Mapping[str, Any], page: int = 1, page_size: int = 200
    ) -> tuple[list[Creator], PageInfo]:
        """One page of marketplace creators matching `filters` (at most 250 per query)."""
        params = self._discover_params(filters)
        v.integer(page, "page", 1)
        v.integer(page_size, "page_size", 1, ENDPOINTS["discover"].max_page_size)
        response = self.request("discover", {**params, "page": page, "page_size": page_size})
        creators = self._creators(response, "discover")
        info = response.data.get("page_info")
        pages = PageInfo.model_validate(info) if isinstance(info, dict) else PageInfo()
        return creators, pages

    def iter_discover(self, filters: Mapping[str, Any], page_size: int = 200) -> Iterator[Creator]:
        """Every creator of a discover query, page after page (up to the result cap)."""
        pages = self.iter_pages("discover", self._discover_params(filters), page_size)
        return (c for page in pages for c in self._creators(page, "discover"))

    def creator_status(self, handles: Iterable[str]) -> list[OnboardingStatus]:
        """Marketplace status (IN/NOT_IN/INVALID/INVITED) per handle, in batches of 20."""
        wanted = v.handles(handles, "handles")
        batch = int(v.limit("status_handles_per_call"))
        out: list[OnboardingStatus] = []
        for i in range(0, len(wanted), batch):
            response = self.request("creator_status", {"handle_names": wanted[i : i + batch]})
            out.extend(
                self._items(OnboardingStatus, response, "creator_status", "onboarding_status")
            )
        return out

    def creator_public(self, handle: str) -> Creator:
        """Public marketplace profile of one creator."""
        name = v.handle(handle)
        response = self.request("creator_public", {"handle_name": name})
        creator = self._parse(Creator, response.data, "creator_public", response.request_id)
        if creator.handle_name is None:
            creator.handle_name = name
        return creator

    def iter_public_videos(self, handle: str, limit: int = 10) -> Iterator[Post]:
        """A marketplace creator's public videos, newest first (`limit` per request)."""
        name = v.handle(handle)
        posts = self._iter_items(
            Post, "creator_public_videos", {"handle_name": name}, page_size=limit
        )
        return _filled(posts, "handle_name", name)

    def iter_authorized_creators(self) -> Iterator[Creator]:
        """Every creator who authorized the app (marketplace or not)."""
        pages = self.iter_pages("authorized_creators")
        return (c for page in pages for c in self._creators(page, "authorized_creators"))

    def creator_authorized(self, creator_id: str, fields: Sequence[str] | None = None) -> Creator:
        """Private insights of a creator who authorized the app (`fields` to narrow them)."""
        cid = v.identifier(creator_id, "creator_id")
        params = {
            "creator_id": cid,
            "fields": v.optional_strings(fields, "fields"),
        }
        response = self.request("creator_authorized", params)
        creator = self._parse(Creator, response.data, "creator_authorized", response.request_id)
        if creator.creator_id is None:
            creator.creator_id = cid
        return creator

    def iter_authorized_videos(self, creator_id: str, limit: int = 10) -> Iterator[Post]:
        """An authorized creator's videos, newest first."""
        cid = v.identifier(creator_id, "creator_id")
        return self._iter_items(
            Post, "creator_authorized_videos", {"creator_id": cid}, page_size=limit
        )

    # ------------------------------------------------------------ brand profiles

    def brand_profile_create(
        self,
        brand_name: str,
        brand_industry_id: str,
        brand_website: str,
        logo_url: str,
        tiktok_account_url: str | None = None,
    ) -> WriteResult[BrandProfile]:
        """Create a brand profile (name, industry and logo cannot be changed later)."""
        body = {
            "brand_name": v.text(
                brand_name, "brand_name", max_chars=int(v.limit("text_max_chars"))
            ),
            "brand_industry_id": v.identifier(brand_industry_id, "brand_industry_id"),
            "brand_website": v.url(brand_website, "brand_website", "https://"),
            "logo_url": v.url(logo_url, "logo_url", "http"),
            "tiktok_account_url": None
            if tiktok_account_url is None
            else v.url(tiktok_account_url, "tiktok_account_url", "https://www.tiktok.com/@"),
        }
        return self._write(BrandProfile, "brand_profile_create", body)

    def iter_brand_profiles(
        self, brand_profile_ids: Iterable[str] | None = None
    ) -> Iterator[BrandProfile]:
        """The account's brand profiles (all, or the given ids, at most 20)."""
        ids = v.optional_strings(
            brand_profile_ids, "brand_profile_ids", max_items=int(v.limit("brand_profile_ids_max"))
        )
        return self._iter_items(BrandProfile, "brand_profiles", {"brand_profile_ids": ids})

    # ------------------------------------------------------------ campaigns

    def campaign_create(
        self,
        campaign_name: str,
        handle_names: Iterable[str] | None = None,
        *,
        campaign_type: str = "CAMPAIGN",
        brand_profile_id: str | None = None,
        brand_name: str | None = None,
        campaign_description: str | None = None,
        anchor_id: str | None = None,
        advertiser_ids: Iterable[str] | None = None,
        default_spark_ads_requested_authorization_days: int | None = None,
        send_notification: bool | None = None,
        campaign_id: str | None = None,
        business_account_handle: str | None = None,
    ) -> WriteResult[Campaign]:
        """Create a campaign, or add creators to an existing one (`campaign_id`).

        Keyword names are the API's own; `handle_names` may be empty (creators come later).
        """
        body = {
            "campaign_name": v.text(
                campaign_name, "campaign_name", max_chars=int(v.limit("campaign_name_max_chars"))
            ),
            "campaign_type": v.choice(campaign_type, "campaign_type", CAMPAIGN_TYPES),
            "handle_names": None
            if handle_names is None
            else v.handles(handle_names, "handle_names", required=False),
            "brand_profile_id": None
            if brand_profile_id is None
            else v.identifier(brand_profile_id, "brand_profile_id"),
            "brand_name": v.optional_text(
                brand_name, "brand_name", max_chars=int(v.limit("text_max_chars"))
            ),
            "campaign_description": v.optional_text(campaign_description, "campaign_description"),
            "anchor_id": None if anchor_id is None else v.identifier(anchor_id, "anchor_id"),
            "advertiser_ids": v.optional_strings(advertiser_ids, "advertiser_ids"),
            "default_spark_ads_requested_authorization_days": None
            if default_spark_ads_requested_authorization_days is None
            else v.spark_days(
                default_spark_ads_requested_authorization_days,
                "default_spark_ads_requested_authorization_days",
            ),
            "send_notification": send_notification,
            "campaign_id": None
            if campaign_id is None
            else v.identifier(campaign_id, "campaign_id"),
            "business_account_handle": v.optional_text(
                business_account_handle, "business_account_handle"
            ),
        }
        return self._write(Campaign, "campaign_create", body)

    def campaign_update(
        self,
        campaign_id: str,
        *,
        campaign_type: str = "CAMPAIGN",
        handle_names: Iterable[str] | None = None,
        advertiser_ids: Iterable[str] | None = None,
        send_notification: bool | None = None,
    ) -> WriteResult[Campaign]:
        """Change a campaign's creators or advertisers."""
        body = {
            "campaign_id": v.identifier(campaign_id, "campaign_id"),
            "campaign_type": v.choice(campaign_type, "campaign_type", CAMPAIGN_TYPES),
            "handle_names": None
            if handle_names is None
            else v.handles(handle_names, "handle_names", required=False),
            "advertiser_ids": v.optional_strings(advertiser_ids, "advertiser_ids"),
            "send_notification": send_notification,
        }
        return self._write(Campaign, "campaign_update", body)

    def iter_campaigns(
        self, campaign_ids: Iterable[str] | None = None, campaign_type: str | None = None
    ) -> Iterator[Campaign]:
        """The account's campaigns (all, or the given ids)."""
        params = {
            "campaign_ids": v.optional_strings(campaign_ids, "campaign_ids"),
            "campaign_type": None
            if campaign_type is None
            else v.choice(campaign_type, "campaign_type", CAMPAIGN_TYPES),
        }
        return self._iter_items(Campaign, "campaigns", params)

    def campaign_link(self, campaign_id: str, video_id: str, action: str) -> WriteResult[LinkInfo]:
        """Ask to link a creator's video to a campaign (`LINK`) or withdraw it (`REVOKE`)."""
        body = {
            "campaign_id": v.identifier(campaign_id, "campaign_id"),
            "video_id": v.identifier(video_id, "video_id"),
            "action": v.choice(action, "action", LINK_ACTIONS),
        }
        result = self._write(LinkInfo, "campaign_link", {**body})
        if result.value.campaign_id is None:
            result.value.campaign_id = body["campaign_id"]
        return result

    def iter_link_status(
        self,
        campaign_ids: Iterable[str] | None = None,
        handle_names: Iterable[str] | None = None,
    ) -> Iterator[LinkInfo]:
        """Video link requests and their review state."""
        params = {
            "campaign_ids": v.optional_strings(campaign_ids, "campaign_ids"),
            "handle_names": None
            if handle_names is None
            else v.handles(handle_names, "handle_names"),
        }
        return self._iter_items(LinkInfo, "campaign_link_status", params)

    def iter_campaign_report(
        self,
        campaign_id: str,
        start_date: date | str | None = None,
        end_date: date | str | None = None,
        country_code: str | None = None,
    ) -> Iterator[ReportVideo]:
        """Per-video metrics of one campaign (`country_code` goes in the Country-Code header).

        Dates are both given or both omitted (the API then reports the last 60 days).
        """
        cid = v.identifier(campaign_id, "campaign_id")
        start, end = v.date_range(start_date, end_date, max_days=int(v.limit("report_max_days")))
        headers = None
        if country_code is not None:
            headers = {"Country-Code": v.text(country_code, "country_code", max_chars=2).upper()}
        params = {"campaign_id": cid, "start_date": start, "end_date": end}
        videos = self._iter_items(ReportVideo, "campaign_report", params, headers=headers)
        return _filled(videos, "campaign_id", cid)

    # ------------------------------------------------------------ Spark Ads

    def spark_apply(self, video_id: str, days: int = 30, extend: bool = False) -> WriteResult[None]:
        """Ask the creator to authorize (or extend) Spark Ads use of a video."""
        body = {
            "video_id": v.identifier(video_id, "video_id"),
            "authorization_days": v.spark_days(days, "days"),
            "action": "EXTEND" if extend else None,
        }
        response = self.request("spark_apply", json=body)
        return WriteResult(None, response.request_id)

    def spark_status(self, video_id: str) -> SparkStatus:
        """Spark Ads authorization state and code of a video."""
        vid = v.identifier(video_id, "video_id")
        response = self.request("spark_status", {"video_id": vid})
        status = self._parse(SparkStatus, response.data, "spark_status", response.request_id)
        if status.video_id is None:
            status.video_id = vid
        return status

    # ------------------------------------------------------------ invitations and orders

    def invite(self, handles: Iterable[str]) -> WriteResult[InviteResult]:
        """Invite up to 20 creators to the marketplace in one call."""
        wanted = v.handles(handles, "handles", max_items=int(v.limit("invite_handles_per_call")))
        return self._write(InviteResult, "creator_invite", {"handle_names": wanted})

    def order_create(
        self,
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
            body["deliverables"] = self._deliverables(deliverables, text_max)
        return self._write(OrderCreateResult, "order_create", body)

    @staticmethod
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
                    else v.spark_days(
                        days, "spark_ads_requested_authorization_days", allow_zero=True
                    ),
                }
            )
        return out

    def iter_orders(
        self,
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
        return self._iter_items(Order, "orders", params)

    def iter_order_report(
        self,
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
        return self._iter_items(OrderInsight, "order_report", params)


def _filled(items: Iterator[M], field: str, value: str) -> Iterator[M]:
    """`items` with `field` set to `value` where the payload left it out."""
    for item in items:
        if getattr(item, field) is None:
            setattr(item, field, value)
        yield item
