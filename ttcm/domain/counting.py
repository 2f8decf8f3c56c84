"""Counted nouns for people: "1 creator", "2 creators" (never "1 creators" or "creator(s)")."""

from __future__ import annotations


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 creator", "2 creators", "12,000 creators"."""
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{n:,} {word}"
