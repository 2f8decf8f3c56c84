"""Who can be ordered: the creators TikTok accepts an order for, and why the others can't be.

An order goes to a creator on the TikTok Creator Marketplace, or to an authenticated creator off
it who meets the marketplace rules (`data/eligibility.json`): TikTok refuses the others (40121,
`docs/contract.md`). A rule whose fact the cache does not hold does not block the order;
TikTok's refusal, if any, is then shown with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ttcm.domain.account_kind import account_kind
from ttcm.domain.eligibility import check
from ttcm.services.shortlists import UNSUPPORTED_REASON

# the cached creator columns the rules read
COLUMNS = (
    "handle_name",
    "is_tcm_creator",
    "is_authenticated",
    "country_code",
    "followers_count",
    "age_verified_18",
    "account_type",
    "videos_last_30d",
    "views_last_30d",
    "content_rating",
)
FAILS_RULES = (
    "Not on the TikTok Creator Marketplace, and TikTok would refuse an order: {rules} "
    "Choose another creator; this one can be ordered only after joining the marketplace."
)


def why_not_orderable(creator: Mapping[str, Any]) -> str | None:
    """Why TikTok would refuse an order for this cached creator (None: it can be ordered)."""
    kind = account_kind(creator.get("is_tcm_creator"), creator.get("is_authenticated"))
    if kind == "nonauth_nonttcm":
        return UNSUPPORTED_REASON
    if creator.get("is_tcm_creator"):
        return None
    found = check(creator)
    if found.failures:
        return FAILS_RULES.format(rules=" ".join(f.message for f in found.failures))
    return None
