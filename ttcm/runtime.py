"""Wiring shared by the CLI and the app: settings -> store and API client.

The runtime picks the client's transport: real HTTP to `api_base`, or the in-process offline
sandbox when `api_base` is "sandbox" (the API client itself never imports the sandbox).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ttcm.api.client import TikTokOneClient
from ttcm.config import SANDBOX, Settings
from ttcm.store import Store, ensure_schema

if TYPE_CHECKING:
    from ttcm.sandbox.app import SandboxApp

SANDBOX_BASE_URL = "http://sandbox.local/open_api/v1.3"


def open_store(settings: Settings, *, migrate: bool = True) -> Store:
    """Open the store named by the settings, upgrading its schema when it is behind."""
    store = Store.from_url(settings.database_url)
    if migrate:
        ensure_schema(store.engine)
    return store


@cache
def _cached_store(url: str) -> Store:
    store = Store.from_url(url)
    ensure_schema(store.engine)
    return store


def shared_store(settings: Settings) -> Store:
    """One store per database URL per process (the app's sessions share it)."""
    return _cached_store(settings.database_url)


def make_client(settings: Settings, **options: Any) -> TikTokOneClient:
    """A TikTok One client for the settings (the in-process sandbox by default).

    `options` go to `TikTokOneClient` (tests pass a clock's `sleep`, a `limiter`, ...).
    """
    options = {"account_id": settings.account_id, "qps": settings.qps} | options
    if settings.api_base != SANDBOX:
        return TikTokOneClient(settings.api_base, settings.access_token, **options)
    from ttcm.sandbox import SandboxTransport  # only the offline demo loads it

    transport = SandboxTransport(in_process_sandbox(settings))
    return TikTokOneClient(SANDBOX_BASE_URL, settings.access_token, transport=transport, **options)


def in_process_sandbox(settings: Settings) -> SandboxApp:
    """The in-process sandbox of the settings: the one `make_client` talks to (and its clock)."""
    from ttcm.sandbox import shared_app

    return shared_app(
        settings.sandbox_creators,
        settings.sandbox_seed,
        state_path=settings.sandbox_state,
        dialect=settings.sandbox_dialect,
    )


def sandbox_clock_offset_hours(settings: Settings) -> float:
    """How far the in-process sandbox's clock is ahead of real time, from its state file.

    Cheap (no creator directory is built); ValueError when the file cannot be read.
    """
    from ttcm.sandbox.state import StateFile

    path = Path(settings.sandbox_state)
    if not path.exists():
        return 0.0
    loaded = StateFile(path).load()
    return 0.0 if loaded is None else float(loaded.data.get("clock_offset_hours", 0.0))


def is_loopback_host(host: str) -> bool:
    """The sandbox's own rule of where a served sandbox may run (loopback only)."""
    from ttcm.sandbox.server import is_loopback

    return is_loopback(host)
