"""Sign-in, roles and permission checks. Services call `require`; pages only hide.

Passwords are bcrypt hashes (cost 12). Every user row carries an immutable `account_id` (never
reused, so a removed user's cookie can never sign in a re-added user of the same name) and a
`session_version`: a session token names both, and signing out, a role change, a password reset
or removal bumps the version, so every older token stops working at once. Each sign-in attempt
is reserved in stored rate buckets (ttcm.signin_throttle) before the password is hashed, and
only a few hashes run at once. streamlit-authenticator is not used: README "Sign-in" says why.
"""

from __future__ import annotations

import math
import re
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bcrypt
from sqlalchemy import Connection, Row, delete, func, select, update

from ttcm import rules
from ttcm.config import Settings
from ttcm.errors import Forbidden, InputError, TTCMError
from ttcm.services.audit import record
from ttcm.signin_throttle import SigninThrottle, bucket_key
from ttcm.store import Store
from ttcm.store import models as m

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
BCRYPT_MAX_BYTES = 72
# a valid bcrypt hash of a random string: unknown users cost the same time as known ones
_DUMMY_HASH = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt()).decode()


class AuthError(TTCMError):
    """Base of sign-in and permission failures; the message is safe to show."""


class InvalidCredentials(AuthError):
    """Wrong user name or password (never says which)."""


class LoginThrottled(AuthError):
    """Too many sign-in attempts; try again after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(f"Too many sign-in attempts. Try again in {self.retry_after} seconds.")


class PermissionDenied(AuthError, Forbidden):
    """The signed-in role may not do this."""


class UserError(AuthError, InputError):
    """A user-management request with bad input."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user, or the operator at the command line."""

    username: str
    name: str
    role: str
    session_version: int = 0
    account_id: str = ""  # immutable, never reused; what session tokens are bound to


SYSTEM = Principal(username="system", name="ttcm command line", role="admin")


def _principal(user: Row[Any]) -> Principal:
    return Principal(user.username, user.name, user.role, user.session_version, user.account_id)


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


@dataclass(frozen=True)
class Device:
    """A browser that signed in to `account_id` before (from its verified device token)."""

    account_id: str
    device_id: str


# ---------------------------------------------------------------- the user service


class Users:
    """Users in the store: sign-in, session checks and management (admin only)."""

    def __init__(
        self,
        store: Store,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.throttle = SigninThrottle(store)
        self.now = now

    # sign-in -------------------------------------------------------------------------

    def authenticate(
        self,
        username: str,
        password: str,
        client: str = "unknown",
        device: Device | None = None,
    ) -> Principal:
        """Check a user name and password; raises InvalidCredentials or LoginThrottled.

        The attempt is reserved before the password is hashed. A browser holding a device token
        of this account uses its own bucket, so nobody else's guesses can keep its holder out;
        every other attempt takes from the client's bucket and the account's shared bucket
        (known and unknown names alike, so the answers never tell which names exist).
        """
        try:
            name: str | None = clean_username(username)
        except UserError:
            name = None
        user = None
        if name is not None:
            with self.store.read() as conn:
                user = conn.execute(select(m.User).where(m.User.username == name)).first()
        if user is not None and device is not None and device.account_id == user.account_id:
            buckets = [("device", bucket_key("device", device.device_id))]
        else:
            account = f"id:{user.account_id}" if user is not None else f"name:{name or '?'}"
            buckets = [
                ("client", bucket_key("client", client or "unknown")),
                ("account", bucket_key("account", account)),
            ]
        now = self.now().timestamp()
        wait = self.throttle.reserve(buckets, now)
        if wait > 0:
            raise LoginThrottled(wait)
        try:
            with self.throttle.checking():
                ok = _password_matches(password, user.password_hash if user else _DUMMY_HASH)
        except TimeoutError:
            raise LoginThrottled(self.throttle.check_wait) from None
        if not ok or user is None:
            if user is not None:
                with self.store.write() as conn:
                    conn.execute(
                        update(m.User)
                        .where(m.User.account_id == user.account_id)
                        .values(failed_attempts=m.User.failed_attempts + 1)
                    )
                    record(conn, "anonymous", "signin.failed", user.username, None, None)
            raise InvalidCredentials("Wrong user name or password.")
        with self.store.write() as conn:
            conn.execute(
                update(m.User)
                .where(m.User.account_id == user.account_id)
                .values(failed_attempts=0, locked_until=None)
            )
            record(conn, user.username, "signin", user.username, None, None)
        self.throttle.refund(buckets)
        self.throttle.prune(now)
        return _principal(user)

    def current(self, account_id: str | None, session_version: int | None) -> Principal | None:
        """The principal for a session, or None when the account is gone or the session revoked."""
        if not account_id or session_version is None:
            return None
        with self.store.read() as conn:
            user = conn.execute(select(m.User).where(m.User.account_id == account_id)).first()
        if user is None or user.session_version != session_version:
            return None
        return _principal(user)

    def sign_out(self, principal: Principal) -> None:
        """End every session of this account (its cookies stop working)."""
        with self.store.write() as conn:
            conn.execute(
                update(m.User)
                .where(m.User.account_id == principal.account_id)
                .values(session_version=m.User.session_version + 1, updated_at=self.now())
            )
            record(conn, principal.username, "signout", principal.username, None, None)

    def _bump(self, conn: Connection, username: str, **values: Any) -> None:
        done = conn.execute(
            update(m.User)
            .where(m.User.username == username)
            .values(session_version=m.User.session_version + 1, updated_at=self.now(), **values)
        ).rowcount
        if not done:
            raise UserError(f"There is no user {username!r}.")

    def _refuse_losing_last_admin(self, conn: Connection, username: str, what: str) -> None:
        # the admin rows are locked (PostgreSQL) so two admins demoting each other at once
        # cannot both see "another admin is left"; SQLite's write lock serialises them anyway
        admins = (
            conn.execute(select(m.User.username).where(m.User.role == "admin").with_for_update())
            .scalars()
            .all()
        )
        if admins == [username]:
            raise UserError(
                f"{username!r} is the only admin; make another user admin before you {what}."
            )

    # management (admin) -------------------------------------------------------------

    def count(self) -> int:
        """How many users exist (0 on a fresh install)."""
        with self.store.read() as conn:
            return int(conn.execute(select(func.count()).select_from(m.User)).scalar_one())

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
        """Create a user (a new account: a new id, even when the name was used before)."""
        require(actor, "users.manage")
        uname = clean_username(username)
        if role not in roles():
            raise UserError(f"Role must be one of {', '.join(roles())}.")
        display = (name or uname).strip()[:200] or uname
        hashed = hash_password(password)
        now = self.now()
        account_id = secrets.token_hex(16)
        with self.store.write() as conn:
            exists = conn.execute(select(m.User.username).where(m.User.username == uname)).first()
            if exists:
                raise UserError(f"User {uname!r} already exists.")
            conn.execute(
                m.User.__table__.insert().values(
                    username=uname,
                    account_id=account_id,
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
        return Principal(uname, display, role, 1, account_id)

    def remove(self, actor: Principal, username: str) -> None:
        """Delete a user (their sessions end with them); the last admin cannot be removed."""
        require(actor, "users.manage")
        uname = clean_username(username)
        with self.store.write() as conn:
            self._refuse_losing_last_admin(conn, uname, "remove them")
            gone = conn.execute(delete(m.User).where(m.User.username == uname)).rowcount
            if not gone:
                raise UserError(f"There is no user {uname!r}.")
            record(conn, actor.username, "user.remove", uname, None, None)

    def set_role(self, actor: Principal, username: str, role: str) -> None:
        """Change only the role; open sessions end so it applies at once. Keeps one admin."""
        self.change(actor, username, role=role)

    def reset_password(self, actor: Principal, username: str, password: str) -> None:
        """Set only a new password; open sessions end and the failure counter is cleared."""
        self.change(actor, username, password=password)

    def change(
        self,
        actor: Principal,
        username: str,
        *,
        role: str | None = None,
        password: str | None = None,
    ) -> list[str]:
        """Change the given fields only, all or none; returns what changed (may be nothing)."""
        require(actor, "users.manage")
        uname = clean_username(username)
        if role is not None and role not in roles():
            raise UserError(f"Role must be one of {', '.join(roles())}.")
        hashed = hash_password(password) if password is not None else None
        with self.store.write() as conn:
            current = conn.execute(select(m.User.role).where(m.User.username == uname)).first()
            if current is None:
                raise UserError(f"There is no user {uname!r}.")
            values: dict[str, Any] = {}
            changed = []
            if role is not None and role != current.role:
                if role != "admin":
                    self._refuse_losing_last_admin(conn, uname, f"make them {role}")
                values["role"] = role
                changed.append("role")
            if hashed is not None:
                values.update(password_hash=hashed, failed_attempts=0, locked_until=None)
                changed.append("password")
            if not changed:
                return []
            self._bump(conn, uname, **values)
            if "role" in values:
                record(conn, actor.username, "user.set_role", uname, {"role": role}, None)
            if hashed is not None:
                record(conn, actor.username, "user.reset_password", uname, None, None)
        return changed


# ---------------------------------------------------------------- the cookie key

MAKE_A_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def key_weakness(key: str) -> str | None:
    """Why `key` is too weak to sign sessions with, or None when it will do."""
    cfg = _config()["cookie"]
    if len(key) < cfg["min_key_length"]:
        return f"it has {len(key)} characters; at least {cfg['min_key_length']} are needed"
    lowered = key.lower()
    for word in cfg["sample_words"]:
        if word in lowered:
            return f"it contains the sample word {word!r}"
    for period in range(1, len(key) // 2 + 1):
        if all(key[i] == key[i - period] for i in range(period, len(key))):
            return f"it repeats the same {period} character(s)"
    # the characters' own frequencies bound what the key can hold (a generous upper estimate)
    counts = Counter(key)
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < cfg["min_key_bits"]:
        need = cfg["min_key_bits"]
        return f"it holds about {bits:.0f} bits of randomness; at least {need} are needed"
    return None


def cookie_key(settings: Settings, key_file: Path | None = None) -> str:
    """The session-cookie signing key: from secrets, else generated once and kept on disk."""
    key = settings.cookie_key
    source = "TTCM_COOKIE_KEY"
    if key is None:
        key_file = key_file or settings.data_dir / "cookie_key"
        source = str(key_file)
        if key_file.is_file():
            key = key_file.read_text(encoding="utf-8").strip()
        else:
            key = secrets.token_urlsafe(48)
            key_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = key_file.with_suffix(".tmp")
            tmp.write_text(key, encoding="utf-8")
            tmp.chmod(0o600)
            tmp.replace(key_file)
    weakness = key_weakness(key)
    if weakness:
        raise AuthError(
            f"{source} is too weak to sign sessions with ({weakness}). "
            f"Make a random one with: {MAKE_A_KEY}"
        )
    return key
