"""The account the token acts on and the label vocabularies."""

from __future__ import annotations

from ttcm.api import parsing as p
from ttcm.api import validation as v
from ttcm.api.base import BaseClient
from ttcm.api.models.accounts import AccountInfo, LabelSet

LABEL_TYPES = ("SEARCH", "RANKING")


def account_info(api: BaseClient) -> AccountInfo:
    """Name, timezone, country and verification status of the account."""
    response = api.request("account_info")
    info = p.parse(AccountInfo, response.data, "account_info", response.request_id)
    if info.tto_tcm_account_id is None:
        info.tto_tcm_account_id = api.account_id
    return info


def labels(api: BaseClient, label_type: str = "SEARCH") -> LabelSet:
    """Industry and content label vocabularies (`SEARCH` or `RANKING`)."""
    kind = v.choice(label_type, "label_type", LABEL_TYPES)
    response = api.request("labels", {"label_type": kind})
    return p.parse(LabelSet, response.data, "labels", response.request_id)
