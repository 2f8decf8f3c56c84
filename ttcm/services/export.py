"""CSV export shared by every download: headers with units, formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells; numbers pass through unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    """Rows as CSV text; `columns` pairs a row key with its header (units included)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(header) for _, header in columns])
    for row in rows:
        out = []
        for key, _ in columns:
            value = row.get(key)
            if isinstance(value, list | tuple):
                value = "; ".join(str(v) for v in value)
            out.append("" if value is None else safe_cell(value))
        writer.writerow(out)
    return buf.getvalue()
