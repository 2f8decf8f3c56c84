"""Builders shared by the test suite: principals, people in a store, AppTests of the app's pages.

Fixtures (tests/conftest.py, tests/web/conftest.py) build on these; test files import them from
here, never from another test file or a conftest. What belongs to one domain concept has a module
of its own beside this one: creators, discovery, posts, performance, campaigns, spark, sandbox, cli.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest.mock import patch

from streamlit.testing.v1 import AppTest

from ttcm.auth import SYSTEM, Principal
from ttcm.auth.passwords import hash_password
from ttcm.auth.users import Users
from ttcm.domain.formula import HOW
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.timestamps import utcnow

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
# who acts in service tests (no user row needed: services check the role, not the store)
ADMIN = Principal("ada", "Ada", "admin")
MANAGER = Principal("max", "Max", "manager")
VIEWER = Principal("val", "Val", "viewer")
PEOPLE = {"admin": ADMIN, "manager": MANAGER, "viewer": VIEWER}


_HASHES: dict[str, str] = {}


def _hash_once(password: str) -> str:
    """The real bcrypt hash of `password`, made once a test run (each costs ~0.25 s)."""
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


def add_people(store: Store) -> dict[str, Principal]:
    """An admin (ada), a manager (max) and a viewer (val) who can sign in, by role."""
    users = Users(store)
    with patch("ttcm.auth.users.hash_password", _hash_once):  # same hash, still checked for real
        return {
            role: users.add(SYSTEM, p.username, PASSWORD, role=role, name=p.name)
            for role, p in PEOPLE.items()
        }


def add_campaign(store: Store, name: str) -> int:
    """A campaign row with only its name (as a refresh caches one); returns its row id."""
    now = utcnow()
    with store.write() as conn:
        pk = conn.execute(
            table_of(m.Campaign)
            .insert()
            .values(campaign_name=name, created_at=now, updated_at=now)
            .returning(m.Campaign.id)
        ).scalar_one()
    return int(pk)


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
    return re.sub(r"\\(.)", r"\1", str(text))


def how_lines(at: AppTest) -> list[str]:
    """The lines of the page's "ⓘ how is this computed" expanders, as the reader sees them."""
    found = [e for e in at.expander if e.label == HOW]
    assert found, [e.label for e in at.expander]
    return [as_read(md.value) for e in found for md in e.markdown]
