"""Campaigns on the in-process sandbox: a valid plan, a fast client, a spying client factory."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select

from ttcm.api import TikTokOneClient
from ttcm.sandbox import SandboxApp, SandboxTransport
from ttcm.sandbox.data import FAIL_AGE, FAIL_NONE, IN, NOT_IN
from ttcm.services.campaigns.settings import CampaignInput
from ttcm.store import Store
from ttcm.store import models as m

FAST = {"qps": 100_000, "qpm": 10_000_000}
NOW = datetime(2026, 1, 5, tzinfo=UTC)
GOOD = CampaignInput(
    campaign_name="Autumn launch",
    brand_name="Acme",
    description="New jackets for autumn",
    spark_days_default=60,
    goals="Awareness in the US",
    kpi_views=500_000,
    kpi_engagement_rate=0.05,
    kpi_reach=300_000,
    kpi_posts=20,
    kpi_spark_codes=10,
    budget=25_000.0,
    currency="usd",
    start_date=date(2026, 9, 1),
    end_date=date(2026, 10, 31),
    posting_start=date(2026, 9, 10),
    posting_end=date(2026, 10, 20),
    brief_content="Show the jacket in the rain",
    brief_dos="Tag @acme",
    brief_donts="No competitor brands",
    payment_terms="50 % up front",
)


def make_client(app: SandboxApp) -> TikTokOneClient:
    """A client on `app` that never really sleeps (throttling retries are instant)."""
    return TikTokOneClient(
        "http://sandbox.local/open_api/v1.3",
        "tok-SECRET-cmpgn-tests",
        transport=SandboxTransport(app),
        sleep=lambda _seconds: None,
        **FAST,
    )


class Spy:
    """A client factory on a sandbox that records the writes each client sends.

    `fault_next[name]` injects a sandbox fault spec into the next `name` call only, or raises
    it instead of sending when it is an exception (a refusal the sandbox cannot be made to give).
    """

    def __init__(self, app: SandboxApp) -> None:
        self.app = app
        self.calls: list[tuple[str, Any]] = []
        self.fault_next: dict[str, Any] = {}

    def __call__(self):  # noqa: ANN204 - a client
        client = make_client(self.app)
        assert client.account_id  # resolved now, so an injected fault hits the write itself
        for name in ("campaign_create", "order_create", "campaign_link"):
            original = getattr(client, name)

            def spy(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any):
                self.calls.append((_name, args[2] if _name == "order_create" else args))
                fault = self.fault_next.pop(_name, None)
                if fault is None:
                    return _original(*args, **kwargs)
                if isinstance(fault, BaseException):
                    raise fault
                self.app.set_faults(fault)
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.app.set_faults(None)

            setattr(client, name, spy)
        return client

    def sent(self, name: str) -> list[Any]:
        """Arguments of each `name` call (order_create: its handles)."""
        return [a for n, a in self.calls if n == name]


def seed_creators(store: Store, app: SandboxApp) -> dict[str, list[str]]:
    """Cache sandbox creators of every account kind; returns handles by kind."""
    d = app.directory
    kinds = {
        "ttcm": np.flatnonzero(d.status == IN)[:260].tolist(),
        "auth_nonttcm": np.flatnonzero(
            (d.status == NOT_IN) & d.authenticated & (d.fail == FAIL_NONE)
        )[:5].tolist(),
        # authorized, off the marketplace and under 18: TikTok refuses their orders
        "under_18": np.flatnonzero((d.status == NOT_IN) & d.authenticated & (d.fail == FAIL_AGE))[
            :3
        ].tolist(),
        "unsupported": np.flatnonzero((d.status == NOT_IN) & ~d.authenticated)[:5].tolist(),
    }
    rows = [
        {
            "handle_name": d.handles[i],
            "display_name": f"Creator {i}",
            "is_tcm_creator": kind == "ttcm",
            "is_authenticated": bool(d.authenticated[i]),
            "followers_count": int(d.followers[i]),
            "source": m.API_SOURCE,
            "first_seen_at": NOW,
            "fetched_at": NOW,
        }
        for kind, idx in kinds.items()
        for i in idx
    ]
    with store.write() as conn:
        conn.execute(m.Creator.__table__.insert(), rows)
    return {kind: [d.handles[i] for i in idx] for kind, idx in kinds.items()}


def count(store: Store, model: Any, *where: Any) -> int:
    """Rows of `model` (matching `where`)."""
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def audit(store: Store, action: str) -> list[Any]:
    """Audit entries of one action, oldest first."""
    with store.read() as conn:
        return conn.execute(
            select(m.AuditEntry).where(m.AuditEntry.action == action).order_by(m.AuditEntry.id)
        ).all()
