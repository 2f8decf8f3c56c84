"""Keep access tokens out of exception text and log lines (docs/decisions.md §4).

Clients register their token here; `redact` replaces every registered secret, every run of 8 or
more of its characters (an API may echo a truncated token) and anything that looks like an
`Access-Token`/`access_token`/`secret` value with `***`. `install_log_redaction` puts a filter on
the httpx/httpcore loggers and on `ttcm.api`, so even at DEBUG no record carries a token.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote

MASK = "***"
MIN_SECRET_LENGTH = 6  # shorter strings would mangle ordinary words if masked everywhere
FRAGMENT = 8  # any run of this many characters of a secret is masked (a truncated echo too)

_secrets: set[str] = set()
_fragments: set[str] = set()  # every FRAGMENT-long slice of every registered secret
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
        for form in (secret, quote(secret, safe="")):
            _secrets.add(form)
            _fragments.update(_slices(form))


def _slices(secret: str) -> set[str]:
    return {secret[i : i + FRAGMENT] for i in range(len(secret) - FRAGMENT + 1)}


def _mask_fragments(text: str, fragments: set[str]) -> str:
    """`text` with every run covered by FRAGMENT-long slices of a secret replaced by MASK."""
    if not fragments or len(text) < FRAGMENT:
        return text
    spans: list[list[int]] = []
    for i in range(len(text) - FRAGMENT + 1):
        if text[i : i + FRAGMENT] in fragments:
            if spans and i <= spans[-1][1]:
                spans[-1][1] = i + FRAGMENT
            else:
                spans.append([i, i + FRAGMENT])
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return "".join(out)


def redact(text: str, extra: tuple[str, ...] = ()) -> str:
    """`text` with every registered secret, every `extra` secret and token-like values masked."""
    with _guard:
        secrets = sorted(_secrets.union(s for s in extra if s), key=len, reverse=True)
        fragments = set(_fragments)
    for secret in extra:
        if secret:
            fragments.update(_slices(secret))
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _mask_fragments(text, fragments)
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
