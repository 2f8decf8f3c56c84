"""In a real browser: a campaign's overview renders its charts, a manager requests Spark Ads for a
post, and the authorization code shows once the creator accepted (the sandbox clock moved on).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from tests.e2e.conftest import PROJECT, App, settled, shot, sign_in, wait_for_session_cookie
from ttcm.api import TikTokOneClient
from ttcm.sandbox import SandboxApp, SandboxTransport
from ttcm.sandbox.hashing import unit
from ttcm.store import Store
from ttcm.store import models as m

SEED = 7  # the app's sandbox seed (TTCM_SANDBOX_SEED default)


def _wired() -> bool:
    return "app_pages/posts.py" in (PROJECT / "app.py").read_text(encoding="utf-8")


def _client(sandbox: SandboxApp) -> TikTokOneClient:
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
    with _client(sandbox) as client:
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


def run_flow(page, app: App) -> int:
    """The whole flow (returns the campaign id); also runs against an app from another entry."""
    pk, sandbox = make_campaign(app)
    video = accepted_video(app, pk)
    sign_in(page, app, "manny")
    wait_for_session_cookie(page)

    page.goto(f"{app.url}/posts?campaign={pk}")
    page.get_by_text("KPI progress", exact=True).wait_for()
    settled(page)  # every chart of the run has arrived ...
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.nth(5).wait_for()  # ... and the browser loads plotly lazily: wait for six to show
    for i in range(charts.count()):  # every chart drew its SVG
        charts.nth(i).locator(".main-svg").first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("body").inner_text()
    assert "Views" in body and "Cost per view" in body and "Pacing" in body
    shot(page, "posts-overview")

    page.get_by_role("tab", name="Spark Ads").click()
    page.get_by_text("Request Spark Ads authorization").wait_for()
    posts = page.get_by_role("combobox", name="Posts")
    posts.click()
    # The option list is virtualised: only the first rows exist, so filter down to the video.
    posts.press_sequentially(video)
    page.get_by_role("option", name=re.compile(re.escape(video))).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Send request").click()
    page.get_by_text(re.compile(rf"Video {video}: Request for 30 days sent to @")).wait_for()
    shot(page, "posts-spark-requested")

    sandbox.advance(100)  # every creator decides within 96 hours
    done = app.ttcm("refresh", "--resources", "spark")
    assert done.returncode == 0, done.stderr
    store = Store.from_url(app.env["TTCM_DATABASE_URL"])
    try:
        with store.read() as conn:
            code = conn.execute(
                select(m.SparkAuthorization.auth_code).where(m.SparkAuthorization.video_id == video)
            ).scalar_one()
    finally:
        store.dispose()
    assert code, "the creator accepted, so the refreshed status carries a code"

    page.goto(f"{app.url}/posts?campaign={pk}&view=Spark+Ads")
    page.get_by_text("Authorization codes", exact=False).wait_for()
    codes = page.locator('[data-testid="stCode"]')
    codes.first.wait_for()
    assert code in codes.all_inner_texts()
    assert "days left" in page.locator("body").inner_text()
    shot(page, "posts-spark-code")
    return pk


@pytest.mark.skipif(not _wired(), reason="app_pages/posts.py is not in app.py's navigation yet")
def test_overview_charts_then_spark_ads_request_and_code(page, app: App) -> None:
    run_flow(page, app)
