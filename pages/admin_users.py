"""Admin: the people who may sign in, and their roles."""

from ttcm.web.session import page_principal

me = page_principal("users.manage")  # before anything else runs


import streamlit as st

from ttcm.auth import AuthError, Users, roles
from ttcm.config import Settings
from ttcm.runtime import shared_store

KEEP_ROLE = "(keep the current role)"

users = Users(shared_store(Settings.load()))

st.title("Users")
people = users.list(me)
st.dataframe(
    [
        {
            "User name": u["username"],
            "Full name": u["name"],
            "Role": u["role"],
            "Failed sign-ins": u["failed_attempts"],
            "Added": u["created_at"],
        }
        for u in people
    ],
    hide_index=True,
    width="stretch",
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
    current_roles = {u["username"]: u["role"] for u in people}
    target = st.selectbox("User", list(current_roles))
    new_role = st.selectbox("New role", [KEEP_ROLE, *roles()], index=0)
    new_password = st.text_input("New password (optional)", type="password", max_chars=200)
    remove = st.checkbox("Remove this user")
    if st.form_submit_button("Apply"):
        try:
            if remove:
                users.remove(me, target)
                st.success(f"Removed {target}.")
            else:
                changed = users.change(
                    me,
                    target,
                    role=None if new_role == KEEP_ROLE else new_role,
                    password=new_password or None,
                )
                if not changed:
                    st.info(f"Nothing changed for {target}: choose a new role or a password.")
                else:
                    what = " and ".join(
                        f"role is now {new_role}" if c == "role" else "password was reset"
                        for c in changed
                    )
                    st.success(f"{target}: {what}; their open sessions have ended.")
        except AuthError as exc:
            st.error(str(exc))
