"""Keep access tokens out of exception text and log lines (docs/decisions.md §4).

Clients register their token here; `redact` replaces every registered secret (and anything that
looks like an `Access-Token`/`access_token`/`secret` value) with `***`. `install_log_redaction`
puts a filter on the httpx/httpcore loggers and on `ttcm.api`, so even at DEBUG no record carries
a token.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote

MASK = "***"
MIN_SECRET_LENGTH = 6  # shorter strings would mangle ordinary words if masked everywhere

_secrets: set[str] = set()
_guard = threading.Lock()
_PATTERN = re.compile(
    r"((?:access[-_]?token|refresh[-_]?token|secret)[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}]+)",
    re.IGNORECASE,
)
LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "ttcm.api",
)


def register_secret(secret: str) -> None:
    """Remember `secret` (and its URL-encoded form) so `redact` masks it from now on."""
    if not isinstance(secret, str) or len(secret) < MIN_SECRET_LENGTH:
        return
    with _guard:
        _secrets.add(secret)
        _secrets.add(quote(secret, safe=""))


def redact(text: str, extra: tuple[str, ...] = ()) -> str:
    """`text` with every registered secret, every `extra` secret and token-like values masked."""
    with _guard:
        secrets = sorted(_secrets.union(s for s in extra if s), key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return _PATTERN.sub(lambda m: m.group(1) + MASK, text)


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with secrets masked; never drops a record."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as-is rather than lost
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_FILTER = RedactingFilter()


def install_log_redaction() -> None:
    """Attach the redacting filter to the HTTP and client loggers (idempotent)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
