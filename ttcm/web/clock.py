"""The page's "now": the sandbox's clock when the API is a sandbox, with a warning if it fails."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from ttcm.config import Settings
from ttcm.services.demo_time import ClockError, app_now
from ttcm.web.text import plain as md


def page_now(settings: Settings) -> datetime:
    """The app's "now" (see demo_time); real UTC, said on the page, when the clock can't be read."""
    try:
        return app_now(settings)
    except ClockError as exc:
        st.warning(md(f"{exc} Days left and pacing use the real UTC time instead."))
        return datetime.now(UTC)
