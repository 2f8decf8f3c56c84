"""Felt speed in a real browser: Discovery at N creators and a campaign overview, click to content.

Builds (or reuses, keyed by size) a SQLite store of `--creators` creators plus one campaign of 200
creators with 1,000 posts × 90 days of daily stats (bench/pages.py's builder), starts
`streamlit run app.py` on a free loopback port, signs in with Debian's chromium under Playwright
and times, from the click until the new content is visible (and the run has finished), on the
page's own clock: from the press's input event (for a typed address, the navigation's start) to
the first animation frame that shows it. The "driver" column is the same wait timed from
Playwright's call, which first finds the element and waits for it to be stable and hit (tens of
ms nobody clicking waits for):
  * apply filter: the sidebar form's "Apply filters" with another minimum engagement, until the
    "N creators match" count changes;
  * change sort: another "Sort by" + Apply, until the table shows other rows;
  * next page: "Next →", until the table shows other rows;
  * select a row: a tick in the results table, until "Selection (1 creator)" shows;
  * open link: a filtered Discovery address typed into the browser, until its count shows;
  * switch page: the sidebar link to another page, until that page's content shows;
  * overview: the campaign's Posts & performance overview, until every chart has drawn.
The table is a canvas grid: "shows other rows" is the first frame in which its canvas holds other
pixels, once the run is over; the bench then also waits for the grid's copy of its cells in the
DOM (for screen readers) to hold other, non-empty rows, and prints how much later that came.
Beside each: the engine's own time, the median of the service calls behind it in this process on
the same store while the app idles: Discovery's full search (mask, count, a page of 50, both
histograms; at offset 50 for "next page", by average views for "change sort"), or the overview's
load + overview + figures. A fragment rerun may need less (a ticked row searches nothing now).

    .venv/bin/python bench/browser.py [--creators 1000000] [--runs 7] [--db PATH] [--headed]

Each of `--runs` rounds drives every interaction once (filter 5 % -> 3 %, sort followers ->
average views, page 1 -> 2, ...). Before/after on one machine: `git archive OLD | tar -x -C
/tmp/old` and add `--against /tmp/old`. Both apps then run on the same store, and each round
drives one and then the other, so both are timed in the same minutes of a machine whose speed
drifts (seen here: the same code 40 % slower from one run to the next). It prints both tables
and, per interaction, the ratio of the medians. `--project DIR` runs another copy's app alone.

Targets (issue 15): filter, sort, next page, row select <= 250 ms median; switching pages and
the overview <= 600 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from sqlalchemy import func, select  # noqa: E402

from tests.e2e.conftest import CHROMIUM, free_port, wait_http  # noqa: E402
from ttcm.auth import SYSTEM  # noqa: E402
from ttcm.auth.users import Users  # noqa: E402
from ttcm.services.discovery import index_cache  # noqa: E402
from ttcm.services.discovery.filters import CreatorFilter  # noqa: E402
from ttcm.services.discovery.search import Discovery  # noqa: E402
from ttcm.store import Store, versions  # noqa: E402
from ttcm.store import models as m  # noqa: E402

BIN = Path(sys.executable).parent
USER, PASSWORD = "bench", "bench password 123"
COOKIE_KEY = "bench-Zt3Kp8Wq1Xm6Ry4Vn9Lb2Hc7Jd0Fs5Ga-oU_eI"
PAGE_SIZE = 50  # app_pages/discovery.py
TARGETS = {
    "apply filter": 250,
    "change sort": 250,
    "next page": 250,
    "select a row": 250,
    "open link": 600,
    "switch page": 600,
    "overview": 600,
}
ER_STEPS = ("5", "3")  # the minimum engagement (%) the filter runs alternate between
SORTS = (("avg_views", "Average views"), ("followers", "Followers"))
BASE = "country=US"
# a Streamlit script run is over when the app root says so
IDLE = (
    "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
)


def build(db: Path, creators: int) -> Path:
    """The store at `db` (reused when its marker says it is complete); returns the env folder."""
    from discovery import build_store  # bench/discovery.py
    from pages import build as build_campaign  # bench/pages.py

    marker = db.with_suffix(".ready")
    if marker.exists() and db.exists() and json.loads(marker.read_text()) == {"n": creators}:
        return db.parent
    for stale in (db, marker):
        stale.unlink(missing_ok=True)
    store = build_store(db, creators)
    t0 = time.perf_counter()
    build_campaign(store, 200, 1000, 90)
    with store.write() as conn:
        versions.bump(conn, "creators")
        versions.bump(conn, "posts")
    Users(store).add(SYSTEM, USER, PASSWORD, role="manager")
    store.dispose()
    print(f"  campaign and user built in {time.perf_counter() - t0:.0f} s", flush=True)
    marker.write_text(json.dumps({"n": creators}))
    return db.parent


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median milliseconds of `fn` after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def engine_times(env: dict[str, str], runs: int) -> dict[str, float]:
    """The service calls behind each interaction, in this process, on the same store."""
    from ttcm.config import Settings
    from ttcm.domain.performance.overview import overview
    from ttcm.domain.performance.pacing import default_as_of
    from ttcm.services import reports
    from ttcm.services.post_metrics import load_campaign, retention_curves

    os.environ.update(env)
    settings = Settings.load()
    store = Store.from_url(env["TTCM_DATABASE_URL"])
    with store.read() as conn:
        pk = int(conn.execute(select(func.max(m.Campaign.id))).scalar_one())
    discovery = Discovery(store, settings)
    index_cache.current(store, settings)
    f = CreatorFilter.from_query({"country": "US", "ermin": "0.05"})

    def search(offset: int = 0, sort: str = "followers") -> None:
        g = CreatorFilter.from_query({**f.to_query(), "sort": sort})
        discovery.search(SYSTEM, g, limit=PAGE_SIZE, offset=offset, histograms=True)

    def campaign() -> None:
        from datetime import UTC, datetime

        data = load_campaign(store, SYSTEM, pk)
        ov = overview(data, default_as_of(data.daily, datetime.now(UTC).date()))
        reports.figures(data, ov, retention_curves(store, SYSTEM, pk, reports.top_posts(data)))

    filt = timed(search, runs)
    out = {
        "apply filter": filt,
        "change sort": timed(lambda: search(sort="avg_views"), runs),
        "next page": timed(lambda: search(offset=PAGE_SIZE), runs),
        "select a row": filt,  # what the page asks of the engine when a row is ticked
        "open link": filt,
        "switch page": filt,
        "overview": timed(campaign, runs),
    }
    store.dispose()
    return out


@contextmanager
def running_app(env: dict[str, str], log: Path, project: Path) -> Iterator[str]:
    """`streamlit run app.py` of `project` on a free loopback port; yields its address."""
    port = free_port()
    if project != PROJECT:  # another copy of the code (e.g. `git archive` of a commit) runs
        env = {**env, "PYTHONPATH": str(project)}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(BIN / "streamlit"), "run", str(project / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/_stcore/health", timeout=120)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Driver:
    """One signed-in browser page and the stopwatch around its clicks."""

    def __init__(self, page, url: str) -> None:  # noqa: ANN001 (a Playwright page)
        self.page, self.url = page, url
        self.samples: dict[str, list[float]] = {name: [] for name in TARGETS}
        self.dom_lag: dict[str, list[float]] = {}
        self.wall: dict[str, list[float]] = {}  # from Playwright's call, its own waits included

    def idle(self) -> None:
        """Wait until no script run is in progress."""
        self.page.wait_for_timeout(50)
        self.page.wait_for_function(IDLE, polling=20, timeout=120_000)

    def text(self, selector: str) -> str:
        """The inner text of the first element matching `selector` ('' when absent)."""
        return self.page.evaluate(
            "s => { const e = document.querySelector(s); return e ? e.innerText : '' }", selector
        )

    def timed(self, name: str, act: Callable[[], None], done: str, arg: object = None) -> None:
        """Run `act`, wait until the JS predicate `done` (given `arg`) holds and the run is over.

        The time is the page's own: from the click's input event (or, for a typed address, the
        navigation's start) to the first animation frame in which `done` held.
        """
        both = f"a => ({done})(a) && ({IDLE})()"
        self.page.evaluate(CLICK_WATCH)
        t0 = time.perf_counter()
        act()
        self.page.wait_for_function(
            f"a => {FIRST_TRUE % both}", arg=arg, polling="raf", timeout=120_000
        )
        self.wall.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        self.samples[name].append(self.page.evaluate(SINCE_INPUT))

    def timed_table(self, name: str, act: Callable[[], None]) -> None:
        """Run `act`; time until the table's canvas shows other pixels and the run is over.

        The grid paints a canvas; the copy of its cells in the DOM (for screen readers) follows
        about 300 ms later, so that copy is waited for too (the page must show other rows, not
        only other pixels) and its own delay is kept apart in `self.dom_lag`.
        """
        self.page.evaluate(CLICK_WATCH)
        self.page.evaluate(PAINT_WATCH)
        t0 = time.perf_counter()
        act()
        painted = "() => ![window.__ttcmPaint.pixels, window.__ttcmPaint.idle].includes(undefined)"
        self.page.wait_for_function(painted, polling="raf", timeout=120_000)
        self.wall.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        self.page.wait_for_function(
            "() => window.__ttcmPaint.cells !== undefined", polling="raf", timeout=120_000
        )
        times = self.page.evaluate("window.__ttcmPaint")
        shown = max(times["pixels"], times["idle"])
        self.samples[name].append(shown - self.page.evaluate("window.__ttcmInput"))
        self.dom_lag.setdefault(name, []).append(max(0.0, times["cells"] - shown))

    def only(self, label: str):  # noqa: ANN201 (a Playwright locator)
        """The one field labelled `label`, once the previous run's copy of the form is gone."""
        field = self.page.get_by_label(label, exact=True)
        deadline = time.monotonic() + 60
        while field.count() != 1:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{field.count()} fields are labelled {label!r}")
            self.page.wait_for_timeout(50)
        return field

    def count(self) -> str:
        return self.page.evaluate(COUNT_JS)

    def cells(self) -> str:
        return self.page.evaluate(CELLS_JS)


COUNT_JS = """() => { for (const h of document.querySelectorAll('h3'))
  if (h.innerText.includes(' match')) return h.innerText; return '' }"""
# the table's cells (a canvas grid: its cells are in the DOM for readers); the top rows of two
# sorts may start with the same creator, so the whole page of cells is compared
CELLS_JS = """() => [...document.querySelectorAll(
  '[data-testid="stDataFrame"] td[role=gridcell]')].map(c => c.innerText).join('|')"""
CHANGED = "prev => { const now = (%s)(); return now !== '' && now !== prev }"
# From the moment it is installed, on every frame: when the results grid's canvas first shows
# other pixels, when a run that started is over, and when the grid's cells in the DOM change
# (the page's performance.now(); the click follows at once)
PAINT_WATCH = """() => { const out = window.__ttcmPaint = {};
  const cells = () => [...document.querySelectorAll(
    '[data-testid="stDataFrame"] td[role=gridcell]')].map(c => c.innerText).join('|');
  const pixels = () => { const c = [...document.querySelectorAll(
      '[data-testid="stDataFrame"] canvas')].find(x => x.width > 300);
    if (!c || !c.width || !c.height) return 'none';
    try { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let h = 0; for (let i = 0; i < d.length; i += 8) h = (h * 31 + d[i]) | 0; return h }
    catch (e) { return 'unreadable' } };
  const state = () => document.querySelector('[data-testid=stApp]').dataset.testScriptState;
  const c0 = cells(), p0 = pixels(); let ran = false;
  const tick = () => { const now = performance.now();
    if (state() !== 'notRunning') ran = true;
    const p = pixels(), c = cells();  // a grid being replaced has no canvas and no cells
    if (out.pixels === undefined && typeof p === 'number' && p !== p0) out.pixels = now;
    // a run too short for any frame to see it still ends with other pixels
    if ((ran || out.pixels !== undefined) && out.idle === undefined && state() === 'notRunning')
      out.idle = now;
    if (out.cells === undefined && c !== '' && c !== c0) out.cells = now;
    if ([out.idle, out.pixels, out.cells].includes(undefined)) requestAnimationFrame(tick) };
  requestAnimationFrame(tick) }"""


# The click's own moment: Playwright first finds the element and waits for it to be visible,
# stable over two frames and hit by the pointer (tens of ms a person does not wait for), then
# presses the button; the page records when the press arrived (the event's timeStamp is on the
# performance.now() clock). A typed address has no press: its document's clock starts at the
# navigation's start, so the time since then is the wait.
CLICK_WATCH = """() => { window.__ttcmInput = undefined; window.__ttcmDone = undefined;
  if (!window.__ttcmWatching) { window.__ttcmWatching = true;
    addEventListener('pointerdown', e => { if (window.__ttcmInput === undefined)
      window.__ttcmInput = e.timeStamp }, true) } }"""
# a predicate that also notes the first frame in which it held
FIRST_TRUE = """{ const ok = (%s)(a);
  if (ok && window.__ttcmDone === undefined) window.__ttcmDone = performance.now(); return ok }"""
SINCE_INPUT = "() => window.__ttcmDone - (window.__ttcmInput ?? 0)"


def sign_in(d: Driver) -> None:
    """Sign in through the form and wait for the home page."""
    page = d.page
    page.goto(d.url)
    page.get_by_label("User name", exact=True).fill(USER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for(timeout=120_000)
    deadline = time.monotonic() + 30
    while not any(c["name"] == "ttcm_session" for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise RuntimeError("the session cookie was never written")
        page.wait_for_timeout(100)
    d.idle()


def drive(d: Driver, runs: int) -> None:
    """Every interaction `runs` times (after one untimed warm-up of the page)."""
    page = d.page
    page.goto(f"{d.url}/discovery?{BASE}&ermin=0.05")
    page.get_by_text("creators match").first.wait_for(timeout=300_000)  # the index may build
    d.idle()
    for i in range(runs):  # apply filter
        d.only("Engagement % from").fill(ER_STEPS[(i + 1) % 2])
        prev = d.count()
        d.timed(
            "apply filter",
            page.get_by_role("button", name="Apply filters").click,
            CHANGED % COUNT_JS,
            prev,
        )
    for i in range(runs):  # change sort
        _, label = SORTS[i % 2]
        d.only("Sort by").click()
        page.get_by_role("option", name=label, exact=True).click()
        d.timed_table("change sort", page.get_by_role("button", name="Apply filters").click)
    for _ in range(runs):  # next page
        d.timed_table("next page", page.get_by_role("button", name="Next →").click)
    grid = page.locator('[data-testid="stDataFrame"]').first
    for i in range(runs):  # select a row (the row-marker column of the canvas grid)
        box = grid.bounding_box()
        assert box is not None, "the results table is not on the page"
        y = box["y"] + 35 * (1 + i % 5) + 17
        d.timed(
            "select a row",
            lambda x=box["x"] + 18, y=y: page.mouse.click(x, y),
            "() => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith("
            "'Selection (1 creator)'))",
        )
        page.mouse.click(box["x"] + 18, y)  # untick it again
        page.get_by_text("Tick rows in the table").wait_for()
        d.idle()
    for i in range(runs):  # open a filtered link
        er = ER_STEPS[i % 2]
        d.timed(
            "open link",
            lambda er=er: page.goto(f"{d.url}/discovery?{BASE}&ermin=0.0{er}", wait_until="commit"),
            "() => [...document.querySelectorAll('h3')].some(h => h.innerText.includes(' match'))",
        )
    for i in range(2 * runs):  # switch page: Discovery <-> Campaigns through the sidebar
        to = ("Campaigns", "Discovery")[i % 2]
        marker = {"Campaigns": "Campaigns", "Discovery": "Discovery"}[to]
        d.timed(
            "switch page",
            lambda to=to: page.get_by_role("link", name=to, exact=True).click(),
            "t => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === t)"
            " && (t !== 'Discovery' || [...document.querySelectorAll('h3')]"
            ".some(h => h.innerText.includes(' match')))",
            marker,
        )
    page.goto(f"{d.url}/campaigns")
    d.idle()
    for i in range(runs + 1):  # the overview (the first opening is the warm-up)
        name = "overview" if i else "warm-up"
        d.samples.setdefault("warm-up", [])
        d.timed(
            name,
            lambda: page.get_by_role("link", name="Posts & performance", exact=True).click(),
            ALL_CHARTS,
        )
        page.get_by_role("link", name="Campaigns", exact=True).click()
        page.get_by_role("heading", name="Campaigns").wait_for()
        d.idle()


# every chart of the overview has drawn (the page holds at least seven)
ALL_CHARTS = """() => { const c = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  return c.length >= 7 && [...c].every(e => e.querySelector('.js-plotly-plot .main-svg')) }"""


def report(d: Driver, engine: dict[str, float], title: str) -> None:
    """The table of one app's waits: median, p95, the engine's time and Playwright's wall."""
    print(f"\n{title} · headless chromium")
    print(f"{'interaction':14} {'median':>8} {'p95':>8} {'engine':>8} {'driver':>8}  target")
    for name, target in TARGETS.items():
        got = sorted(d.samples[name])
        med = statistics.median(got)
        p95 = got[min(len(got) - 1, round(0.95 * (len(got) - 1)))]
        verdict = "ok" if med <= target else "MISSED"
        lag = d.dom_lag.get(name)
        dom = f"   (cells in the DOM {statistics.median(lag):.0f} ms later)" if lag else ""
        wall = statistics.median(d.wall[name])
        print(
            f"{name:14} {med:6.0f}ms {p95:6.0f}ms {engine[name]:6.1f}ms {wall:6.0f}ms"
            f"  <= {target} ms {verdict}{dom}"
        )
    print(
        "median and p95: from the click's input event (a typed address: the navigation's start)"
        " until the content shows; driver: the same from Playwright's call, its waits for the"
        " element included"
    )


def main() -> int:
    """Build or reuse the store, time the engine, drive the browser, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    parser.add_argument(
        "--project",
        type=Path,
        default=PROJECT,
        help="run the app of another copy of the code (e.g. `git archive` of an older commit)",
    )
    parser.add_argument(
        "--against",
        type=Path,
        default=None,
        help="also run this copy's app, in turns with --project's, and print both and the ratio",
    )
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"ttcm-bench-browser-{args.creators}.db"
    folder = build(db, args.creators)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")}
    env.update(
        TTCM_DATABASE_URL=f"sqlite:///{db}",
        TTCM_COOKIE_KEY=COOKIE_KEY,
        TTCM_SANDBOX_STATE=str(folder / f"{db.stem}-sandbox.json"),
        TTCM_INDEX_DIR=str(folder / f"{db.stem}-index"),
    )
    engine = engine_times(env, args.runs)  # also saves the index the app then maps

    from playwright.sync_api import sync_playwright

    projects = [args.project.resolve()] + ([args.against.resolve()] if args.against else [])
    with contextlib.ExitStack() as stack, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=not args.headed,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        drivers = []
        for i, project in enumerate(projects):
            log = folder / f"{db.stem}-streamlit-{i}.log"
            url = stack.enter_context(running_app(env, log, project))
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(60_000)
            drivers.append(Driver(page, url))
        try:
            for d in drivers:
                sign_in(d)
            for _ in range(args.runs):  # rounds: with --against, each app in turn, so both
                for d in drivers:  # see the same minutes of a machine whose speed drifts
                    drive(d, 1)
        except Exception:
            shot = folder / f"{db.stem}-failed.png"
            drivers[-1].page.screenshot(path=str(shot), full_page=True)
            print(f"failed; the page is in {shot}, the apps' logs in {folder}", flush=True)
            raise
        browser.close()

    for project, d in zip(projects, drivers, strict=True):
        report(d, engine, f"{args.creators:,} creators · {args.runs} runs each · {project}")
    if args.against:
        first, other = drivers
        print(f"\n{'interaction':14} {'this':>8} {'against':>8}  this/against (same rounds)")
        for name in TARGETS:
            a, b = statistics.median(first.samples[name]), statistics.median(other.samples[name])
            print(f"{name:14} {a:6.0f}ms {b:6.0f}ms  {a / b:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
