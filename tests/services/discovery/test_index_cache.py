"""Queries never wait for an index rebuild: the last index answers while one build runs (#15)."""

from __future__ import annotations

import threading

import pytest

from tests.builders.creators import load, make_creators
from ttcm.config import Settings
from ttcm.services.discovery.build import IndexData, build
from ttcm.services.discovery.index_cache import IndexCache
from ttcm.store import Store


class GatedBuilder:
    """`build`, held at a gate the test opens, counting the builds that ran."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()
        self.builds = 0
        self._lock = threading.Lock()

    def __call__(self, store: Store) -> IndexData:
        with self._lock:
            self.builds += 1
        self.started.set()
        self.gate.wait()
        return build(store)


@pytest.fixture
def own_settings(tmp_path) -> Settings:
    return Settings(index_dir=tmp_path / "index", data_dir=tmp_path)


def test_a_query_during_a_version_change_uses_the_previous_index(store, own_settings) -> None:
    builder = GatedBuilder()
    cache = IndexCache(builder=builder)
    load(store, make_creators(30, seed=1))
    builder.gate.set()
    first = cache.current(store, own_settings)  # cold start: built in the foreground
    assert first.size == 30 and builder.builds == 1

    builder.gate.clear()
    load(store, [make_creators(1, seed=3)[0] | {"handle_name": "new_1"}])
    during = cache.current(store, own_settings)
    assert during is first  # the refresh's new version does not hold the query up
    assert builder.started.wait(60)

    builder.gate.set()
    cache.wait(store)
    after = cache.current(store, own_settings)
    assert after.version > first.version and after.size == 31


def test_concurrent_queries_start_one_build(store, own_settings) -> None:
    builder = GatedBuilder()
    cache = IndexCache(builder=builder)
    load(store, make_creators(20, seed=4))
    builder.gate.set()
    first = cache.current(store, own_settings)
    builder.gate.clear()
    load(store, [make_creators(1, seed=5)[0] | {"handle_name": "late_1"}])

    served: list[object] = []
    threads = [
        threading.Thread(target=lambda: served.append(cache.current(store, own_settings)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert served == [first] * 8
    assert builder.builds == 2  # the cold start and one background build

    builder.gate.set()
    cache.wait(store)
    assert cache.current(store, own_settings).size == 21
    assert builder.builds == 2  # the version built is not built again


def test_a_second_process_maps_the_published_version_instead_of_building(
    store, own_settings
) -> None:
    load(store, make_creators(25, seed=6))
    one, other = GatedBuilder(), GatedBuilder()
    one.gate.set()
    other.gate.set()
    IndexCache(builder=one).current(store, own_settings)
    mapped = IndexCache(builder=other).current(store, own_settings)  # another app process
    assert mapped.size == 25
    assert (one.builds, other.builds) == (1, 0)


def test_a_failed_build_keeps_serving_the_last_index(store, own_settings) -> None:
    calls = {"n": 0}

    def flaky(s: Store) -> IndexData:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return build(s)

    cache = IndexCache(builder=flaky)
    load(store, make_creators(10, seed=7))
    first = cache.current(store, own_settings)
    load(store, [make_creators(1, seed=8)[0] | {"handle_name": "after_1"}])
    assert cache.current(store, own_settings) is first
    cache.wait(store)
    assert cache.current(store, own_settings) is first  # failed: old index, a retry started
    cache.wait(store)
    assert cache.current(store, own_settings).size == 11


def test_a_slow_older_build_never_deletes_a_newer_snapshot(store, tmp_path) -> None:
    from ttcm.services.discovery.build import load_snapshot, save

    load(store, make_creators(5, seed=9))
    older = build(store)
    load(store, [make_creators(1, seed=10)[0] | {"handle_name": "newer_1"}])
    newer = build(store)
    save(newer, tmp_path)
    save(older, tmp_path)  # a process that built the older version finished last
    assert load_snapshot(tmp_path, newer.version) is not None


def test_the_cache_counts_what_it_built_and_what_it_mapped(store, own_settings) -> None:
    load(store, make_creators(12, seed=11))
    one, other = IndexCache(), IndexCache()
    first = one.current(store, own_settings)
    assert one.builds() == ([first.version], [])
    assert other.current(store, own_settings).version == first.version
    assert other.builds() == ([], [first.version])  # mapped the snapshot `one` published

    load(store, [make_creators(1, seed=12)[0] | {"handle_name": "counted_1"}])
    one.current(store, own_settings)
    one.wait(store)
    newer = one.current(store, own_settings).version
    assert newer > first.version
    assert one.builds() == ([first.version, newer], [])


def test_the_background_build_runs_in_a_child_process(store, own_settings, monkeypatch) -> None:
    """The app's thread only waits: a build in it would hold the GIL and stall every query."""
    from ttcm.services.discovery import index_cache

    cache = IndexCache(child_from=20)  # the real builder, and a "large" store of 20
    load(store, make_creators(20, seed=1))
    first = cache.current(store, own_settings)  # cold start, in this process
    children: list[int] = []
    real = index_cache.build_in_child

    def spy(store_: Store, root) -> int:
        children.append(real(store_, root))
        return children[-1]

    monkeypatch.setattr(index_cache, "build_in_child", spy)
    load(store, [make_creators(1, seed=3)[0] | {"handle_name": "child_made"}])
    assert cache.current(store, own_settings) is first
    cache.wait(store)
    after = cache.current(store, own_settings)
    assert children == [after.version] and after.version > first.version
    assert after.size == 21
    assert cache.builds()[0] == [first.version, after.version]
    fresh = build(store)  # the child's arrays are the ones this process would have built
    for name, col in fresh.cols.items():
        assert after.cols[name].tobytes() == col.tobytes(), name


def test_a_failed_child_build_falls_back_to_this_process(store, own_settings, monkeypatch) -> None:
    from ttcm.services.discovery import index_cache
    from ttcm.services.discovery.child_build import IndexBuildError

    cache = IndexCache(child_from=0)
    load(store, make_creators(5, seed=1))
    cache.current(store, own_settings)

    def broken(store_: Store, root) -> int:
        raise IndexBuildError("the index build process failed (1): boom")

    monkeypatch.setattr(index_cache, "build_in_child", broken)
    load(store, [make_creators(1, seed=3)[0] | {"handle_name": "late"}])
    cache.current(store, own_settings)
    cache.wait(store)
    assert cache.current(store, own_settings).size == 6  # new data shows all the same


def test_the_child_reports_a_failure_as_a_typed_error(tmp_path) -> None:
    from ttcm.services.discovery.child_build import IndexBuildError, build_in_child

    missing = Store.from_url(f"sqlite:///{tmp_path / 'nothing-here' / 'x.db'}")
    with pytest.raises(IndexBuildError, match="index build process failed"):
        build_in_child(missing, tmp_path / "index")


def test_a_small_store_builds_in_this_process(store, own_settings, monkeypatch) -> None:
    from ttcm.services.discovery import index_cache

    def unexpected(store_: Store, root) -> int:
        raise AssertionError("a child process for 3 creators")

    monkeypatch.setattr(index_cache, "build_in_child", unexpected)
    cache = IndexCache()
    load(store, make_creators(3, seed=1))
    cache.current(store, own_settings)
    load(store, [make_creators(1, seed=3)[0] | {"handle_name": "small"}])
    cache.current(store, own_settings)
    cache.wait(store)
    assert cache.current(store, own_settings).size == 4
