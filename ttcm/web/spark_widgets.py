"""The Spark Ads board's table: one row per code, in words, for st.dataframe."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ttcm.services.spark import code_label
from ttcm.services.spark_board import BoardCode

HEADERS = (
    "Post",
    "Video id",
    "Creator",
    "Campaign",
    "Code",
    "Status",
    "Starts (UTC)",
    "Ends (UTC)",
    "Days left",
)


def code_choice(code: BoardCode) -> str:
    """A code as an option of the "extend" picker (shown as plain text by Streamlit)."""
    ends = f"{code.auth_code_end_time:%Y-%m-%d}" if code.auth_code_end_time else "no end date"
    return f"{code.video_id} · @{code.handle_name or '?'} · ends {ends}"


def board_frame(codes: Sequence[BoardCode]) -> pd.DataFrame:
    """The codes as a table (cells are plain text in st.dataframe)."""
    return pd.DataFrame(
        [
            (
                c.caption or "",
                c.video_id,
                f"@{c.handle_name}" if c.handle_name else "",
                c.campaign_name or "",
                c.auth_code,
                code_label(c.auth_code_status),
                c.auth_code_start_time,
                c.auth_code_end_time,
                c.days_left,
            )
            for c in codes
        ],
        columns=list(HEADERS),
    ).astype({"Days left": "Int64"})
