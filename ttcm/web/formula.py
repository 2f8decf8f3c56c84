"""The "ⓘ how is this computed" expander: a view's derived numbers as their filled formulas."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ttcm.domain.formula import HOW
from ttcm.web.text import plain


def how_computed(lines: Sequence[str]) -> None:
    """One expander listing each formula filled with this view's inputs (text shown literally)."""
    if not lines:
        return
    with st.expander(HOW):
        for line in lines:
            st.markdown(plain(line))
