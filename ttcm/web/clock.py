"""The page's "now": the sandbox's clock when the API is a sandbox, with a warning if it fails."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ttcm.config import Settings
from ttcm.services.demo_time import app_now_or_utc
from ttcm.web.text import plain as md


def page_now(settings: Settings) -> datetime:
    """The app's "now"; real UTC, said on the page, when the clock can't be read."""
    now, failed = app_now_or_utc(settings)
    if failed is not None:
        st.warning(md(f"{failed} Days left and pacing use the real UTC time instead."))
    return now
