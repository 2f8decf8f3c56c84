"""The one CSV writer for every download and the CLI: every field quoted, formulas neutralised.

A spreadsheet may split a cell on any of `, ; | tab` (its list separator is a setting) and runs a
piece that starts with `= + - @ tab CR` as a formula, so such a start is neutralised at the
beginning of the text and after every separator, not only at the start of the cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ttcm.domain import format as fmt

_FORMULA_STARTS = frozenset("=+-@\t\r")
_SEPARATORS = frozenset(",;|\t\r\n")
# a column is (row key, header) or (row key, header, kind); kind "percent" turns a fraction
# into the number a "%" column holds (0.0523 -> 5.23), "label:<kind>" a code into its name
Column = tuple[str, str] | tuple[str, str, str]


def safe_text(text: str) -> str:
    """`text` with a `'` before every formula start: at the beginning and after any separator."""
    out: list[str] = []
    piece_start = True  # at the start of the text or of a piece after a separator
    for ch in text:
        if piece_start and ch in _FORMULA_STARTS:
            out.append("'")
            piece_start = ch in _SEPARATORS  # a tab or CR both starts a formula and separates
        elif ch in _SEPARATORS:
            piece_start = True
        elif ch != " ":
            piece_start = False
        out.append(ch)
    return "".join(out)


def safe_cell(value: Any) -> Any:
    """A cell as written: text neutralised, numbers unchanged, unknown empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        value = "; ".join(str(v) for v in value)
    return safe_text(str(value))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text: a header line then one line per row, every field quoted and neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


def _value(row: Mapping[str, Any], column: Column) -> Any:
    value = row.get(column[0])
    kind = column[2] if len(column) == 3 else ""
    if kind == "percent":
        return fmt.percent_value(value)
    if kind.startswith("label:"):
        return fmt.label(kind.removeprefix("label:"), value) if value is not None else None
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """Rows as CSV text; `columns` pairs a row key with its header (units included)."""
    return write_csv([c[1] for c in columns], ([_value(row, c) for c in columns] for row in rows))
