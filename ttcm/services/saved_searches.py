"""Saved Discovery searches: a name and the URL filter, own or shared, with "new since" counts.

A saved search keeps the URL query string `CreatorFilter.to_query` produces, and opening one
gives the filter back through the same `from_query` (so a saved search, a link and the CLI mean
the same thing). "New since" counts the creators that match the filter now and were first seen
(`creators.first_seen_at`, set once by the refresh upsert) after this user last opened the search,
or after it was saved when they never opened it. Counts use the Discovery index that answers
queries, so a refresh is counted once its index is built (docs/decisions.md §6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

import numpy as np
from sqlalchemy import Connection, Row, delete, or_, select, update

from ttcm import rules
from ttcm.auth import PermissionDenied, Principal, require, role_allows
from ttcm.config import Settings
from ttcm.errors import InputError, NotFound
from ttcm.services.discovery.filters import CreatorFilter, FilterError
from ttcm.services.discovery.index import CreatorIndex
from ttcm.services.discovery.search import Discovery, to_query
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record
from ttcm.store.tables import table_of
from ttcm.store.timestamps import as_utc, utcnow

SearchRow = Row[int, str, str, str]  # id, name, query, owner
MAX_NAME = int(rules.input_limits()["saved_search_name_max_chars"])


class SavedSearchError(InputError):
    """A saved-search request with bad input; `field` names the field. Nothing was changed."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SavedSearch:
    """A saved search as one user sees it: whose it is, and what is new since they opened it."""

    id: int
    name: str
    query: str  # the URL query string (without "?")
    owner: str
    shared: bool
    created_at: datetime
    last_opened_at: datetime | None  # this user's last opening
    new_since: int | None  # None when the filter no longer applies (see `problem`)
    problem: str | None = None

    def params(self) -> dict[str, str]:
        """The URL query parameters of the filter."""
        return dict(parse_qsl(self.query, keep_blank_values=False))


def clean_name(name: object) -> str:
    """The name trimmed; refused (never cut) when empty, too long or holding control characters."""
    value = str(name or "").strip()
    if not value:
        raise SavedSearchError("A saved search needs a name.")
    if len(value) > MAX_NAME:
        raise SavedSearchError(
            f"Saved search names are at most {MAX_NAME} characters ({len(value)} now)."
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise SavedSearchError("Saved search names cannot contain control characters.")
    return value


def query_string(f: CreatorFilter) -> str:
    """The URL query string of a filter, as Discovery's URL carries it."""
    return urlencode(f.to_query())


class SavedSearches:
    """Save, list, open, rename and delete Discovery searches (changes need `search.save`)."""

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.discovery = Discovery(store, settings)
        self.now = now

    def save(self, actor: Principal, name: str, f: CreatorFilter, *, shared: bool) -> int:
        """Save `f` under `name` (unique in the team whatever its case); returns its id."""
        require(actor, "search.save")
        clean = clean_name(name)
        q = query_string(f)
        with self.store.write() as conn:
            self._name_free(conn, clean)
            new_id = conn.execute(
                table_of(m.SavedSearch)
                .insert()
                .values(
                    name=clean,
                    name_key=clean.lower(),
                    query=q,
                    owner=actor.username,
                    shared=bool(shared),
                    created_at=self.now(),
                )
                .returning(m.SavedSearch.id)
            ).scalar_one()
            detail = {"id": int(new_id), "query": q, "shared": bool(shared)}
            record(conn, actor.username, "search.save", clean, detail, None)
        return int(new_id)

    def list(self, actor: Principal) -> list[SavedSearch]:
        """The searches `actor` owns and those shared with the team, by name, with new-since."""
        require(actor, "read")
        s, o = m.SavedSearch, m.SavedSearchOpen
        query = (
            select(s.id, s.name, s.query, s.owner, s.shared, s.created_at, o.last_opened_at)
            .join(o, (o.search_id == s.id) & (o.username == actor.username), isouter=True)
            .where(or_(s.owner == actor.username, s.shared.is_(True)))
            .order_by(s.name_key, s.id)
        )
        with self.store.read() as conn:
            rows = conn.execute(query).all()
        index = self.discovery.index(actor)
        out = []
        for r in rows:
            since = as_utc(r.last_opened_at) or as_utc(r.created_at)
            count, problem = self._new_since(actor, r.query, since, index)
            out.append(
                SavedSearch(
                    int(r.id),
                    r.name,
                    r.query,
                    r.owner,
                    bool(r.shared),
                    as_utc(r.created_at),
                    as_utc(r.last_opened_at),
                    count,
                    problem,
                )
            )
        return out

    def open(self, actor: Principal, search_id: int) -> CreatorFilter:
        """The saved filter (FilterError when it no longer applies); marks it opened by `actor`."""
        require(actor, "read")
        with self.store.read() as conn:
            row = self._visible(conn, actor, search_id)
        f = self.discovery.from_url(actor, dict(parse_qsl(row.query)))
        o = m.SavedSearchOpen
        when = self.now()
        with self.store.write() as conn:
            changed = conn.execute(
                update(o)
                .where(o.search_id == search_id, o.username == actor.username)
                .values(last_opened_at=when)
            ).rowcount
            if not changed:
                conn.execute(
                    table_of(o)
                    .insert()
                    .values(search_id=search_id, username=actor.username, last_opened_at=when)
                )
        return f

    def rename(self, actor: Principal, search_id: int, name: str) -> None:
        """Rename a search (its owner, or an admin)."""
        require(actor, "search.save")
        clean = clean_name(name)
        with self.store.write() as conn:
            row = self._changeable(conn, actor, search_id)
            self._name_free(conn, clean, but=search_id)
            conn.execute(
                update(m.SavedSearch)
                .where(m.SavedSearch.id == search_id)
                .values(name=clean, name_key=clean.lower())
            )
            detail = {"id": search_id, "before": row.name}
            record(conn, actor.username, "search.rename", clean, detail, None)

    def delete(self, actor: Principal, search_id: int) -> None:
        """Delete a search and its openings (its owner, or an admin)."""
        require(actor, "search.save")
        with self.store.write() as conn:
            row = self._changeable(conn, actor, search_id)
            conn.execute(delete(m.SavedSearchOpen).where(m.SavedSearchOpen.search_id == search_id))
            conn.execute(delete(m.SavedSearch).where(m.SavedSearch.id == search_id))
            detail = {"id": search_id, "query": row.query}
            record(conn, actor.username, "search.delete", row.name, detail, None)

    # ------------------------------------------------------------ helpers

    def _new_since(
        self, actor: Principal, q: str, since: datetime, index: CreatorIndex
    ) -> tuple[int | None, str | None]:
        """How many creators match `q` now and were first seen after `since`."""
        try:
            f = self.discovery.from_url(actor, dict(parse_qsl(q)))
        except FilterError as exc:
            return None, f"This search no longer applies: {exc}"
        with self.store.read() as conn:
            new_ids = np.fromiter(
                conn.execute(select(m.Creator.id).where(m.Creator.first_seen_at > since)).scalars(),
                dtype=np.int64,
            )
        if new_ids.size == 0:
            return 0, None
        mask = index.mask(to_query(self.store, f))
        matching = np.asarray(index.cols["id"])[mask]
        return int(np.isin(matching, new_ids).sum()), None

    @staticmethod
    def _visible(conn: Connection, actor: Principal, search_id: int) -> SearchRow:
        s = m.SavedSearch
        row = conn.execute(
            select(s.id, s.name, s.query, s.owner).where(
                s.id == search_id, or_(s.owner == actor.username, s.shared.is_(True))
            )
        ).first()
        if row is None:
            raise NotFound(f"There is no saved search {search_id} you can see.")
        return row

    def _changeable(self, conn: Connection, actor: Principal, search_id: int) -> SearchRow:
        row = self._visible(conn, actor, search_id)
        if row.owner != actor.username and not role_allows(actor.role, "search.manage_any"):
            raise PermissionDenied(
                f"Only its owner ({row.owner}) or an admin can change “{row.name}”."
            )
        return row

    @staticmethod
    def _name_free(conn: Connection, clean: str, but: int | None = None) -> None:
        s = m.SavedSearch
        query = select(s.id).where(s.name_key == clean.lower())
        if but is not None:
            query = query.where(s.id != but)
        if conn.execute(query).first() is not None:
            raise SavedSearchError(f"A saved search called “{clean}” already exists.")
