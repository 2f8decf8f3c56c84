"""What each endpoint's answer must contain, and the known variants of it, as data.

One `Shape` per endpoint: the list key (canonical first, then the variants seen in TikTok's docs
and independent SDKs), the field every item must carry, field renames applied to every item (and
to `data` itself for single-object endpoints), the keys a single-object answer must carry, and the
fraction fields whose values may arrive as percentages. `conform` rewrites a success answer into
the canonical shape the models read, or raises `UnexpectedResponse`; it never turns a drifted
answer into an empty list. `inspect` reports the same findings without raising (`ttcm doctor`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from ttcm.api.endpoints import ENDPOINTS
from ttcm.api.errors import UnexpectedResponse
from ttcm.api.models.audience import CREATOR_AUDIENCE_FIELDS

log = logging.getLogger("ttcm.api")

_VIDEO_ID = ("item_id", "tiktok_item_id")
_CREATOR_RENAMES: Mapping[str, tuple[str, ...]] = {
    "handle_name": ("handle",),
    "followers_count": ("follower_count",),
    "audience_usages": ("audience_usage",),
}


@dataclass(frozen=True, slots=True)
class Shape:
    """The keys an endpoint's `data` must have and the variants accepted for them."""

    list_keys: tuple[str, ...] = ()  # canonical first; empty for single-object answers
    item_id: str | None = None  # every item must carry it (after renames)
    renames: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    required: tuple[str, ...] = ()  # keys a single-object `data` must carry (after renames)
    fractions: tuple[str, ...] = ()  # fraction fields (0.051 = 5.1 %) of each item / the object
    shares: tuple[str, ...] = ()  # lists of {…, percentage} whose percentages are fractions


SHAPES: dict[str, Shape] = {
    "tcm_accounts": Shape(
        required=("tto_tcm_account_ids",), renames={"tto_tcm_account_ids": ("tcm_account_ids",)}
    ),
    "account_info": Shape(),
    "labels": Shape(required=("industry_labels", "content_labels")),
    "discover": Shape(
        ("creators", "creator_list"),
        "handle_name",
        _CREATOR_RENAMES,
        fractions=("engagement_rate",),
        shares=CREATOR_AUDIENCE_FIELDS,
    ),
    "authorized_creators": Shape(
        ("creators", "creator_list"),
        "handle_name",
        _CREATOR_RENAMES,
        shares=CREATOR_AUDIENCE_FIELDS,
    ),
    "creator_status": Shape(
        ("onboarding_status",), "handle_name", {"handle_name": ("handler_name",)}
    ),
    "creator_public": Shape(
        renames=_CREATOR_RENAMES, fractions=("engagement_rate",), shares=CREATOR_AUDIENCE_FIELDS
    ),
    "creator_public_videos": Shape(
        ("posts", "videos", "video_list", "list"), "video_id", {"video_id": _VIDEO_ID}
    ),
    "creator_authorized": Shape(renames=_CREATOR_RENAMES, shares=CREATOR_AUDIENCE_FIELDS),
    "creator_authorized_videos": Shape(
        ("posts", "videos", "video_list", "list"), "video_id", {"video_id": _VIDEO_ID}
    ),
    "brand_profiles": Shape(("brands",), "brand_profile_id"),
    "campaigns": Shape(
        ("campaigns",),
        "campaign_id",
        {
            "handle_names": ("handler_names",),
            "invite_start_time": ("invite_start_time_stamp",),
        },
    ),
    "campaign_link_status": Shape(("video_infos",), "video_id", {"video_id": _VIDEO_ID}),
    "campaign_report": Shape(
        ("videos", "video_detail", "video_details"),
        fractions=("engagement_rate", "video_completion_rate"),
    ),
    "spark_status": Shape(
        required=("auth_status",),
        renames={
            "auth_status": ("ad_auth_status",),
            "auth_status_updated_time": ("auth_status_update_time",),
        },
    ),
    "orders": Shape(("orders",), "order_id"),
    "order_report": Shape(("insights",)),
}


@dataclass
class Finding:
    """What `inspect` saw in one answer: variants used, units converted, keys missing."""

    variants: list[str] = field(default_factory=list)  # "creator_list for creators"
    missing: list[str] = field(default_factory=list)  # canonical keys not found
    percentages: list[str] = field(default_factory=list)  # fields that came as percentages
    cursor_type: str | None = None  # "int" / "str" of a cursor answer

    @property
    def drift(self) -> bool:
        """True when the answer was not in the canonical shape."""
        return bool(self.variants or self.missing or self.percentages) or self.cursor_type == "str"


def _rename(obj: dict[str, Any], renames: Mapping[str, tuple[str, ...]], seen: set[str]) -> None:
    for canonical, variants in renames.items():
        if obj.get(canonical) is not None:
            continue
        for variant in variants:
            if obj.get(variant) is not None:
                obj[canonical] = obj[variant]
                seen.add(f"{variant} for {canonical}")
                break


def _real(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shares(row: dict[str, Any], name: str) -> list[Any] | None:
    # a share field of the wrong type is the model's to report, not these walks'
    shares = row.get(name)
    return shares if isinstance(shares, list) else None


def _is_percent_page(rows: list[dict[str, Any]], shape: Shape) -> bool:
    # any fraction above 1 (or any share above 1) means the page is in percent: 5.1, not 0.051
    for row in rows:
        for name in shape.fractions:
            value = row.get(name)
            if _real(value) and value > 1:
                return True
        for name in shape.shares:
            for share in _shares(row, name) or ():
                value = share.get("percentage") if isinstance(share, dict) else None
                if _real(value) and value > 1:
                    return True
    return False


def _to_fractions(rows: list[dict[str, Any]], shape: Shape) -> list[str]:
    converted: set[str] = set()
    for row in rows:
        for name in shape.fractions:
            value = row.get(name)
            if _real(value):
                row[name] = value / 100.0
                converted.add(name)
        for name in shape.shares:
            shares = _shares(row, name)
            if shares is None:
                continue
            fixed = []
            for share in shares:
                value = share.get("percentage") if isinstance(share, dict) else None
                if _real(value):
                    share = {**share, "percentage": value / 100.0}
                    converted.add(name)
                fixed.append(share)
            row[name] = fixed
    return sorted(converted)


_logged_units: set[str] = set()


def _log_units_once(name: str, fields: list[str]) -> None:
    if name in _logged_units:
        return
    _logged_units.add(name)
    path = ENDPOINTS[name].path if name in ENDPOINTS else name
    log.warning(
        "%s sends %s as percentages, not fractions; converting (logged once)",
        path,
        ", ".join(fields),
    )


def inspect(name: str, data: dict[str, Any], request_id: str | None = None) -> Finding:
    """Conform `data` (in place) to `name`'s canonical shape and report what differed.

    Raises `UnexpectedResponse` when a key the endpoint must send is absent in every known form.
    """
    shape = SHAPES.get(name)
    finding = Finding()
    if shape is None:
        return finding
    path = ENDPOINTS[name].path if name in ENDPOINTS else name
    seen: set[str] = set()
    if shape.list_keys:
        rows = _conform_list(name, path, shape, data, request_id, seen)
    else:
        _rename(data, shape.renames, seen)
        for key in shape.required:
            if data.get(key) is None:
                raise UnexpectedResponse(path, key, list(data), request_id)
        rows = [data]
    if (shape.fractions or shape.shares) and _is_percent_page(rows, shape):
        finding.percentages = _to_fractions(rows, shape)
        if finding.percentages:
            _log_units_once(name, finding.percentages)
    finding.variants = sorted(seen)
    return finding


def _conform_list(
    name: str,
    path: str,
    shape: Shape,
    data: dict[str, Any],
    request_id: str | None,
    seen: set[str],
) -> list[dict[str, Any]]:
    canonical = shape.list_keys[0]
    key = next((k for k in shape.list_keys if k in data and data[k] is not None), None)
    info = data.get("page_info")
    total = info.get("total_number") if isinstance(info, dict) else None
    total = total if isinstance(total, int) and not isinstance(total, bool) else None
    page = info.get("page") if isinstance(info, dict) else None
    if key is None:
        if total == 0:
            data[canonical] = []  # an explicit "no results" answer may leave the list out
            return []
        raise UnexpectedResponse(path, canonical, list(data), request_id)
    if key != canonical:
        seen.add(f"{key} for {canonical}")
        data[canonical] = data.pop(key)
    items = data[canonical]
    if not isinstance(items, list):
        raise UnexpectedResponse(
            path, canonical, list(data), request_id, detail=f"it is a {type(items).__name__}"
        )
    if not items and total and (page in (None, 1)):
        raise UnexpectedResponse(
            path,
            f"{canonical}[0]",
            list(data),
            request_id,
            detail=f"page_info.total_number is {total} but the list is empty",
        )
    rows: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise UnexpectedResponse(
                path, f"{canonical}[{i}]", [], request_id, detail=f"a {type(item).__name__}"
            )
        _rename(item, shape.renames, seen)
        if shape.item_id and item.get(shape.item_id) is None:
            raise UnexpectedResponse(path, shape.item_id, list(item), request_id, where=canonical)
        rows.append(item)
    return rows


def conform(name: str, data: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """`data` rewritten (in place) into endpoint `name`'s canonical shape; see `inspect`."""
    inspect(name, data, request_id)
    return data
