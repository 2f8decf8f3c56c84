"""AppTest: the creator profile, shortlists and invitations pages."""

from __future__ import annotations

import pytest

from tests.services.test_discovery import NOW, load, make_creators
from tests.web.conftest import as_read, signed_in
from ttcm.services import creator_index
from ttcm.services.shortlists import Shortlists
from ttcm.store import models as m


@pytest.fixture
def creators(web_store):
    creator_index.forget()
    rows = make_creators(120, seed=8)
    rows.append(
        {
            "handle_name": "ghost_account",
            "display_name": "<img src=x onerror=alert(1)>",
            "bio": "<script>alert('bio')</script>",
            "is_tcm_creator": False,
            "is_authenticated": False,
            "source": m.API_SOURCE,
            "first_seen_at": NOW,
            "fetched_at": NOW,
        }
    )
    load(web_store, rows)
    return rows


def _texts(at) -> str:
    parts = (
        [x.value for x in at.markdown] + [x.value for x in at.title] + [x.value for x in at.caption]
    )
    parts += [str(x.value) for x in at.error] + [str(x.value) for x in at.warning]
    parts += [str(x.value) for x in at.info] + [str(x.value) for x in at.success]
    parts += [x.value for x in at.get("text")]
    return as_read("\n".join(parts))


def test_profile_shows_metrics_with_reasons_and_similar_creators(people, creators) -> None:
    handle = next(r["handle_name"] for r in creators if r["is_tcm_creator"])
    at = signed_in(people["viewer"], "pages/creator.py")
    at.query_params["handle"] = handle
    at.run()
    assert not at.exception
    assert f"@{handle}" in _texts(at)
    metrics = at.dataframe[0].value
    devices = metrics[metrics["Metric"] == "Audience devices"].iloc[0]
    assert devices["Value"] == "unavailable" and devices["Why unavailable"]
    assert len(at.dataframe) >= 2  # metrics and similar creators


def test_unsupported_account_profile_explains_the_way_out(people, creators) -> None:
    at = signed_in(people["manager"], "pages/creator.py")
    at.query_params["handle"] = "ghost_account"
    at.run()
    assert not at.exception
    assert any("Invite the creator to TTCM" in e.value for e in at.error)
    # hostile text is shown as text, never as HTML
    assert "<script>alert('bio')</script>" in _texts(at)
    assert not [b for b in at.button if b.label.startswith("Add @ghost_account")]


def test_unknown_handle_is_a_clear_message(people, creators) -> None:
    at = signed_in(people["viewer"], "pages/creator.py")
    at.query_params["handle"] = "nobody_here"
    at.run()
    assert any("No creator @nobody_here" in as_read(e.value) for e in at.error)


def test_manager_adds_a_creator_to_a_new_shortlist_from_the_profile(
    people, creators, web_store
) -> None:
    handle = next(r["handle_name"] for r in creators if r["is_tcm_creator"])
    at = signed_in(people["manager"], "pages/creator.py")
    at.query_params["handle"] = handle
    at.run()
    [name] = [t for t in at.text_input if t.label == "New shortlist name"]
    name.input("From profile")
    [add] = [b for b in at.button if as_read(b.label) == f"Add @{handle} to shortlist"]
    add.click().run()
    assert "Added to From profile." in _texts(at)
    lists = Shortlists(web_store).all(people["manager"])
    assert [(s.name, s.size) for s in lists] == [("From profile", 1)]


def test_shortlists_page_lists_members_and_offers_csv(people, creators, web_store) -> None:
    lists = Shortlists(web_store)
    sid = lists.create(people["manager"], "Q1")
    lists.add(people["manager"], sid, [r["handle_name"] for r in creators[:3]])
    at = signed_in(people["viewer"], "pages/shortlists.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 3
    assert [b.label for b in at.get("download_button")] == ["Download this list (CSV)"]
    assert not [b for b in at.button if b.label.startswith("Delete the list")]  # viewer


def test_invitations_page_prechecks_and_names_failed_rules(people, creators) -> None:
    failing = next(
        r for r in creators if not r["is_tcm_creator"] and r["account_type"] == "BUSINESS"
    )
    at = signed_in(people["viewer"], "pages/invitations.py")
    at.query_params["handles"] = f"{failing['handle_name']}, ghost_account"
    at.run()
    assert not at.exception
    result = at.dataframe[0].value
    row = result[result["Handle"] == failing["handle_name"]].iloc[0]
    assert "Business accounts cannot join TTCM" in row["Result"]
    assert "Sending invitations needs the manager role." in _texts(at)
    assert not [b for b in at.button if b.label.startswith("Invite")]


def test_invitations_page_refuses_a_malformed_handle(people, creators) -> None:
    at = signed_in(people["manager"], "pages/invitations.py")
    at.query_params["handles"] = "<b>bold</b>"
    at.run()
    assert any("Not a TikTok handle" in as_read(e.value) for e in at.error)
