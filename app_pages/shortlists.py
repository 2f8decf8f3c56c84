"""Shortlists: named lists of creators with tags and notes; move, copy, export."""

from ttcm.web.context import page_context

ctx = page_context("read")  # before anything else runs

import streamlit as st

from ttcm import rules
from ttcm.domain.format import plural
from ttcm.services.exchange_rates import pricing
from ttcm.web import shortlist_view
from ttcm.web.actions import attempt, confirm_done
from ttcm.web.fields import Problems, checked_text
from ttcm.web.text import plain

PICK = "shortlist_pick"  # the chosen list's id; a write keeps it (or selects what it created)
LIMITS = rules.input_limits()
me, lists = ctx.principal, ctx.services.shortlists
can_write = ctx.can("shortlist.write")
st.title("Shortlists")
confirm_done()


NEW_NAME = "shortlist_new_name"


def pick(list_id: int) -> None:
    """Select a list on the next rerun (and empty the name field: the list exists now)."""
    st.session_state[PICK] = list_id
    del st.session_state[NEW_NAME]


if can_write:
    with st.form("new_list"):  # not cleared: a refused name stays as typed
        new_wrong = Problems()
        name = checked_text(
            st,
            "New shortlist",
            new_wrong,
            limit=int(LIMITS["shortlist_name_max_chars"]),
            placeholder="e.g. Q1 beauty launch",
            key=NEW_NAME,
        )
        if st.form_submit_button("Create"):
            attempt(
                lambda: lists.create(me, name),
                f"Created the shortlist “{name.strip()}”; it is selected below.",
                then=pick,
                problems=new_wrong,
                refused="Not created.",
            )

by_id = {s.id: s for s in lists.all(me)}
if not by_id:
    st.info("No shortlists yet. Select creators on the Discovery page to start one.")
    st.stop()
if st.session_state.get(PICK) not in by_id:
    st.session_state[PICK] = next(iter(by_id))
chosen = by_id[
    st.selectbox(
        "Shortlist",
        list(by_id),
        key=PICK,
        format_func=lambda i: f"{by_id[i].name} ({by_id[i].size})",
    )
]
members = lists.members(me, chosen.id)
if not members:
    st.caption("This list is empty.")
else:
    prices = pricing(ctx.store)
    shortlist_view.figures(members, prices)
    picked = shortlist_view.members_table(members, prices.currency, chosen.id)
    if can_write and picked:
        st.subheader(f"{plural(len(picked), 'creator')} selected")
        n = plural(len(picked), "creator")
        others = {s.id: s.name for s in by_id.values() if s.id != chosen.id}
        col1, col2 = st.columns(2)
        with col1.form("annotate"):
            note_wrong = Problems()
            tags = checked_text(
                st,
                "Tags (comma separated)",
                note_wrong,
                limit=int(LIMITS["shortlist_tags_field_max_chars"]),
            )
            note = checked_text(
                st,
                "Note",
                note_wrong,
                limit=int(LIMITS["shortlist_note_max_chars"]),
                area=True,
                multiline=True,
            )
            if st.form_submit_button("Save tags and note"):
                attempt(
                    lambda: lists.annotate_many(
                        me, chosen.id, picked, tags=tags.split(","), note=note
                    ),
                    f"Saved the tags and note of {n}.",
                    problems=note_wrong,
                    refused="Not saved.",
                )
        with col2:
            if others:
                to = st.selectbox("Other list", list(others), format_func=others.__getitem__)
                if st.button("Copy there"):
                    attempt(
                        lambda: lists.copy(me, picked, chosen.id, to),
                        lambda r: f"Copied {plural(len(r.added), 'creator')} to “{others[to]}”.",
                    )
                if st.button("Move there"):
                    attempt(
                        lambda: lists.move(me, picked, chosen.id, to),
                        lambda r: (
                            f"Moved {plural(len(r.added) + len(r.already), 'creator')} "
                            f"to “{others[to]}”."
                        ),
                    )
            if st.button(f"Remove {n} from this list"):
                attempt(
                    lambda: lists.remove(me, chosen.id, picked),
                    f"Removed {n} from “{chosen.name}”.",
                )
if can_write:
    with st.popover("Delete this list…"):
        st.write(
            f"Delete “{plain(chosen.name)}” and its {plural(chosen.size, 'creator')}? "
            "This cannot be undone."
        )
        if st.button("Yes, delete the list", type="primary"):
            attempt(lambda: lists.delete(me, chosen.id), f"Deleted the shortlist “{chosen.name}”.")
