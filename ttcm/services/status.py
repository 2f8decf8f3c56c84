"""What the Home page shows: which API, which account, how fresh the cache is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from ttcm.auth import Principal, require
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


class Status:
    """The Home page's facts (any signed-in role may read them)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def overview(self, actor: Principal) -> Overview:
        """The data source, the account, the counts and the freshness of the cache."""
        require(actor, "read")
        return _overview(self.store, self.settings)


def _overview(store: Store, settings: Settings) -> Overview:
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
    """'3 minutes ago', '2 hours ago', 'never' — how old a refresh is, for people."""
    if when is None:
        return "never"
    now = now or datetime.now(UTC)
    if when.tzinfo is None:  # SQLite hands back naive UTC times
        when = when.replace(tzinfo=UTC)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 90:
        return "just now"
    for size, unit, up_to in ((60, "minute", 90 * 60), (3600, "hour", 36 * 3600)):
        if seconds < up_to:
            return f"{numfmt.plural(seconds // size, unit)} ago"
    return f"{numfmt.plural(seconds // 86400, 'day')} ago"


def resource_name(resource: str) -> str:
    """A refreshed resource's name for people ("spark" -> "Spark Ads codes")."""
    return numfmt.label("resource", resource)
