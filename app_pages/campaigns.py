"""Campaigns: settings (TTCM section, goals, KPIs, budget, brief), creators, orders, fees and
payments, tied posts."""

from ttcm.web.context import page_context

ctx = page_context("read")  # before anything else runs

import streamlit as st

from ttcm.web.campaign_creators import creators_section
from ttcm.web.campaign_settings import TOP, new_campaign, settings_tab
from ttcm.web.order_form import orders_section
from ttcm.web.page_state import show_flash
from ttcm.web.payments_section import payments_tab
from ttcm.web.rebook import rebook_notice, rebook_panel
from ttcm.web.text import plain
from ttcm.web.tied_posts import tie_posts_tab
from ttcm.web.widgets import freshness_caption
from ttcm.web.labels import unique_labels

TABS = ["Settings", "Creators and orders", "Fees & payments", "Tie published posts"]
SETTINGS, PEOPLE, MONEY, POSTS = TABS

st.title("Campaigns")
freshness_caption(ctx.store, "campaigns", "orders", "posts")
show_flash(TOP)
new_for_rebook = rebook_notice(ctx)

rows = ctx.services.campaigns.list(
    ctx.principal, include_archived=st.toggle("Show archived campaigns")
)
labels = unique_labels(
    (
        str(r["id"]),
        f"{r['campaign_name']} · {r['brand_name'] or '—'}"
        + (" (archived)" if r["archived_at"] else ""),
    )
    for r in rows
)
asked = st.query_params.get("campaign")
chosen: str | None = None
if rows:
    keys = list(labels)
    if asked is not None and asked not in keys:
        st.warning(
            plain(f"There is no campaign “{asked[:40]}” (a wrong or old link); showing the newest.")
        )
    chosen = st.selectbox(
        "Campaign",
        keys,
        index=keys.index(asked) if asked in keys else 0,
        format_func=lambda key: labels[key],
    )
    if chosen is not None:
        st.query_params["campaign"] = chosen
else:
    can_create = ctx.can("campaign.write")
    st.info("No campaigns yet." + (" Create the first one below." if can_create else ""))

if ctx.can("campaign.write"):
    new_campaign(ctx, expanded=not rows or new_for_rebook)

if chosen is None:
    st.stop()
pk = int(chosen)
campaign = ctx.services.campaigns.get(ctx.principal, pk)


def people_tab() -> None:
    """The creators, a rebook in progress and the order form."""
    people = creators_section(ctx, pk, PEOPLE)
    rebook_panel(ctx, campaign, people, PEOPLE)
    orders_section(ctx, campaign, people, PEOPLE)


DRAW = {
    SETTINGS: lambda: settings_tab(ctx, campaign, SETTINGS),
    PEOPLE: people_tab,
    MONEY: lambda: payments_tab(ctx, campaign, MONEY),
    POSTS: lambda: tie_posts_tab(ctx, pk, POSTS),
}
# keyed tabs keep the open tab across reruns (and in the URL), so an action never jumps away;
# bound to the URL, only the open tab runs and is sent (all four drew 1.3 s of script in chromium)
panes = st.tabs(TABS, key="tab", bind="query-params")
for pane, label in zip(panes, TABS, strict=True):
    if pane.open is not False:
        with pane:
            show_flash(label)
            DRAW[label]()
