"""The sandbox's creator directory: seeded numpy columns plus lazily derived per-creator details.

Columns hold what discover filters and sorts on (vectorised, a few bytes per creator). Text and
lists (bio, display-name decorations, full audience lists, posts) are derived on demand from
(seed, creator index), so a million creators stay cheap to build and to hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from ttcm import rules
from ttcm.sandbox import names
from ttcm.sandbox.hashing import mix
from ttcm.sandbox.ids import MEDIA_HOST, creator_id, creator_index

# Marketplace status codes of the `status` column.
NOT_IN, IN, INVALID = 0, 1, 2

# Which eligibility rule a non-marketplace creator was generated to fail (`fail` column).
FAIL_NONE, FAIL_COUNTRY, FAIL_FOLLOWERS, FAIL_BUSINESS = 0, 1, 2, 3
FAIL_AGE, FAIL_VIDEOS, FAIL_VIEWS, FAIL_CONTENT = 4, 5, 6, 7
_FAIL_WEIGHTS = [0.34, 0.12, 0.15, 0.09, 0.07, 0.08, 0.07, 0.08]

_COUNTRY_WEIGHT = {
    "US": 0.26, "GB": 0.07, "BR": 0.07, "ID": 0.07, "DE": 0.05, "FR": 0.05, "JP": 0.04,
    "CA": 0.04, "ES": 0.04, "PH": 0.03, "KR": 0.03, "AU": 0.03, "IT": 0.03, "TR": 0.03,
    "TH": 0.03, "VN": 0.03, "RU": 0.02, "MY": 0.02, "SA": 0.02, "AE": 0.02, "EG": 0.02,
    "TW": 0.02,
}  # fmt: skip
_LANGUAGE_OF = {
    "AU": "en", "BR": "pt", "CA": "en", "EG": "ar", "FR": "fr", "DE": "de", "GB": "en",
    "ID": "id", "IL": "he", "IT": "it", "JP": "ja", "MY": "ms", "PH": "tl", "RU": "ru",
    "SA": "ar", "SG": "en", "KR": "ko", "ES": "es", "TW": "zh", "TH": "th", "TR": "tr",
    "AE": "ar", "US": "en", "VN": "vi", "MX": "es",
}  # fmt: skip
# Units of each currency per US dollar (sandbox fixed rates; prices are generated in USD).
FX_PER_USD = {
    "USD": 1.0, "EUR": 0.92, "GBP": 0.79, "AUD": 1.52, "CAD": 1.37, "BRL": 5.4, "EGP": 48.5,
    "IDR": 15800.0, "ILS": 3.7, "JPY": 150.0, "MYR": 4.6, "PHP": 57.0, "RUB": 92.0,
    "SAR": 3.75, "SGD": 1.34, "KRW": 1350.0, "TWD": 32.0, "THB": 35.5, "TRY": 32.5,
    "AED": 3.67, "VND": 25000.0,
}  # fmt: skip
STATES = {
    "US": ["California", "New York", "Texas", "Florida", "Illinois"],
    "CA": ["Ontario", "Quebec", "British Columbia", "Alberta"],
    "AU": ["New South Wales", "Victoria", "Queensland", "Western Australia"],
    "BR": ["São Paulo", "Rio de Janeiro", "Minas Gerais", "Bahia"],
}
_EXTRA_AUDIENCE = ["IN", "NG", "PK", "AR", "CO"]
# Audience gender lean of a creator's main content label (share of female followers).
_FEMALE_LEAN = {
    "11002002": 0.8, "11003001": 0.74, "11016001": 0.7, "11004001": 0.62, "11015001": 0.6,
    "11007001": 0.25, "11010001": 0.3, "11017001": 0.38,
}  # fmt: skip
# The industry most content labels imply (content label id -> industry label id).
_INDUSTRY_OF = {
    "11002002": "14000000000", "11003001": "14100000000", "11004001": "14200000000",
    "11007001": "14400000000", "11008001": "14600000000", "11009001": "14500000000",
    "11010001": "14300000000", "11011001": "14700000000", "11012001": "14900000000",
    "11013001": "15100000000", "11017001": "14800000000",
}  # fmt: skip
TOPIC_PHRASES = {
    "11002002": "beauty tips & honest reviews",
    "11003001": "outfits, thrift hauls and styling",
    "11004001": "easy recipes for busy people",
    "11005001": "sketches, skits and bad puns",
    "11006001": "dance challenges & choreo",
    "11007001": "gaming clips and speedruns",
    "11008001": "home workouts that actually work",
    "11009001": "budget travel and hidden gems",
    "11010001": "gadgets, unboxings & tech reviews",
    "11011001": "DIY projects and crafts",
    "11012001": "my two cats and one very loud dog",
    "11013001": "science explained in 60 seconds",
    "11014001": "covers, originals and studio days",
    "11015001": "everyday life and little wins",
    "11016001": "parenting, family & toddler chaos",
    "11017001": "money, budgeting and investing basics",
}
DEVICES = ["APPLE", "SAMSUNG", "XIAOMI", "OPPO", "MOTOROLA", "OTHER"]


@dataclass(frozen=True, slots=True)
class Vocab:
    """Index tables shared by the columns: position in these lists is the stored code."""

    countries: list[str]  # supported first, then the unsupported examples
    n_supported: int
    currencies: list[str]
    currency_of_country: np.ndarray  # country code -> currency index (-1: none)
    languages: list[str]
    content_labels: list[dict[str, str]]
    industry_labels: list[dict[str, str]]
    states: list[tuple[str, str]]  # (country, state) at index - 1
    audience_countries: list[str]
    age_bands: list[str]

    @classmethod
    def load(cls) -> Vocab:
        """Build the tables from `ttcm/rules/*.json`."""
        supported = list(rules.countries())
        unsupported = list(rules.load("countries").get("unsupported_examples", {}))
        countries = supported + unsupported
        currencies = sorted({c["currency"] for c in rules.countries().values()})
        cur = np.array(
            [
                currencies.index(rules.countries()[c]["currency"]) if c in supported else -1
                for c in countries
            ],
            dtype=np.int16,
        )
        v = rules.vocab()
        return cls(
            countries=countries,
            n_supported=len(supported),
            currencies=currencies,
            currency_of_country=cur,
            languages=list(v["languages"]),
            content_labels=list(v["content_labels"]),
            industry_labels=list(v["industry_labels"]),
            states=[(c, s) for c, lst in STATES.items() for s in lst],
            audience_countries=countries + [c for c in _EXTRA_AUDIENCE if c not in countries],
            age_bands=list(v["age_bands"]),
        )

    def fx(self, currency: str) -> float:
        """Units of `currency` per US dollar."""
        return FX_PER_USD.get(currency, 1.0)


def _choice_by_weight(
    rng: np.random.Generator, codes: list[str], weight: dict[str, float], n: int
) -> np.ndarray:
    w = np.array([weight.get(c, 0.01) for c in codes], dtype=np.float64)
    return rng.choice(len(codes), n, p=w / w.sum())


def _bits(
    rng: np.random.Generator, n: int, weights: np.ndarray, extra: list[float]
) -> tuple[np.ndarray, np.ndarray]:
    """(label bit mask, first label) from 1 + len(extra) draws; draw k+1 kept w.p. extra[k]."""
    p = weights / weights.sum()
    first = rng.choice(len(p), n, p=p)
    mask = np.left_shift(np.uint32(1), first.astype(np.uint32))
    for keep in extra:
        draw = rng.choice(len(p), n, p=p)
        on = rng.random(n) < keep
        mask |= np.where(on, np.left_shift(np.uint32(1), draw.astype(np.uint32)), 0).astype(
            np.uint32
        )
    return mask.astype(np.uint32), first.astype(np.uint8)


class CreatorDirectory:
    """`n` deterministic creators for one seed, as column arrays plus lazy details."""

    def __init__(self, n: int = 5000, seed: int = 7) -> None:
        if n < 1 or n >= 1 << 26:
            raise ValueError(f"n_creators must be between 1 and {1 << 26}, got {n}")
        self.n, self.seed = int(n), int(seed)
        self.vocab = Vocab.load()
        self._build(np.random.default_rng([self.seed, 0x7C3]))

    # ---------------------------------------------------------------- generation

    def _build(self, rng: np.random.Generator) -> None:
        n, vb = self.n, self.vocab
        elig = rules.eligibility()

        # account kinds: ~75 % marketplace (IN), ~25 % not, a few INVALID carved out of the rest
        u = rng.random(n)
        status = np.where(u < 0.75, IN, NOT_IN).astype(np.uint8)
        status[u > 0.995] = INVALID
        auth = rng.random(n)
        self.authenticated = np.where(status == IN, auth < 0.30, auth < 0.60) & (status != INVALID)
        fail = rng.choice(len(_FAIL_WEIGHTS), n, p=_FAIL_WEIGHTS).astype(np.uint8)
        fail[status != NOT_IN] = FAIL_NONE
        self.status, self.fail = status, fail

        # country: the unsupported examples only for creators generated to fail that rule
        supported = vb.countries[: vb.n_supported]
        country = _choice_by_weight(rng, supported, _COUNTRY_WEIGHT, n).astype(np.uint8)
        bad = np.flatnonzero(fail == FAIL_COUNTRY)
        n_unsup = len(vb.countries) - vb.n_supported
        if n_unsup:
            country[bad] = vb.n_supported + rng.integers(0, n_unsup, len(bad))
        self.country = country
        state = np.zeros(n, dtype=np.uint8)
        for code, lst in STATES.items():
            if code in vb.countries:
                sel = np.flatnonzero(country == vb.countries.index(code))
                first = 1 + [c for c, _ in vb.states].index(code)
                state[sel] = first + rng.integers(0, len(lst), len(sel))
        self.state = state

        # followers: log-normal, median ~40k, 1k .. 50M; at or above the country minimum
        # unless the creator was generated to fail the follower rule
        supported_mins = [int(c["min_followers"]) for c in rules.countries().values()]
        typical_min = int(np.median(supported_mins))  # unsupported countries have no minimum
        mins = np.array(
            [rules.countries().get(c, {}).get("min_followers", typical_min) for c in vb.countries],
            dtype=np.int64,
        )[country]
        f = np.exp(rng.normal(math.log(36_000), 1.5, n))
        low = f < mins
        f[low] = mins[low] * np.exp(np.abs(rng.normal(0.0, 1.2, int(low.sum()))))
        below = fail == FAIL_FOLLOWERS
        f[below] = np.exp(rng.uniform(math.log(1_000), np.log(mins[below] - 1)))
        self.followers = np.clip(np.floor(f), 1_000, 50_000_000).astype(np.int64)
        self.followers[below] = np.minimum(self.followers[below], mins[below] - 1)

        # views correlated with followers; median below the mean (skewed per-video views)
        avg = self.followers * np.exp(rng.normal(math.log(0.12), 0.7, n))
        self.avg_views = np.maximum(np.floor(avg), 50).astype(np.int64)
        self.median_views = np.maximum(
            np.floor(self.avg_views * rng.uniform(0.35, 0.85, n)), 20
        ).astype(np.int64)
        er = np.clip(rng.beta(2.2, 30.0, n), 0.003, 0.35)
        self.er_bp = np.round(er * 10_000).astype(np.uint16)  # engagement rate in 1/10,000

        # price in the country's currency, whole units (thousands for the big currencies)
        usd = 15 + self.followers * 0.008 * np.exp(rng.normal(0.0, 0.45, n))
        cur_idx = vb.currency_of_country[country]
        fx = np.array([vb.fx(c) for c in vb.currencies] + [np.nan], dtype=np.float64)
        local = usd * fx[cur_idx]  # index -1 (no currency) picks the trailing NaN
        step = np.where(local > 100_000, 1000.0, 1.0)
        self.price = np.round(local / step) * step
        self.currency = cur_idx

        self.following = np.clip(np.exp(rng.normal(math.log(350), 1.0, n)), 0, 9_999).astype(
            np.int32
        )
        self.likes = np.floor(self.followers * np.exp(rng.normal(math.log(12), 0.8, n))).astype(
            np.int64
        )

        # eligibility facts
        self.business = fail == FAIL_BUSINESS
        self.adult = fail != FAIL_AGE  # verified 18+
        self.mature = fail == FAIL_CONTENT  # content rated 18+
        v30 = np.clip(np.round(np.exp(rng.normal(math.log(12), 0.6, n))), 3, 90)
        v30[fail == FAIL_VIDEOS] = rng.integers(
            0, elig["min_videos_last_30d"], int((fail == FAIL_VIDEOS).sum())
        )
        self.videos_30d = v30.astype(np.int16)
        views30 = np.maximum(self.median_views * self.videos_30d * rng.uniform(0.8, 1.6, n), 1_000)
        few = fail == FAIL_VIEWS
        self.videos_30d[few] = np.maximum(self.videos_30d[few], elig["min_videos_last_30d"])
        views30[few] = rng.integers(0, elig["min_views_last_30d"], int(few.sum()))
        self.views_30d = np.floor(views30).astype(np.int64)
        self.videos = np.maximum(
            np.exp(rng.normal(math.log(180), 0.9, n)).astype(np.int32), self.videos_30d + 5
        ).astype(np.int32)

        # languages: the country's language, sometimes a second one
        lang_idx = {c: i for i, c in enumerate(vb.languages)}
        primary = np.array(
            [lang_idx.get(_LANGUAGE_OF.get(c, "en"), 0) for c in vb.countries], dtype=np.uint32
        )[country]
        second = np.where(
            primary == lang_idx.get("en", 0), lang_idx.get("es", 1), lang_idx.get("en", 0)
        )
        second = np.where(rng.random(n) < 0.25, rng.integers(0, len(vb.languages), n), second)
        lang = np.left_shift(np.uint32(1), primary)
        lang |= np.where(
            rng.random(n) < 0.35, np.left_shift(np.uint32(1), second.astype(np.uint32)), 0
        ).astype(np.uint32)
        self.lang_mask = lang.astype(np.uint32)

        # labels: 1-3 content labels (Zipf-ish popularity), 1-2 industries mostly implied by them
        n_content = len(vb.content_labels)
        zipf = 1.0 / np.arange(1, n_content + 1) ** 0.8
        zipf = zipf[rng.permutation(n_content)]
        self.content_mask, self.topic = _bits(rng, n, zipf, [0.55, 0.25])
        ind_ids = [lab["label_id"] for lab in vb.industry_labels]
        implied = np.array(
            [
                ind_ids.index(_INDUSTRY_OF[lab["label_id"]])
                if _INDUSTRY_OF.get(lab["label_id"]) in ind_ids
                else -1
                for lab in vb.content_labels
            ],
            dtype=np.int64,
        )[self.topic]
        random_ind = rng.integers(0, len(ind_ids), n)
        ind = np.where(implied >= 0, implied, random_ind).astype(np.uint32)
        extra = rng.integers(0, len(ind_ids), n).astype(np.uint32)
        self.industry_mask = (
            np.left_shift(np.uint32(1), ind)
            | np.where(rng.random(n) < 0.35, np.left_shift(np.uint32(1), extra), 0).astype(
                np.uint32
            )
        ).astype(np.uint32)

        # audience summaries (basis points, so filters and payloads agree exactly)
        aud_codes = vb.audience_countries
        own = country.astype(np.int64)
        other = rng.integers(0, len(aud_codes), n)
        self.aud_country = np.where(rng.random(n) < 0.75, own, other).astype(np.uint8)
        self.aud_country_bp = np.round(rng.uniform(0.35, 0.85, n) * 10_000).astype(np.uint16)
        lean = np.array([_FEMALE_LEAN.get(lab["label_id"], 0.55) for lab in vb.content_labels])[
            self.topic
        ]
        female = np.clip(lean + rng.normal(0.0, 0.1, n), 0.05, 0.95)
        other_g = rng.uniform(0.005, 0.03, n)
        self.female_bp = np.round(female * 10_000).astype(np.uint16)
        self.other_bp = np.round(other_g * 10_000).astype(np.uint16)
        self.male_bp = (10_000 - self.female_bp.astype(np.int32) - self.other_bp).astype(np.uint16)
        age_w = np.array([0.38, 0.32, 0.16, 0.09, 0.05, 0.03, 0.02][: len(vb.age_bands)])
        self.age_band = rng.choice(len(vb.age_bands), n, p=age_w / age_w.sum()).astype(np.uint8)

        # names: handle and display name share their words; a few display names are decorated
        self.first = rng.integers(0, len(names.FIRST_WORDS), n).astype(np.uint16)
        self.last = rng.integers(0, len(names.LAST_WORDS), n).astype(np.uint16)
        self.name_style = rng.choice(3, n, p=[0.6, 0.25, 0.15]).astype(np.uint8)
        self.decoration = rng.choice(
            len(names.DISPLAY_DECORATIONS), n, p=names.DISPLAY_DECORATION_WEIGHTS
        ).astype(np.uint8)
        h_style = rng.choice(5, n, p=[0.4, 0.2, 0.2, 0.1, 0.1])
        self.handles = names.handles(self.first, self.last, h_style, rng.integers(1, 10_000, n))
        self.handle_index = names.make_unique(self.handles)
        topics = [
            TOPIC_PHRASES.get(lab["label_id"], lab["label_name"].lower())
            for lab in vb.content_labels
        ]
        self.bio_texts = names.bio_table(topics)
        self.bio_id = names.bio_ids(rng, self.topic.astype(np.int64), len(topics))

        score = (
            0.4 * np.log10(self.followers)
            + 20.0 * self.er_bp / 10_000
            + 0.3 * np.log10(self.median_views)
            + rng.normal(0.0, 0.3, n)
        )
        self.relevance = np.round(score * 10_000).astype(np.int32)
        self.posts_shown = rng.integers(12, 41, n).astype(np.int16)

    # ---------------------------------------------------------------- search indexes

    @cached_property
    def handle_search(self) -> names.TextIndex:
        """Substring index over handles."""
        return names.TextIndex(self.handles)

    @cached_property
    def display_search(self) -> tuple[names.TextIndex, names.TextIndex]:
        """Substring indexes over plain display names and over the decorated few."""
        plain = names.display_names(self.first, self.last, self.name_style)
        decorated = np.flatnonzero(self.decoration > 0)
        return (
            names.TextIndex(plain),
            names.TextIndex([self.display_name(int(i)) for i in decorated], decorated),
        )

    @cached_property
    def _bios_lower(self) -> list[str]:
        return [t.lower() for t in self.bio_texts]

    def bio_matches(self, keyword: str) -> np.ndarray:
        """Boolean lookup table over bio ids: does that bio contain `keyword` (lower-case)?"""
        return np.array([keyword in t for t in self._bios_lower], dtype=bool)

    def text_matches(self, keyword: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Creators whose handle, display name, or bio contain `keyword` (case-insensitive)."""
        kw = keyword.lower()
        plain, decorated = self.display_search
        in_name = np.union1d(plain.search(kw), decorated.search(kw))
        in_bio = np.flatnonzero(self.bio_matches(kw)[self.bio_id])
        return self.handle_search.search(kw), in_name, in_bio

    # ---------------------------------------------------------------- lookups

    def index_of(self, handle: str) -> int | None:
        """Creator index of a handle (case-insensitive, leading '@' ignored)."""
        return self.handle_index.get(canonical_handle(handle))

    def index_of_id(self, value: str) -> int | None:
        """Creator index of a creator_id."""
        return creator_index(self.seed, value, self.n)

    def creator_id(self, i: int) -> str:
        """creator_id of creator `i`."""
        return creator_id(self.seed, i)

    def country_code(self, i: int) -> str:
        """Country code of creator `i`."""
        return self.vocab.countries[int(self.country[i])]

    def currency_code(self, i: int) -> str | None:
        """Currency of creator `i`'s price, None outside the supported countries."""
        c = int(self.currency[i])
        return self.vocab.currencies[c] if c >= 0 else None

    def display_name(self, i: int) -> str:
        """Display name of creator `i`, with its decoration if it has one."""
        fw, lw = names.FIRST_WORDS[int(self.first[i])], names.LAST_WORDS[int(self.last[i])]
        style = int(self.name_style[i])
        plain = f"{fw} {lw}" if style == 0 else (fw if style == 1 else f"{fw} {lw[0]}.")
        return names.DISPLAY_DECORATIONS[int(self.decoration[i])].format(plain)

    def bio(self, i: int) -> str:
        """Bio of creator `i`."""
        return self.bio_texts[int(self.bio_id[i])]

    def profile_image(self, i: int) -> str:
        """Avatar URL of creator `i`."""
        return f"{MEDIA_HOST}/avatar/{self.creator_id(i)}.jpeg"

    def state_province(self, i: int) -> str | None:
        """State or province of creator `i`, if the country has them in the sandbox."""
        s = int(self.state[i])
        return self.vocab.states[s - 1][1] if s else None

    def languages(self, i: int) -> list[str]:
        """Languages of creator `i`."""
        m = int(self.lang_mask[i])
        return [lang for b, lang in enumerate(self.vocab.languages) if m >> b & 1]

    def labels(self, i: int, kind: str) -> list[dict[str, str]]:
        """Content or industry labels of creator `i` as {label_id, label_name}."""
        if kind == "content":
            m, table = int(self.content_mask[i]), self.vocab.content_labels
        else:
            m, table = int(self.industry_mask[i]), self.vocab.industry_labels
        return [dict(lab) for b, lab in enumerate(table) if m >> b & 1]

    # ---------------------------------------------------------------- audience

    def _units(self, i: int, salt: int, k: int) -> list[float]:
        """`k` uniform floats in (0, 1) for creator `i`, one derivation per `salt`."""
        h = mix(self.seed, i, salt)
        out = []
        for _ in range(k):
            h = mix(h)
            out.append(((h >> 11) + 0.5) / float(1 << 53))
        return out

    def audience_countries(self, i: int, top: int = 5) -> list[dict[str, Any]]:
        """Largest audience countries of creator `i` as fractions, largest first."""
        codes = self.vocab.audience_countries
        first = int(self.aud_country[i])
        s1 = int(self.aud_country_bp[i])
        u = self._units(i, 1, 8)
        picks: list[int] = []
        for x in u[:4]:  # four distinct other countries
            c = int(x * len(codes))
            while c == first or c in picks:
                c = (c + 1) % len(codes)
            picks.append(c)
        rest = 10_000 - s1
        shares = sorted(
            (
                int(rest * w * (0.7 + 0.3 * x))
                for w, x in zip((0.4, 0.22, 0.12, 0.07), u[4:], strict=True)
            ),
            reverse=True,
        )
        out = [{"country": codes[first], "percentage": s1 / 10_000}]
        for c, bp in zip(picks, shares, strict=True):
            out.append({"country": codes[c], "percentage": min(bp, s1 - 1) / 10_000})
        return out[:top]

    def audience_genders(self, i: int) -> list[dict[str, Any]]:
        """Audience gender split of creator `i` (fractions summing to 1)."""
        return [
            {"gender": "FEMALE", "percentage": int(self.female_bp[i]) / 10_000},
            {"gender": "MALE", "percentage": int(self.male_bp[i]) / 10_000},
            {"gender": "OTHER", "percentage": int(self.other_bp[i]) / 10_000},
        ]

    def audience_ages(self, i: int, top: int | None = None) -> list[dict[str, Any]]:
        """Audience age split of creator `i`; the main band (`age_band`) is the largest."""
        bands = self.vocab.age_bands
        weights = [0.3 - math.log(x) for x in self._units(i, 2, len(bands))]
        main = int(self.age_band[i])
        j = weights.index(max(weights))
        weights[j], weights[main] = weights[main], weights[j] * 1.25
        bp = _to_bp(weights)
        pairs = list(zip(bands, bp, strict=True))
        if top is not None:
            pairs = sorted(pairs, key=lambda pair: -pair[1])[:top]
        return [{"age": b, "percentage": p / 10_000} for b, p in pairs]

    def audience_devices(self, i: int) -> list[dict[str, Any]]:
        """Audience device split of creator `i`."""
        base = (0.45, 0.2, 0.1, 0.08, 0.05, 0.12)
        u = self._units(i, 3, len(base))
        weights = [(0.5 + x) * w for w, x in zip(base, u, strict=True)]
        return [
            {"device": d, "percentage": p / 10_000}
            for d, p in zip(DEVICES, _to_bp(weights), strict=True)
        ]

    def audience_locales(self, i: int) -> list[dict[str, Any]] | None:
        """Audience split by state/province of the main audience country, when it has them."""
        code = self.vocab.audience_countries[int(self.aud_country[i])]
        regions = STATES.get(code)
        if not regions:
            return None
        weights = [0.2 + 0.8 * x for x in self._units(i, 4, len(regions))]
        pairs = sorted(zip(regions, _to_bp(weights), strict=True), key=lambda e: -e[1])
        return [{"locale": loc, "percentage": p / 10_000} for loc, p in pairs]


def _to_bp(weights: list[float]) -> list[int]:
    """Integer basis points summing to exactly 10,000, proportional to `weights`."""
    total = sum(weights)
    raw = [w / total * 10_000 for w in weights]
    bp = [int(x) for x in raw]
    for k in sorted(range(len(raw)), key=lambda k: bp[k] - raw[k])[: 10_000 - sum(bp)]:
        bp[k] += 1
    return bp


def canonical_handle(handle: str) -> str:
    """The lookup form of a handle: trimmed, without '@', lower-case."""
    return handle.strip().lstrip("@").lower()
