"""Users, roles, throttling and session revocation (service level, both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ttcm.auth import (
    SYSTEM,
    AuthError,
    ClientThrottle,
    InvalidCredentials,
    LoginThrottled,
    PermissionDenied,
    Principal,
    UserError,
    Users,
    cookie_key,
    require,
    role_allows,
)
from ttcm.config import Settings
from ttcm.services.audit import entries
from ttcm.store import Store
from ttcm.store import models as m

PASSWORD = "correct horse battery staple"


class FakeClock:
    """Monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def users(store: Store, clock: FakeClock) -> Users:
    now = {"t": datetime(2026, 11, 1, tzinfo=UTC)}
    svc = Users(store, throttle=ClientThrottle(clock=clock), now=lambda: now["t"])
    svc._now_box = now  # type: ignore[attr-defined]  # lets tests move the stored clock
    return svc


def _audit_count(store: Store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(m.AuditEntry)).scalar_one()


def test_roles_are_ordered() -> None:
    assert role_allows("admin", "order.write")
    assert role_allows("manager", "order.write")
    assert not role_allows("viewer", "order.write")
    assert role_allows("viewer", "export")
    assert not role_allows("manager", "users.manage")
    with pytest.raises(KeyError):
        role_allows("admin", "no.such.action")


def test_require_names_the_role_needed() -> None:
    with pytest.raises(PermissionDenied, match="needs the manager role"):
        require(Principal("v", "V", "viewer"), "order.write")
    with pytest.raises(PermissionDenied, match="Sign in"):
        require(None, "read")


def test_add_and_sign_in(users: Users, store: Store) -> None:
    users.add(SYSTEM, "Alice", PASSWORD, role="manager", name="Alice A.")
    p = users.authenticate("ALICE ", PASSWORD, client="c1")
    assert (p.username, p.role, p.name) == ("alice", "manager", "Alice A.")
    assert users.current("alice", p.session_version) == p
    actions = [e["action"] for e in entries(store, SYSTEM)]
    assert actions[:2] == ["signin", "user.add"]


def test_password_hash_is_bcrypt_and_never_the_password(users: Users, store: Store) -> None:
    users.add(SYSTEM, "bob", PASSWORD, role="viewer")
    with store.read() as conn:
        hashed = conn.execute(select(m.User.password_hash)).scalar_one()
    assert hashed.startswith("$2b$") and PASSWORD not in hashed


def test_viewer_cannot_manage_users_and_nothing_is_written(users: Users, store: Store) -> None:
    users.add(SYSTEM, "vera", PASSWORD, role="viewer")
    viewer = users.authenticate("vera", PASSWORD)
    before = _audit_count(store)
    for call in (
        lambda: users.add(viewer, "mallory", PASSWORD, role="admin"),
        lambda: users.set_role(viewer, "vera", "admin"),
        lambda: users.remove(viewer, "vera"),
        lambda: users.reset_password(viewer, "vera", "another long password"),
        lambda: users.list(viewer),
        lambda: entries(store, viewer),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert users.count() == 1
    assert users.current("vera", viewer.session_version).role == "viewer"
    assert _audit_count(store) == before


def test_wrong_password_and_unknown_user_get_the_same_message(users: Users) -> None:
    users.add(SYSTEM, "carol", PASSWORD, role="viewer")
    with pytest.raises(InvalidCredentials) as a:
        users.authenticate("carol", "wrong password!!", client="c1")
    with pytest.raises(InvalidCredentials) as b:
        users.authenticate("nobody", "wrong password!!", client="c2")
    assert str(a.value) == str(b.value) == "Wrong user name or password."


def test_failed_sign_ins_are_slowed_per_user(users: Users) -> None:
    users.add(SYSTEM, "dave", PASSWORD, role="viewer")
    for i in range(3):
        with pytest.raises(InvalidCredentials):
            users.authenticate("dave", "bad password", client=f"client-{i}")
    # from a fresh client, the user itself is now locked for a while, even with the right password
    with pytest.raises(LoginThrottled) as exc:
        users.authenticate("dave", PASSWORD, client="fresh-client")
    assert exc.value.retry_after >= 1
    users._now_box["t"] += timedelta(minutes=20)  # type: ignore[attr-defined]
    assert users.authenticate("dave", PASSWORD, client="another-client").username == "dave"


def test_failed_sign_ins_are_slowed_per_client(users: Users, clock: FakeClock) -> None:
    for name in ("u1", "u2", "u3"):  # unknown users: the client is what gets slowed
        with pytest.raises(InvalidCredentials):
            users.authenticate(name, "whatever pass", client="attacker")
    with pytest.raises(LoginThrottled) as exc:
        users.authenticate("u4", "whatever pass", client="attacker")
    first_wait = exc.value.retry_after
    clock.t += first_wait + 0.1
    with pytest.raises(InvalidCredentials):
        users.authenticate("u5", "whatever pass", client="attacker")
    with pytest.raises(LoginThrottled) as exc:
        users.authenticate("u6", "whatever pass", client="attacker")
    assert exc.value.retry_after > first_wait  # exponential
    # other clients are not affected
    with pytest.raises(InvalidCredentials):
        users.authenticate("u7", "whatever pass", client="someone-else")


def test_sign_out_and_role_change_end_sessions(users: Users) -> None:
    users.add(SYSTEM, "erin", PASSWORD, role="manager")
    p = users.authenticate("erin", PASSWORD)
    users.sign_out(p)
    assert users.current("erin", p.session_version) is None
    p2 = users.authenticate("erin", PASSWORD)
    users.set_role(SYSTEM, "erin", "viewer")
    assert users.current("erin", p2.session_version) is None
    p3 = users.authenticate("erin", PASSWORD)
    assert p3.role == "viewer"
    users.reset_password(SYSTEM, "erin", "a brand new password")
    assert users.current("erin", p3.session_version) is None
    with pytest.raises(InvalidCredentials):
        users.authenticate("erin", PASSWORD)
    users.remove(SYSTEM, "erin")
    assert users.current("erin", p3.session_version + 1) is None


HOSTILE_NAMES = [
    "",
    " ",
    "a",
    "<script>alert(1)</script>",
    "robert'); DROP TABLE users;--",
    "émile",
    "🎯🎯🎯",
    "x" * 33,
    "-leading",
    "a\x00b",
    "a b",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_user_names_are_refused_clearly(users: Users, name: str) -> None:
    with pytest.raises(UserError, match="User names are"):
        users.add(SYSTEM, name, PASSWORD, role="viewer")
    assert users.count() == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 12"),
        ("", "at least 12"),
        ("🎯" * 19, "72 bytes"),  # 19 emoji = 76 bytes
        ("a" * 73, "72 bytes"),
        ("null\x00byte-password", "not allowed"),
    ],
)
def test_hostile_passwords_are_refused_clearly(users: Users, password: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        users.add(SYSTEM, "frank", password, role="viewer")
    assert users.count() == 0


def test_sign_in_with_hostile_input_fails_cleanly(users: Users) -> None:
    users.add(SYSTEM, "gina", "ünïcödé password 🎯", role="viewer")
    assert users.authenticate("gina", "ünïcödé password 🎯").username == "gina"
    for name, pw in [
        ("gina", "a" * 500),
        ("gina", "x\x00y"),
        ("<b>", "pw"),
        ("", ""),
        ("gina", None),
    ]:
        with pytest.raises(AuthError):
            users.authenticate(name, pw, client=f"c-{len(str(pw))}")


def test_unknown_role_and_duplicates(users: Users) -> None:
    with pytest.raises(UserError, match="Role must be one of"):
        users.add(SYSTEM, "hank", PASSWORD, role="superuser")
    users.add(SYSTEM, "hank", PASSWORD, role="viewer")
    with pytest.raises(UserError, match="already exists"):
        users.add(SYSTEM, "HANK", PASSWORD, role="viewer")
    with pytest.raises(UserError, match="no user"):
        users.set_role(SYSTEM, "nobody", "viewer")


def test_cookie_key_refuses_weak_keys_and_generates_one(tmp_path) -> None:
    for weak in ("some_key", "short"):
        with pytest.raises(AuthError, match="at least 32"):
            cookie_key(Settings(cookie_key=weak), tmp_path / "k")
    key_file = tmp_path / "k"
    first = cookie_key(Settings(), key_file)
    assert len(first) >= 32 and key_file.read_text() == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert cookie_key(Settings(), key_file) == first  # kept, not regenerated
