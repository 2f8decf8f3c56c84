"""Session tokens: forged, tampered, expired and revoked tokens are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from ttcm.auth import Principal
from ttcm.web.session import issue_token, read_token

KEY = "k" * 48
ALICE = Principal("alice", "Alice", "admin", 4)


def test_round_trip() -> None:
    assert read_token(issue_token(ALICE, KEY), KEY) == ("alice", 4)


def test_forged_with_another_key_is_refused() -> None:
    assert read_token(issue_token(ALICE, "x" * 48), KEY) is None


def test_tampered_payload_is_refused() -> None:
    token = issue_token(ALICE, KEY)
    head, body, sig = token.split(".")
    forged_body = jwt.encode(
        {"sub": "mallory", "sv": 4, "exp": 9999999999}, "x" * 48, "HS256"
    ).split(".")[1]
    assert read_token(f"{head}.{forged_body}.{sig}", KEY) is None


def test_expired_and_unsigned_tokens_are_refused() -> None:
    old = issue_token(ALICE, KEY, now=datetime.now(UTC) - timedelta(days=30))
    assert read_token(old, KEY) is None
    unsigned = jwt.encode({"sub": "alice", "sv": 4, "exp": 9999999999}, None, algorithm="none")
    assert read_token(unsigned, KEY) is None


def test_junk_is_refused() -> None:
    for junk in (None, "", "abc", "a.b.c", "🎯", "x" * 10000):
        assert read_token(junk, KEY) is None
    no_version = jwt.encode({"sub": "alice", "exp": 9999999999}, KEY, "HS256")
    assert read_token(no_version, KEY) is None
