"""A per-process memo of pure computations, keyed by the content of what they are computed from.

A page that reruns on every click recomputes the same overview and redraws the same figures
from the same rows; the store is still read on every run (so new data shows at once), but what
is computed from an unchanged read is reused, by every session of the process. The key is a
digest of the pickled inputs: equal digests mean equal content (no stale hit is possible short
of a hash collision), while equal content pickled differently only costs a miss. Memoized
values are shared, so callers treat them as read-only.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

SIZE = 256  # entries (an overview and its dozen figures are about 15)
_LOCK = threading.Lock()
_MEMO: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()


def content_key(value: object) -> str:
    """A digest of a picklable value's content."""
    return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=20).hexdigest()


def memo(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()` once per key in this process; later calls with an equal key share its value."""
    with _LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            value: T = _MEMO[key]
            return value
    value = compute()  # outside the lock: two sessions may both compute a new key once
    with _LOCK:
        _MEMO[key] = value
        while len(_MEMO) > SIZE:
            _MEMO.popitem(last=False)
    return value


def forget() -> None:
    """Drop every memoized value (tests, benchmarks)."""
    with _LOCK:
        _MEMO.clear()


@dataclass(frozen=True)
class Memo:
    """The memo of one set of inputs: `once(name, compute)` computes `name` once per content."""

    key: tuple[Hashable, ...]

    def __call__(self, name: Hashable, compute: Callable[[], T]) -> T:
        """The value of `compute()` for these inputs and `name`, computed at most once."""
        return memo((*self.key, name), compute)
