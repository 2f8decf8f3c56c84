"""One discovery index per store per process, replaced off the request path (issue 15).

Every refresh batch bumps the creators data version. A query never waits for the rebuild that
follows: it is answered from the index built last while one background thread per process
builds the new version (single-flight), which replaces the old index in one assignment when it
is ready. For a large store that thread only waits: the build runs in a child process
(`child_build`), since reading a million rows holds the interpreter lock for seconds and would
stall every query.
Processes that share the snapshot folder (several app processes on one PostgreSQL database) take
a file lock around the build, and the one that waited maps the snapshot the other published
instead of building it again; so each version is built at most once per host. Only a process
that has no index yet (a cold start) builds in the foreground.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ttcm.config import Settings
from ttcm.services.discovery.build import IndexData, build, load_snapshot, save, snapshot_root
from ttcm.services.discovery.child_build import IndexBuildError, build_in_child
from ttcm.services.discovery.index import CreatorIndex
from ttcm.store import Store, versions

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock, each process builds
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
Builder = Callable[[Store], IndexData]


@dataclass
class _Slot:
    """The index served for one store, and the background build replacing it, if any."""

    index: CreatorIndex | None = None
    building: threading.Thread | None = None
    attempted: int = -1  # the newest version a build was started for
    error: BaseException | None = None


@dataclass
class IndexCache:
    """Indexes by store: served at once, rebuilt in the background when the data changes."""

    builder: Builder = build
    # from this many creators a background build runs in a child process; below, a thread
    # builds in well under a second and a process would cost more than it saves
    child_from: int = 100_000
    # versions this cache built itself, and versions it mapped from another process's snapshot
    # (in order; tests and benchmarks read them through `builds()`)
    built: list[int] = field(default_factory=list)
    mapped: list[int] = field(default_factory=list)
    _slots: dict[str, _Slot] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # a cold start in one thread while another builds: one foreground build per store at a time
    _cold: threading.Lock = field(default_factory=threading.Lock)

    def current(self, store: Store, settings: Settings | None = None) -> CreatorIndex:
        """The index to answer a query with: current, or the last built while a new one builds."""
        key = _key(store)
        with store.read() as conn:
            version = versions.current(conn, "creators")
        with self._lock:
            slot = self._slots.setdefault(key, _Slot())
            served = slot.index
            if served is not None and served.version >= version:
                return served
            if served is not None:
                self._start(slot, store, settings, version)
                return served
        return self._cold_start(store, settings, version)

    def _start(self, slot: _Slot, store: Store, settings: Settings | None, version: int) -> None:
        """Start the background build unless one runs or this version was built (lock held)."""
        if slot.building is not None and slot.building.is_alive():
            return
        if slot.attempted >= version and slot.error is None:
            return
        slot.attempted, slot.error = version, None
        slot.building = threading.Thread(
            target=self._build_into,
            args=(slot, store, settings, version),
            name="ttcm-discovery-index",
            daemon=True,
        )
        slot.building.start()

    def _build_into(
        self, slot: _Slot, store: Store, settings: Settings | None, version: int
    ) -> None:
        try:
            served = slot.index
            child = served is not None and served.size >= self.child_from
            index = CreatorIndex(self._load_or_build(store, settings, version, child=child))
        except Exception as exc:  # the old index keeps answering; the next query retries
            log.exception("discovery index: building version %s failed", version)
            with self._lock:
                slot.error = exc
            return
        with self._lock:
            if slot.index is None or index.version > slot.index.version:
                slot.index = index  # one assignment: a query sees the old or the new index

    def _cold_start(self, store: Store, settings: Settings | None, version: int) -> CreatorIndex:
        with self._cold:
            with self._lock:
                slot = self._slots.setdefault(_key(store), _Slot())
                if slot.index is not None and slot.index.version >= version:
                    return slot.index
            index = CreatorIndex(self._load_or_build(store, settings, version))
            with self._lock:
                if slot.index is None or index.version >= slot.index.version:
                    slot.index = index
                    slot.attempted = max(slot.attempted, index.version)
                return slot.index

    def _load_or_build(
        self, store: Store, settings: Settings | None, version: int, *, child: bool = False
    ) -> IndexData:
        """The snapshot of `version` if one was published, else a build that is then saved."""
        root = _root(store, settings)
        data = load_snapshot(root, version)
        if data is None:
            with _host_lock(root):
                # another process may have published it while this one waited for the lock
                data = load_snapshot(root, version)
                if data is None and child and self.builder is build:
                    data = self._build_in_child(store, root)
                    if data is not None:
                        return data
                if data is None:
                    data = self.builder(store)
                    with self._lock:
                        self.built.append(data.version)
                    with contextlib.suppress(OSError):  # read-only: the next process builds too
                        save(data, root)
                    return data
        with self._lock:
            self.mapped.append(data.version)
        return data

    def _build_in_child(self, store: Store, root: Path) -> IndexData | None:
        """Build in a child process and map what it saved; None (logged) when it could not."""
        try:
            built = build_in_child(store, root)
        except (IndexBuildError, OSError, subprocess.SubprocessError) as exc:
            # e.g. a read-only snapshot folder: this thread builds it, as before
            log.warning("discovery index: %s; building in this process", exc)
            return None
        data = load_snapshot(root, built)
        if data is None:
            return None
        with self._lock:
            self.built.append(built)
        return data

    def builds(self) -> tuple[list[int], list[int]]:
        """The versions this cache built and the versions it mapped from a snapshot, in order."""
        with self._lock:
            return list(self.built), list(self.mapped)

    def wait(self, store: Store) -> None:
        """Block until the store's background build (if any) has finished (tests, benchmarks)."""
        with self._lock:
            slot = self._slots.get(_key(store))
            thread = slot.building if slot else None
        if thread is not None:
            thread.join()

    def forget(self, store: Store | None = None) -> None:
        """Drop cached indexes (tests); a running build finishes into a dropped slot."""
        with self._lock:
            if store is None:
                self._slots.clear()
            else:
                self._slots.pop(_key(store), None)


def _key(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=True)


def _root(store: Store, settings: Settings | None) -> Path:
    s = settings or Settings.load()
    return snapshot_root(store, s.index_dir, s.data_dir)


@contextlib.contextmanager
def _host_lock(root: Path) -> Iterator[None]:
    """Exclusive across the processes sharing `root`; a no-op where it cannot be taken."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        fh = (root / ".build.lock").open("a+b")
    except OSError:
        yield
        return
    with fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


CACHE = IndexCache()


def current(store: Store, settings: Settings | None = None) -> CreatorIndex:
    """The process-wide cache's index for `store` (see IndexCache.current)."""
    return CACHE.current(store, settings)


def forget(store: Store | None = None) -> None:
    """Drop the process-wide cache's indexes (tests)."""
    CACHE.forget(store)


def builds() -> tuple[list[int], list[int]]:
    """The process-wide cache's built and mapped versions (see IndexCache.builds)."""
    return CACHE.builds()
