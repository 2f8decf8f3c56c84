"""In a real browser: filter, open a profile, shortlist, export, invite."""

from __future__ import annotations

import csv
import io
import json

from tests.e2e.conftest import App, shot, sign_in


def _search(app: App, *args: str) -> list[dict]:
    done = app.ttcm("creators", "search", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_filter_profile_shortlist_export_invite(page, app: App) -> None:
    sign_in(page, app, "manny")
    # filter: through the form
    page.goto(app.url + "/discovery?country=US")
    page.get_by_text("creators match").first.wait_for()
    us_total = page.get_by_text("creators match").first.inner_text()
    page.get_by_label("Engagement % from").fill("5")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**ermin=0.05**")
    page.wait_for_function(f"!document.body.innerText.includes({json.dumps(us_total)})")
    expected = _search(app, "--country", "US", "--min-er", "0.05", "--limit", "1000")
    page.get_by_text(f"{len(expected):,} creators match").wait_for()
    shot(page, "discovery-filtered")
    # export the current results
    page.get_by_role("button", name="Prepare CSV of all matching creators").click()
    with page.expect_download() as download:
        page.get_by_role("button", name=f"Download {len(expected):,} rows (CSV)").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0][:4] == ["Handle", "Display name", "Country", "Followers"]
    assert {r[0].lstrip("'") for r in rows[1:]} == {r["handle_name"] for r in expected}
    # open a profile and shortlist the creator
    top = expected[0]["handle_name"]
    page.goto(app.url + f"/creator?handle={top}")
    page.get_by_role("heading", name=f"@{top}").wait_for()
    page.get_by_text("Account metrics").wait_for()
    page.get_by_label("New shortlist name").fill("E2E picks")
    page.get_by_role("button", name=f"Add @{top} to shortlist").click()
    page.get_by_text("Added to E2E picks.").wait_for()
    page.goto(app.url + "/shortlists")
    page.get_by_role("button", name="Download this list (CSV)").wait_for()
    shot(page, "shortlist")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download this list (CSV)").click()
    listed = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert listed[1][0] == top
    # invite an eligible creator who is not on the marketplace
    [target] = _search(app, "--tcm", "no", "--eligible", "yes", "--limit", "1")
    page.goto(app.url + f"/invitations?handles={target['handle_name']}")
    page.get_by_role("button", name="Invite 1 creator to TTCM").click()
    page.get_by_text("Sent 1 invitation.").or_(page.get_by_text("Sent 0 invitations.")).wait_for()
    shot(page, "invitations")
    # the invitations table is a canvas grid: its cells are in the DOM for readers, not visible
    cell = page.locator("td[role=gridcell]", has_text=target["handle_name"]).first
    cell.wait_for(state="attached")


def test_wrong_filter_values_stay_as_typed_and_are_refused(page, app: App) -> None:
    sign_in(page, app, "manny")
    page.goto(app.url + "/discovery?country=US")
    page.get_by_text("creators match").first.wait_for()
    page.get_by_label("Followers from").fill("-5")
    page.get_by_label("Engagement % to").fill("150")
    pasted = "=SUM(A1)<b>é😀</b>" * 10
    page.get_by_label("Search handle, name or bio").fill(pasted)
    page.get_by_role("button", name="Apply filters").dblclick()
    page.get_by_text("Filters not applied.").wait_for()
    page.get_by_text(
        "Followers from: a whole number from 0 to 1,000,000,000,000 (-5 now)"
    ).wait_for()
    page.get_by_text("Engagement % to: a number from 0 to 100 (150 now)").wait_for()
    page.get_by_text(f"({len(pasted)} now)").wait_for()
    assert page.url.endswith("/discovery?country=US")  # nothing applied
    assert page.get_by_label("Followers from").input_value() == "-5"
    assert page.get_by_label("Engagement % to").input_value() == "150.00"
    assert page.get_by_label("Search handle, name or bio").input_value() == pasted
    shot(page, "discovery-wrong-values")
