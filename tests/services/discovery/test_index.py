"""The engine's shortcuts give exactly the answers of the plain computations they replace."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttcm.services.discovery.build import (
    DEFAULT_ORDER,
    ER_BINS,
    IndexData,
    er_bins,
    load_snapshot,
    save,
    sort_order,
)
from ttcm.services.discovery.index import CreatorIndex, Query

SIZE = 40_000  # big enough that a sparse filter gives up the walk and sorts its matches


def synthetic(seed: int) -> CreatorIndex:
    """An index of followers with unknowns and many ties, handles in a shuffled order."""
    rng = np.random.default_rng(seed)
    followers = rng.integers(0, 300, SIZE).astype(float) * 1000  # ~130 creators per value
    followers[rng.random(SIZE) < 0.1] = np.nan
    rank = rng.permutation(SIZE).astype(np.int32)
    er = rng.uniform(0, 0.25, SIZE)
    er[rng.random(SIZE) < 0.05] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        fbin = np.floor((np.log10(followers) - 3) / 0.25)
    cols = {
        "er": er,
        "er_bin": er_bins(er),
        "follower_bin": np.clip(np.nan_to_num(fbin, nan=-1), -1, 19).astype(np.int8),
        "id": np.arange(1, SIZE + 1, dtype=np.int64),
        "followers": followers,
        "handle_rank": rank,
        DEFAULT_ORDER: sort_order(followers, rank, descending=True),
    }
    return CreatorIndex(IndexData(version=1, cols=cols, vocab={}))


def sorted_matches(index: CreatorIndex, mask: np.ndarray) -> np.ndarray:
    """Every match in the default order, the long way: a full sort of the matches."""
    idx = np.flatnonzero(mask)
    values = np.asarray(index.cols["followers"])[idx]
    key = np.where(np.isnan(values), np.inf, -values)
    return idx[np.lexsort((np.asarray(index.cols["handle_rank"])[idx], key))]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 3),
    density=st.sampled_from([1.0, 0.5, 0.05, 0.004, 0.0005, 0.0]),
    limit=st.sampled_from([1, 50, 200]),
    page=st.integers(0, 30),
)
def test_a_page_along_the_presorted_order_is_the_page_of_a_full_sort(
    seed: int, density: float, limit: int, page: int
) -> None:
    index = synthetic(seed)
    mask = np.random.default_rng(seed + 100).random(SIZE) < density
    offset = page * limit
    got = index.page(Query(), mask, limit=limit, offset=offset)
    assert got.tolist() == sorted_matches(index, mask)[offset : offset + limit].tolist()


def test_other_sorts_do_not_use_the_followers_order() -> None:
    index = synthetic(0)
    mask = np.ones(SIZE, dtype=bool)
    ascending = index.page(Query(descending=False), mask, limit=5)
    values = np.asarray(index.cols["followers"])[ascending]
    assert values.tolist() == sorted(values.tolist()) and values[0] == 0


@pytest.mark.parametrize(
    "rates",
    [
        [0.0, 0.01, 0.07, 0.1, 0.19999, 0.2, 0.2001, 3.5, -0.5, np.nan],
        list(ER_BINS),  # every edge exactly
        list(np.random.default_rng(3).uniform(-0.05, 0.3, 5000)),
    ],
)
def test_er_bins_count_as_np_histogram_does(rates: list[float]) -> None:
    er = np.array(rates, dtype=float)
    bins = er_bins(er)
    known = er[~np.isnan(er)]
    expected, _ = np.histogram(np.clip(known, ER_BINS[0], ER_BINS[-1]), bins=ER_BINS)
    assert np.bincount(bins[bins >= 0], minlength=len(ER_BINS) - 1).tolist() == expected.tolist()
    assert (bins[np.isnan(er)] == -1).all()


def test_a_snapshot_of_another_layout_is_never_mapped_and_is_replaced(tmp_path: Path) -> None:
    old = tmp_path / "v7-3"  # written before the layout was named: no er_bin, no order
    old.mkdir()
    np.save(old / "id.npy", np.arange(3))
    (old / "vocab.json").write_text("{}")
    assert load_snapshot(tmp_path, 7) is None

    index = synthetic(1)
    data = IndexData(version=7, cols=dict(index.cols), vocab={})
    final = save(data, tmp_path)
    assert not old.exists() and final.exists()
    mapped = load_snapshot(tmp_path, 7)
    assert mapped is not None and mapped.size == SIZE


def test_histograms_are_kept_per_filter_and_version_not_per_sort_or_page() -> None:
    index = synthetic(2)
    broad = Query(ranges=(("followers", 100_000.0, None),))
    mask = index.mask(broad)
    first = index.histograms(broad, mask)
    assert index.histograms(replace(broad, sort="er", descending=False), mask) is first
    assert first[0][1].tolist() == index.histogram(mask, "followers")[1].tolist()
    assert first[1][1].tolist() == index.histogram(mask, "er")[1].tolist()
    assert not first[1][1].flags.writeable  # shared: nobody can change it for the others

    narrow = Query(ranges=(("followers", 250_000.0, None),))
    assert index.histograms(narrow, index.mask(narrow))[0][1].sum() < first[0][1].sum()
    one, two = Query(text_ids=np.array([1, 2, 3])), Query(text_ids=np.array([4]))
    a = index.histograms(one, index.mask(one))
    assert index.histograms(two, index.mask(two)) is not a
    assert index.histograms(Query(text_ids=np.array([1, 2, 3])), index.mask(one)) is a
    assert synthetic(2).histograms(broad, mask) is not first  # another index, its own counts
