"""The sandbox over HTTP on loopback: a Starlette app around `SandboxApp`, served by uvicorn.

Every API path answers under `/open_api/v1.3/` and at the root. Control endpoints for tests and
demos: `POST /_sandbox/clock/advance {"hours": n}`, `POST /_sandbox/faults {...}` and
`GET /_sandbox/state`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ttcm.sandbox.app import FAULT_HEADER, SandboxApp
from ttcm.sandbox.faults import FaultSpec

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def create_app(sandbox: SandboxApp) -> Starlette:
    """The ASGI app serving `sandbox`."""

    async def api(request: Request) -> Response:
        body = await request.body()
        query = dict(request.query_params.items())
        status, headers, content = await run_in_threadpool(
            sandbox.handle, request.method, request.url.path, query, body, dict(request.headers)
        )
        if headers.get(FAULT_HEADER) == "timeout":
            await asyncio.sleep(sandbox.faults.slow_seconds)
        return Response(content, status_code=status, headers=headers)

    async def advance(request: Request) -> Response:
        payload = await _json(request)
        if not isinstance(payload, dict) or "hours" not in payload:
            return JSONResponse({"error": 'send a JSON object {"hours": n}'}, status_code=400)
        hours = payload["hours"]
        try:
            now = await run_in_threadpool(sandbox.advance, hours)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"now": now.isoformat()})

    async def faults(request: Request) -> Response:
        payload = await _json(request)
        if payload is _INVALID:
            return JSONResponse({"error": "the body is not valid JSON"}, status_code=400)
        try:
            spec = sandbox.set_faults(payload if payload is not None else {})
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"faults": spec.as_dict(), "spec": str(spec)})

    async def state(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(sandbox.summary))

    return Starlette(
        routes=[
            Route("/_sandbox/clock/advance", advance, methods=["POST"]),
            Route("/_sandbox/faults", faults, methods=["POST"]),
            Route("/_sandbox/state", state, methods=["GET"]),
            Route("/{path:path}", api, methods=_METHODS),
        ]
    )


_INVALID = object()


async def _json(request: Request) -> Any:
    """The JSON body, None when empty, `_INVALID` when it does not parse."""
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return _INVALID


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    creators: int = 5000,
    seed: int = 7,
    faults: str | dict[str, Any] | FaultSpec | None = None,
    qps: float | None = None,
    state_path: str | None = None,
    allow_remote: bool = False,
    dialect: Any = None,
) -> None:
    """Serve the sandbox with uvicorn until interrupted; loopback only unless `allow_remote`."""
    import uvicorn

    if not allow_remote and not is_loopback(host):
        raise ValueError(f"refusing to serve the sandbox on non-loopback host {host!r}")
    sandbox = SandboxApp(
        creators, seed, qps=qps, faults=faults, state_path=state_path, dialect=dialect
    )

    class _Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            bound = port
            for server in getattr(self, "servers", []):
                for sock in server.sockets:
                    bound = sock.getsockname()[1]
            shown = f"[{host}]" if ":" in host else host
            print(
                f"ttcm sandbox listening on http://{shown}:{bound}/open_api/v1.3 "
                f"({creators:,} creators, seed {seed}, faults {FaultSpec.parse(faults)}, "
                f"dialect {sandbox.dialect})",
                flush=True,
            )

    config = uvicorn.Config(
        create_app(sandbox), host=host, port=port, log_level="warning", lifespan="off"
    )
    _Server(config).run()
