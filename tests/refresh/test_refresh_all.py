"""Refresh of every resource: campaigns, orders, posts with daily stats, Spark Ads statuses."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from sqlalchemy import func, select

from tests.refresh.conftest import make_client
from ttcm.refresh.run import Refresher
from ttcm.refresh.status import RESOURCES
from ttcm.store import Store, check
from ttcm.store import models as m


def _count(store: Store, model) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_refresh_follows_orders_posts_and_spark_ads(store: Store, sandbox) -> None:
    handles = [
        sandbox.directory.handles[int(i)] for i in np.flatnonzero(sandbox.discover.listed)[:3]
    ]
    with make_client(sandbox) as client:
        campaign = client.campaign_create(
            "Spring launch",
            brand_name="Acme",
            campaign_description="Spring drop",
            handle_names=[],
        ).value
        created = client.order_create("Acme", "Spring drop", handles, video_number=2).value
        now = datetime.now(UTC)
        with store.write() as conn:
            conn.execute(
                m.CampaignCode.__table__.insert().values(
                    campaign_code=created.campaign_code,
                    invite_link=created.invite_link,
                    created_at=now,
                )
            )
        first = Refresher(store, client).run(list(RESOURCES))
        assert first.status == "ok", first.error
        assert _count(store, m.Order) == 3
        with store.read() as conn:
            assert set(conn.execute(select(m.Order.status)).scalars()) == {"ORDER_CREATED"}
            stored = conn.execute(select(m.Campaign.campaign_id)).scalars().all()
        assert campaign.campaign_id in stored
        sandbox.advance(24 * 14)  # creators accept, post their videos, stats accumulate
        second = Refresher(store, client).run(list(RESOURCES))
        assert second.status == "ok", second.error
        with store.read() as conn:
            statuses = set(conn.execute(select(m.Order.status)).scalars())
            posts = conn.execute(select(m.Post.video_id, m.Post.order_id, m.Post.video_views)).all()
        assert statuses - {"ORDER_CREATED"}, statuses
        # the seeded sandbox posts videos for these orders within two weeks
        assert statuses & {"IN_PROGRESS", "COMPLETED"}, statuses
        assert posts and all(p.order_id for p in posts)
        assert _count(store, m.PostDaily) > 0
        video = posts[0].video_id
        client.spark_apply(video, days=30)
        sandbox.advance(48)
        third = Refresher(store, client).run(["spark"])
        assert third.status == "ok"
        with store.read() as conn:
            spark = conn.execute(
                select(m.SparkAuthorization).where(m.SparkAuthorization.video_id == video)
            ).first()
        assert spark is not None and spark.auth_status in ("WAITING", "ACCEPTED", "REJECTED")
        Refresher(store, client).run(["orders", "posts"])  # catch up with the clock
        again = Refresher(store, client).run(["orders", "posts"])
        assert again.counts.get("orders", {}).get("changed", 0) == 0
        assert again.counts.get("posts", {}).get("changed", 0) == 0
    assert check(store.engine).ok


def test_refresh_keeps_the_teams_edits_of_its_own_campaigns(store: Store, sandbox) -> None:
    from ttcm.auth import Principal
    from ttcm.services.campaigns.service import Campaigns
    from ttcm.services.campaigns.settings import CampaignInput, as_input

    manager = Principal("max", "Max", "manager")
    campaigns = Campaigns(store, lambda: make_client(sandbox))
    pk = campaigns.create(manager, CampaignInput("Autumn", "Acme", "Autumn drop")).pk
    edited = as_input(campaigns.get(manager, pk))
    edited.brand_name, edited.description, edited.spark_days_default = "Acme EU", "New copy", 60
    campaigns.update(manager, pk, edited)
    with make_client(sandbox) as client:
        assert Refresher(store, client).run(["campaigns"]).status == "ok"
    after = campaigns.get(manager, pk)
    assert (after["brand_name"], after["description"], after["spark_days_default"]) == (
        "Acme EU",
        "New copy",
        60,
    )
    assert after["invite_link"]  # TikTok's own fields still arrive
