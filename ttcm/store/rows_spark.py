"""API Spark Ads statuses -> `spark_authorizations` rows, and their write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from ttcm.api.models.spark import SparkStatus
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert


def spark_row(st: SparkStatus, now: datetime) -> dict[str, Any]:
    """A Spark Ads status -> a `spark_authorizations` row."""
    return {
        "video_id": st.video_id,
        "auth_status": st.auth_status,
        "auth_status_updated_time": st.auth_status_updated_time,
        "num_remaining_request": st.num_remaining_request,
        "requested_authorization_days": st.requested_authorization_days,
        "auth_code": st.auth_code,
        "auth_code_status": st.auth_code_status,
        "auth_code_start_time": st.auth_code_start_time,
        "auth_code_end_time": st.auth_code_end_time,
        "source": m.API_SOURCE,
        "fetched_at": now,
    }


def write_spark(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Upsert `spark_row`s; returns rows inserted or changed."""
    if not rows:
        return 0
    compare = [c for c in rows[0] if c not in ("video_id", "fetched_at")]
    return upsert(conn, table_of(m.SparkAuthorization), rows, key=["video_id"], compare=compare)
