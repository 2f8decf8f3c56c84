"""ttcm: the Streamlit entry point — page config, sign-in gate, navigation by role."""

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import streamlit as st

from ttcm.config import Settings
from ttcm.web import alert_widgets, session
from ttcm.web.context import app_context


@dataclass(frozen=True)
class PageSpec:
    """One page: its script, title, icon, the action its role needs, and its section."""

    script: str
    title: str
    icon: str
    action: str = "read"
    section: str = ""


HERE = Path(__file__).resolve().parent  # app_pages/ beside this file, wherever it is run from

PAGES = (
    PageSpec("app_pages/home.py", "Home", ":material/home:"),
    PageSpec("app_pages/discovery.py", "Discovery", ":material/search:"),
    PageSpec("app_pages/shortlists.py", "Shortlists", ":material/list_alt:"),
    PageSpec("app_pages/creator.py", "Creator profile", ":material/person:"),
    PageSpec("app_pages/invitations.py", "Invitations", ":material/mail:"),
    PageSpec("app_pages/campaigns.py", "Campaigns", ":material/campaign:"),
    PageSpec("app_pages/posts.py", "Posts & performance", ":material/insights:"),
    PageSpec("app_pages/spark_board.py", "Spark Ads board", ":material/bolt:"),
    PageSpec("app_pages/inbox.py", "Inbox", ":material/notifications:"),
    PageSpec("app_pages/admin_refresh.py", "Refresh", ":material/sync:", "refresh", "Admin"),
    PageSpec(
        "app_pages/admin_doctor.py", "API check", ":material/stethoscope:", "credentials", "Admin"
    ),
    PageSpec("app_pages/admin_users.py", "Users", ":material/group:", "users.manage", "Admin"),
    PageSpec("app_pages/admin_audit.py", "Audit log", ":material/history:", "audit.read", "Admin"),
    PageSpec(
        "app_pages/admin_sandbox.py",
        "Sandbox clock",
        ":material/schedule:",
        "sandbox.clock",
        "Admin",
    ),
    PageSpec(
        "app_pages/admin_rates.py",
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


def url_path(spec: PageSpec) -> str:
    """The page's address, the same signed in or out, so a shared link survives sign-in."""
    return Path(spec.script).stem


PRESENT = [spec for spec in PAGES if (HERE / spec.script).is_file()]

if principal is None:
    # every page's address shows only the sign-in form (no "Page not found" for a shared
    # link); signing in reruns the same address, now with the real page and its query string
    sign_in = partial(session.sign_in_page, settings)
    st.navigation(
        [
            st.Page(sign_in, title=spec.title, url_path=url_path(spec), default=i == 0)
            for i, spec in enumerate(PRESENT)
        ],
        position="hidden",
    ).run()
    st.stop()

ctx = app_context(principal, settings)  # the one PageContext the page of this run reuses
sections: dict[str, list[st.Page]] = {}
for i, spec in enumerate(PRESENT):
    if ctx.can(spec.action):
        page = st.Page(
            spec.script, title=spec.title, icon=spec.icon, url_path=url_path(spec), default=i == 0
        )
    else:
        # reachable by its address, hidden from the menu, and says which role it needs
        refuse = partial(session.role_needed_page, principal, spec.title, spec.action)
        page = st.Page(refuse, title=spec.title, url_path=url_path(spec), visibility="hidden")
    sections.setdefault(spec.section, []).append(page)

with st.sidebar:
    st.text(f"Signed in as {ctx.principal.name} · {ctx.principal.role}")
    alert_widgets.unread_line(ctx.principal, ctx.settings)
    if st.button("Sign out", key="sign_out"):
        session.sign_out(settings)
        st.rerun()
    session.flush_cookie()

st.navigation(sections, expanded=True).run()  # every page listed, no "View more"
