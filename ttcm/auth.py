"""Sign-in, roles and permission checks. Services call `require`; pages only hide.

Passwords are bcrypt hashes (cost 12, the format streamlit-authenticator's `Hasher` makes; bcrypt
is called directly because importing that package starts Streamlit machinery). Every user row
carries a `session_version`: a signed session cookie names the version it was issued for, and
signing out, a role change, a password reset or removal bumps it, so every older cookie stops
working at once (streamlit-authenticator's own cookie cannot be revoked: docs/decisions.md §8).
Failed sign-ins are slowed per user (stored, so it holds across processes) and per client.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt
from sqlalchemy import delete, select, update

from ttcm import rules
from ttcm.config import Settings
from ttcm.services.audit import record
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.timestamps import as_utc

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
BCRYPT_MAX_BYTES = 72
# a valid bcrypt hash of a random string: unknown users cost the same time as known ones
_DUMMY_HASH = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt()).decode()


class AuthError(Exception):
    """Base of sign-in and permission failures; the message is safe to show."""


class InvalidCredentials(AuthError):
    """Wrong user name or password (never says which)."""


class LoginThrottled(AuthError):
    """Too many failed sign-ins; try again after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(f"Too many failed sign-ins. Try again in {self.retry_after} seconds.")


class PermissionDenied(AuthError):
    """The signed-in role may not do this."""


class UserError(AuthError, ValueError):
    """A user-management request with bad input."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user, or the operator at the command line."""

    username: str
    name: str
    role: str
    session_version: int = 0


SYSTEM = Principal(username="system", name="ttcm command line", role="admin")


def _config() -> dict[str, Any]:
    return rules.load("roles")


def roles() -> list[str]:
    """Roles from least to most powerful."""
    return list(_config()["roles"])


def role_allows(role: str, action: str) -> bool:
    """True when `role` may perform `action` (an entry of ttcm/rules/roles.json)."""
    needed = _config()["actions"].get(action)
    if needed is None:
        raise KeyError(f"unknown action {action!r}")
    order = roles()
    return role in order and order.index(role) >= order.index(needed)


def require(principal: Principal | None, action: str) -> Principal:
    """Return the principal when it may perform `action`; raise PermissionDenied otherwise."""
    if principal is None:
        raise PermissionDenied("Sign in first.")
    if not role_allows(principal.role, action):
        needed = _config()["actions"][action]
        raise PermissionDenied(
            f"Your role ({principal.role}) cannot do this; it needs the {needed} role."
        )
    return principal


# ---------------------------------------------------------------- validation and hashing


def clean_username(raw: str) -> str:
    """Normalise and validate a user name (lower case, 2-32 of a-z 0-9 . _ -)."""
    name = (raw or "").strip().lower()
    if not USERNAME_RE.fullmatch(name):
        raise UserError(
            "User names are 2-32 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    return name


def check_password_rules(password: str) -> None:
    """Raise UserError when a new password is unacceptable."""
    cfg = _config()
    if not isinstance(password, str) or "\x00" in password:
        raise UserError("The password contains characters that are not allowed.")
    if len(password) < cfg["password_min_length"]:
        raise UserError(f"Passwords need at least {cfg['password_min_length']} characters.")
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        raise UserError(f"Passwords can be at most {BCRYPT_MAX_BYTES} bytes (bcrypt's limit).")


def hash_password(password: str) -> str:
    """bcrypt hash of an acceptable password."""
    check_password_rules(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode()


def _password_matches(password: str, hashed: str) -> bool:
    data = (password or "").encode("utf-8")
    if len(data) > BCRYPT_MAX_BYTES or "\x00" in (password or ""):
        bcrypt.checkpw(b"x", _DUMMY_HASH.encode())  # same cost as a real check
        return False
    try:
        return bcrypt.checkpw(data, hashed.encode())
    except ValueError:
        return False


# ---------------------------------------------------------------- throttling


class ClientThrottle:
    """Failed sign-ins per client in this process, with exponential delay."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        self._clock = clock

    def _delay(self, n: int) -> float:
        t = _config()["throttle"]
        if n < t["free_failures"]:
            return 0.0
        return min(t["max_seconds"], t["base_seconds"] * 2 ** (n - t["free_failures"]))

    def retry_after(self, client: str) -> float:
        """Seconds this client must wait before the next attempt (0 = may try)."""
        with self._lock:
            now = self._clock()
            window = _config()["throttle"]["client_window_seconds"]
            hits = [t for t in self._failures.get(client, []) if now - t < window]
            self._failures[client] = hits
            if not hits:
                return 0.0
            return max(0.0, hits[-1] + self._delay(len(hits)) - now)

    def fail(self, client: str) -> None:
        """Record a failed attempt."""
        with self._lock:
            self._failures.setdefault(client, []).append(self._clock())

    def succeed(self, client: str) -> None:
        """Forget a client's failures after a successful sign-in."""
        with self._lock:
            self._failures.pop(client, None)


CLIENT_THROTTLE = ClientThrottle()


def _user_delay(failures: int) -> float:
    t = _config()["throttle"]
    if failures < t["free_failures"]:
        return 0.0
    return min(t["max_seconds"], t["base_seconds"] * 2 ** (failures - t["free_failures"]))


# ---------------------------------------------------------------- the user service


class Users:
    """Users in the store: sign-in, session checks and management (admin only)."""

    def __init__(
        self,
        store: Store,
        *,
        throttle: ClientThrottle = CLIENT_THROTTLE,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.throttle = throttle
        self.now = now

    # sign-in -------------------------------------------------------------------------

    def authenticate(self, username: str, password: str, client: str = "unknown") -> Principal:
        """Check a user name and password; raises InvalidCredentials or LoginThrottled."""
        wait = self.throttle.retry_after(client)
        if wait > 0:
            raise LoginThrottled(wait)
        try:
            name = clean_username(username)
        except UserError:
            name = None
        now = self.now()
        user = None
        if name is not None:
            with self.store.read() as conn:
                user = conn.execute(select(m.User).where(m.User.username == name)).first()
        if user is not None and user.locked_until is not None:
            locked = as_utc(user.locked_until)
            if locked > now:
                self.throttle.fail(client)
                raise LoginThrottled((locked - now).total_seconds())
        ok = _password_matches(password, user.password_hash if user else _DUMMY_HASH)
        if not ok or user is None:
            self.throttle.fail(client)
            if user is not None:
                failures = user.failed_attempts + 1
                delay = _user_delay(failures)
                with self.store.write() as conn:
                    conn.execute(
                        update(m.User)
                        .where(m.User.username == user.username)
                        .values(
                            failed_attempts=failures,
                            locked_until=now + timedelta(seconds=delay) if delay else None,
                        )
                    )
                    record(conn, "anonymous", "signin.failed", user.username, None, None)
            raise InvalidCredentials("Wrong user name or password.")
        self.throttle.succeed(client)
        with self.store.write() as conn:
            conn.execute(
                update(m.User)
                .where(m.User.username == user.username)
                .values(failed_attempts=0, locked_until=None)
            )
            record(conn, user.username, "signin", user.username, None, None)
        return Principal(user.username, user.name, user.role, user.session_version)

    def current(self, username: str | None, session_version: int | None) -> Principal | None:
        """The principal for a session, or None when the user is gone or the session revoked."""
        if not username or session_version is None:
            return None
        with self.store.read() as conn:
            user = conn.execute(select(m.User).where(m.User.username == username)).first()
        if user is None or user.session_version != session_version:
            return None
        return Principal(user.username, user.name, user.role, user.session_version)

    def sign_out(self, principal: Principal) -> None:
        """End every session of this user (their cookies stop working)."""
        self._bump(principal.username, principal, "signout")

    def _bump(self, username: str, actor: Principal, action: str, **values: Any) -> None:
        with self.store.write() as conn:
            done = conn.execute(
                update(m.User)
                .where(m.User.username == username)
                .values(session_version=m.User.session_version + 1, updated_at=self.now(), **values)
            ).rowcount
            if not done:
                raise UserError(f"There is no user {username!r}.")
            detail = {"role": values["role"]} if "role" in values else None
            record(conn, actor.username, action, username, detail, None)

    # management (admin) -------------------------------------------------------------

    def count(self) -> int:
        """How many users exist (0 on a fresh install)."""
        with self.store.read() as conn:
            return len(conn.execute(select(m.User.username)).all())

    def list(self, actor: Principal) -> list[dict[str, Any]]:
        """Users without their hashes."""
        require(actor, "users.manage")
        with self.store.read() as conn:
            rows = conn.execute(select(m.User).order_by(m.User.username)).all()
        return [
            {
                "username": u.username,
                "name": u.name,
                "role": u.role,
                "failed_attempts": u.failed_attempts,
                "created_at": u.created_at,
            }
            for u in rows
        ]

    def add(
        self, actor: Principal, username: str, password: str, *, role: str, name: str = ""
    ) -> Principal:
        """Create a user."""
        require(actor, "users.manage")
        uname = clean_username(username)
        if role not in roles():
            raise UserError(f"Role must be one of {', '.join(roles())}.")
        display = (name or uname).strip()[:200] or uname
        hashed = hash_password(password)
        now = self.now()
        with self.store.write() as conn:
            exists = conn.execute(select(m.User.username).where(m.User.username == uname)).first()
            if exists:
                raise UserError(f"User {uname!r} already exists.")
            conn.execute(
                m.User.__table__.insert().values(
                    username=uname,
                    name=display,
                    role=role,
                    password_hash=hashed,
                    session_version=1,
                    failed_attempts=0,
                    created_at=now,
                    updated_at=now,
                )
            )
            record(conn, actor.username, "user.add", uname, {"role": role}, None)
        return Principal(uname, display, role, 1)

    def remove(self, actor: Principal, username: str) -> None:
        """Delete a user (their sessions end with them)."""
        require(actor, "users.manage")
        uname = clean_username(username)
        with self.store.write() as conn:
            gone = conn.execute(delete(m.User).where(m.User.username == uname)).rowcount
            if not gone:
                raise UserError(f"There is no user {uname!r}.")
            record(conn, actor.username, "user.remove", uname, None, None)

    def set_role(self, actor: Principal, username: str, role: str) -> None:
        """Change a role; the user's open sessions end so the new role applies at once."""
        require(actor, "users.manage")
        if role not in roles():
            raise UserError(f"Role must be one of {', '.join(roles())}.")
        self._bump(clean_username(username), actor, "user.set_role", role=role)

    def reset_password(self, actor: Principal, username: str, password: str) -> None:
        """Set a new password; open sessions end and the failure counter is cleared."""
        require(actor, "users.manage")
        self._bump(
            clean_username(username),
            actor,
            "user.reset_password",
            password_hash=hash_password(password),
            failed_attempts=0,
            locked_until=None,
        )


# ---------------------------------------------------------------- the cookie key


def cookie_key(settings: Settings, key_file: Path | None = None) -> str:
    """The session-cookie signing key: from secrets, else generated once and kept on disk."""
    cfg = _config()["cookie"]
    key = settings.cookie_key
    if key is None:
        key_file = key_file or settings.data_dir / "cookie_key"
        if key_file.is_file():
            key = key_file.read_text(encoding="utf-8").strip()
        else:
            key = secrets.token_urlsafe(48)
            key_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = key_file.with_suffix(".tmp")
            tmp.write_text(key, encoding="utf-8")
            tmp.chmod(0o600)
            tmp.replace(key_file)
    if len(key) < cfg["min_key_length"] or key.lower() in cfg["rejected_keys"]:
        raise AuthError(
            f"TTCM_COOKIE_KEY must be a random string of at least {cfg['min_key_length']} "
            "characters; refusing to sign sessions with a short or sample key."
        )
    return key
