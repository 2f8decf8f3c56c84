"""The access token never reaches a log line or an error text, even with httpx at DEBUG."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.api.conftest import ACCOUNT, TOKEN, Env, FakeClock, Script, Sleeper, envelope
from ttcm.api import RateLimiter, TikTokOneClient
from ttcm.api import errors as e
from ttcm.api.redact import LOGGERS, RedactingFilter, redact

LOUD = ("httpx", "httpcore", "ttcm.api")


class EchoHandler(BaseHTTPRequestHandler):
    """Answers every GET with an envelope that quotes the request line and the token header."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        token = self.headers.get("Access-Token", "")
        if "fail" in self.path:
            out = {"code": 40105, "message": f"Token {token} was revoked", "request_id": token}
        else:
            out = {"code": 0, "message": "OK", "request_id": "r-1", "data": {"echo": self.path}}
        raw = json.dumps(out).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Tt-Logid", "r-1")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
        return


@pytest.fixture
def loopback() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/open_api/v1.3"
    server.shutdown()
    server.server_close()


def real_client(base: str, **kwargs) -> TikTokOneClient:
    clock = FakeClock()
    return TikTokOneClient(
        base,
        TOKEN,
        account_id=ACCOUNT,
        limiter=RateLimiter(1000, 100000, clock=clock, sleep=Sleeper(clock)),
        sleep=Sleeper(clock),
        **kwargs,
    )


def all_text(caplog: pytest.LogCaptureFixture) -> str:
    return caplog.text + "\n".join(r.getMessage() for r in caplog.records)


def test_token_never_logged_over_a_real_socket_at_debug(loopback, caplog) -> None:
    for name in LOUD:
        caplog.set_level(logging.DEBUG, logger=name)
    with real_client(loopback) as client:
        # the token even travels in the URL here (as a handle), the worst case for httpx's log
        client.creator_public(TOKEN)
        with pytest.raises(e.TokenInvalidError) as info:
            client.request("labels", {"label_type": "fail"})
    assert any(r.name == "httpx" for r in caplog.records)  # httpx did log the request line
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    assert TOKEN not in all_text(caplog)
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value)
    assert "***" in info.value.message


def test_token_never_logged_through_mock_transport(make_env, caplog) -> None:
    for name in LOUD:
        caplog.set_level(logging.DEBUG, logger=name)
    script = Script(
        [
            envelope(code=50000, message=f"upstream said Access-Token: {TOKEN}"),
            envelope(code=40105, message=f"revoked {TOKEN}", request_id=TOKEN),
        ]
    )
    env: Env = make_env(script)
    with pytest.raises(e.TokenInvalidError):
        env.client.account_info()
    assert "attempt=1" in caplog.text and "request_id=" in caplog.text
    assert TOKEN not in all_text(caplog)


def test_redacting_filter_is_on_every_http_logger() -> None:
    for name in LOGGERS:
        assert any(isinstance(f, RedactingFilter) for f in logging.getLogger(name).filters)


def test_redacting_filter_rewrites_args() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "GET %s", (f"/x?t={TOKEN}",), None
    )
    RedactingFilter().filter(record)
    assert TOKEN not in record.getMessage()


def test_redact_masks_encoded_and_labelled_secrets() -> None:
    assert redact(f"a {TOKEN} b") == "a *** b"
    assert redact('{"access_token": "abc123xyz"}') == '{"access_token": "***"}'
    assert redact("Access-Token: zzzzzz") == "Access-Token: ***"
    assert redact("nothing to hide") == "nothing to hide"


def test_client_repr_hides_the_token(make_env) -> None:
    env: Env = make_env(Script([envelope()]))
    assert TOKEN not in repr(env.client)


def test_connection_refused_is_not_sent_and_writes_retry(caplog) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    client = real_client(f"http://127.0.0.1:{port}/open_api/v1.3")
    with client, pytest.raises(e.APIConnectionError) as info:
        client.invite(["a"])
    assert info.value.sent is False
    assert caplog.text.count("attempt=") == 3  # a write is retried when nothing left


def test_a_slow_server_times_out(caplog) -> None:
    stop = threading.Event()

    class Slow(EchoHandler):
        def do_GET(self) -> None:  # noqa: N802
            stop.wait(2.0)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/open_api/v1.3"
        client = real_client(base, timeout=httpx.Timeout(0.05), max_retries=0)
        with client, pytest.raises(e.APITimeoutError) as info:
            client.request("labels")
        assert info.value.sent is True
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
