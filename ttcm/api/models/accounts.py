"""The TikTok One account and the label vocabularies."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field

from ttcm.api.coerce import Id, Items, ItemsOrEmpty, OptId, Text
from ttcm.api.models.base import Model


class AccountInfo(Model):
    """`/tto/oauth2/info/`: one TikTok One account."""

    tto_tcm_account_id: OptId = Field(
        None, validation_alias=AliasChoices("tto_tcm_account_id", "tcm_account_id", "account_id")
    )
    account_name: Text = None
    timezone: Text = None
    country: Text = None
    business_verification_status: Text = None


class Label(Model):
    """An industry or content label; `label_id` is always a string."""

    label_id: Id
    label_name: Text = None


Labels = Annotated[list[Label] | None, Items]


class LabelSet(Model):
    """`/tto/tcm/category/label/`: both label vocabularies."""

    industry_labels: Annotated[list[Label], ItemsOrEmpty] = Field(default_factory=list)
    content_labels: Annotated[list[Label], ItemsOrEmpty] = Field(default_factory=list)
