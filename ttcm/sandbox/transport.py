"""`SandboxTransport`: httpx talks to an in-process `SandboxApp`, no sockets involved.

Both `http://sandbox/open_api/v1.3/tto/...` and `http://sandbox/tto/...` reach the same endpoint:
the app strips the `/open_api/v1.3` prefix when present, so a client can use either base URL.
"""

from __future__ import annotations

import os
import threading

import httpx

from ttcm.sandbox.app import FAULT_HEADER, SandboxApp


class SandboxTransport(httpx.BaseTransport):
    """An httpx transport answering from a `SandboxApp`; a timeout fault raises ReadTimeout."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the request through the app."""
        query = {key: value for key, value in request.url.params.multi_items()}
        status, headers, body = self.app.handle(
            request.method, request.url.path, query, request.read(), dict(request.headers)
        )
        if headers.get(FAULT_HEADER) == "timeout":
            raise httpx.ReadTimeout("sandbox fault: the request timed out", request=request)
        return httpx.Response(status, headers=headers, content=body, request=request)


_APPS: dict[tuple[int, int, str | None, str], SandboxApp] = {}
_APPS_LOCK = threading.Lock()


def shared_app(
    n_creators: int = 5000,
    seed: int = 7,
    state_path: str | os.PathLike[str] | None = None,
    dialect: str = "",
) -> SandboxApp:
    """One `SandboxApp` per (n_creators, seed, state_path, dialect) per process, built once."""
    path = os.fspath(state_path) if state_path is not None else None
    key = (int(n_creators), int(seed), path, dialect)
    with _APPS_LOCK:
        app = _APPS.get(key)
        if app is None:
            app = _APPS[key] = SandboxApp(
                n_creators, seed, state_path=state_path, dialect=dialect or None
            )
        return app
