"""Creators' videos and the per-video report metrics (daily stats, traffic sources, anchors)."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from typing import Annotated, Any

from pydantic import AliasChoices, Field, model_validator

from ttcm.api.coerce import (
    Count,
    FloatList,
    Id,
    Items,
    Nested,
    OptId,
    Ratio,
    StrList,
    Text,
    Time,
    lenient,
    split_list,
    to_date,
    to_text,
)
from ttcm.api.models.audience import Shares
from ttcm.api.models.base import Model, lifted


class Post(Model):
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


class DailyStat(Model):
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


class ViewsBySource(Model):
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


class AnchorMetrics(Model):
    """Anchor (web link) metrics of a report video."""

    anchor_views: Count = None
    anchor_clicks: Count = None
    anchor_unique_views: Count = None
    anchor_unique_clicks: Count = None


def _boost_date(value: Any) -> date | None:
    day = to_date(value)
    return None if day is None or day.year <= 1970 else day  # "1970-01-01" means never boosted


class ReportVideo(Model):
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
        return lifted(data, "video_info", "creator_info")
