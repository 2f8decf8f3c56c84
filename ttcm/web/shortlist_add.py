"""The "add to a shortlist" form of the Discovery and profile pages."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ttcm import rules
from ttcm.domain.format import plural
from ttcm.services.shortlists import ShortlistError
from ttcm.web.context import PageContext
from ttcm.web.fields import Problems, checked_text
from ttcm.web.text import plain, plain_list

NEW = "New shortlist…"
NAME_MAX = int(rules.input_limits()["shortlist_name_max_chars"])


def shortlist_form(ctx: PageContext, handles: Sequence[str], key: str, submit: str) -> None:
    """Pick a shortlist or name a new one, and add `handles` (a refused name stays as typed)."""
    lists = ctx.services.shortlists
    existing = {s.name: s.id for s in lists.all(ctx.principal)}
    with st.form(key):
        cols = st.columns([3, 3, 2])
        target = cols[0].selectbox("Add to shortlist", [NEW, *existing])
        name_wrong = Problems()
        new_name = checked_text(cols[1], "New shortlist name", name_wrong, limit=NAME_MAX)
        sent = cols[2].form_submit_button(submit)
    if not sent:
        return
    if name_wrong and target == NEW:
        st.error(f"Nothing added. {name_wrong.summary()}")
        return
    try:
        sid = lists.create(ctx.principal, new_name) if target == NEW else existing[target]
        outcome = lists.add(ctx.principal, sid, list(handles))
    except ShortlistError as exc:
        st.error(plain(exc))
        return
    where = target if target in existing else new_name.strip()
    if outcome.added:
        added = "" if len(handles) == 1 else f" {plural(len(outcome.added), 'creator')}"
        st.success(f"Added{added} to {plain(where)}.")
    if outcome.already:
        st.info(f"Already on that shortlist: {plain_list(outcome.already)}")
    for handle, reason in outcome.refused.items():
        st.warning(f"{plain(handle)}: {plain(reason)}")
