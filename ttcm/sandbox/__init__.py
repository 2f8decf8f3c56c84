"""Offline TikTok One: a deterministic creator directory and every endpoint of the contract.

Use `SandboxApp.handle` directly, through httpx with `SandboxTransport`, or over loopback HTTP
with `ttcm sandbox serve`.
"""

from ttcm.sandbox.app import SandboxApp
from ttcm.sandbox.clock import SandboxClock
from ttcm.sandbox.transport import SandboxTransport, shared_app

__all__ = ["SandboxApp", "SandboxClock", "SandboxTransport", "shared_app"]
