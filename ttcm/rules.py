"""Domain rules shipped as data in `data/`: loaded once, read everywhere from here."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed JSON file `data/<name>.json`."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def limits() -> dict[str, Any]:
    """API validation limits (`data/api_limits.json`)."""
    return load("api_limits")


def vocab() -> dict[str, Any]:
    """Label vocabularies and enumerations (`data/vocab.json`)."""
    return load("vocab")


def countries() -> dict[str, dict[str, Any]]:
    """The 24 TTCM countries with their follower minimum and currency."""
    return load("countries")["supported"]


def eligibility() -> dict[str, Any]:
    """TTCM eligibility thresholds and messages (`data/eligibility.json`)."""
    return load("eligibility")


def metric_availability() -> dict[str, Any]:
    """Which metrics exist per account kind and post tracking (`data/metric_availability.json`)."""
    return load("metric_availability")


def is_handle(text: str) -> bool:
    """True when `text` is shaped like a TikTok handle (letters, digits, '.', '_')."""
    return re.fullmatch(limits()["handle_pattern"], text or "") is not None


def spark_days() -> tuple[int, ...]:
    """Allowed Spark Ads authorization durations in days."""
    return tuple(limits()["spark_ads_days"])


def display() -> dict[str, Any]:
    """How numbers and codes are shown: currency decimals, labels, headers (`data/display.json`)."""
    return load("display")
