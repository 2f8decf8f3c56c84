"""The SVG band chart: one labelled bar per band with a count, heights to scale, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from ttcm.charts import bands, discovery

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(b: bands.Bands) -> ET.Element:
    return ET.fromstring(bands.svg(b))


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iterfind(".//s:text", NS)]


def test_every_band_with_creators_is_a_bar_to_scale_with_its_count() -> None:
    b = bands.bands(
        "T", ["a", "b", "c", "d"], np.array([1_000, 0, 4_000, 25_000]), "#123456", "{}", "x"
    )
    root = _parse(b)
    rects = root.findall(".//s:rect", NS)
    assert len(rects) == 3  # the empty band draws no bar
    heights = [float(r.get("height", "0")) for r in rects]
    assert heights[2] == pytest.approx(heights[0] * 25, rel=0.01)
    assert heights[1] == pytest.approx(heights[0] * 4, rel=0.01)
    assert {r.get("fill") for r in rects} == {"#123456"}
    texts = _texts(root)
    assert {"a", "b", "c", "d", "1k", "4k", "25k"} <= set(texts)
    assert root.find("s:title", NS).text == "T"


def test_gridlines_are_round_and_reach_the_tallest_bar() -> None:
    for top in (1, 7, 99, 20_530, 34_224, 999_999):
        ticks = bands._y_ticks(top)
        assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= 7
        steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
        assert len(steps) == 1


def test_hostile_text_stays_text() -> None:
    hostile = ['<script>alert("x")</script>', "=HYPERLINK(1)", "a & b 'q' 🙂", ""]
    b = bands.bands('<b>"T"</b>', hostile, np.array([1, 2, 3, 4]), '"><x y="', "{}", "<u>")
    root = _parse(b)  # well-formed: nothing broke out of its text or attribute
    assert set(hostile) <= set(_texts(root))
    assert root.find("s:title", NS).text == '<b>"T"</b>'
    assert not root.findall(".//s:script", NS) and not root.findall(".//s:x", NS)
    assert {r.get("fill") for r in root.findall(".//s:rect", NS)} == {'"><x y="'}


def test_no_creator_in_any_band_draws_only_a_message() -> None:
    b = discovery.follower_histogram(np.array([1e3, 1e4, 1e5]), np.array([0, 0]))
    root = _parse(b)
    assert not root.findall(".//s:rect", NS)
    assert _texts(root) == ["No matching creator falls in these bands"]
    assert bands.summary(b, 12) == (
        "No band holds any of the 12 matching creators: their follower count is outside the"
        " bands or not on record."
    )


def test_the_summary_names_the_busiest_band_and_who_is_outside() -> None:
    b = discovery.engagement_histogram(np.array([0.0, 0.05, 0.1, 0.2]), np.array([3, 9, 1]))
    assert b.labels == ("0%–5%", "5%–10%", "≥ 10%")
    assert bands.summary(b, 13) == (
        "The most common band: 9 of the 13 matching creators have an engagement rate of 5%–10%."
    )
    assert bands.summary(b, 15).endswith(" Outside the bands or not on record: 2 creators.")


def test_labels_and_counts_must_pair_up() -> None:
    with pytest.raises(ValueError, match="3 labels for 2 counts"):
        bands.bands("T", ["a", "b", "c"], np.array([1, 2]), "#000000", "{}", "x")
