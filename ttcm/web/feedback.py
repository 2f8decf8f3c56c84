"""The one way a page tells a person what went wrong: every TTCMError, shown as plain text.

Input errors name each field by its label; a busy write or a missing role is a warning; TikTok's
surprises say that TikTok did not answer as expected. Text from services, TikTok or people goes
through `ttcm.web.text.plain`, so it is never read as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from ttcm.errors import Busy, Forbidden, InputError, TTCMError, UpstreamError
from ttcm.web.text import plain


def field_problems(exc: InputError) -> dict[str, str]:
    """Field -> problem of an input error (`errors` of a form, `field` of a one-field error)."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, Mapping) and errors:
        return {str(k): str(v) for k, v in errors.items()}
    name = getattr(exc, "field", None)
    return {str(name): str(exc)} if name else {"": str(exc)}


def show_error(exc: TTCMError, label_of: Callable[[str], str] | None = None) -> None:
    """Show `exc` where the page is: one message per wrong field, or one for the whole error."""
    if isinstance(exc, InputError):
        for name, problem in field_problems(exc).items():
            label = (label_of(name) if label_of else name.replace("_", " ").capitalize()) or ""
            st.error(f"{plain(label)}: {plain(problem)}" if label else plain(problem))
    elif isinstance(exc, Busy | Forbidden):
        st.warning(plain(exc))
    elif isinstance(exc, UpstreamError):
        st.error(f"TikTok did not answer as expected: {plain(exc)}")
    else:
        st.error(plain(exc))
