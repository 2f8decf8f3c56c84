"""Discovery's page of results, its pager and the selection: a fragment, so turning a page or
ticking a row reruns only this part (the filter form, the count and the histograms stay)."""

from __future__ import annotations

import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.services.discovery.filters import CreatorFilter
from ttcm.services.discovery.search import SearchResult
from ttcm.web.context import PageContext, recheck
from ttcm.web.creator_table import results_table
from ttcm.web.discovery_filters import form_key
from ttcm.web.selection import projection_metrics
from ttcm.web.shortlist_add import shortlist_form


def page_number(raw: object) -> int:
    """The page a `page=` value asks for (0 when it is not a plain whole number)."""
    text = str(raw if raw is not None else "1").strip()
    return int(text) if text.isdecimal() and text.isascii() else 0


def _turn_to(page: int) -> None:
    """Previous / Next: the page goes into the address before the fragment reruns."""
    st.query_params["page"] = str(page)


@st.fragment
def results(
    ctx: PageContext,
    current: CreatorFilter,
    first: SearchResult,
    first_page: int,
    pages: int,
    page_size: int,
    team: str,
) -> None:
    """The table of one page, Previous / Next and what the ticked rows could deliver together.

    `first` is the page the whole run searched (`first_page`); a rerun of this fragment alone
    searches only when the page changed, and a ticked row searches nothing.
    """
    recheck("read")
    page = page_number(st.query_params.get("page"))
    if not 1 <= page <= pages:  # the whole run explains a page that does not exist
        page = first_page
    result = first
    if page != first_page:
        result = ctx.services.discovery.search(
            ctx.principal, current, limit=page_size, offset=(page - 1) * page_size
        )
    ticked = results_table(result.rows, first.team_currency, f"results_{form_key(current)}_{page}")
    nav1, nav2, nav3 = st.columns([1, 2, 1])
    nav1.button("← Previous", disabled=page <= 1, on_click=_turn_to, args=(page - 1,))
    nav2.caption(f"Page {page} of {numfmt.count(pages)} · {page_size} per page")
    nav3.button("Next →", disabled=page >= pages, on_click=_turn_to, args=(page + 1,))

    selected = [result.rows[i] for i in ticked]
    st.divider()
    st.subheader(
        f"Selection ({numfmt.plural(len(selected), 'creator')})" if selected else "Selection"
    )
    if not selected:
        st.caption(
            "Tick rows in the table to shortlist them or see what they could deliver together."
        )
    else:
        projection_metrics(ctx.store, selected, team)
        if ctx.can("shortlist.write"):
            handles = [str(r["handle_name"]) for r in selected]
            shortlist_form(ctx, handles, "shortlist_add", "Add selected creators")
