"""Errors of the refresh."""

from __future__ import annotations

from ttcm.errors import Busy, TTCMError


class RefreshError(TTCMError):
    """A refresh could not run or stopped; the message is for people."""


class RefreshBusy(RefreshError, Busy):
    """Another refresh holds the lease."""
