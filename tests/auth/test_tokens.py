"""Session and device tokens: forged, tampered, expired, mixed-up and junk tokens are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from ttcm.auth import Principal
from ttcm.auth.users import Device
from ttcm.web.session import issue_device_token, issue_token, read_device_token, read_token

KEY = "k" * 48
ALICE = Principal("alice", "Alice", "admin", 4, "a1b2c3")


def test_round_trip_names_the_account_id_not_the_user_name() -> None:
    token = issue_token(ALICE, KEY)
    assert read_token(token, KEY) == ("a1b2c3", 4)
    assert "alice" not in str(jwt.decode(token, KEY, algorithms=["HS256"]))


def test_forged_with_another_key_is_refused() -> None:
    assert read_token(issue_token(ALICE, "x" * 48), KEY) is None


def test_tampered_payload_is_refused() -> None:
    token = issue_token(ALICE, KEY)
    head, body, sig = token.split(".")
    forged_body = jwt.encode(
        {"typ": "session", "aid": "other", "sv": 4, "exp": 9999999999}, "x" * 48, "HS256"
    ).split(".")[1]
    assert read_token(f"{head}.{forged_body}.{sig}", KEY) is None


def test_expired_and_unsigned_tokens_are_refused() -> None:
    old = issue_token(ALICE, KEY, now=datetime.now(UTC) - timedelta(days=30))
    assert read_token(old, KEY) is None
    unsigned = jwt.encode(
        {"typ": "session", "aid": "a1b2c3", "sv": 4, "exp": 9999999999}, None, algorithm="none"
    )
    assert read_token(unsigned, KEY) is None


def test_junk_is_refused() -> None:
    for junk in (None, "", "abc", "a.b.c", "🎯", "x" * 10000):
        assert read_token(junk, KEY) is None
        assert read_device_token(junk, KEY) is None
    no_version = jwt.encode({"typ": "session", "aid": "a", "exp": 9999999999}, KEY, "HS256")
    assert read_token(no_version, KEY) is None
    old_style = jwt.encode({"sub": "alice", "sv": 4, "exp": 9999999999}, KEY, "HS256")
    assert read_token(old_style, KEY) is None  # name + version tokens are no longer accepted


def test_device_and_session_tokens_are_not_interchangeable() -> None:
    device = issue_device_token(ALICE, KEY)
    found = read_device_token(device, KEY)
    assert isinstance(found, Device) and found.account_id == "a1b2c3" and found.device_id
    assert read_token(device, KEY) is None
    assert read_device_token(issue_token(ALICE, KEY), KEY) is None
    assert read_device_token(issue_device_token(ALICE, KEY), KEY) != found  # one id per browser
