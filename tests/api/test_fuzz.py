"""Junk from the server always ends in a parsed model or a TikTokAPIError, never anything else."""

from __future__ import annotations

import contextlib
import importlib
import json
import pkgutil
from collections.abc import Callable
from datetime import date
from itertools import islice
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tests.api.conftest import ACCOUNT, BASE, TOKEN, FakeClock, Sleeper
from ttcm.api import RateLimiter, TikTokOneClient
from ttcm.api import models as m
from ttcm.api.errors import CODE_CLASSES, TikTokAPIError

# ---------------------------------------------------------------- strategies

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN and Infinity too: Python's json reads them back
    | st.text(max_size=12)
    | st.sampled_from(["1762000000", "2025-11-01", "0.9,0.8", "[1, 2]", "", "IN", "true"])
)
JSON = st.recursive(
    SCALARS,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4)
    ),
    max_leaves=12,
)
_MODULES = [
    importlib.import_module(f"{m.__name__}.{i.name}") for i in pkgutil.iter_modules(m.__path__)
]
_MODELS = [
    obj
    for module in _MODULES
    for name, obj in vars(module).items()
    if isinstance(obj, type)
    and issubclass(obj, BaseModel)
    and obj.__module__ == module.__name__
    and not name.startswith("_")
    and obj.model_fields
]
KEYS = sorted(
    {
        name
        for model in _MODELS
        for name in model.model_fields
    }
    | {"page_info", "has_more", "cursor", "video_info", "creator_info", "dimensions", "metrics",
       "creator_rate", "followings_count", "auth_status_update_time", "handler_name", "source",
       "creators", "posts", "brands", "campaigns", "video_infos", "videos", "insights", "orders",
       "onboarding_status", "tto_tcm_account_ids", "existing_order_ids", "percentage", "country"}
)  # fmt: skip
SHAPED = st.recursive(
    JSON,
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.sampled_from(KEYS), kids, max_size=7)
    ),
    max_leaves=30,
)
CODES = st.sampled_from([0, 0, 0, *sorted(CODE_CLASSES), 20001, 51042, 99999])


@st.composite
def envelopes(draw: st.DrawFn) -> httpx.Response:
    """A JSON envelope with any code, junk fields and a payload-shaped or junk `data`."""
    env: dict[str, Any] = {}
    for key, strategy in (("code", CODES | JSON), ("message", JSON), ("request_id", JSON),
                          ("data", SHAPED)):  # fmt: skip
        if draw(st.integers(0, 9)):  # mostly present
            env[key] = draw(strategy)
    status = draw(st.sampled_from([200, 200, 200, 200, 400, 404, 429, 500, 503]))
    return httpx.Response(status, content=json.dumps(env).encode())


RAW = st.one_of(
    st.binary(max_size=64).map(lambda b: httpx.Response(200, content=b)),
    JSON.map(lambda v: httpx.Response(200, content=json.dumps(v).encode())),
    envelopes(),
)

# ---------------------------------------------------------------- every method of the client

DAY = date(2025, 11, 1)
CALLS: dict[str, Callable[[TikTokOneClient], Any]] = {
    "account_id": lambda c: (setattr(c, "_account_id", None), c.account_id),
    "tcm_accounts": lambda c: c.tcm_accounts(),
    "account_info": lambda c: c.account_info(),
    "labels": lambda c: c.labels(),
    "discover": lambda c: c.discover({"country_codes": ["US"]}),
    "iter_discover": lambda c: c.iter_discover({"country_codes": ["US"]}),
    "creator_status": lambda c: c.creator_status(["a", "b"]),
    "creator_public": lambda c: c.creator_public("a"),
    "iter_public_videos": lambda c: c.iter_public_videos("a"),
    "iter_authorized_creators": lambda c: c.iter_authorized_creators(),
    "creator_authorized": lambda c: c.creator_authorized("1"),
    "iter_authorized_videos": lambda c: c.iter_authorized_videos("1"),
    "brand_profile_create": lambda c: c.brand_profile_create(
        "Acme", "1", "https://a.example", "https://a.example/l.png"
    ),
    "iter_brand_profiles": lambda c: c.iter_brand_profiles(),
    "campaign_create": lambda c: c.campaign_create("Launch", ["a"], brand_name="Acme"),
    "campaign_update": lambda c: c.campaign_update("1", handle_names=["a"]),
    "iter_campaigns": lambda c: c.iter_campaigns(),
    "campaign_link": lambda c: c.campaign_link("1", "2", "LINK"),
    "iter_link_status": lambda c: c.iter_link_status(),
    "iter_campaign_report": lambda c: c.iter_campaign_report("1"),
    "spark_apply": lambda c: c.spark_apply("1"),
    "spark_status": lambda c: c.spark_status("1"),
    "invite": lambda c: c.invite(["a"]),
    "order_create": lambda c: c.order_create("Acme", "Spring", ["a"]),
    "iter_orders": lambda c: c.iter_orders(campaign_code="A"),
    "iter_order_report": lambda c: c.iter_order_report(["1"], DAY, DAY),
}


class Holder:
    """The answer the fuzzed server gives to every request."""

    response = httpx.Response(200)
    requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        r = self.response
        return httpx.Response(r.status_code, headers=r.headers, content=r.content)


HOLDER = Holder()
_CLOCK = FakeClock()
CLIENT = TikTokOneClient(
    BASE,
    TOKEN,
    account_id=ACCOUNT,
    transport=httpx.MockTransport(HOLDER),
    limiter=RateLimiter(1e6, 10**9, clock=_CLOCK, sleep=Sleeper(_CLOCK)),
    sleep=Sleeper(_CLOCK),
    max_throttle_retries=2,
)


def run(name: str, response: httpx.Response) -> None:
    """Call one method against the canned answer; only models and TikTokAPIError may come out."""
    HOLDER.response = response
    HOLDER.requests = 0
    try:
        result = CALLS[name](CLIENT)
        if hasattr(result, "__next__"):
            result = list(islice(result, 100))
    except TikTokAPIError as err:
        str(err), repr(err)  # rendering an error never fails either
        return
    assert HOLDER.requests <= 20  # no runaway paging or retry loop on junk
    if isinstance(result, list):
        assert all(isinstance(x, BaseModel) for x in result) or all(
            isinstance(x, str) for x in result
        )


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(name=st.sampled_from(sorted(CALLS)), response=RAW)
def test_any_answer_ends_in_a_model_or_an_api_error(name: str, response: httpx.Response) -> None:
    run(name, response)


@FUZZ
@given(name=st.sampled_from(sorted(CALLS)), data=SHAPED)
def test_success_envelopes_with_junk_data(name: str, data: Any) -> None:
    body = {"code": 0, "message": "OK", "request_id": "r", "data": data}
    run(name, httpx.Response(200, content=json.dumps(body).encode()))


@st.composite
def items_with_junk_fields(draw: st.DrawFn) -> dict[str, Any]:
    """A list payload whose items have the right identity but junk in every other field."""
    item = draw(st.dictionaries(st.sampled_from(KEYS), JSON, max_size=10))
    for key in ("handle_name", "video_id", "campaign_id", "order_id", "brand_profile_id"):
        item[key] = draw(st.sampled_from(["x1", "12345"]))
    key = draw(st.sampled_from(["creators", "posts", "brands", "campaigns", "video_infos", "videos",
                                "insights", "orders", "onboarding_status"]))  # fmt: skip
    page_info = draw(st.dictionaries(st.sampled_from(KEYS), JSON, max_size=4))
    return {key: [item, item], "page_info": page_info, **item}


@FUZZ
@given(name=st.sampled_from(sorted(CALLS)), data=items_with_junk_fields())
# found by this test in CI: an audience list that is a number crashed the percent check
@example(name="creator_authorized", data={"handle_name": "x1", "audience_locales": 1.0})
@example(name="creator_public", data={"creators": [{"handle_name": "x1", "audience_ages": 2}]})
def test_wrong_types_in_model_fields_still_parse(name: str, data: dict[str, Any]) -> None:
    body = {"code": 0, "message": "OK", "request_id": "r", "data": data}
    run(name, httpx.Response(200, content=json.dumps(body).encode()))


@settings(max_examples=150, deadline=None)
@given(model=st.sampled_from(_MODELS), data=SHAPED)
def test_models_either_parse_or_raise_validation_error(model: type[BaseModel], data: Any) -> None:
    with contextlib.suppress(ValidationError):
        model.model_validate(data)
