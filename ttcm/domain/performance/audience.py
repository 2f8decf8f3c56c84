"""The campaign's audience (views-weighted shares per dimension) and the brand's target."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ttcm import rules
from ttcm.domain.performance.values import is_nan

# audience dimensions of a post (keys of `posts.audience`) and their labels
AUDIENCE_DIMENSIONS = {
    "ages": "Age",
    "genders": "Gender",
    "countries": "Country",
    "locales": "Locale",
}
_DIM_ALIASES = {
    "age": "ages",
    "ages": "ages",
    "gender": "genders",
    "genders": "genders",
    "country": "countries",
    "countries": "countries",
    "locale": "locales",
    "locales": "locales",
}


def campaign_audiences(
    posts: pd.DataFrame, audience: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, float]]:
    """The campaign's audience in every dimension: each post's shares weighted by its views.

    Posts without audience data or without views do not count; in each dimension the shares sum
    to 1 over the posts that report it (a dimension nobody reports is absent).
    """
    if posts.empty or not audience:
        return {}
    weights = dict(zip(posts["video_id"], posts["video_views"], strict=True))
    acc: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    for vid, dims in audience.items():
        w = weights.get(vid)
        if not dims or w is None or is_nan(w) or w <= 0:
            continue
        for dim, shares in dims.items():
            pairs = _pairs(shares)
            if not pairs:
                continue
            totals[dim] = totals.get(dim, 0.0) + float(w)
            bucket = acc.setdefault(dim, {})
            for key, share in pairs:
                bucket[key] = bucket.get(key, 0.0) + float(w) * share
    return {
        dim: dict(sorted(((k, v / totals[dim]) for k, v in bucket.items()), key=lambda kv: -kv[1]))
        for dim, bucket in acc.items()
    }


def campaign_audience(
    posts: pd.DataFrame, audience: Mapping[str, Mapping[str, Any]], dimension: str
) -> dict[str, float]:
    """The campaign's audience shares in one dimension (see `campaign_audiences`)."""
    return campaign_audiences(posts, audience).get(dimension, {})


def _pairs(raw: Any) -> list[tuple[str, float]]:
    """[[key, share]] or {key: share} -> [(key, share)], dropping what is not a share."""
    items = raw.items() if isinstance(raw, Mapping) else raw
    out = []
    for item in items or ():
        try:
            key, share = item
            share = float(share)
        except (TypeError, ValueError):
            continue
        if key is None or math.isnan(share) or share < 0:
            continue
        out.append((str(key), share))
    return out


def parse_target(raw: Any) -> tuple[dict[str, dict[str, float]], list[str]]:
    """The campaign's `target_audience` as {dimension: {key: share}}, and what was unusable.

    Shape: {"ages": {"18-24": 0.5, "25-34": 0.3}, "genders": {"FEMALE": 0.7},
    "countries": {"US": 0.6}, "locales": {...}}; a dimension may also be a list of
    [key, share] pairs, or a list of keys (an equal split). Shares are fractions (0.6 = 60 %);
    singular dimension names (age, gender, country, locale) are accepted.
    """
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, ["the target audience is not a mapping of dimensions"]
    out: dict[str, dict[str, float]] = {}
    problems: list[str] = []
    for name, value in raw.items():
        dim = _DIM_ALIASES.get(str(name).strip().lower())
        if dim is None:
            shown = str(name)[:30]
            problems.append(f"unknown dimension {shown!r} (use ages, genders, countries, locales)")
            continue
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = {v: 1.0 / len(value) for v in value}
        pairs = _pairs(value)
        bad = [p for p in pairs if p[1] > 1]
        if bad:
            problems.append(f"{dim}: shares are fractions between 0 and 1 ({bad[0][0]!r})")
            pairs = [p for p in pairs if p[1] <= 1]
        if pairs:
            out[dim] = {k: s for k, s in pairs}
        elif value:
            problems.append(f"{dim}: no usable [key, share] entries")
    return out, problems


# ---------------------------------------------------------------- shown to people


def _number(text: str) -> float:
    found = re.search(r"\d+", text)
    return float(found.group()) if found else math.inf


def audience_label(dimension: str, key: str) -> str:
    """A breakdown key as people read it (FEMALE -> Female, AGE_18_24 -> 18-24); else the key."""
    dim = _DIM_ALIASES.get(dimension.strip().lower(), dimension)
    spec = rules.load("audience").get(dim) or {}
    return str(spec.get("labels", {}).get(key, key))


def shown_shares(dimension: str, shares: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """(label, share) in the dimension's natural order: ages youngest first, genders as listed.

    Keys that read the same (OTHER, UNKNOWN) are added up. Dimensions without an order in
    `rules/audience.json` (countries, locales, devices) go largest share first.
    """
    dim = _DIM_ALIASES.get(dimension.strip().lower(), dimension)
    merged: dict[str, float] = {}
    for key, share in shares:
        label = audience_label(dim, str(key))
        merged[label] = merged.get(label, 0.0) + float(share)
    order = (rules.load("audience").get(dim) or {}).get("order")
    if order is None:
        return sorted(merged.items(), key=lambda kv: -kv[1])
    rank = {label: i for i, label in enumerate(order)}
    by_number = dim == "ages"

    def position(label: str) -> tuple[float, float, str]:
        if label in rank:
            return (0, rank[label], label)
        return (1, _number(label) if by_number else 0.0, label)

    return sorted(merged.items(), key=lambda kv: position(kv[0]))
