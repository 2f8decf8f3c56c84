"""Campaign settings on the Campaigns page: create a campaign, edit one, archive or restore it."""

from __future__ import annotations

import streamlit as st

from ttcm.errors import TTCMError
from ttcm.services.campaigns.settings import CampaignInput, as_input
from ttcm.web.campaign_form import label_of, settings_form, settings_table
from ttcm.web.context import PageContext
from ttcm.web.feedback import show_error
from ttcm.web.fields import Problems
from ttcm.web.page_state import confirm, flash, forget_widgets
from ttcm.web.text import plain

TOP = "top"  # messages shown above the campaign picker


def new_campaign(ctx: PageContext, *, expanded: bool) -> None:
    """The New campaign form; a created campaign is opened at once."""
    with st.expander("New campaign", expanded=expanded):
        problems = Problems()
        new = settings_form("new", CampaignInput("", "", ""), problems)
        if problems:
            st.caption(plain(problems.summary()))
        if not st.button(
            "Create campaign", type="primary", key="new_save", disabled=bool(problems)
        ):
            return
        try:
            made = ctx.services.campaigns.create(ctx.principal, new)
        except TTCMError as exc:
            show_error(exc, label_of)
            return
        if made.new:
            flash("success", f"Campaign created on TikTok (id {plain(made.campaign_id)}).", TOP)
        else:
            flash("info", "A campaign with this name and brand exists already: opened it.", TOP)
        forget_widgets("new_")
        st.query_params["campaign"] = str(made.pk)
        st.rerun()


def settings_tab(ctx: PageContext, campaign: dict[str, object], where: str) -> None:
    """One campaign's settings: editable for a manager, read-only values for the others."""
    pk = int(str(campaign["id"]))
    name = plain(campaign["campaign_name"])
    st.caption(f"TikTok campaign id: {plain(campaign['campaign_id'] or 'not on TikTok')}")
    archived = campaign["archived_at"] is not None
    if archived:
        st.warning("This campaign is archived: restore it to create orders.")
    if not ctx.can("campaign.write"):
        st.caption("You can read this campaign; a manager can change it.")
        settings_table(as_input(campaign))
        return
    problems = Problems()
    edited = settings_form(f"edit{pk}", as_input(campaign), problems)
    if problems:
        st.caption(plain(problems.summary()))
    save_col, archive_col = st.columns(2)
    if save_col.button(
        "Save campaign", type="primary", key=f"edit{pk}_save", disabled=bool(problems)
    ):
        try:
            ctx.services.campaigns.update(ctx.principal, pk, edited)
        except TTCMError as exc:
            show_error(exc, label_of)
        else:
            flash("success", "Saved.", where)
            st.rerun()
    ask = f"archive{pk}_ask"
    if archived:
        if archive_col.button("Restore campaign", key=f"archive{pk}"):
            ctx.services.campaigns.archive(ctx.principal, pk, False)
            flash("success", f"Restored “{name}”.", TOP)
            st.rerun()
        return
    if archive_col.button("Archive campaign…", key=f"archive{pk}"):
        st.session_state[ask] = True
    if confirm(
        ask,
        f"Archive “{name}”? It leaves the campaign list and takes no new orders; its orders "
        "and posts stay on TikTok, and you can restore it later.",
        "Yes, archive it",
    ):
        ctx.services.campaigns.archive(ctx.principal, pk, True)
        flash(
            "success",
            f"Archived “{name}”; nothing was deleted. Turn on “Show archived campaigns” to "
            "restore it.",
            TOP,
        )
        st.rerun()
