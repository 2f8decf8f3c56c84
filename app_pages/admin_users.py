"""Admin: the people who may sign in, and their roles."""

from ttcm.web.context import page_context

ctx = page_context("users.manage")  # before anything else runs

import streamlit as st

from ttcm import rules
from ttcm.auth import roles
from ttcm.domain import format as numfmt
from ttcm.web.actions import attempt, confirm_done
from ttcm.web.fields import Problems, checked_secret, checked_text

KEEP_ROLE = "(keep the current role)"

me, users = ctx.principal, ctx.services.users
LIMITS = {k: int(v) for k, v in rules.input_limits().items() if not k.startswith("_")}
PASSWORD_MAX = int(rules.load("roles")["password_max_length"])

st.title("Users")
confirm_done()
people = users.list(me)
st.dataframe(
    [
        {
            "User name": u["username"],
            "Full name": u["name"],
            "Role": numfmt.label("role", u["role"]),
            "Failed sign-ins": numfmt.count(u["failed_attempts"]),
            "Added (UTC)": numfmt.timestamp(u["created_at"]),
        }
        for u in people
    ],
    hide_index=True,
    width="stretch",
)

add, change = st.columns(2)
with add, st.form("add_user"):  # not cleared: refused values stay as typed
    st.subheader("Add a user")
    add_wrong = Problems()
    username = checked_text(st, "User name", add_wrong, limit=LIMITS["username_max_chars"])
    name = checked_text(st, "Full name", add_wrong, limit=LIMITS["full_name_max_chars"])
    role = st.selectbox("Role", roles())
    password = checked_secret(
        st, "Initial password (12+ characters)", add_wrong, limit=PASSWORD_MAX
    )
    if st.form_submit_button("Add user"):
        attempt(
            lambda: users.add(me, username, password, role=role, name=name),
            f"Added {username.strip().lower()} as {role}.",
            problems=add_wrong,
            refused="Not added.",
        )
with change, st.form("change_user"):
    st.subheader("Change a user")
    current_roles = {u["username"]: u["role"] for u in people}
    target = st.selectbox("User", list(current_roles))
    new_role = st.selectbox("New role", [KEEP_ROLE, *roles()], index=0)
    change_wrong = Problems()
    new_password = checked_secret(st, "New password (optional)", change_wrong, limit=PASSWORD_MAX)
    remove = st.checkbox("Remove this user")
    applied = st.form_submit_button("Apply")
    if applied and change_wrong:
        st.error(f"Nothing changed. {change_wrong.summary()}")
    elif applied and remove:
        attempt(lambda: users.remove(me, target), f"Removed {target}.")
    elif applied and new_role == KEEP_ROLE and not new_password:
        st.info(f"Nothing changed for {target}: choose a new role or a password.")
    elif applied:
        attempt(
            lambda: users.change(
                me,
                target,
                role=None if new_role == KEEP_ROLE else new_role,
                password=new_password or None,
            ),
            lambda changed: (
                f"{target}: "
                + " and ".join(
                    f"role is now {new_role}" if c == "role" else "password was reset"
                    for c in changed
                )
                + "; their open sessions have ended."
                if changed
                else f"Nothing changed for {target}: it already has that role."
            ),
            rerun=target != me.username,  # a change to oneself ends one's own session
        )
