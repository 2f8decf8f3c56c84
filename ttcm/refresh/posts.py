"""Refresh of posts and their daily stats: order reports and campaign reports, window by window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ttcm import rules
from ttcm.api.models.orders import OrderInsight
from ttcm.api.models.posts import ReportVideo
from ttcm.refresh.context import RunContext
from ttcm.store import models as m
from ttcm.store.rows_posts import write_report
from ttcm.store.timestamps import as_utc

ORDER_CHUNK = 100  # order ids per order-report request


def windows(start: date, end: date, days: int) -> list[tuple[date, date]]:
    """Consecutive windows of at most `days` days covering `start`..`end` (both included)."""
    out = []
    cur = start
    while cur <= end:
        stop = min(end, cur + timedelta(days=days - 1))
        out.append((cur, stop))
        cur = stop + timedelta(days=1)
    return out


def _span(
    ctx: RunContext, api_times: list[datetime], starts: list[datetime], last_ok: datetime | None
) -> tuple[date, date]:
    """The days to report on: since the first order or campaign (full) or the last success.

    The API's clock, as its own timestamps show it, can be ahead of ours (time zones, or a
    sandbox whose clock was moved on): report up to the later of the two, plus a day.
    """
    now = ctx.now()
    end = max([now, *api_times]).date() + timedelta(days=1)
    if ctx.full or last_ok is None:
        return min(starts, default=now).date(), end
    return as_utc(last_ok).date() - timedelta(days=2), end


def refresh_posts(ctx: RunContext) -> None:
    """Report every live order and TikTok campaign over the span, checkpointing each window."""
    o, c = m.Order, m.Campaign
    with ctx.store.read() as conn:
        orders = conn.execute(
            select(o.order_id, o.campaign_pk, o.create_time, o.update_time).where(
                func.coalesce(o.status, "") != "DECLINED"
            )
        ).all()
        last_ok = conn.execute(
            select(m.ResourceStatus.last_success_at).where(m.ResourceStatus.resource == "posts")
        ).scalar_one_or_none()
        tiktok_campaigns = conn.execute(
            select(c.id, c.campaign_id, c.created_at).where(
                c.campaign_id.is_not(None), c.archived_at.is_(None)
            )
        ).all()
    if not orders and not tiktok_campaigns:
        ctx.complete_now("posts")
        return
    api_times = [as_utc(t) for row in orders for t in (row.create_time, row.update_time) if t]
    starts = [as_utc(row.create_time) for row in orders if row.create_time]
    starts += [as_utc(row.created_at) for row in tiktok_campaigns if row.created_at]
    start, end = _span(ctx, api_times, starts, last_ok)
    campaigns = [(pk, cid) for pk, cid, _ in tiktok_campaigns if cid is not None]
    campaign_of = {row.order_id: row.campaign_pk for row in orders}
    ids = sorted(campaign_of)
    posts_state = ctx.run.checkpoint.setdefault("posts", {})
    state = posts_state.setdefault("windows", [])
    # the videos TikTok returned in this run (kept with the checkpoint, so a resumed run knows
    # them too): the history step tells them from the ones TikTok stopped reporting
    reported: list[str] = posts_state.setdefault("reported", [])
    seen = set(reported)

    def returned(rows: Sequence[OrderInsight | ReportVideo]) -> None:
        for row in rows:
            vid = row.video_id or (row.metrics.video_id if isinstance(row, OrderInsight) else None)
            if vid and vid not in seen:
                seen.add(vid)
                reported.append(vid)

    done = set(state)
    run = ctx.run
    for w_start, w_end in windows(start, end, int(rules.limits()["report_max_days"])):
        key = f"{w_start.isoformat()}/{w_end.isoformat()}"
        if key in done:
            continue
        for i in range(0, len(ids), ORDER_CHUNK):
            chunk = ids[i : i + ORDER_CHUNK]
            insights = list(
                ctx.client.iter_order_report(chunk, w_start, w_end, need_daily_stats=True)
            )
            with ctx.store.write() as conn:
                run.add("posts", "changed", write_report(conn, insights, campaign_of, ctx.now()))
                returned(insights)
                ctx.renew(conn)
        for campaign_pk, campaign_id in campaigns:
            videos = list(ctx.client.iter_campaign_report(campaign_id, w_start, w_end))
            with ctx.store.write() as conn:
                changed = write_report(conn, videos, {}, ctx.now(), default_campaign=campaign_pk)
                run.add("posts", "changed", changed)
                returned(videos)
                ctx.renew(conn)
        with ctx.store.write() as conn:
            state.append(key)
            ctx.renew(conn)
    ctx.complete_now("posts")
