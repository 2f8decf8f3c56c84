"""Hypothesis: junk queries, bodies, paths and headers always get an envelope, never a crash."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sandbox.support import make_app
from ttcm.api.endpoints import ENDPOINTS
from ttcm.sandbox.ids import ACCOUNT_ID

APP = make_app(n_creators=300)
PATHS = [e.path for e in ENDPOINTS.values()]
PARAM_NAMES = [
    "tto_tcm_account_id",
    "tcm_account_id",
    "country_codes",
    "handle_names",
    "handle_name",
    "creator_id",
    "page",
    "page_size",
    "cursor",
    "limit",
    "min_followers",
    "max_followers",
    "min_engagement_rate",
    "keyword_search",
    "sort_field",
    "fields",
    "video_ids",
    "video_id",
    "campaign_id",
    "campaign_ids",
    "order_ids",
    "query_type",
    "campaign_code",
    "start_date",
    "end_date",
    "need_daily_stats",
    "metrics",
    "authorization_days",
    "action",
    "deliverables",
    "video_number",
    "brand_name",
    "description",
    "campaign_name",
]
_scalar = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["", "null", "[]", "{}", '["US"]', "1e400", "NaN", "-0", "🎯", "[1,", "true", "2026-02-30"]
    ),
    st.lists(st.one_of(st.text(max_size=8), st.integers()), max_size=3).map(json.dumps),
    st.just(ACCOUNT_ID),
)
_json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**25), max_value=10**25),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_envelope(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 200
    env = json.loads(body)
    assert isinstance(env["code"], int) and isinstance(env["message"], str)
    assert isinstance(env["data"], dict) and env["request_id"] == headers["X-Tt-Logid"]
    assert APP.internal_errors == 0


@FUZZ
@given(
    path=st.sampled_from(PATHS),
    query=st.dictionaries(st.sampled_from(PARAM_NAMES), _scalar, max_size=8),
)
def test_junk_queries(path: str, query: dict[str, str]) -> None:
    # mostly with a valid account id, so the junk reaches the endpoint's own validation
    full = {"tto_tcm_account_id": ACCOUNT_ID, "tcm_account_id": ACCOUNT_ID, **query}
    _assert_envelope(*APP.handle("GET", path, full, b"", {"Access-Token": "t"}))


@FUZZ
@given(
    path=st.sampled_from(PATHS),
    body=st.one_of(
        st.dictionaries(st.sampled_from(PARAM_NAMES), _json_value, max_size=8).map(
            lambda d: json.dumps({"tcm_account_id": ACCOUNT_ID, **d}, allow_nan=True).encode()
        ),
        st.binary(max_size=64),
        _json_value.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    ),
)
def test_junk_bodies(path: str, body: bytes) -> None:
    _assert_envelope(*APP.handle("POST", path, {}, body, {"Access-Token": "t"}))


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "get", "🎯"]),
    path=st.one_of(
        st.text(max_size=60), st.sampled_from(PATHS).map(lambda p: "/open_api/v1.3" + p)
    ),
    headers=st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=4),
)
def test_junk_requests(method: str, path: str, headers: dict[str, str]) -> None:
    _assert_envelope(*APP.handle(method, path, {}, b"", headers))
