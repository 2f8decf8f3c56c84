"""Sandbox dialects: answer with the documented variants the contract's canonical shape hides.

`--dialect renamed,string_cursors,thin_discover,percentages` (or `unknown_list_key`) rewrites
each success answer after the handlers built it, so the client and the refresh can be tested on
the answers TikTok's docs and independent SDKs show, not only the sandbox's own:

* `renamed`: list keys and fields under their variant names (`creator_list`, `videos`,
  `video_details`, `item_id`, `follower_count`, `auth_status_update_time`, `handler_name`, …);
* `string_cursors`: video-list cursors are opaque strings (`"opaque-<ms>"`), decoded on the way in;
* `thin_discover`: discover rows carry only handle, display name, followers and a few metrics;
* `percentages`: engagement rates and audience shares in percent (5.1, not 0.051);
* `unknown_list_key`: list keys renamed to a name no source documents (`items`) — drift.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ttcm.config import parse_dialect

CURSOR_PREFIX = "opaque-"

# endpoint -> (canonical list key, variant sent by `renamed`)
_LIST_RENAMES = {
    "discover": ("creators", "creator_list"),
    "authorized_creators": ("creators", "creator_list"),
    "creator_public_videos": ("posts", "videos"),
    "creator_authorized_videos": ("posts", "video_list"),
    "campaign_report": ("videos", "video_details"),
}
_ITEM_RENAMES = {
    "discover": {"followers_count": "follower_count"},
    "authorized_creators": {"followers_count": "follower_count"},
    "creator_public_videos": {"video_id": "item_id"},
    "creator_authorized_videos": {"video_id": "tiktok_item_id"},
    "creator_status": {"handle_name": "handler_name"},
    "campaigns": {"handle_names": "handler_names"},
}
_OBJECT_RENAMES = {
    "spark_status": {"auth_status_updated_time": "auth_status_update_time"},
    "creator_public": {"followers_count": "follower_count"},
    "creator_authorized": {"audience_usages": "audience_usage"},
}
_ITEM_LISTS = {"creator_status": "onboarding_status", "campaigns": "campaigns"}
_THIN_KEEP = (
    "creator_id",
    "handle_name",
    "display_name",
    "profile_image",
    "followers_count",
    "avg_views",
    "likes_count",
)
_FRACTIONS = ("engagement_rate", "video_completion_rate")
_SHARE_LISTS = (
    "audience_countries",
    "audience_genders",
    "audience_ages",
    "audience_devices",
    "audience_locales",
)
_PERCENT_ENDPOINTS = ("discover", "creator_public", "campaign_report")


@dataclass(frozen=True)
class Dialect:
    """A set of dialect flags applied to every success answer."""

    flags: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, spec: str | Iterable[str] | Dialect | None) -> Dialect:
        """A dialect from `a,b`, an iterable of flags, a Dialect or None."""
        if isinstance(spec, Dialect):
            return spec
        return cls(parse_dialect(spec))

    def __bool__(self) -> bool:
        return bool(self.flags)

    def __str__(self) -> str:
        return ",".join(sorted(self.flags)) or "canonical"

    def decode_query(self, query: dict[str, str]) -> dict[str, str]:
        """Turn an opaque cursor back into the handlers' milliseconds."""
        cursor = query.get("cursor")
        if "string_cursors" in self.flags and cursor is not None:
            query = {**query, "cursor": cursor.removeprefix(CURSOR_PREFIX)}
        return query

    def apply(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        """`data` of endpoint `name` in this dialect (a copy; the handlers' objects stay intact)."""
        if not self.flags or not data:
            return data
        out: dict[str, Any] = json.loads(json.dumps(data))
        flags = self.flags
        list_key = _LIST_RENAMES.get(name, (None, None))[0] or _ITEM_LISTS.get(name)
        rows = out.get(list_key) if list_key else None
        items = rows if isinstance(rows, list) else [out]
        if "thin_discover" in flags and name == "discover":
            items[:] = [{k: r[k] for k in _THIN_KEEP if k in r} for r in items]
        if "percentages" in flags and name in _PERCENT_ENDPOINTS:
            for row in items:
                _to_percent(row)
        if "string_cursors" in flags:
            nested = out.get("page_info")
            holder: dict[str, Any] = nested if isinstance(nested, dict) else out
            if "cursor" in holder and holder["cursor"] is not None:
                holder["cursor"] = f"{CURSOR_PREFIX}{holder['cursor']}"
        if "renamed" in flags:
            renames = _ITEM_RENAMES.get(name) if rows is not None else _OBJECT_RENAMES.get(name)
            for row in items:
                for old, new in (renames or {}).items():
                    if old in row:
                        row[new] = row.pop(old)
            if name in _LIST_RENAMES and list_key in out:
                out[_LIST_RENAMES[name][1]] = out.pop(list_key)
        if "unknown_list_key" in flags and list_key is not None:
            for key in (list_key, _LIST_RENAMES.get(name, (None, None))[1]):
                if key in out:
                    out["items"] = out.pop(key)
        return out


def _to_percent(row: dict[str, Any]) -> None:
    for name in _FRACTIONS:
        if isinstance(row.get(name), int | float):
            row[name] = round(row[name] * 100, 4)
    for name in _SHARE_LISTS:
        shares = row.get(name)
        if isinstance(shares, list):
            for share in shares:
                if isinstance(share, dict) and isinstance(share.get("percentage"), int | float):
                    share["percentage"] = round(share["percentage"] * 100, 4)
