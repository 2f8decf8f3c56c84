"""Rows for the Spark Ads board and alerts tests: campaigns, posts, codes, orders, invitations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ttcm.auth import Principal
from ttcm.store import Store
from ttcm.store import models as m

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
MANAGER = Principal("max", "Max", "manager", 1)
VIEWER = Principal("val", "Val", "viewer", 1)


def campaign(store: Store, name: str = "Spring", **values: Any) -> int:
    """A campaign row; returns its id."""
    row = {"campaign_name": name, "created_at": NOW, "updated_at": NOW} | values
    with store.write() as conn:
        return conn.execute(
            m.Campaign.__table__.insert().values(**row).returning(m.Campaign.id)
        ).scalar_one()


def post(store: Store, video_id: str, handle: str, campaign_pk: int | None, **values: Any) -> None:
    """A published order post."""
    row = {
        "video_id": video_id,
        "handle_name": handle,
        "campaign_pk": campaign_pk,
        "order_id": f"o-{video_id}",
        "tracking": "order",
        "create_time": NOW - timedelta(days=3),
        "fetched_at": NOW,
    } | values
    with store.write() as conn:
        conn.execute(m.Post.__table__.insert().values(**row))


def code(store: Store, video_id: str, ends_in_days: float, **values: Any) -> None:
    """An accepted Spark Ads code of a post ending `ends_in_days` after NOW."""
    row = {
        "video_id": video_id,
        "auth_status": "ACCEPTED",
        "auth_code": f"#code-{video_id}",
        "auth_code_status": "IN_USE",
        "auth_code_start_time": NOW - timedelta(days=20),
        "auth_code_end_time": NOW + timedelta(days=ends_in_days),
        "num_remaining_request": 20,
        "fetched_at": NOW,
    } | values
    with store.write() as conn:
        conn.execute(m.SparkAuthorization.__table__.insert().values(**row))


def set_code_end(store: Store, video_id: str, ends_in_days: float, now: datetime = NOW) -> None:
    """Move a code's end to `ends_in_days` after `now` (an extension, once the refresh reads it)."""
    table = m.SparkAuthorization.__table__
    with store.write() as conn:
        conn.execute(
            table.update()
            .where(table.c.video_id == video_id)
            .values(auth_code_end_time=now + timedelta(days=ends_in_days))
        )


def order(store: Store, order_id: str, handle: str, campaign_pk: int, **values: Any) -> None:
    """An order row."""
    row = {
        "order_id": order_id,
        "handle_name": handle,
        "campaign_pk": campaign_pk,
        "status": "ACCEPTED",
        "video_number": 1,
        "update_time": NOW - timedelta(days=1),
        "fetched_at": NOW,
    } | values
    with store.write() as conn:
        conn.execute(m.Order.__table__.insert().values(**row))


def invitation(store: Store, handle: str, state: str, reason: str | None = None) -> None:
    """An invitation row in `state`."""
    with store.write() as conn:
        conn.execute(
            m.Invitation.__table__.insert().values(
                handle_name=handle,
                state=state,
                reason=reason,
                invited_at=NOW - timedelta(days=5),
                decided_at=NOW - timedelta(days=2),
                updated_at=NOW,
            )
        )


def daily(store: Store, video_id: str, day_offset: int, views: int) -> None:
    """One day of a post's stats, `day_offset` days from NOW's day."""
    with store.write() as conn:
        conn.execute(
            m.PostDaily.__table__.insert().values(
                video_id=video_id, day=(NOW + timedelta(days=day_offset)).date(), views=views
            )
        )
