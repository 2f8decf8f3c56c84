"""Discovery: every TikTok One filter over the cache; shortlist, export and project a selection."""

from ttcm.web.context import page_context

ctx = page_context("read")  # before anything else runs

import streamlit as st

from ttcm.charts import discovery as charts
from ttcm.domain import format as numfmt
from ttcm.services.discovery.filters import FilterError
from ttcm.services.discovery.rows import csv_columns
from ttcm.services.exchange_rates import team_currency
from ttcm.services.export import to_csv
from ttcm.web.discovery_filters import Options, filter_form, show_url_problems
from ttcm.web.discovery_results import page_number, results
from ttcm.web.saved_searches import saved_searches_panel
from ttcm.web.text import plain_line
from ttcm.web.widgets import band_chart, freshness_caption

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
me, discovery = ctx.principal, ctx.services.discovery
params = st.query_params.to_dict()
team = team_currency(ctx.store)

st.title("Discovery")
freshness_caption(ctx.store, "creators")

try:
    current = discovery.from_url(me, params)
except FilterError as exc:
    show_url_problems(exc, params)
    st.stop()
chosen = filter_form(current, Options(discovery.states(me), discovery.label_options(me), team))
if chosen is not None:  # applied: this run goes on with it, read back as a shared link would be
    params = chosen.to_query()
    st.query_params.from_dict(params)
    current = discovery.from_url(me, params)
saved_searches_panel(ctx, current)
if st.sidebar.button("Clear all filters", disabled=not current.active()):
    st.query_params.clear()
    st.rerun()

raw_page = str(params.get("page", "1")).strip()
page = page_number(raw_page)
result = discovery.search(
    me, current, limit=PAGE_SIZE, offset=max(0, page - 1) * PAGE_SIZE, histograms=True
)
pages = max(1, -(-result.total // PAGE_SIZE))
if not 1 <= page <= pages:
    st.warning(
        plain_line(f"Page “{raw_page[:20]}” does not exist: these filters give pages 1 to {pages}.")
    )
    if st.button("Go to page 1"):
        del st.query_params["page"]
        st.rerun()
    st.stop()

st.subheader(f"{numfmt.plural(result.total, 'creator')} match{'es' if result.total == 1 else ''}")
if result.total == 0:
    st.info("No creator in the cache matches these filters.")
    hint = discovery.suggest_relaxation(me, current)
    if hint is not None:
        field, label, count = hint
        if st.button(f"Clear the {label} filter ({numfmt.plural(count, 'creator')})"):
            st.query_params.from_dict(current.cleared(field).to_query())
            st.rerun()
    st.stop()

left, right = st.columns(2)
if result.follower_hist is not None and result.er_hist is not None:
    band_chart(left, charts.follower_histogram(*result.follower_hist), result.total)
    band_chart(right, charts.engagement_histogram(*result.er_hist), result.total)

results(ctx, current, result, page, pages, PAGE_SIZE, team)  # a fragment: pages, ticks

st.divider()
if st.button("Prepare CSV of all matching creators"):
    rows = discovery.search(me, current, limit=EXPORT_LIMIT).rows
    st.download_button(
        f"Download {numfmt.plural(len(rows), 'row')} (CSV)",
        to_csv(rows, csv_columns(result.team_currency)),
        file_name="ttcm-creators.csv",
        mime="text/csv",
    )
    if result.total > EXPORT_LIMIT:
        st.caption(
            f"The export holds the first {numfmt.count(EXPORT_LIMIT)} rows in the current order."
        )
