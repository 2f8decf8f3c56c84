"""Refresh of pending invitations: who joined the marketplace, who turned it down."""

from __future__ import annotations

from sqlalchemy import select, update

from ttcm.refresh.context import RunContext
from ttcm.store import models as m
from ttcm.store import versions

JOINED_STATUS = {"IN": "JOINED"}


def refresh_invitations(ctx: RunContext) -> None:
    """Ask TikTok about every INVITED creator and record joins and rejections."""
    with ctx.store.read() as conn:
        pending = list(
            conn.execute(
                select(m.Invitation.handle_name).where(m.Invitation.state == "INVITED")
            ).scalars()
        )
    if not pending:
        return
    statuses = ctx.client.creator_status(pending)
    now = ctx.now()
    with ctx.store.write() as conn:
        for st in statuses:
            new_state = JOINED_STATUS.get(st.status or "")
            reason = st.reject_reason
            if new_state is None and reason:
                new_state = "REJECTED"
            if new_state is None:
                continue
            conn.execute(
                update(m.Invitation)
                .where(m.Invitation.handle_name == st.handle_name)
                .values(state=new_state, reason=reason, decided_at=now, updated_at=now)
            )
            if new_state == "JOINED":
                conn.execute(
                    update(m.Creator)
                    .where(m.Creator.handle_name == st.handle_name)
                    .values(is_tcm_creator=True, onboarding_status="IN")
                )
                versions.bump(conn, "creators")
            ctx.run.add("invitations", new_state.lower(), 1)
        ctx.renew(conn)
