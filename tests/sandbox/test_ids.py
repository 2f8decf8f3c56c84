"""Sandbox ids: digit strings that decode back to what made them, and only ours decode."""

from __future__ import annotations

import pytest

from ttcm.sandbox.ids import VideoKind, creator_id, creator_index, video_id, video_ref


@pytest.mark.parametrize("seed", [0, 11, 987_654])
def test_creator_ids_decode_to_their_index_and_differ_by_seed(seed: int) -> None:
    for idx in (0, 1, 1499, 2**26 - 1):
        value = creator_id(seed, idx)
        assert value.isdigit() and creator_index(seed, value, 2**26) == idx
    assert creator_id(seed, 5) != creator_id(seed + 1, 5)


def test_a_creator_id_beyond_the_directory_or_not_ours_is_none() -> None:
    assert creator_index(11, creator_id(11, 1500), 1500) is None
    for junk in ("", "abc", "1" * 26, "12", str(int(creator_id(11, 3)) + 2**49)):
        assert creator_index(11, junk, 1500) is None


@pytest.mark.parametrize("kind", list(VideoKind))
def test_video_ids_decode_to_kind_creator_and_number(kind: VideoKind) -> None:
    for creator, j in ((0, 0), (1499, 7), (42, -3), (2**20, 160_001)):
        ref = video_ref(11, video_id(11, kind, creator, j), 2**26)
        assert ref is not None and (ref.kind, ref.creator, ref.j) == (kind, creator, j)


def test_a_video_id_of_an_unknown_creator_or_not_ours_is_none() -> None:
    assert video_ref(11, video_id(11, VideoKind.ORGANIC, 1500, 0), 1500) is None
    for junk in ("", "x1", "9" * 26, creator_id(11, 3)):
        assert video_ref(11, junk, 1500) is None
