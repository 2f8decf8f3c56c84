"""Option labels that tell the options apart (Streamlit's pickers return the chosen label)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def unique_labels(items: Iterable[tuple[K, str]]) -> dict[K, str]:
    """Each key's label; a label two keys share gets the key appended ("Launch · Acme · #7").

    A selectbox maps the label it shows back to an option, so two campaigns both called
    "Launch · Acme" would otherwise open the first of them whichever one was picked.
    """
    pairs = list(items)
    seen = Counter(label for _, label in pairs)
    return {key: f"{label} · #{key}" if seen[label] > 1 else label for key, label in pairs}
