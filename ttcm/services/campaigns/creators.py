"""A campaign's creators: add by handle (refusing unsupported or unknown accounts), remove, list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, Select, delete, func, insert, select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt
from ttcm.domain.account_kind import ACCOUNT_KIND_LABELS, account_kind
from ttcm.services.campaigns.settings import HANDLE_RE, CampaignError
from ttcm.services.order_rules import COLUMNS as ORDER_COLUMNS
from ttcm.services.order_rules import why_not_orderable
from ttcm.services.shortlists import UNSUPPORTED_REASON, AddResult
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record

NOT_CACHED = "Not in the cache yet: refresh, or check the handle."
CreatorRow = dict[str, object]
CachedCreator = Row[tuple[object, ...]]  # the columns the order rules read
Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def campaign_people(query: Query, campaign_pk: int) -> Query:
    """`query` over a campaign's creators (by handle), each joined to its creator row and to its
    order in this campaign (either may be missing)."""
    cc, c, o = m.CampaignCreator, m.Creator, m.Order
    return (
        query.join(c, c.handle_name == cc.handle_name, isouter=True)
        .join(
            o,
            (o.handle_name == cc.handle_name) & (o.campaign_pk == cc.campaign_pk),
            isouter=True,
        )
        .where(cc.campaign_pk == campaign_pk)
        .order_by(cc.handle_name)
    )


@dataclass(frozen=True)
class Removed:
    """What a remove-creators request did."""

    removed: list[str]
    kept: dict[str, str]  # handle -> why it stays


class CampaignCreators:
    """Who is in a campaign; changes need `campaign.write`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add_creators(self, actor: Principal, campaign_pk: int, handles: Sequence[str]) -> AddResult:
        """Add creators by handle; unsupported or unknown accounts are refused with the way out."""
        require(actor, "campaign.write")
        result = AddResult()
        wanted: dict[str, str] = {}  # lower-case -> as typed
        for raw in handles:
            h = raw.strip().removeprefix("@") if isinstance(raw, str) else ""
            if not h:
                continue
            if not HANDLE_RE.fullmatch(h):
                shown = h if len(h) <= 40 else h[:39] + "…"
                result.refused[shown] = (
                    "Not a TikTok handle: use letters, digits, '.' and '_' (at most 100)."
                )
                continue
            wanted.setdefault(h.lower(), h)
        now = datetime.now(UTC)
        with self.store.write() as conn:
            if (
                conn.execute(select(m.Campaign.id).where(m.Campaign.id == campaign_pk)).first()
                is None
            ):
                raise CampaignError({"campaign": "no such campaign"})
            known = _creators_by_lower(conn, list(wanted))
            present = set(
                conn.execute(
                    select(m.CampaignCreator.handle_name).where(
                        m.CampaignCreator.campaign_pk == campaign_pk
                    )
                ).scalars()
            )
            for low, typed in wanted.items():
                row = known.get(low)
                if row is None:
                    result.refused[typed] = NOT_CACHED
                elif account_kind(row.is_tcm_creator, row.is_authenticated) == "nonauth_nonttcm":
                    result.refused[row.handle_name] = UNSUPPORTED_REASON
                elif row.handle_name in present:
                    result.already.append(row.handle_name)
                else:
                    conn.execute(
                        insert(m.CampaignCreator).values(
                            campaign_pk=campaign_pk,
                            handle_name=row.handle_name,
                            added_by=actor.username,
                            added_at=now,
                        )
                    )
                    present.add(row.handle_name)
                    result.added.append(row.handle_name)
            if result.added:
                record(
                    conn,
                    actor.username,
                    "campaign.add_creators",
                    str(campaign_pk),
                    {"handles": result.added[:100], "count": len(result.added)},
                    None,
                )
        return result

    def creators(self, actor: Principal, campaign_pk: int) -> list[CreatorRow]:
        """Creators with account kind, order status, list price and agreed fee, and any problem."""
        require(actor, "read")
        cc, c, o = m.CampaignCreator, m.Creator, m.Order
        query = campaign_people(
            select(
                cc.handle_name,
                c.display_name,
                c.country_code,
                c.followers_count,
                *(getattr(c, col) for col in ORDER_COLUMNS if col not in _SHOWN),
                c.id.label("creator_pk"),
                o.order_id,
                o.status,
                o.invite_link,
                o.campaign_code,
                o.video_number,
                cc.agreed_fee,
                cc.fee_currency,
                c.creator_price,
                c.currency,
            ),
            campaign_pk,
        )
        with self.store.read() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        labels = rules.vocab()["order_statuses"]
        for row in rows:
            known = row.pop("creator_pk") is not None
            facts = {col: row.pop(col) for col in ORDER_COLUMNS if col not in _SHOWN}
            facts.update({col: row[col] for col in _SHOWN})
            kind = account_kind(facts["is_tcm_creator"], facts["is_authenticated"])
            unsupported = known and kind == "nonauth_nonttcm"
            row["account_kind"] = ACCOUNT_KIND_LABELS[kind] if known else "not in the cache"
            row["supported"] = known and not unsupported
            row["status_label"] = labels.get(row["status"] or "", row["status"]) or "no order"
            row["error"] = UNSUPPORTED_REASON if unsupported else (None if known else NOT_CACHED)
            row["order_block"] = why_not_orderable(facts) if known else NOT_CACHED
            row["list_price"] = numfmt.money(row["creator_price"], row["currency"])
            if row["agreed_fee"] is None:
                row["fee_label"] = "list price"
            else:
                row["fee_label"] = numfmt.money(row["agreed_fee"], row["fee_currency"])
        return rows

    def remove_creators(
        self, actor: Principal, campaign_pk: int, handles: Sequence[str]
    ) -> Removed:
        """Take creators off the campaign; one with an order (or one being sent) stays."""
        require(actor, "campaign.write")
        wanted = [h for h in dict.fromkeys(handles) if isinstance(h, str) and h]
        kept: dict[str, str] = {}
        with self.store.write() as conn:
            ordered = set(
                conn.execute(
                    select(m.Order.handle_name).where(
                        m.Order.campaign_pk == campaign_pk, m.Order.handle_name.in_(wanted)
                    )
                ).scalars()
            )
            sending = {
                key.split(":", 2)[2]
                for key in conn.execute(
                    select(m.WriteIntent.business_key).where(
                        m.WriteIntent.business_key.in_(
                            [f"order:{campaign_pk}:{h}" for h in wanted]
                        ),
                        m.WriteIntent.status.in_(("pending", "unknown", "done")),
                    )
                ).scalars()
            }
            removed = []
            for h in wanted:
                if h in ordered or h in sending:
                    kept[h] = "has an order on TikTok (or one being sent): it stays"
                    continue
                gone = conn.execute(
                    delete(m.CampaignCreator).where(
                        m.CampaignCreator.campaign_pk == campaign_pk,
                        m.CampaignCreator.handle_name == h,
                    )
                ).rowcount
                if gone:
                    removed.append(h)
                else:
                    kept[h] = "not in this campaign"
            if removed:
                record(
                    conn,
                    actor.username,
                    "campaign.remove_creators",
                    str(campaign_pk),
                    {"handles": removed[:100], "count": len(removed)},
                    None,
                )
        return Removed(removed, kept)


_SHOWN = ("handle_name", "country_code", "followers_count")  # kept in the creators() rows


def _creators_by_lower(conn: Connection, lowered: list[str]) -> dict[str, CachedCreator]:
    out: dict[str, CachedCreator] = {}
    for i in range(0, len(lowered), 500):
        chunk = lowered[i : i + 500]
        for r in conn.execute(
            select(*(getattr(m.Creator, c) for c in ORDER_COLUMNS)).where(
                func.lower(m.Creator.handle_name).in_(chunk)
            )
        ):
            out[r.handle_name.lower()] = r
    return out


def creators_by_handle(store: Store, handles: Sequence[str]) -> dict[str, CachedCreator]:
    """Cached creators (the columns the order rules read) by lower-case handle."""
    with store.read() as conn:
        return _creators_by_lower(conn, [h.lower() for h in handles])
