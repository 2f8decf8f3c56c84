"""Admin: every write, who made it, when, and the TikTok request id."""

from ttcm.web.session import page_principal

me = page_principal("audit.read")  # before anything else runs


import pandas as pd
import streamlit as st

from ttcm.domain import format as numfmt
from ttcm import rules
from ttcm.config import Settings
from ttcm.runtime import shared_store
from ttcm.services.audit import entries
from ttcm.web.fields import Problems, checked_text

st.title("Audit log")
wrong = Problems()
typed = checked_text(
    st,
    "Only this action (e.g. order.create)",
    wrong,
    limit=int(rules.input_limits()["audit_action_max_chars"]),
)
if wrong:
    st.stop()  # a filter that cannot be used shows nothing rather than everything
rows = entries(shared_store(Settings.load()), me, action=typed.strip() or None)
st.caption(f"{numfmt.count(len(rows))} newest entries")
st.dataframe(pd.DataFrame(rows).rename(columns=numfmt.header), hide_index=True, width="stretch")
