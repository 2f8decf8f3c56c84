"""Form fields that never change what was typed: the value is checked and refused next to the field.

Streamlit's own limits change input silently: a number_input with min/max shows an out-of-range
value in red and keeps the previous value, and `max_chars` cuts a paste (or drops it). These
fields take any value, show what is wrong under the field, and return the problem so the page
can refuse the action (its button disabled) while any field is wrong.
"""

from __future__ import annotations

import math
from typing import Any

from ttcm.domain import format as numfmt
from ttcm.services.campaigns.settings import text_problem


class Problems:
    """The problems of one form, by label; empty when the form can be sent."""

    def __init__(self) -> None:
        self.by_label: dict[str, str] = {}

    def add(self, label: str, problem: str | None) -> None:
        """Record (and nothing else) a field's problem."""
        if problem:
            self.by_label[label] = problem

    def __bool__(self) -> bool:
        return bool(self.by_label)

    def summary(self) -> str:
        """One line naming the fields to fix (for the caption next to a disabled button)."""
        return "Fix first: " + ", ".join(self.by_label) + "."


def number_problem(
    value: Any, lo: float | None, hi: float | None, *, whole: bool, lo_open: bool = False
) -> str | None:
    """What is wrong with a number against its bounds (None when it is fine or empty)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "must be a number"
    if whole and float(value) != int(value):
        return "a whole number"
    below = value <= lo if lo_open and lo is not None else lo is not None and value < lo
    if below or (hi is not None and value > hi):
        low = "more than" if lo_open else "from"
        span = (
            f"{low} {numfmt.exact(lo)} to {numfmt.exact(hi)}"
            if lo is not None and hi is not None
            else f"{low} {numfmt.exact(lo or 0)}"
        )
        return f"{'a whole number' if whole else 'a number'} {span} ({numfmt.exact(value)} now)"
    return None


def checked_number(
    where: Any,
    label: str,
    problems: Problems,
    *,
    lo: float | None,
    hi: float | None,
    whole: bool,
    lo_open: bool = False,
    **widget: Any,
) -> Any:
    """A number_input without Streamlit's clamping; an out-of-range value is named under it."""
    value = where.number_input(label, **widget)  # no min_value/max_value: see the module doc
    problem = number_problem(value, lo, hi, whole=whole, lo_open=lo_open)
    if problem:
        where.error(f"{label}: {problem}")
    problems.add(label, problem)
    return value


def checked_text(
    where: Any,
    label: str,
    problems: Problems,
    *,
    limit: int,
    multiline: bool = False,
    area: bool = False,
    **widget: Any,
) -> str:
    """A text field without `max_chars` (which truncates): the count, the limit, the problem.

    A required field left empty is the service's to name when the form is sent.
    """
    make = where.text_area if area else where.text_input
    value = make(label, **widget) or ""
    length = len(value.strip())
    problem = text_problem(value, limit, required=False, multiline=multiline)
    if problem:
        where.error(f"{label}: {problem}")
    elif not area or length >= limit * 0.8:  # a long text's count only when it matters
        where.caption(f"{numfmt.count(length)} of {numfmt.count(limit)} characters")
    problems.add(label, problem)
    return value


def checked_secret(where: Any, label: str, problems: Problems, *, limit: int, **widget: Any) -> str:
    """A password field without `max_chars`: only its length is checked, never its characters."""
    value = where.text_input(label, type="password", **widget) or ""
    problem = (
        f"at most {numfmt.count(limit)} characters ({numfmt.count(len(value))} now)"
        if len(value) > limit
        else None
    )
    if problem:
        where.error(f"{label}: {problem}")
    problems.add(label, problem)
    return value
