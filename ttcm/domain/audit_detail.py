"""How one audit entry reads for people: the action's name, its target, its detail as a sentence.

The audit log stores each write's facts as JSON (`detail`) next to a short target (a campaign's
row id, "campaign 3 code X", a user name). This turns both into text with the names a manager
knows: the rules say which action has which target and what each detail key is called.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ttcm import rules
from ttcm.domain import format as numfmt

_CAMPAIGN_CODE = re.compile(r"campaign (\d+) code (.+)")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}|$)")
CAMPAIGN_KEY = "campaign_pk"


@dataclass(frozen=True)
class CampaignRef:
    """The campaign an entry's target names (by row id), and the order code if any."""

    pk: int
    code: str | None = None


def _actions() -> dict[str, dict[str, str]]:
    return dict(rules.load("audit")["actions"])


def listed_actions() -> list[str]:
    """Every action the rules name."""
    return list(_actions())


def action_label(action: str) -> str:
    """ "order.create" -> "Orders created"; an unlisted action as words."""
    listed = _actions().get(action)
    return listed["label"] if listed else action.replace(".", " ").replace("_", " ").capitalize()


def campaign_of(action: str, target: str | None) -> CampaignRef | None:
    """The campaign a target refers to, when the action's target is a campaign."""
    kind = _actions().get(action, {}).get("target", "text")
    if target is None:
        return None
    if kind == "campaign" and target.isdigit():
        return CampaignRef(int(target))
    found = _CAMPAIGN_CODE.fullmatch(target) if kind == "campaign_code" else None
    return CampaignRef(int(found[1]), found[2]) if found else None


def campaign_pks(action: str, target: str | None, detail: Any) -> set[int]:
    """Every campaign row id an entry mentions (target and detail), to look their names up."""
    ref = campaign_of(action, target)
    found = {ref.pk} if ref else set()
    if isinstance(detail, Mapping) and isinstance(detail.get(CAMPAIGN_KEY), int):
        found.add(detail[CAMPAIGN_KEY])
    return found


def _campaign_name(pk: int, names: Mapping[int, str]) -> str:
    return names.get(pk) or f"campaign #{pk} (no longer in the cache)"


def target_text(action: str, target: str | None, names: Mapping[int, str]) -> str:
    """The target as people read it: the campaign's name (and order code), the refreshed
    resources' names, else as stored."""
    if target and _actions().get(action, {}).get("target") == "resources":
        return ", ".join(numfmt.label("resource", r.strip()) for r in target.split(","))
    ref = campaign_of(action, target)
    if ref is None:
        return target or numfmt.MISSING
    name = _campaign_name(ref.pk, names)
    return f"{name} · code {ref.code}" if ref.code else name


def _is_money(value: list[Any] | tuple[Any, ...]) -> bool:
    """[amount, currency], as fees are stored."""
    return (
        len(value) == 2
        and (value[0] is None or isinstance(value[0], int | float))
        and (value[1] is None or isinstance(value[1], str))
    )


def _value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return numfmt.MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return numfmt.exact(value)
    if isinstance(value, str):
        if not _ISO_TIME.match(value):
            return value
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value
        return numfmt.timestamp(when, with_time="T" in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k} ({_value(v)})" for k, v in value.items())
    if isinstance(value, list | tuple):
        if _is_money(value):
            return numfmt.money(value[0], value[1]) if value[1] else _value(value[0])
        return ", ".join(_value(v) for v in value)
    return str(value)


def detail_text(detail: Any, names: Mapping[int, str]) -> str:
    """The stored facts as "Key: value; Key: value" (a campaign by its name), or "—"."""
    if not isinstance(detail, Mapping) or not detail:
        return numfmt.MISSING if detail in (None, {}, "") else _value(detail)
    keys = rules.load("audit")["detail_keys"]
    parts = []
    for key, value in detail.items():
        label = keys.get(key) or key.replace("_", " ").capitalize()
        if key == CAMPAIGN_KEY and isinstance(value, int):
            shown = _campaign_name(value, names)
        else:
            shown = _value(value)
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)
