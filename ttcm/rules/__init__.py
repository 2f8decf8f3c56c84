"""Domain rules as package data (`ttcm/rules/*.json`): loaded once, read everywhere from here."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed rule file `ttcm/rules/<name>.json`."""
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def limits() -> dict[str, Any]:
    """API validation limits (`api_limits.json`)."""
    return load("api_limits")


def vocab() -> dict[str, Any]:
    """Label vocabularies and enumerations (`vocab.json`)."""
    return load("vocab")


def countries() -> dict[str, dict[str, Any]]:
    """The 24 TTCM countries with their follower minimum and currency."""
    return load("countries")["supported"]


def eligibility() -> dict[str, Any]:
    """TTCM eligibility thresholds and messages (`eligibility.json`)."""
    return load("eligibility")


def metric_availability() -> dict[str, Any]:
    """Which metrics exist per account kind and post tracking (`metric_availability.json`)."""
    return load("metric_availability")


def exchange_rates() -> dict[str, Any]:
    """Shipped dated exchange rates and the default team currency (`exchange_rates.json`)."""
    return load("exchange_rates")


def is_handle(text: str) -> bool:
    """True when `text` is shaped like a TikTok handle (letters, digits, '.', '_')."""
    return re.fullmatch(limits()["handle_pattern"], text or "") is not None


def spark_days() -> tuple[int, ...]:
    """Allowed Spark Ads authorization durations in days."""
    return tuple(limits()["spark_ads_days"])


def display() -> dict[str, Any]:
    """How numbers and codes are shown: currency decimals, labels, headers (`display.json`)."""
    return load("display")


def input_limits() -> dict[str, Any]:
    """Limits of ttcm's own form fields (`input_limits.json`)."""
    return load("input_limits")


def formulas() -> dict[str, Any]:
    """Every derived metric's formula, inputs and availability (`formulas.json`)."""
    return load("formulas")
