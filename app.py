"""ttcm: the Streamlit entry point — page config and navigation over pages/."""

import streamlit as st

st.set_page_config(page_title="ttcm · TikTok creator campaigns", page_icon="🎯", layout="wide")

pages = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
]
st.navigation(pages).run()
