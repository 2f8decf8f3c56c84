"""Pronounceable creator names and template bios, built vectorised for large directories."""

from __future__ import annotations

import random

import numpy as np

_ONSETS = [
    "b",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "ch",
    "sh",
]
_VOWELS = ["a", "e", "i", "o", "u"]
_CODAS = ["", "", "", "n", "l", "r", "s", "x"]


def _words(count: int, salt: int) -> list[str]:
    """`count` distinct capitalised pseudo-words of two or three syllables."""
    r = random.Random(salt)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        parts = [r.choice(_ONSETS) + r.choice(_VOWELS) for _ in range(r.choice((2, 2, 3)))]
        word = ("".join(parts) + r.choice(_CODAS)).capitalize()
        if word not in seen and 3 <= len(word) <= 9:
            seen.add(word)
            out.append(word)
    return out


FIRST_WORDS = _words(420, 11)
LAST_WORDS = _words(420, 23)
_HANDLE_TAILS = ["tv", "official", "daily", "vlogs", "eats", "fit", "plays", "style", "lab", "co"]

# hostile-ish but valid decorations of a small fraction of display names (applied lazily)
DISPLAY_DECORATIONS = ["{}", "{} ✨", '"{}"', "<b>{}</b>", "{} 🌸🔥", "{} & Co. 'official'"]
DISPLAY_DECORATION_WEIGHTS = [0.965, 0.012, 0.006, 0.006, 0.006, 0.005]

BIO_OPENERS = [
    "Hi, I'm here for",
    "Daily",
    "Your go-to for",
    "Sharing",
    "Obsessed with",
    "Making videos about",
    "All about",
    "Real talk on",
    "Little corner of",
    "Weekly drops:",
    "Learning out loud:",
    "Small budget, big ideas:",
    "Certified fan of",
    "Documenting",
    "Slow living and",
    "Honest takes on",
]
BIO_CLOSERS = [
    "DM for collabs 📩",
    "New videos every week.",
    "Business inquiries via email.",
    "☕ + good vibes",
    "Links below ⬇️",
    "Est. 2019.",
    "Part-time nerd, full-time creator.",
    "Tap follow for more!",
    "Opinions are my own.",
    "Made with love & coffee",
    "Brand partnerships open.",
    "Posting from my kitchen table.",
]
BIO_EXTRAS = ["", ' "Not your average creator"', " <b>Collabs open!</b>", " 🚀🚀🚀 100% real 💯"]
BIO_EXTRA_WEIGHTS = [0.94, 0.02, 0.02, 0.02]


def bio_text(opener: int, topic: str, closer: int, extra: int) -> str:
    """The bio for one combination of template parts."""
    return f"{BIO_OPENERS[opener]} {topic}. {BIO_CLOSERS[closer]}{BIO_EXTRAS[extra]}"


def bio_table(topics: list[str]) -> list[str]:
    """Every possible bio, indexed by `bio_id` (opener, topic, closer, extra)."""
    return [
        bio_text(o, t, c, e)
        for o in range(len(BIO_OPENERS))
        for t in topics
        for c in range(len(BIO_CLOSERS))
        for e in range(len(BIO_EXTRAS))
    ]


def bio_ids(rng: np.random.Generator, topic: np.ndarray, n_topics: int) -> np.ndarray:
    """Random bio ids for creators whose topic index is `topic`."""
    n = len(topic)
    o = rng.integers(0, len(BIO_OPENERS), n)
    c = rng.integers(0, len(BIO_CLOSERS), n)
    e = rng.choice(len(BIO_EXTRAS), n, p=BIO_EXTRA_WEIGHTS)
    n_c, n_e = len(BIO_CLOSERS), len(BIO_EXTRAS)
    return (((o * n_topics + topic) * n_c + c) * n_e + e).astype(np.int32)


def display_names(first: np.ndarray, last: np.ndarray, style: np.ndarray) -> list[str]:
    """Undecorated display names: "First Last", "First" or "First L."."""
    fw, lw = FIRST_WORDS, LAST_WORDS
    return [
        f"{fw[f]} {lw[m]}" if s == 0 else (fw[f] if s == 1 else f"{fw[f]} {lw[m][0]}.")
        for f, m, s in zip(first.tolist(), last.tolist(), style.tolist(), strict=True)
    ]


def handles(
    first: np.ndarray, last: np.ndarray, style: np.ndarray, number: np.ndarray
) -> list[str]:
    """Lower-case handles derived from the display-name words plus a number (may repeat)."""
    fw = [w.lower() for w in FIRST_WORDS]
    lw = [w.lower() for w in LAST_WORDS]
    tails = _HANDLE_TAILS
    patterns = [
        lambda f, m, k: f"{fw[f]}{lw[m]}{k}",
        lambda f, m, k: f"{fw[f]}.{lw[m]}",
        lambda f, m, k: f"{fw[f]}_{k}",
        lambda f, m, k: f"the{fw[f]}{lw[m]}",
        lambda f, m, k: f"{fw[f]}{tails[k % len(tails)]}{k % 100}",
    ]
    out: list[str] = [""] * len(first)
    for s, make in enumerate(patterns):
        rows = np.flatnonzero(style == s)
        made = [
            make(f, m, k)
            for f, m, k in zip(
                first[rows].tolist(), last[rows].tolist(), number[rows].tolist(), strict=True
            )
        ]
        for r, h in zip(rows.tolist(), made, strict=True):
            out[r] = h
    return out


def make_unique(names: list[str]) -> dict[str, int]:
    """Make `names` unique in place (suffixing repeats) and return the name -> index map."""
    index = dict(zip(names, range(len(names)), strict=True))
    if len(index) == len(names):
        return index
    index = {}
    for i, name in enumerate(names):
        if name in index:
            k = i
            candidate = f"{name}_{k}"
            while candidate in index:
                k += 1
                candidate = f"{name}_{k}"
            names[i] = name = candidate
        index[name] = i
    return index


class TextIndex:
    """Case-insensitive substring search over many short strings held in one joined blob."""

    _SEP = "\x00"

    def __init__(self, texts: list[str], ids: np.ndarray | None = None) -> None:
        lowered = [t.lower().replace(self._SEP, " ") for t in texts]
        lengths = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered))
        self._starts = np.zeros(len(lowered), dtype=np.int64)
        if len(lowered) > 1:
            np.cumsum(lengths[:-1] + 1, out=self._starts[1:])
        self._blob = self._SEP.join(lowered)
        self._ids = np.arange(len(texts)) if ids is None else np.asarray(ids)

    def search(self, keyword: str) -> np.ndarray:
        """Ids of the strings that contain `keyword` (already lower-case), ascending."""
        if not keyword or self._SEP in keyword:
            return np.zeros(0, dtype=np.int64)
        blob, starts, found = self._blob, self._starts, []
        end = len(blob)
        pos = blob.find(keyword)
        while pos != -1:
            i = int(np.searchsorted(starts, pos, side="right")) - 1
            found.append(i)
            nxt = int(starts[i + 1]) if i + 1 < len(starts) else end
            pos = blob.find(keyword, nxt)
        return self._ids[np.asarray(found, dtype=np.int64)]

    def text(self, i: int) -> str:
        """The lower-cased string at position `i`."""
        start = int(self._starts[i])
        stop = int(self._starts[i + 1]) - 1 if i + 1 < len(self._starts) else len(self._blob)
        return self._blob[start:stop]
