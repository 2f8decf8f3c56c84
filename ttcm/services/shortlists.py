"""Shortlists: named lists of creators with the team's tags and notes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain.account_kind import account_kind
from ttcm.errors import InputError
from ttcm.services.exchange_rates import pricing
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record
from ttcm.store.tables import table_of
from ttcm.store.timestamps import utcnow

_LIM = rules.input_limits()
MAX_NAME = int(_LIM["shortlist_name_max_chars"])
MAX_NOTE = int(_LIM["shortlist_note_max_chars"])
MAX_TAGS = int(_LIM["shortlist_tags_max"])
MAX_TAG = int(_LIM["shortlist_tag_max_chars"])
UNSUPPORTED_REASON = (
    "Not on TTCM and not authenticated: TikTok shares no data for this account. "
    "Invite the creator to TTCM, or ask them to authenticate their account."
)


class ShortlistError(InputError):
    """A shortlist request with bad input; nothing was changed."""


@dataclass(frozen=True)
class Shortlist:
    """A list and how many creators it holds."""

    id: int
    name: str
    size: int
    created_by: str | None
    created_at: datetime


@dataclass
class AddResult:
    """What happened to each handle of an add, move or copy."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def clean_name(name: str) -> str:
    """A usable list name (trimmed, 1-100 characters, no control characters)."""
    value = " ".join((name or "").split())
    if not value:
        raise ShortlistError("A shortlist needs a name.")
    if len(value) > MAX_NAME:
        raise ShortlistError(f"Shortlist names are at most {MAX_NAME} characters.")
    if any(ord(ch) < 32 for ch in value):
        raise ShortlistError("Shortlist names cannot contain control characters.")
    return value


def clean_tags(tags: Iterable[str]) -> str | None:
    """Tags as a comma-joined string (trimmed, unique, each ≤ 40 characters, ≤ 20 tags)."""
    out: list[str] = []
    for tag in tags:
        t = " ".join(str(tag).replace(",", " ").split())
        if not t:
            continue
        if len(t) > MAX_TAG:
            raise ShortlistError(f"Tags are at most {MAX_TAG} characters: {t[:20]!r}…")
        if t not in out:
            out.append(t)
    if len(out) > MAX_TAGS:
        raise ShortlistError(f"At most {MAX_TAGS} tags per creator.")
    return ",".join(out) or None


class Shortlists:
    """Shortlist operations; reads need `read`, changes need `shortlist.write`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self, actor: Principal) -> list[Shortlist]:
        """Every shortlist with its size, by name."""
        require(actor, "read")
        size = (
            select(func.count())
            .where(m.ShortlistMember.shortlist_id == m.Shortlist.id)
            .scalar_subquery()
        )
        s = m.Shortlist
        query = select(s.id, s.name, size.label("size"), s.created_by, s.created_at).order_by(
            s.name
        )
        with self.store.read() as conn:
            return [
                Shortlist(r.id, r.name, r.size, r.created_by, r.created_at)
                for r in conn.execute(query)
            ]

    def create(self, actor: Principal, name: str) -> int:
        """Create a list; returns its id."""
        require(actor, "shortlist.write")
        clean = clean_name(name)
        with self.store.write() as conn:
            taken = conn.execute(
                select(m.Shortlist.id).where(func.lower(m.Shortlist.name) == clean.lower())
            ).first()
            if taken:
                raise ShortlistError(f"A shortlist called {clean!r} already exists.")
            new_id = conn.execute(
                table_of(m.Shortlist)
                .insert()
                .values(name=clean, created_by=actor.username, created_at=utcnow())
                .returning(m.Shortlist.id)
            ).scalar_one()
            record(conn, actor.username, "shortlist.create", clean, None, None)
        return int(new_id)

    def rename(self, actor: Principal, shortlist_id: int, name: str) -> None:
        """Rename a list."""
        require(actor, "shortlist.write")
        clean = clean_name(name)
        with self.store.write() as conn:
            self._exists(conn, shortlist_id)
            taken = conn.execute(
                select(m.Shortlist.id).where(
                    func.lower(m.Shortlist.name) == clean.lower(), m.Shortlist.id != shortlist_id
                )
            ).first()
            if taken:
                raise ShortlistError(f"A shortlist called {clean!r} already exists.")
            conn.execute(
                update(m.Shortlist).where(m.Shortlist.id == shortlist_id).values(name=clean)
            )
            record(conn, actor.username, "shortlist.rename", clean, {"id": shortlist_id}, None)

    def delete(self, actor: Principal, shortlist_id: int) -> None:
        """Delete a list and its memberships (the creators stay in the cache)."""
        require(actor, "shortlist.write")
        with self.store.write() as conn:
            name = self._exists(conn, shortlist_id)
            conn.execute(
                delete(m.ShortlistMember).where(m.ShortlistMember.shortlist_id == shortlist_id)
            )
            conn.execute(delete(m.Shortlist).where(m.Shortlist.id == shortlist_id))
            record(conn, actor.username, "shortlist.delete", name, {"id": shortlist_id}, None)

    def _exists(self, conn: Connection, shortlist_id: int) -> str:
        name = conn.execute(
            select(m.Shortlist.name).where(m.Shortlist.id == shortlist_id)
        ).scalar_one_or_none()
        if name is None:
            raise ShortlistError("That shortlist no longer exists.")
        return name

    def add(self, actor: Principal, shortlist_id: int, handles: Sequence[str]) -> AddResult:
        """Add creators; unsupported accounts are refused with the reason and the way out."""
        require(actor, "shortlist.write")
        result = AddResult()
        wanted = list(dict.fromkeys(h.strip().lstrip("@") for h in handles if h and h.strip()))
        with self.store.write() as conn:
            list_name = self._exists(conn, shortlist_id)
            kinds = {
                r.handle_name: account_kind(r.is_tcm_creator, r.is_authenticated)
                for r in conn.execute(
                    select(
                        m.Creator.handle_name, m.Creator.is_tcm_creator, m.Creator.is_authenticated
                    ).where(m.Creator.handle_name.in_(wanted))
                )
            }
            present = set(
                conn.execute(
                    select(m.ShortlistMember.handle_name).where(
                        m.ShortlistMember.shortlist_id == shortlist_id,
                        m.ShortlistMember.handle_name.in_(wanted),
                    )
                ).scalars()
            )
            now = utcnow()
            for handle in wanted:
                kind = kinds.get(handle)
                if kind is None:
                    result.refused[handle] = "Not in the cache: refresh, or check the handle."
                elif kind == "nonauth_nonttcm":
                    result.refused[handle] = UNSUPPORTED_REASON
                elif handle in present:
                    result.already.append(handle)
                else:
                    conn.execute(
                        table_of(m.ShortlistMember)
                        .insert()
                        .values(
                            shortlist_id=shortlist_id,
                            handle_name=handle,
                            added_by=actor.username,
                            added_at=now,
                        )
                    )
                    result.added.append(handle)
            if result.added:
                record(
                    conn,
                    actor.username,
                    "shortlist.add",
                    list_name,
                    {"handles": result.added[:100], "count": len(result.added)},
                    None,
                )
        return result

    def remove(self, actor: Principal, shortlist_id: int, handles: Sequence[str]) -> int:
        """Remove creators; returns how many were on the list."""
        require(actor, "shortlist.write")
        with self.store.write() as conn:
            name = self._exists(conn, shortlist_id)
            n = conn.execute(
                delete(m.ShortlistMember).where(
                    m.ShortlistMember.shortlist_id == shortlist_id,
                    m.ShortlistMember.handle_name.in_(list(handles)),
                )
            ).rowcount
            record(conn, actor.username, "shortlist.remove", name, {"count": n}, None)
        return max(n, 0)

    def copy(self, actor: Principal, handles: Sequence[str], source: int, target: int) -> AddResult:
        """Copy members (with their tags and notes) to another list."""
        require(actor, "shortlist.write")
        if source == target:
            raise ShortlistError("Choose a different list to copy to.")
        with self.store.read() as conn:
            members = {
                r.handle_name: r
                for r in conn.execute(
                    select(m.ShortlistMember).where(
                        m.ShortlistMember.shortlist_id == source,
                        m.ShortlistMember.handle_name.in_(list(handles)),
                    )
                )
            }
        result = self.add(actor, target, list(members))
        with self.store.write() as conn:
            for handle in result.added:
                src = members[handle]
                conn.execute(
                    update(m.ShortlistMember)
                    .where(
                        m.ShortlistMember.shortlist_id == target,
                        m.ShortlistMember.handle_name == handle,
                    )
                    .values(tags=src.tags, note=src.note)
                )
        return result

    def move(self, actor: Principal, handles: Sequence[str], source: int, target: int) -> AddResult:
        """Move members to another list (those refused or already there stay where they are)."""
        result = self.copy(actor, handles, source, target)
        moved = result.added + result.already
        if moved:
            self.remove(actor, source, moved)
        return result

    def annotate(
        self,
        actor: Principal,
        shortlist_id: int,
        handle: str,
        *,
        tags: Iterable[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Set a member's tags and/or note."""
        require(actor, "shortlist.write")
        values: dict[str, Any] = {}
        if tags is not None:
            values["tags"] = clean_tags(tags)
        if note is not None:
            if len(note) > MAX_NOTE:
                raise ShortlistError(f"Notes are at most {MAX_NOTE} characters.")
            values["note"] = note.strip() or None
        if not values:
            return
        with self.store.write() as conn:
            done = conn.execute(
                update(m.ShortlistMember)
                .where(
                    m.ShortlistMember.shortlist_id == shortlist_id,
                    m.ShortlistMember.handle_name == handle,
                )
                .values(**values)
            ).rowcount
            if not done:
                raise ShortlistError(f"{handle} is not on that shortlist.")

    def annotate_many(
        self,
        actor: Principal,
        shortlist_id: int,
        handles: Sequence[str],
        *,
        tags: Iterable[str] | None = None,
        note: str | None = None,
    ) -> int:
        """Set the same tags and/or note on several members; returns how many."""
        for handle in handles:
            self.annotate(actor, shortlist_id, handle, tags=tags, note=note)
        return len(handles)

    def members(self, actor: Principal, shortlist_id: int) -> list[dict[str, Any]]:
        """Members with their cached metrics, tags and notes, by handle."""
        require(actor, "read")
        c, sm = m.Creator, m.ShortlistMember
        query = (
            select(
                sm.handle_name,
                sm.tags,
                sm.note,
                sm.added_by,
                sm.added_at,
                c.id,
                c.display_name,
                c.country_code,
                c.followers_count,
                c.avg_views,
                c.median_views,
                c.engagement_rate,
                c.creator_price,
                c.currency,
                c.is_tcm_creator,
                c.is_authenticated,
            )
            .join(c, c.handle_name == sm.handle_name, isouter=True)
            .where(sm.shortlist_id == shortlist_id)
            .order_by(sm.handle_name)
        )
        with self.store.read() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        prices = pricing(self.store)
        for row in rows:
            row["team_price"] = prices.team_price(row["creator_price"], row["currency"])
            row["team_price_how"] = prices.team_price_how(row["creator_price"], row["currency"])
            row["team_currency"] = prices.currency
            row["account_kind"] = account_kind(
                row.pop("is_tcm_creator"), row.pop("is_authenticated")
            )
            row["tags"] = row["tags"].split(",") if row["tags"] else []
        return rows
