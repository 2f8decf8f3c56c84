"""Account kinds (metric_availability.json): TTCM or not, authenticated or not."""

from __future__ import annotations

from ttcm import rules

ACCOUNT_KIND_LABELS: dict[str, str] = rules.display()["labels"]["account_kind"]


def account_kind(is_tcm: bool | None, is_auth: bool | None) -> str:
    """The account-kind key of metric_availability.json."""
    return f"{'auth' if is_auth else 'nonauth'}_{'ttcm' if is_tcm else 'nonttcm'}"
