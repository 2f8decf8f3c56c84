"""Both paging schemes end where they should, even when the server lies."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import Any

import httpx
import pytest

from tests.api.conftest import Env, envelope, query
from ttcm.api import errors as e


class Pages:
    """A PAGE server over `n` items; `info` builds page_info from (page, size, n)."""

    def __init__(self, n: int, info: Callable[[int, int, int], Any] | None = None) -> None:
        self.n = n
        self.info = info or (
            lambda p, s, n: {"page": p, "page_size": s, "total_number": n, "total_page": -(-n // s)}
        )
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        q = query(request)
        page, size = int(q["page"]), int(q["page_size"])
        items = [
            {"campaign_id": str(i)} for i in range((page - 1) * size, min(page * size, self.n))
        ]
        data: dict[str, Any] = {"campaigns": items}
        info = self.info(page, size, self.n)
        if info is not None:
            data["page_info"] = info
        return envelope(data)


def ids(env: Env, **kwargs: Any) -> list[str]:
    return [c.campaign_id for c in env.client.iter_campaigns(**kwargs)]


def test_page_scheme_walks_to_total_page(make_env) -> None:
    server = Pages(12)
    env: Env = make_env(server)
    assert ids(env) == [str(i) for i in range(12)]
    assert [query(r)["page"] for r in server.requests] == ["1", "2", "3"]
    assert {query(r)["page_size"] for r in server.requests} == {"5"}  # the endpoint's cap


def test_page_scheme_stops_on_an_empty_page_even_if_total_page_says_more(make_env) -> None:
    server = Pages(7, lambda p, s, n: {"page": p, "total_page": 50})
    env: Env = make_env(server)
    assert len(ids(env)) == 7
    assert len(server.requests) == 3  # pages 1, 2 and the empty page 3


def test_page_scheme_without_total_page_uses_total_number(make_env) -> None:
    server = Pages(10, lambda p, s, n: {"page": p, "page_size": s, "total_number": n})
    env: Env = make_env(server)
    assert len(ids(env)) == 10
    assert len(server.requests) == 2


def test_page_scheme_without_totals_stops_on_a_short_page(make_env) -> None:
    server = Pages(11, lambda p, s, n: {"page": p})
    env: Env = make_env(server)
    assert len(ids(env)) == 11
    assert len(server.requests) == 3


def test_page_scheme_without_page_info_stops_after_the_first_page(make_env) -> None:
    server = Pages(30, lambda p, s, n: None)
    env: Env = make_env(server)
    assert len(ids(env)) == 5
    assert len(server.requests) == 1


def test_a_server_that_ignores_page_is_not_followed_forever(make_env) -> None:
    requests: list[httpx.Request] = []

    def same_page(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        items = [{"campaign_id": str(i)} for i in range(5)]
        return envelope({"campaigns": items, "page_info": {"page": 1, "total_page": 10**9}})

    env: Env = make_env(same_page)
    assert len(ids(env)) == 10  # the repeated page is yielded once more, then the loop stops
    assert len(requests) == 2


def test_iter_pages_starts_at_a_given_page_and_checks_page_size(make_env) -> None:
    server = Pages(12)
    env: Env = make_env(server)
    pages = list(env.client.iter_pages("campaigns", {"page": 2}, page_size=4))
    assert [query(r)["page"] for r in server.requests] == ["2", "3"]
    assert len(pages) == 2
    for bad in (0, 6, -1):
        with pytest.raises(e.RequestValidationError, match="page_size"):
            env.client.iter_pages("campaigns", page_size=bad)
    with pytest.raises(e.RequestValidationError, match="page"):
        env.client.iter_pages("campaigns", {"page": 0})
    with pytest.raises(ValueError, match="not a paged endpoint"):
        env.client.iter_pages("labels")
    assert len(server.requests) == 2  # the refused calls sent nothing


class Cursor:
    """A CURSOR server over posts with create_time 1000..1, newest first, `limit` per page."""

    def __init__(self, n: int, nested: bool = True, lie: Callable[[int], Any] | None = None):
        self.times = list(range(n, 0, -1))
        self.nested = nested
        self.lie = lie
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        q = query(request)
        cursor, limit = int(q.get("cursor", 0)), int(q["limit"])
        rest = [t for t in self.times if not cursor or t * 1000 < cursor or self.lie]
        page = rest[:limit]
        nxt = page[-1] * 1000 if page else cursor
        info = {"has_more": len(rest) > limit, "cursor": nxt}
        if self.lie is not None:
            info = self.lie(len(self.requests)) | {}
        posts = [{"video_id": str(t), "create_time": t} for t in page]
        data = {"posts": posts, "page_info": info} if self.nested else {"posts": posts, **info}
        return envelope(data)


def test_cursor_scheme_nested_page_info(make_env) -> None:
    server = Cursor(25)
    env: Env = make_env(server)
    got = [p.video_id for p in env.client.iter_public_videos("mia")]
    assert got == [str(t) for t in range(25, 0, -1)]
    assert [query(r).get("cursor") for r in server.requests] == [None, "16000", "6000"]
    assert {query(r)["limit"] for r in server.requests} == {"10"}


def test_cursor_scheme_top_level_has_more(make_env) -> None:
    server = Cursor(12, nested=False)
    env: Env = make_env(server)
    got = list(env.client.iter_authorized_videos("6800000000000000002", limit=5))
    assert len(got) == 12
    assert len(server.requests) == 3
    assert query(server.requests[0])["creator_id"] == "6800000000000000002"


def test_has_more_with_the_same_cursor_stops(make_env) -> None:
    server = Cursor(50, lie=lambda n: {"has_more": True, "cursor": 999})
    env: Env = make_env(server)
    assert len(list(env.client.iter_public_videos("mia"))) == 20  # 2 requests, then stop
    assert len(server.requests) == 2


def test_cursors_that_cycle_stop(make_env) -> None:
    server = Cursor(50, lie=lambda n: {"has_more": True, "cursor": [5, 6][n % 2]})
    env: Env = make_env(server)
    list(islice(env.client.iter_public_videos("mia"), 1000))
    assert len(server.requests) == 3  # cursors 6, 5, then 6 again: seen


@pytest.mark.parametrize(
    "lie",
    [
        {"has_more": False, "cursor": 5},
        {"has_more": "maybe", "cursor": 5},
        {},
    ],
)
def test_cursor_scheme_stops_without_has_more(make_env, lie) -> None:
    server = Cursor(50, lie=lambda n: lie)
    env: Env = make_env(server)
    assert len(list(env.client.iter_public_videos("mia"))) == 10
    assert len(server.requests) == 1


def test_has_more_without_a_cursor_is_an_unexpected_response(make_env) -> None:
    server = Cursor(50, lie=lambda n: {"has_more": True})
    env: Env = make_env(server)
    with pytest.raises(e.UnexpectedResponse) as info:
        list(env.client.iter_public_videos("mia"))
    assert info.value.missing == "cursor" and "has_more" in info.value.present


def test_cursor_scheme_stops_on_an_empty_page(make_env) -> None:
    server = Cursor(0, lie=lambda n: {"has_more": True, "cursor": 10 + n})
    env: Env = make_env(server)
    assert list(env.client.iter_public_videos("mia")) == []
    assert len(server.requests) == 1


def test_items_that_are_not_a_list_are_malformed(make_env) -> None:
    env: Env = make_env(lambda r: envelope({"campaigns": {"0": {}}, "page_info": {"page": 1}}))
    with pytest.raises(e.MalformedResponseError) as info:
        list(env.client.iter_campaigns())
    assert not info.value.transient
