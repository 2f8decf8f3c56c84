"""Discovery: every TikTok One filter over the cache; shortlist, export and project a selection."""

from ttcm.web.session import page_principal

me = page_principal("read")  # before anything else runs

import hashlib
import json

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm import rules
from ttcm.charts import discovery as charts
from ttcm.auth import role_allows
from ttcm.config import Settings
from ttcm.runtime import shared_store
from ttcm.services.discovery import (
    COLUMNS,
    URL_LABELS,
    CreatorFilter,
    FilterError,
    csv_columns,
    headers,
    label_options,
    search,
    states,
    suggest_relaxation,
)
from ttcm.services.exchange_rates import pricing, team_currency
from ttcm.services.export import to_csv
from ttcm.services.projection import project
from ttcm.services.shortlists import ShortlistError, Shortlists
from ttcm.web.fields import Problems, checked_number, checked_text
from ttcm.web.text import plain, plain_line, plain_list
from ttcm.web.widgets import freshness_caption, money, number_or_none

PAGE_SIZE = 50
SEARCH_MAX = int(rules.input_limits()["search_max_chars"])
COUNT_MAX = int(rules.input_limits()["count_max"])
ER_MAX = float(rules.input_limits()["engagement_percent_max"])
NAME_MAX = int(rules.input_limits()["shortlist_name_max_chars"])
EXPORT_LIMIT = 10_000
store = shared_store(Settings.load())
params = st.query_params.to_dict()
team = team_currency(store)

st.title("Discovery")
freshness_caption(store, "creators")

try:
    current = CreatorFilter.from_url(store, params)
except FilterError as exc:
    st.error("This link holds filter values ttcm cannot use. Clear them, or start again.")
    for key, problem in exc.problems.items():
        shown = str(params.get(key, ""))
        left, right = st.columns([4, 1])
        left.warning(
            plain_line(f"{URL_LABELS.get(key, key)} = “{shown[:60]}”: {problem}"),
            icon=":material/filter_alt_off:",
        )
        if right.button("Clear this filter", key=f"clear_{key}"):
            del st.query_params[key]
            st.rerun()
    if st.button("Start again with no filters"):
        st.query_params.clear()
        st.rerun()
    st.stop()

# widgets are keyed on the filter, so a filter changed from the URL redraws them with its values
k = hashlib.sha1(json.dumps(current.to_query(), sort_keys=True).encode()).hexdigest()[:8]
countries = rules.countries()
country_names = {c: v["name"] for c, v in countries.items()}
country_names.update(
    {c: v["name"] for c, v in rules.load("countries")["unsupported_examples"].items()}
)
labels = label_options(store)
label_names = {lid: name for lid, name, _ in labels}
vocab = rules.vocab()

wrong = Problems()
with st.sidebar.form(f"filters_{k}"):
    st.subheader("Filters")
    query = checked_text(
        st, "Search handle, name or bio", wrong, limit=SEARCH_MAX, value=current.query or ""
    )
    f_countries = st.multiselect(
        "Creator country",
        sorted(country_names),
        default=list(current.countries),
        format_func=lambda c: f"{c} · {country_names[c]}",
    )
    f_states = st.multiselect("State / province", states(store), default=list(current.states))
    c1, c2 = st.columns(2)

    def count_field(where: object, label: str, value: int | None) -> int | float | None:
        return checked_number(
            where, label, wrong, lo=0, hi=COUNT_MAX, whole=True, value=value, step=1000
        )

    min_f = count_field(c1, "Followers from", current.min_followers)
    max_f = count_field(c2, "Followers to", current.max_followers)
    min_av = count_field(c1, "Avg views from", current.min_avg_views)
    max_av = count_field(c2, "Avg views to", current.max_avg_views)
    min_mv = count_field(c1, "Median views from", current.min_median_views)
    max_mv = count_field(c2, "Median views to", current.max_median_views)
    min_er, max_er = (
        checked_number(
            where,
            label,
            wrong,
            lo=0,
            hi=ER_MAX,
            whole=False,
            value=None if rate is None else round(rate * 100, 3),
            step=0.5,
        )
        for where, label, rate in (
            (c1, "Engagement % from", current.min_er),
            (c2, "Engagement % to", current.max_er),
        )
    )
    price_help = f"Each creator's price converted to {team} at the exchange rates of today."
    min_p, max_p = (
        checked_number(
            where,
            label,
            wrong,
            lo=0,
            hi=COUNT_MAX,
            whole=False,
            value=price,
            step=50.0,
            help=price_help,
        )
        for where, label, price in (
            (c1, f"Price from ({team})", current.min_price),
            (c2, f"Price to ({team})", current.max_price),
        )
    )
    currencies = sorted({v["currency"] for v in countries.values()})
    currency = st.selectbox(
        "Creator's price currency",
        [None, *currencies],
        index=0 if current.currency is None else [None, *currencies].index(current.currency),
        format_func=lambda c: "any" if c is None else c,
    )
    f_langs = st.multiselect("Languages", vocab["languages"], default=list(current.languages))
    f_labels = st.multiselect(
        "Content and industry labels",
        [lid for lid, _, _ in labels],
        default=[x for x in current.labels if x in label_names],
        format_func=lambda lid: label_names.get(lid, lid),
    )
    f_aud = st.multiselect(
        "Audience country (largest share)",
        sorted(countries),
        default=list(current.audience_countries),
        format_func=lambda c: f"{c} · {country_names[c]}",
    )
    gender_opts = [None, *vocab["gender_ratios"]]
    gender = st.selectbox(
        "Audience gender",
        gender_opts,
        index=gender_opts.index(current.gender_skew),
        format_func=lambda g: (
            "any" if g is None else f"≥ {g.split('_')[1]} % {g.split('_')[0].lower()}"
        ),
    )
    age_opts = [None, *vocab["age_bands"]]
    age = st.selectbox(
        "Main audience age",
        age_opts,
        index=age_opts.index(current.age_band),
        format_func=lambda a: "any" if a is None else a,
    )
    tri = [None, True, False]
    tcm = st.selectbox(
        "On TikTok Creator Marketplace",
        tri,
        index=tri.index(current.tcm),
        format_func=lambda v: {None: "any", True: "yes", False: "no"}[v],
    )
    auth = st.selectbox(
        "Authenticated",
        tri,
        index=tri.index(current.authenticated),
        format_func=lambda v: {None: "any", True: "yes", False: "no"}[v],
    )
    elig = st.selectbox(
        "TTCM eligibility (creators not on TTCM)",
        tri,
        index=tri.index(current.eligible),
        format_func=lambda v: {None: "any", True: "eligible", False: "not eligible"}[v],
    )
    sorts = {
        "followers": "Followers",
        "avg_views": "Average views",
        "median_views": "Median views",
        "engagement_rate": "Engagement rate",
        "price": f"Price in {team}",
    }
    sort = st.selectbox(
        "Sort by", list(sorts), index=list(sorts).index(current.sort), format_func=sorts.get
    )
    descending = st.toggle("Largest first", value=current.descending)
    applied = st.form_submit_button("Apply filters", type="primary")

if applied and wrong:
    st.sidebar.error(f"Filters not applied. {wrong.summary()}")
elif applied:
    try:
        chosen = CreatorFilter(
            countries=tuple(f_countries),
            states=tuple(f_states),
            min_followers=number_or_none(min_f),
            max_followers=number_or_none(max_f),
            min_avg_views=number_or_none(min_av),
            max_avg_views=number_or_none(max_av),
            min_median_views=number_or_none(min_mv),
            max_median_views=number_or_none(max_mv),
            min_er=None if min_er is None else min_er / 100,
            max_er=None if max_er is None else max_er / 100,
            min_price=money(min_p),
            max_price=money(max_p),
            currency=currency,
            languages=tuple(f_langs),
            labels=tuple(f_labels),
            audience_countries=tuple(f_aud),
            gender_skew=gender,
            age_band=age,
            tcm=tcm,
            authenticated=auth,
            eligible=elig,
            query=query.strip() or None,
            sort=sort,
            descending=descending,
        )
    except FilterError as exc:
        st.sidebar.error(plain(exc))
    else:
        st.query_params.from_dict(chosen.to_query())
        st.rerun()

if st.sidebar.button("Clear all filters", disabled=not current.active()):
    st.query_params.clear()
    st.rerun()

raw_page = str(params.get("page", "1")).strip()
page = int(raw_page) if raw_page.isdecimal() and raw_page.isascii() else 0
offset = max(0, page - 1) * PAGE_SIZE
result = search(store, current, limit=PAGE_SIZE, offset=offset, histograms=True)
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
    hint = suggest_relaxation(store, current)
    if hint is not None:
        field, label, count = hint
        if st.button(f"Clear the {label} filter ({numfmt.plural(count, 'creator')})"):
            st.query_params.from_dict(current.cleared(field).to_query())
            st.rerun()
    st.stop()

left, right = st.columns(2)
left.plotly_chart(charts.follower_histogram(*result.follower_hist), width="stretch")
right.plotly_chart(charts.engagement_histogram(*result.er_hist), width="stretch")

columns = headers(result.team_currency)
header = dict(columns)
table = pd.DataFrame(result.rows)
table["profile"] = "creator?handle=" + table["handle_name"]
table["engagement_rate"] = table["engagement_rate"] * 100
table["account_kind"] = table["account_kind"].map(lambda k: numfmt.label("account_kind", k))
shown = ["profile", *[c for c, _ in COLUMNS if c != "team_currency"]]
event = st.dataframe(
    table[shown],
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="multi-row",
    key=f"results_{k}_{page}",
    column_config={
        "profile": st.column_config.LinkColumn("Profile", display_text="open", width="small"),
        "handle_name": header["handle_name"],
        "display_name": header["display_name"],
        "country_code": header["country_code"],
        "followers_count": st.column_config.NumberColumn(
            header["followers_count"], format="localized"
        ),
        "avg_views": st.column_config.NumberColumn(header["avg_views"], format="localized"),
        "median_views": st.column_config.NumberColumn(header["median_views"], format="localized"),
        "engagement_rate": st.column_config.NumberColumn(header["engagement_rate"], format="%.2f"),
        "creator_price": st.column_config.NumberColumn(header["creator_price"], format="localized"),
        "currency": header["currency"],
        "team_price": st.column_config.NumberColumn(
            header["team_price"],
            format="localized",
            help="The creator's price at today's exchange rate; empty when TikTok gives no "
            "price or there is no rate for its currency (Admin › Exchange rates).",
        ),
        "account_kind": header["account_kind"],
        "eligibility": header["eligibility"],
    },
)
nav1, nav2, nav3 = st.columns([1, 2, 1])
if nav1.button("← Previous", disabled=page <= 1):
    st.query_params["page"] = str(page - 1)
    st.rerun()
nav2.caption(f"Page {page} of {numfmt.count(pages)} · {PAGE_SIZE} per page")
if nav3.button("Next →", disabled=page >= pages):
    st.query_params["page"] = str(page + 1)
    st.rerun()

selected = [result.rows[i] for i in event.selection.rows] if event and event.selection else []
st.divider()
st.subheader(f"Selection ({numfmt.plural(len(selected), 'creator')})" if selected else "Selection")
if not selected:
    st.caption("Tick rows in the table to shortlist them or see what they could deliver together.")
else:
    p = project(selected)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Combined followers", "unknown" if p.followers is None else numfmt.count(p.followers))
    m2.metric(
        "Expected views (sum of medians)",
        "unknown" if p.expected_views is None else numfmt.count(p.expected_views),
    )
    m3.metric(
        "Expected engagements",
        "unknown" if p.expected_engagements is None else numfmt.count(p.expected_engagements),
    )
    total, unconverted = pricing(store).total(p.cost_by_currency)
    m4.metric(
        f"Estimated cost ({team})",
        numfmt.money(total, team) if p.cost_by_currency else "unknown",
        help=" + ".join(numfmt.money(v, cur) for cur, v in p.cost_by_currency.items()) or None,
    )
    notes = [
        text
        for figure in ("followers", "median_views", "engagement_rate", "price")
        if (text := p.coverage(figure))
    ]
    if unconverted:
        notes.append(f"no exchange rate for {', '.join(unconverted)} (not in the cost)")
    if notes:
        st.caption("Not included: " + "; ".join(notes) + ".")
    if role_allows(me.role, "shortlist.write"):
        lists = Shortlists(store)
        existing = {s.name: s.id for s in lists.all(me)}
        with st.form("shortlist_add"):  # not cleared: a refused name stays as typed
            target = st.selectbox("Add to shortlist", ["New shortlist…", *existing])
            name_wrong = Problems()
            new_name = checked_text(st, "New shortlist name", name_wrong, limit=NAME_MAX)
            sent = st.form_submit_button("Add selected creators")
            if sent and name_wrong and target == "New shortlist…":
                st.error(f"Nothing added. {name_wrong.summary()}")
            elif sent:
                try:
                    sid = (
                        lists.create(me, new_name)
                        if target == "New shortlist…"
                        else existing[target]
                    )
                    outcome = lists.add(me, sid, [r["handle_name"] for r in selected])
                except ShortlistError as exc:
                    st.error(plain(exc))
                else:
                    if outcome.added:
                        st.success(f"Added {numfmt.plural(len(outcome.added), 'creator')}.")
                    if outcome.already:
                        st.info(f"Already on the list: {plain_list(outcome.already)}")
                    for handle, reason in outcome.refused.items():
                        st.warning(f"{plain(handle)}: {plain(reason)}")

st.divider()
if st.button("Prepare CSV of all matching creators"):
    rows = search(store, current, limit=EXPORT_LIMIT).rows
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
