"""`TikTokOne` (the Protocol services type against) and `TikTokOneClient` say the same calls."""

from __future__ import annotations

import inspect

from ttcm.api.client import TikTokOneClient
from ttcm.api.protocol import TikTokOne


def _public(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n, None))}


def _parameters(fn: object) -> list[tuple[str, object, bool]]:
    """(name, kind, has a default) of each parameter after self/api: the defaults' values are
    the implementation's (the Protocol writes `...`)."""
    params = list(inspect.signature(fn).parameters.values())[1:]  # type: ignore[arg-type]
    return [(p.name, p.kind, p.default is not p.empty) for p in params]


def test_every_public_call_of_the_client_is_in_the_protocol() -> None:
    assert _public(TikTokOneClient) == _public(TikTokOne)


def test_the_protocol_has_the_client_s_parameters() -> None:
    for name in sorted(_public(TikTokOne)):
        ours, theirs = getattr(TikTokOneClient, name), getattr(TikTokOne, name)
        assert _parameters(ours) == _parameters(theirs), name
        hints = inspect.signature(ours).return_annotation
        assert hints == inspect.signature(theirs).return_annotation, name
