"""Spark Ads on the in-process sandbox: a campaign whose orders have posted, the store refreshed."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from sqlalchemy import select

from tests.builders.posts import add_spring_campaign
from tests.refresh.conftest import FAST, make_client
from ttcm.refresh.run import Refresher
from ttcm.sandbox import SandboxApp, SandboxClock
from ttcm.sandbox.hashing import unit
from ttcm.services.alerts import after_refresh
from ttcm.services.spark import SparkAds
from ttcm.store import Store
from ttcm.store import models as m

START = datetime(2026, 11, 2, 9, tzinfo=UTC)
SEED = 11


class World:
    """A sandbox with one campaign whose orders have been posted, and the store refreshed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.sandbox = SandboxApp(n_creators=300, seed=SEED, clock=SandboxClock(START), **FAST)
        self.sent: list[tuple[str, int, bool]] = []
        listed = np.flatnonzero(self.sandbox.discover.listed)[:6]
        handles = [self.sandbox.directory.handles[int(i)] for i in listed]
        with make_client(self.sandbox) as client:
            no_spark = [
                {"deliverable_name": "Video 1", "spark_ads_requested_authorization_days": 0}
            ]
            # ordered without Spark Ads, so the requests below are the first ones
            made = client.order_create("Acme", "Spring drop", handles, deliverables=no_spark).value
        self.pk = add_spring_campaign(self.store)
        with store.write() as conn:
            conn.execute(
                m.CampaignCode.__table__.insert().values(
                    campaign_code=made.campaign_code, campaign_pk=self.pk, created_at=START
                )
            )
        self.sandbox.advance(24 * 8)  # orders accepted, one video each posted
        with make_client(self.sandbox) as client:
            report = Refresher(store, client, after=(after_refresh,)).run(["orders", "posts"])
        assert report.status == "ok", report.error
        with store.read() as conn:
            self.videos = sorted(
                conn.execute(select(m.Post.video_id).where(m.Post.campaign_pk == self.pk))
                .scalars()
                .all()
            )
        assert len(self.videos) >= 3, "the sandbox seed posts at least three order videos"

    def accepted(self) -> str:
        """A posted video whose creator accepts the first Spark Ads request (sandbox rule)."""
        return next(v for v in self.videos if unit(SEED, "spark", v, 1, "accept") < 0.8)

    def client(self):  # a client that records what it sends
        """A client on the sandbox that records each Spark Ads request in `sent`."""
        client = make_client(self.sandbox)
        apply = client.spark_apply

        def recording(video_id: str, days: int = 30, extend: bool = False):
            self.sent.append((video_id, days, extend))
            return apply(video_id, days=days, extend=extend)

        client.spark_apply = recording
        return client

    def ads(self, **kw) -> SparkAds:
        """The Spark Ads service on this world, at the sandbox's time."""
        return SparkAds(self.store, self.client, now=self.sandbox.clock.now, **kw)

    def refresh_spark(self) -> None:
        """Refresh the Spark Ads authorizations (and their alerts) from the sandbox."""
        with make_client(self.sandbox) as client:
            refresher = Refresher(self.store, client, after=(after_refresh,))
            assert refresher.run(["spark"]).status == "ok"

    def events(self, video: str) -> list[dict]:
        """The sandbox's Spark Ads events of `video`."""
        return self.sandbox.state.spark.get(video, {}).get("events", [])

    def audit(self) -> list[tuple[str, str, str | None]]:
        """Spark Ads audit entries (action, video, request id), oldest first."""
        with self.store.read() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    select(m.AuditEntry.action, m.AuditEntry.target, m.AuditEntry.request_id)
                    .where(m.AuditEntry.action.like("spark.%"))
                    .order_by(m.AuditEntry.id)
                )
            ]
