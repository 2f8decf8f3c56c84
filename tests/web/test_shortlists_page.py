"""AppTest: Shortlists reads as people expect (issue 11)."""

from __future__ import annotations

from tests.builders import as_read, signed_in
from ttcm.services.shortlists import Shortlists
from ttcm.store import Store


def _successes(at) -> list[str]:
    return [as_read(s.value) for s in at.success]


def _create(at, name: str):
    [field] = [t for t in at.text_input if t.label == "New shortlist"]
    field.input(name)
    [create] = [b for b in at.button if b.label == "Create"]
    return create.click().run()


def test_a_created_shortlist_is_selected_and_confirmed(people, web_store: Store) -> None:
    Shortlists(web_store).create(people["manager"], "Alpha")
    at = signed_in(people["manager"], "app_pages/shortlists.py").run()
    assert at.selectbox[0].value is not None
    at = _create(at, "Zulu <b>beauty</b>")
    assert not at.exception
    assert any("Created the shortlist “Zulu <b>beauty</b>”" in s for s in _successes(at))
    assert [t.value for t in at.text_input if t.label == "New shortlist"] == [""]
    chosen = at.selectbox(key="shortlist_pick")
    assert chosen.format_func(chosen.value).startswith("Zulu <b>beauty</b>")
    at.run()  # the confirmation is shown once; the selection stays
    assert not at.success
    assert chosen.format_func(at.selectbox(key="shortlist_pick").value).startswith("Zulu")


def test_a_refused_name_stays_and_nothing_is_created(people, web_store: Store) -> None:
    Shortlists(web_store).create(people["manager"], "Alpha")
    at = _create(signed_in(people["manager"], "app_pages/shortlists.py").run(), "alpha")
    assert any("already exists" in as_read(e.value) for e in at.error)
    assert [s.name for s in Shortlists(web_store).all(people["manager"])] == ["Alpha"]


def test_deleting_a_list_asks_first_and_says_what_it_did(people, web_store: Store) -> None:
    Shortlists(web_store).create(people["manager"], "Alpha")
    at = signed_in(people["manager"], "app_pages/shortlists.py").run()
    assert Shortlists(web_store).all(people["manager"])  # rendering the page deleted nothing
    [yes] = [b for b in at.button if b.label == "Yes, delete the list"]
    at = yes.click().run()
    assert not at.exception
    assert any("Deleted the shortlist “Alpha”" in s for s in _successes(at))
    assert Shortlists(web_store).all(people["manager"]) == []


def test_a_viewer_sees_lists_without_write_controls(people, web_store: Store) -> None:
    Shortlists(web_store).create(people["manager"], "Alpha")
    at = signed_in(people["viewer"], "app_pages/shortlists.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.label in ("Create", "Yes, delete the list")]
