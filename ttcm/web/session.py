"""Streamlit glue for sign-in: the gate every run passes, the sign-in form, sign-out.

The session cookie is an HS256 JWT naming the user and the session version it was issued for;
it is read server-side from `st.context.cookies` and written by the same cookie component
streamlit-authenticator uses. Each run re-checks the version against the store, so signing out
or a role change ends every session of that user at once.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import streamlit as st

from ttcm import rules
from ttcm.auth import (
    AuthError,
    PermissionDenied,
    Principal,
    Users,
    cookie_key,
    require,
)
from ttcm.config import Settings
from ttcm.runtime import shared_store

_STATE = "ttcm_auth"  # (username, session_version) of the signed-in user in this session
_PRINCIPAL = "ttcm_principal"
_NOTICE = "ttcm_auth_notice"
_COOKIE_OUT = "ttcm_cookie_out"  # ("set", token) or ("delete", None): done by the next run


def _cookie_cfg() -> dict[str, Any]:
    return rules.load("roles")["cookie"]


def _users(settings: Settings) -> Users:
    return Users(shared_store(settings))


def _client_key() -> str:
    ip = getattr(st.context, "ip_address", None)
    return ip or "unknown-client"


def _cookie_manager():  # type: ignore[no-untyped-def]
    import extra_streamlit_components as stx

    return stx.CookieManager(key="ttcm_cookie_manager")


def issue_token(principal: Principal, key: str, now: datetime | None = None) -> str:
    """A signed session token for `principal`."""
    now = now or datetime.now(UTC)
    exp = now + timedelta(days=_cookie_cfg()["expiry_days"])
    payload = {"sub": principal.username, "sv": principal.session_version, "exp": exp}
    return jwt.encode(payload, key, algorithm="HS256")


def read_token(token: str | None, key: str) -> tuple[str, int] | None:
    """(username, session_version) from a valid, unexpired token; None otherwise."""
    if not token:
        return None
    try:
        data = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
    sub, sv = data.get("sub"), data.get("sv")
    if not isinstance(sub, str) or not isinstance(sv, int):
        return None
    return sub, sv


def _forget(notice: str | None = None) -> None:
    for name in (_STATE, _PRINCIPAL, _COOKIE_OUT):
        st.session_state.pop(name, None)
    if notice:
        st.session_state[_NOTICE] = notice


def current_principal(settings: Settings) -> Principal | None:
    """The signed-in principal of this session (checked against the store on every run)."""
    users = _users(settings)
    state = st.session_state.get(_STATE)
    if state:
        principal = users.current(*state)
        if principal is None:
            _forget("Your session ended (signed out, or your role changed). Please sign in again.")
            return None
        st.session_state[_PRINCIPAL] = principal
        return principal
    name = _cookie_cfg()["name"]
    claim = read_token(st.context.cookies.get(name), cookie_key(settings))
    if claim is None:
        return None
    principal = users.current(*claim)
    if principal is None:
        return None
    st.session_state[_STATE] = (principal.username, principal.session_version)
    st.session_state[_PRINCIPAL] = principal
    return principal


def sign_in_page(settings: Settings) -> None:
    """Render only the sign-in form (or how to create the first admin), then stop the run."""
    users = _users(settings)
    st.title("ttcm")
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(notice)
    if users.count() == 0:
        st.warning("No users exist yet, so nobody can sign in.")
        st.markdown(
            "Create the first administrator on the server, then reload this page:\n\n"
            "```\n.venv/bin/ttcm users add YOUR_NAME --role admin --password-stdin\n```\n"
            "Type the password (12 characters or more) and press Enter. "
            "There is no default account or password."
        )
        st.stop()
    with st.form("sign_in", clear_on_submit=False):
        st.subheader("Sign in")
        username = st.text_input("User name", max_chars=64, autocomplete="username")
        password = st.text_input(
            "Password", type="password", max_chars=200, autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            principal = users.authenticate(username, password, _client_key())
        except AuthError as exc:
            st.error(str(exc))
            st.stop()
        st.session_state[_STATE] = (principal.username, principal.session_version)
        st.session_state[_PRINCIPAL] = principal
        # the cookie component only runs when rendered, so the next (signed-in) run writes it
        st.session_state[_COOKIE_OUT] = ("set", issue_token(principal, cookie_key(settings)))
        st.rerun()
    flush_cookie()
    st.stop()


def flush_cookie() -> None:
    """Render the pending cookie write or delete of this session (call once per run).

    A write stays rendered for the rest of the session: the component sets the cookie when it
    first mounts, and unmounting it on the next rerun could cancel that before it ran.
    """
    pending = st.session_state.get(_COOKIE_OUT)
    if pending is None:
        return
    action, token = pending
    if action != "set":
        st.session_state.pop(_COOKIE_OUT, None)
    name = _cookie_cfg()["name"]
    if action == "set":
        _cookie_manager().set(
            name,
            token,
            expires_at=datetime.now() + timedelta(days=_cookie_cfg()["expiry_days"]),
            same_site="strict",
        )
    else:
        # KeyError: the component had not seen the cookie; the revoked version protects us anyway
        with contextlib.suppress(KeyError):
            _cookie_manager().delete(name)


def sign_out(settings: Settings) -> None:
    """End every session of the signed-in user and drop this browser's cookie."""
    principal = st.session_state.get(_PRINCIPAL)
    if principal is not None:
        _users(settings).sign_out(principal)
    _forget("You are signed out.")
    st.session_state[_COOKIE_OUT] = ("delete", None)


def page_principal(action: str = "read") -> Principal:
    """At the top of every page: the signed-in principal allowed to `action`, or stop here.

    The session is re-checked against the store here too, so a page never trusts a principal
    cached in session state after a sign-out or a role change elsewhere.
    """
    settings = Settings.load()
    cached = st.session_state.get(_PRINCIPAL)
    if cached is not None:
        principal = _users(settings).current(cached.username, cached.session_version)
        if principal is None:
            _forget("Your session ended (signed out, or your role changed). Please sign in again.")
    else:
        principal = current_principal(settings)  # a session cookie may sign us in
    if principal is None:
        sign_in_page(settings)  # renders only the sign-in form, then stops the run
    try:
        return require(principal, action)
    except PermissionDenied as exc:
        st.error(str(exc))
        st.stop()
    raise AssertionError("unreachable")
