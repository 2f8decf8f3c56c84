"""End-to-end fixtures: the real app on loopback, driven in Debian's chromium."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
ADMIN_PASSWORD = "correct horse battery staple"
ARTIFACTS = PROJECT / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as `e2e` (a conftest's `pytestmark` marks nothing)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    """A browser test that fails leaves a screenshot of what the page showed at that moment."""
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and page is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):  # a closed page must not hide the real failure
            page.screenshot(path=str(ARTIFACTS / f"FAILED-{item.name}.png"), full_page=True)
    return report


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    """Wait until `url` answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class App:
    """A running app: where it is and the environment it runs with."""

    url: str
    env: dict[str, str]
    log: Path

    def ttcm(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run the `ttcm` command line against the app's database."""
        return subprocess.run(
            [str(BIN / "ttcm"), *args],
            env=self.env,
            input=stdin,
            text=True,
            capture_output=True,
            timeout=300,
            check=False,
        )


@pytest.fixture(scope="session")
def app_env(tmp_path_factory) -> dict[str, str]:
    """Environment of an app with its own database, sandbox state and cookie key."""
    tmp = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")}
    env.update(
        TTCM_DATABASE_URL=f"sqlite:///{tmp / 'ttcm.db'}",
        TTCM_COOKIE_KEY="e2e-Qm7Xa2Lp9Rt4Vw6Yz1Bc8Dn3Fg5Hj0Ks-uE_iO",
        TTCM_SANDBOX_CREATORS="1500",
        TTCM_SANDBOX_STATE=str(tmp / "sandbox_state.json"),
        TTCM_QPS="200",
    )
    return env


@pytest.fixture(scope="session")
def app(app_env, tmp_path_factory) -> Iterator[App]:
    """The app on a free port with an admin, a manager and a viewer, and a filled cache."""
    port = free_port()
    log = tmp_path_factory.mktemp("e2e-log") / "streamlit.log"
    running = App(url=f"http://127.0.0.1:{port}", env=app_env, log=log)
    for name, role in (("admin", "admin"), ("manny", "manager"), ("vic", "viewer")):
        done = running.ttcm(
            "users", "add", name, "--role", role, "--password-stdin", stdin=ADMIN_PASSWORD + "\n"
        )
        assert done.returncode == 0, done.stderr
    filled = running.ttcm("refresh")
    assert filled.returncode == 0, filled.stderr
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                str(BIN / "streamlit"),
                "run",
                str(PROJECT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=PROJECT,
            env=app_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_http(f"{running.url}/_stcore/health")
        yield running
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium under Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def sign_in(page, app: App, user: str, password: str = ADMIN_PASSWORD) -> None:
    """Sign in through the form and wait for the signed-in sidebar."""
    page.goto(app.url)
    page.get_by_label("User name", exact=True).fill(user)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    wait_for_session_cookie(page)


def wait_for_session_cookie(page) -> None:
    """Wait until the signed-in run has written the session cookie."""
    deadline = time.monotonic() + 15
    while not any(c["name"] == "ttcm_session" for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise AssertionError("the session cookie was never written")
        page.wait_for_timeout(100)


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'  # Streamlit's own e2e mark


def settled(page) -> None:
    """Wait until the app's current script run has finished (everything it draws has arrived)."""
    page.wait_for_selector(IDLE)


def shot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def unread(page) -> int:
    """The unread count the sidebar shows ("Inbox: N unread alerts")."""
    text = page.locator('[data-testid="stSidebar"]').inner_text()
    found = re.search(r"Inbox: ([\d,]+) unread alert", text)
    assert found, text
    return int(found.group(1).replace(",", ""))


def new_campaign_form(page, app: App):  # noqa: ANN201 - a Playwright Locator
    """Open the Campaigns page with its "New campaign" expander open; the expander."""
    page.goto(f"{app.url}/campaigns")
    page.get_by_role("heading", name="Campaigns").wait_for()
    new = page.get_by_test_id("stExpander").filter(has_text="New campaign")
    new.wait_for()
    settled(page)
    if new.locator("details[open]").count() == 0:  # collapsed once campaigns exist
        new.get_by_text("New campaign").first.click()
    return new


def pick_code_to_extend(page, app: App, video: str) -> None:
    """On the Spark Ads expiry board, choose the video's code in "Codes to extend"."""
    page.goto(f"{app.url}/spark_board")
    page.get_by_role("heading", name="Spark Ads expiry board").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    picker = page.get_by_role("combobox", name="Codes to extend")
    picker.click()
    picker.press_sequentially(video)
    page.get_by_role("option", name=re.compile(re.escape(video))).click()
    page.keyboard.press("Escape")


def add_creators(page, handles: list[str]) -> None:
    """On a campaign's "Creators and orders" tab, add creators by handle and wait for the note."""
    page.get_by_role("tab", name="Creators and orders").click()
    settled(page)
    page.get_by_label("Add creators by handle (one per line or comma separated)").fill(
        "\n".join(handles)
    )
    page.get_by_role("button", name="Add to campaign").click()
    page.get_by_text(f"Added {len(handles)} creators.").wait_for()
    settled(page)
