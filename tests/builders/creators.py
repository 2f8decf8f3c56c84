"""Cached creators for discovery and its pages: random but deterministic, or priced in currencies.

`load` writes them the way the refresh does, so the discovery index sees them.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from ttcm import rules
from ttcm.auth import Principal
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.upsert import upsert

NOW = datetime(2026, 11, 1, tzinfo=UTC)
COUNTRIES = ["US", "GB", "DE", "BR", "JP", "MX", "NL"]
CONTENT = [lab["label_id"] for lab in rules.vocab()["content_labels"]][:6]
LANGS = ["en", "es", "de", "pt", "ja"]
AGES = rules.vocab()["age_bands"]
VIEWER = Principal(username="viewer", name="Viewer", role="viewer")


def make_creators(n: int, seed: int) -> list[dict[str, Any]]:
    """Deterministic creators with every filterable field, some of them unknown (None)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        followers = int(10 ** rnd.uniform(3, 7)) if rnd.random() > 0.05 else None
        female = round(rnd.random(), 3) if rnd.random() > 0.1 else None
        labels = rnd.sample(CONTENT, rnd.randint(0, 2))
        langs = rnd.sample(LANGS, rnd.randint(0, 2))
        tcm = rnd.random() < 0.7
        rows.append(
            {
                "handle_name": f"{rnd.choice(['mira', 'zed', 'olu', 'kai'])}_{i:04d}",
                "display_name": rnd.choice(["Mira Moon", "Zed <b>Bold</b>", 'Olu "Q"', "Kai 🎯"]),
                "bio": rnd.choice(["beauty tips", "gaming daily", "100% vegan", "c_a_t", None]),
                "country_code": rnd.choice(COUNTRIES),
                "state_province": rnd.choice(["CA", "NY", None]),
                "followers_count": followers,
                "avg_views": int(followers * rnd.uniform(0.05, 0.5)) if followers else None,
                "median_views": int(followers * rnd.uniform(0.02, 0.3)) if followers else None,
                "engagement_rate": round(rnd.uniform(0, 0.2), 4) if tcm else None,
                "creator_price": round(rnd.uniform(50, 5000), 2) if rnd.random() > 0.2 else None,
                "currency": rnd.choice(["USD", "EUR"]),
                "languages": f",{','.join(langs)}," if langs else None,
                "label_ids": f",{','.join(labels)}," if labels else None,
                "audience_top_country": rnd.choice(COUNTRIES + [None]),
                "audience_female_share": female,
                "audience_male_share": round(1 - female, 3) if female is not None else None,
                "audience_top_age": rnd.choice(AGES + [None]),
                "is_tcm_creator": tcm,
                "is_authenticated": rnd.random() < 0.4,
                "account_type": None if tcm else rnd.choice(["PERSONAL", "BUSINESS", None]),
                "age_verified_18": None if tcm else rnd.choice([True, False, None]),
                "videos_last_30d": None if tcm else rnd.choice([0, 2, 3, 10, None]),
                "views_last_30d": None if tcm else rnd.choice([500, 1000, 50000, None]),
                "content_rating": None if tcm else rnd.choice(["13+", "18+", None]),
                "source": m.API_SOURCE,
                "first_seen_at": NOW,
                "fetched_at": NOW,
            }
        )
    return rows


def load(store: Store, rows: list[dict[str, Any]]) -> None:
    """Write creators the way the refresh does (and bump the data version)."""
    with store.write() as conn:
        upsert(conn, m.Creator.__table__, rows, key=["handle_name"])
        versions.bump(conn, "creators")


def creator(handle: str, price: float | None, currency: str | None) -> dict[str, Any]:
    """A marketplace creator in the US asking `price` in `currency`."""
    return {
        "handle_name": handle,
        "display_name": handle.title(),
        "country_code": "US",
        "followers_count": 50_000,
        "creator_price": price,
        "currency": currency,
        "is_tcm_creator": True,
        "is_authenticated": True,
        "source": m.API_SOURCE,
        "first_seen_at": NOW,
        "fetched_at": NOW,
    }


# Shipped rates: IDR 16,600 and VND 26,300 per USD, EUR 0.86, JPY 154.
PRICED = [
    creator("idr_big", 9_960_000, "IDR"),  # 600 USD
    creator("vnd_big", 291_091_000, "VND"),  # ~11,068 USD
    creator("usd_mid", 2_000, "USD"),  # 2,000 USD
    creator("eur_top", 12_900, "EUR"),  # 15,000 USD
    creator("jpy_small", 15_400, "JPY"),  # 100 USD
    creator("no_price", None, "USD"),
    creator("odd_cur", 5, "XAU"),  # no rate shipped: price unknown in USD
]
