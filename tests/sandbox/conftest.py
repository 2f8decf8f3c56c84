"""Fixtures of the sandbox tests: small fixed-clock apps and clients of them."""

from __future__ import annotations

import pytest

from tests.sandbox.support import Api, make_app
from ttcm.sandbox import SandboxApp


@pytest.fixture(scope="module")
def shared() -> SandboxApp:
    """One read-mostly app per test module."""
    return make_app()


@pytest.fixture
def app() -> SandboxApp:
    """A fresh app per test (for writes and clock moves)."""
    return make_app()


@pytest.fixture
def api(app: SandboxApp) -> Api:
    """A client of the fresh app."""
    return Api(app)


@pytest.fixture(scope="module")
def rapi(shared: SandboxApp) -> Api:
    """A client of the module's shared app (read-only tests)."""
    return Api(shared)
