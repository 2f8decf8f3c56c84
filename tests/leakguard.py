"""A log handler that keeps every record of the test run, and a scan for secrets in it.

Tests use distinctive secrets (listed here, or containing SECRET_MARKER) so a leak into any log
line of the whole run is found by `scan`, which conftest runs when the session ends.
"""

from __future__ import annotations

import logging
import threading

SECRET_MARKER = "tok-SECRET-"
KNOWN_SECRETS = (
    "correct horse battery staple",
    "a brand new password",
    "another long password",
    "ünïcödé password 🎯",
)


class KeepAll(logging.Handler):
    """Keeps the formatted text of every record it sees."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record must not break the run
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += " | " + repr(record.exc_info[1])
        with self._guard:
            self.lines.append(f"{record.name}: {text}")


def scan(lines: list[str], secrets: tuple[str, ...] = KNOWN_SECRETS) -> list[str]:
    """Lines that contain a known secret or the secret marker."""
    return [line for line in lines if SECRET_MARKER in line or any(s in line for s in secrets)]
