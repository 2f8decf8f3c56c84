"""A page of creators into the store, counted in the run."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from ttcm.api.models.creators import Creator
from ttcm.refresh.context import RunContext
from ttcm.store.rows_creators import write_creators


def write_page(ctx: RunContext, conn: Connection, page: Sequence[Creator]) -> int:
    """Upsert `page`; counts the new creators and returns rows inserted or changed."""
    if not page:
        return 0
    written = write_creators(conn, page, ctx.now(), ctx.today())
    ctx.run.add("creators", "new", written.new)
    return written.changed
