"""The per-process memo the overview uses: once per content, never a stale value, bounded."""

from __future__ import annotations

import pandas as pd
import pytest

from ttcm.web import memo as memo_module
from ttcm.web.memo import Memo, content_key, forget, memo


@pytest.fixture(autouse=True)
def empty_memo():
    forget()
    yield
    forget()


def frame(views: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"handle_name": ["ana", "ben"][: len(views)], "views": views})


def test_equal_content_read_twice_is_computed_once() -> None:
    calls: list[int] = []

    def total(data: pd.DataFrame) -> float:
        calls.append(1)
        return float(data["views"].sum())

    first, second = frame([1.0, 2.0]), frame([1.0, 2.0])  # two reads, two objects
    assert first is not second
    once = Memo((content_key(first),))
    assert once("total", lambda: total(first)) == 3.0
    again = Memo((content_key(second),))
    assert again("total", lambda: total(second)) == 3.0
    assert len(calls) == 1


def test_changed_content_is_computed_again() -> None:
    calls: list[float] = []
    for views in ([1.0, 2.0], [1.0, 2.5], [1.0, float("nan")], [1.0]):
        data = frame(views)
        value = Memo((content_key(data),))("total", lambda d=data: calls.append(1) or d.sum())
        assert value.equals(data.sum())
    assert len(calls) == 4


def test_names_and_extra_key_parts_are_apart() -> None:
    once = Memo(("same inputs",))
    assert once("a", lambda: 1) == 1
    assert once("b", lambda: 2) == 2
    assert once(("chart", "Views", True), lambda: 3) == 3
    assert once(("chart", "Views", False), lambda: 4) == 4
    assert once("a", lambda: 99) == 1


def test_the_memo_keeps_at_most_its_size(monkeypatch) -> None:
    monkeypatch.setattr(memo_module, "SIZE", 3)
    for i in range(5):
        memo(("k", i), lambda i=i: i)
    assert len(memo_module._MEMO) == 3
    assert memo(("k", 0), lambda: "recomputed") == "recomputed"  # the oldest went first
    assert memo(("k", 4), lambda: "stale") == 4


def test_a_failed_computation_is_not_kept() -> None:
    def fails() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        memo(("k",), fails)
    assert memo(("k",), lambda: 5) == 5
