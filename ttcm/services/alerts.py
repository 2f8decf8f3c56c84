"""The alerts inbox: events recorded once per fact after each refresh, read state per user.

`derive` turns the stored state into facts (ttcm.services.alert_facts) and inserts them with
`INSERT … ON CONFLICT (fact_key) DO NOTHING`, so re-running it — or two processes racing —
creates each alert exactly once on SQLite and PostgreSQL. Every user sees every alert; reading
one marks it read for that user only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import cast

from sqlalchemy import ColumnElement, Table, exists, func, select

from ttcm.auth import SYSTEM, Principal, require
from ttcm.errors import InputError
from ttcm.services.alert_facts import KINDS, collect
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.models_alerts import Alert, AlertRead
from ttcm.store.timestamps import as_utc
from ttcm.store.upsert import upsert

SHOWN = 500  # alerts listed on one page of the inbox, unread first
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SinceError(InputError):
    """`--since` (or a date filter) that is not a date or an ISO time."""

    field = "since"


@dataclass(frozen=True)
class AlertItem:
    """One alert as a user sees it."""

    id: int
    kind: str
    kind_label: str
    message: str
    campaign_pk: int | None
    campaign_name: str | None
    handle_name: str | None
    video_id: str | None
    occurred_at: datetime
    created_at: datetime
    read: bool

    def as_json(self) -> dict[str, str | int | bool | None]:
        """The alert with ISO times, for `ttcm alerts --json`."""
        return {
            "id": self.id,
            "kind": self.kind,
            "message": self.message,
            "campaign_pk": self.campaign_pk,
            "campaign_name": self.campaign_name,
            "handle_name": self.handle_name,
            "video_id": self.video_id,
            "occurred_at": self.occurred_at.isoformat(),
            "created_at": self.created_at.isoformat(),
            "read": self.read,
        }


@dataclass(frozen=True)
class Inbox:
    """What the Inbox page shows: the first alerts, and how many there are."""

    items: list[AlertItem]
    total: int
    unread: int


def parse_since(raw: str) -> datetime:
    """A day (`2026-12-01`, midnight UTC) or an ISO time (a time without a zone is UTC)."""
    text = (raw or "").strip()
    try:
        if _DAY.match(text):
            return datetime.combine(date.fromisoformat(text), time(), UTC)
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SinceError(
            f"--since: {raw!r} is not a date (2026-12-01) or an ISO time "
            "(2026-12-01T08:00:00+00:00)."
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


_COLUMNS = (
    Alert.id,
    Alert.kind,
    Alert.message,
    Alert.campaign_pk,
    Alert.handle_name,
    Alert.video_id,
    Alert.occurred_at,
    Alert.created_at,
)


def _unread_for(username: str) -> ColumnElement[bool]:
    r = AlertRead
    return ~exists().where(r.alert_id == Alert.id, r.username == username)


class Alerts:
    """Alerts of the team; anyone who may read sees them and keeps their own read state."""

    def __init__(
        self, store: Store, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.store = store
        self.now = now

    def derive(self, actor: Principal) -> int:
        """Record the alerts of the stored state; returns how many are new."""
        require(actor, "refresh")
        now = self.now().astimezone(UTC)
        rows = [
            {
                "fact_key": f.key,
                "kind": f.kind,
                "campaign_pk": f.campaign_pk,
                "handle_name": f.handle_name,
                "video_id": f.video_id,
                "message": f.message,
                "detail": f.detail,
                "occurred_at": f.occurred_at,
                "created_at": now,
            }
            for f in collect(self.store, actor, now)
        ]
        if not rows:
            return 0
        table = cast(Table, Alert.__table__)
        with self.store.write() as conn:
            # keys already stored are left out first, so a quiet re-run sends next to nothing
            known = set(conn.execute(select(Alert.fact_key)).scalars())
            fresh = [r for r in rows if r["fact_key"] not in known]
            return upsert(conn, table, fresh, key=["fact_key"], update=[])

    def _items(
        self, actor: Principal, where: Iterable[ColumnElement[bool]], limit: int | None
    ) -> list[AlertItem]:
        unread = _unread_for(actor.username)
        query = (
            select(*_COLUMNS, m.Campaign.campaign_name, unread.label("unread"))
            .join(m.Campaign, m.Campaign.id == Alert.campaign_pk, isouter=True)
            .where(*where)
        )
        query = query.order_by(unread.desc(), Alert.occurred_at.desc(), Alert.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self.store.read() as conn:
            rows = conn.execute(query).all()
        return [
            AlertItem(
                id=r.id,
                kind=r.kind,
                kind_label=KINDS.get(r.kind, r.kind),
                message=r.message,
                campaign_pk=r.campaign_pk,
                campaign_name=r.campaign_name,
                handle_name=r.handle_name,
                video_id=r.video_id,
                occurred_at=as_utc(r.occurred_at) or r.occurred_at,
                created_at=as_utc(r.created_at) or r.created_at,
                read=not r.unread,
            )
            for r in rows
        ]

    def inbox(
        self,
        actor: Principal,
        *,
        campaign_pk: int | None = None,
        unread_only: bool = False,
        limit: int = SHOWN,
    ) -> Inbox:
        """The user's alerts (of one campaign, or all): unread first, newest first."""
        require(actor, "read")
        where = [] if campaign_pk is None else [Alert.campaign_pk == campaign_pk]
        unread = _unread_for(actor.username)
        with self.store.read() as conn:
            total = conn.execute(select(func.count()).select_from(Alert).where(*where)).scalar()
            n_unread = conn.execute(
                select(func.count()).select_from(Alert).where(*where, unread)
            ).scalar()
        shown = [*where, unread] if unread_only else where
        return Inbox(self._items(actor, shown, limit), int(total or 0), int(n_unread or 0))

    def unread_count(self, actor: Principal) -> int:
        """How many alerts this user has not read."""
        require(actor, "read")
        with self.store.read() as conn:
            n = conn.execute(
                select(func.count()).select_from(Alert).where(_unread_for(actor.username))
            ).scalar()
        return int(n or 0)

    def campaigns(self, actor: Principal) -> list[tuple[int, str]]:
        """(id, name) of the campaigns that have alerts, for the inbox filter."""
        require(actor, "read")
        c = m.Campaign
        query = (
            select(c.id, c.campaign_name)
            .where(exists().where(Alert.campaign_pk == c.id))
            .order_by(c.campaign_name, c.id)
        )
        with self.store.read() as conn:
            return [(int(pk), str(name)) for pk, name in conn.execute(query)]

    def mark_read(self, actor: Principal, alert_ids: Iterable[int]) -> int:
        """Mark alerts read for this user; returns how many were unread."""
        require(actor, "read")
        ids = sorted({int(i) for i in alert_ids})
        return self._mark(actor, [Alert.id.in_(ids)]) if ids else 0

    def mark_all_read(self, actor: Principal, campaign_pk: int | None = None) -> int:
        """Mark every unread alert (of one campaign, or all) read for this user."""
        require(actor, "read")
        where = [] if campaign_pk is None else [Alert.campaign_pk == campaign_pk]
        return self._mark(actor, where)

    def _mark(self, actor: Principal, where: list[ColumnElement[bool]]) -> int:
        now = self.now().astimezone(UTC)
        with self.store.write() as conn:
            chosen = select(Alert.id).where(*where, _unread_for(actor.username))
            ids = conn.execute(chosen).scalars().all()
            rows = [{"alert_id": i, "username": actor.username, "read_at": now} for i in ids]
            table = cast(Table, AlertRead.__table__)
            upsert(conn, table, rows, key=["alert_id", "username"], update=[])
        return len(rows)

    def since(self, actor: Principal, when: datetime) -> list[AlertItem]:
        """Alerts recorded at or after `when`, oldest first (for `ttcm alerts --since`)."""
        require(actor, "read")
        items = self._items(actor, [Alert.created_at >= when.astimezone(UTC)], None)
        return sorted(items, key=lambda a: (a.created_at, a.id))


def after_refresh(store: Store, now: Callable[[], datetime]) -> int:
    """The refresh's last step: record the alerts of what it stored."""
    return Alerts(store, now=now).derive(SYSTEM)


def alerts_on(now: Callable[[], datetime]) -> Callable[[Store, Callable[[], datetime]], int]:
    """The refresh's last step on the app's clock `now` (the sandbox's, as the Spark board reads
    it), not the refresh's own real-UTC clock: "expires in 3 days" means the same on both."""

    def step(store: Store, _refresh_now: Callable[[], datetime]) -> int:
        return after_refresh(store, now)

    return step
