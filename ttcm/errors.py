"""The error tree: one root for every error ttcm raises on purpose, so a page handles them once."""

from __future__ import annotations


class TTCMError(Exception):
    """Root of every error ttcm raises on purpose (anything else is a bug)."""


class InputError(TTCMError, ValueError):
    """What a person typed or chose is refused; the message names the field and the rule."""

    field: str | None = None


class NotFound(TTCMError, LookupError):
    """The thing asked for is not in the store (or not visible to this principal)."""


class Busy(TTCMError, RuntimeError):
    """Someone else holds the work (a refresh, a write in flight); try again later."""


class Forbidden(TTCMError, PermissionError):
    """The signed-in role may not do this."""


class UpstreamError(TTCMError):
    """TikTok One (or the network to it) answered with an error or something unexpected."""
