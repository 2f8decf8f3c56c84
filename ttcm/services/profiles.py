"""Creator profiles: cached facts, metric availability with reasons, and similar creators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt
from ttcm.domain import formula
from ttcm.domain.account_kind import account_kind
from ttcm.domain.cells import Cell
from ttcm.domain.eligibility import Eligibility, check
from ttcm.errors import NotFound
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.search import label_options
from ttcm.services.openings import record_opened
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.lookup import one_row, one_value

# audience shares come as (key, share) pairs
MetricCell = Cell | list[tuple[str, float]] | Mapping[str, object]


class ProfileError(NotFound):
    """No such creator in the cache."""


_NOT_CACHED = "Not in the cached data yet."  # TikTok provides it; the cache has no value yet
_NOT_REPORTED = "Not reported yet."


def _no_creator(handle: str) -> ProfileError:
    return ProfileError(f"No creator @{handle} in the cache.")


@dataclass(frozen=True)
class MetricValue:
    """A metric as shown: its value, or why TikTok does not provide it for this account."""

    key: str
    label: str
    value: MetricCell
    available: bool
    reason: str | None = None


@dataclass
class Profile:
    """Everything the profile page shows about one creator."""

    creator: dict[str, Cell]
    kind: str
    kind_label: str
    labels: list[str]
    metrics: list[MetricValue]
    audience: dict[str, list[tuple[str, float]]]
    growth: list[tuple[date, int | None]]
    posts: list[dict[str, Cell]]
    eligibility: Eligibility
    invitation: dict[str, Cell] | None = None
    shortlists: list[str] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)  # the derived metrics, filled formulas


def account_metric(kind: str, key: str, value: MetricCell) -> MetricValue:
    """An account-level metric with availability from ttcm/rules/metric_availability.json."""
    matrix = rules.metric_availability()
    spec, reasons = matrix["account_metrics"][key], matrix["account_reasons"]
    why = (reasons.get(kind) if spec["kinds"] else None) or reasons["none"]
    return _metric_value(key, spec["label"], value, kind in spec["kinds"], _NOT_CACHED, why)


def post_metric(tracking: str, key: str, value: MetricCell) -> MetricValue:
    """A post-level metric with availability by how the post is tracked."""
    matrix = rules.metric_availability()
    spec, why = matrix["post_metrics"][key], matrix["post_reasons"].get(tracking)
    provided = tracking in spec["trackings"]
    return _metric_value(key, spec["label"], value, provided, _NOT_REPORTED, why)


def _metric_value(
    key: str, label: str, value: MetricCell, provided: bool, not_yet: str, reason: str | None
) -> MetricValue:
    """The value where TikTok provides the metric, else why not (`not_yet`: not cached yet)."""
    if not provided:
        return MetricValue(key, label, None, False, reason)
    if value is None:
        return MetricValue(key, label, None, False, not_yet)
    return MetricValue(key, label, value, True)


def profile(store: Store, actor: Principal, handle: str) -> Profile:
    """Collect a creator's profile from the store."""
    require(actor, "read")
    table = m.Creator.__table__
    with store.read() as conn:
        creator = one_row(conn, table, table.c.handle_name == handle, _no_creator(handle))
        pk = creator["id"]
        audience: dict[str, list[tuple[str, float]]] = {}
        for dim, key, share in conn.execute(
            select(m.CreatorAudience.dimension, m.CreatorAudience.key, m.CreatorAudience.share)
            .where(m.CreatorAudience.creator_pk == pk)
            .order_by(m.CreatorAudience.share.desc())
        ):
            audience.setdefault(dim, []).append((key, share))
        growth = [
            (d, f)
            for d, f in conn.execute(
                select(m.CreatorSnapshot.day, m.CreatorSnapshot.followers_count)
                .where(m.CreatorSnapshot.creator_pk == pk)
                .order_by(m.CreatorSnapshot.day)
            )
        ]
        posts = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    m.Post.video_id,
                    m.Post.caption,
                    m.Post.create_time,
                    m.Post.video_views,
                    m.Post.likes,
                    m.Post.comments,
                    m.Post.shares,
                    m.Post.favorites,
                    m.Post.tracking,
                )
                .where(m.Post.handle_name == handle)
                .order_by(m.Post.create_time.desc())
                .limit(30)
            )
        ]
        invitation = conn.execute(
            select(m.Invitation.state, m.Invitation.reason, m.Invitation.invited_at).where(
                m.Invitation.handle_name == handle
            )
        ).first()
        lists = list(
            conn.execute(
                select(m.Shortlist.name)
                .join(m.ShortlistMember, m.ShortlistMember.shortlist_id == m.Shortlist.id)
                .where(m.ShortlistMember.handle_name == handle)
            ).scalars()
        )
    kind = account_kind(creator["is_tcm_creator"], creator["is_authenticated"])
    names = {lid: name for lid, name, _ in label_options(store)}
    label_ids = (creator.get("label_ids") or "").strip(",").split(",")
    two = len(growth) >= 2
    growth_inputs = {
        "followers_now": growth[-1][1] if two else None,
        "followers_first": growth[0][1] if two else None,
    }
    grown = formula.evaluate("followers_growth", growth_inputs)
    growth_value = grown.value if isinstance(grown, formula.Computed) else None
    er_inputs = {"engagement_rate": creator.get("engagement_rate")}
    price = (
        numfmt.money(creator["creator_price"], creator.get("currency"))
        if creator.get("creator_price") is not None
        else None
    )
    values = {
        "handle_name": creator["handle_name"],
        "display_name": creator.get("display_name"),
        "profile_image": creator.get("profile_image"),
        "creator_id": creator.get("creator_id"),
        "followers_count": creator.get("followers_count"),
        "likes_count": creator.get("likes_count"),
        "videos_count": creator.get("videos_count"),
        "followers_growth": growth_value,
        "avg_views": creator.get("avg_views"),
        "median_views": creator.get("median_views"),
        "engagement_rate": creator.get("engagement_rate"),
        "creator_price": price,
        "audience_countries": audience.get("country") or creator.get("audience_top_country"),
        "audience_genders": audience.get("gender") or creator.get("audience_female_share"),
        "audience_ages": audience.get("age") or creator.get("audience_top_age"),
        "audience_devices": audience.get("device"),
        "audience_locales": audience.get("locale"),
        "completion_rate": None,
    }
    metrics = [account_metric(kind, key, value) for key, value in values.items()]
    return Profile(
        creator=creator,
        kind=kind,
        kind_label=rules.metric_availability()["account_kinds"][kind],
        labels=[names.get(x, x) for x in label_ids if x],
        metrics=metrics,
        audience=audience,
        growth=growth,
        posts=posts,
        eligibility=check(creator),
        invitation=dict(invitation._mapping) if invitation else None,
        shortlists=lists,
        formulas=[
            formula.explain("followers_growth", growth_inputs),
            formula.explain("account_engagement_rate", er_inputs),
        ],
    )


# ---------------------------------------------------------------- similar creators


@dataclass(frozen=True)
class Similar:
    """A similar creator and why it matched."""

    creator_id: int
    handle_name: str
    score: float
    reasons: list[str]


def similar(store: Store, actor: Principal, handle: str, limit: int = 20) -> list[Similar]:
    """The creators in the cache most like `handle`, each with the reasons it matched.

    Score: shared labels (Jaccard over label bits), same main audience country and age band,
    audience gender split, size (log followers) and engagement rate; supported accounts only.
    """
    require(actor, "read")
    index = index_cache.current(store)
    c = {k: np.asarray(v) for k, v in index.cols.items()}
    with store.read() as conn:
        pk = one_value(conn, m.Creator.id, m.Creator.handle_name == handle, _no_creator(handle))
    pos = int(np.searchsorted(c["id"], pk))
    if pos >= index.size or c["id"][pos] != pk:
        return []
    me_labels = c["labels"][pos]
    inter = np.bitwise_count(c["labels"] & me_labels).astype(np.float64)
    union = np.bitwise_count(c["labels"] | me_labels).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, inter / union, 0.0)
        size = np.log10(np.maximum(c["followers"], 1))
        size_sim = np.clip(1 - np.abs(size - size[pos]) / 2, 0, 1)
        size_sim = np.nan_to_num(size_sim, nan=0.0)
        er_sim = np.nan_to_num(np.clip(1 - np.abs(c["er"] - c["er"][pos]) / 0.05, 0, 1), nan=0.0)
        gender_sim = np.nan_to_num(np.clip(1 - np.abs(c["female"] - c["female"][pos]) / 0.3, 0, 1))
    same_country = (c["aud_country"] == c["aud_country"][pos]) & (c["aud_country"] > 0)
    same_age = (c["age"] == c["age"][pos]) & (c["age"] > 0)
    score = (
        3.0 * jaccard
        + 1.5 * same_country
        + 1.0 * same_age
        + 1.0 * gender_sim
        + 1.5 * size_sim
        + 1.0 * er_sim
    )
    supported = ~((c["tcm"] == 0) & (c["auth"] == 0))
    score = np.where(supported, score, -np.inf)
    score[pos] = -np.inf
    n = min(limit, int(np.isfinite(score).sum()))
    if n <= 0:
        return []
    top = np.argpartition(-score, n - 1)[:n]
    top = top[np.lexsort((c["handle_rank"][top], -score[top]))]
    ids = [int(x) for x in c["id"][top]]
    with store.read() as conn:
        handles = dict(
            conn.execute(
                select(m.Creator.id, m.Creator.handle_name).where(m.Creator.id.in_(ids))
            ).all()
        )
    label_vocab = index.data.vocab["label"]
    names = {lid: name for lid, name, _ in label_options(store)}
    country_vocab = index.data.vocab["country"]
    age_vocab = index.data.vocab["age"]
    out = []
    for p, cid in zip(top, ids, strict=True):
        reasons = []
        shared = int(c["labels"][p]) & int(me_labels)
        if shared:
            shared_names = [
                names.get(label_vocab[b], label_vocab[b]) for b in range(64) if shared >> b & 1
            ]
            reasons.append("shares labels: " + ", ".join(shared_names[:3]))
        if same_country[p]:
            reasons.append(f"same main audience country ({country_vocab[c['aud_country'][p] - 1]})")
        if same_age[p]:
            reasons.append(f"same main audience age ({age_vocab[c['age'][p] - 1]})")
        if size_sim[p] >= 0.75:
            reasons.append(f"similar size ({numfmt.count(int(c['followers'][p]))} followers)")
        if er_sim[p] >= 0.6 and not np.isnan(c["er"][p]):
            reasons.append(f"similar engagement ({numfmt.percent(float(c['er'][p]), 1)})")
        if gender_sim[p] >= 0.8 and not np.isnan(c["female"][p]):
            reasons.append(
                f"similar audience gender split ({numfmt.percent(float(c['female'][p]), 0)} female)"
            )
        out.append(
            Similar(cid, handles.get(cid, "?"), float(score[p]), reasons or ["closest overall"])
        )
    return out


class Profiles:
    """A creator's profile and similar creators, for the signed-in reader."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def profile(self, actor: Principal, handle: str) -> Profile:
        """The creator's cached profile (ProfileError when not in the cache)."""
        return profile(self.store, actor, handle)

    def similar(self, actor: Principal, handle: str, limit: int = 20) -> list[Similar]:
        """The creators most like `handle`."""
        return similar(self.store, actor, handle, limit)

    def opened(self, actor: Principal, handle: str) -> None:
        """Queue the creator for the next refresh's detail fetch (discover sends few fields)."""
        record_opened(self.store, actor, handle)
