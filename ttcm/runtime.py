"""Wiring shared by the CLI and the app: settings -> store and API client.

The runtime picks the client's transport: real HTTP to `api_base`, or the in-process offline
sandbox when `api_base` is "sandbox" (the API client itself never imports the sandbox).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ttcm.api.client import TikTokOneClient
from ttcm.config import SANDBOX, Settings
from ttcm.store import Store, ensure_schema

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
    from ttcm.sandbox import SandboxTransport, shared_app  # only the offline demo loads it

    app = shared_app(
        settings.sandbox_creators,
        settings.sandbox_seed,
        state_path=settings.sandbox_state,
        dialect=settings.sandbox_dialect,
    )
    transport = SandboxTransport(app)
    return TikTokOneClient(SANDBOX_BASE_URL, settings.access_token, transport=transport, **options)
