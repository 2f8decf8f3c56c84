"""Workflow-2.0 orders, their deliverables, quotas and the order report."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from ttcm.api.coerce import Count, Id, Items, Nested, OptId, StrList, Text, Time
from ttcm.api.models.base import Model, as_dict, lifted
from ttcm.api.models.posts import ReportVideo


class OrderInsight(Model):
    """One row of the order report (`insights[]`): the `dimensions` flattened, plus `metrics`."""

    order_id: OptId = None
    order_type: Text = None
    video_id: OptId = None
    handle_name: Text = None
    tcm_account_id: OptId = None
    video_first_release_time: Time = None
    metrics: ReportVideo = Field(default_factory=ReportVideo)

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        data = lifted(data, "dimensions")
        if isinstance(data, dict) and not isinstance(data.get("metrics"), dict):
            data["metrics"] = {}
        return data

    @model_validator(mode="after")
    def _share_identity(self) -> OrderInsight:
        m = self.metrics
        if m.video_id is None:
            m.video_id = self.video_id
        if m.handle_name is None:
            m.handle_name = self.handle_name
        if m.create_time is None:
            m.create_time = self.video_first_release_time
        return self


class Deliverable(Model):
    """One deliverable of an order (also accepted as an argument of `order_create`)."""

    deliverable_name: Text = None
    spark_ads_requested_authorization_days: Count = None
    video_id: OptId = None


class Quota(Model):
    """Video quota of an order."""

    current_video_count: Count = None
    per_creator_video_limit: Count = None
    total_video_limit: Count = None


class Order(Model):
    """A workflow-2.0 order (one creator on one campaign code)."""

    order_id: Id
    handle_name: Text = None
    campaign_code: Text = None
    invite_link: Text = None
    status: Text = None
    video_number: Count = None
    deliverables: Annotated[list[Deliverable] | None, Items] = None
    video_ids: StrList = None
    create_time: Time = None
    update_time: Time = None
    quota: Annotated[Quota | None, Nested] = None
    decline_reason: Text = None  # [assumed] field name, docs/contract.md


class OrderCreateResult(Model):
    """`/tcm/order/create/v2/`: the campaign code, its invite link and the orders made."""

    campaign_code: Text = None
    invite_link: Text = None
    remaining_orders: Count = None
    orders: list[Order] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _orders_list(cls, data: Any) -> Any:
        data = as_dict(data)
        if isinstance(data, dict) and not isinstance(data.get("orders"), list):
            data["orders"] = []
        return data
