"""The secret scan itself finds what it should."""

import logging

from tests.leakguard import SECRET_MARKER, KeepAll, scan


def test_scan_finds_markers_and_known_secrets() -> None:
    lines = [
        "httpx: GET http://x/?a=1",
        f"ttcm.api: token {SECRET_MARKER}abc",
        "auth: pw correct horse battery staple",
    ]
    assert scan(lines) == lines[1:]


def test_handler_keeps_messages_and_exceptions() -> None:
    keep = KeepAll()
    log = logging.getLogger("leakguard-test")
    log.addHandler(keep)
    log.propagate = False  # the deliberate leak must not reach the run-wide scan
    try:
        log.warning("hello %s", "world")
        try:
            raise ValueError(f"{SECRET_MARKER}x")
        except ValueError:
            log.exception("boom")
    finally:
        log.removeHandler(keep)
    assert keep.lines[0] == "leakguard-test: hello world"
    assert scan(keep.lines) == [keep.lines[1]]
