"""Users, roles, throttling and session revocation (service level, both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ttcm.auth import (
    SYSTEM,
    AuthError,
    InvalidCredentials,
    LoginThrottled,
    PermissionDenied,
    Principal,
    UserError,
    require,
    role_allows,
)
from ttcm.auth.cookie import cookie_key
from ttcm.auth.users import Device, Users
from ttcm.config import Settings
from ttcm.services.audit import entries
from ttcm.store import Store
from ttcm.store import models as m

PASSWORD = "correct horse battery staple"


class Clock:
    """The service's clock, moved by hand."""

    def __init__(self) -> None:
        self.t = datetime(2026, 11, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(store: Store, clock: Clock) -> Users:
    return Users(store, now=clock)


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
    assert users.current(p.account_id, p.session_version) == p
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
    assert users.current(viewer.account_id, viewer.session_version).role == "viewer"
    assert _audit_count(store) == before


def test_wrong_password_and_unknown_user_get_the_same_message(users: Users) -> None:
    users.add(SYSTEM, "carol", PASSWORD, role="viewer")
    with pytest.raises(InvalidCredentials) as a:
        users.authenticate("carol", "wrong password!!", client="c1")
    with pytest.raises(InvalidCredentials) as b:
        users.authenticate("nobody", "wrong password!!", client="c2")
    assert str(a.value) == str(b.value) == "Wrong user name or password."


def test_guesses_at_one_account_are_slowed_whatever_the_client(users: Users, clock) -> None:
    users.add(SYSTEM, "dave", PASSWORD, role="viewer")
    for i in range(3):  # the account's burst, each from another client
        with pytest.raises(InvalidCredentials):
            users.authenticate("dave", "bad password", client=f"client-{i}")
    with pytest.raises(LoginThrottled) as exc:
        users.authenticate("dave", "bad password", client="fresh-client")
    assert 1 <= exc.value.retry_after <= 10  # 6 a minute: the next slot is 10 s away
    clock.advance(10)
    with pytest.raises(InvalidCredentials):
        users.authenticate("dave", "bad password", client="another-client")
    with pytest.raises(LoginThrottled):
        users.authenticate("dave", "bad password", client="yet-another-client")


def test_a_guess_the_throttle_already_refuses_costs_no_write(
    users: Users, store: Store, clock, monkeypatch
) -> None:
    users.add(SYSTEM, "erin", PASSWORD, role="viewer")
    for i in range(3):  # the account's burst
        with pytest.raises(InvalidCredentials):
            users.authenticate("erin", "bad password", client=f"c-{i}")
    writes: list[int] = []
    real_write = store.write

    def counted_write():  # type: ignore[no-untyped-def]
        writes.append(1)
        return real_write()

    monkeypatch.setattr(store, "write", counted_write)
    for i in range(5):
        with pytest.raises(LoginThrottled) as exc:
            users.authenticate("erin", "bad password", client=f"flood-{i}")
        assert 1 <= exc.value.retry_after <= 10
    assert writes == []  # refused from a read: the writer is free for everyone else
    clock.advance(10)  # the next slot: taking it is a write, as before
    with pytest.raises(InvalidCredentials):
        users.authenticate("erin", "bad password", client="later")
    assert writes
    with pytest.raises(LoginThrottled):  # and it was taken: the one after is refused again
        users.authenticate("erin", "bad password", client="later-still")


def test_one_client_guessing_many_names_is_slowed(users: Users, clock) -> None:
    for i in range(5):  # the client's burst: unknown names, each a fresh account bucket
        with pytest.raises(InvalidCredentials):
            users.authenticate(f"u{i}", "whatever pass", client="attacker")
    with pytest.raises(LoginThrottled) as exc:
        users.authenticate("u9", "whatever pass", client="attacker")
    assert 1 <= exc.value.retry_after <= 6
    with pytest.raises(InvalidCredentials):  # other clients are not affected
        users.authenticate("u10", "whatever pass", client="someone-else")
    clock.advance(6)
    with pytest.raises(InvalidCredentials):
        users.authenticate("u11", "whatever pass", client="attacker")


def test_throttled_answers_do_not_tell_which_names_exist(users: Users) -> None:
    users.add(SYSTEM, "real", PASSWORD, role="viewer")
    answers = {}
    for name in ("real", "ghost"):
        got = []
        for i in range(5):
            try:
                users.authenticate(name, "bad password", client=f"{name}-{i}")
            except AuthError as exc:
                got.append(str(exc))
        answers[name] = got
    assert answers["real"] == answers["ghost"]
    assert answers["real"][0] == "Wrong user name or password."
    assert answers["real"][-1].startswith("Too many sign-in attempts.")


def test_a_browser_that_signed_in_before_is_never_kept_out_by_others(users: Users) -> None:
    p = users.add(SYSTEM, "holly", PASSWORD, role="manager")
    mine = Device(p.account_id, "my-laptop")
    for i in range(10):
        with pytest.raises(AuthError):
            users.authenticate("holly", "guess", client=f"bot-{i}")
    with pytest.raises(LoginThrottled):  # a new browser waits like the guesser
        users.authenticate("holly", PASSWORD, client="bot-0")
    # from the very same client address, but with her device token: in at once
    assert users.authenticate("holly", PASSWORD, client="bot-0", device=mine).username == "holly"
    # a device token of another account opens no lane
    other = users.add(SYSTEM, "ivan", PASSWORD, role="viewer")
    with pytest.raises(LoginThrottled):
        users.authenticate("holly", PASSWORD, client="x", device=Device(other.account_id, "d"))


def test_the_device_lane_is_throttled_too(users: Users) -> None:
    p = users.add(SYSTEM, "jo", PASSWORD, role="viewer")
    stolen = Device(p.account_id, "stolen")
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            users.authenticate("jo", "guess", client="c", device=stolen)
    with pytest.raises(LoginThrottled):
        users.authenticate("jo", "guess", client="c", device=stolen)


def test_a_removed_users_session_never_works_for_a_re_added_user(users: Users) -> None:
    old = users.add(SYSTEM, "kim", PASSWORD, role="admin")
    users.add(SYSTEM, "boss", PASSWORD, role="admin")
    old_session = (old.account_id, old.session_version)  # what kim's cookie names
    users.remove(SYSTEM, "kim")
    new = users.add(SYSTEM, "kim", "another long password", role="viewer")
    assert (new.username, new.session_version) == (old.username, old.session_version)
    assert new.account_id != old.account_id
    assert users.current(*old_session) is None
    assert users.current(new.account_id, new.session_version) == new


def test_sign_out_and_role_change_end_sessions(users: Users, clock) -> None:
    users.add(SYSTEM, "erin", PASSWORD, role="manager")

    def sign_in(password: str = PASSWORD) -> Principal:
        clock.advance(60)  # this test is about revocation, not throttling
        return users.authenticate("erin", password)

    p = sign_in()
    users.sign_out(p)
    assert users.current(p.account_id, p.session_version) is None
    p2 = sign_in()
    users.set_role(SYSTEM, "erin", "viewer")
    assert users.current(p2.account_id, p2.session_version) is None
    p3 = sign_in()
    assert p3.role == "viewer"
    users.reset_password(SYSTEM, "erin", "a brand new password")
    assert users.current(p3.account_id, p3.session_version) is None
    with pytest.raises(InvalidCredentials):
        sign_in()
    users.remove(SYSTEM, "erin")
    assert users.current(p3.account_id, p3.session_version + 1) is None


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


@pytest.mark.parametrize(
    ("weak", "why"),
    [
        ("a" * 32, "repeats"),
        (" " * 32, "repeats"),
        ("changeme" * 4, "sample word"),
        ("ab" * 20, "repeats"),
        ("some_key-" + "x1y2z3" * 5, "sample word"),
        ("abcdefghijklmnopqrstuvwxyz012345", "sample word"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "bits of randomness"),
        ("short", "at least 32"),
    ],
)
def test_low_entropy_cookie_keys_are_refused_with_how_to_make_one(tmp_path, weak, why) -> None:
    with pytest.raises(AuthError, match=why) as exc:
        cookie_key(Settings(cookie_key=weak), tmp_path / "k")
    assert "secrets.token_urlsafe(48)" in str(exc.value)
    assert weak not in str(exc.value) or len(weak) < 8  # the key itself is never echoed


def test_random_cookie_keys_are_accepted(tmp_path) -> None:
    import secrets

    for key in (secrets.token_urlsafe(48), secrets.token_hex(32), secrets.token_urlsafe(32)):
        assert cookie_key(Settings(cookie_key=key), tmp_path / "k") == key


def test_a_weak_key_file_is_refused_too(tmp_path) -> None:
    key_file = tmp_path / "k"
    key_file.write_text("x" * 40)
    with pytest.raises(AuthError, match="too weak"):
        cookie_key(Settings(), key_file)


# ---------------------------------------------------------------- one field at a time, one admin


def test_a_password_reset_changes_only_the_password(users: Users, store: Store) -> None:
    users.add(SYSTEM, "lena", PASSWORD, role="admin")
    users.add(SYSTEM, "mo", PASSWORD, role="manager", name="Mo M.")
    users.reset_password(SYSTEM, "mo", "a brand new password")
    assert users.change(SYSTEM, "mo", password="another new password") == ["password"]
    with store.read() as conn:
        row = conn.execute(select(m.User).where(m.User.username == "mo")).one()
    assert (row.role, row.name) == ("manager", "Mo M.")
    assert users.change(SYSTEM, "mo") == []
    assert users.change(SYSTEM, "mo", role="manager") == []  # the same role is no change


def test_a_change_with_a_bad_password_changes_nothing(users: Users, store: Store) -> None:
    p = users.add(SYSTEM, "nia", PASSWORD, role="manager")
    with pytest.raises(UserError, match="at least 12"):
        users.change(SYSTEM, "nia", role="viewer", password="short")
    assert users.current(p.account_id, p.session_version).role == "manager"


def test_the_last_admin_can_be_neither_demoted_nor_removed(users: Users) -> None:
    only = users.add(SYSTEM, "olga", PASSWORD, role="admin")
    for call in (
        lambda: users.set_role(only, "olga", "viewer"),
        lambda: users.change(SYSTEM, "olga", role="manager", password="a brand new password"),
        lambda: users.remove(SYSTEM, "olga"),
    ):
        with pytest.raises(UserError, match="only admin"):
            call()
    still = users.current(only.account_id, only.session_version)
    assert still is not None and still.role == "admin"  # nothing changed, sessions kept
    users.add(SYSTEM, "pat", PASSWORD, role="admin")
    users.set_role(SYSTEM, "olga", "viewer")  # now another admin is left
    with pytest.raises(UserError, match="only admin"):
        users.remove(SYSTEM, "pat")


def test_two_admins_demoting_each_other_at_once_leave_one_admin(users: Users) -> None:
    import threading

    users.add(SYSTEM, "quinn", PASSWORD, role="admin")
    users.add(SYSTEM, "rae", PASSWORD, role="admin")
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def demote(name: str) -> None:
        start.wait()
        try:
            users.set_role(SYSTEM, name, "viewer")
        except UserError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=demote, args=(n,)) for n in ("quinn", "rae")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1
    assert sum(u["role"] == "admin" for u in users.list(SYSTEM)) == 1


def test_right_passwords_do_not_use_up_a_shared_address(users: Users) -> None:
    """A team behind one address signs in all day; only wrong passwords count."""
    team = [users.add(SYSTEM, f"member{i}", PASSWORD, role="viewer") for i in range(8)]
    for _ in range(2):
        for p in team:
            assert users.authenticate(p.username, PASSWORD, client="office-nat").username
    with pytest.raises(InvalidCredentials):  # still checked, not throttled
        users.authenticate("member0", "a typo", client="office-nat")
