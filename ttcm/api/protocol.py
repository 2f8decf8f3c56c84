"""`TikTokOne`: what callers of the TikTok One client rely on, as a `typing.Protocol`.

Services, the refresh and the CLI type their client against it, so a test can hand them a fake
and mypy still checks every call. `TikTokOneClient` satisfies it (a test says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Protocol, Self

from ttcm.api.models.accounts import AccountInfo, LabelSet
from ttcm.api.models.campaigns import BrandProfile, Campaign, LinkInfo
from ttcm.api.models.creators import Creator, InviteResult, OnboardingStatus
from ttcm.api.models.orders import Deliverable, Order, OrderCreateResult, OrderInsight
from ttcm.api.models.paging import PageInfo
from ttcm.api.models.posts import Post, ReportVideo
from ttcm.api.models.spark import SparkStatus
from ttcm.api.ratelimit import RateLimiter
from ttcm.api.wire import Response, WriteResult


class TikTokOne(Protocol):
    """The TikTok One API for one brand account (`TikTokOneClient`, or a test's fake)."""

    base_url: str
    limiter: RateLimiter
    requests_sent: int
    on_pause: Callable[[str, float], None] | None

    # lifecycle, account and raw requests (the transport)
    def close(self) -> None:
        """Close the underlying connection pool."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    @property
    def account_id(self) -> str:
        """The TikTok One account id: as configured, else the first one the token may use."""
        ...

    def use_account(self, account_id: str) -> None:
        """Act on `account_id` from now on, unless an account is already configured."""
        ...

    def tcm_accounts(self) -> list[str]:
        """Ids of the TikTok One accounts this token may act on."""
        ...

    def request(
        self,
        name: str,
        params: Mapping[str, Any] | None = ...,
        json: Mapping[str, Any] | None = ...,
        *,
        headers: Mapping[str, str] | None = ...,
        raw: bool = ...,
    ) -> Response:
        """Call endpoint `name`; GET takes `params`, POST takes `json`."""
        ...

    def iter_pages(
        self,
        name: str,
        params: Mapping[str, Any] | None = ...,
        page_size: int | None = ...,
        *,
        headers: Mapping[str, str] | None = ...,
    ) -> Iterator[Response]:
        """Every page of a paged endpoint, following page numbers or the time cursor."""
        ...

    # accounts
    def account_info(self) -> AccountInfo:
        """Name, timezone, country and verification status of the account."""
        ...

    def labels(self, label_type: str = ...) -> LabelSet:
        """Industry and content label vocabularies (`SEARCH` or `RANKING`)."""
        ...

    # creators
    def discover(
        self, filters: Mapping[str, Any], page: int = ..., page_size: int = ...
    ) -> tuple[list[Creator], PageInfo]:
        """One page of marketplace creators matching `filters` (at most 250 per query)."""
        ...

    def iter_discover(self, filters: Mapping[str, Any], page_size: int = ...) -> Iterator[Creator]:
        """Every creator of a discover query, page after page (up to the result cap)."""
        ...

    def creator_status(self, handles: Iterable[str]) -> list[OnboardingStatus]:
        """Marketplace status (IN/NOT_IN/INVALID/INVITED) per handle, in batches of 20."""
        ...

    def creator_public(self, handle: str) -> Creator:
        """Public marketplace profile of one creator."""
        ...

    def iter_public_videos(self, handle: str, limit: int = ...) -> Iterator[Post]:
        """A marketplace creator's public videos, newest first (`limit` per request)."""
        ...

    def iter_authorized_creators(self) -> Iterator[Creator]:
        """Every creator who authorized the app (marketplace or not)."""
        ...

    def creator_authorized(self, creator_id: str, fields: Sequence[str] | None = ...) -> Creator:
        """Private insights of a creator who authorized the app (`fields` to narrow them)."""
        ...

    def iter_authorized_videos(self, creator_id: str, limit: int = ...) -> Iterator[Post]:
        """An authorized creator's videos, newest first."""
        ...

    def invite(self, handles: Iterable[str]) -> WriteResult[InviteResult]:
        """Invite up to 20 creators to the marketplace in one call."""
        ...

    # campaigns
    def brand_profile_create(
        self,
        brand_name: str,
        brand_industry_id: str,
        brand_website: str,
        logo_url: str,
        tiktok_account_url: str | None = ...,
    ) -> WriteResult[BrandProfile]:
        """Create a brand profile (name, industry and logo cannot be changed later)."""
        ...

    def iter_brand_profiles(
        self, brand_profile_ids: Iterable[str] | None = ...
    ) -> Iterator[BrandProfile]:
        """The account's brand profiles (all, or the given ids, at most 20)."""
        ...

    def campaign_create(
        self,
        campaign_name: str,
        handle_names: Iterable[str] | None = ...,
        *,
        campaign_type: str = ...,
        brand_profile_id: str | None = ...,
        brand_name: str | None = ...,
        campaign_description: str | None = ...,
        anchor_id: str | None = ...,
        advertiser_ids: Iterable[str] | None = ...,
        default_spark_ads_requested_authorization_days: int | None = ...,
        send_notification: bool | None = ...,
        campaign_id: str | None = ...,
        business_account_handle: str | None = ...,
    ) -> WriteResult[Campaign]:
        """Create a campaign, or add creators to an existing one (`campaign_id`)."""
        ...

    def campaign_update(
        self,
        campaign_id: str,
        *,
        campaign_type: str = ...,
        handle_names: Iterable[str] | None = ...,
        advertiser_ids: Iterable[str] | None = ...,
        send_notification: bool | None = ...,
    ) -> WriteResult[Campaign]:
        """Change a campaign's creators or advertisers."""
        ...

    def iter_campaigns(
        self, campaign_ids: Iterable[str] | None = ..., campaign_type: str | None = ...
    ) -> Iterator[Campaign]:
        """The account's campaigns (all, or the given ids)."""
        ...

    def campaign_link(self, campaign_id: str, video_id: str, action: str) -> WriteResult[LinkInfo]:
        """Ask to link a creator's video to a campaign (`LINK`) or withdraw it (`REVOKE`)."""
        ...

    def iter_link_status(
        self,
        campaign_ids: Iterable[str] | None = ...,
        handle_names: Iterable[str] | None = ...,
    ) -> Iterator[LinkInfo]:
        """Video link requests and their review state."""
        ...

    def iter_campaign_report(
        self,
        campaign_id: str,
        start_date: date | str | None = ...,
        end_date: date | str | None = ...,
        country_code: str | None = ...,
    ) -> Iterator[ReportVideo]:
        """Per-video metrics of one campaign (`country_code` goes in the Country-Code header)."""
        ...

    # spark
    def spark_apply(self, video_id: str, days: int = ..., extend: bool = ...) -> WriteResult[None]:
        """Ask the creator to authorize (or extend) Spark Ads use of a video."""
        ...

    def spark_status(self, video_id: str) -> SparkStatus:
        """Spark Ads authorization state and code of a video."""
        ...

    # orders
    def order_create(
        self,
        brand_name: str,
        description: str,
        handles: Iterable[str],
        *,
        video_number: int | None = ...,
        deliverables: Sequence[Deliverable | Mapping[str, Any]] | None = ...,
        campaign_code: str | None = ...,
        default_spark_days: int = ...,
    ) -> WriteResult[OrderCreateResult]:
        """Create one order per handle (on `campaign_code`, or a new code)."""
        ...

    def iter_orders(
        self,
        *,
        order_ids: Iterable[str] | None = ...,
        campaign_code: str | None = ...,
        invite_link: str | None = ...,
    ) -> Iterator[Order]:
        """Orders by id (at most 200), by campaign code, or by invite link (exactly one)."""
        ...

    def iter_order_report(
        self,
        order_ids: Iterable[str],
        start_date: date | str,
        end_date: date | str,
        need_daily_stats: bool = ...,
    ) -> Iterator[OrderInsight]:
        """Per-video metrics of orders between two dates (at most 60 days apart)."""
        ...
