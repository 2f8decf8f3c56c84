"""Creator discovery: every filter of the research (§2.A) as a numpy mask, then a capped top-k.

Semantics the contract leaves open, decided here:
* ranges are inclusive; `max_followers` equal to `min_followers` matches nothing (legacy docs),
  a max below its min is an error;
* label, language, state and audience-country lists match any of their values;
* `follower_country_codes` matches the creator's largest audience country, `follower_age` the
  largest age band, `follower_gender_ratio` FEMALE_60 a female share of at least 60 %;
* prices compare in `creator_price_currency` (default: the currency of the first country code)
  at the sandbox's fixed exchange rates;
* `keyword_search` is a case-insensitive substring of handle, display name or bio;
* ties in any sort order break by directory position, so paging is stable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ttcm import rules
from ttcm.sandbox.data import IN, CreatorDirectory
from ttcm.sandbox.params import COUNTRY_UNSUPPORTED, PARAM_ERROR, ApiError, Params, unknown_values

SORT_FIELDS = ("RELEVANCE", "FOLLOWERS", "MEDIAN_VIEWS", "ENGAGEMENT_RATE")
SORT_ORDERS = ("DESC", "ASC")
_KEYWORD_MAX = 100
_SMALL = 4_000  # below this many candidates, keyword-match them one by one


@dataclass(frozen=True, slots=True)
class DiscoverResult:
    """One page of discover: creator indexes plus the true match count."""

    indexes: np.ndarray
    total: int


def _codes(values: list[str], table: list[str], name: str) -> np.ndarray:
    pos = {v: k for k, v in enumerate(table)}
    bad = [v for v in values if v not in pos]
    if bad:
        raise unknown_values(name, bad)
    return np.array([pos[v] for v in values], dtype=np.int64)


def _bitmask(values: list[str], ids: list[str], name: str) -> np.uint32:
    bits = 0
    for k in _codes(values, ids, name).tolist():
        bits |= 1 << k
    return np.uint32(bits)


def _range(
    p: Params, low: str, high: str, *, integer: bool, hi: float = 1e15, lo: float = 0.0
) -> tuple[float | None, float | None]:
    a: float | None
    b: float | None
    if integer:
        a = p.integer(low, lo=int(lo), hi=int(hi))
        b = p.integer(high, lo=int(lo), hi=int(hi))
    else:
        a, b = p.number(low, lo=lo, hi=hi), p.number(high, lo=lo, hi=hi)
    if a is not None and b is not None and b < a:
        raise ApiError(PARAM_ERROR, f"{high} must not be below {low}.")
    return a, b


def _between(mask: np.ndarray, values: np.ndarray, a: float | None, b: float | None) -> np.ndarray:
    if a is not None:
        mask &= values >= a
    if b is not None:
        mask &= values <= b
    return mask


class Discover:
    """Runs discover queries over one directory."""

    def __init__(self, directory: CreatorDirectory) -> None:
        self.d = directory
        self.listed = directory.status == IN  # marketplace from the start; joins added per query

    def query(self, p: Params, page: int, page_size: int, joined: np.ndarray) -> DiscoverResult:
        """Filter, sort and page; `joined` are creators who joined through an invitation."""
        d, vb = self.d, self.d.vocab
        lim = rules.limits()
        cap = int(lim["discover_result_cap"])

        countries = p.strings("country_codes", required=True, max_items=len(vb.countries))
        assert countries is not None
        supported = vb.countries[: vb.n_supported]
        bad = [c for c in countries if c not in supported]
        if bad:
            raise ApiError(
                COUNTRY_UNSUPPORTED,
                f"country_codes: {', '.join(bad[:5])} is not one of the {len(supported)} "
                "TTCM countries.",
            )
        mask = self.listed.copy()
        if len(joined):
            mask[joined] = True
        lut = np.zeros(len(vb.countries), dtype=bool)
        lut[_codes(countries, vb.countries, "country_codes")] = True
        mask &= lut[d.country]

        states = p.strings("state_provinces")
        if states is not None:
            names = [s for _, s in vb.states]
            codes = [k + 1 for k, s in enumerate(names) if s in set(states)]
            mask &= np.isin(d.state, np.array(codes, dtype=np.uint8))

        for name, column, table in (
            ("content_label_ids", d.content_mask, vb.content_labels),
            ("industry_label_ids", d.industry_mask, vb.industry_labels),
        ):
            ids = p.strings(name, max_items=len(table), ids=True)
            if ids:
                bits = _bitmask(ids, [lab["label_id"] for lab in table], name)
                mask &= (column & bits) != 0

        langs = p.strings("languages", max_items=len(vb.languages))
        if langs:
            mask &= (d.lang_mask & _bitmask(langs, vb.languages, "languages")) != 0

        fmin, fmax = _range(
            p,
            "min_followers",
            "max_followers",
            integer=True,
            lo=lim["discover_min_followers"],
            hi=lim["discover_max_followers"],
        )
        if fmin is not None and fmax is not None and fmin == fmax:
            mask[:] = False
        mask = _between(mask, d.followers, fmin, fmax)
        mask = _between(
            mask, d.avg_views, *_range(p, "min_avg_views", "max_avg_views", integer=True)
        )
        mask = _between(
            mask,
            d.median_views,
            *_range(p, "min_median_views", "max_median_views", integer=True),
        )
        er_lo, er_hi = _range(
            p, "min_engagement_rate", "max_engagement_rate", integer=False, hi=1.0
        )
        if er_lo is not None or er_hi is not None:
            mask = _between(mask, d.er_bp / 10_000.0, er_lo, er_hi)

        pmin, pmax = _range(p, "min_creator_price", "max_creator_price", integer=False)
        currency = p.choice(
            "creator_price_currency",
            vb.currencies,
            default=vb.currencies[int(vb.currency_of_country[supported.index(countries[0])])],
        )
        if pmin is not None or pmax is not None:
            assert currency is not None
            fx = np.array([vb.fx(c) for c in vb.currencies] + [np.nan])
            factor = vb.fx(currency) / fx[d.currency]
            with np.errstate(invalid="ignore"):
                mask = _between(mask, d.price * factor, pmin, pmax)

        aud = p.strings("follower_country_codes", max_items=len(vb.audience_countries))
        if aud:
            known = [c for c in aud if c in vb.audience_countries]
            lut = np.zeros(len(vb.audience_countries), dtype=bool)
            lut[_codes(known, vb.audience_countries, "follower_country_codes")] = True
            mask &= lut[d.aud_country]

        ratio = p.choice("follower_gender_ratio", rules.vocab()["gender_ratios"])
        if ratio:
            sex, _, pct = ratio.partition("_")
            column = d.female_bp if sex == "FEMALE" else d.male_bp
            mask &= column >= int(pct) * 100

        age = p.choice("follower_age", vb.age_bands)
        if age:
            mask &= d.age_band == vb.age_bands.index(age)

        sort_field = p.choice("sort_field", SORT_FIELDS, default="RELEVANCE")
        descending = p.choice("sort_order", SORT_ORDERS, default="DESC") == "DESC"
        keyword = (p.text("keyword_search", max_len=_KEYWORD_MAX, code=PARAM_ERROR) or "").strip()

        candidates = np.flatnonzero(mask)
        boost = None
        if keyword:
            candidates, boost = self._keyword(candidates, keyword.lower())
        total = len(candidates)
        start = (page - 1) * page_size
        stop = min(page * page_size, cap)
        if start >= stop or start >= total:
            return DiscoverResult(np.zeros(0, dtype=np.int64), total)
        top = self._top(candidates, boost, sort_field or "RELEVANCE", descending, stop)
        return DiscoverResult(top[start:stop], total)

    def _keyword(self, candidates: np.ndarray, kw: str) -> tuple[np.ndarray, np.ndarray]:
        """Candidates matching the keyword, and a relevance boost (handle 3, name 2, bio 1)."""
        d = self.d
        if len(candidates) <= _SMALL:
            plain, decorated = d.display_search
            bio_lut = d.bio_matches(kw)
            keep, boost = [], []
            for i in candidates.tolist():
                b = 3 if kw in d.handles[i] else 0
                if not b and kw in d.display_name(i).lower():
                    b = 2
                if not b and bio_lut[d.bio_id[i]]:
                    b = 1
                if b:
                    keep.append(i)
                    boost.append(b)
            return np.asarray(keep, dtype=np.int64), np.asarray(boost, dtype=np.int64)
        in_handle, in_name, in_bio = d.text_matches(kw)
        score = np.zeros(d.n, dtype=np.int8)
        score[in_bio] = 1
        score[in_name] = 2
        score[in_handle] = 3
        sel = candidates[score[candidates] > 0]
        return sel, score[sel].astype(np.int64)

    def _top(
        self,
        candidates: np.ndarray,
        boost: np.ndarray | None,
        field: str,
        descending: bool,
        k: int,
    ) -> np.ndarray:
        """The first `k` candidates in sort order; ties by directory position."""
        d = self.d
        if field == "FOLLOWERS":
            primary = d.followers[candidates]
        elif field == "MEDIAN_VIEWS":
            primary = d.median_views[candidates]
        elif field == "ENGAGEMENT_RATE":
            primary = d.er_bp[candidates].astype(np.int64)
        else:
            primary = d.relevance[candidates]
            if boost is not None:
                primary = primary + boost * 100_000
        key = (-primary if descending else primary).astype(np.int64) * (d.n + 1) + candidates
        if len(key) > k:
            part = np.argpartition(key, k - 1)[:k]
            candidates, key = candidates[part], key[part]
        return candidates[np.argsort(key, kind="stable")]
