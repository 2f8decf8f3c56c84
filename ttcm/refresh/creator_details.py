"""Creators beyond the sweep: the authorized list, and details of the creators the team tracks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, or_, select, update

from ttcm.api import errors as api_errors
from ttcm.api.models.creators import Creator
from ttcm.refresh.context import PAGE_SIZE, RunContext
from ttcm.refresh.creator_page import write_page
from ttcm.store import models as m
from ttcm.store.rows_creators import write_audiences
from ttcm.store.timestamps import utcnow


def refresh_authorized(ctx: RunContext) -> None:
    """Every creator who authorized the account, a page at a time through the writer."""
    batch: list[Creator] = []
    for creator in ctx.client.iter_authorized_creators():
        batch.append(creator)
        if len(batch) >= PAGE_SIZE:
            _submit_authorized(ctx, batch)
            batch = []
    _submit_authorized(ctx, batch)
    ctx.writer.flush()


def _submit_authorized(ctx: RunContext, batch: list[Creator]) -> None:
    if not batch:
        return

    def job(conn: Connection, page: list[Creator] = batch) -> None:
        ctx.run.add("creators", "changed", write_page(ctx, conn, page))
        ctx.run.add("creators", "authorized", len(page))
        ctx.run.add("audience", "written", write_audiences(conn, page))
        ctx.renew(conn)

    ctx.writer.submit(job)


def opened_queue(conn: Connection) -> list[str]:
    """Opened handles whose details were never fetched, or fetched before their last opening."""
    o = m.CreatorOpening
    return list(
        conn.execute(
            select(o.handle_name)
            .where(or_(o.detail_fetched_at.is_(None), o.detail_fetched_at < o.last_opened_at))
            .order_by(o.last_opened_at, o.handle_name)
        ).scalars()
    )


def opened_fetched(conn: Connection, handle: str, at: datetime) -> None:
    """Take an opened `handle` off the detail queue: fetched (or TikTok has none) at `at`."""
    conn.execute(
        update(m.CreatorOpening)
        .where(m.CreatorOpening.handle_name == handle)
        .values(detail_fetched_at=at)
    )


def tracked_handles(ctx: RunContext) -> list[str]:
    """Handles the team cares about: shortlisted, in a campaign, ordered, or opened since
    their details were last fetched (most recently opened last)."""
    with ctx.store.read() as conn:
        handles = set(conn.execute(select(m.ShortlistMember.handle_name)).scalars())
        handles |= set(conn.execute(select(m.CampaignCreator.handle_name)).scalars())
        handles |= {h for h in conn.execute(select(m.Order.handle_name)).scalars() if h}
        opened = opened_queue(conn)
    return sorted(handles) + [h for h in opened if h not in handles]


def refresh_details(ctx: RunContext) -> None:
    """Fetch the public and authorized details of every tracked creator, one at a time."""
    handles = tracked_handles(ctx)
    c = m.Creator
    with ctx.store.read() as conn:
        known = {
            r.handle_name: r
            for r in conn.execute(
                select(c.handle_name, c.creator_id, c.is_tcm_creator, c.is_authenticated).where(
                    c.handle_name.in_(handles)
                )
            )
        }
    run = ctx.run
    for i, handle in enumerate(handles, 1):
        row = known.get(handle)
        details: list[Creator] = []
        try:
            if row is not None and row.is_authenticated and row.creator_id:
                details.append(ctx.client.creator_authorized(row.creator_id))
            if row is None or row.is_tcm_creator:
                details.append(ctx.client.creator_public(handle))
        except (api_errors.NotTTCMCreatorError, api_errors.NotFoundError):
            run.add("details", "not_available", 1)
        except api_errors.PermissionDeniedError:
            run.add("details", "no_permission", 1)
            ctx.ticker.tick("creator details", i, len(handles), handle)
            continue  # an opened creator stays queued until the permission is granted
        with ctx.store.write() as conn:
            for d in details:
                if d.handle_name is None:
                    continue
                run.add("creators", "changed", write_page(ctx, conn, [d]))
                run.add("audience", "written", write_audiences(conn, [d]))
            opened_fetched(conn, handle, utcnow())
            ctx.renew(conn)
        ctx.ticker.tick("creator details", i, len(handles), handle)
