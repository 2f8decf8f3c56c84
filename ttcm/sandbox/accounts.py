"""Handlers: the brand's TTO account, label vocabularies and the creators who authorized the app."""

from __future__ import annotations

from typing import Any

import numpy as np

from ttcm import rules
from ttcm.sandbox.context import Context
from ttcm.sandbox.ids import ACCOUNT_ID
from ttcm.sandbox.paging import page_info, page_params
from ttcm.sandbox.params import Params
from ttcm.sandbox.profiles import View, creator_object

ACCOUNT_NAME = "Sandbox Brand Co."
ACCOUNT_COUNTRY = "US"


def tcm_accounts(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/oauth2/tcm/: the account ids this token may act on."""
    return {"tto_tcm_account_ids": [ACCOUNT_ID]}


def account_info(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/oauth2/info/."""
    return {
        "tto_tcm_account_id": ACCOUNT_ID,
        "account_name": ACCOUNT_NAME,
        "timezone": "Etc/UTC",
        "country": ACCOUNT_COUNTRY,
        "business_verification_status": "PASSED",
    }


def labels(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /tto/tcm/category/label/: industry and content labels."""
    p.choice("label_type", ("SEARCH", "RANKING"), default="SEARCH")
    v = rules.vocab()
    return {
        "industry_labels": [dict(lab) for lab in v["industry_labels"]],
        "content_labels": [dict(lab) for lab in v["content_labels"]],
    }


def authorized_creators(ctx: Context, p: Params) -> dict[str, Any]:
    """GET /oauth2/creator/get/: every creator who authorized the app, marketplace or not."""
    page, size = page_params(p, ctx.endpoint)
    everyone = ctx.world.authenticated
    start = (page - 1) * size
    chosen = everyone[start : start + size] if start < len(everyone) else np.zeros(0, np.int64)
    return {
        "creators": [
            creator_object(ctx.world, int(i), ctx.t, View.AUTHORIZED) for i in chosen.tolist()
        ],
        "page_info": page_info(page, size, len(everyone)),
    }
