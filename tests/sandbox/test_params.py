"""Request parameters: a list of names the endpoint knows, and the refusal of unknown ones."""

from __future__ import annotations

import json

import pytest

from ttcm.sandbox.params import PARAM_ERROR, TOO_MANY_IDS, ApiError, Params, unknown_values

KNOWN = ("bio", "followers_count", "audience_ages")


def test_names_gives_known_names_from_a_query_or_a_body() -> None:
    query = Params({"fields": json.dumps(["bio", "audience_ages"])}, from_query=True)
    assert query.names("fields", KNOWN) == ["bio", "audience_ages"]
    assert Params({"fields": ["followers_count"]}, from_query=False).names("fields", KNOWN) == [
        "followers_count"
    ]


def test_names_absent_or_empty_is_none_or_empty_not_an_error() -> None:
    assert Params({}, from_query=False).names("fields", KNOWN) is None
    assert Params({"fields": []}, from_query=False).names("fields", KNOWN) == []


def test_names_refuses_unknown_ones_naming_the_first_five() -> None:
    bad = ["x1", "x2", "bio", "x3", "x4", "x5", "x6"]
    with pytest.raises(ApiError) as info:
        Params({"fields": bad[:3]}, from_query=False).names("fields", KNOWN)
    assert info.value.code == PARAM_ERROR
    assert info.value.message == "fields has unknown values: x1, x2."
    big = (*KNOWN, "y1", "y2", "y3", "y4", "y5", "y6")
    with pytest.raises(ApiError, match=r"^metrics has unknown values: x1, x2, x3, x4, x5\.$"):
        Params({"metrics": bad}, from_query=False).names("metrics", big)


def test_names_refuses_more_items_than_there_are_names() -> None:
    with pytest.raises(ApiError) as info:
        Params({"fields": ["bio"] * 4}, from_query=False).names("fields", KNOWN)
    assert info.value.code == TOO_MANY_IDS


def test_unknown_values_is_a_param_error_naming_the_parameter() -> None:
    err = unknown_values("country_codes", ["ZZ"])
    assert (err.code, err.message) == (PARAM_ERROR, "country_codes has unknown values: ZZ.")
