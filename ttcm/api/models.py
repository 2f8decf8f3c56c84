"""Pydantic models of the TikTok One payloads: the one place their shapes are known.

Every model ignores unknown keys and tolerates the variants seen across sources
(docs/decisions.md §9): timestamps as Unix seconds, milliseconds or date strings; ids as
numbers or strings (always `str` here); renamed fields (`followings_count`, `creator_rate`,
`auth_status_update_time`, `handler_name`); retention as a list or a string; traffic sources as an
object or a list. A metric that is missing or unreadable is `None`, never 0. Only identity fields
(handle, video id, order id, ...) are required; a payload without them fails validation.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from ttcm.api.coerce import (
    Count,
    Flag,
    FloatList,
    Id,
    Items,
    ItemsOrEmpty,
    Nested,
    OptId,
    Ratio,
    Strings,
    StrList,
    Text,
    Time,
    lenient,
    split_list,
    to_date,
    to_float,
    to_text,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def _as_dict(data: Any) -> Any:
    return dict(data) if isinstance(data, dict) else data


# ---------------------------------------------------------------- paging


class PageInfo(_Model):
    """Page-number paging: `data.page_info`."""

    page: Count = None
    page_size: Count = None
    total_number: Count = None
    total_page: Count = None


class CursorInfo(_Model):
    """Cursor paging: `page_info` or the top level of `data`; the cursor is opaque (int or str)."""

    has_more: Flag = None
    cursor: int | str | None = None


# ---------------------------------------------------------------- accounts and labels


class AccountInfo(_Model):
    """`/tto/oauth2/info/`: one TikTok One account."""

    tto_tcm_account_id: OptId = Field(
        None, validation_alias=AliasChoices("tto_tcm_account_id", "tcm_account_id", "account_id")
    )
    account_name: Text = None
    timezone: Text = None
    country: Text = None
    business_verification_status: Text = None


class Label(_Model):
    """An industry or content label; `label_id` is always a string."""

    label_id: Id
    label_name: Text = None


Labels = Annotated[list[Label] | None, Items]


class LabelSet(_Model):
    """`/tto/tcm/category/label/`: both label vocabularies."""

    industry_labels: Annotated[list[Label], ItemsOrEmpty] = Field(default_factory=list)
    content_labels: Annotated[list[Label], ItemsOrEmpty] = Field(default_factory=list)


_SHARE_KEYS = (
    "country",
    "gender",
    "age",
    "device",
    "locale",
    "usage",
    "language",
    "interest_tag",
    "interest",
)


class AudienceShare(_Model):
    """One row of an audience breakdown: `key` (country, gender, age, ...) and its `percentage`."""

    key: str
    percentage: float
    dimension: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _pick_key(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name in _SHARE_KEYS:
            text = to_text(data.get(name))
            if text is not None:
                return {
                    "key": text,
                    "percentage": to_float(data.get("percentage", data.get("share"))),
                    "dimension": name,
                }
        return data  # already {key, percentage[, dimension]}, or junk that fails below


Shares = Annotated[list[AudienceShare] | None, Items]


# ---------------------------------------------------------------- creators


AccountKind = Literal["auth_ttcm", "nonauth_ttcm", "auth_nonttcm", "nonauth_nonttcm"]


class Creator(_Model):
    """A creator from discover, public, authorized or the authorized-creators list.

    A field the source does not provide is None (authorized payloads carry only the requested
    `fields`, so even `handle_name` can be absent there).
    """

    creator_id: OptId = None
    handle_name: Text = Field(None, validation_alias=AliasChoices("handle_name", "handle"))
    display_name: Text = None
    profile_image: Text = None
    bio: Text = None
    country_code: Text = None
    state_province: Text = None
    followers_count: Count = None
    following_count: Count = Field(
        None, validation_alias=AliasChoices("following_count", "followings_count")
    )
    likes_count: Count = None
    videos_count: Count = None
    avg_views: Count = Field(None, validation_alias=AliasChoices("avg_views", "average_views"))
    median_views: Count = None
    engagement_rate: Ratio = None
    creator_price: Ratio = None
    currency: Text = None
    languages: StrList = None
    industry_labels: Labels = None
    content_labels: Labels = None
    audience_countries: Shares = None
    audience_genders: Shares = None
    audience_ages: Shares = None
    audience_devices: Shares = Field(
        None, validation_alias=AliasChoices("audience_devices", "audience_device")
    )
    audience_locales: Shares = None
    audience_usages: Shares = Field(
        None, validation_alias=AliasChoices("audience_usages", "audience_usage")
    )
    is_tcm_creator: Flag = None
    is_authenticated: Flag = None
    account_type: Text = None
    age_verified_18: Flag = None
    videos_last_30d: Count = None
    views_last_30d: Count = None
    content_rating: Text = None

    @model_validator(mode="before")
    @classmethod
    def _creator_rate(cls, data: Any) -> Any:
        data = _as_dict(data)
        if not isinstance(data, dict) or "creator_rate" not in data:
            return data
        rate = data["creator_rate"]
        if isinstance(rate, dict):
            if data.get("creator_price") is None:
                data["creator_price"] = rate.get("rate")
            if data.get("currency") is None:
                data["currency"] = rate.get("currency")
        elif data.get("creator_price") is None:
            data["creator_price"] = rate
        return data

    @property
    def account_kind(self) -> AccountKind:
        """auth_ttcm / nonauth_ttcm / auth_nonttcm / nonauth_nonttcm (unknown counts as no)."""
        auth = "auth" if self.is_authenticated else "nonauth"
        ttcm = "ttcm" if self.is_tcm_creator else "nonttcm"
        return f"{auth}_{ttcm}"  # type: ignore[return-value]


class OnboardingStatus(_Model):
    """One row of `/tto/tcm/creator/status/get/` (`IN|NOT_IN|INVALID|INVITED`)."""

    handle_name: str = Field(validation_alias=AliasChoices("handle_name", "handler_name"))
    status: Text = None
    reject_reason: Text = Field(None, validation_alias=AliasChoices("reject_reason", "reason"))

    @model_validator(mode="before")
    @classmethod
    def _handle_text(cls, data: Any) -> Any:
        data = _as_dict(data)
        if isinstance(data, dict):
            for name in ("handle_name", "handler_name"):
                if name in data:
                    data[name] = to_text(data[name])
        return data


class Post(_Model):
    """A video of a public or authorized video list (`posts[]`)."""

    video_id: Id
    handle_name: Text = None  # not in the payload; the client fills it for public lists
    display_name: Text = None
    caption: Text = None
    thumbnail_url: Text = None
    embed_url: Text = None
    likes: Count = None
    comments: Count = None
    shares: Count = None
    favorites: Count = None
    video_views: Count = None
    create_time: Time = None
    caption_hashtags: StrList = None
    mentioned_accounts: StrList = None
    collaboration_status: Text = None


# ---------------------------------------------------------------- brand profiles and campaigns


class BrandProfile(_Model):
    """A brand profile (create answer or an item of `brands[]`)."""

    brand_profile_id: Id
    brand_name: Text = None
    brand_industry_id: OptId = None
    brand_industry: Text = None
    brand_website: Text = None
    logo_url: Text = None
    tiktok_account_url: Text = None


class DmInfo(_Model):
    """Direct-message settings of a campaign."""

    business_account_handle: Text = None
    dm_allowed: Flag = None


class Campaign(_Model):
    """A TikTok One campaign (create/update answer or an item of `campaigns[]`)."""

    campaign_id: Id
    campaign_type: Text = None
    brand_profile_id: OptId = None
    brand_name: Text = None
    campaign_name: Text = None
    campaign_description: Text = None
    handle_names: StrList = None
    anchor_id: OptId = None
    video_ids: StrList = None
    advertiser_ids: StrList = None
    spark_ads_requested_authorization_days: Count = Field(
        None,
        validation_alias=AliasChoices(
            "spark_ads_requested_authorization_days",
            "default_spark_ads_requested_authorization_days",
        ),
    )
    invite_link: Text = None
    invite_start_time: Time = Field(
        None, validation_alias=AliasChoices("invite_start_time", "invite_start_time_stamp")
    )
    create_time: Time = None
    update_time: Time = None
    country_codes: StrList = None
    failed_handle_names: StrList = None
    dm_info: Annotated[DmInfo | None, Nested] = None


class LinkInfo(_Model):
    """A video link request (`/tto/tcm/campaign/link/` answer, `video_infos[]` item)."""

    video_id: Id
    status: Text = None
    campaign_id: OptId = None
    last_reminded_timestamp: Time = None
    number_of_requests: Count = None
    campaign_type: Text = None
    link_request_id: OptId = None
    handle_name: Text = None


# ---------------------------------------------------------------- reports


class DailyStat(_Model):
    """One day of a video's metrics (`daily_stats[]`)."""

    date: Annotated[dt.date, lenient(to_date)]
    views: Count = Field(None, validation_alias=AliasChoices("views", "video_views"))
    video_views_organic: Count = None
    video_views_paid: Count = None
    reach: Count = None
    likes: Count = None
    comments: Count = None
    shares: Count = None
    favorites: Count = None
    engagement_rate: Ratio = None
    engagement_rate_organic: Ratio = None
    engagement_rate_paid: Ratio = None
    video_completion_rate: Ratio = None


_SOURCES = ("for_you", "hashtag", "sound", "personal_profile", "search", "following", "other")


class ViewsBySource(_Model):
    """Video views per traffic source (object form or `[{source, video_views}]` form)."""

    for_you: Count = None
    hashtag: Count = None
    sound: Count = None
    personal_profile: Count = None
    search: Count = None
    following: Count = None
    other: Count = None

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, data: Any) -> Any:
        rows = split_list(data) if isinstance(data, str) else data
        if isinstance(rows, list):
            out: dict[str, Any] = {}
            for row in rows:
                if not isinstance(row, dict):
                    continue
                name = to_text(row.get("source"))
                if name is None:
                    continue
                key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
                if key in _SOURCES:
                    out[key] = row.get("video_views", row.get("views"))
            return out
        if isinstance(data, dict):
            return {
                re.sub(r"[^a-z0-9]+", "_", str(k).lower()).strip("_"): v for k, v in data.items()
            }
        return data


class AnchorMetrics(_Model):
    """Anchor (web link) metrics of a report video."""

    anchor_views: Count = None
    anchor_clicks: Count = None
    anchor_unique_views: Count = None
    anchor_unique_clicks: Count = None


def _boost_date(value: Any) -> date | None:
    day = to_date(value)
    return None if day is None or day.year <= 1970 else day  # "1970-01-01" means never boosted


class ReportVideo(_Model):
    """One video of a campaign report (or the metrics of an order insight).

    `video_info` and `creator_info` are flattened: `video_id`, `create_time`, `embed_url`,
    `thumbnail_url`, `authorization_code`, `handle_name`, `display_name` are top-level attributes.
    """

    video_id: OptId = None
    campaign_id: OptId = None
    create_time: Time = None
    embed_url: Text = None
    thumbnail_url: Text = None
    authorization_code: Text = None
    handle_name: Text = None
    display_name: Text = None
    anchor_id: OptId = None
    video_views: Count = None
    video_views_organic: Count = None
    video_views_paid: Count = None
    reach: Count = None
    reach_organic: Count = None
    reach_paid: Count = None
    likes: Count = None
    likes_organic: Count = None
    likes_paid: Count = None
    comments: Count = None
    comments_organic: Count = None
    comments_paid: Count = None
    shares: Count = None
    shares_organic: Count = None
    shares_paid: Count = None
    favorites: Count = None
    favorites_organic: Count = None
    favorites_paid: Count = None
    engagement_count: Count = None
    engagement_count_organic: Count = None
    engagement_count_paid: Count = None
    engagement_rate: Ratio = None
    engagement_rate_organic: Ratio = None
    engagement_rate_paid: Ratio = None
    video_completion_rate: Ratio = None
    video_completion_rate_organic: Ratio = None
    video_completion_rate_paid: Ratio = None
    total_play_time: Ratio = None
    average_view_time: Ratio = None
    average_view_time_organic: Ratio = None
    average_view_time_paid: Ratio = None
    two_seconds_views: Ratio = None
    six_seconds_views: Ratio = None
    video_view_retention: FloatList = None
    video_views_by_source: Annotated[ViewsBySource | None, Nested] = None
    audience_genders_distribution: Shares = None
    audience_countries_distribution: Shares = None
    audience_age_distribution: Shares = None
    audience_device_distribution: Shares = None
    audience_locale_distribution: Shares = None
    audience_language_distribution: Shares = None
    audience_interest_distribution: Shares = None
    ad_impressions: Count = None
    ad_clicks: Count = None
    ad_ctr: Ratio = None
    ad_cost: Ratio = None
    ad_cpm: Ratio = None
    ad_cpc: Ratio = None
    ad_conversions: Count = None
    ad_cvr: Ratio = None
    ad_cpa: Ratio = None
    ad_roas: Ratio = None
    video_boosted_date: Annotated[date | None, lenient(_boost_date)] = None
    anchor_metrics: Annotated[AnchorMetrics | None, Nested] = None
    engagement_rate_benchmark_p25: Ratio = None
    engagement_rate_benchmark_p50: Ratio = None
    video_completion_rate_benchmark_p25: Ratio = None
    video_completion_rate_benchmark_p50: Ratio = None
    daily_stats: Annotated[list[DailyStat] | None, Items] = None

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        data = _as_dict(data)
        if not isinstance(data, dict):
            return data
        for nested in ("video_info", "creator_info"):
            inner = data.get(nested)
            if isinstance(inner, dict):
                for key, value in inner.items():
                    if data.get(key) is None:
                        data[key] = value
        return data


class OrderInsight(_Model):
    """One row of the order report (`insights[]`): the `dimensions` flattened, plus `metrics`."""

    order_id: OptId = None
    order_type: Text = None
    video_id: OptId = None
    handle_name: Text = None
    tcm_account_id: OptId = None
    video_first_release_time: Time = None
    metrics: ReportVideo = Field(default_factory=ReportVideo)

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        data = _as_dict(data)
        if not isinstance(data, dict):
            return data
        dims = data.get("dimensions")
        if isinstance(dims, dict):
            for key, value in dims.items():
                data.setdefault(key, value)
        if not isinstance(data.get("metrics"), dict):
            data["metrics"] = {}
        return data

    @model_validator(mode="after")
    def _share_identity(self) -> OrderInsight:
        m = self.metrics
        if m.video_id is None:
            m.video_id = self.video_id
        if m.handle_name is None:
            m.handle_name = self.handle_name
        if m.create_time is None:
            m.create_time = self.video_first_release_time
        return self


# ---------------------------------------------------------------- Spark Ads, invitations, orders


class SparkStatus(_Model):
    """`/tcm/tt_video/status/`: the Spark Ads authorization of one video."""

    video_id: OptId = None
    auth_status: Text = None
    auth_status_updated_time: Time = Field(
        None,
        validation_alias=AliasChoices("auth_status_updated_time", "auth_status_update_time"),
    )
    num_remaining_request: Count = None
    requested_authorization_days: Count = None
    authorization_days: Count = None
    auth_code: Text = None
    auth_code_status: Text = None
    auth_code_start_time: Time = None
    auth_code_end_time: Time = None


def _reasons(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict):
        return {str(k): text for k, v in value.items() if (text := to_text(v)) is not None}
    if isinstance(value, list):  # [{handle_name, reason}] form
        out: dict[str, str] = {}
        for row in value:
            if isinstance(row, dict):
                handle = to_text(row.get("handle_name"))
                reason = to_text(row.get("reject_reason", row.get("reason")))
                if handle is not None and reason is not None:
                    out[handle] = reason
        return out
    return None


class InviteResult(_Model):
    """`/tcm/creator/invite/`: handles already in, invited, rejected (with reasons)."""

    in_tcm: Strings = Field(default_factory=list)
    invited: Strings = Field(default_factory=list)
    rejected: Strings = Field(default_factory=list)
    reject_reasons: Annotated[dict[str, str], lenient(lambda v: _reasons(v) or {})] = Field(
        default_factory=dict
    )


class Deliverable(_Model):
    """One deliverable of an order (also accepted as an argument of `order_create`)."""

    deliverable_name: Text = None
    spark_ads_requested_authorization_days: Count = None
    video_id: OptId = None


class Quota(_Model):
    """Video quota of an order."""

    current_video_count: Count = None
    per_creator_video_limit: Count = None
    total_video_limit: Count = None


class Order(_Model):
    """A workflow-2.0 order (one creator on one campaign code)."""

    order_id: Id
    handle_name: Text = None
    campaign_code: Text = None
    invite_link: Text = None
    status: Text = None
    video_number: Count = None
    deliverables: Annotated[list[Deliverable] | None, Items] = None
    video_ids: StrList = None
    create_time: Time = None
    update_time: Time = None
    quota: Annotated[Quota | None, Nested] = None
    decline_reason: Text = None  # [assumed] field name, docs/contract.md


class OrderCreateResult(_Model):
    """`/tcm/order/create/v2/`: the campaign code, its invite link and the orders made."""

    campaign_code: Text = None
    invite_link: Text = None
    remaining_orders: Count = None
    orders: list[Order] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _orders_list(cls, data: Any) -> Any:
        data = _as_dict(data)
        if isinstance(data, dict) and not isinstance(data.get("orders"), list):
            data["orders"] = []
        return data
