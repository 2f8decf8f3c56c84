"""Requests by endpoint name on top of the transport: the account, the envelope, the pages."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from ttcm.api.coerce import to_id
from ttcm.api.endpoints import (
    ENDPOINTS,
    Endpoint,
    Paging,
)
from ttcm.api.errors import (
    PermissionDeniedError,
    RequestValidationError,
    UnexpectedResponse,
)
from ttcm.api.models.paging import CursorInfo, PageInfo
from ttcm.api.shapes import conform
from ttcm.api.transport import Transport
from ttcm.api.wire import (
    Response,
    account_key,
    encode_body,
    encode_query,
    shape_error,
)

log = logging.getLogger("ttcm.api")


class BaseClient(Transport):
    """Sends requests by endpoint name; see `TikTokOneClient` for the typed methods."""

    # ------------------------------------------------------------ account

    @property
    def account_id(self) -> str:
        """The TikTok One account id: as configured, else the first one the token may use."""
        if self._account_id is not None:
            return self._account_id
        with self._account_lock:
            if self._account_id is None:
                ids = self.tcm_accounts()
                if not ids:
                    raise PermissionDeniedError(
                        None, "the access token is not authorized for any TikTok One account"
                    )
                self._account_id = ids[0]
            return self._account_id

    def use_account(self, account_id: str) -> None:
        """Act on `account_id` from now on, unless an account is already configured."""
        with self._account_lock:
            if self._account_id is None:
                self._account_id = to_id(account_id)

    def tcm_accounts(self) -> list[str]:
        """Ids of the TikTok One accounts this token may act on."""
        response = self.request("tcm_accounts")
        ids = response.data.get("tto_tcm_account_ids", response.data.get("tcm_account_ids"))
        if ids is None:
            return []
        if not isinstance(ids, list):
            raise shape_error(
                "tcm_accounts", "tto_tcm_account_ids that is not a list", response.request_id
            )
        return [i for i in (to_id(x) for x in ids) if i is not None]

    # ------------------------------------------------------------ one request

    def request(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        raw: bool = False,
    ) -> Response:
        """Call endpoint `name` of `endpoints.ENDPOINTS`; GET takes `params`, POST takes `json`.

        The answer is conformed to the endpoint's canonical shape (`shapes.py`), raising
        `UnexpectedResponse` on drift; `raw=True` returns `data` as TikTok sent it.
        """
        endpoint = ENDPOINTS.get(name)
        if endpoint is None:
            raise ValueError(f"unknown endpoint {name!r}")
        is_get = endpoint.method == "GET"
        if (json if is_get else params) is not None:
            raise ValueError(
                f"{name} is a {endpoint.method}: pass {'params' if is_get else 'json'}"
            )
        payload = dict((params if is_get else json) or {})
        key = account_key(endpoint)
        if key is not None and payload.get(key) is None:
            payload[key] = self.account_id
        if is_get:
            query, body = encode_query(payload), None
        else:
            query, body = None, encode_body(payload)

        def build() -> httpx.Request:
            return self._http.build_request(
                endpoint.method, endpoint.path.lstrip("/"), params=query, json=body, headers=headers
            )

        response = self._send(endpoint, build)
        if not raw:
            conform(name, response.data, response.request_id)
        return response

    # ------------------------------------------------------------ pages

    def iter_pages(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        page_size: int | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[Response]:
        """Every page of a paged endpoint, following page numbers or the time cursor."""
        endpoint = ENDPOINTS.get(name)
        if endpoint is None:
            raise ValueError(f"unknown endpoint {name!r}")
        size = _page_size(endpoint, page_size)
        base = dict(params or {})
        if endpoint.paging is Paging.PAGE:
            page = base.pop("page", None)
            page = 1 if page is None else page
            if not isinstance(page, int) or isinstance(page, bool) or page < 1:
                raise RequestValidationError("page", f"must be an integer >= 1, got {page!r}")
            return self._iter_numbered(endpoint, base, size, page, headers)
        if endpoint.paging is Paging.CURSOR:
            return self._iter_cursor(endpoint, base, size, headers)
        raise ValueError(f"{name} is not a paged endpoint")

    def _iter_numbered(
        self,
        endpoint: Endpoint,
        params: dict[str, Any],
        size: int,
        page: int,
        headers: Mapping[str, str] | None,
    ) -> Iterator[Response]:
        previous: Any = None
        while True:
            query = {**params, "page": page, "page_size": size}
            response = self.request(endpoint.name, query, headers=headers)
            yield response
            items = response.data.get(endpoint.items_key or "")
            info = response.data.get("page_info")
            if not isinstance(items, list) or not items or not isinstance(info, dict):
                return
            pages = PageInfo.model_validate(info)
            if pages.total_page is not None:
                if page >= pages.total_page:
                    return
            elif pages.total_number is not None:
                if page * (pages.page_size or size) >= pages.total_number:
                    return
            elif len(items) < size:
                return
            if items == previous:
                log.warning("%s returned page %d twice; stopping", endpoint.path, page)
                return
            previous = items
            page += 1

    def _iter_cursor(
        self,
        endpoint: Endpoint,
        params: dict[str, Any],
        size: int,
        headers: Mapping[str, str] | None,
    ) -> Iterator[Response]:
        cursor = params.pop("cursor", None)
        seen: set[str] = set()
        while True:
            query = {**params, "limit": size}
            if cursor is not None:
                query["cursor"] = cursor
            response = self.request(endpoint.name, query, headers=headers)
            yield response
            items = response.data.get(endpoint.items_key or "")
            if not isinstance(items, list) or not items:
                return
            nested = response.data.get("page_info")
            source = nested if isinstance(nested, dict) else response.data
            more = CursorInfo.model_validate({"has_more": source.get("has_more")}).has_more
            if more is not True:
                return
            # the cursor is opaque: sent back exactly as received, whatever its type
            nxt = source.get("cursor")
            if nxt is None or nxt == "":
                raise UnexpectedResponse(
                    endpoint.path,
                    "cursor",
                    list(source),
                    response.request_id,
                    where="page_info" if source is nested else "data",
                    detail="has_more is true",
                )
            token = f"{type(nxt).__name__}:{nxt!r}"
            if nxt == cursor or token in seen:
                log.warning("%s cursor did not advance; stopping", endpoint.path)
                return
            seen.add(token)
            cursor = nxt


def _page_size(endpoint: Endpoint, page_size: int | None) -> int:
    cap = endpoint.max_page_size or 10
    if page_size is None:
        return cap
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= cap:
        field = "limit" if endpoint.paging is Paging.CURSOR else "page_size"
        raise RequestValidationError(
            field, f"must be between 1 and {cap} for {endpoint.name}, got {page_size!r}"
        )
    return page_size
