"""The Spark Ads authorization of a video."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from ttcm.api.coerce import Count, OptId, Text, Time
from ttcm.api.models.base import Model


class SparkStatus(Model):
    """`/tcm/tt_video/status/`: the Spark Ads authorization of one video."""

    video_id: OptId = None
    auth_status: Text = None
    auth_status_updated_time: Time = Field(
        None,
        validation_alias=AliasChoices("auth_status_updated_time", "auth_status_update_time"),
    )
    num_remaining_request: Count = None
    requested_authorization_days: Count = None
    authorization_days: Count = None
    auth_code: Text = None
    auth_code_status: Text = None
    auth_code_start_time: Time = None
    auth_code_end_time: Time = None
