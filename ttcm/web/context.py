"""The one object every page starts from: who is signed in, settings, store and services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from ttcm.api.client import TikTokOneClient
from ttcm.auth import Principal, role_allows
from ttcm.config import Settings
from ttcm.runtime import make_client, shared_store
from ttcm.services.alerts import Alerts
from ttcm.services.campaigns import Campaigns
from ttcm.services.demo_time import ClockError, app_now
from ttcm.services.invitations import Invitations
from ttcm.services.orders import Orders
from ttcm.services.shortlists import Shortlists
from ttcm.services.spark_board import SparkBoard
from ttcm.store.engine import Store
from ttcm.web.session import page_principal


@dataclass
class Services:
    """The use cases a page calls, built lazily on the shared store (one property per service)."""

    store: Store
    settings: Settings

    def client(self) -> TikTokOneClient:
        """A new TikTok One client (a context manager) for one call."""
        return make_client(self.settings)

    @property
    def client_factory(self) -> Callable[[], TikTokOneClient]:
        """What services that call TikTok take: a way to open a client when they need one."""
        return self.client

    def now(self) -> datetime:
        """The app's "now": the sandbox's clock on a sandbox, else (or when unreadable) real UTC."""
        try:
            return app_now(self.settings)
        except ClockError:
            return datetime.now(UTC)

    @cached_property
    def spark_board(self) -> SparkBoard:
        """Spark Ads codes of every campaign (the expiry board)."""
        return SparkBoard(self.store, self.client_factory, now=self.now)

    @cached_property
    def alerts(self) -> Alerts:
        """The alerts inbox."""
        return Alerts(self.store, now=self.now)

    @cached_property
    def shortlists(self) -> Shortlists:
        """Shortlists of creators."""
        return Shortlists(self.store)

    @cached_property
    def campaigns(self) -> Campaigns:
        """Campaign settings."""
        return Campaigns(self.store, self.client_factory)

    @cached_property
    def orders(self) -> Orders:
        """Orders of a campaign."""
        return Orders(self.store, self.client_factory)

    @cached_property
    def invitations(self) -> Invitations:
        """TTCM invitations."""
        return Invitations(self.store, self.client_factory)


@dataclass
class PageContext:
    """What a page needs: the signed-in principal, the settings, the store and the services."""

    principal: Principal
    settings: Settings
    store: Store
    services: Services = field(init=False)

    def __post_init__(self) -> None:
        self.services = Services(self.store, self.settings)

    def can(self, action: str) -> bool:
        """Whether the signed-in role may do `action` (the services check it again)."""
        return role_allows(self.principal.role, action)


def page_context(action: str = "read") -> PageContext:
    """Check sign-in and the role `action` needs, then give the page its context (call it first)."""
    principal = page_principal(action)
    settings = Settings.load()
    return PageContext(principal, settings, shared_store(settings))
