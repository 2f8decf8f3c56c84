"""Refresh of Spark Ads authorizations of every order-tracked or already authorized post."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ttcm.api import errors as api_errors
from ttcm.refresh.context import PAGE_SIZE, RunContext
from ttcm.store import models as m
from ttcm.store.rows_spark import spark_row, write_spark


def refresh_spark(ctx: RunContext) -> None:
    """Ask for each video's Spark Ads status; a page of statuses per transaction."""
    with ctx.store.read() as conn:
        tracked = conn.execute(select(m.Post.video_id).where(m.Post.tracking == "order"))
        authorized = conn.execute(select(m.SparkAuthorization.video_id))
        videos = sorted(set(tracked.scalars()) | set(authorized.scalars()))
    rows: list[dict[str, Any]] = []
    for video_id in videos:
        try:
            st = ctx.client.spark_status(video_id)
        except api_errors.NotFoundError:
            continue
        rows.append(spark_row(st, ctx.now()))
        if len(rows) >= PAGE_SIZE:
            with ctx.store.write() as conn:
                ctx.run.add("spark", "changed", write_spark(conn, rows))
                ctx.renew(conn)
            rows = []
    with ctx.store.write() as conn:
        ctx.run.add("spark", "changed", write_spark(conn, rows))
        ctx.complete(conn, "spark")
