"""In a real browser: agree a fee on Campaigns › Creators (a bad one refused in place), then see
the Posts overview's costs and the ordered / declined / delivered counts."""

from __future__ import annotations

import json
import uuid

from tests.e2e.conftest import App, add_creators, new_campaign_form, settled, shot, sign_in


def test_agreed_fee_flow(page, app: App) -> None:
    found = app.ttcm("creators", "search", "--tcm", "yes", "--limit", "60", "--format", "json")
    assert found.returncode == 0, found.stderr
    handles = [r["handle_name"] for r in json.loads(found.stdout)][-5:-3]
    sign_in(page, app, "manny")
    new = new_campaign_form(page, app)
    new.get_by_label("Campaign name", exact=True).fill(f"Fees {uuid.uuid4().hex[:6]}")
    new.get_by_label("Brand name (at most 60 characters)").fill("Acme Outdoor")
    new.get_by_label("Description (at most 60 characters)").fill("Fee check")
    new.get_by_role("button", name="Create campaign").click()
    page.get_by_text("Campaign created on TikTok").wait_for()
    add_creators(page, handles)

    fees = page
    amount = fees.get_by_label("Agreed fee", exact=True)
    amount.fill("-5")
    amount.press("Enter")
    settled(page)
    page.get_by_text("Agreed fee: a number from 0").wait_for()
    assert fees.get_by_role("button", name="Save agreed fee").is_disabled()
    shot(page, "fees-refused")
    amount.fill("250.5")
    amount.press("Enter")
    currency = fees.get_by_label("Currency", exact=True)
    currency.fill("eur")
    currency.press("Enter")
    settled(page)
    fees.get_by_role("button", name="Save agreed fee").click()
    first = sorted(handles)[0]  # the creator picker lists them by handle
    page.get_by_text(f"Agreed fee of @{first} saved.").wait_for()
    settled(page)
    shot(page, "fees-saved")
    assert page.get_by_test_id("stException").count() == 0

    page.goto(f"{app.url}/posts")
    page.get_by_text("ordered ·").first.wait_for()
    settled(page)
    shot(page, "fees-posts-overview")
    assert page.get_by_test_id("stException").count() == 0
