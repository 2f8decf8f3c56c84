"""A team on one machine (issue 15): N signed-in browser sessions against one app process.

Builds (or reuses) a SQLite store of --creators N generated creators plus one campaign with
posts and daily stats, and one manager account per session. Then, for each session count of
--sessions (default 1,5,10,20), it starts a fresh `streamlit run app.py` on a free loopback
port, signs that many sessions in through the form (one headless Debian chromium, one browser
context per session, each as if behind a proxy from its own address so sign-in throttling
counts them apart), and runs every session's bounded loop at once:

  * discovery: open Discovery from the sidebar (a rerun of the default filter),
  * filter: type a follower minimum, then apply it (timed from the click: a rerun with the new
    filter),
  * page: "Next →" (a rerun on page 2),
  * overview: open Posts & performance from the sidebar (the campaign's overview rerun),

each timed from the click until the page shows the answer the store holds (the match count
and page caption are computed from the same store beforehand) and the run that drew it has
finished (Streamlit's script state on the page is "notRunning"), with --think seconds
between interactions. Per session count it prints p50 / p95 / max per interaction, the error
count (timeouts, wrong answers, a Streamlit exception box), and the memory of the app
(the proportional set size, Pss, of /proc/<pid>/smaps_rollup) with its growth per extra
session against the 1-session run. The app restarts for every count, so each memory figure
starts from the same state.

With --processes N there are N app processes on one store, as the README's deployment runs
them behind a proxy with sticky sessions: session i talks to process i mod N. They map one
index snapshot (Pss counts its pages once, however many processes map them), and the CPU and
memory figures are the sums over the processes.

With --driver websocket there is no browser: each session is a websocket client speaking the
app's own protocol (bench/stream_client.py), holding the session cookie a sign-in through the
form would have left, and each interaction is timed from the message sent until the run's last
message arrived and checked for the same answer. That is the server's share of the wait with
nothing else on the machine's cores. Its pauses are drawn between 0.5 and 1.5 times --think
(the same draws every run), after a first pause of up to --think, so sessions do not click in
lockstep.

    .venv/bin/python bench/sessions.py --creators 5000 --sessions 1,2 --rounds 2     # smoke
    .venv/bin/python bench/sessions.py --creators 1000000 --sessions 1,5,10,20       # the figure
    .venv/bin/python bench/sessions.py --creators 1000000 --driver websocket        # server only
    .venv/bin/python bench/sessions.py --creators 1000000 --driver websocket --processes 2

Targets: p95 per interaction <= 1 s, no errors, memory growth <= 50 MB per extra session (the
discovery index is shared by every session of the process, never copied per session).
Latency is measured in the browser, so chromium's own rendering of every page shares the
machine's cores with the server: run the figure on a quiet machine. The server's CPU time per
interaction (from /proc) is printed too: it does not depend on the load, and tells how many
interactions a second the machine's cores can serve.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(Path(__file__).parent))

from discovery import build_store  # noqa: E402
from pages import build as build_campaign  # noqa: E402

from ttcm.auth import SYSTEM  # noqa: E402
from ttcm.auth.users import UserError, Users  # noqa: E402
from ttcm.domain import format as numfmt  # noqa: E402
from ttcm.services.discovery.filters import CreatorFilter  # noqa: E402
from ttcm.services.discovery.search import Discovery  # noqa: E402
from ttcm.store import Store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
BIN = Path(sys.executable).parent
PASSWORD = "bench sessions password 123"
PAGE_SIZE = 50  # app_pages/discovery.py
FOLLOWER_STEPS = (5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000)
INTERACTIONS = ("discovery", "filter", "page", "overview")
TIMEOUT_MS = 60_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'  # Streamlit's own e2e mark


@dataclass(frozen=True)
class Expected:
    """What the page must show, computed from the store the app serves."""

    default_heading: str
    filters: tuple[tuple[int, str, str], ...]  # (min followers, heading, page-2 caption)


@dataclass
class Level:
    """One session count's results."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    memory_mb: float = 0.0  # Pss of the app processes, summed
    peak_mb: float = 0.0
    cpu_s: float = 0.0  # the app processes' CPU time (user + system) during the loops


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def heading(total: int) -> str:
    """The Discovery page's match line for `total` (app_pages/discovery.py)."""
    return f"{numfmt.plural(total, 'creator')} match{'es' if total == 1 else ''}"


def prepare(db: Path, n_creators: int, n_users: int) -> Expected:
    """The store (built once per size), the session accounts, and the answers to wait for."""
    ready = db.with_name(db.name + ".sessions-ready")
    store = build_store(db, n_creators) if not ready.exists() else Store.from_url(f"sqlite:///{db}")
    if not ready.exists():
        build_campaign(store, 200, 300, 30)  # one campaign: 200 creators, 300 posts, 30 days
        ready.write_text("ok\n")
    users = Users(store)
    for i in range(1, n_users + 1):
        with contextlib.suppress(UserError):  # made by an earlier run (same password)
            users.add(SYSTEM, f"bench{i:02d}", PASSWORD, role="manager")
    discovery = Discovery(store)
    default = discovery.search(SYSTEM, CreatorFilter(), limit=1).total
    steps = []
    for v in FOLLOWER_STEPS:
        total = discovery.search(SYSTEM, CreatorFilter(min_followers=v), limit=1).total
        if total > PAGE_SIZE and total != default:  # page 2 exists and the count changes
            pages = -(-total // PAGE_SIZE)
            caption = f"Page 2 of {numfmt.count(pages)} · {PAGE_SIZE} per page"
            steps.append((v, heading(total), caption))
    if not steps:
        raise SystemExit("no follower minimum gives a second page: use more --creators")
    store.dispose()
    return Expected(heading(default), tuple(steps))


def memory_mb(pids: list[int]) -> float:
    """The app processes' memory in MB: the sum of their proportional set sizes (Pss).

    Pss counts a page shared by k processes as 1/k in each, so the memory-mapped index that
    every process of the machine maps counts once in the sum, as it is held once.
    """
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
                break
        else:
            raise RuntimeError(f"no Pss for pid {pid}")
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used, from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def app_env(db: Path, home: Path) -> dict[str, str]:
    """The app's environment: this bench's store and data dir, no TTCM_* of the caller."""
    return {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")} | {
        "TTCM_DATABASE_URL": f"sqlite:///{db}",
        "TTCM_DATA_DIR": str(home),
        "TTCM_TRUSTED_PROXIES": "127.0.0.1",  # each session says its own address
    }


def start_app(db: Path, port: int, home: Path, log: Path) -> subprocess.Popen[bytes]:
    """`streamlit run app.py` on loopback against the bench store; waits for its health check."""
    import httpx

    env = app_env(db, home)
    out = log.open("wb")
    proc = subprocess.Popen(
        [str(BIN / "streamlit"), "run", str(PROJECT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited ({proc.returncode}); see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    raise SystemExit(f"streamlit did not answer within 120 s; see {log}")


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    """End the app this bench started."""
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(15)


async def sign_in(page, url: str, user: str) -> None:  # noqa: ANN001 - playwright Page
    """Sign in through the form and wait for the session cookie."""
    await page.goto(url)
    await page.get_by_label("User name", exact=True).fill(user)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_text("Signed in as").wait_for()
    deadline = time.monotonic() + 20
    while not any(c["name"] == "ttcm_session" for c in await page.context.cookies()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{user}: the session cookie was never written")
        await page.wait_for_timeout(100)
    await page.locator(IDLE).wait_for()


async def session_loop(
    page,  # noqa: ANN001 - playwright Page
    n: int,
    expected: Expected,
    rounds: int,
    think: float,
    level: Level,
    shots: Path | None,
) -> None:
    """One session's bounded loop of the four interactions, timed in the browser."""
    sidebar = page.locator('[data-testid="stSidebarNav"]')
    idle = page.locator(IDLE)
    exact = {"exact": True}

    async def timed(name: str, act, shown, typed: tuple[str, str] | None = None) -> None:  # noqa: ANN001
        try:
            if typed is not None:  # the user's typing comes before the click that is timed
                await page.get_by_label(typed[0], exact=True).fill(typed[1], timeout=TIMEOUT_MS)
            t0 = time.perf_counter()
            await act()
            await shown().wait_for(timeout=TIMEOUT_MS)  # the new run's answer is on the page
            await idle.wait_for(timeout=TIMEOUT_MS)  # and that run has finished
            elapsed = time.perf_counter() - t0
            if await page.locator('[data-testid="stException"]').count():
                raise RuntimeError("the page shows an exception")
            level.samples[name].append(elapsed)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            level.errors.append(f"session {n} {name}: {type(exc).__name__}: {str(exc)[:300]}")
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(Exception):
                    await page.screenshot(path=str(shots / f"s{n}-{name}-{len(level.errors)}.png"))
        await asyncio.sleep(think)

    for r in range(rounds):
        value, filtered, caption = expected.filters[(n + r) % len(expected.filters)]
        await timed(
            "discovery",
            lambda: sidebar.get_by_role("link", name="Discovery", **exact).click(),
            lambda: page.get_by_role("heading", name=expected.default_heading, **exact),
        )

        await timed(
            "filter",
            lambda: page.get_by_role("button", name="Apply filters").click(),
            lambda h=filtered: page.get_by_role("heading", name=h, **exact),
            typed=("Followers from", str(value)),
        )
        await timed(
            "page",
            lambda: page.get_by_role("button", name="Next →").click(),
            lambda c=caption: page.get_by_text(c, **exact),
        )
        await timed(
            "overview",
            lambda: sidebar.get_by_role("link", name="Posts & performance", **exact).click(),
            lambda: page.get_by_role("heading", name="Audience vs target", **exact),
        )


def session_tokens(home: Path, db: Path, n: int) -> list[str]:
    """Session cookies for bench01..bench<n>, signed with the key the app will use.

    The websocket driver has no JavaScript to run the cookie component a browser's sign-in
    writes with, so each session arrives with the cookie that sign-in would have left.
    """
    from ttcm.auth.cookie import cookie_key
    from ttcm.config import Settings
    from ttcm.web.session import issue_token

    settings = Settings.load(app_env(db, home))
    store = Store.from_url(f"sqlite:///{db}")
    try:
        users = Users(store)
        key = cookie_key(settings)  # the app reads the same key file of the data dir
        return [
            issue_token(users.authenticate(f"bench{i:02d}", PASSWORD, client="bench"), key)
            for i in range(1, n + 1)
        ]
    finally:
        store.dispose()


async def stream_open(url: str, token: str, n: int, expected: Expected) -> Any:
    """A websocket session holding `token`'s cookie, with Discovery open as after a sign-in."""
    from stream_client import StreamSession

    session = await StreamSession.open(
        url, {"ttcm_session": token}, {"X-Forwarded-For": f"10.77.0.{n + 1}"}, TIMEOUT_MS / 1000
    )
    first = await session.load("discovery")
    if not first.shows(expected.default_heading):
        await session.close()
        raise RuntimeError(f"session {n}: Discovery did not open signed in: {first.texts[:5]}")
    return session


async def warm(urls: list[str], token: str, expected: Expected) -> None:
    """Open Discovery and the overview once in every app process, then leave.

    Each process then has its imports, its index and its caches, as a process that has served
    anybody has: the memory per extra session is measured from there.
    """
    for url in urls:
        session = await stream_open(url, token, 0, expected)
        try:
            await session.navigate("Posts & performance")
        finally:
            await session.close()


async def stream_loop(  # noqa: PLR0913
    session: Any,  # stream_client.StreamSession
    n: int,
    expected: Expected,
    rounds: int,
    think: float,
    level: Level,
) -> None:
    """One session's bounded loop of the four interactions over the app's websocket."""
    rng = random.Random(n)  # the same pauses in every run
    await asyncio.sleep(rng.uniform(0, think))  # people do not all click at the same instant

    async def timed(name: str, act: Any, text: str) -> None:
        try:
            run = await act()
            if not run.shows(text):
                raise RuntimeError(f"expected {text!r}, the run drew {run.texts[:6]}")
            level.samples[name].append(run.seconds)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            level.errors.append(f"session {n} {name}: {type(exc).__name__}: {str(exc)[:300]}")
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))

    for r in range(rounds):
        value, filtered, caption = expected.filters[(n + r) % len(expected.filters)]
        await timed("discovery", lambda: session.navigate("Discovery"), expected.default_heading)
        await timed(
            "filter",
            lambda v=value: session.click("Apply filters", **{"Followers from": v}),
            filtered,
        )
        await timed("page", lambda: session.click("Next →"), caption)
        await timed(
            "overview", lambda: session.navigate("Posts & performance"), "Audience vs target"
        )


async def run_level(  # noqa: PLR0913
    urls: list[str],
    pids: list[int],
    n: int,
    expected: Expected,
    rounds: int,
    think: float,
    shots: Path | None,
    tokens: list[str] | None = None,
) -> Level:
    """Sign `n` sessions in, then run their loops at once while sampling the servers' memory.

    With `tokens` the sessions are websocket clients holding those session cookies; without,
    browser contexts of one headless chromium that sign in through the form. Session i talks
    to app process i mod len(urls), as a proxy with sticky sessions would send it.
    """
    level = Level()
    if tokens is not None:
        sessions = [
            await stream_open(urls[i % len(urls)], t, i, expected) for i, t in enumerate(tokens)
        ]
        try:
            loops = [
                stream_loop(s, i, expected, rounds, think, level) for i, s in enumerate(sessions)
            ]
            return await sample_while(level, pids, loops)
        finally:
            for session in sessions:
                await session.close()
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        pages = []
        for i in range(1, n + 1):
            context = await browser.new_context(
                viewport={"width": 1400, "height": 1000},
                extra_http_headers={"X-Forwarded-For": f"10.77.0.{i}"},
            )
            page = await context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            await sign_in(page, urls[(i - 1) % len(urls)], f"bench{i:02d}")
            pages.append(page)

        loops = [
            session_loop(p, i, expected, rounds, think, level, shots) for i, p in enumerate(pages)
        ]
        await sample_while(level, pids, loops)
        await browser.close()
    return level


async def sample_while(level: Level, pids: list[int], loops: list[Any]) -> Level:
    """Run the sessions' loops at once, sampling the servers' memory and CPU time meanwhile."""
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            level.peak_mb = max(level.peak_mb, memory_mb(pids))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    cpu0 = cpu_seconds(pids)
    try:
        await asyncio.gather(*loops)
        level.memory_mb = memory_mb(pids)  # every session still open
        level.cpu_s = cpu_seconds(pids) - cpu0
    finally:
        stop.set()
        await sampler
    level.peak_mb = max(level.peak_mb, level.memory_mb)
    return level


def pct(samples: list[float], q: float) -> float:
    """The q-quantile (nearest rank) in milliseconds (0 without samples)."""
    ordered = sorted(samples)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def overall(level: Level) -> tuple[float, float, float, int]:
    """p50, p95 and max in milliseconds over every interaction, and how many were timed."""
    every = [s for name in INTERACTIONS for s in level.samples[name]]
    return pct(every, 0.5), pct(every, 0.95), 1000 * max(every, default=0.0), len(every)


def main() -> int:
    """Run every session count and print the curve."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=5000)
    parser.add_argument("--sessions", default="1,5,10,20", help="session counts, e.g. 1,5,10,20")
    parser.add_argument("--rounds", type=int, default=5, help="loops of 4 interactions a session")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between interactions")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--shots", type=Path, help="folder for a screenshot of every error")
    parser.add_argument(
        "--driver",
        choices=("browser", "websocket"),
        default="browser",
        help="browser: chromium tabs, timed until the answer is drawn; websocket: the app's own "
        "protocol without a browser, timed until the run's last message arrives",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="app processes sharing the store and its index, sessions spread over them as a "
        "proxy with sticky sessions would (README: Deployment)",
    )
    args = parser.parse_args()
    counts = [int(x) for x in args.sessions.split(",") if x.strip()]
    if not counts or min(counts) < 1:
        parser.error("--sessions: one or more whole numbers >= 1, e.g. 1,5,10,20")
    if args.processes < 1:
        parser.error("--processes: a whole number >= 1")
    if args.driver == "browser" and not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing (Debian's chromium package)")
    db = args.db or Path(f"/tmp/ttcm-bench-sessions-{args.creators}.db")
    expected = prepare(db, args.creators, max(counts))
    print(
        f"{args.creators:,} creators; {args.rounds} rounds x {len(INTERACTIONS)} interactions "
        f"a session, {args.think:g} s between (websocket: 0.5-1.5x, random); {args.driver} "
        f"driver, {args.processes} app process(es); filters {[v for v, *_ in expected.filters]}",
        flush=True,
    )
    results: dict[int, Level] = {}
    with tempfile.TemporaryDirectory(prefix="ttcm-bench-sessions-") as tmp:
        warm_token = session_tokens(Path(tmp), db, 1)[0]
        for n in counts:
            tokens = session_tokens(Path(tmp), db, n) if args.driver == "websocket" else None
            procs, urls = [], []
            try:
                for k in range(args.processes):
                    port = free_port()
                    log = Path(tmp) / f"streamlit-{n}-{k}.log"
                    procs.append(start_app(db, port, Path(tmp), log))
                    urls.append(f"http://127.0.0.1:{port}")
                pids = [proc.pid for proc in procs]
                asyncio.run(warm(urls, warm_token, expected))
                idle = memory_mb(pids)
                level = asyncio.run(
                    run_level(urls, pids, n, expected, args.rounds, args.think, args.shots, tokens)
                )
            finally:
                for proc in procs:
                    stop_app(proc)
            results[n] = level
            p50, p95, worst, timed = overall(level)
            parts = "  ".join(
                f"{name} {pct(level.samples[name], 0.5):.0f}/{pct(level.samples[name], 0.95):.0f}"
                for name in INTERACTIONS
            )
            print(
                f"{n:3d} sessions: all p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms, "
                f"{timed} timed, {len(level.errors)} errors; memory (Pss) idle {idle:.0f} MB, "
                f"with sessions {level.memory_mb:.0f} MB (peak {level.peak_mb:.0f})\n"
                f"              p50/p95 ms by interaction: {parts}",
                flush=True,
            )
            if timed:  # the server's own cost, whatever the load: how many fit on this machine
                cpu_ms = 1000 * level.cpu_s / timed
                print(
                    f"              server CPU {cpu_ms:.0f} ms per interaction (each process runs "
                    f"its Python on one core at a time: about {1000 * args.processes / cpu_ms:.0f} "
                    "interactions a second at most)",
                    flush=True,
                )
            for line in level.errors[:5]:
                print(f"    error: {line}")
    header = ("sessions", "p50 ms", "p95 ms", "max ms", "errors", "server Pss MB", "MB/extra")
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    base_n = min(results)
    for n, level in results.items():
        p50, p95, worst, _ = overall(level)
        base = results[base_n].memory_mb
        extra = f"{(level.memory_mb - base) / (n - base_n):.1f}" if n > base_n else "—"
        cells = (n, f"{p50:.0f}", f"{p95:.0f}", f"{worst:.0f}", len(level.errors))
        print("| " + " | ".join(map(str, (*cells, f"{level.memory_mb:.0f}", extra))) + " |")
    return 1 if any(level.errors for level in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
