"""SQLAlchemy 2 typed models: the TikTok cache plus the team's own records.

TikTok data rows carry `source` ("tiktok_api") and `fetched_at` so the compliance purge can tell
API data from anything else. Team records (campaign plans, shortlists, notes, invitations,
write intents, audit log, users) refer to creators by handle, not by foreign key, so a refresh or
a purge can never cascade into them.

This package is their home: it defines `Base` (one metadata for Alembic) and imports every model
module, one per concept, so `ttcm.store.models.Creator` and `Base.metadata` know every table.
"""

from __future__ import annotations

from ttcm.store.models.base import API_SOURCE, Base
from ttcm.store.models.campaigns import (
    Campaign,
    CampaignCode,
    CampaignCreator,
    Deliverable,
    Invitation,
    Order,
    WriteIntent,
)
from ttcm.store.models.creators import (
    Account,
    Creator,
    CreatorAudience,
    CreatorSnapshot,
    Label,
)
from ttcm.store.models.history import PostSnapshot
from ttcm.store.models.ops import AppSetting, Lease, ResourceStatus, SyncRun
from ttcm.store.models.payments import CreatorPayment
from ttcm.store.models.posts import LinkStatus, Post, PostDaily, SparkAuthorization
from ttcm.store.models.rates import ExchangeRate
from ttcm.store.models.saved_searches import SavedSearch, SavedSearchOpen
from ttcm.store.models.shortlists import CreatorOpening, Shortlist, ShortlistMember
from ttcm.store.models.users import AuditEntry, SigninBucket, User

__all__ = [
    "API_SOURCE",
    "Base",
    "Account",
    "Label",
    "Creator",
    "CreatorAudience",
    "CreatorSnapshot",
    "Post",
    "PostDaily",
    "PostSnapshot",
    "SparkAuthorization",
    "LinkStatus",
    "Campaign",
    "CampaignCreator",
    "CampaignCode",
    "CreatorPayment",
    "Order",
    "Deliverable",
    "WriteIntent",
    "Invitation",
    "Shortlist",
    "ShortlistMember",
    "CreatorOpening",
    "SavedSearch",
    "SavedSearchOpen",
    "ExchangeRate",
    "User",
    "SigninBucket",
    "AuditEntry",
    "SyncRun",
    "ResourceStatus",
    "Lease",
    "AppSetting",
]
