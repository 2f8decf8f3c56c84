"""Synthetic creator rows for the benchmarks, shaped like the refresh writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from ttcm import rules
from ttcm.store import models as m

COUNTRIES = sorted(rules.countries())
SYLLABLES = ["mi", "ra", "zo", "lu", "ka", "ne", "to", "sa", "vi", "el", "or", "an", "qu", "be"]


def make_rows(n: int, seed: int = 1) -> list[dict]:
    """n creator rows with every filterable column (deterministic)."""
    rng = np.random.default_rng(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    followers = (np.exp(rng.normal(10.5, 1.4, n)) + 1000).astype(np.int64)
    avg_views = (followers * rng.lognormal(-1.5, 0.5, n)).astype(np.int64)
    median_views = (avg_views * rng.uniform(0.4, 0.9, n)).astype(np.int64)
    er = rng.beta(2, 30, n)
    price = followers * rng.uniform(0.005, 0.02, n)
    country_w = np.ones(len(COUNTRIES))
    country_w[COUNTRIES.index("US")] = 6
    country = rng.choice(len(COUNTRIES), n, p=country_w / country_w.sum())
    content = [lab["label_id"] for lab in rules.vocab()["content_labels"]]
    industry = [lab["label_id"] for lab in rules.vocab()["industry_labels"]]
    label_a = rng.zipf(1.6, n) % len(content)
    label_b = rng.integers(0, len(industry), n)
    langs = rules.vocab()["languages"]
    lang = rng.integers(0, 6, n)
    female = rng.beta(2, 2, n)
    ages = rules.vocab()["age_bands"]
    age = rng.choice(len(ages), n, p=[0.35, 0.3, 0.18, 0.1, 0.07])
    syl = rng.integers(0, len(SYLLABLES), (n, 3))
    rows = []
    for i in range(n):
        word = "".join(SYLLABLES[j] for j in syl[i])
        rows.append(
            {
                "handle_name": f"{word}_{i:07d}",
                "creator_id": str(7_000_000_000_000_000_000 + i),
                "display_name": f"{word.capitalize()} {SYLLABLES[syl[i][0]].upper()}",
                "bio": f"{content[label_a[i]]} creator {word}",
                "country_code": COUNTRIES[country[i]],
                "followers_count": int(followers[i]),
                "likes_count": int(followers[i] * 12),
                "videos_count": 100 + i % 500,
                "avg_views": int(avg_views[i]),
                "median_views": int(median_views[i]),
                "engagement_rate": float(er[i]),
                "creator_price": float(round(price[i], 2)),
                "currency": "USD",
                "languages": f",{langs[lang[i]]},",
                "label_ids": f",{content[label_a[i]]},{industry[label_b[i]]},",
                "audience_top_country": COUNTRIES[country[(i * 7) % n]],
                "audience_female_share": float(female[i]),
                "audience_male_share": float(1 - female[i]),
                "audience_top_age": ages[age[i]],
                "is_tcm_creator": bool(i % 5),
                "is_authenticated": i % 3 == 0,
                "source": m.API_SOURCE,
                "first_seen_at": now,
                "fetched_at": now,
            }
        )
    return rows
