"""The one CSV writer: every field quoted, formula starts neutralised after any separator."""

from __future__ import annotations

import csv
import io

import pytest

from ttcm.services.export import safe_text, to_csv, write_csv


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("x;=1+1;@SUM(1)", "x;'=1+1;'@SUM(1)"),
        ("a,+1,-2", "a,'+1,'-2"),
        ("a|=HYPERLINK(1)", "a|'=HYPERLINK(1)"),
        ("a; =1", "a; '=1"),
        ("line\n=1", "line\n'=1"),
        ("\t=1", "'\t'=1"),
        ("a\r=1", "a\r'=1"),
        ("=1", "'=1"),
        ("well-known - fine", "well-known - fine"),
        ("x @ y", "x @ y"),
        ("", ""),
    ],
)
def test_formula_starts_are_neutralised_after_any_separator(text, safe) -> None:
    assert safe_text(text) == safe


def test_every_field_is_quoted() -> None:
    text = write_csv(["Handle", "Followers"], [["x;=1+1;@SUM(1)", 12000], ["plain", None]])
    assert text.splitlines() == [
        '"Handle","Followers"',
        '''"x;'=1+1;'@SUM(1)","12000"''',
        '"plain",""',
    ]


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_no_piece_starts_a_formula_whatever_the_spreadsheet_splits_on(sep) -> None:
    hostile = ["x;=1+1;@SUM(1)", "a,=B1", "-1+2", "+SUM(A1)", "q|@x", "\t=1", "=\r=2"]
    text = to_csv([{"v": h} for h in hostile], [("v", "Value")])
    for line in text.splitlines()[1:]:
        # a spreadsheet that ignores the quotes and splits on `sep`
        for piece in line.strip('"').split(sep):
            assert not piece.lstrip(" ").startswith(tuple("=+-@")), (sep, line, piece)


def test_a_percent_column_holds_percentages() -> None:
    rows = [{"er": 0.0523}, {"er": None}]
    parsed = list(csv.reader(io.StringIO(to_csv(rows, [("er", "Engagement rate (%)", "percent")]))))
    assert parsed == [["Engagement rate (%)"], ["5.23"], [""]]


def test_numbers_stay_numbers_and_booleans_are_words() -> None:
    parsed = list(csv.reader(io.StringIO(write_csv(["a", "b", "c"], [[-5, 0.25, True]]))))
    assert parsed[1] == ["-5", "0.25", "yes"]
