"""The sandbox's mutable facts (what brands did) and their optional JSON file.

Only facts are stored: who was invited when, which orders and campaigns exist, every Spark Ads
request. Everything that happens afterwards (a creator joins, a video is posted, a code expires)
is derived from these facts, the seed and the clock, so the file stays small and two processes
sharing it agree.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMAT = 1
_SECTIONS = ("brands", "campaigns", "links", "invitations", "codes", "orders", "spark")


class SandboxState:
    """Facts as plain JSON-ready dicts, plus in-memory indexes rebuilt from them."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = data if data is not None else self.empty()
        for section in _SECTIONS:
            self.data.setdefault(section, {})
        self.rebuild()

    @staticmethod
    def empty() -> dict[str, Any]:
        """A state with no facts."""
        return {"format": FORMAT, "clock_offset_hours": 0.0, "seq": 0} | {s: {} for s in _SECTIONS}

    @property
    def brands(self) -> dict[str, Any]:
        """Brand profiles by id."""
        return self.data["brands"]

    @property
    def campaigns(self) -> dict[str, Any]:
        """TTO campaigns by id."""
        return self.data["campaigns"]

    @property
    def links(self) -> dict[str, Any]:
        """Video link requests by `campaign_id:video_id`."""
        return self.data["links"]

    @property
    def invitations(self) -> dict[str, Any]:
        """Marketplace invitations by canonical handle."""
        return self.data["invitations"]

    @property
    def codes(self) -> dict[str, Any]:
        """Legacy campaign codes (order flow) by code."""
        return self.data["codes"]

    @property
    def orders(self) -> dict[str, Any]:
        """Legacy v2 orders by id."""
        return self.data["orders"]

    @property
    def spark(self) -> dict[str, Any]:
        """Spark Ads request history by video id."""
        return self.data["spark"]

    def next_seq(self) -> int:
        """A new sequence number, unique within this state (and its file)."""
        self.data["seq"] = int(self.data.get("seq", 0)) + 1
        return self.data["seq"]

    def rebuild(self) -> None:
        """Recompute the lookup indexes after the facts changed."""
        self.orders_by_creator: dict[int, list[str]] = {}
        self.orders_by_seq: dict[int, str] = {}
        for oid, o in self.data["orders"].items():
            self.orders_by_creator.setdefault(int(o["creator"]), []).append(oid)
            self.orders_by_seq[int(o["seq"])] = oid
        self.campaigns_by_seq: dict[int, str] = {}
        self.campaigns_by_creator: dict[int, list[str]] = {}
        for cid, c in self.data["campaigns"].items():
            self.campaigns_by_seq[int(c["seq"])] = cid
            for member in c["members"].values():
                self.campaigns_by_creator.setdefault(int(member["creator"]), []).append(cid)
        self.code_by_link: dict[str, str] = {c["invite_link"]: k for k, c in self.codes.items()}

    def counts(self) -> dict[str, int]:
        """Number of facts per kind."""
        return {s: len(self.data[s]) for s in _SECTIONS}


class StateFile:
    """Atomic JSON persistence of a `SandboxState`, shared safely between processes."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._seen: tuple[int, int, int] | None = None

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def changed(self) -> bool:
        """True when the file differs from what this process last read or wrote."""
        return self._stat() != self._seen

    def load(self) -> SandboxState | None:
        """Read the file (None when it does not exist yet)."""
        stat = self._stat()
        if stat is None:
            self._seen = None
            return None
        with self.path.open(encoding="utf-8") as fh:
            data = json.load(fh)
        self._seen = self._stat()
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{self.path} is not a sandbox state file (format {FORMAT})")
        return SandboxState(data)

    def save(self, state: SandboxState) -> None:
        """Write the state atomically: a temporary file in the same folder, then os.replace."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(state.data, fh, ensure_ascii=False, separators=(",", ":"))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._seen = self._stat()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold an exclusive lock (a sidecar `.lock` file) across a read-modify-write."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.path}.lock", "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
