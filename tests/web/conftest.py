"""AppTest fixtures: the app pointed at a temporary database with known users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ttcm.auth import SYSTEM, Principal
from ttcm.auth.users import Users
from ttcm.store import Store

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def web_env(monkeypatch, sqlite_url, tmp_path) -> str:
    """Point the app at a fresh database and a test cookie key."""
    monkeypatch.setenv("TTCM_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("TTCM_COOKIE_KEY", "apptest-4Vq9zL2xR7mN0pT5wY8bC3dF6gH1jK-sU_eA")
    monkeypatch.setenv("TTCM_SANDBOX_STATE", str(tmp_path / "sandbox_state.json"))
    monkeypatch.setenv("TTCM_SANDBOX_CREATORS", "800")
    return sqlite_url


@pytest.fixture
def web_store(web_env) -> Iterator[Store]:
    """The migrated store the app will use."""
    from ttcm.config import Settings
    from ttcm.runtime import shared_store

    yield shared_store(Settings.load())


@pytest.fixture
def people(web_store) -> dict[str, Principal]:
    """An admin, a manager and a viewer."""
    users = Users(web_store)
    return {
        role: users.add(SYSTEM, name, PASSWORD, role=role)
        for name, role in (("ada", "admin"), ("max", "manager"), ("val", "viewer"))
    }


def app_test(path: str = "app.py") -> AppTest:
    """An AppTest of a script in the project."""
    return AppTest.from_file(str(PROJECT / path), default_timeout=60)


def signed_in(principal: Principal, path: str = "app.py") -> AppTest:
    """An AppTest whose session is already signed in as `principal`."""
    at = app_test(path)
    at.session_state["ttcm_auth"] = (principal.account_id, principal.session_version)
    at.session_state["ttcm_principal"] = principal
    return at


def as_read(text: object) -> str:
    """Markdown from a page as the reader sees it (data is shown with backslash escapes)."""
    import re

    return re.sub(r"\\(.)", r"\1", str(text))
