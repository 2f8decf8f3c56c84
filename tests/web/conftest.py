"""AppTest fixtures: the app pointed at a temporary database with known users."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.builders import add_people
from ttcm.auth import Principal
from ttcm.store import Store


@pytest.fixture
def web_env(monkeypatch, sqlite_url, tmp_path, migrated_sqlite) -> str:
    """Point the app at a fresh database (a copy of the migrated one) and a test cookie key."""
    shutil.copyfile(migrated_sqlite, sqlite_url.removeprefix("sqlite:///"))
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
    """An admin, a manager and a viewer who can sign in."""
    return add_people(web_store)
