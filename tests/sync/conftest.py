"""Refresh fixtures: an in-process sandbox and a client on it (no rate limit in the way)."""

from __future__ import annotations

import numpy as np
import pytest

from ttcm.api import TikTokOneClient
from ttcm.sandbox import SandboxApp, SandboxTransport

TOKEN = "tok-SECRET-sync-tests"
FAST = {"qps": 100_000, "qpm": 10_000_000}


@pytest.fixture
def sandbox() -> SandboxApp:
    """A small sandbox (1,500 creators) whose limits never throttle the tests."""
    return SandboxApp(n_creators=1500, seed=11, **FAST)


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
