"""The sign-in gate under AppTest: nothing renders for an anonymous or revoked session."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.builders import PASSWORD, PROJECT, app_test, signed_in
from ttcm.auth import SYSTEM
from ttcm.auth.users import Users

PAGES = sorted(p.relative_to(PROJECT).as_posix() for p in (PROJECT / "app_pages").glob("*.py"))
assert len(PAGES) >= 10, "the page scripts moved: point PAGES at their folder"


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title]
    parts += [str(e.value) for e in at.error] + [str(w.value) for w in at.warning]
    parts += [str(i.value) for i in at.info]
    return "\n".join(parts)


def test_fresh_install_explains_how_to_create_the_first_admin(web_store) -> None:
    at = app_test().run()
    assert not at.exception
    assert "ttcm users add" in _texts(at) and "--role admin" in _texts(at)
    assert len(at.text_input) == 0  # no form: nobody could sign in anyway


def test_anonymous_session_sees_only_the_sign_in_form(people) -> None:
    at = app_test().run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert len(at.dataframe) == 0 and len(at.metric) == 0
    assert "Signed in as" not in _texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_alone_without_sign_in_shows_only_the_sign_in_form(people, page: str) -> None:
    at = app_test(page).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert len(at.dataframe) == 0 and len(at.metric) == 0 and len(at.get("plotly_chart")) == 0


@pytest.mark.parametrize("page", PAGES)
def test_every_page_checks_sign_in_before_anything_else(page: str) -> None:
    """Statically: after the docstring, a page imports the gate and calls it, nothing before.

    The gate is `page_context` (which checks sign-in and the role first) or `page_principal`."""
    tree = ast.parse((PROJECT / page).read_text(encoding="utf-8"))
    body = [
        n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))
    ]
    first, second = body[0], body[1]
    gates = {"ttcm.web.session": "page_principal", "ttcm.web.context": "page_context"}
    assert isinstance(first, ast.ImportFrom) and first.module in gates
    call = second.value if isinstance(second, ast.Assign | ast.Expr) else None
    assert isinstance(call, ast.Call) and getattr(call.func, "id", None) == gates[first.module]


def test_wrong_password_is_refused_with_one_message(people) -> None:
    at = app_test().run()
    at.text_input[0].input("ada")
    at.text_input[1].input("not the password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    assert "ttcm_auth" not in at.session_state


def test_sign_in_through_the_form(people) -> None:
    at = app_test().run()
    at.text_input[0].input("ADA")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["ttcm_auth"] == (
        people["admin"].account_id,
        people["admin"].session_version,
    )


def test_a_revoked_session_falls_back_to_the_sign_in_form(people, web_store) -> None:
    at = signed_in(people["manager"])
    at.run()
    assert "ttcm_principal" in at.session_state
    Users(web_store).set_role(SYSTEM, "max", "viewer")  # bumps the session version
    at.run()
    assert "ttcm_principal" not in at.session_state
    assert "Your session ended" in _texts(at)
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert len(at.metric) == 0 and len(at.dataframe) == 0


@pytest.mark.parametrize("page", ["app_pages/admin_users.py", "app_pages/admin_audit.py"])
def test_a_viewer_running_an_admin_page_gets_only_an_error(people, page: str) -> None:
    at = signed_in(people["viewer"], page).run()
    assert not at.exception
    assert any("needs the admin role" in e.value for e in at.error)
    assert len(at.dataframe) == 0 and len(at.text_input) == 0


def test_admin_pages_render_for_an_admin(people) -> None:
    at = signed_in(people["admin"], "app_pages/admin_users.py").run()
    assert not at.exception
    assert len(at.dataframe) == 1
    at = signed_in(people["admin"], "app_pages/admin_audit.py").run()
    assert not at.exception and len(at.dataframe) == 1


def test_admin_adds_a_hostile_user_name_and_gets_a_clear_message(people, web_store) -> None:
    at = signed_in(people["admin"], "app_pages/admin_users.py").run()
    at.text_input[0].input("<img src=x onerror=alert(1)>")
    at.text_input[2].input(PASSWORD)
    at.button[0].click().run()
    assert any("User names are" in e.value for e in at.error)
    assert Users(web_store).count() == 3


def test_page_files_exist() -> None:
    assert PAGES and all(Path(PROJECT / p).is_file() for p in PAGES)


def test_sidebar_shows_the_full_name_as_plain_text(web_store) -> None:
    hostile = "**Bold** [click](http://evil.example) :red[x] <b>hi</b>"
    who = Users(web_store).add(SYSTEM, "zed", PASSWORD, role="viewer", name=hostile)
    at = signed_in(who).run()
    assert not at.exception
    assert any(hostile in t.value for t in at.sidebar.text)
    assert not any("evil.example" in md.value for md in at.sidebar.markdown)


# ---------------------------------------------------------------- the Users page


def _change(at, user: str, role: str | None = None, password: str = "", remove: bool = False):
    form = [s for s in at.selectbox if s.label == "User"][0]
    form.select(user)
    if role is not None:
        [s for s in at.selectbox if s.label == "New role"][0].select(role)
    [t for t in at.text_input if t.label == "New password (optional)"][0].input(password)
    if remove:
        [c for c in at.checkbox if c.label == "Remove this user"][0].check()
    [b for b in at.button if b.label == "Apply"][0].click().run()
    return at


def test_a_password_reset_on_the_page_never_changes_the_role(people, web_store) -> None:
    at = signed_in(people["admin"], "app_pages/admin_users.py").run()
    _change(at, "ada", password="a brand new password")
    assert not at.error, [e.value for e in at.error]
    assert any("password was reset" in s.value for s in at.success)
    roles = {u["username"]: u["role"] for u in Users(web_store).list(SYSTEM)}
    assert roles == {"ada": "admin", "max": "manager", "val": "viewer"}


def test_the_page_refuses_to_demote_or_remove_the_only_admin(people, web_store) -> None:
    at = signed_in(people["admin"], "app_pages/admin_users.py").run()
    _change(at, "ada", role="viewer")
    assert any("only admin" in e.value for e in at.error)
    at = signed_in(people["admin"], "app_pages/admin_users.py").run()
    _change(at, "ada", remove=True)
    assert any("only admin" in e.value for e in at.error)
    roles = {u["username"]: u["role"] for u in Users(web_store).list(SYSTEM)}
    assert roles["ada"] == "admin"


def test_the_page_changes_a_role_alone(people, web_store) -> None:
    at = signed_in(people["admin"], "app_pages/admin_users.py").run()
    _change(at, "val", role="manager")
    assert any("role is now manager" in s.value for s in at.success)
    roles = {u["username"]: u["role"] for u in Users(web_store).list(SYSTEM)}
    assert roles["val"] == "manager"
