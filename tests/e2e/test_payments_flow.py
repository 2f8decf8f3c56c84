"""In a real browser: Campaigns › Fees & payments — a paid payment without its date is refused in
place, then saved with a date and a hostile reference; spend and table follow."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import App, add_creators, new_campaign_form, settled, shot, sign_in

HOSTILE = '<b>INV-1</b> "q" 🎉 =1+1'


def _choose(page, label: str, option: str) -> None:
    picker = page.get_by_role("combobox", name=label, exact=True)
    picker.click()
    picker.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    settled(page)


def test_payments_flow(page, app: App) -> None:
    found = app.ttcm("creators", "search", "--tcm", "yes", "--limit", "80", "--format", "json")
    assert found.returncode == 0, found.stderr
    handles = sorted(r["handle_name"] for r in json.loads(found.stdout))[-9:-7]
    sign_in(page, app, "manny")
    new = new_campaign_form(page, app)
    new.get_by_label("Campaign name", exact=True).fill(f"Pay {uuid.uuid4().hex[:6]}")
    new.get_by_label("Brand name (at most 60 characters)").fill("Acme Outdoor")
    new.get_by_label("Description (at most 60 characters)").fill("Payment check")
    budget = new.get_by_label("Budget", exact=True)
    budget.fill("5000")
    budget.press("Enter")
    new.get_by_label("Currency (e.g. USD)").fill("USD")
    settled(page)
    new.get_by_role("button", name="Create campaign").click()
    page.get_by_text("Campaign created on TikTok").wait_for()
    settled(page)
    pk = page.url.split("campaign=")[1].split("&")[0]
    add_creators(page, handles)
    ordered = app.ttcm(
        "orders", "create", "--campaign", pk, "--handles", ",".join(handles), "--videos", "1"
    )
    assert ordered.returncode == 0, ordered.stdout + ordered.stderr

    page.reload()
    page.get_by_role("tab", name="Fees & payments").click()
    page.get_by_text("Update a payment").wait_for()
    settled(page)
    _choose(page, "Payment", "Paid")
    page.get_by_text("Date: A paid payment needs its date.").wait_for()
    assert page.get_by_role("button", name="Save payment").is_disabled()
    shot(page, "payments-refused")

    day = (datetime.now(UTC) - timedelta(days=3)).date()
    # the date field is three segments (year, month, day): typed digits move along them
    page.get_by_role("spinbutton", name="year, Date (scheduled or paid)").click()
    page.keyboard.type(f"{day:%Y%m%d}")
    page.keyboard.press("Tab")
    settled(page)
    ref = page.get_by_label("Reference (invoice or transfer, up to 100 characters)")
    ref.fill(HOSTILE)
    ref.press("Enter")
    settled(page)
    page.get_by_role("button", name="Save payment").click()
    page.get_by_text(f"Payment of @{handles[0]} saved (Paid).").wait_for()
    settled(page)
    shot(page, "payments-saved")
    assert page.get_by_test_id("stException").count() == 0
    assert page.locator("b", has_text="INV-1").count() == 0  # the reference is never HTML

    rows = app.ttcm("campaigns", "payments", pk, "--format", "json")
    assert rows.returncode == 0, rows.stderr
    saved = {r["handle_name"]: r for r in json.loads(rows.stdout)}
    assert saved[handles[0]]["status"] == "paid" and saved[handles[0]]["reference"] == HOSTILE
    assert saved[handles[0]]["pay_date"] == day.isoformat()
