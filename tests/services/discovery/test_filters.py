"""The field table drives the filter, its URL, its labels and the command line's flags."""

from __future__ import annotations

import argparse
from dataclasses import fields

import pytest

from tests.builders.discovery import SINGLE_FILTERS
from ttcm.auth import PermissionDenied
from ttcm.services.discovery.filters import (
    FIELDS,
    FILTER_LABELS,
    CreatorFilter,
    FilterError,
    add_cli_arguments,
    from_cli_args,
)
from ttcm.services.discovery.search import Discovery


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(exit_on_error=False)
    add_cli_arguments(parser)
    return parser


def test_every_filter_attribute_has_one_row_with_unique_names() -> None:
    assert sorted(f.name for f in FIELDS) == sorted(f.name for f in fields(CreatorFilter))
    for attr in ("url", "cli", "widget", "label"):
        values = [getattr(f, attr) for f in FIELDS]
        assert len(values) == len(set(values)), attr
    assert set(FILTER_LABELS) == {f.name for f in fields(CreatorFilter)} - {"sort", "descending"}


@pytest.mark.parametrize("f", SINGLE_FILTERS + [CreatorFilter(min_er=0.031, descending=False)])
def test_the_url_as_flags_gives_the_same_filter(f: CreatorFilter) -> None:
    by_url = {x.url: x.cli for x in FIELDS}
    argv: list[str] = []
    for key, value in f.to_query().items():
        argv += [by_url[key]] if key == "asc" else [by_url[key], value]
    assert from_cli_args(_parser().parse_args(argv)) == f


def test_flags_accept_percentages_repeats_and_lower_case() -> None:
    ns = _parser().parse_args(
        ["--min-er", "5%", "--country", "us", "--country", "gb", "--gender-skew", "female_50"]
    )
    f = from_cli_args(ns)
    assert (f.min_er, f.countries, f.gender_skew) == (0.05, ("US", "GB"), "FEMALE_50")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--min-followers", "12.5"], "minimum followers: expected a whole number"),
        (["--min-followers", "lots"], "minimum followers: expected a number"),
        (["--tcm", "maybe"], "marketplace: expected 1 or 0"),
        (["--currency", "XYZ"], "unknown currency: 'XYZ' is not a TTCM currency"),
        (["--currency", ""], "unknown currency: '' is not a TTCM currency"),
        (["--min-er", " "], "minimum engagement rate: expected a value, got nothing"),
        (["--country", "US,XX"], "unknown country code 'XX'"),
    ],
)
def test_a_bad_flag_is_refused_by_the_parser_naming_it(argv: list[str], says: str) -> None:
    with pytest.raises(argparse.ArgumentError) as caught:
        _parser().parse_args(argv)
    assert argv[0] in str(caught.value) and says in str(caught.value)


def test_values_wrong_together_are_refused_when_the_filter_is_made() -> None:
    ns = _parser().parse_args(["--min-followers", "500", "--max-followers", "100"])
    with pytest.raises(FilterError, match="minimum is above the maximum"):
        from_cli_args(ns)


def test_a_fraction_of_a_count_is_refused_not_truncated() -> None:
    with pytest.raises(FilterError, match="whole number"):
        CreatorFilter.from_query({"fmin": "1000.7"})


def test_search_checks_the_caller(store) -> None:
    with pytest.raises(PermissionDenied):
        Discovery(store).search(None, CreatorFilter())  # type: ignore[arg-type]
