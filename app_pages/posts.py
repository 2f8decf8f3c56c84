"""Posts & performance: a campaign's overview (KPIs, pacing, costs, charts, export), its published
posts with every metric TikTok provides for them, and the Spark Ads tab. Everyone signed in can
read; managers add posts by hand and request Spark Ads authorizations.
"""

from ttcm.web.context import page_context

ctx = page_context("read")  # before anything else runs

import streamlit as st

from ttcm.services.posts import campaign_choices
from ttcm.web.labels import unique_labels
from ttcm.web.clock import page_now
from ttcm.web.posts_overview import overview
from ttcm.web.posts_published import published_posts
from ttcm.web.spark_tab import spark_ads
from ttcm.web.widgets import freshness_caption

NOW = page_now(ctx.settings)

st.title("Posts & performance")
freshness_caption(ctx.store, "posts", "spark")

choices = {str(c["id"]): c for c in campaign_choices(ctx.store, ctx.principal)}
if not choices:
    st.info("No campaigns yet: create one on the Campaigns page.")
    st.stop()
labels = unique_labels(
    (k, f"{c['campaign_name']} · {c['brand_name'] or '—'}") for k, c in choices.items()
)
wanted = st.query_params.get("campaign")
keys = list(choices)
if wanted is not None and wanted not in keys:
    st.warning("The campaign in this link does not exist (or is archived); showing the newest.")
chosen = st.selectbox(
    "Campaign",
    keys,
    index=keys.index(wanted) if wanted in keys else 0,
    format_func=labels.__getitem__,
)
st.query_params["campaign"] = chosen

# bound to the URL, so only the open tab runs (and a link can open the Spark Ads tab)
overview_tab, posts_tab, spark_tab = st.tabs(
    ["Overview", "Published posts", "Spark Ads"], key="view", bind="query-params"
)
if overview_tab.open is not False:
    with overview_tab:
        overview(ctx, int(chosen), NOW)
if posts_tab.open is not False:
    with posts_tab:
        published_posts(ctx, int(chosen))
if spark_tab.open is not False:
    with spark_tab:
        spark_ads(ctx, int(chosen), choices[chosen]["spark_days_default"] or 30)
