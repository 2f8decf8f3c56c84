"""From answers to models: validation into typed errors, item lists, pages of items, writes.

Shared by the resource modules of `ttcm.api.resources`; each function takes the transport
(`BaseClient`) it sends through, so a resource group is plain functions over one client.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ttcm.api.base import BaseClient
from ttcm.api.endpoints import ENDPOINTS
from ttcm.api.models.creators import Creator
from ttcm.api.wire import Response, WriteResult, shape_error

M = TypeVar("M", bound=BaseModel)


def _errors_summary(exc: ValidationError) -> str:
    parts = [
        f"{'.'.join(str(p) for p in e['loc']) or 'data'}: {e['msg']}"
        for e in exc.errors(include_url=False, include_input=False)[:3]
    ]
    return "; ".join(parts)


def parse(model: type[M], data: Any, name: str, request_id: str) -> M:
    """`data` as a `model`, or the endpoint's shape error naming the first wrong fields."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        detail = f"an unexpected {model.__name__}: {_errors_summary(exc)}"
        raise shape_error(name, detail, request_id) from None


def items(model: type[M], response: Response, name: str, key: str | None = None) -> list[M]:
    """The list under the endpoint's items key (or `key`) as models; absent means none."""
    key = key or ENDPOINTS[name].items_key or ""
    raw = response.data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        detail = f"{key} as a {type(raw).__name__}, not a list"
        raise shape_error(name, detail, response.request_id)
    return [parse(model, item, name, response.request_id) for item in raw]


def iter_items(
    api: BaseClient,
    model: type[M],
    name: str,
    params: Mapping[str, Any] | None = None,
    page_size: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Iterator[M]:
    """Every item of every page of a paged endpoint, as models."""
    # iter_pages checks its arguments now; only the requests are lazy
    pages = api.iter_pages(name, params, page_size, headers=headers)
    return (item for page in pages for item in items(model, page, name))


def creators(response: Response, name: str) -> list[Creator]:
    """The creators of an answer; each must carry its handle."""
    found = items(Creator, response, name)
    for c in found:
        if c.handle_name is None:
            raise shape_error(name, "a creator without handle_name", response.request_id)
    return found


def write(api: BaseClient, model: type[M], name: str, body: Mapping[str, Any]) -> WriteResult[M]:
    """Send a write and return its answer as a model, with the request id for the audit."""
    response = api.request(name, json=body)
    return WriteResult(
        parse(model, response.data, name, response.request_id),
        response.request_id,
        partial=response.partial,
        message=response.message,
    )


def filled(found: Iterator[M], field: str, value: str) -> Iterator[M]:
    """`found` with `field` set to `value` where the payload left it out."""
    for item in found:
        if getattr(item, field) is None:
            setattr(item, field, value)
        yield item
