"""AppTest: the creator profile, shortlists and invitations pages."""

from __future__ import annotations

import pytest

from tests.builders import as_read, signed_in
from tests.builders.creators import NOW, load, make_creators
from ttcm.services.discovery import index_cache
from ttcm.services.shortlists import Shortlists
from ttcm.store import models as m


@pytest.fixture
def creators(web_store):
    index_cache.forget()
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
    at = signed_in(people["viewer"], "app_pages/creator.py")
    at.query_params["handle"] = handle
    at.run()
    assert not at.exception
    assert f"@{handle}" in _texts(at)
    metrics = at.dataframe[0].value
    devices = metrics[metrics["Metric"] == "Audience devices"].iloc[0]
    assert devices["Value"] == "—" and devices["Why unavailable"]
    assert len(at.dataframe) >= 2  # metrics and similar creators


def test_unsupported_account_profile_explains_the_way_out(people, creators) -> None:
    at = signed_in(people["manager"], "app_pages/creator.py")
    at.query_params["handle"] = "ghost_account"
    at.run()
    assert not at.exception
    assert any("Invite the creator to TTCM" in e.value for e in at.error)
    # hostile text is shown as text, never as HTML
    assert "<script>alert('bio')</script>" in _texts(at)
    assert not [b for b in at.button if b.label.startswith("Add @ghost_account")]


def test_unknown_handle_is_a_clear_message(people, creators) -> None:
    at = signed_in(people["viewer"], "app_pages/creator.py")
    at.query_params["handle"] = "nobody_here"
    at.run()
    assert any("No creator @nobody_here" in as_read(e.value) for e in at.error)


def _opened(store) -> dict[str, int]:
    from sqlalchemy import select

    with store.read() as conn:
        return {h: 1 for h in conn.execute(select(m.CreatorOpening.handle_name)).scalars()}


def test_opening_a_profile_queues_it_for_the_detail_fetch(people, creators, web_store) -> None:
    from sqlalchemy import select

    handle = next(r["handle_name"] for r in creators if r["is_tcm_creator"])
    at = signed_in(people["viewer"], "app_pages/creator.py")
    at.query_params["handle"] = handle
    at.run()
    assert not at.exception
    assert _opened(web_store) == {handle: 1}
    with web_store.read() as conn:
        first = conn.execute(select(m.CreatorOpening.last_opened_at)).scalar_one()
    at.run()  # a rerun of the same profile (any click) is not another opening
    with web_store.read() as conn:
        assert conn.execute(select(m.CreatorOpening.last_opened_at)).scalar_one() == first


def test_an_unknown_handle_opens_nothing(people, creators, web_store) -> None:
    at = signed_in(people["viewer"], "app_pages/creator.py")
    at.query_params["handle"] = "<b>nobody</b>"
    at.run()
    assert any("No creator @" in as_read(e.value) for e in at.error)
    assert _opened(web_store) == {}


def test_manager_adds_a_creator_to_a_new_shortlist_from_the_profile(
    people, creators, web_store
) -> None:
    handle = next(r["handle_name"] for r in creators if r["is_tcm_creator"])
    at = signed_in(people["manager"], "app_pages/creator.py")
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
    at = signed_in(people["viewer"], "app_pages/shortlists.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 3
    assert [b.label for b in at.get("download_button")] == ["Download this list (CSV)"]
    assert not [b for b in at.button if b.label.startswith("Delete the list")]  # viewer


def test_invitations_page_prechecks_and_names_failed_rules(people, creators) -> None:
    failing = next(
        r for r in creators if not r["is_tcm_creator"] and r["account_type"] == "BUSINESS"
    )
    at = signed_in(people["viewer"], "app_pages/invitations.py")
    at.query_params["handles"] = f"{failing['handle_name']}, ghost_account"
    at.run()
    assert not at.exception
    result = at.dataframe[0].value
    row = result[result["Handle"] == failing["handle_name"]].iloc[0]
    assert row["Result"] == "fails"
    assert "Business accounts cannot join TTCM" in row["Why"]
    assert "sending invitations need the manager role." in _texts(at)
    assert not [b for b in at.button if b.label.startswith("Invite")]


def test_invitations_page_refuses_a_malformed_handle(people, creators) -> None:
    at = signed_in(people["manager"], "app_pages/invitations.py")
    at.query_params["handles"] = "<b>bold</b>"
    at.run()
    assert any("Not a TikTok handle" in as_read(e.value) for e in at.error)


def test_shortlist_says_unknown_expected_views_instead_of_zero(people, web_store) -> None:
    lists = Shortlists(web_store)
    sid = lists.create(people["manager"], "Unknowns")
    with web_store.write() as conn:  # members whose creators left the cache: nothing is known
        for handle in ("left_one", "left_two"):
            conn.execute(
                m.ShortlistMember.__table__.insert().values(
                    shortlist_id=sid, handle_name=handle, added_by="max", added_at=NOW
                )
            )
    at = signed_in(people["viewer"], "app_pages/shortlists.py").run()
    assert not at.exception
    metrics = {x.label: x.value for x in at.metric}
    assert metrics["Expected views"] == "—"  # before: "0"
    assert metrics["Combined followers"] == "—"
    assert "median views unknown for 2 of 2 creators (not counted)" in _texts(at)


def test_invitations_page_never_counts_an_unknown_handle_as_sendable(people, creators) -> None:
    at = signed_in(people["manager"], "app_pages/invitations.py")
    at.query_params["handles"] = "no_such_1"
    at.run()
    assert not at.exception
    result = at.dataframe[0].value
    assert list(result["Result"]) == ["not in the cache"]  # before: "no rule fails; unknown…"
    [invite] = [b for b in at.button if b.label.startswith("Invite")]
    assert invite.label == "Invite 0 creators to TTCM" and invite.disabled
    [look] = [b for b in at.button if b.label.startswith("Look up")]
    assert look.label == "Look up 1 handle on TikTok"
    at = look.click().run()
    assert not at.exception
    result = at.dataframe[0].value
    assert list(result["Result"]) == ["no such account"]
    assert "no usable account" in result["Why"][0]
    assert not [b for b in at.button if b.label.startswith("Look up")]


def test_invitations_page_shows_already_invited_creators(people, creators, web_store) -> None:
    from ttcm.domain.eligibility import check
    from ttcm.store.timestamps import utcnow

    handle = "ready_to_join"
    row = {
        **creators[0],
        "handle_name": handle,
        "country_code": "US",
        "followers_count": 50_000,
        "is_tcm_creator": False,
        "is_authenticated": True,
        "account_type": "PERSONAL",
        "age_verified_18": True,
        "videos_last_30d": 10,
        "views_last_30d": 50_000,
        "content_rating": "13+",
    }
    assert check(row).eligible
    load(web_store, [row])
    at = signed_in(people["manager"], "app_pages/invitations.py")
    at.query_params["handles"] = handle
    at.run()
    assert list(at.dataframe[0].value["Result"]) == ["eligible"]
    with web_store.write() as conn:
        conn.execute(
            m.Invitation.__table__.insert().values(
                handle_name=handle,
                state="INVITED",
                invited_by="max",
                invited_at=NOW,
                updated_at=utcnow(),
            )
        )
    at.run()
    result = at.dataframe[0].value
    assert list(result["Result"]) == ["already invited"]  # before: "eligible"
    assert "Already invited on 2026-11-01 by max" in result["Why"][0]
    [invite] = [b for b in at.button if b.label.startswith("Invite")]
    assert invite.disabled


def test_invitations_page_refuses_too_many_handles_without_cutting(people, creators) -> None:
    at = signed_in(people["manager"], "app_pages/invitations.py")
    at.query_params["handles"] = ",".join(f"h_{i}" for i in range(1001))
    at.run()
    assert any(
        "At most 1,000 handles at a time; this list has 1,001" in as_read(e.value) for e in at.error
    )
