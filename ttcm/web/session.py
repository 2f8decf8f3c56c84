"""Streamlit glue for sign-in: the gate every run passes, the sign-in form, sign-out.

The session cookie is an HS256 JWT naming the user and the session version it was issued for;
it is read server-side from `st.context.cookies` and written by the same cookie component
streamlit-authenticator uses. Each run re-checks the version against the store, so signing out
or a role change ends every session of that user at once.
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import streamlit as st

from ttcm import rules
from ttcm.auth import AuthError, PermissionDenied, Principal, require
from ttcm.auth.cookie import cookie_key
from ttcm.auth.users import Device, Users
from ttcm.config import Settings
from ttcm.runtime import shared_store
from ttcm.web.client import client_key
from ttcm.web.fields import Problems, checked_secret, checked_text

_STATE = "ttcm_auth"  # (account_id, session_version) of the signed-in account in this session
_PRINCIPAL = "ttcm_principal"
_NOTICE = "ttcm_auth_notice"
_COOKIE_OUT = "ttcm_cookie_out"  # ("set", token) or ("delete", None): done by the next run
_DEVICE_OUT = "ttcm_device_out"  # a device token to write for this browser


def _cookie_cfg() -> dict[str, Any]:
    return rules.load("roles")["cookie"]


def _users(settings: Settings) -> Users:
    return Users(shared_store(settings))


def _client_key(settings: Settings) -> str:
    ctx = _client_context()
    remote = getattr(ctx, "remote_ip", None) if ctx is not None else None
    forwarded = st.context.headers.get("X-Forwarded-For")
    return client_key(
        remote if isinstance(remote, str) else None,
        forwarded if isinstance(forwarded, str) else None,
        settings.trusted_proxies,
    )


def _client_context() -> object | None:
    # st.context.ip_address hides loopback peers (None); the throttle needs the real peer
    from streamlit.runtime import get_instance
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    with contextlib.suppress(Exception):
        client = get_instance().get_client(ctx.session_id)
        return getattr(client, "client_context", None)
    return None


def _cookie_manager() -> Any:  # extra_streamlit_components has no type hints
    import extra_streamlit_components as stx

    return stx.CookieManager(key="ttcm_cookie_manager")


def _issue(
    kind: str, lifetime: str, principal: Principal, key: str, now: datetime, **claims: object
) -> str:
    # `lifetime` names the roles.json cookie setting holding the token's lifetime in days
    exp = now + timedelta(days=_cookie_cfg()[lifetime])
    payload = {"typ": kind, "aid": principal.account_id, **claims, "exp": exp}
    return jwt.encode(payload, key, algorithm="HS256")


def issue_token(principal: Principal, key: str, now: datetime | None = None) -> str:
    """A signed session token bound to the principal's account id and session version."""
    now = now or datetime.now(UTC)
    return _issue(
        "session", "expiry_days", principal, key, now, sv=principal.session_version, iat=now
    )


def read_token(token: str | None, key: str) -> tuple[str, int] | None:
    """(account_id, session_version) from a valid, unexpired session token; None otherwise."""
    data = _decode(token, key, "session")
    if data is None:
        return None
    aid, sv = data.get("aid"), data.get("sv")
    if not isinstance(aid, str) or not aid or not isinstance(sv, int) or isinstance(sv, bool):
        return None
    return aid, sv


def issue_device_token(principal: Principal, key: str, now: datetime | None = None) -> str:
    """A token saying "this browser signed in to this account before" (a throttle lane only)."""
    now = now or datetime.now(UTC)
    dev = secrets.token_urlsafe(16)
    return _issue("device", "device_expiry_days", principal, key, now, dev=dev)


def read_device_token(token: str | None, key: str) -> Device | None:
    """The Device of a valid device token; None otherwise."""
    data = _decode(token, key, "device")
    if data is None:
        return None
    aid, dev = data.get("aid"), data.get("dev")
    if not isinstance(aid, str) or not aid or not isinstance(dev, str) or not dev:
        return None
    return Device(aid, dev)


def _decode(token: str | None, key: str, kind: str) -> dict[str, Any] | None:
    if not token or len(token) > 4096:
        return None
    try:
        data = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "typ"]})
    except jwt.PyJWTError:
        return None
    return data if isinstance(data, dict) and data.get("typ") == kind else None


def _forget(notice: str | None = None) -> None:
    for name in (_STATE, _PRINCIPAL, _COOKIE_OUT):
        st.session_state.pop(name, None)
    if notice:
        st.session_state[_NOTICE] = notice


def _signed_in(principal: Principal) -> None:
    st.session_state[_STATE] = (principal.account_id, principal.session_version)
    st.session_state[_PRINCIPAL] = principal
    st.session_state.pop(_NOTICE, None)


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
    claim = read_token(st.context.cookies.get(_cookie_cfg()["name"]), cookie_key(settings))
    if claim is None:
        return None
    principal = users.current(*claim)
    if principal is None:
        return None
    _signed_in(principal)
    return principal


def sign_in_page(settings: Settings) -> None:
    """Render only the sign-in form (or how to create the first admin), then stop the run."""
    users = _users(settings)
    st.title("ttcm")
    # kept until the next sign-in: the cookie component's own rerun would otherwise wipe it
    notice = st.session_state.get(_NOTICE)
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
        wrong = Problems()
        username = checked_text(
            st,
            "User name",
            wrong,
            limit=int(rules.input_limits()["sign_in_username_max_chars"]),
            autocomplete="username",
        )
        password = checked_secret(
            st,
            "Password",
            wrong,
            limit=int(rules.load("roles")["password_max_length"]),
            autocomplete="current-password",
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted and wrong:
        st.error(f"Not signed in. {wrong.summary()}")
    elif submitted:
        st.session_state.pop(_NOTICE, None)
        key = cookie_key(settings)
        device = read_device_token(st.context.cookies.get(_cookie_cfg()["device_name"]), key)
        try:
            principal = users.authenticate(username, password, _client_key(settings), device)
        except AuthError as exc:
            st.error(str(exc))
            st.stop()
        _signed_in(principal)
        # the cookie component only runs when rendered, so the next (signed-in) run writes it
        st.session_state[_COOKIE_OUT] = ("set", issue_token(principal, key))
        if device is None or device.account_id != principal.account_id:
            st.session_state[_DEVICE_OUT] = issue_device_token(principal, key)
        st.rerun()
    flush_cookie()
    st.stop()


def flush_cookie() -> None:
    """Render the pending cookie writes or delete of this session (call once per run).

    A write stays rendered for the rest of the session: the component sets the cookie when it
    first mounts, and unmounting it on the next rerun could cancel that before it ran.
    """
    cfg = _cookie_cfg()
    device = st.session_state.get(_DEVICE_OUT)
    pending = st.session_state.get(_COOKIE_OUT)
    if device is None and pending is None:
        return
    manager = _cookie_manager()  # one per run: the component's key must be unique
    # Secure whenever the page itself came over HTTPS (a proxy in front of the app)
    secure = str(getattr(st.context, "url", "") or "").startswith("https://")

    def write(name: str, value: str, key: str, days: int) -> None:
        expires_at = datetime.now() + timedelta(days=days)
        manager.set(name, value, key=key, expires_at=expires_at, secure=secure, same_site="strict")

    if device is not None:
        write(cfg["device_name"], device, "set_device", cfg["device_expiry_days"])
    if pending is None:
        return
    action, token = pending
    if action == "set":
        write(cfg["name"], token, "set_session", cfg["expiry_days"])
    else:
        # kept rendered until the next sign-in, like a write (an unmounted delete may not run);
        # KeyError: the component had not seen the cookie; the revoked version protects us anyway
        with contextlib.suppress(KeyError):
            manager.delete(cfg["name"])


def sign_out(settings: Settings) -> None:
    """End every session of the signed-in account and drop this browser's session cookie.

    The device cookie stays: it only lets this browser's next sign-in skip others' throttling.
    """
    principal = st.session_state.get(_PRINCIPAL)
    if principal is not None:
        _users(settings).sign_out(principal)
    _forget("You are signed out.")
    st.session_state[_COOKIE_OUT] = ("delete", None)


def role_needed_page(principal: Principal, title: str, action: str) -> None:
    """What a page the signed-in role may not open shows instead: the role it needs."""
    needed = rules.load("roles")["actions"][action]
    st.title(title)
    st.error(
        f"The {title} page needs the {needed} role; your role is {principal.role}. "
        "Ask an admin if you need it."
    )


def page_principal(action: str = "read") -> Principal:
    """At the top of every page: the signed-in principal allowed to `action`, or stop here.

    The session is re-checked against the store here too, so a page never trusts a principal
    cached in session state after a sign-out or a role change elsewhere.
    """
    settings = Settings.load()
    cached = st.session_state.get(_PRINCIPAL)
    if cached is not None:
        principal = _users(settings).current(cached.account_id, cached.session_version)
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
