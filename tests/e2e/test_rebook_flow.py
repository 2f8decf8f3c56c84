"""In a real browser: a creator's campaign history on the profile, and Rebook into another campaign
(prefilled with the last order's deliverables; nothing is sent until the order is confirmed)."""

from __future__ import annotations

import json
import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import App, settled, shot, sign_in


def _run(app: App, *args: str) -> list[dict]:
    done = app.ttcm(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


CHOSEN = """(text) => [...document.querySelectorAll('[data-testid="stSelectbox"]')].some(
    (box) => box.innerText.includes(text)
        || [...box.querySelectorAll("input")].some((input) => input.value.includes(text)))"""


def test_history_and_rebook(page, app: App) -> None:
    tag = uuid.uuid4().hex[:6]
    [creator] = _run(app, "creators", "search", "--tcm", "yes", "--sort", "price", "--limit", "1")
    handle = creator["handle_name"]
    [first] = _run(
        app, "campaigns", "create", "--name", f"Spring {tag}", "--brand-name", "Acme",
        "--description", "Spring launch",
    )  # fmt: skip
    [second] = _run(
        app, "campaigns", "create", "--name", f"Winter {tag}", "--brand-name", "Acme",
        "--description", "Winter coats",
    )  # fmt: skip
    _run(
        app, "orders", "create", "--campaign", str(first["id"]), "--handles", handle,
        "--videos", "2", "--deliverables", "Unboxing,Review",
    )  # fmt: skip

    sign_in(page, app, "manny")
    page.goto(f"{app.url}/creator?handle={handle}")
    page.get_by_role("heading", name="Campaigns with the team").wait_for()
    page.get_by_text(f"Spring {tag}: CPV").first.wait_for()  # the caption (then the how line)
    page.get_by_text("Rebooking starts from the last order").wait_for()
    page.get_by_role("heading", name="Campaigns with the team").scroll_into_view_if_needed()
    shot(page, "creator-history")

    for back in (True, False):  # the first time, Back mid-way: the profile again, nothing sent
        if back:  # (after Back the profile keeps the campaign chosen)
            into = page.get_by_label("Rebook into")
            into.click()
            into.press_sequentially(f"Winter {tag}")  # the list narrows to the one campaign
            page.get_by_role("option", name=f"Winter {tag} · Acme").click()
            page.wait_for_function(CHOSEN, arg=f"Winter {tag}")  # the picker shows the choice
            page.get_by_text(
                f"Opens the order form for Winter {tag} · Acme"
            ).wait_for()  # the app has it
        settled(page)
        page.get_by_role("button", name=f"Rebook @{handle}").click()
        # Streamlit writes the new query first and the new path after: wait for both
        page.wait_for_url(re.compile(rf"/campaigns\?.*rebook={re.escape(handle)}"))
        assert f"campaign={second['id']}" in page.url
        if back:
            page.go_back()
            page.wait_for_url(f"**/creator?handle={handle}")  # the profile's own URL again
            settled(page)
            page.get_by_role("heading", name="Campaigns with the team").wait_for()
            page.get_by_role("button", name=f"Rebook @{handle}").wait_for()
            assert _run(app, "orders", "list", "--campaign", str(second["id"])) == []
    page.get_by_role("tab", name="Creators and orders").click()
    page.get_by_text(f"Rebook @{handle} into Winter {tag}").wait_for()
    page.get_by_role("button", name=f"Add @{handle} to this campaign").click()
    page.get_by_text(f"Added @{handle} to the campaign.").wait_for()
    name0 = page.get_by_label("Deliverable 1 name").first  # the panel comes before the order form
    expect(name0).to_have_value("Unboxing")  # (waits for the run that fills the form)
    expect(page.get_by_label("Deliverable 2 name").first).to_have_value("Review")
    page.get_by_role("button", name=f"Create order for @{handle}").scroll_into_view_if_needed()
    shot(page, "rebook-prefilled")
    listed = _run(app, "orders", "list", "--campaign", str(second["id"]))
    assert listed == []  # nothing sent before "Create order"
