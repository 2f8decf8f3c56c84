"""The stored accounts: sign-in, session checks and user management (admins only).

Passwords are bcrypt hashes (ttcm.auth.passwords). Every user row carries an immutable
`account_id` (never reused, so a removed user's cookie can never sign in a re-added user of the
same name) and a `session_version`: a session token names both, and signing out, a role change,
a password reset or removal bumps the version, so every older token stops working at once. Each
sign-in attempt is reserved in stored rate buckets (ttcm.auth.throttle) before the password is
hashed, and only a few hashes run at once.
"""

from __future__ import annotations

import builtins
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from ttcm.auth import (
    InvalidCredentials,
    LoginThrottled,
    Principal,
    UserError,
    require,
    roles,
)
from ttcm.auth.passwords import DUMMY_HASH, clean_username, hash_password, password_matches
from ttcm.auth.throttle import SigninThrottle, bucket_key
from ttcm.services.audit import record
from ttcm.store import Store
from ttcm.store import models as m


def _principal(user: Row[Any]) -> Principal:
    return Principal(user.username, user.name, user.role, user.session_version, user.account_id)


@dataclass(frozen=True)
class Device:
    """A browser that signed in to `account_id` before (from its verified device token)."""

    account_id: str
    device_id: str


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
                ok = password_matches(password, user.password_hash if user else DUMMY_HASH)
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
                insert(m.User).values(
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
    ) -> builtins.list[str]:
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
