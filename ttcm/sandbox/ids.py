"""Digit-string ids of the sandbox, reversible so a lookup never needs an index of all ids."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ttcm.sandbox.hashing import mix

ACCOUNT_ID = "7000000000000000007"  # the one TTO / TCM account the sandbox token may act on
MEDIA_HOST = "https://sandbox.ttcm.invalid"  # never resolves: sandbox URLs are obviously fake

_CREATOR_BASE = 6_800_000_000_000_000_000
_CREATOR_BITS = 48
_CREATOR_MUL = 0x5DEECE66D  # odd, so multiplication is a bijection modulo 2**bits

_VIDEO_BASE = 7_100_000_000_000_000_000
_VIDEO_BITS = 52
_VIDEO_MUL = 0x2545F4914F6CDD1D & ((1 << _VIDEO_BITS) - 1) | 1
_J_BITS = 24
_J_OFFSET = 1 << (_J_BITS - 1)
_IDX_BITS = 26

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class VideoKind(IntEnum):
    """Where a video comes from; encoded in its id."""

    ORGANIC = 0  # the creator's own post number j
    ORDER = 1  # deliverable k of order seq: j = seq * 16 + k
    CAMPAIGN = 2  # the video a creator posted for TTO campaign seq: j = seq * 16


@dataclass(frozen=True, slots=True)
class VideoRef:
    """A decoded video id."""

    kind: VideoKind
    creator: int
    j: int


def _mask(seed: int, salt: str, bits: int) -> int:
    return mix(seed, salt) & ((1 << bits) - 1)


def creator_id(seed: int, idx: int) -> str:
    """The creator_id of creator `idx`."""
    size = 1 << _CREATOR_BITS
    return str(_CREATOR_BASE + (((idx * _CREATOR_MUL) % size) ^ _mask(seed, "creator", 48)))


def creator_index(seed: int, value: str, n: int) -> int | None:
    """The creator index of a creator_id string, or None when it is not one of ours."""
    if not isinstance(value, str) or not value.isdigit() or len(value) > 25:
        return None
    size = 1 << _CREATOR_BITS
    mixed = int(value) - _CREATOR_BASE
    if not 0 <= mixed < size:
        return None
    idx = ((mixed ^ _mask(seed, "creator", 48)) * pow(_CREATOR_MUL, -1, size)) % size
    return idx if idx < n else None


def video_id(seed: int, kind: VideoKind, creator: int, j: int) -> str:
    """The video_id of a video."""
    size = 1 << _VIDEO_BITS
    payload = (int(kind) << 50) | (creator << _J_BITS) | (j + _J_OFFSET)
    return str(_VIDEO_BASE + (((payload * _VIDEO_MUL) % size) ^ _mask(seed, "video", 52)))


def video_ref(seed: int, value: str, n: int) -> VideoRef | None:
    """Decode a video_id string, or None when it is not one of ours."""
    if not isinstance(value, str) or not value.isdigit() or len(value) > 25:
        return None
    size = 1 << _VIDEO_BITS
    mixed = int(value) - _VIDEO_BASE
    if not 0 <= mixed < size:
        return None
    payload = ((mixed ^ _mask(seed, "video", 52)) * pow(_VIDEO_MUL, -1, size)) % size
    kind = payload >> 50
    creator = (payload >> _J_BITS) & ((1 << _IDX_BITS) - 1)
    j = (payload & ((1 << _J_BITS) - 1)) - _J_OFFSET
    if kind > max(VideoKind) or creator >= n:
        return None
    return VideoRef(VideoKind(kind), creator, j)


def object_id(seed: int, prefix: str, seq: int) -> str:
    """Id of a sandbox-created object (campaign, order, brand profile, link request)."""
    return f"{prefix}{seed % 1000:03d}{seq:012d}"


def campaign_code(seed: int, seq: int) -> str:
    """A legacy campaign code such as `SBX000012QK`."""
    h = mix(seed, "code", seq)
    return f"SBX{seq:06d}{_ALPHABET[h % 26]}{_ALPHABET[(h >> 8) % 26]}"


def auth_code(seed: int, video: str, cycle: int) -> str:
    """A Spark Ads authorization code for one accepted request."""
    h = mix(seed, "auth", video, cycle)
    chars = []
    for i in range(40):
        if i % 10 == 0:
            h = mix(h, i)
        chars.append(_ALPHABET[h % 62])
        h //= 62
    return "#" + "".join(chars)
