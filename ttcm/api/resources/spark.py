"""Spark Ads: ask for (or extend) a video's authorization, and read its state."""

from __future__ import annotations

from ttcm.api import parsing as p
from ttcm.api import validation as v
from ttcm.api.base import BaseClient
from ttcm.api.models.spark import SparkStatus
from ttcm.api.wire import WriteResult


def spark_apply(
    api: BaseClient, video_id: str, days: int = 30, extend: bool = False
) -> WriteResult[None]:
    """Ask the creator to authorize (or extend) Spark Ads use of a video."""
    body = {
        "video_id": v.identifier(video_id, "video_id"),
        "authorization_days": v.spark_days(days, "days"),
        "action": "EXTEND" if extend else None,
    }
    response = api.request("spark_apply", json=body)
    return WriteResult(None, response.request_id)


def spark_status(api: BaseClient, video_id: str) -> SparkStatus:
    """Spark Ads authorization state and code of a video."""
    vid = v.identifier(video_id, "video_id")
    response = api.request("spark_status", {"video_id": vid})
    status = p.parse(SparkStatus, response.data, "spark_status", response.request_id)
    if status.video_id is None:
        status.video_id = vid
    return status
