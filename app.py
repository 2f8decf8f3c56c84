"""ttcm: the Streamlit entry point — page config, sign-in gate, navigation by role."""

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import streamlit as st

from ttcm.auth import role_allows
from ttcm.config import Settings
from ttcm.web import session
from ttcm.web.text import plain


@dataclass(frozen=True)
class PageSpec:
    """One page: its script, title, icon, the action its role needs, and its section."""

    script: str
    title: str
    icon: str
    action: str = "read"
    section: str = ""


HERE = Path(__file__).resolve().parent  # pages/ beside this file, wherever it is run from

PAGES = (
    PageSpec("pages/home.py", "Home", ":material/home:"),
    PageSpec("pages/discovery.py", "Discovery", ":material/search:"),
    PageSpec("pages/shortlists.py", "Shortlists", ":material/list_alt:"),
    PageSpec("pages/creator.py", "Creator profile", ":material/person:"),
    PageSpec("pages/invitations.py", "Invitations", ":material/mail:"),
    PageSpec("pages/campaigns.py", "Campaigns", ":material/campaign:"),
    PageSpec("pages/posts.py", "Posts & performance", ":material/insights:"),
    PageSpec("pages/admin_refresh.py", "Refresh", ":material/sync:", "refresh", "Admin"),
    PageSpec(
        "pages/admin_doctor.py", "API check", ":material/stethoscope:", "credentials", "Admin"
    ),
    PageSpec("pages/admin_users.py", "Users", ":material/group:", "users.manage", "Admin"),
    PageSpec("pages/admin_audit.py", "Audit log", ":material/history:", "audit.read", "Admin"),
    PageSpec(
        "pages/admin_sandbox.py", "Sandbox clock", ":material/schedule:", "sandbox.clock", "Admin"
    ),
    PageSpec(
        "pages/admin_rates.py",
        "Exchange rates",
        ":material/currency_exchange:",
        "rates.manage",
        "Admin",
    ),
)

st.set_page_config(
    page_title="ttcm · TikTok creator campaigns", page_icon=":material/campaign:", layout="wide"
)

settings = Settings.load()
principal = session.current_principal(settings)

if principal is None:
    # one sign-in page for an anonymous session; every page's own first line
    # (`page_principal`) also shows only the sign-in form if a URL runs it directly
    st.navigation(
        [st.Page(partial(session.sign_in_page, settings), title="Sign in", url_path="signin")],
        position="hidden",
    ).run()
    st.stop()

sections: dict[str, list] = {}
for i, spec in enumerate(PAGES):
    if (HERE / spec.script).is_file() and role_allows(principal.role, spec.action):
        page = st.Page(spec.script, title=spec.title, icon=spec.icon, default=i == 0)
        sections.setdefault(spec.section, []).append(page)

with st.sidebar:
    session.flush_cookie()
    st.write(f"Signed in as **{plain(principal.name)}** · {plain(principal.role)}")
    if st.button("Sign out", key="sign_out"):
        session.sign_out(settings)
        st.rerun()

st.navigation(sections).run()
