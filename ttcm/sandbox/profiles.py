"""The creator in its views (docs/contract.md, "Payloads"); a field a view lacks is absent."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ttcm.api.models.audience import CREATOR_AUDIENCE_FIELDS
from ttcm.sandbox.world import World


class View(StrEnum):
    """Which endpoint a creator object is shaped for."""

    DISCOVER = "discover"  # top audience entries only
    PUBLIC = "public"
    AUTHORIZED = "authorized"  # /tto/creator/authorized/ and /oauth2/creator/get/


# Field names `fields` may ask for on /tto/creator/authorized/.
AUTHORIZED_FIELDS = (
    "creator_id",
    "handle_name",
    "display_name",
    "profile_image",
    "bio",
    "followers_count",
    "following_count",
    "likes_count",
    "videos_count",
    "creator_rate",
    "country_code",
    "state_province",
    "languages",
    "content_labels",
    "industry_labels",
    *CREATOR_AUDIENCE_FIELDS,
    "is_tcm_creator",
    "is_authenticated",
    "account_type",
    "age_verified_18",
    "videos_last_30d",
    "views_last_30d",
    "content_rating",
)


def creator_object(
    world: World, i: int, t: float, view: View, fields: list[str] | None = None
) -> dict[str, Any]:
    """Creator `i` as `view` shows it at time `t`; `fields` narrows the authorized view."""
    d = world.d
    out: dict[str, Any] = {
        "creator_id": d.creator_id(i),
        "handle_name": d.handles[i],
        "display_name": d.display_name(i),
        "profile_image": d.profile_image(i),
        "bio": d.bio(i),
        "country_code": d.country_code(i),
    }
    state = d.state_province(i)
    if state:
        out["state_province"] = state
    out.update(
        followers_count=int(d.followers[i]),
        following_count=int(d.following[i]),
        likes_count=int(d.likes[i]),
        videos_count=int(d.videos[i]),
    )
    currency = d.currency_code(i)
    if view != View.AUTHORIZED:
        out.update(
            avg_views=int(d.avg_views[i]),
            median_views=int(d.median_views[i]),
            engagement_rate=int(d.er_bp[i]) / 10_000,
        )
        if currency:
            out.update(creator_price=float(d.price[i]), currency=currency)
    elif currency:
        out["creator_rate"] = {"rate": float(d.price[i]), "currency": currency}
    out.update(
        languages=d.languages(i),
        industry_labels=d.labels(i, "industry"),
        content_labels=d.labels(i, "content"),
    )
    top = 3 if view == View.DISCOVER else None
    out["audience_countries"] = d.audience_countries(i, top=top or 5)
    out["audience_genders"] = d.audience_genders(i)
    out["audience_ages"] = d.audience_ages(i, top=top)
    if view == View.AUTHORIZED:
        out["audience_devices"] = d.audience_devices(i)
        locales = d.audience_locales(i)
        if locales:
            out["audience_locales"] = locales
    out["is_tcm_creator"] = world.is_marketplace(i, t)
    out["is_authenticated"] = bool(d.authenticated[i])
    if view == View.AUTHORIZED:
        out.update(
            account_type="BUSINESS" if bool(d.business[i]) else "PERSONAL",
            age_verified_18=bool(d.adult[i]),
            videos_last_30d=int(d.videos_30d[i]),
            views_last_30d=int(d.views_30d[i]),
            content_rating="18+" if bool(d.mature[i]) else "13+",
        )
        if fields:
            keep = set(fields) | {"creator_id", "handle_name"}
            out = {k: v for k, v in out.items() if k in keep}
    return out
