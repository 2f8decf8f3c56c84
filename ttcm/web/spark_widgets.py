"""The Spark Ads board's table: one row per code, in words, for st.dataframe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from ttcm.services.spark import code_label
from ttcm.services.spark_board import BoardCode

HEADERS = (
    "Video id",
    "Creator",
    "Campaign",
    "Status",
    "Ends (UTC)",
    "Days left",
    "Starts (UTC)",
    "Code",
    "Post",
)


def when(value: datetime | None) -> str:
    """A UTC time to the minute ("" when unknown)."""
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def code_choice(code: BoardCode) -> str:
    """A code as an option of the "extend" picker (shown as plain text by Streamlit)."""
    ends = when(code.auth_code_end_time) or "no end date"
    return f"{code.video_id} · @{code.handle_name or '?'} · ends {ends}"


def board_frame(codes: Sequence[BoardCode]) -> pd.DataFrame:
    """The codes as a table (cells are plain text in st.dataframe)."""
    return pd.DataFrame(
        [
            (
                c.video_id,
                f"@{c.handle_name}" if c.handle_name else "",
                c.campaign_name or "",
                code_label(c.auth_code_status),
                when(c.auth_code_end_time),
                c.days_left,
                when(c.auth_code_start_time),
                c.auth_code,
                c.caption or "",
            )
            for c in codes
        ],
        columns=list(HEADERS),
    ).astype({"Days left": "Int64"})
