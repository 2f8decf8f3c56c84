"""TTCM eligibility of a creator against `ttcm/rules/eligibility.json`: the failing rules, why."""

from __future__ import annotations

from ttcm import rules
from ttcm.sandbox.data import CreatorDirectory


def failed_rules(d: CreatorDirectory, i: int) -> list[tuple[str, str]]:
    """(rule id, message) for every eligibility rule creator `i` fails, in the file's order."""
    e = rules.eligibility()
    msg = e["rules"]
    country = d.country_code(i)
    supported = rules.countries()
    out: list[tuple[str, str]] = []
    if country not in supported:
        out.append(("country", msg["country"].format(country=country)))
    else:
        minimum = int(supported[country]["min_followers"])
        followers = int(d.followers[i])
        if followers < minimum:
            out.append(
                (
                    "followers",
                    msg["followers"].format(
                        followers=followers, min_followers=minimum, country=country
                    ),
                )
            )
    if not bool(d.adult[i]):
        out.append(("age", msg["age"]))
    if ("BUSINESS" if bool(d.business[i]) else "PERSONAL") != e["required_account_type"]:
        out.append(("account_type", msg["account_type"]))
    videos = int(d.videos_30d[i])
    if videos < int(e["min_videos_last_30d"]):
        out.append(("videos_30d", msg["videos_30d"].format(videos=videos)))
    views = int(d.views_30d[i])
    if views < int(e["min_views_last_30d"]):
        out.append(("views_30d", msg["views_30d"].format(views=views)))
    rating = "18+" if bool(d.mature[i]) else "13+"
    if rating != e["required_content_rating"]:
        out.append(("content_rating", msg["content_rating"]))
    return out


def reject_reason(failures: list[tuple[str, str]]) -> str:
    """One reason text naming every failed rule: `rule: message; rule: message`."""
    return "; ".join(f"{rule}: {text}" for rule, text in failures)
