"""In a real browser: create a campaign, add three creators, create orders, copy the invite link,
and see the order status change after the sandbox clock moves."""

from __future__ import annotations

import json
import re
import uuid

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import App, new_campaign_form, settled, shot, sign_in
from ttcm.sandbox import SandboxApp


def _three_creators(app: App) -> list[str]:
    found = app.ttcm("creators", "search", "--tcm", "yes", "--limit", "40", "--format", "json")
    assert found.returncode == 0, found.stderr
    return [r["handle_name"] for r in json.loads(found.stdout)][-3:]


def _new_campaign_form(page: Page, app: App) -> Locator:
    """Sign in as the manager, open Campaigns and its New campaign form; returns the form."""
    sign_in(page, app, "manny")
    return new_campaign_form(page, app)


def test_campaign_orders_flow(browser, app: App) -> None:
    handles = _three_creators(app)
    name = f"Rain jackets {uuid.uuid4().hex[:6]}"
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        new = _new_campaign_form(page, app)
        new.get_by_label("Campaign name", exact=True).fill(name)
        new.get_by_label("Brand name (at most 60 characters)").fill("Acme Outdoor")
        new.get_by_label("Description (at most 60 characters)").fill("Autumn rain jackets")
        new.get_by_role("button", name="Create campaign").click()
        page.get_by_text("Campaign created on TikTok").wait_for()

        page.get_by_role("tab", name="Creators and orders").click()
        settled(page)
        box = page.get_by_label("Add creators by handle (one per line or comma separated)")
        box.fill("\n".join(handles))
        page.get_by_role("button", name="Add to campaign").click()
        page.get_by_text("Added 3 creators.").wait_for()
        # the person stays on the tab they acted on, and the box is empty again
        people_tab = page.get_by_role("tab", name="Creators and orders")
        assert people_tab.get_attribute("aria-selected") == "true"
        settled(page)
        emptied = page.get_by_label("Add creators by handle (one per line or comma separated)")
        expect(emptied).to_have_count(1)
        expect(emptied).to_have_value("")

        # 11 videos is refused next to the field; nothing can be sent
        videos = page.get_by_label("Videos per creator")
        videos.fill("11")
        videos.press("Enter")
        settled(page)
        page.get_by_text("Videos per creator: a whole number from 1 to 10 (11 now)").wait_for()
        create = page.get_by_role("button", name="Create orders")
        assert create.is_disabled()
        shot(page, "campaign-videos-refused")
        videos.fill("1")
        videos.press("Enter")
        settled(page)
        page.get_by_text("Videos per creator: a whole number").wait_for(state="detached")

        picker = page.get_by_test_id("stMultiSelect").filter(has_text="can be ordered")
        for handle in handles:  # nothing is preselected: choose each creator
            picker.locator("input").fill(handle)
            picker.locator("input").press("Enter")
            settled(page)
        picker.locator("input").press("Escape")  # close the list of options
        settled(page)
        shot(page, "campaign-creators-picked")
        create.click()
        page.get_by_text("Orders created for 3 creators.").wait_for()
        assert people_tab.get_attribute("aria-selected") == "true"
        cards = page.get_by_text("· Order Created ·")
        cards.first.wait_for()
        settled(page)
        assert cards.count() == 3

        link_block = page.get_by_test_id("stCode").filter(has_text="/ttcm/code/").first
        link = link_block.inner_text().strip()
        link_block.hover()
        link_block.get_by_role("button").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == link and "/ttcm/code/" in link

        # creators act on TikTok as time passes; the refresh brings the new statuses
        state = app.env["TTCM_SANDBOX_STATE"]
        SandboxApp(int(app.env["TTCM_SANDBOX_CREATORS"]), 7, state_path=state).advance(100)
        done = app.ttcm("refresh", "--resources", "orders")
        assert done.returncode == 0, done.stderr
        page.reload()  # the open tab is in the URL: the reload keeps it
        page.get_by_role("tab", name="Creators and orders").wait_for()
        moved = re.compile(
            r"· (Accepted by creator|Declined by creator|Videos in progress|All videos posted) ·"
        )
        page.get_by_text(moved).first.wait_for()
        settled(page)
        assert page.get_by_text(moved).count() == 3
        assert page.get_by_text("· Order Created ·").count() == 0
        assert page.get_by_test_id("stException").count() == 0
        page.get_by_role("heading", name="Orders").evaluate("e => e.scrollIntoView()")
        shot(page, "campaign-orders")
    finally:
        context.close()


def test_wrong_values_a_double_click_and_back(browser, app: App) -> None:
    """Wrong settings are refused in place; a double click on Create orders sends one order;
    Back after it shows the page again and sends nothing."""
    [handle] = _three_creators(app)[:1]
    name = f"Double click {uuid.uuid4().hex[:6]}"
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        new = _new_campaign_form(page, app)
        new.get_by_label("Campaign name", exact=True).fill(name)
        brand = new.get_by_label("Brand name (at most 60 characters)")
        brand.fill("B" * 61)
        brand.press("Tab")
        new.get_by_label("Description (at most 60 characters)").fill("Autumn rain jackets")
        budget = new.get_by_label("Budget", exact=True)
        budget.fill("2500")
        budget.press("Tab")
        settled(page)
        new.get_by_text("at most 60 characters (61 now)").first.wait_for()
        new.get_by_text("Budget: 2,500").first.wait_for()  # formatted for people
        assert new.get_by_role("button", name="Create campaign").is_disabled()
        shot(page, "campaign-wrong-values")
        brand.fill("Acme Outdoor")
        brand.press("Tab")
        new.get_by_label("Currency (e.g. USD)").fill("USD")
        new.get_by_label("Currency (e.g. USD)").press("Enter")
        settled(page)
        new.get_by_text("Budget: 2,500.00 USD").wait_for()
        new.get_by_role("button", name="Create campaign").click()
        page.get_by_text("Campaign created on TikTok").wait_for()

        page.get_by_role("tab", name="Creators and orders").click()
        settled(page)
        page.get_by_label("Add creators by handle (one per line or comma separated)").fill(handle)
        page.get_by_role("button", name="Add to campaign").click()
        page.get_by_text("Added 1 creator.").wait_for()
        settled(page)
        emptied = page.get_by_label("Add creators by handle (one per line or comma separated)")
        expect(emptied).to_have_value("")  # the rerun after Add has finished
        videos = page.get_by_label("Videos per creator")
        videos.fill("1")
        videos.press("Enter")
        settled(page)
        picker = page.get_by_test_id("stMultiSelect").filter(has_text="can be ordered")
        picker.locator("input").fill(handle)
        picker.locator("input").press("Enter")
        settled(page)
        picker.locator("input").press("Escape")
        settled(page)
        create = page.get_by_role("button", name="Create orders")
        expect(create).to_be_enabled()
        create.dblclick()
        page.get_by_text("Order created for 1 creator.").wait_for()
        settled(page)
        shot(page, "campaign-double-click")
        pk = re.search(r"campaign=(\d+)", page.url)
        assert pk, page.url
        page.go_back()
        page.get_by_role("heading", name="Campaigns").wait_for()
        settled(page)
        shot(page, "campaign-after-back")
        assert page.get_by_test_id("stException").count() == 0
        listed = app.ttcm("orders", "list", "--campaign", pk.group(1), "--format", "json")
        assert listed.returncode == 0, listed.stderr
        assert [o["handle_name"] for o in json.loads(listed.stdout)] == [handle]  # sent once
    finally:
        context.close()
