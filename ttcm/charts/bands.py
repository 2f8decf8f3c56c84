"""A histogram of counts per band drawn as a small static SVG, every bar labelled with its count.

Discovery redraws its two histograms on every applied filter. As plotly figures the two cost
chromium 136 ms of script per Apply under its profiler at a million creators (docs/decisions.md
§20), more than the server's whole search; a picture of twenty bars costs almost nothing to
show, and writing each count above its bar says what a hover would have said. The text is
grey so it reads on Streamlit's light and dark themes alike; the chart's title and summary are
written by the page in the theme's own colours. Every string is escaped: nothing in the picture
is markup from elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from ttcm.domain import format as numfmt

WIDTH, HEIGHT = 440, 250  # drawn at about this size in half of a wide page: text stays legible
LEFT, RIGHT, TOP, BOTTOM = 40, 6, 16, 66
TEXT = "#808495"  # mid grey: legible on a white and on a near-black background
GRID = "#80849540"
FONT = "'Source Sans Pro', 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif"


@dataclass(frozen=True)
class Bands:
    """Counts of matching creators per band, with what the chart and its summary call them."""

    title: str  # "Followers of matching creators"
    labels: tuple[str, ...]  # one per band: "10k–18k"
    counts: tuple[int, ...]
    colour: str  # the bars' fill, "#RRGGBB"
    having: str  # what a creator in a band has, "{}" for its label: "a {} engagement rate"
    measure: str  # what the bands measure: "follower count"

    @property
    def total(self) -> int:
        """How many creators the bars hold."""
        return sum(self.counts)


def bands(
    title: str,
    labels: Sequence[str],
    counts: np.ndarray,
    colour: str,
    having: str,
    measure: str,
) -> Bands:
    """Bands from a histogram's labels and counts (plain ints, so the value pickles small)."""
    values = tuple(int(c) for c in np.asarray(counts, dtype=np.int64))
    if len(values) != len(labels):
        raise ValueError(f"{len(labels)} labels for {len(values)} counts")
    return Bands(title, tuple(labels), values, colour, having, measure)


def _y_ticks(top: int) -> list[int]:
    """Up to seven round gridline values from 0 to the first at or above `top`."""
    if top <= 0:
        return [0]
    raw = top / 5
    magnitude = 10 ** int(np.floor(np.log10(raw))) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return list(range(0, top + step, step))


def _at(coordinate: float) -> str:
    """A coordinate in the picture, to a tenth of a pixel (geometry, not a number shown)."""
    return str(round(coordinate, 1))


def svg(b: Bands) -> str:
    """The chart as a standalone SVG document (an empty state when no creator is in a band)."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    font = f"font-family={quoteattr(FONT)} fill={quoteattr(TEXT)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img">',
        f"<title>{escape(b.title)}</title>",
    ]
    if b.total == 0:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="14" {font}>'
            f"No matching creator falls in these bands</text></svg>"
        )
        return "".join(parts)
    ticks = _y_ticks(max(b.counts))
    scale = inner_h / ticks[-1]
    for tick in ticks:
        y = TOP + inner_h - tick * scale
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_at(y)}" y2="{_at(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{_at(y + 3)}" text-anchor="end" font-size="10" {font}>'
            f"{escape(numfmt.compact_count(tick))}</text>"
        )
    band = inner_w / len(b.counts)
    for i, (label, count) in enumerate(zip(b.labels, b.counts, strict=True)):
        x, h = LEFT + i * band, count * scale
        mid = x + band / 2
        if count:
            parts.append(
                f'<rect x="{_at(x + band * 0.06)}" y="{_at(TOP + inner_h - h)}" '
                f'width="{_at(band * 0.88)}" height="{_at(h)}" fill={quoteattr(b.colour)}/>'
                f'<text x="{_at(mid)}" y="{_at(TOP + inner_h - h - 3)}" text-anchor="middle" '
                f'font-size="9" {font}>{escape(numfmt.compact_count(count))}</text>'
            )
        parts.append(
            f'<text transform="translate({_at(mid + 3)} {TOP + inner_h + 6}) rotate(-50)" '
            f'text-anchor="end" font-size="10" {font}>{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def summary(b: Bands, matching: int) -> str:
    """One sentence for the chart's caption and its text alternative: the busiest band, and
    how many of the `matching` creators no band holds."""
    if b.total == 0:
        return (
            f"No band holds any of the {numfmt.plural(matching, 'matching creator')}: "
            f"their {b.measure} is outside the bands or not on record."
        )
    busiest = int(np.argmax(b.counts))
    text = (
        f"The most common band: {numfmt.count(b.counts[busiest])} of the "
        f"{numfmt.count(matching)} matching creators have {b.having.format(b.labels[busiest])}."
    )
    outside = matching - b.total
    if outside > 0:
        text += f" Outside the bands or not on record: {numfmt.plural(outside, 'creator')}."
    return text
