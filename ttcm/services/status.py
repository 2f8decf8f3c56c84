"""What the Home page shows: which API, which account, how fresh the cache is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from ttcm.config import Settings
from ttcm.domain import format as numfmt
from ttcm.refresh.status import Freshness, freshness
from ttcm.store import Store
from ttcm.store import models as m


@dataclass(frozen=True)
class Overview:
    """The app's data source and cache state."""

    api_label: str
    is_sandbox: bool
    account_id: str | None
    account_name: str | None
    counts: dict[str, int]
    freshness: list[Freshness]


def api_label(settings: Settings) -> str:
    """Human name of the API in use (never includes the token)."""
    if settings.is_sandbox:
        n, seed = settings.sandbox_creators, settings.sandbox_seed
        return f"Offline sandbox ({numfmt.count(n)} creators, seed {seed})"
    return f"TikTok One API at {settings.api_base}"


def overview(store: Store, settings: Settings) -> Overview:
    """Collect the Home page's facts from the store."""
    with store.read() as conn:
        account = conn.execute(select(m.Account).order_by(m.Account.fetched_at.desc())).first()
        counts = {
            name: conn.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (
                ("creators", m.Creator),
                ("campaigns", m.Campaign),
                ("orders", m.Order),
                ("posts", m.Post),
                ("shortlists", m.Shortlist),
            )
        }
    return Overview(
        api_label=api_label(settings),
        is_sandbox=settings.is_sandbox,
        account_id=account.account_id if account else settings.account_id,
        account_name=account.account_name if account else None,
        counts=counts,
        freshness=freshness(store),
    )


def age_text(when: datetime | None, now: datetime | None = None) -> str:
    """'3 min ago', '2 h ago', 'never' — how old a refresh is, for people."""
    if when is None:
        return "never"
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        return f"{seconds // 60} min ago"
    if seconds < 36 * 3600:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"
