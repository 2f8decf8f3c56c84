"""TTCM eligibility: which rules a creator fails before an invitation is sent.

Thresholds and messages live in `ttcm/rules/eligibility.json` and `ttcm/rules/countries.json`.
`check` applies them to one creator row, `eligibility_codes` to whole index columns (Discovery);
a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ttcm import rules
from ttcm.domain.cells import Row, number

ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, ALREADY_TTCM = 1, 2, 0, 3


@dataclass(frozen=True)
class RuleFailure:
    """One eligibility rule a creator fails, with the message for people."""

    rule: str
    message: str


@dataclass(frozen=True)
class Eligibility:
    """Outcome of the pre-check: eligible, failed rules, and what could not be checked."""

    eligible: bool | None  # None: nothing failed, but some facts are unknown
    failures: list[RuleFailure] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    already_ttcm: bool = False

    @property
    def code(self) -> int:
        """The compact code the discovery index stores."""
        if self.already_ttcm:
            return ALREADY_TTCM
        if self.failures:
            return NOT_ELIGIBLE
        return ELIGIBLE if self.eligible else UNKNOWN


def check(creator: Row) -> Eligibility:
    """Apply every TTCM eligibility rule to a creator row (store column names)."""
    if creator.get("is_tcm_creator"):
        return Eligibility(eligible=None, already_ttcm=True)
    cfg = rules.eligibility()
    msgs = cfg["rules"]
    supported = rules.countries()
    failures: list[RuleFailure] = []
    unknown: list[str] = []

    country = creator.get("country_code")
    followers = number(creator, "followers_count")
    if country is None:
        unknown.append("country")
    elif not isinstance(country, str) or country not in supported:
        failures.append(RuleFailure("country", msgs["country"].format(country=country)))
    elif followers is None:
        unknown.append("followers")
    elif followers < supported[country]["min_followers"]:
        minimum = supported[country]["min_followers"]
        failures.append(
            RuleFailure(
                "followers",
                msgs["followers"].format(
                    followers=int(followers), min_followers=minimum, country=country
                ),
            )
        )
    age = creator.get("age_verified_18")
    if age is None:
        unknown.append("age")
    elif not age:
        failures.append(RuleFailure("age", msgs["age"]))
    account = creator.get("account_type")
    if account is None:
        unknown.append("account type")
    elif account != cfg["required_account_type"]:
        failures.append(RuleFailure("account_type", msgs["account_type"]))
    videos = number(creator, "videos_last_30d")
    if videos is None:
        unknown.append("videos in the last 30 days")
    elif videos < cfg["min_videos_last_30d"]:
        failures.append(RuleFailure("videos_30d", msgs["videos_30d"].format(videos=int(videos))))
    views = number(creator, "views_last_30d")
    if views is None:
        unknown.append("views in the last 30 days")
    elif views < cfg["min_views_last_30d"]:
        failures.append(RuleFailure("views_30d", msgs["views_30d"].format(views=int(views))))
    rating = creator.get("content_rating")
    if rating is None:
        unknown.append("content rating")
    elif rating != cfg["required_content_rating"]:
        failures.append(RuleFailure("content_rating", msgs["content_rating"]))

    if failures:
        return Eligibility(eligible=False, failures=failures, unknown=unknown)
    return Eligibility(eligible=None if unknown else True, unknown=unknown)


def eligibility_codes(cols: dict[str, np.ndarray], vocab: dict[str, list[str]]) -> np.ndarray:
    """Vectorised `eligibility.check(...).code` over whole columns."""
    cfg = rules.eligibility()
    supported = rules.countries()
    n = len(cols["id"])
    country_vocab = vocab["country"]
    min_by_code = np.full(len(country_vocab) + 1, np.inf)
    is_supported = np.zeros(len(country_vocab) + 1, dtype=bool)
    for i, code in enumerate(country_vocab, 1):
        if code in supported:
            is_supported[i] = True
            min_by_code[i] = supported[code]["min_followers"]
    country = cols["country"]
    followers = cols["followers"]
    fail = np.zeros(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    known_country = country > 0
    fail |= known_country & ~is_supported[country]
    unknown |= ~known_country
    in_supported = known_country & is_supported[country]
    fail |= in_supported & ~np.isnan(followers) & (followers < min_by_code[country])
    unknown |= in_supported & np.isnan(followers)
    for name in ("age18", "personal", "rating_ok"):
        col = cols[name]  # -1 unknown, 0 no, 1 yes
        fail |= col == 0
        unknown |= col == -1
    for name, threshold in (
        ("videos_30d", cfg["min_videos_last_30d"]),
        ("views_30d", cfg["min_views_last_30d"]),
    ):
        col = cols[name]
        fail |= ~np.isnan(col) & (col < threshold)
        unknown |= np.isnan(col)
    codes = np.where(fail, NOT_ELIGIBLE, np.where(unknown, UNKNOWN, ELIGIBLE)).astype(np.int8)
    codes[cols["tcm"] == 1] = ALREADY_TTCM
    return codes
