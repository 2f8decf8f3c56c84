"""Who is acting and what their role allows. Services call `require`; pages only hide.

This package's root holds the principal, the roles and the permission check (pure: it reads
ttcm/rules/roles.json only). The rest is one concept per module: `users` (the stored accounts,
sign-in and management), `passwords` (user-name and password rules, bcrypt), `throttle` (sign-in
rate buckets) and `cookie` (the session-cookie signing key). streamlit-authenticator is not used:
README "Sign-in" says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from ttcm import rules
from ttcm.errors import Forbidden, InputError, TTCMError


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


def roles() -> list[str]:
    """Roles from least to most powerful."""
    return list(rules.load("roles")["roles"])


def _needed(action: str) -> str:
    needed = rules.load("roles")["actions"].get(action)
    if needed is None:
        raise KeyError(f"unknown action {action!r}")
    return str(needed)


def role_allows(role: str, action: str) -> bool:
    """True when `role` may perform `action` (an entry of ttcm/rules/roles.json)."""
    needed = _needed(action)
    order = roles()
    return role in order and order.index(role) >= order.index(needed)


def require(principal: Principal | None, action: str) -> Principal:
    """Return the principal when it may perform `action`; raise PermissionDenied otherwise."""
    if principal is None:
        raise PermissionDenied("Sign in first.")
    if not role_allows(principal.role, action):
        raise PermissionDenied(
            f"Your role ({principal.role}) cannot do this; it needs the {_needed(action)} role."
        )
    return principal
