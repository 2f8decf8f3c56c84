"""Admin: the exchange rates prices are compared with, and the team currency."""

from ttcm.web.context import page_context

ctx = page_context("rates.manage")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.services.exchange_rates import today
from ttcm.web.actions import attempt, confirm_done

me, rates = ctx.principal, ctx.services.rates
st.title("Exchange rates")
st.caption(
    "Discovery, shortlists and exports compare creators' prices in the team currency. A rate is "
    "how many units of a currency one US dollar buys, from its date until a newer rate. "
    "Shipped rates are approximate; set the ones your finance team uses."
)
confirm_done()

team = rates.team_currency(me)
in_force = rates.in_force(me)
with st.form("team_currency"):
    codes = [r["currency"] for r in in_force]
    chosen = st.selectbox("Team currency", codes, index=codes.index(team) if team in codes else 0)
    team_error = st.empty()
    if st.form_submit_button("Save team currency"):
        attempt(
            lambda: rates.set_team_currency(me, str(chosen)),
            f"Team currency is now {chosen}.",
            where=team_error,
        )

st.subheader(f"Rates in force today ({today().isoformat()})")
st.dataframe(
    pd.DataFrame(in_force),
    hide_index=True,
    width="stretch",
    column_config={
        "currency": "Currency",
        "per_usd": st.column_config.NumberColumn("Units per US dollar", format="localized"),
        "valid_from": st.column_config.DateColumn("Valid from"),
        "set_by": "Set by",
        "one_unit_in_team_currency": st.column_config.NumberColumn(
            f"1 unit in {team}", format="%.6g"
        ),
        "history": st.column_config.NumberColumn("Dated rates kept"),
    },
)

with st.form("set_rate"):
    st.subheader("Set a rate")
    currency = st.text_input("Currency (three letters, e.g. IDR)")
    currency_error = st.empty()
    per_usd = st.text_input("Units per US dollar (e.g. 16600 or 0.86)")
    per_usd_error = st.empty()
    valid_from = st.date_input("Valid from", value=today(), format="YYYY-MM-DD")
    valid_error = st.empty()
    if st.form_submit_button("Save rate", type="primary"):
        attempt(
            lambda: rates.set_rate(me, currency, per_usd, valid_from),
            lambda saved: (
                f"Saved: 1 USD = {numfmt.significant(saved.per_usd)} {saved.currency} "
                f"from {saved.valid_from.isoformat()}."
            ),
            slots={"currency": currency_error, "per_usd": per_usd_error},
            where=valid_error,
        )
