"""Refresh fixtures: an in-process sandbox and a client on it (no rate limit in the way)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ttcm.api import TikTokOneClient
from ttcm.sandbox import SandboxApp, SandboxTransport

TOKEN = "tok-SECRET-sync-tests"
FAST = {"qps": 100_000, "qpm": 10_000_000}


def make_client(app: SandboxApp) -> TikTokOneClient:
    """A client on `app`, with the client-side limiter out of the way too."""
    return TikTokOneClient(
        "http://sandbox.local/open_api/v1.3",
        TOKEN,
        transport=SandboxTransport(app),
        **FAST,
    )


def visible_creators(app: SandboxApp) -> set[str]:
    """Every creator the account can see: marketplace creators (discover) and authorized ones.

    Taken from the sandbox's own directory, not through the capped API, so it is an oracle.
    """
    handles = app.directory.handles
    listed = {handles[i] for i in np.flatnonzero(app.discover.listed)}
    authorized = {handles[int(i)] for i in app.world.authenticated}
    return listed | authorized


BIN = Path(sys.executable).parent


@contextmanager
def loopback_sandbox(*args: str) -> Iterator[str]:
    """`ttcm sandbox serve` on a free loopback port with extra CLI args; yields its base URL."""
    from tests.e2e.conftest import free_port, wait_http

    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "ttcm"), "sandbox", "serve", "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/_sandbox/state", timeout=60)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def cli_env(store_url: str, base: str, token: str = TOKEN) -> dict[str, str]:
    """Environment for `ttcm` commands against a loopback sandbox and a given store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")}
    env.update(
        TTCM_API_BASE=f"{base}/open_api/v1.3",
        TTCM_ACCESS_TOKEN=token,
        TTCM_DATABASE_URL=store_url,
        TTCM_QPS="1000",
        TTCM_INDEX_DIR=os.environ["TTCM_INDEX_DIR"],
    )
    return env
