"""One way for a page to run a write: its error next to the field, or a confirmation after rerun.

A write reruns the page so every figure shows the new state; the confirmation survives that rerun
in the session and is shown once, where the person still is (same page, same selection).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import streamlit as st

from ttcm.errors import TTCMError, UpstreamError
from ttcm.web.fields import Problems
from ttcm.web.text import plain

T = TypeVar("T")
FLASH = "ttcm_flash"
UPSTREAM_NOTE = "TikTok did not accept the request; nothing more was sent."


def confirm_done() -> None:
    """Show, once, the confirmation of the write that caused this rerun."""
    if message := st.session_state.pop(FLASH, None):
        st.success(plain(message), icon=":material/check_circle:")


def attempt(
    do: Callable[[], T],
    done: str | Callable[[T], str],
    *,
    slots: Mapping[str, Any] | None = None,
    where: Any = None,
    then: Callable[[T], None] | None = None,
    rerun: bool = True,
    problems: Problems | None = None,
    refused: str = "Nothing was changed.",
) -> None:
    """Run `do`; on a TTCMError show it (under the field it names, if a slot is given) and stay.

    On success run `then` (e.g. select what was created), keep the confirmation `done` (plain
    text, shown literally) for the rerun, and rerun the page. With `rerun=False` (a write that
    ends the person's own session) the confirmation is shown at once instead. While the form's
    `problems` are not empty nothing runs: `refused` and the fields to fix are shown.
    """
    if problems:
        (where or st).error(f"{refused} {problems.summary()}")
        return
    try:
        result = do()
    except TTCMError as exc:
        slot = (slots or {}).get(getattr(exc, "field", None) or "", where or st)
        note = f"{UPSTREAM_NOTE} " if isinstance(exc, UpstreamError) else ""
        slot.error(plain(f"{note}{exc}"))
        return
    if then is not None:
        then(result)
    message = done(result) if callable(done) else done
    if not rerun:
        (where or st).success(plain(message), icon=":material/check_circle:")
        return
    st.session_state[FLASH] = message
    st.rerun()
