"""TTCM eligibility: which rules a creator fails before an invitation is sent.

Thresholds and messages live in `ttcm/rules/eligibility.json` and `ttcm/rules/countries.json`; the
discovery index applies the same rules to whole columns (`eligibility_codes`), and a test keeps the
two equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ttcm import rules

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


def check(creator: Mapping[str, Any]) -> Eligibility:
    """Apply every TTCM eligibility rule to a creator row (store column names)."""
    if creator.get("is_tcm_creator"):
        return Eligibility(eligible=None, already_ttcm=True)
    cfg = rules.eligibility()
    msgs = cfg["rules"]
    supported = rules.countries()
    failures: list[RuleFailure] = []
    unknown: list[str] = []

    country = creator.get("country_code")
    followers = creator.get("followers_count")
    if country is None:
        unknown.append("country")
    elif country not in supported:
        failures.append(RuleFailure("country", msgs["country"].format(country=country)))
    elif followers is None:
        unknown.append("followers")
    elif followers < supported[country]["min_followers"]:
        minimum = supported[country]["min_followers"]
        failures.append(
            RuleFailure(
                "followers",
                msgs["followers"].format(
                    followers=followers, min_followers=minimum, country=country
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
    videos = creator.get("videos_last_30d")
    if videos is None:
        unknown.append("videos in the last 30 days")
    elif videos < cfg["min_videos_last_30d"]:
        failures.append(RuleFailure("videos_30d", msgs["videos_30d"].format(videos=videos)))
    views = creator.get("views_last_30d")
    if views is None:
        unknown.append("views in the last 30 days")
    elif views < cfg["min_views_last_30d"]:
        failures.append(RuleFailure("views_30d", msgs["views_30d"].format(views=views)))
    rating = creator.get("content_rating")
    if rating is None:
        unknown.append("content rating")
    elif rating != cfg["required_content_rating"]:
        failures.append(RuleFailure("content_rating", msgs["content_rating"]))

    if failures:
        return Eligibility(eligible=False, failures=failures, unknown=unknown)
    return Eligibility(eligible=None if unknown else True, unknown=unknown)
