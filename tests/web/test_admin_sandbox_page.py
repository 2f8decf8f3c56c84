"""The admin Sandbox clock page, and the Posts page following the sandbox's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.builders import as_read, signed_in
from tests.builders.posts import add_spring_campaign
from ttcm.config import Settings
from ttcm.services import demo_time
from ttcm.store import models as m

PAGE = "app_pages/admin_sandbox.py"


def moves(store) -> list[float]:
    with store.read() as conn:
        rows = conn.execute(
            select(m.AuditEntry.detail).where(m.AuditEntry.action == "sandbox.clock.advance")
        ).scalars()
        return [d["hours"] for d in rows]


def test_an_admin_moves_the_sandbox_clock(people, web_store) -> None:
    at = signed_in(people["admin"], PAGE).run()
    assert not at.exception
    [tile] = at.metric
    assert tile.label == "Sandbox time (in-process sandbox)"
    at.text_input(key="clock_hours").input("36").run()
    [move] = [b for b in at.button if b.label == "Move forward"]
    move.click().run()
    assert not at.exception
    [done] = at.success
    assert done.value.startswith("Sandbox time moved from ") and "Refresh the cache" in done.value
    assert moves(web_store) == [36.0]
    moved = demo_time.app_now(Settings.load())
    assert moved - datetime.now(UTC) > timedelta(hours=35)
    assert at.metric[0].value == f"{moved:%Y-%m-%d %H:%M} UTC"
    [move] = [b for b in at.button if b.label == "Move forward"]
    move.click().run()  # the same click again right away: a double click moves once
    assert any("second click was ignored" in i.value for i in at.info)
    assert moves(web_store) == [36.0]
    [day] = [b for b in at.button if b.label == "+1 day"]
    day.click().run()
    assert moves(web_store) == [36.0, 24.0]


def test_bad_hours_show_next_to_the_field_and_move_nothing(people, web_store) -> None:
    at = signed_in(people["admin"], PAGE).run()
    for text, message in (
        ("-5", "only moves forward"),
        ("<script>x</script>", "Hours must be a number"),
        ("1e6", "at most 8,784 hours"),
    ):
        at.text_input(key="clock_hours").input(text).run()
        assert not at.exception
        assert any(message in as_read(e.value) for e in at.error), text
        [move] = [b for b in at.button if b.label == "Move forward"]
        assert move.disabled
    assert moves(web_store) == []


def test_a_manager_cannot_open_the_clock(people) -> None:
    at = signed_in(people["manager"], PAGE).run()
    assert any("needs the admin role" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Move forward"]


def test_the_posts_page_counts_days_on_the_sandbox_clock(people, web_store) -> None:
    pk = add_spring_campaign(web_store)
    demo_time.advance(web_store, Settings.load(), people["admin"], 24 * 5)
    at = signed_in(people["viewer"], "app_pages/posts.py")
    at.query_params["campaign"] = str(pk)
    at.run()
    assert not at.exception
    sandbox_day = (datetime.now(UTC) + timedelta(days=5)).date()
    caption = next(c.value for c in at.caption if "stats as of" in c.value)
    assert f"stats as of {sandbox_day:%Y-%m-%d}" in caption
    assert "sandbox time" in caption
