"""Discovery's saved searches: the list with "N new since you last opened it", open, save."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ttcm.auth import role_allows
from ttcm.domain import format as numfmt
from ttcm.errors import TTCMError
from ttcm.services.discovery.filters import CreatorFilter
from ttcm.services.saved_searches import MAX_NAME, SavedSearch
from ttcm.web.context import PageContext
from ttcm.web.feedback import show_error
from ttcm.web.fields import Problems, checked_text
from ttcm.web.page_state import FLASH, confirm, flash, forget_widgets, fresh_key, renew, show_flash
from ttcm.web.text import plain, plain_line

WHERE = "saved_searches"
NAME = "Saved search name"
SAVE = "saved_save_go"  # the save button's key: True in the run its click starts


def new_since_text(s: SavedSearch) -> str:
    """'3 new creators since you last opened it' (or since it was saved), or why not."""
    if s.new_since is None:
        return s.problem or "This search no longer applies."
    since = "since you last opened it" if s.last_opened_at else "since it was saved"
    return f"{numfmt.plural(s.new_since, 'new creator')} {since}"


def _row(ctx: PageContext, s: SavedSearch) -> None:
    me, service = ctx.principal, ctx.services.saved_searches
    left, mid, b1, b2 = st.columns([4, 3, 1, 1])
    left.markdown(f"**{plain_line(s.name)}**")
    whose = "you" if s.owner == me.username else s.owner
    left.caption(plain_line(f"by {whose}" + (" · shared with the team" if s.shared else "")))
    (mid.warning if s.new_since is None else mid.caption)(plain_line(new_since_text(s)))
    if b1.button("Open", key=f"saved_open_{s.id}"):
        try:
            found = service.open(me, s.id)
        except TTCMError as exc:
            show_error(exc)
            return
        st.query_params.from_dict(found.to_query())
        flash("info", f"Opened “{plain_line(s.name)}”.", WHERE)
        st.rerun()
    mine = s.owner == me.username or role_allows(me.role, "search.manage_any")
    if mine and ctx.can("search.save") and b2.button("Delete", key=f"saved_del_{s.id}"):
        st.session_state[f"saved_confirm_{s.id}"] = True
    if mine and ctx.can("search.save"):
        _rename(ctx, s, left)
    if confirm(f"saved_confirm_{s.id}", f"Delete “{plain_line(s.name)}”?", "Delete it"):
        try:
            service.delete(me, s.id)
        except TTCMError as exc:
            show_error(exc)
            return
        flash("success", f"Deleted “{plain_line(s.name)}”.", WHERE)
        st.rerun()


def _rename(ctx: PageContext, s: SavedSearch, where: DeltaGenerator) -> None:
    with where.popover("Rename"):
        problems = Problems()
        typed = checked_text(st, "New name", problems, limit=MAX_NAME, key=f"saved_rename_{s.id}")
        if not st.button("Rename", key=f"saved_rename_go_{s.id}", disabled=bool(problems)):
            return
        try:
            ctx.services.saved_searches.rename(ctx.principal, s.id, typed)
        except TTCMError as exc:
            show_error(exc, lambda field: "New name" if field == "name" else field.capitalize())
            return
    flash("success", f"Renamed “{plain_line(s.name)}” to “{plain_line(typed.strip())}”.", WHERE)
    forget_widgets(f"saved_rename_{s.id}")
    st.rerun()


def _save_form(ctx: PageContext, current: CreatorFilter) -> None:
    with st.form("saved_save", clear_on_submit=False):
        problems = Problems()
        name = checked_text(st, NAME, problems, limit=MAX_NAME, key=fresh_key("saved_name"))
        shared = st.checkbox("Share with the team", value=True, key="saved_shared")
        sent = st.form_submit_button("Save this search", key=SAVE)
    if not sent:
        return
    if problems:
        st.error(f"Not saved. {plain(problems.summary())}")
        return
    try:
        ctx.services.saved_searches.save(ctx.principal, name, current, shared=shared)
    except TTCMError as exc:
        show_error(exc, lambda field: NAME if field == "name" else field.capitalize())
        return
    flash("success", f"Saved “{plain_line(name.strip())}”.", WHERE)
    renew("saved_name")  # a new, empty field (a forgotten one kept showing the old name)
    st.rerun()


def saved_searches_panel(ctx: PageContext, current: CreatorFilter) -> None:
    """The saved searches this user sees, and the form that saves the current filter."""
    searches = ctx.services.saved_searches.list(ctx.principal)
    fresh = sum(s.new_since or 0 for s in searches)
    title = f"Saved searches ({numfmt.count(len(searches))})" if searches else "Saved searches"
    pending = any(m[2] == WHERE for m in st.session_state.get(FLASH, []))
    asking = any(str(k).startswith("saved_confirm_") and v for k, v in st.session_state.items())
    asking = asking or bool(st.session_state.get(SAVE))  # a refusal shows inside: keep it open
    label = title + (f" · {numfmt.count(fresh)} new" if fresh else "")
    with st.expander(label, expanded=pending or asking):
        show_flash(WHERE)
        if not searches:
            st.caption("No saved searches yet.")
        for s in searches:
            _row(ctx, s)
        if ctx.can("search.save"):
            st.divider()
            _save_form(ctx, current)
