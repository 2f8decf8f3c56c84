"""API creators -> `creators`, `creator_snapshots` and `creator_audience` rows, and their writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from ttcm.api.models.accounts import Label
from ttcm.api.models.audience import AudienceShare
from ttcm.api.models.creators import Creator
from ttcm.store import models as m
from ttcm.store import versions
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert

Shares = dict[str, list[tuple[str, float]]]

# what an API creator carries that a `creators` row stores as is (languages and labels are
# flattened below, the handle is the key): the fields both models share
CREATOR_FIELDS = tuple(
    name
    for name in Creator.model_fields
    if name in table_of(m.Creator).columns and name not in ("handle_name", "languages")
)

# the counters a creator snapshot keeps for the day (same names as in `creators`)
SNAPSHOT_FIELDS = (
    "followers_count",
    "likes_count",
    "videos_count",
    "avg_views",
    "median_views",
    "engagement_rate",
)

AUDIENCE_LISTS = (
    ("country", "audience_countries"),
    ("gender", "audience_genders"),
    ("age", "audience_ages"),
    ("device", "audience_devices"),
    ("locale", "audience_locales"),
)


def labels_field(labels: Iterable[Label] | None) -> str | None:
    """Label ids as the `,a,b,` text the store searches with LIKE '%,a,%'."""
    ids = [str(x.label_id) for x in labels or () if getattr(x, "label_id", None) is not None]
    return f",{','.join(ids)}," if ids else None


def share_rows(creator: Creator) -> Shares:
    """Audience lists of a creator model as {dimension: [(key, share)]}."""
    out: Shares = {}
    for dim, attr in AUDIENCE_LISTS:
        shares: list[AudienceShare] | None = getattr(creator, attr, None)
        if shares:
            out[dim] = [(str(s.key), float(s.percentage)) for s in shares if s.key is not None]
    return out


def top_key(shares: list[tuple[str, float]] | None) -> str | None:
    """The key with the largest share (None for no shares)."""
    return max(shares, key=lambda kv: kv[1])[0] if shares else None


def gender_share(shares: list[tuple[str, float]] | None, gender: str) -> float | None:
    """The summed share of `gender` (None when the breakdown is missing, never 0)."""
    if not shares:
        return None
    return sum(p for k, p in shares if k.upper() == gender)


def creator_row(c: Creator, now: datetime) -> dict[str, Any]:
    """One API creator -> a `creators` row (only the fields the payload carried)."""
    row: dict[str, Any] = {"handle_name": c.handle_name}
    for name in CREATOR_FIELDS:
        value = getattr(c, name, None)
        if value is not None:
            row[name] = value
    langs = getattr(c, "languages", None)
    if langs:
        row["languages"] = f",{','.join(langs)},"
    labels = list(getattr(c, "content_labels", None) or []) + list(
        getattr(c, "industry_labels", None) or []
    )
    if labels:
        row["label_ids"] = labels_field(labels)
    shares = share_rows(c)
    if "country" in shares:
        row["audience_top_country"] = top_key(shares["country"])
    if "gender" in shares:
        row["audience_female_share"] = gender_share(shares["gender"], "FEMALE")
        row["audience_male_share"] = gender_share(shares["gender"], "MALE")
    if "age" in shares:
        row["audience_top_age"] = top_key(shares["age"])
    row["source"] = m.API_SOURCE
    row["fetched_at"] = now
    row["first_seen_at"] = now
    return row


@dataclass(frozen=True)
class CreatorsWritten:
    """What one page of creators did to the store."""

    new: int
    changed: int


def _pks(conn: Connection, handles: Iterable[str]) -> dict[str, int]:
    c = m.Creator
    return {
        h: pk
        for h, pk in conn.execute(
            select(c.handle_name, c.id).where(c.handle_name.in_(list(handles)))
        ).all()
    }


def write_creators(
    conn: Connection, creators: Sequence[Creator], now: datetime, day: date | None = None
) -> CreatorsWritten:
    """Upsert a page of creators with the day's snapshot (`day`, else `now`'s date; a second
    write the same day updates that day's row); bumps the creators' data version."""
    if not creators:
        return CreatorsWritten(0, 0)
    rows: dict[str, dict[str, Any]] = {}
    for c in creators:
        if c.handle_name is not None:  # an authorized payload without the field: nothing to key
            rows[c.handle_name] = creator_row(c, now)  # a page may repeat a handle
    known = set(
        conn.execute(
            select(m.Creator.handle_name).where(m.Creator.handle_name.in_(list(rows)))
        ).scalars()
    )
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows.values():
        by_columns.setdefault(tuple(row), []).append(row)
    changed = 0
    for cols, group in by_columns.items():
        update_cols = [c for c in cols if c not in ("handle_name", "first_seen_at")]
        compare = [c for c in update_cols if c != "fetched_at"]
        changed += upsert(
            conn,
            table_of(m.Creator),
            group,
            key=["handle_name"],
            update=update_cols,
            compare=compare,
        )
    ids = _pks(conn, rows)
    today = day or now.date()
    # a payload without a field (authorized creators carry no views or ER) leaves the day's
    # value another payload gave: each row writes only the fields it carries
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for h, r in rows.items():
        if "followers_count" not in r:
            continue
        snap = {name: r[name] for name in SNAPSHOT_FIELDS if name in r}
        snap.update(creator_pk=ids[h], day=today)
        by_fields.setdefault(tuple(snap), []).append(snap)
    for fields, snaps in by_fields.items():
        update_cols = [c for c in fields if c not in ("creator_pk", "day")]
        upsert(
            conn,
            table_of(m.CreatorSnapshot),
            snaps,
            key=["creator_pk", "day"],
            update=update_cols,
        )
    if changed:
        versions.bump(conn, "creators")
    return CreatorsWritten(new=len(rows) - len(known), changed=changed)


def _stored_shares(conn: Connection, pks: Iterable[int]) -> dict[int, dict[tuple[str, str], float]]:
    a = m.CreatorAudience
    old: dict[int, dict[tuple[str, str], float]] = {}
    for pk, dim, key, share in conn.execute(
        select(a.creator_pk, a.dimension, a.key, a.share).where(a.creator_pk.in_(list(pks)))
    ):
        old.setdefault(pk, {})[(dim, key)] = share
    return old


def write_audiences(conn: Connection, creators: Sequence[Creator]) -> int:
    """Replace the audience breakdowns that changed, a page at a time; returns rows written."""
    wanted = {c.handle_name: share_rows(c) for c in creators if c.handle_name}
    wanted = {h: s for h, s in wanted.items() if s}
    if not wanted:
        return 0
    pks = _pks(conn, wanted)
    old = _stored_shares(conn, pks.values())
    changed: list[tuple[int, dict[tuple[str, str], float], list[str]]] = []
    for handle, shares in wanted.items():
        pk = pks.get(handle)
        if pk is None:
            continue
        new = {(dim, k): p for dim, items in shares.items() for k, p in items}
        current = {dk: v for dk, v in old.get(pk, {}).items() if dk[0] in shares}
        if current != new:
            changed.append((pk, new, list(shares)))
    for pk, _, dims in changed:
        if pk not in old:
            continue  # nothing stored yet (a first refresh): nothing to delete
        conn.execute(
            delete(m.CreatorAudience).where(
                m.CreatorAudience.creator_pk == pk, m.CreatorAudience.dimension.in_(dims)
            )
        )
    rows = [
        {"creator_pk": pk, "dimension": d, "key": k, "share": p}
        for pk, new, _ in changed
        for (d, k), p in new.items()
    ]
    upsert(
        conn,
        table_of(m.CreatorAudience),
        rows,
        key=["creator_pk", "dimension", "key"],
        update=["share"],
    )
    return len(rows)
