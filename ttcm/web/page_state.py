"""What keeps a page where the person was across reruns: messages, fresh widgets, confirmations.

A message (`flash`) is shown after the rerun an action causes, in the part of the page it belongs
to; a widget renewed with `renew` starts empty; `confirm` asks before a destructive action.
"""

from __future__ import annotations

import streamlit as st

FLASH = "page_flash"


def flash(kind: str, text: str, where: str) -> None:
    """A message (`success`, `info`, `warning`, `error`) shown in `where` after the next rerun.

    `text` is Markdown: pass values from data through `ttcm.web.text.plain`.
    """
    st.session_state.setdefault(FLASH, []).append((kind, text, where))


def show_flash(where: str) -> None:
    """Show and forget the messages of the previous run that belong to `where`."""
    waiting = st.session_state.get(FLASH, [])
    st.session_state[FLASH] = [m for m in waiting if m[2] != where]
    for kind, text, _ in [m for m in waiting if m[2] == where]:
        getattr(st, kind)(text)


def forget_widgets(prefix: str) -> None:
    """Reset the widgets whose keys start with `prefix` to their defaults on the next run."""
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def fresh_key(name: str) -> str:
    """A widget key that changes after `renew(name)`, so the widget starts empty."""
    return f"{name}_{st.session_state.get(name + '_n', 0)}"


def renew(name: str) -> None:
    """Empty the widget of `fresh_key(name)` on the next run."""
    st.session_state[name + "_n"] = st.session_state.get(name + "_n", 0) + 1


def confirm(key: str, question: str, yes: str) -> bool:
    """A two-step confirmation: True once the person clicked `yes` after `question`.

    Set `st.session_state[key] = True` when the first button is clicked.
    """
    if not st.session_state.get(key):
        return False
    st.warning(question)
    c1, c2 = st.columns(2)
    if c1.button(yes, type="primary", key=f"{key}_yes"):
        st.session_state[key] = False
        return True
    if c2.button("Cancel", key=f"{key}_no"):
        st.session_state[key] = False
        st.rerun()
    return False
