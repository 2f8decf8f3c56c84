"""The profile's history with the team: each campaign against its median, and "Rebook"."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.services.creator_history import CampaignHistory
from ttcm.web.context import PageContext
from ttcm.web.formula import how_computed
from ttcm.web.labels import unique_labels
from ttcm.web.rebook import PARAM as REBOOK
from ttcm.web.text import plain_line

CAMPAIGNS_PAGE = "app_pages/campaigns.py"
PEOPLE_TAB = "Creators and orders"  # the Campaigns page's tab with the order form
INTO, NEW = "rebook_into", "new"  # the Campaigns page's "rebook into a campaign to create"


def profile_handle() -> str:
    """The handle the profile shows: `handle` in the URL; after Back from Rebook, the browser
    brings the Campaigns page's parameters instead, so the creator being rebooked."""
    handle = (st.query_params.get("handle") or "").strip().lstrip("@")
    rebooked = (st.query_params.get(REBOOK) or "").strip().lstrip("@")
    if not handle and rebooked:
        st.query_params.from_dict({"handle": rebooked})  # the profile's own URL again
        return rebooked
    return handle


def orders_text(h: CampaignHistory) -> str:
    """'2 orders: Accepted, Declined' or 'added, no order'."""
    if not h.result.orders:
        return "added, no order"
    return f"{numfmt.plural(h.result.orders, 'order')}: {', '.join(h.status_labels)}"


def history_rows(history: list[CampaignHistory]) -> pd.DataFrame:
    """One row per campaign, every figure formatted with its unit, "—" when unknown."""
    rows = []
    for h in history:
        r = h.result
        rows.append(
            {
                "Campaign": h.campaign_name + (" (archived)" if h.archived else ""),
                "Orders": orders_text(h),
                "Posts": numfmt.count(r.posts),
                "Views": r.views.text(with_unit=False),
                "ER": r.engagement_rate.text(),
                "Campaign median ER": h.median_er.text(),
                "Fee": r.fee.text(),
                "CPV": r.cpv.text(),
                "Campaign median CPV": h.median_cpv.text(),
            }
        )
    return pd.DataFrame(rows)


def comparison(h: CampaignHistory) -> str:
    """'Spring: CPV 0.0250 USD vs campaign median 0.0300 USD · ER 5.00% vs 5.00%' or why not."""
    r = h.result
    cpv = (
        f"CPV {r.cpv.text()} vs campaign median {h.median_cpv.text()}"
        if r.cpv.known
        else f"CPV unknown: {r.cpv.reason}"
    )
    er = (
        f"ER {r.engagement_rate.text()} vs campaign median {h.median_er.text()}"
        if r.engagement_rate.known
        else f"ER unknown: {r.engagement_rate.reason}"
    )
    return f"{h.campaign_name}: {cpv} · {er}"


def history_how(history: list[CampaignHistory]) -> list[str]:
    """Each campaign's ER, CPV and medians as their filled formulas, named by the campaign."""
    lines = []
    for h in history:
        r = h.result
        values = (r.engagement_rate, h.median_er, r.cpv, h.median_cpv)
        lines += [f"{h.campaign_name}: {v.how}" for v in values if v.how]
    return lines


def rebook_link(ctx: PageContext, handle: str, history: list[CampaignHistory]) -> None:
    """Pick a campaign (or a new one) and go to its order form, prefilled; nothing is sent here."""
    ordered = {h.campaign_pk for h in history if h.result.orders}
    open_campaigns = [
        c for c in ctx.services.campaigns.list(ctx.principal) if c["id"] not in ordered
    ]
    names = unique_labels(
        (str(c["id"]), f"{c['campaign_name']} · {c['brand_name'] or '—'}") for c in open_campaigns
    )
    names[NEW] = "A new campaign…"
    last = ctx.services.creator_history.rebooking(ctx.principal, handle)
    if last is not None:
        shown = ", ".join(n or f"Video {i + 1}" for i, n in enumerate(last.deliverable_names))
        fee = (
            numfmt.money(last.agreed_fee, last.fee_currency)
            if last.agreed_fee is not None
            else "the list price"
        )
        st.caption(
            plain_line(
                f"Rebooking starts from the last order ({last.from_campaign_name}): "
                f"{numfmt.plural(last.video_number, 'video')}"
                + (f" ({shown})" if shown else "")
                + f", fee {fee}."
            )
        )
    # Streamlit forgets a widget's state on a page that does not draw it, so the pick is also
    # kept under a plain key: after Rebook and the browser's Back the same campaign is chosen.
    options, kept = list(names), f"_rebook_into_kept_{handle}"
    target = st.selectbox(
        "Rebook into",
        options,
        index=options.index(st.session_state[kept]) if st.session_state.get(kept) in names else 0,
        format_func=names.__getitem__,  # an option is plain text, never markdown
        key=f"rebook_into_{handle}",
    )
    st.session_state[kept] = target
    params = {REBOOK: handle, "tab": PEOPLE_TAB}
    if target == NEW:
        params[INTO] = NEW
    else:
        params["campaign"] = str(target)
    label = f"Rebook @{plain_line(handle)}"
    if st.button(label, icon=":material/replay:", key=f"rebook_{handle}"):
        st.switch_page(CAMPAIGNS_PAGE, query_params=params)  # the order form; nothing sent yet
    where = "a new campaign" if target == NEW else plain_line(names[target])
    st.caption(
        f"Opens the order form for {where} on the Campaigns page, prefilled; nothing is sent yet."
    )


def history_section(ctx: PageContext, handle: str) -> None:
    """Every campaign of the team the creator was in, with the medians, and the Rebook link."""
    st.subheader("Campaigns with the team")
    history = ctx.services.creator_history.campaigns(ctx.principal, handle)
    if not history:
        st.caption("Not in any campaign of the team yet.")
    else:
        st.dataframe(history_rows(history), hide_index=True, width="stretch")
        for h in history:
            st.caption(plain_line(comparison(h)))
        how_computed(history_how(history))
    if ctx.can("order.write"):
        rebook_link(ctx, handle, history)
