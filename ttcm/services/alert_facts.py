"""The facts an alert is made of, read from the stored state after a refresh.

Each fact has a key that names it for good, so deriving it again finds the same key:
* a post was published: `post:<video>`;
* an order was declined: `declined:<order>` (with TikTok's reason);
* an invitation was accepted or rejected: `invitation:<handle>:<JOINED|REJECTED>`;
* a Spark Ads code was accepted: `spark:<video>:<code>`;
* a code expires within 7 days: `expiring:<video>:<end day>` (an extension is a new end day);
* a KPI target was reached: `kpi:<campaign>:<kpi>:<target>` (a raised target is a new fact);
* a campaign is behind pace: `pace:<campaign>:<ISO week>` (at most one reminder a week).
KPI progress and pacing come from `ttcm.domain.performance`, as on the campaign overview.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, or_, select

from ttcm.auth import Principal
from ttcm.domain import format as numfmt
from ttcm.domain.performance.overview import Overview, overview
from ttcm.domain.performance.pacing import default_as_of
from ttcm.services.post_metrics import load_campaign
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.timestamps import as_utc

SOON_DAYS = 7
KINDS = {
    "post_published": "Post published",
    "order_declined": "Order declined",
    "invitation_accepted": "Invitation accepted",
    "invitation_rejected": "Invitation rejected",
    "spark_accepted": "Spark Ads code accepted",
    "spark_expiring": "Spark Ads code expiring",
    "kpi_reached": "KPI target reached",
    "behind_pace": "Behind pace",
}
Detail = dict[str, str | int | float | None]


@dataclass(frozen=True)
class Fact:
    """One event to record: its unique key, kind, words and where it belongs."""

    key: str
    kind: str
    message: str
    occurred_at: datetime
    campaign_pk: int | None = None
    handle_name: str | None = None
    video_id: str | None = None
    detail: Detail | None = None


def _at(value: datetime | None, now: datetime) -> datetime:
    return as_utc(value) or now


def _who(handle: str | None) -> str:
    return f"@{handle}" if handle else "a creator"


def _posts(conn: Connection, now: datetime) -> Iterator[Fact]:
    p = m.Post
    linked = select(p.video_id, p.handle_name, p.campaign_pk, p.create_time)
    for r in conn.execute(linked.where(p.campaign_pk.is_not(None))):
        yield Fact(
            key=f"post:{r.video_id}",
            kind="post_published",
            message=f"{_who(r.handle_name)} published post {r.video_id}.",
            occurred_at=_at(r.create_time, now),
            campaign_pk=r.campaign_pk,
            handle_name=r.handle_name,
            video_id=r.video_id,
        )


def _declined(conn: Connection, now: datetime) -> Iterator[Fact]:
    o = m.Order
    rows = conn.execute(
        select(o.order_id, o.handle_name, o.campaign_pk, o.decline_reason, o.update_time).where(
            o.status == "DECLINED"
        )
    )
    for r in rows:
        reason = r.decline_reason or "no reason given"
        yield Fact(
            f"declined:{r.order_id}",
            "order_declined",
            f"{_who(r.handle_name)} declined order {r.order_id}: {reason}",
            _at(r.update_time, now),
            r.campaign_pk,
            r.handle_name,
            detail={"order_id": r.order_id, "reason": r.decline_reason},
        )


def _invitations(conn: Connection, now: datetime) -> Iterator[Fact]:
    i = m.Invitation
    rows = conn.execute(
        select(i.handle_name, i.state, i.reason, i.decided_at, i.updated_at).where(
            i.state.in_(("JOINED", "REJECTED"))
        )
    )
    for r in rows:
        if r.state == "JOINED":
            kind, text = "invitation_accepted", "accepted the TTCM invitation and joined."
        else:
            kind = "invitation_rejected"
            text = f"rejected the TTCM invitation: {r.reason or 'no reason given'}"
        yield Fact(
            f"invitation:{r.handle_name}:{r.state}",
            kind,
            f"{_who(r.handle_name)} {text}",
            _at(r.decided_at or r.updated_at, now),
            handle_name=r.handle_name,
            detail={"reason": r.reason} if r.reason else None,
        )


def _spark(conn: Connection, now: datetime) -> Iterator[Fact]:
    s, p = m.SparkAuthorization, m.Post
    rows = conn.execute(
        select(
            s.video_id,
            s.auth_code,
            s.auth_code_status,
            s.auth_code_end_time,
            s.auth_status_updated_time,
            s.auth_code_start_time,
            p.handle_name,
            p.campaign_pk,
        )
        .join(p, p.video_id == s.video_id, isouter=True)
        .where(s.auth_status == "ACCEPTED", s.auth_code.is_not(None))
    )
    soon = now + timedelta(days=SOON_DAYS)
    for r in rows:
        who = _who(r.handle_name)
        end = as_utc(r.auth_code_end_time)
        yield Fact(
            f"spark:{r.video_id}:{r.auth_code}",
            "spark_accepted",
            f"{who} accepted Spark Ads for post {r.video_id}"
            + (f", until {end:%Y-%m-%d}." if end else "."),
            _at(r.auth_status_updated_time or r.auth_code_start_time, now),
            r.campaign_pk,
            r.handle_name,
            r.video_id,
        )
        ended = r.auth_code_status in ("EXPIRED", "DELETED")
        if end is not None and not ended and now < end <= soon:
            left = numfmt.plural(max(1, -(-int((end - now).total_seconds()) // 86_400)), "day")
            yield Fact(
                f"expiring:{r.video_id}:{end:%Y-%m-%d}",
                "spark_expiring",
                f"The Spark Ads code of {who}'s post {r.video_id} expires on "
                f"{end:%Y-%m-%d} ({left} left); extend it on the Spark Ads board.",
                now,
                r.campaign_pk,
                r.handle_name,
                r.video_id,
                {"ends": end.isoformat()},
            )


def _campaign_facts(store: Store, actor: Principal, now: datetime) -> Iterator[Fact]:
    c = m.Campaign
    with store.read() as conn:
        found = conn.execute(
            select(c.id).where(
                c.archived_at.is_(None),
                or_(
                    c.kpi_views.is_not(None),
                    c.kpi_engagement_rate.is_not(None),
                    c.kpi_reach.is_not(None),
                    c.kpi_posts.is_not(None),
                    c.kpi_spark_codes.is_not(None),
                ),
            )
        )
        pks = list(found.scalars())
    for pk in pks:
        data = load_campaign(store, actor, pk, audience=False)
        ov = overview(data, default_as_of(data.daily, now.date()))
        yield from _kpi_facts(pk, ov, now)
        pace = ov.pacing
        if pace.status == "behind" and pace.as_of is not None and pace.end is not None:
            year, week, _ = now.isocalendar()  # one reminder a week at most
            yield Fact(
                f"pace:{pk}:{year}-W{week:02d}",
                "behind_pace",
                f"Behind pace: {pace.to_date.text()} so far, projected "
                f"{pace.projected_total.text()} by {pace.end:%Y-%m-%d} against a target of "
                f"{numfmt.count(pace.target)} views.",
                now,
                pk,
                detail={"as_of": pace.as_of.isoformat(), "projected": pace.projected_total.value},
            )


def _key_number(value: float) -> str:
    """A number as it goes into a fact key: 1 and 1.0 are the same fact, 0.05 stays 0.05."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _kpi_facts(pk: int, ov: Overview, now: datetime) -> Iterator[Fact]:
    for kpi in ov.kpis:
        if kpi.progress is None or kpi.progress < 1 or kpi.target is None:
            continue
        yield Fact(
            f"kpi:{pk}:{kpi.key}:{_key_number(kpi.target)}",
            "kpi_reached",
            f"Target reached — {kpi.label}: {kpi.actual.text()} of {kpi.target_text}.",
            now,
            pk,
            detail={"kpi": kpi.key, "target": kpi.target, "actual": kpi.actual.value},
        )


def collect(store: Store, actor: Principal, now: datetime) -> list[Fact]:
    """Every fact the stored state holds now (the caller inserts the new ones)."""
    with store.read() as conn:
        facts = [
            fact
            for derive in (_posts, _declined, _invitations, _spark)
            for fact in derive(conn, now)
        ]
    facts.extend(_campaign_facts(store, actor, now))
    return facts
