"""Fixtures of the service tests (their builders are in tests/builders/)."""

from __future__ import annotations

import pytest

from tests.builders.campaigns import FAST
from ttcm.sandbox import SandboxApp


@pytest.fixture
def sbx() -> SandboxApp:
    """A sandbox big enough for the order limits, whose rate limit never gets in the way."""
    return SandboxApp(n_creators=3000, seed=13, **FAST)
