"""ttcm: the Streamlit entry point — page config, sign-in gate, navigation by role."""

import streamlit as st

from ttcm.auth import role_allows
from ttcm.config import Settings
from ttcm.web import session

st.set_page_config(
    page_title="ttcm · TikTok creator campaigns", page_icon=":material/campaign:", layout="wide"
)

settings = Settings.load()
principal = session.current_principal(settings)

if principal is None:
    # only the sign-in page exists for an anonymous session: any other URL falls back to it
    st.navigation(
        [st.Page(lambda: session.sign_in_page(settings), title="Sign in", url_path="signin")],
        position="hidden",
    ).run()
    st.stop()

sections: dict[str, list] = {
    "": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/discovery.py", title="Discovery", icon=":material/search:"),
        st.Page("pages/shortlists.py", title="Shortlists", icon=":material/list_alt:"),
        st.Page(
            "pages/creator.py",
            title="Creator profile",
            icon=":material/person:",
            url_path="creator",
        ),
        st.Page("pages/invitations.py", title="Invitations", icon=":material/mail:"),
        st.Page("pages/campaigns.py", title="Campaigns", icon=":material/campaign:"),
    ],
}
admin = [
    page
    for action, page in (
        ("refresh", st.Page("pages/admin_refresh.py", title="Refresh", icon=":material/sync:")),
        ("users.manage", st.Page("pages/admin_users.py", title="Users", icon=":material/group:")),
        (
            "audit.read",
            st.Page("pages/admin_audit.py", title="Audit log", icon=":material/history:"),
        ),
    )
    if role_allows(principal.role, action)
]
if admin:
    sections["Admin"] = admin

with st.sidebar:
    session.flush_cookie()
    st.write(f"Signed in as **{principal.name}** · {principal.role}")
    if st.button("Sign out", key="sign_out"):
        session.sign_out(settings)
        st.rerun()

st.navigation(sections).run()
