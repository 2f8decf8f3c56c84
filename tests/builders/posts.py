"""Posts in the store: creators, a campaign, post rows, and the spring campaign written in full."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.builders.performance import day
from ttcm.auth import Principal
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.upsert import upsert

VIEWER = Principal("val", "Val", "viewer", 1)
MANAGER = Principal("max", "Max", "manager", 1)
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)


def add_creators(store: Store, *creators: dict) -> None:
    """Creators rows (handle, kind, usual performance, price)."""
    with store.write() as conn:
        for c in creators:
            conn.execute(
                m.Creator.__table__.insert().values(first_seen_at=NOW, fetched_at=NOW, **c)
            )


def add_spring_campaign(store: Store, **values) -> int:
    """A campaign row ("Spring" by Acme unless `values` say otherwise); returns its id."""
    base = {
        "campaign_name": "Spring",
        "brand_name": "Acme",
        "description": "Spring drop",
        "created_at": NOW,
        "updated_at": NOW,
    }
    with store.write() as conn:
        return conn.execute(
            m.Campaign.__table__.insert().values(**(base | values)).returning(m.Campaign.id)
        ).scalar_one()


def post_row(video_id: str, handle: str, campaign_pk: int | None, tracking: str = "order", **kw):
    """A posts row with the report's metrics."""
    row = {
        "video_id": video_id,
        "handle_name": handle,
        "campaign_pk": campaign_pk,
        "order_id": f"o-{handle}" if tracking == "order" else None,
        "tracking": tracking,
        "create_time": NOW - timedelta(days=3),
        "source": m.API_SOURCE,
        "fetched_at": NOW,
    }
    row.update(kw)
    return row


def seed_spring(store: Store) -> int:
    """The spring campaign of tests/builders/performance.py, written into the store."""
    add_creators(
        store,
        {"handle_name": "ana", "is_tcm_creator": True, "is_authenticated": True,
         "median_views": 1000, "engagement_rate": 0.05, "creator_price": 300.0,
         "currency": "USD", "creator_id": "c-ana"},
        {"handle_name": "ben", "is_tcm_creator": True, "is_authenticated": False,
         "median_views": 2000, "engagement_rate": 0.04, "creator_price": 200.0,
         "currency": "USD"},
        {"handle_name": "cat", "is_tcm_creator": True, "is_authenticated": False},
        {"handle_name": "dan", "is_tcm_creator": True, "is_authenticated": False,
         "creator_price": 900.0, "currency": "EUR"},
        {"handle_name": "eve", "is_tcm_creator": False, "is_authenticated": False},
    )  # fmt: skip
    pk = add_spring_campaign(
        store,
        campaign_id="7300000000000000042",
        kpi_views=10_000,
        kpi_engagement_rate=0.05,
        kpi_reach=8_000,
        kpi_posts=4,
        budget=1000.0,
        currency="USD",
        start_date=day(1),
        end_date=day(10),
        target_audience={"genders": {"FEMALE": 0.7, "MALE": 0.3}},
    )
    with store.write() as conn:
        # cat is in the campaign without an order (her post was added by hand)
        conn.execute(
            m.CampaignCreator.__table__.insert().values(
                campaign_pk=pk, handle_name="cat", added_at=NOW
            )
        )
        conn.execute(
            m.Order.__table__.insert(),
            [
                {"order_id": "o-ana", "campaign_pk": pk, "handle_name": "ana",
                 "status": "COMPLETED", "video_number": 2, "fetched_at": NOW},
                {"order_id": "o-ben", "campaign_pk": pk, "handle_name": "ben",
                 "status": "IN_PROGRESS", "video_number": 1, "fetched_at": NOW},
                {"order_id": "o-dan", "campaign_pk": pk, "handle_name": "dan",
                 "status": "DECLINED", "video_number": 1, "fetched_at": NOW},
            ],
        )  # fmt: skip
        full = {
            "video_completion_rate": 0.3,
            "total_play_time": 5000.0,
            "average_view_time": 2.5,
            "views_by_source": {"for_you": 1500, "search": 500},
            "retention": [1.0, 0.5, 0.25],
        }
        upsert(
            conn,
            m.Post.__table__,
            [
                post_row("101", "ana", pk, video_views=2000, video_views_organic=2000,
                         video_views_paid=0, likes=100, comments=10, shares=10, favorites=7,
                         engagement_count=120, engagement_rate=0.06, reach=1500,
                         audience={"genders": [["FEMALE", 0.8], ["MALE", 0.2]]}, **full),
                post_row("102", "ana", pk, video_views=1000, video_views_organic=1000,
                         video_views_paid=0, likes=20, comments=5, shares=5, favorites=1,
                         engagement_count=30, engagement_rate=0.03, reach=900,
                         audience={"genders": [["FEMALE", 0.5], ["MALE", 0.5]]}),
                post_row("103", "ben", pk, video_views=3000, video_views_organic=3000,
                         video_views_paid=0, likes=120, comments=20, shares=10, favorites=3,
                         engagement_count=150, engagement_rate=0.05, reach=2500),
                # hand-added from a non-authenticated account: TikTok's report fields would be
                # wrong here, so they must not show even though the row carries them
                post_row("104", "cat", pk, "manual_nonauth", video_views=500, likes=40,
                         comments=2, shares=1, favorites=0, engagement_count=43,
                         engagement_rate=0.086, reach=400, video_completion_rate=0.9,
                         audience={"genders": [["MALE", 1.0]]}),
                post_row("900", "ana", None, video_views=99_999),  # another campaign's post
            ],
            key=["video_id"],
        )  # fmt: skip
        upsert(
            conn,
            m.PostDaily.__table__,
            [
                {"video_id": "101", "day": day(1), "views": 1000, "likes": 50, "comments": 5,
                 "shares": 5},
                {"video_id": "101", "day": day(2), "views": 600, "likes": 30, "comments": 3,
                 "shares": 3},
                {"video_id": "102", "day": day(2), "views": 500, "likes": 20, "comments": 2,
                 "shares": 2},
                {"video_id": "101", "day": day(3), "views": 400, "likes": 10, "comments": 2,
                 "shares": 2},
                {"video_id": "102", "day": day(3), "views": 500, "likes": 10, "comments": 3,
                 "shares": 3},
                {"video_id": "103", "day": day(3), "views": 3000, "likes": 120, "comments": 20,
                 "shares": 10},
                {"video_id": "900", "day": day(3), "views": 99_999},
            ],
            key=["video_id", "day"],
        )  # fmt: skip
        upsert(
            conn,
            m.SparkAuthorization.__table__,
            [
                {"video_id": "101", "auth_status": "ACCEPTED", "auth_code": "#code101",
                 "auth_code_status": "NOT_USED", "auth_code_start_time": NOW,
                 "auth_code_end_time": NOW + timedelta(days=30), "num_remaining_request": 29,
                 "requested_authorization_days": 30, "source": m.API_SOURCE, "fetched_at": NOW},
                {"video_id": "103", "auth_status": "WAITING", "num_remaining_request": 29,
                 "requested_authorization_days": 7, "source": m.API_SOURCE, "fetched_at": NOW},
            ],
            key=["video_id"],
        )  # fmt: skip
    return pk


def video(vid: str, views: int = 800) -> dict:
    """A creator's video as the video lists return it (for adding a post by hand)."""
    return {
        "video_id": vid,
        "caption": "my take on the drop",
        "create_time": NOW - timedelta(days=1),
        "embed_url": f"https://example.invalid/{vid}",
        "thumbnail_url": None,
        "collaboration_status": "NONE",
        "video_views": views,
        "likes": 50,
        "comments": 4,
        "shares": 3,
        "favorites": 2,
    }
