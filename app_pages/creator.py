"""Creator profile: facts, metrics (or why they are unavailable), audience, similar creators."""

from ttcm.web.session import page_principal

me = page_principal("read")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm import rules
from ttcm.charts import creator as charts
from ttcm.auth import role_allows
from ttcm.config import Settings
from ttcm.domain.format import plural
from ttcm.runtime import shared_store
from ttcm.services.openings import record_opened
from ttcm.services.profiles import ProfileError, profile, similar
from ttcm.services.shortlists import ShortlistError, Shortlists
from ttcm.web.fields import Problems, checked_text
from ttcm.web.text import plain, plain_line, plain_list
from ttcm.web.widgets import freshness_caption

store = shared_store(Settings.load())
HANDLE_MAX = int(rules.limits()["handle_max_chars"])
NAME_MAX = int(rules.input_limits()["shortlist_name_max_chars"])
handle = (st.query_params.get("handle") or "").strip().lstrip("@")
if not handle:
    st.title("Creator profile")
    st.info("Open a creator from Discovery or a shortlist, or type a handle.")
    typed_wrong = Problems()
    typed = checked_text(st, "Handle", typed_wrong, limit=HANDLE_MAX)
    if typed.strip() and not typed_wrong:
        st.query_params["handle"] = typed.strip().lstrip("@")
        st.rerun()
    st.stop()

try:
    p = profile(store, me, handle)
except ProfileError as exc:
    st.title("Creator profile")
    st.error(plain(exc))
    st.stop()
if st.session_state.get("_opened_profile") != handle:
    # queue the creator for the next refresh's detail fetch (discover may send few fields)
    record_opened(store, me, p.creator["handle_name"])
    st.session_state["_opened_profile"] = handle

c = p.creator
st.title(f"@{plain(c['handle_name'])}")
st.caption(
    plain_line(
        f"{c.get('display_name') or ''} · {c.get('country_code') or 'country unknown'}"
        f" · {p.kind_label}"
    )
)
freshness_caption(store, "creators")
if p.kind == "nonauth_nonttcm":
    st.error(
        "Unsupported account: not on TTCM and not authenticated, so TikTok shares no data for it. "
        "Invite the creator to TTCM, or ask them to authenticate their TikTok account."
    )
if p.kind != "nonauth_nonttcm" and role_allows(me.role, "shortlist.write"):
    lists = Shortlists(store)
    existing = {s.name: s.id for s in lists.all(me)}
    with st.form(f"shortlist_{handle}"):  # not cleared: a refused name stays as typed
        cols = st.columns([3, 3, 2])
        target = cols[0].selectbox("Shortlist", ["New shortlist…", *existing])
        name_wrong = Problems()
        new_name = checked_text(cols[1], "New shortlist name", name_wrong, limit=NAME_MAX)
        sent = cols[2].form_submit_button(f"Add @{plain(handle)} to shortlist")
        if sent and name_wrong and target == "New shortlist…":
            st.error(f"Nothing added. {name_wrong.summary()}")
        elif sent:
            try:
                sid = lists.create(me, new_name) if target == "New shortlist…" else existing[target]
                outcome = lists.add(me, sid, [handle])
            except ShortlistError as exc:
                st.error(plain(exc))
            else:
                if outcome.added:
                    where = target if target in existing else new_name.strip()
                    st.success(f"Added to {plain(where)}.")
                elif outcome.already:
                    st.info("Already on that shortlist.")
                for reason in outcome.refused.values():
                    st.warning(plain(reason))
if c.get("bio"):
    st.text(c["bio"])  # plain text: bios are creator-written
if p.labels:
    st.write("Labels: " + plain_list(p.labels))
if p.shortlists:
    st.caption("On shortlists: " + plain_list(p.shortlists))

st.subheader("Account metrics")
rows = []
for metric in p.metrics:
    if metric.key in ("handle_name", "profile_image"):
        continue
    value = metric.value
    if metric.available:
        if metric.key == "engagement_rate":
            value = numfmt.percent(value)
        elif metric.key == "followers_growth":
            value = f"{numfmt.percent(value, 1, signed=True)} since first snapshot"
        elif isinstance(value, int):
            value = numfmt.count(value)
        elif isinstance(value, list):
            value = ", ".join(f"{k} {numfmt.percent(s, 0)}" for k, s in value[:3])
        elif isinstance(value, float):
            audience = metric.key.startswith("audience")
            value = numfmt.percent(value, 0) if audience else numfmt.decimal(value)
    rows.append(
        {
            "Metric": metric.label,
            "Value": str(value) if metric.available else "unavailable",
            "Why unavailable": metric.reason or "",
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

if len(p.growth) >= 2:
    st.plotly_chart(charts.follower_growth(*zip(*p.growth, strict=True)), width="stretch")
else:
    st.caption("Follower growth appears after two daily refreshes.")

if p.audience:
    st.subheader("Audience")
    cols = st.columns(min(3, len(p.audience)))
    titles = {
        "country": "Countries",
        "gender": "Gender",
        "age": "Age",
        "device": "Devices",
        "locale": "Locales",
    }
    for i, (dim, shares) in enumerate(p.audience.items()):
        cols[i % len(cols)].plotly_chart(
            charts.audience_shares(titles.get(dim, dim), shares[:10], titles.get(dim, dim)),
            width="stretch",
        )

if not c.get("is_tcm_creator"):
    st.subheader("TTCM eligibility")
    e = p.eligibility
    if e.failures:
        for failure in e.failures:
            st.warning(plain(failure.message))
    elif e.eligible:
        st.success("Meets every TTCM rule we can check.")
    if e.unknown:
        st.caption("Could not be checked (not shared for this account): " + plain_list(e.unknown))
    if p.invitation:
        st.info(
            f"Invitation: {plain(p.invitation['state'].lower())}"
            + (f" — {plain(p.invitation['reason'])}" if p.invitation.get("reason") else "")
        )

if p.posts:
    st.subheader("Recent videos")
    recent = pd.DataFrame(p.posts)
    recent["tracking"] = recent["tracking"].map(lambda t: numfmt.label("tracking", t))
    st.dataframe(recent.rename(columns=numfmt.header), hide_index=True, width="stretch")

st.subheader("Similar creators")
matches = similar(store, me, handle)
if not matches:
    st.caption("No similar creator in the cache.")
else:
    table = pd.DataFrame(
        [
            {
                "profile": f"creator?handle={s.handle_name}",
                "handle": s.handle_name,
                "why": "; ".join(s.reasons),
                "score": round(s.score, 2),
            }
            for s in matches
        ]
    )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        column_config={"profile": st.column_config.LinkColumn("Profile", display_text="open")},
        key=f"similar_{handle}",
    )
    picked = (
        [matches[i].handle_name for i in event.selection.rows] if event and event.selection else []
    )
    if role_allows(me.role, "shortlist.write") and picked:
        lists = Shortlists(store)
        existing = {s.name: s.id for s in lists.all(me)}
        if existing:
            target = st.selectbox("Shortlist", list(existing))
            if st.button(f"Shortlist {plural(len(picked), 'similar creator')}"):
                try:
                    outcome = lists.add(me, existing[target], picked)
                    st.success(f"Added {plural(len(outcome.added), 'creator')}.")
                    for h, reason in outcome.refused.items():
                        st.warning(f"{plain(h)}: {plain(reason)}")
                except ShortlistError as exc:
                    st.error(plain(exc))
        else:
            st.caption("Create a shortlist on the Shortlists page first.")
