"""Injected failures (docs/contract.md, "Fault spec"): parse the spec, decide each request's fate.

Spec keys: `throttle_every=N`, `throttle_storm=N`, `token_expire_after=N`, `error_5xx=P`,
`http_5xx=P`, `malformed=P`, `timeout=P`, `slow_ms=N`, `slow_seconds=S` (how long a timeout
stalls the loopback server, default 2), `qpm_penalty=S` (after a per-minute breach every request
is refused for S seconds; TikTok: 300), `time_factor=F` (scales `qpm_penalty`, for tests) and
`seed=S`. `P` is a probability in [0, 1].
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any


class Fault(StrEnum):
    """What a fault does to one request."""

    THROTTLE = "throttle"  # envelope 40100
    TOKEN_EXPIRED = "token_expired"  # envelope 40102
    ERROR_5XX = "error_5xx"  # envelope 50000
    HTTP_5XX = "http_5xx"  # HTTP 503, text body
    MALFORMED = "malformed"  # truncated JSON body
    TIMEOUT = "timeout"  # transport raises ReadTimeout; server stalls `slow_seconds`


_COUNTS = ("throttle_every", "throttle_storm", "token_expire_after", "slow_ms", "seed")
_PROBABILITIES = ("error_5xx", "http_5xx", "malformed", "timeout")


@dataclass(frozen=True)
class FaultSpec:
    """A parsed fault spec; all zero means no faults."""

    throttle_every: int = 0
    throttle_storm: int = 0
    token_expire_after: int = 0
    error_5xx: float = 0.0
    http_5xx: float = 0.0
    malformed: float = 0.0
    timeout: float = 0.0
    slow_ms: int = 0
    slow_seconds: float = 2.0
    qpm_penalty: float = 0.0
    time_factor: float = 1.0
    seed: int = 0

    @classmethod
    def parse(cls, spec: str | dict[str, Any] | FaultSpec | None) -> FaultSpec:
        """Parse `key=value,...`, a JSON object (or its text), or None; ValueError when bad."""
        if spec is None:
            return cls()
        if isinstance(spec, FaultSpec):
            return spec
        if isinstance(spec, str):
            text = spec.strip()
            if text.startswith("{"):
                try:
                    spec = json.loads(text)
                except ValueError as exc:
                    raise ValueError(f"fault spec is not valid JSON: {exc}") from None
            else:
                spec = _pairs(text)
        if not isinstance(spec, dict):
            raise ValueError("fault spec must be 'key=value,...' or a JSON object")
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in spec.items():
            if key not in known:
                raise ValueError(
                    f"unknown fault key {key!r}; known keys: {', '.join(sorted(known))}"
                )
            values[key] = _value(key, raw)
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """The non-default settings, as the JSON form of the spec."""
        default = FaultSpec()
        return {k: v for k, v in asdict(self).items() if v != getattr(default, k)}

    def __str__(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.as_dict().items()) or "none"


def _pairs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"fault spec item {part!r} is not key=value")
        out[key.strip()] = value.strip()
    return out


def _value(key: str, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise ValueError(f"fault {key} must be a number, got {raw!r}")
    if key in _COUNTS:
        try:
            value = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
        except (TypeError, ValueError):
            value = None
        if value is None or value < 0:
            raise ValueError(f"fault {key} must be a whole number >= 0, got {raw!r}")
        return value
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"fault {key} must be a number, got {raw!r}") from None
    if key in _PROBABILITIES and not 0.0 <= number <= 1.0:
        raise ValueError(f"fault {key} is a probability and must be in [0, 1], got {raw!r}")
    if not 0.0 <= number <= 3600.0:
        raise ValueError(f"fault {key} must be between 0 and 3600, got {raw!r}")
    return number


class FaultPlan:
    """Applies a spec to a stream of requests; thread-safe, deterministic for a given seed."""

    def __init__(self, spec: str | dict[str, Any] | FaultSpec | None = None) -> None:
        self._lock = threading.Lock()
        self.replace(spec)

    def replace(self, spec: str | dict[str, Any] | FaultSpec | None) -> FaultSpec:
        """Install a new spec and restart its counters."""
        parsed = FaultSpec.parse(spec)
        with self._lock:
            self.spec = parsed
            self._random = random.Random(parsed.seed)
            self._count = 0
            self._storm_left = parsed.throttle_storm
        return parsed

    def next(self) -> Fault | None:
        """The fault for the next request, or None to process it normally."""
        with self._lock:
            s = self.spec
            self._count += 1
            # one draw per probability every request, so outcomes depend only on seed and count
            draws = {key: self._random.random() for key in _PROBABILITIES}
            if s.token_expire_after and self._count > s.token_expire_after:
                return Fault.TOKEN_EXPIRED
            if self._storm_left > 0:
                self._storm_left -= 1
                return Fault.THROTTLE
            if s.throttle_every and self._count % s.throttle_every == 0:
                return Fault.THROTTLE
            for key, fault in (
                ("http_5xx", Fault.HTTP_5XX),
                ("error_5xx", Fault.ERROR_5XX),
                ("malformed", Fault.MALFORMED),
                ("timeout", Fault.TIMEOUT),
            ):
                if draws[key] < getattr(s, key):
                    return fault
            return None

    @property
    def slow_seconds(self) -> float:
        """How long a timeout fault stalls the loopback server."""
        return self.spec.slow_seconds

    @property
    def delay_seconds(self) -> float:
        """Delay added to every answer (`slow_ms`)."""
        return self.spec.slow_ms / 1000.0
