"""Shortlists: named lists of creators with tags and notes; move, copy, export."""

from ttcm.web.session import page_principal

me = page_principal("read")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm import rules
from ttcm.auth import role_allows
from ttcm.config import Settings
from ttcm.domain.format import plural
from ttcm.runtime import shared_store
from ttcm.services.exchange_rates import pricing
from ttcm.services.export import to_csv
from ttcm.domain.projection import project
from ttcm.services.shortlists import ShortlistError, Shortlists
from ttcm.web.fields import Problems, checked_text
from ttcm.web.text import plain

store = shared_store(Settings.load())
NAME_MAX = int(rules.input_limits()["shortlist_name_max_chars"])
NOTE_MAX = int(rules.input_limits()["shortlist_note_max_chars"])
TAGS_MAX = int(rules.input_limits()["shortlist_tags_field_max_chars"])
lists = Shortlists(store)
can_write = role_allows(me.role, "shortlist.write")
st.title("Shortlists")

if can_write:
    with st.form("new_list"):  # not cleared: a refused name stays as typed
        new_wrong = Problems()
        name = checked_text(
            st, "New shortlist", new_wrong, limit=NAME_MAX, placeholder="e.g. Q1 beauty launch"
        )
        sent = st.form_submit_button("Create")
        if sent and new_wrong:
            st.error(f"Not created. {new_wrong.summary()}")
        elif sent:
            try:
                lists.create(me, name)
                st.success("Created.")
            except ShortlistError as exc:
                st.error(plain(exc))

all_lists = lists.all(me)
if not all_lists:
    st.info("No shortlists yet. Select creators on the Discovery page to start one.")
    st.stop()

by_name = {f"{s.name} ({s.size})": s for s in all_lists}
chosen = by_name[st.selectbox("Shortlist", list(by_name))]
members = lists.members(me, chosen.id)
if not members:
    st.caption("This list is empty.")
else:
    p = project(members)
    prices = pricing(store)
    total, unconverted = prices.total(p.cost_by_currency)
    a, b, c = st.columns(3)
    a.metric("Combined followers", "unknown" if p.followers is None else numfmt.count(p.followers))
    b.metric(
        "Expected views (sum of medians)",
        "unknown" if p.expected_views is None else numfmt.count(p.expected_views),
    )
    c.metric(
        f"Estimated cost ({prices.currency})",
        numfmt.money(total, prices.currency) if p.cost_by_currency else "unknown",
        help=" + ".join(numfmt.money(v, k) for k, v in p.cost_by_currency.items()) or None,
    )
    notes = [
        text for figure in ("followers", "median_views", "price") if (text := p.coverage(figure))
    ]
    if unconverted:
        notes.append(f"no exchange rate for {', '.join(unconverted)} (not in the cost)")
    if notes:
        st.caption("Not included: " + "; ".join(notes) + ".")
    table = pd.DataFrame(members)
    table["profile"] = "creator?handle=" + table["handle_name"]
    table["tags"] = table["tags"].map(", ".join)
    table["engagement_rate"] = table["engagement_rate"] * 100
    table["account_kind"] = table["account_kind"].map(lambda k: numfmt.label("account_kind", k))
    shown = [
        "profile",
        "handle_name",
        "display_name",
        "country_code",
        "followers_count",
        "median_views",
        "engagement_rate",
        "creator_price",
        "currency",
        "team_price",
        "account_kind",
        "tags",
        "note",
        "added_by",
    ]
    event = st.dataframe(
        table[shown],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=f"members_{chosen.id}",
        column_config={
            "profile": st.column_config.LinkColumn("Profile", display_text="open"),
            "handle_name": "Handle",
            "display_name": "Display name",
            "country_code": "Country",
            "followers_count": st.column_config.NumberColumn("Followers", format="localized"),
            "median_views": st.column_config.NumberColumn("Median views", format="localized"),
            "engagement_rate": st.column_config.NumberColumn("Engagement rate (%)", format="%.2f"),
            "creator_price": st.column_config.NumberColumn("Creator's price", format="localized"),
            "currency": "Price currency",
            "team_price": st.column_config.NumberColumn(
                f"Price in {prices.currency}", format="localized"
            ),
            "account_kind": "Account",
            "tags": "Tags",
            "note": "Note",
            "added_by": "Added by",
        },
    )
    picked = (
        [members[i]["handle_name"] for i in event.selection.rows]
        if event and event.selection
        else []
    )
    st.download_button(
        "Download this list (CSV)",
        to_csv(
            members,
            [
                ("handle_name", "Handle"),
                ("display_name", "Display name"),
                ("country_code", "Country"),
                ("followers_count", "Followers"),
                ("median_views", "Median views"),
                ("engagement_rate", "Engagement rate (%)", "percent"),
                ("creator_price", "Creator's price"),
                ("currency", "Price currency"),
                ("team_price", f"Price in {prices.currency}"),
                ("account_kind", "Account", "label:account_kind"),
                ("tags", "Tags"),
                ("note", "Note"),
            ],
        ),
        file_name=f"shortlist-{chosen.id}.csv",
        mime="text/csv",
    )
    if can_write and picked:
        st.subheader(f"{plural(len(picked), 'creator')} selected")
        others = {s.name: s.id for s in all_lists if s.id != chosen.id}
        col1, col2 = st.columns(2)
        with col1.form("annotate"):
            note_wrong = Problems()
            tags = checked_text(st, "Tags (comma separated)", note_wrong, limit=TAGS_MAX)
            note = checked_text(st, "Note", note_wrong, limit=NOTE_MAX, area=True, multiline=True)
            saved = st.form_submit_button("Save tags and note")
            if saved and note_wrong:
                st.error(f"Not saved. {note_wrong.summary()}")
            elif saved:
                try:
                    for handle in picked:
                        lists.annotate(me, chosen.id, handle, tags=tags.split(","), note=note)
                    st.success("Saved.")
                except ShortlistError as exc:
                    st.error(plain(exc))
        with col2:
            if others:
                target = st.selectbox("Other list", list(others))
                if st.button("Copy there"):
                    copied = lists.copy(me, picked, chosen.id, others[target]).added
                    st.success(f"Copied {plural(len(copied), 'creator')}.")
                if st.button("Move there"):
                    lists.move(me, picked, chosen.id, others[target])
                    st.rerun()
            if st.button("Remove from this list"):
                lists.remove(me, chosen.id, picked)
                st.rerun()
if can_write and st.button(f"Delete the list “{plain(chosen.name)}”"):
    lists.delete(me, chosen.id)
    st.rerun()
