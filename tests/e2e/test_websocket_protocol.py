"""The app's websocket without a browser: no cookie, a forged one or another role opens nothing.

A client of Streamlit's own protocol (bench/stream_client.py, which bench/sessions.py drives)
can send any page address and any widget state; sign-in and roles must hold against it as they
do in a browser. The same client driving Discovery also keeps the load bench honest.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest
from sqlalchemy import select

from tests.e2e.conftest import PROJECT, App
from ttcm.auth.users import Users
from ttcm.config import Settings
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.web.session import issue_token

sys.path.insert(0, str(PROJECT / "bench"))
from stream_client import StreamSession  # noqa: E402


def token_for(app: App, user: str, key: str | None = None) -> str:
    """A session cookie for `user`, signed with the app's key (or another `key`)."""
    settings = Settings.load(app.env)
    store = Store.from_url(settings.database_url)
    try:  # the account as it is now (not a sign-in: the sign-in tests throttle these names)
        with store.read() as conn:
            row = conn.execute(
                select(m.User.account_id, m.User.session_version).where(m.User.username == user)
            ).one()
        principal = Users(store).current(row.account_id, row.session_version)
    finally:
        store.dispose()
    assert principal is not None
    return issue_token(principal, key or str(settings.cookie_key))


def talk(app: App, cookie: str | None, steps: Callable[[StreamSession], Awaitable[Any]]) -> Any:
    """Open one websocket session with `cookie` as the session cookie and run `steps`."""

    async def run() -> Any:
        cookies = {"ttcm_session": cookie} if cookie else {}
        session = await StreamSession.open(app.url, cookies, {}, timeout=60)
        try:
            return await steps(session)
        finally:
            await session.close()

    # a thread of its own: Playwright's sync API may already run an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_without_a_cookie_every_address_shows_only_the_sign_in_form(app: App) -> None:
    for path in ("discovery", "admin_users", "posts"):

        async def steps(s: StreamSession, path: str = path) -> tuple[list[str], set[str]]:
            run = await s.load(path)
            return run.texts, set(s.widgets)

        texts, widgets = talk(app, None, steps)
        assert {"User name", "Password", "Sign in"} <= widgets, path
        assert not any("match" in t or "Signed in as" in t for t in texts), (path, texts)


@pytest.mark.parametrize(
    "forge",
    [
        lambda app: token_for(app, "admin", key="another-key-" + "x" * 40),  # not our key
        lambda app: jwt.encode({"typ": "session", "aid": "admin", "sv": 1}, "k" * 48),  # no exp
        lambda app: "not a token at all",
    ],
    ids=["foreign key", "forged claims", "garbage"],
)
def test_a_forged_cookie_signs_nobody_in(app: App, forge: Callable[[App], str]) -> None:
    async def steps(s: StreamSession) -> set[str]:
        await s.load("admin_users")
        return set(s.widgets)

    assert {"User name", "Password"} <= talk(app, forge(app), steps)


def test_a_manager_cookie_opens_no_admin_page_whatever_the_address(app: App) -> None:
    cookie = token_for(app, "manny")

    async def steps(s: StreamSession) -> list[str]:
        return (await s.load("admin_users")).texts

    texts = talk(app, cookie, steps)
    assert "Signed in as manny · manager" in texts and "Users" in texts  # signed in, refused
    assert any("needs the admin role; your role is manager" in t for t in texts), texts
    assert not any("Add a user" in t for t in texts)


def test_a_signed_in_client_drives_discovery_as_the_load_bench_does(app: App) -> None:
    cookie = token_for(app, "manny")

    async def steps(s: StreamSession) -> tuple[list[str], list[str], list[str]]:
        first = await s.load("discovery")
        applied = await s.click("Apply filters", **{"Followers from": 10_000})
        turned = await s.click("Next →")
        return first.texts, applied.texts, turned.texts

    first, applied, turned = talk(app, cookie, steps)
    count = next(t for t in first if t.endswith(("creators match", "creator matches")))
    filtered = next(t for t in applied if t.endswith(("creators match", "creator matches")))
    assert filtered != count  # the minimum took effect
    assert any(t.startswith("Page 2 of ") for t in turned), turned
