"""A table of plain columns as every page shows it: no index, full width, typed columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st


def show_table(columns: Mapping[str, Any], column_config: Mapping[str, Any] | None = None) -> None:
    """Columns (name -> values) as one full-width table without the index."""
    st.dataframe(
        pd.DataFrame(dict(columns)),
        hide_index=True,
        width="stretch",
        column_config=dict(column_config or {}),
    )
