"""Discovery: every URL value is checked, named and can be cleared, never a crash (issue 12, 11)."""

from __future__ import annotations

import pytest

from tests.builders import signed_in
from tests.builders.creators import load, make_creators
from ttcm.services.discovery import index_cache


@pytest.fixture
def cached(web_store):
    index_cache.forget()
    load(web_store, make_creators(60, seed=5))


def _shown(at) -> str:
    parts = [x.value for x in at.error] + [x.value for x in at.warning]
    return "\n".join(parts).replace("\\", "")


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("state", "Nowhere", "no cached creator is in 'Nowhere'"),
        ("aud", "MX", "'MX' is not one of the 24 TTCM countries"),
        ("cur", "XYZ", "'XYZ' is not a TTCM currency"),
        ("q", "ab\x00cd", "control character"),
        ("page", "abc", "Page “abc” does not exist"),
        ("page", "999", "Page “999” does not exist"),
    ],
)
def test_a_bad_url_value_is_named_and_can_be_cleared(people, cached, key, value, says) -> None:
    at = signed_in(people["viewer"], "app_pages/discovery.py")
    at.query_params[key] = value
    at.query_params["country"] = "US"
    at.run()
    assert not at.exception
    assert says in _shown(at)
    [back] = [b for b in at.button if b.label in ("Clear this filter", "Go to page 1")]
    back.click().run()
    assert not at.exception
    assert key not in at.query_params
    assert at.query_params["country"] in ("US", ["US"])  # only the bad value went
    assert not at.error and any("creators match" in s.value for s in at.subheader)


def test_every_bad_value_is_listed_at_once(people, cached) -> None:
    at = signed_in(people["viewer"], "app_pages/discovery.py")
    for key, value in (("state", "Nowhere"), ("aud", "MX"), ("fmin", "lots")):
        at.query_params[key] = value
    at.run()
    assert not at.exception
    shown = _shown(at)
    for label in ("State / province", "Audience country", "Followers from"):
        assert label in shown
    assert len([b for b in at.button if b.label == "Clear this filter"]) == 3
