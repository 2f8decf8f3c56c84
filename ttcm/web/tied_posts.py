"""The Tie published posts tab: ask TikTok to count a post made without the invitation link."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ttcm.errors import TTCMError
from ttcm.web.campaign_form import label_of
from ttcm.web.context import PageContext
from ttcm.web.feedback import show_error
from ttcm.web.page_state import flash, fresh_key, renew
from ttcm.web.text import plain

COLUMNS = {
    "video_id": "Video",
    "status_label": "Status",
    "number_of_requests": "Requests",
    "handle_name": "Creator",
    "video_views": "Views",
}


def tie_posts_tab(ctx: PageContext, pk: int, where: str) -> None:
    """Ask to tie a post through an order's campaign code, and the requests made so far."""
    st.caption(
        "A creator who posted without the invitation link can still have the post counted: ask "
        "TikTok to tie it to this campaign through the order's campaign code. The creator "
        "approves the request in TikTok; the next refresh then shows the post with full metrics."
    )
    codes = [room.campaign_code for room in ctx.services.orders.codes(ctx.principal, pk)]
    if not codes:
        st.info("Create orders first: a post is tied through its order's campaign code.")
    elif ctx.can("order.write"):
        code = st.selectbox("Campaign code", codes, key=f"tie{pk}_code")
        video = st.text_input("Video link or id", key=fresh_key(f"tie{pk}_video"))
        if st.button("Ask to tie the post", key=f"tie{pk}_go"):
            try:
                tied = ctx.services.links.tie_post(ctx.principal, code, video)
            except TTCMError as exc:
                show_error(exc, label_of)
            else:
                verb = "was asked already" if tied["already"] else "asked"
                flash(
                    "success",
                    f"Video {plain(tied['video_id'])}: {verb} ({plain(tied['status'])}).",
                    where,
                )
                renew(f"tie{pk}_video")
                st.rerun()
    rows = ctx.services.links.tied_posts(ctx.principal, pk)
    if rows:
        frame = pd.DataFrame(rows)[list(COLUMNS)].rename(columns=COLUMNS)
        st.dataframe(frame, hide_index=True, width="stretch")
