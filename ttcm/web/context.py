"""The one object every page starts from: who is signed in, settings, store and services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import streamlit as st

from ttcm.api.client import TikTokOneClient
from ttcm.auth import Principal, role_allows
from ttcm.auth.users import Users
from ttcm.config import Settings
from ttcm.refresh.jobs import RefreshJobs
from ttcm.runtime import make_client, shared_store
from ttcm.services.alerts import Alerts, alerts_on
from ttcm.services.audit_log import AuditLog
from ttcm.services.campaigns.service import Campaigns
from ttcm.services.creator_history import CreatorHistory
from ttcm.services.demo_time import app_now_or_utc
from ttcm.services.discovery.search import Discovery
from ttcm.services.exchange_rates import ExchangeRates
from ttcm.services.fees import Fees
from ttcm.services.history import history_policy
from ttcm.services.invitations import Invitations
from ttcm.services.links import Links
from ttcm.services.orders.service import Orders
from ttcm.services.payments import Payments
from ttcm.services.profiles import Profiles
from ttcm.services.saved_searches import SavedSearches
from ttcm.services.shortlists import Shortlists
from ttcm.services.spark import SparkAds
from ttcm.services.spark_board import SparkBoard
from ttcm.services.status import Status
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

    @cached_property
    def spark_board(self) -> SparkBoard:
        """Spark Ads codes of every campaign (the expiry board)."""
        return SparkBoard(self.store, self.client_factory, now=self.now)

    @cached_property
    def refresh_jobs(self) -> RefreshJobs:
        """This process's background refresh, which records the alerts (app clock) at its end."""
        return RefreshJobs.shared(
            self.store,
            self.client_factory,
            after=(alerts_on(self.now),),
            history=history_policy(self.settings),
        )

    @cached_property
    def alerts(self) -> Alerts:
        """The alerts inbox."""
        return Alerts(self.store, now=self.now)

    @cached_property
    def shortlists(self) -> Shortlists:
        """Shortlists of creators."""
        return Shortlists(self.store)

    @cached_property
    def discovery(self) -> Discovery:
        """Creator search over the in-memory index."""
        return Discovery(self.store, self.settings)

    @cached_property
    def saved_searches(self) -> SavedSearches:
        """Saved Discovery searches and what is new since each was last opened."""
        return SavedSearches(self.store, self.settings)

    @cached_property
    def creator_history(self) -> CreatorHistory:
        """A creator's campaigns with the team, and what a rebooking starts from."""
        return CreatorHistory(self.store, now=self.now)

    @cached_property
    def profiles(self) -> Profiles:
        """Creator profiles and similar creators."""
        return Profiles(self.store)

    @cached_property
    def campaigns(self) -> Campaigns:
        """Campaign settings."""
        return Campaigns(self.store, self.client_factory)

    @cached_property
    def orders(self) -> Orders:
        """Orders of a campaign."""
        return Orders(self.store, self.client_factory)

    @cached_property
    def links(self) -> Links:
        """Published posts tied to a campaign through its campaign code."""
        return Links(self.store, self.client_factory)

    @cached_property
    def fees(self) -> Fees:
        """Agreed fees of a campaign's creators."""
        return Fees(self.store)

    @cached_property
    def payments(self) -> Payments:
        """Payments of campaign creators' fees, spend and the finance CSV (the app's clock)."""
        return Payments(self.store, now=self.now)

    @cached_property
    def invitations(self) -> Invitations:
        """TTCM invitations."""
        return Invitations(self.store, self.client_factory)

    @cached_property
    def spark(self) -> SparkAds:
        """Spark Ads authorizations; "now" is the app's clock (the sandbox's, when it has one)."""
        return SparkAds(self.store, self.client_factory, now=self.now)

    def now(self) -> datetime:
        """The app's "now": the sandbox's clock when the API is a sandbox, else (or when that
        clock cannot be read; `ttcm.web.clock.page_now` says so on the page) real UTC."""
        return app_now_or_utc(self.settings)[0]

    @cached_property
    def status(self) -> Status:
        """What Home shows: the data source and how fresh the cache is."""
        return Status(self.store, self.settings)

    @cached_property
    def audit_log(self) -> AuditLog:
        """The audit log in words."""
        return AuditLog(self.store)

    @cached_property
    def rates(self) -> ExchangeRates:
        """Exchange rates and the team currency."""
        return ExchangeRates(self.store)

    @cached_property
    def users(self) -> Users:
        """The people who may sign in."""
        return Users(self.store)


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


_CONTEXT = "ttcm_page_context"  # the frame's PageContext of this session's latest run


def app_context(principal: Principal, settings: Settings) -> PageContext:
    """The frame (app.py) builds the run's one PageContext here; the page then reuses it."""
    ctx = PageContext(principal, settings, shared_store(settings))
    st.session_state[_CONTEXT] = ctx
    return ctx


def page_context(action: str = "read") -> PageContext:
    """Check sign-in and the role `action` needs, then give the page its context (call it first).

    The principal is re-read from the store on every run; the frame's context is reused only
    while it is for that same principal (a page run on its own builds its context here).
    """
    principal = page_principal(action)
    ctx = st.session_state.get(_CONTEXT)
    if not isinstance(ctx, PageContext) or ctx.principal != principal:
        ctx = app_context(principal, Settings.load())
    return ctx


def recheck(action: str = "read") -> None:
    """At the top of a fragment: its reruns skip the page's own check, so check sign-in again.

    A session ended elsewhere (sign-out, role change, revocation) stops the fragment with the
    sign-in form instead of turning another page with the principal of the last full run.
    """
    page_principal(action)
