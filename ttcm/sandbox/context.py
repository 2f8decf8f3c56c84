"""What a request handler gets: the world at the request's time plus the request's endpoint."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ttcm import rules
from ttcm.api.endpoints import Endpoint
from ttcm.sandbox.data import CreatorDirectory
from ttcm.sandbox.discover import Discover
from ttcm.sandbox.params import NOT_FOUND, ApiError, Params
from ttcm.sandbox.state import SandboxState
from ttcm.sandbox.world import World


@dataclass(frozen=True, slots=True)
class Context:
    """One request: the world, the sandbox time `t` (Unix seconds) and the endpoint."""

    world: World
    discover: Discover
    t: float
    endpoint: Endpoint
    headers: Mapping[str, str]  # lower-case names

    @property
    def d(self) -> CreatorDirectory:
        """The creator directory."""
        return self.world.d

    @property
    def state(self) -> SandboxState:
        """The brand's facts."""
        return self.world.state

    @property
    def seed(self) -> int:
        """The directory's seed."""
        return self.world.seed

    def creator(self, p: Params, name: str = "handle_name") -> int:
        """The creator index named by a handle parameter; 40007 when no account has it."""
        handle = p.text(name, required=True, max_len=int(rules.limits()["handle_max_chars"]))
        assert handle is not None
        i = self.d.index_of(handle)
        if i is None:
            raise ApiError(NOT_FOUND, f"{name}: no TikTok account uses the handle {handle!r}.")
        return i


Handler = Callable[[Context, Params], dict[str, Any]]
