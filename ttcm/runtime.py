"""Wiring shared by the CLI and the app: settings -> store and API client."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ttcm.config import Settings
from ttcm.store import Store, ensure_schema

if TYPE_CHECKING:
    from ttcm.api import TikTokOneClient


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


def make_client(settings: Settings) -> TikTokOneClient:
    """A TikTok One client for the settings (the in-process sandbox by default)."""
    from ttcm.api import TikTokOneClient

    return TikTokOneClient.from_settings(settings)
