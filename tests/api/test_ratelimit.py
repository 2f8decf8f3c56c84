"""The shared limiter on a fake clock: QPS spacing, QPM window, burst, penalties, threads."""

from __future__ import annotations

import threading
from bisect import bisect_right

import pytest

from tests.api.conftest import FakeClock, Sleeper
from ttcm.api.ratelimit import RateLimiter, shared_limiter


def most_in_window(times: list[float], width: float) -> int:
    """The largest number of `times` in any half-open window (t - width, t]."""
    times = sorted(times)
    return (
        max((i + 1) - bisect_right(times, t - width + 1e-9) for i, t in enumerate(times))
        if times
        else 0
    )


def sends(limiter: RateLimiter, clock: FakeClock, n: int) -> list[float]:
    """Times at which n sequential callers were let through."""
    out = []
    for _ in range(n):
        limiter.acquire()
        out.append(clock())
    return out


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=500.0)


def test_ten_qps_spaces_requests_a_tenth_of_a_second_apart(clock: FakeClock) -> None:
    limiter = RateLimiter(10, 600, clock=clock, sleep=Sleeper(clock))
    times = sends(limiter, clock, 50)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) == pytest.approx(0.1)
    assert most_in_window(times, 1.0) <= 10
    assert times[-1] - times[0] == pytest.approx(4.9)


def test_the_first_request_does_not_wait(clock: FakeClock) -> None:
    sleeper = Sleeper(clock)
    limiter = RateLimiter(10, 600, clock=clock, sleep=sleeper)
    assert limiter.acquire() == 0.0
    assert sleeper.calls == []


def test_600_qpm_holds_in_every_sixty_second_window(clock: FakeClock) -> None:
    limiter = RateLimiter(100, 600, clock=clock, sleep=Sleeper(clock))
    times = sends(limiter, clock, 1300)
    assert most_in_window(times, 60.0) == 600
    assert most_in_window(times, 1.0) <= 100
    # the 601st waits for the 1st to leave the window
    assert times[600] == pytest.approx(times[0] + 60.0)


def test_idle_time_does_not_build_up_a_burst(clock: FakeClock) -> None:
    limiter = RateLimiter(10, 600, clock=clock, sleep=Sleeper(clock))
    sends(limiter, clock, 3)
    clock.advance(30)
    times = sends(limiter, clock, 20)
    assert most_in_window(times, 1.0) <= 10


def test_burst_lets_the_first_requests_through_together(clock: FakeClock) -> None:
    limiter = RateLimiter(10, 600, burst=5, clock=clock, sleep=Sleeper(clock))
    times = sends(limiter, clock, 10)
    assert times[:5] == pytest.approx([500.0] * 5)
    assert [t - 500.0 for t in times[5:]] == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])


def test_penalize_pauses_every_caller(clock: FakeClock) -> None:
    limiter = RateLimiter(10, 600, clock=clock, sleep=Sleeper(clock))
    limiter.acquire()
    limiter.penalize(2.5)
    assert limiter.paused_until == pytest.approx(502.5)
    limiter.acquire()
    assert clock() == pytest.approx(502.5)
    limiter.penalize(0)  # no-op
    limiter.penalize(-1)
    assert limiter.paused_until == pytest.approx(502.5)


def test_a_penalty_that_starts_while_a_caller_sleeps_is_honoured(clock: FakeClock) -> None:
    limiter: RateLimiter

    class PenalizeOnFirstSleep(Sleeper):
        def __call__(self, seconds: float) -> None:
            if not self.calls:
                limiter.penalize(3.0)  # another thread was throttled meanwhile
            super().__call__(seconds)

    limiter = RateLimiter(10, 600, clock=clock, sleep=PenalizeOnFirstSleep(clock))
    limiter.acquire()  # t=500
    waited = limiter.acquire()  # reserved 500.1, then the penalty (until 503) began
    assert clock() == pytest.approx(503.0)
    assert waited == pytest.approx(3.0)


def test_reservations_from_many_threads_never_break_the_limits() -> None:
    clock = FakeClock(start=0.0)  # time stands still: every slot is handed out in advance
    limiter = RateLimiter(10, 600, clock=clock, sleep=lambda s: None)
    slots: list[float] = []
    guard = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        mine = [limiter.reserve() for _ in range(100)]
        with guard:
            slots.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(slots) == len(set(slots)) == 800
    ordered = sorted(slots)
    gaps = [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
    assert min(gaps) >= 0.1 - 1e-9
    assert most_in_window(slots, 1.0) <= 10
    assert most_in_window(slots, 60.0) <= 600


def test_threads_sharing_one_limiter_through_acquire() -> None:
    clock = FakeClock(start=0.0)
    limiter = RateLimiter(20, 600, clock=clock, sleep=clock.advance)
    seen: list[float] = []
    guard = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            limiter.acquire()
            with guard:
                seen.append(clock())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 100
    # sleeps of different threads add up on the shared fake clock, so time only over-counts:
    assert clock() >= 99 / 20 - 1e-9


def test_shared_limiter_is_one_per_key_and_limits() -> None:
    a = shared_limiter(("test", 1), 10, 600)
    assert shared_limiter(("test", 1), 10, 600) is a
    assert shared_limiter(("test", 2), 10, 600) is not a
    assert shared_limiter(("test", 1), 20, 600) is not a


@pytest.mark.parametrize("kwargs", [{"qps": 0}, {"qps": -1}, {"qpm": 0}, {"burst": 0}])
def test_bad_limits_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        RateLimiter(**kwargs)
