"""Refresh of creators, in resumable phases: discover sweep, authorized list, tracked details."""

from __future__ import annotations

from ttcm.refresh.context import RunContext
from ttcm.refresh.creator_details import refresh_authorized, refresh_details
from ttcm.refresh.discover import sweep
from ttcm.refresh.invitations import refresh_invitations


def refresh_creators(ctx: RunContext) -> None:
    """Run the phases the checkpoint has not finished yet, then mark creators complete."""
    state = ctx.run.checkpoint.setdefault(
        "creators", {"phase": "discover", "countries_done": [], "cursor": {}}
    )
    if state["phase"] == "discover":
        sweep(ctx, state)
        state["phase"] = "authorized"
    if state["phase"] == "authorized":
        refresh_authorized(ctx)
        state["phase"] = "details"
    if state["phase"] == "details":
        refresh_details(ctx)
        refresh_invitations(ctx)
    ctx.complete_now("creators")
