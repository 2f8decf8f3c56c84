"""The whole workflow in chromium, as a campaign manager walks it on the sandbox (issue 11).

sign-in → Discovery (filter, sort by price) → profile → shortlist → Invitations (pre-check, invite)
→ Campaigns (settings, creators, orders with named deliverables and Spark Ads) → admin moves the
sandbox clock and refreshes → Posts (KPIs, pacing, Spark Ads) → HTML report → Admin (users, audit).
Every step leaves a full-page screenshot in test-artifacts/walk-NN-step.png.
"""

from __future__ import annotations

import json
import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    ARTIFACTS,
    App,
    new_campaign_form,
    settled,
    shot,
    sign_in,
    wait_for_session_cookie,
)

TIMEOUT = 60_000


class Walk:
    """Numbered screenshots of one walk."""

    def __init__(self) -> None:
        self.n = 0

    def shot(self, page: Page, step: str) -> None:
        """Wait for the run to finish, then save walk-NN-step.png."""
        settled(page)
        self.n += 1
        # Streamlit scrolls inside its main block: grow the window so the shot holds all of it
        size = page.viewport_size or {"width": 1400, "height": 1000}
        tall = page.evaluate(_CONTENT_HEIGHT)
        page.set_viewport_size({"width": size["width"], "height": min(max(tall, 1000), 6000)})
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        shot(page, f"walk-{self.n:02d}-{step}")
        page.set_viewport_size(size)


_CONTENT_HEIGHT = """
() => Math.max(...[...document.querySelectorAll(
  '[data-testid="stMain"], [data-testid="stMainBlockContainer"], [data-testid="stSidebarContent"]'
)].map((e) => e.scrollHeight), 0) + 40
"""


def search(app: App, *args: str) -> list[dict]:
    """Creators from the CLI, for the walk to compare against."""
    done = app.ttcm("creators", "search", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def no_exception(page: Page) -> None:
    """No Python traceback on the page."""
    assert page.get_by_test_id("stException").count() == 0


def test_the_whole_workflow(browser, app: App) -> None:
    walk = Walk()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        # ---------------------------------------------------------------- sign-in
        page.goto(app.url)
        page.get_by_label("User name", exact=True).wait_for()
        walk.shot(page, "sign-in")
        sign_in(page, app, "manny")
        walk.shot(page, "home")

        # ---------------------------------------------------------------- discovery
        page.goto(app.url + "/discovery?country=US")
        page.get_by_text("creators match").first.wait_for()
        page.get_by_label("Engagement % from").fill("5")
        sort_by = page.get_by_test_id("stSelectbox").filter(has_text="Sort by").locator("input")
        sort_by.click()
        sort_by.fill("Price in")
        sort_by.press("Enter")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**sort=price**")
        expected = search(
            app, "--country", "US", "--min-er", "0.05", "--sort", "price", "--limit", "2000"
        )
        assert expected
        page.get_by_text(f"{len(expected):,} creators match").wait_for()
        page.locator("[data-testid='stDataFrame']").first.wait_for()
        first = page.locator("[data-testid='glide-cell-2-0']").first
        first.wait_for(state="attached")
        assert first.text_content() == expected[0]["handle_name"]
        no_exception(page)
        walk.shot(page, "discovery-filtered-by-price")

        # ---------------------------------------------------------------- profile + shortlist
        orderable = search(app, "--tcm", "yes", "--limit", "40")
        star, second = orderable[-1]["handle_name"], orderable[-2]["handle_name"]
        page.goto(app.url + f"/creator?handle={star}")
        page.get_by_role("heading", name=f"@{star}").wait_for()
        page.get_by_text("Account metrics").wait_for()
        no_exception(page)
        walk.shot(page, "creator-profile")
        shortlist = f"Walk picks {uuid.uuid4().hex[:4]}"
        page.get_by_label("New shortlist name").fill(shortlist)
        page.get_by_role("button", name=f"Add @{star} to shortlist").click()
        page.get_by_text(f"Added to {shortlist}.").wait_for()
        walk.shot(page, "creator-shortlisted")
        page.goto(app.url + "/shortlists")
        page.get_by_role("button", name="Download this list (CSV)").wait_for()
        no_exception(page)
        walk.shot(page, "shortlist")

        # ---------------------------------------------------------------- invitations
        # the second such creator: test_discovery_flow invites the first in the same app
        target = search(app, "--tcm", "no", "--eligible", "yes", "--limit", "2")[-1]
        page.goto(app.url + f"/invitations?handles={target['handle_name']}")
        invite = page.get_by_role("button", name="Invite 1 creator to TTCM")
        invite.wait_for()
        no_exception(page)
        walk.shot(page, "invitations-pre-check")
        invite.click()
        page.get_by_text("Sent 1 invitation.").wait_for()
        walk.shot(page, "invitations-sent")

        # ---------------------------------------------------------------- campaign settings
        name = f"Walk rain jackets {uuid.uuid4().hex[:4]}"
        new = new_campaign_form(page, app)
        new.get_by_label("Campaign name", exact=True).fill(name)
        new.get_by_label(re.compile(r"^Brand name")).fill("Acme Outdoor")
        new.get_by_label(re.compile(r"^Description")).fill("Autumn rain jackets")
        for label, value in (
            ("Views target", "200000"),
            ("Engagement rate target (%)", "5"),
            ("Posts target", "4"),
            ("Spark Ads codes target", "2"),
            ("Budget", "2500"),
        ):
            field = new.get_by_label(label, exact=True)
            field.fill(value)
            field.press("Tab")
            settled(page)
        new.get_by_label("Currency (e.g. USD)").fill("USD")
        new.get_by_label("Currency (e.g. USD)").press("Enter")
        settled(page)
        walk.shot(page, "campaign-settings")
        new.get_by_role("button", name="Create campaign").click()
        page.get_by_text("Campaign created on TikTok").wait_for()
        no_exception(page)
        walk.shot(page, "campaign-created")

        # ---------------------------------------------------------------- creators and orders
        page.get_by_role("tab", name="Creators and orders").click()
        settled(page)
        box = page.get_by_label("Add creators by handle (one per line or comma separated)")
        box.fill(f"{star}\n{second}")
        page.get_by_role("button", name="Add to campaign").click()
        page.get_by_text("Added 2 creators.").wait_for()
        settled(page)
        walk.shot(page, "campaign-creators-added")

        videos = page.get_by_label("Videos per creator")
        videos.fill("2")
        videos.press("Enter")
        page.get_by_label("Deliverable 2 name").wait_for()  # the rerun drew two deliverables
        settled(page)
        for i, label in enumerate(("Unboxing", "Rainy walk")):
            field = page.get_by_label(f"Deliverable {i + 1} name")
            expect(field).to_have_count(1)
            field.fill(label)
            field.press("Enter")
            settled(page)
            expect(page.get_by_label(f"Deliverable {i + 1} name")).to_have_value(label)
        picker = page.get_by_test_id("stMultiSelect").filter(has_text="can be ordered")
        for handle in (star, second):
            picker.locator("input").fill(handle)
            picker.locator("input").press("Enter")
            settled(page)
        picker.locator("input").press("Escape")
        settled(page)
        walk.shot(page, "campaign-order-form")
        page.get_by_role("button", name="Create orders").click()
        page.get_by_text("Orders created for 2 creators.").wait_for()
        expect(page.get_by_text("· Order Created ·")).to_have_count(2)
        page.get_by_text("Unboxing (Spark Ads").first.wait_for()
        no_exception(page)
        page.get_by_role("heading", name="Orders").evaluate("e => e.scrollIntoView()")
        walk.shot(page, "campaign-orders")
        campaign_pk = re.search(r"campaign=(\d+)", page.url)
        assert campaign_pk, page.url

        # ---------------------------------------------------------------- admin moves time
        admin = browser.new_context(viewport={"width": 1400, "height": 1000})
        ap = admin.new_page()
        ap.set_default_timeout(TIMEOUT)
        try:
            sign_in(ap, app, "admin")
            wait_for_session_cookie(ap)
            ap.goto(app.url + "/admin_sandbox")
            ap.get_by_text(re.compile(r"^Sandbox time")).first.wait_for()
            hours = ap.get_by_label("Hours to move forward")
            hours.fill("240")
            hours.press("Enter")
            ap.get_by_role("button", name="Move forward").click()
            ap.get_by_text(re.compile(r"Sandbox time moved from .* UTC\.")).wait_for()
            walk.shot(ap, "admin-sandbox-clock")
            ap.goto(app.url + "/admin_refresh")
            ap.get_by_role("button", name="Refresh now").click()
            ap.get_by_text(re.compile(r"Run \d+ ok in ")).wait_for(timeout=180_000)
            no_exception(ap)
            walk.shot(ap, "admin-refresh")

            # ------------------------------------------------------------ posts
            pk = campaign_pk.group(1)
            page.goto(app.url + f"/posts?campaign={pk}")
            page.get_by_text("KPI progress", exact=True).wait_for()
            page.get_by_text("Pacing", exact=True).wait_for()
            page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
            no_exception(page)
            walk.shot(page, "posts-overview")
            page.get_by_role("tab", name="Published posts").click()
            settled(page)
            grid = page.locator("[data-testid='stDataFrame']").first
            grid.wait_for()
            walk.shot(page, "posts-published")
            page.get_by_role("tab", name="Spark Ads").click()
            settled(page)
            body = page.get_by_test_id("stMain")
            expect(body).to_contain_text(re.compile(r"Authorization codes|requested|waiting"))
            shown = body.text_content() or ""
            assert not re.search(r"\b(ACCEPTED|WAITING|REJECTED|NOT_USED|IN_USE)\b", shown)
            no_exception(page)
            walk.shot(page, "posts-spark-ads")

            # ------------------------------------------------------------ report
            page.get_by_role("tab", name="Overview").click()
            settled(page)
            with page.expect_download(timeout=120_000) as download:
                page.get_by_role("button", name="Report (HTML, works offline)").click()
            ARTIFACTS.mkdir(exist_ok=True)
            report = ARTIFACTS / "walk-report.html"
            download.value.save_as(report)
            rp = context.new_page()
            rp.route(re.compile(r"^https?://"), lambda route: route.abort())
            rp.goto(report.as_uri())
            rp.wait_for_function("document.body.dataset.charts === 'ready'", timeout=TIMEOUT)
            assert name in rp.locator("body").inner_text()
            walk.n += 1
            shot(rp, f"walk-{walk.n:02d}-report")
            rp.close()

            # ------------------------------------------------------------ admin
            ap.goto(app.url + "/admin_users")
            ap.get_by_role("heading", name="Users").wait_for()
            ap.locator("[data-testid='stDataFrame']").first.wait_for()
            ap.get_by_text("manny").first.wait_for(state="attached")
            no_exception(ap)
            walk.shot(ap, "admin-users")
            ap.goto(app.url + "/admin_audit")
            ap.get_by_role("heading", name="Audit log").wait_for()
            ap.locator("[data-testid='stDataFrame']").first.wait_for()
            no_exception(ap)
            walk.shot(ap, "admin-audit")
        finally:
            admin.close()
    finally:
        context.close()
