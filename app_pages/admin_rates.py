"""Admin: the exchange rates prices are compared with, and the team currency."""

from ttcm.web.session import page_principal

me = page_principal("rates.manage")  # before anything else runs

import pandas as pd
import streamlit as st

from ttcm.config import Settings
from ttcm.runtime import shared_store
from ttcm.services.exchange_rates import ExchangeRates, RateError, today

rates = ExchangeRates(shared_store(Settings.load()))
st.title("Exchange rates")
st.caption(
    "Discovery, shortlists and exports compare creators' prices in the team currency. A rate is "
    "how many units of a currency one US dollar buys, from its date until a newer rate. "
    "Shipped rates are approximate; set the ones your finance team uses."
)
if flash := st.session_state.pop("rates_flash", None):
    st.success(flash)

team = rates.team_currency(me)
in_force = rates.in_force(me)
with st.form("team_currency"):
    codes = [r["currency"] for r in in_force]
    chosen = st.selectbox("Team currency", codes, index=codes.index(team) if team in codes else 0)
    team_error = st.empty()
    if st.form_submit_button("Save team currency"):
        try:
            rates.set_team_currency(me, str(chosen))
        except RateError as exc:
            team_error.error(str(exc))
        else:
            st.session_state["rates_flash"] = f"Team currency is now {chosen}."
            st.rerun()

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
        try:
            saved = rates.set_rate(me, currency, per_usd, valid_from)
        except RateError as exc:
            target = {"currency": currency_error, "per_usd": per_usd_error}.get(
                exc.field, valid_error
            )
            target.error(str(exc))
        else:
            st.session_state["rates_flash"] = (
                f"Saved: 1 USD = {saved.per_usd:,.6g} {saved.currency} "
                f"from {saved.valid_from.isoformat()}."
            )
            st.rerun()
