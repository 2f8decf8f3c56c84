"""Admin: every write, who made it, when, and the TikTok request id."""

from ttcm.web.session import page_principal

me = page_principal("audit.read")  # before anything else runs


import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm.config import Settings
from ttcm.runtime import shared_store
from ttcm.services.audit import entries

st.title("Audit log")
action = st.text_input("Only this action (e.g. order.create)", max_chars=64).strip() or None
rows = entries(shared_store(Settings.load()), me, action=action)
st.caption(f"{numfmt.count(len(rows))} newest entries")
st.dataframe(pd.DataFrame(rows).rename(columns=numfmt.header), hide_index=True, width="stretch")
