"""TikTok One API client: `TikTokOneClient`, its exception tree and payload models."""

from ttcm.api.client import TikTokOneClient
from ttcm.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    CountryUnsupportedError,
    DuplicateRequestError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    NotTTCMCreatorError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    TikTokAPIError,
    TokenExpiredError,
    TokenInvalidError,
)
from ttcm.api.models.accounts import AccountInfo, Label, LabelSet
from ttcm.api.models.audience import AudienceShare
from ttcm.api.models.campaigns import BrandProfile, Campaign, LinkInfo
from ttcm.api.models.creators import Creator, InviteResult, OnboardingStatus
from ttcm.api.models.orders import Deliverable, Order, OrderCreateResult, OrderInsight
from ttcm.api.models.paging import CursorInfo, PageInfo
from ttcm.api.models.posts import DailyStat, Post, ReportVideo, ViewsBySource
from ttcm.api.models.spark import SparkStatus
from ttcm.api.ratelimit import RateLimiter, shared_limiter
from ttcm.api.wire import Response, WriteResult

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AccountInfo",
    "AudienceShare",
    "BrandProfile",
    "Campaign",
    "CountryUnsupportedError",
    "Creator",
    "CursorInfo",
    "DailyStat",
    "Deliverable",
    "DuplicateRequestError",
    "InvalidRequestError",
    "InviteResult",
    "Label",
    "LabelSet",
    "LinkInfo",
    "MalformedResponseError",
    "NotFoundError",
    "NotTTCMCreatorError",
    "OnboardingStatus",
    "Order",
    "OrderCreateResult",
    "OrderInsight",
    "PageInfo",
    "PermissionDeniedError",
    "Post",
    "RateLimitError",
    "RateLimiter",
    "ReportVideo",
    "RequestValidationError",
    "Response",
    "ServerError",
    "SparkStatus",
    "TikTokAPIError",
    "TikTokOneClient",
    "TokenExpiredError",
    "TokenInvalidError",
    "ViewsBySource",
    "WriteResult",
    "shared_limiter",
]
