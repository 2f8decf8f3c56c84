"""The Inbox page under AppTest: unread first, mark read (per user), campaign filter, plain text."""

from __future__ import annotations

import pytest

from tests.builders import as_read, signed_in
from tests.services import board_builders as b
from ttcm.auth import SYSTEM
from ttcm.services.alerts import Alerts

PAGE = "app_pages/inbox.py"
HOSTILE = "<img src=x onerror=alert(1)> **bold** [l](http://e.vil) :red[x] $y$ 🎉"


@pytest.fixture
def seeded(web_store) -> dict[str, int]:
    spring, autumn = b.campaign(web_store, "Spring"), b.campaign(web_store, "Autumn")
    b.post(web_store, "21", HOSTILE, spring)
    b.order(web_store, "o-1", "ben", autumn, status="DECLINED", decline_reason="**Too** busy")
    b.invitation(web_store, "cat", "JOINED")
    Alerts(web_store, now=lambda: b.NOW).derive(SYSTEM)
    return {"spring": spring, "autumn": autumn}


def cards(at) -> list[str]:
    # as the reader sees it: escapes resolved, the invisible joiner that defuses autolinks gone
    return [as_read(md.value).replace("\u2060", "") for md in at.markdown]


def test_alerts_are_listed_as_plain_text_unread_first(people, seeded) -> None:
    at = signed_in(people["viewer"], PAGE).run()
    assert not at.exception
    shown = cards(at)
    assert len(shown) == 3 and all(s.startswith("● ") for s in shown)
    assert f"● **Post published** · @{HOSTILE} published post 21." in shown
    assert "● **Order declined** · @ben declined order o-1: **Too** busy" in shown
    assert "3 unread of 3 alerts" in [c.value for c in at.caption]
    # hostile text is escaped, so Markdown shows it literally
    raw = next(md.value for md in at.markdown if "21" in md.value)
    assert "\\*\\*bold\\*\\*" in raw and "\\<img" in raw


def test_mark_read_moves_an_alert_last_for_that_user_only(people, seeded) -> None:
    at = signed_in(people["viewer"], PAGE).run()
    first = cards(at)[0]
    read_buttons = [bt for bt in at.button if bt.label == "Mark read"]
    read_buttons[0].click().run()
    after = cards(at)
    assert after[-1] == "○" + first[1:]
    assert "2 unread of 3 alerts" in [c.value for c in at.caption]
    other = signed_in(people["manager"], PAGE).run()
    assert "3 unread of 3 alerts" in [c.value for c in other.caption]


def test_campaign_filter_and_mark_all_read(people, seeded) -> None:
    at = signed_in(people["manager"], PAGE).run()
    at.selectbox(key="inbox_campaign").set_value(seeded["autumn"]).run()
    assert cards(at) == ["● **Order declined** · @ben declined order o-1: **Too** busy"]
    next(bt for bt in at.button if bt.label == "Mark all read").click().run()
    assert "0 unread of 1 alert" in [c.value for c in at.caption]
    at.selectbox(key="inbox_campaign").set_value(None).run()
    assert "2 unread of 3 alerts" in [c.value for c in at.caption]
    at.toggle(key="inbox_unread_only").set_value(True).run()
    assert len(cards(at)) == 2


def test_an_empty_inbox_says_why(people, web_store) -> None:
    at = signed_in(people["viewer"], PAGE).run()
    assert "appear after a refresh" in at.info[0].value


def test_the_sidebar_counts_unread_alerts(people, seeded) -> None:
    at = signed_in(people["viewer"]).run()
    assert "Inbox: 3 unread alerts" in [t.value for t in at.sidebar.text]


def test_show_more_draws_the_next_cards(people, web_store) -> None:
    pk = b.campaign(web_store, "Big")
    for k in range(30):
        b.post(web_store, f"9{k:03d}", f"c{k}", pk)
    Alerts(web_store, now=lambda: b.NOW).derive(SYSTEM)
    at = signed_in(people["viewer"], PAGE).run()
    assert len(cards(at)) == 25
    assert "30 unread of 30 alerts · showing the first 25" in [c.value for c in at.caption]
    next(bt for bt in at.button if bt.label == "Show more").click().run()
    assert len(cards(at)) == 30 and not [bt for bt in at.button if bt.label == "Show more"]
