"""Builders the browser flows share: a campaign with posted videos in the app's own sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select

from tests.e2e.conftest import App
from ttcm.api import TikTokOneClient
from ttcm.sandbox import SandboxApp, SandboxTransport
from ttcm.sandbox.hashing import unit
from ttcm.store import Store
from ttcm.store import models as m

SEED = 7  # the app's sandbox seed (TTCM_SANDBOX_SEED default)


def sandbox_client(sandbox: SandboxApp) -> TikTokOneClient:
    """A client that talks to `sandbox` in this process (no HTTP)."""
    return TikTokOneClient(
        "http://sandbox.local/open_api/v1.3",
        "e2e-token",
        transport=SandboxTransport(sandbox),
        qps=1000,
        qpm=100_000,
    )


def make_campaign(app: App, first: int = 40) -> tuple[int, SandboxApp]:
    """A campaign with orders whose videos are posted, written through the app's own sandbox.

    Its six creators start at listed creator `first`: flows that share the app's sandbox pass
    different ones, so one flow's Spark Ads requests never touch another's videos.
    """
    sandbox = SandboxApp(
        n_creators=int(app.env["TTCM_SANDBOX_CREATORS"]),
        seed=SEED,
        state_path=Path(app.env["TTCM_SANDBOX_STATE"]),
    )
    handles = [sandbox.directory.handles[int(i)] for i in np.flatnonzero(sandbox.discover.listed)]
    now = sandbox.clock.now()
    with sandbox_client(sandbox) as client:
        tto = client.campaign_create(
            "E2E launch", brand_name="Acme", campaign_description="Launch drop", handle_names=[]
        ).value
        # no Spark Ads with the order (its days become a request once a video is posted): the
        # flow asks for Spark Ads on one post from the Spark Ads tab
        no_spark = {"spark_ads_requested_authorization_days": 0}
        made = client.order_create(
            "Acme",
            "Launch drop",
            handles[first : first + 6],
            deliverables=[{"deliverable_name": f"Video {k}", **no_spark} for k in (1, 2)],
        ).value
    store = Store.from_url(app.env["TTCM_DATABASE_URL"])
    try:
        with store.write() as conn:
            pk = conn.execute(
                m.Campaign.__table__.insert()
                .values(
                    campaign_id=tto.campaign_id,
                    campaign_name="E2E launch",
                    brand_name="Acme",
                    description="Launch drop",
                    kpi_views=50_000,
                    kpi_engagement_rate=0.05,
                    kpi_posts=12,
                    budget=2500.0,
                    currency="USD",
                    start_date=now.date(),
                    end_date=(now + timedelta(days=30)).date(),
                    target_audience={"genders": {"FEMALE": 0.6, "MALE": 0.4}},
                    created_at=now,
                    updated_at=now,
                )
                .returning(m.Campaign.id)
            ).scalar_one()
            conn.execute(
                m.CampaignCode.__table__.insert().values(
                    campaign_code=made.campaign_code,
                    campaign_pk=pk,
                    invite_link=made.invite_link,
                    created_at=datetime.now(UTC),
                )
            )
    finally:
        store.dispose()
    sandbox.advance(24 * 10)  # creators accept and post their videos; daily stats accumulate
    done = app.ttcm("refresh", "--resources", "campaigns,orders,posts,spark")
    assert done.returncode == 0, done.stderr
    return int(pk), sandbox


def accepted_video(app: App, pk: int) -> str:
    """A posted video of the campaign whose creator accepts a first Spark Ads request."""
    store = Store.from_url(app.env["TTCM_DATABASE_URL"])
    try:
        with store.read() as conn:
            videos = sorted(
                conn.execute(
                    select(m.Post.video_id).where(
                        m.Post.campaign_pk == pk, m.Post.tracking == "order"
                    )
                ).scalars()
            )
    finally:
        store.dispose()
    assert videos, "no order video was posted within ten sandbox days"
    return next(v for v in videos if unit(SEED, "spark", v, 1, "accept") < 0.8)
