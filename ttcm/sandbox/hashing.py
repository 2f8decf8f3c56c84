"""Stable integer hashing: lazily derived sandbox values come from (seed, ids) through here."""

from __future__ import annotations

import hashlib
import math

_MASK64 = (1 << 64) - 1


def _splitmix(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def mix(*keys: int | str) -> int:
    """A 64-bit hash of the keys, identical in every process (unlike `hash`)."""
    h = 0x243F6A8885A308D3
    for key in keys:
        if isinstance(key, str):
            digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
            h = _splitmix(h ^ int.from_bytes(digest, "little") ^ 0xFF)
        else:
            h = _splitmix(h ^ (key & _MASK64))
    return h


def unit(*keys: int | str) -> float:
    """A uniform float in [0, 1) derived from the keys."""
    return (mix(*keys) >> 11) / float(1 << 53)


def between(lo: float, hi: float, *keys: int | str) -> float:
    """A uniform float in [lo, hi) derived from the keys."""
    return lo + (hi - lo) * unit(*keys)


def lognormal(median: float, sigma: float, *keys: int | str) -> float:
    """A log-normal draw with the given median, derived from the keys."""
    u = min(max(unit(*keys), 1e-12), 1 - 1e-12)
    # Box-Muller needs two uniforms; the second comes from a salted key
    v = unit(*keys, "ln2")
    z = math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * v)
    return median * math.exp(sigma * z)
