"""Digit-string ids of the sandbox, reversible so a lookup never needs an index of all ids."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ttcm.sandbox.hashing import mix

ACCOUNT_ID = "7000000000000000007"  # the one TTO / TCM account the sandbox token may act on
MEDIA_HOST = "https://sandbox.ttcm.invalid"  # never resolves: sandbox URLs are obviously fake

_VIDEO_BITS = 52
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


@dataclass(frozen=True, slots=True)
class _IdSpace:
    """Payloads below 2**bits as digit strings above `base`: multiplied, then masked by the seed."""

    base: int
    bits: int
    mul: int  # odd, so multiplication is a bijection modulo 2**bits
    salt: str

    def encode(self, seed: int, payload: int) -> str:
        """The id string of `payload`."""
        size = 1 << self.bits
        return str(self.base + (((payload * self.mul) % size) ^ _mask(seed, self.salt, self.bits)))

    def decode(self, seed: int, value: str) -> int | None:
        """The payload of an id string, or None when it is not an id of this space."""
        if not isinstance(value, str) or not value.isdigit() or len(value) > 25:
            return None
        size = 1 << self.bits
        mixed = int(value) - self.base
        if not 0 <= mixed < size:
            return None
        return ((mixed ^ _mask(seed, self.salt, self.bits)) * pow(self.mul, -1, size)) % size


_CREATORS = _IdSpace(6_800_000_000_000_000_000, 48, 0x5DEECE66D, "creator")
_VIDEOS = _IdSpace(
    7_100_000_000_000_000_000,
    _VIDEO_BITS,
    0x2545F4914F6CDD1D & ((1 << _VIDEO_BITS) - 1) | 1,
    "video",
)


def creator_id(seed: int, idx: int) -> str:
    """The creator_id of creator `idx`."""
    return _CREATORS.encode(seed, idx)


def creator_index(seed: int, value: str, n: int) -> int | None:
    """The creator index of a creator_id string, or None when it is not one of ours."""
    idx = _CREATORS.decode(seed, value)
    return idx if idx is not None and idx < n else None


def video_id(seed: int, kind: VideoKind, creator: int, j: int) -> str:
    """The video_id of a video."""
    return _VIDEOS.encode(seed, (int(kind) << 50) | (creator << _J_BITS) | (j + _J_OFFSET))


def video_ref(seed: int, value: str, n: int) -> VideoRef | None:
    """Decode a video_id string, or None when it is not one of ours."""
    payload = _VIDEOS.decode(seed, value)
    if payload is None:
        return None
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
