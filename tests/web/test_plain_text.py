"""Every text from TikTok, the URL or a person is shown as plain text on every page (issue 12, 6-7).

Hostile Markdown and HTML is fed to every place a page shows text; every string the page hands
Streamlit to render as Markdown (bodies, labels, tooltips) must show it literally.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.builders import signed_in
from tests.builders.creators import load, make_creators
from ttcm.services.discovery import index_cache
from ttcm.services.shortlists import Shortlists
from ttcm.store import models as m
from ttcm.web.text import plain, plain_line, plain_list

NOW = datetime(2026, 1, 5, tzinfo=UTC)
PAYLOADS = (
    "[PWN link](http://evil.example/x)",
    "![PWN](http://evil.example/p.png)",
    ":red[PWN]",
    "$PWN$",
    "**PWN**",
    "<img src=x onerror=PWN>",
)
HOSTILE = " ".join(PAYLOADS)
SHORT = "[PWN](http://e.x) **PWN** :red[PWN] $PWN$"  # fits 60-character fields
# what Markdown would turn into markup once escaped characters are taken out
_MARKUP = (
    re.compile(r"\]\("),  # a link or an image
    re.compile(r":[a-z]+\["),  # a colour / badge directive
    re.compile(r"\$"),  # maths
    re.compile(r"\*\*PWN|__PWN"),  # bold (the page's own bold around a value is fine)
    re.compile(r"<[a-z/]"),  # HTML
)
# GFM links these after escapes are resolved, so they are checked on the text as read
_AUTOLINKS = re.compile(r"(?i)https?://|\bwww\.|[-.\w+]@[-\w]")


def markup_problems(source: str) -> list[str]:
    """Why `source` (Markdown holding hostile text) would not show that text literally."""
    if "PWN" not in source:
        return []
    problems = [f"raw payload {p!r}" for p in PAYLOADS if p in source]
    bare = re.sub(r"\\.", "·", source)
    problems += [f"markup {rx.pattern!r}" for rx in _MARKUP if rx.search(bare)]
    if _AUTOLINKS.search(re.sub(r"\\(.)", r"\1", source)):
        problems.append("an autolink")
    return problems


PLAIN_ELEMENTS = ("Text", "Code", "Json", "Arrow")  # shown as-is, never as Markdown


def _strings(message, out: list[str]) -> None:
    if message.DESCRIPTOR.name in PLAIN_ELEMENTS:
        return
    for desc, value in message.ListFields():
        repeated = getattr(desc, "is_repeated", None)
        if repeated is None:
            repeated = desc.label == desc.LABEL_REPEATED
        if desc.type == desc.TYPE_MESSAGE:
            for item in value if repeated else [value]:
                _strings(item, out)
        elif desc.type == desc.TYPE_STRING and desc.name in ("body", "label", "help"):
            out.extend(value if repeated else [value])


def rendered(at) -> list[str]:
    """Every Markdown source the run handed to the browser (bodies, labels, tooltips)."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            _strings(proto, out)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def assert_plain(at) -> None:
    """No exception, the hostile text is on the page, and nowhere as markup."""
    assert not at.exception, [e.value for e in at.exception]
    texts = rendered(at)
    bad = {t: markup_problems(t) for t in texts if markup_problems(t)}
    assert not bad, bad


# ---------------------------------------------------------------- the helper itself


@pytest.mark.parametrize("payload", [*PAYLOADS, HOSTILE, "a\\b", "*x* _y_ `z` # h", "1. x", "> q"])
def test_plain_escapes_every_markup_start(payload) -> None:
    assert markup_problems(plain(payload)) == [] or "PWN" not in payload
    shown = re.sub(r"\\(.)", r"\1", plain(payload)).replace("\u2060", "")
    assert shown == payload  # shown character for character (an invisible joiner breaks links)


def test_plain_line_and_list() -> None:
    assert plain_line("a\nb\r\nc") == "a b c"
    assert plain_list(["**a**", "b"]) == r"\*\*a\*\*, b"
    assert plain(None) == ""


def test_the_checker_sees_markup() -> None:
    for payload in PAYLOADS:
        assert markup_problems(f"x {payload}")
    assert markup_problems(r"PWN http\:\/\/evil\.example") == ["an autolink"]
    assert markup_problems(r"PWN www\.evil\.example") == ["an autolink"]
    assert markup_problems(r"PWN eve\@evil\.example") == ["an autolink"]
    for text in ("PWN http://e.x", "PWN www.e.x", "PWN a@b.co"):
        assert markup_problems(plain(text)) == []
    assert markup_problems(r"\*\*PWN\*\* \:red\[PWN\]") == []


# ---------------------------------------------------------------- every page


@pytest.fixture
def hostile_creators(web_store):
    index_cache.forget()
    rows = make_creators(40, seed=3)
    for r in rows[:10]:
        r["display_name"] = HOSTILE
        r["bio"] = HOSTILE
    load(web_store, rows)
    return rows


@pytest.fixture
def hostile_lists(web_store, people, hostile_creators) -> Shortlists:
    lists = Shortlists(web_store)
    sid = lists.create(people["manager"], HOSTILE[:100])
    lists.add(people["manager"], sid, [r["handle_name"] for r in hostile_creators[:5]])
    lists.annotate(
        people["manager"],
        sid,
        hostile_creators[0]["handle_name"],
        tags=["[PWN](http://e.x) **PWN**"],
        note=HOSTILE,
    )
    return lists


def test_sidebar_shows_the_full_name_as_text(web_store, people) -> None:
    from ttcm.auth import SYSTEM
    from ttcm.auth.users import Users

    person = Users(web_store).add(SYSTEM, "eve", "correct horse battery staple", role="viewer",
                                  name=HOSTILE)  # fmt: skip
    at = signed_in(person).run()
    assert_plain(at)
    # st.text: shown as typed, never read as Markdown
    assert any(HOSTILE in t.value for t in at.sidebar.text)


@pytest.mark.parametrize("handle", [HOSTILE, "[Your session expired](http://evil.example/x)"])
def test_creator_url_handle_is_text(people, hostile_creators, handle) -> None:
    at = signed_in(people["viewer"], "app_pages/creator.py")
    at.query_params["handle"] = handle + " PWN"
    assert_plain(at.run())


def test_creator_profile_shows_display_name_and_lists_as_text(
    people, hostile_creators, hostile_lists
) -> None:
    at = signed_in(people["manager"], "app_pages/creator.py")
    at.query_params["handle"] = hostile_creators[0]["handle_name"]
    at.run()
    assert_plain(at)
    assert any("PWN" in t for t in rendered(at))


@pytest.mark.parametrize("key", ["lang", "label", "country", "state", "aud", "cur", "q", "sort",
                                 "gender", "age", "fmin", "tcm", "page"])  # fmt: skip
def test_discovery_url_values_are_text(people, hostile_creators, key) -> None:
    at = signed_in(people["viewer"], "app_pages/discovery.py")
    at.query_params[key] = SHORT
    assert_plain(at.run())


def test_discovery_results_and_selection_are_text(people, hostile_creators, hostile_lists) -> None:
    at = signed_in(people["manager"], "app_pages/discovery.py").run()
    assert_plain(at)


def test_shortlists_page_shows_names_tags_and_notes_as_text(people, hostile_lists) -> None:
    at = signed_in(people["manager"], "app_pages/shortlists.py").run()
    assert_plain(at)
    assert any("PWN" in t for t in rendered(at))


def test_invitations_echo_handles_as_text(people, hostile_creators) -> None:
    at = signed_in(people["manager"], "app_pages/invitations.py")
    at.query_params["handles"] = HOSTILE
    assert_plain(at.run())


def test_admin_pages_show_people_and_errors_as_text(web_store, people) -> None:
    from ttcm.auth.users import Users

    Users(web_store).add(people["admin"], "mallory", "correct horse battery staple",
                         role="viewer", name=HOSTILE)  # fmt: skip
    with web_store.write() as conn:
        conn.execute(
            m.ResourceStatus.__table__.insert(),
            [{"resource": "creators", "last_error": HOSTILE}],
        )
    for page in ("app.py", "app_pages/admin_users.py", "app_pages/admin_audit.py",
                 "app_pages/admin_refresh.py", "app_pages/invitations.py"):  # fmt: skip
        assert_plain(signed_in(people["admin"], page).run())


@pytest.mark.parametrize("page", ["app_pages/campaigns.py", "app_pages/posts.py"])
def test_campaign_links_with_hostile_values_are_text(people, web_store, page) -> None:
    at = signed_in(people["manager"], page)
    at.query_params["campaign"] = SHORT
    assert_plain(at.run())


@pytest.fixture
def hostile_campaign(web_env, web_store, people) -> int:
    from ttcm.config import Settings
    from ttcm.runtime import make_client
    from ttcm.sandbox import shared_app
    from ttcm.services.campaigns.service import Campaigns
    from ttcm.services.campaigns.settings import CampaignInput

    s = Settings.load()
    shared_app(s.sandbox_creators, s.sandbox_seed, state_path=s.sandbox_state)
    made = Campaigns(web_store, lambda: make_client(s)).create(
        people["manager"],
        CampaignInput(
            SHORT,
            "**PWN** :red[PWN]",
            "[PWN](http://e.x) $PWN$",
            goals=HOSTILE,
            brief_content=HOSTILE,
            payment_terms=HOSTILE,
        ),  # fmt: skip
    )
    return made.pk


@pytest.mark.parametrize("page", ["app_pages/campaigns.py", "app_pages/posts.py"])
def test_campaign_texts_are_text(people, hostile_campaign, page) -> None:
    at = signed_in(people["manager"], page)
    at.query_params["campaign"] = str(hostile_campaign)
    assert_plain(at.run())


def test_a_wrong_campaign_link_says_so_on_campaigns(people, hostile_campaign) -> None:
    at = signed_in(people["manager"], "app_pages/campaigns.py")
    at.query_params["campaign"] = "9999"
    at.run()
    assert not at.exception
    assert any("There is no campaign “9999”" in w.value.replace("\\", "") for w in at.warning)
