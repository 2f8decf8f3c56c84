"""User-name and password rules, and bcrypt hashing (cost 12) that takes the same time for all."""

from __future__ import annotations

import re
import secrets

import bcrypt

from ttcm import rules
from ttcm.auth import UserError

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
BCRYPT_MAX_BYTES = 72
# a valid bcrypt hash of a random string: unknown users cost the same time as known ones
DUMMY_HASH = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt()).decode()


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
    min_length = rules.load("roles")["password_min_length"]
    if not isinstance(password, str) or "\x00" in password:
        raise UserError("The password contains characters that are not allowed.")
    if len(password) < min_length:
        raise UserError(f"Passwords need at least {min_length} characters.")
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        raise UserError(f"Passwords can be at most {BCRYPT_MAX_BYTES} bytes (bcrypt's limit).")


def hash_password(password: str) -> str:
    """bcrypt hash of an acceptable password."""
    check_password_rules(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode()


def password_matches(password: str, hashed: str) -> bool:
    """True when `password` is the one `hashed` was made from (a bcrypt check in every case)."""
    data = (password or "").encode("utf-8")
    if len(data) > BCRYPT_MAX_BYTES or "\x00" in (password or ""):
        bcrypt.checkpw(b"x", DUMMY_HASH.encode())  # same cost as a real check
        return False
    try:
        return bcrypt.checkpw(data, hashed.encode())
    except ValueError:
        return False
