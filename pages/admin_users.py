"""Admin: the people who may sign in, and their roles."""

from ttcm.web.session import page_principal

me = page_principal("users.manage")  # before anything else runs


import pandas as pd
import streamlit as st

from ttcm.auth import AuthError, Users, roles
from ttcm.config import Settings
from ttcm.domain import format as numfmt
from ttcm.runtime import shared_store

users = Users(shared_store(Settings.load()))

st.title("Users")
st.dataframe(
    pd.DataFrame(users.list(me)).rename(columns=numfmt.header), hide_index=True, width="stretch"
)

add, change = st.columns(2)
with add, st.form("add_user", clear_on_submit=True):
    st.subheader("Add a user")
    username = st.text_input("User name", max_chars=32)
    name = st.text_input("Full name", max_chars=200)
    role = st.selectbox("Role", roles())
    password = st.text_input("Initial password (12+ characters)", type="password", max_chars=200)
    if st.form_submit_button("Add user"):
        try:
            users.add(me, username, password, role=role, name=name)
            st.success(f"Added {username.strip().lower()} as {role}.")
        except AuthError as exc:
            st.error(str(exc))
with change, st.form("change_user"):
    st.subheader("Change a user")
    names = [u["username"] for u in users.list(me)]
    target = st.selectbox("User", names)
    new_role = st.selectbox("New role", roles(), index=0)
    new_password = st.text_input("New password (optional)", type="password", max_chars=200)
    remove = st.checkbox("Remove this user")
    if st.form_submit_button("Apply"):
        try:
            if remove:
                users.remove(me, target)
                st.success(f"Removed {target}.")
            else:
                users.set_role(me, target, new_role)
                if new_password:
                    users.reset_password(me, target, new_password)
                st.success(f"Updated {target}; their open sessions have ended.")
        except AuthError as exc:
            st.error(str(exc))
