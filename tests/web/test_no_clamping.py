"""Input is never silently changed: no clamping widget bounds, and too-big values are refused."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.builders import PASSWORD, app_test, signed_in
from tests.builders.creators import load, make_creators
from ttcm.services.discovery import index_cache
from ttcm.services.shortlists import Shortlists

PROJECT = Path(__file__).resolve().parents[2]
CLAMPING = {"min_value", "max_value", "max_chars"}
LONG = '=HYPERLINK("x")<b>é😀</b>' * 40  # a pasted formula/HTML/emoji text, ~1,000 characters


def _ui_files() -> list[Path]:
    return [
        PROJECT / "app.py",
        *(PROJECT / "app_pages").glob("*.py"),
        *(PROJECT / "ttcm/web").glob("*.py"),
    ]


def test_no_widget_is_given_a_clamping_or_truncating_bound() -> None:
    found = [
        f"{path.relative_to(PROJECT)}:{node.lineno} {kw.arg}="
        for path in _ui_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg in CLAMPING
    ]
    assert found == [], "use ttcm/web/fields.py instead: " + ", ".join(found)


def _errors(at) -> str:
    return " | ".join(str(e.value) for e in at.error)


@pytest.fixture
def rows(web_store):
    index_cache.forget()
    data = make_creators(60, seed=5)
    load(web_store, data)
    return data


def _apply(at):
    [apply] = [b for b in at.button if b.label == "Apply filters"]
    return apply.click().run()


@pytest.mark.parametrize(
    ("label", "value", "shown"),
    [
        ("Followers from", -5, "from 0 to 1,000,000,000,000 (-5 now)"),
        ("Followers to", 10**15, "(1,000,000,000,000,000 now)"),
        ("Engagement % to", 150.0, "from 0 to 100 (150 now)"),
        ("Engagement % from", -0.5, "(-0.5 now)"),
        ("Price from (USD)", 1e18, "(1,000,000,000,000,000,000 now)"),
    ],
)
def test_discovery_refuses_out_of_range_numbers_and_keeps_them(
    people, rows, label, value, shown
) -> None:
    at = signed_in(people["manager"], "app_pages/discovery.py").run()
    [field] = [n for n in at.number_input if n.label.startswith(label.split(" (")[0])]
    field.set_value(value)
    at = _apply(at)
    assert not at.exception
    assert f"{field.label}: " in _errors(at) and shown in _errors(at)
    assert "Filters not applied" in _errors(at)
    assert dict(at.query_params) == {}  # nothing applied
    [again] = [n for n in at.number_input if n.label == field.label]
    assert again.value == value  # stays as typed


def test_discovery_refuses_a_pasted_long_search(people, rows) -> None:
    at = signed_in(people["manager"], "app_pages/discovery.py").run()
    [search] = [t for t in at.text_input if t.label.startswith("Search")]
    search.set_value(LONG)
    at = _apply(at)
    assert f"at most 100 characters ({len(LONG):,} now)" in _errors(at)
    assert dict(at.query_params) == {}
    assert [t for t in at.text_input if t.label.startswith("Search")][0].value == LONG


def test_shortlists_refuse_a_long_name_and_create_nothing(people, web_store) -> None:
    at = signed_in(people["manager"], "app_pages/shortlists.py").run()
    at.text_input[0].set_value(LONG)
    [create] = [b for b in at.button if b.label == "Create"]
    at = create.click().run()
    assert f"New shortlist: at most 100 characters ({len(LONG):,} now)" in _errors(at)
    assert Shortlists(web_store).all(people["manager"]) == []
    assert at.text_input[0].value == LONG


def test_creator_page_refuses_a_long_handle(people, rows) -> None:
    at = signed_in(people["viewer"], "app_pages/creator.py").run()
    at.text_input[0].set_value("a" * 101).run()
    assert "Handle: at most 100 characters (101 now)" in _errors(at)
    assert "handle" not in at.query_params


def test_admin_users_refuse_long_values_and_add_nobody(people, web_store) -> None:
    from ttcm.auth.users import Users

    before = Users(web_store).count()
    at = signed_in(people["admin"], "app_pages/admin_users.py").run()
    fields = {t.label: t for t in at.text_input}
    fields["User name"].set_value("b" * 33)
    fields["Full name"].set_value(LONG)
    fields["Initial password (12+ characters)"].set_value("p" * 201)
    [add] = [b for b in at.button if b.label == "Add user"]
    at = add.click().run()
    errors = _errors(at)
    assert "User name: at most 32 characters (33 now)" in errors
    assert "Initial password (12+ characters): at most 200 characters (201 now)" in errors
    assert "Not added." in errors
    assert not any("Added" in str(s.value) for s in at.success)
    assert Users(web_store).count() == before


def test_audit_filter_refuses_a_long_action(people) -> None:
    at = signed_in(people["admin"], "app_pages/admin_audit.py").run()
    at.text_input[0].set_value("x" * 65).run()
    assert "at most 64 characters (65 now)" in _errors(at)
    assert len(at.dataframe) == 0  # an unusable filter shows nothing, not everything


def test_sign_in_refuses_an_overlong_password_without_trying(people, web_store) -> None:
    at = app_test().run()
    fields = {t.label: t for t in at.text_input}
    fields["User name"].set_value("max")
    fields["Password"].set_value(PASSWORD + "x" * 200)
    [go] = [b for b in at.button if b.label == "Sign in"]
    at = go.click().run()
    assert "Password: at most 200 characters" in _errors(at)
    assert "ttcm_principal" not in at.session_state
