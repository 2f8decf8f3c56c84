"""What every command group shares: the one-line error, the settings, argument types and output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ttcm.config import ConfigError, Settings
from ttcm.domain import format as numfmt
from ttcm.errors import TTCMError

if TYPE_CHECKING:
    from ttcm.store import Store

Handler = Callable[[argparse.Namespace], int]
N = TypeVar("N", int, float)
FORMATS = ["table", "json", "csv"]


class CLIError(TTCMError):
    """A failure to report as one line on stderr."""


def load_settings() -> Settings:
    """The settings, or a one-line CLIError naming what is wrong with them."""
    try:
        return Settings.load()
    except ConfigError as exc:
        raise CLIError(str(exc)) from None


def open_settings_and_store() -> tuple[Settings, Store]:
    """The settings and the store they name."""
    from ttcm.runtime import open_store

    settings = load_settings()
    return settings, open_store(settings)


def app_clock(settings: Settings) -> Callable[[], datetime]:
    """The clock the commands use: the sandbox's when the API is a sandbox (one-line errors)."""
    from ttcm.services.demo_time import ClockError, app_now

    def now() -> datetime:
        try:
            return app_now(settings)
        except ClockError as exc:
            raise CLIError(str(exc)) from None

    return now


def campaign_pk(store: Store, ref: str) -> int:
    """The local id of the campaign `ref` names (local id or TikTok campaign id)."""
    from ttcm.auth import SYSTEM
    from ttcm.services.posts import PostError, find_campaign

    try:
        return find_campaign(store, SYSTEM, ref)
    except PostError as exc:
        raise CLIError(str(exc)) from None


# ---------------------------------------------------------------- argument types


def actions(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add the command group `name` and return the subparsers its actions are added to."""
    group = subparsers.add_parser(name, help=summary)
    return group.add_subparsers(dest=f"{name}_command", required=True, metavar="ACTION")


def positive_int(text: str) -> int:
    """A whole number ≥ 0."""
    value = _number(text, int, "a whole number")
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, got {text!r}")
    return value


def _number(text: str, parse: Callable[[str], N], expected: str) -> N:
    try:
        return parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None


def fraction(text: str) -> float:
    """A rate between 0 and 1, written as 0.05 or 5%."""
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a rate such as 0.05 or 5%, got {text!r}"
        ) from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"a rate must be between 0 and 1 (or 0%-100%), got {text!r}"
        )
    return value


def csv_list(text: str) -> list[str]:
    """Comma-separated items, blanks dropped."""
    return [p.strip() for p in text.split(",") if p.strip()]


def yes_no(text: str) -> bool:
    """yes/no, y/n, true/false or 1/0."""
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {text!r}")


def money(text: str) -> float:
    """An amount ≥ 0."""
    value = _number(text, float, "an amount")
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected an amount ≥ 0, got {text!r}")
    return value


def currency(text: str) -> str:
    """A currency code of one of the rules' countries."""
    from ttcm import rules

    code = text.strip().upper()
    known = {c["currency"] for c in rules.countries().values() if c.get("currency")}
    if code not in known:
        shown = text if len(text) <= 12 else text[:12] + "…"
        raise argparse.ArgumentTypeError(
            f"unknown currency {shown!r}; choose from {', '.join(sorted(known))}"
        )
    return code


# ---------------------------------------------------------------- output


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    """Print rows as a table, JSON list or CSV."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        print(json.dumps([{c: r.get(c) for c in columns} for r in rows], default=str, indent=1))
        return
    if fmt == "csv":
        from ttcm.services.export import write_csv

        # headers are the API field names, as in --format json (a machine format)
        sys.stdout.write(write_csv(columns, ([r.get(c) for c in columns] for r in rows)))
        return
    if not rows:
        print("(no rows)")
        return
    cells = [[_cell(c, r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def _cell(column: str, value: object) -> str:
    if column.endswith("_rate") and isinstance(value, int | float) and not isinstance(value, bool):
        return numfmt.percent(value)  # rates are fractions in the API and percentages for people
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return numfmt.count(value)
    if isinstance(value, float) or value is None:
        return numfmt.decimal(value)
    text = str(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"
