"""`ttcm doctor`: per-endpoint verdicts against the sandbox, its dialects and a fake API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import Router, envelope
from ttcm.api import TikTokOneClient
from ttcm.auth import SYSTEM, PermissionDenied, Principal
from ttcm.sandbox import SandboxApp, SandboxTransport
from ttcm.services.doctor import DoctorReport, run_doctor

BASE = "http://sandbox.local/open_api/v1.3"
TOKEN = "tok-SECRET-doctor-7f3a9c2e1b5d8f60aa"
BIN = Path(sys.executable).parent


def _client(app: SandboxApp | None = None, handler=None) -> TikTokOneClient:  # type: ignore[no-untyped-def]
    transport = SandboxTransport(app) if app is not None else httpx.MockTransport(handler)
    return TikTokOneClient(BASE, TOKEN, transport=transport, qps=1000, qpm=100_000)


def _run(app: SandboxApp | None = None, handler=None, record: Path | None = None) -> DoctorReport:  # type: ignore[no-untyped-def]
    with _client(app, handler) as client:
        return run_doctor(SYSTEM, client, record)


def _by_name(report: DoctorReport) -> dict[str, tuple[str, str]]:
    return {v.endpoint: (v.status, v.detail) for v in report.verdicts}


def test_the_default_sandbox_answers_every_endpoint_as_expected() -> None:
    report = _run(SandboxApp(n_creators=300, seed=3, qps=1000, qpm=100_000))
    got = _by_name(report)
    assert report.ok
    for name in ("tcm_accounts", "account_info", "labels", "discover", "creator_public"):
        assert got[name] == ("expected", "shape as expected"), (name, got[name])
    assert got["creator_public_videos"][0] == "expected"
    assert got["campaigns"][0] == "expected"
    assert report.requests <= 9 and "no throttling" in report.headroom


def test_a_dialect_is_named_as_drift_per_endpoint() -> None:
    app = SandboxApp(n_creators=300, seed=3, qps=1000, qpm=100_000, dialect="renamed,percentages")
    got = _by_name(_run(app))
    assert got["discover"][0] == "drift"
    assert "creator_list for creators" in got["discover"][1]
    assert "percentages, not fractions" in got["discover"][1]
    assert (
        got["creator_public_videos"][0] == "drift"
        and "videos for posts" in got["creator_public_videos"][1]
    )
    assert got["labels"][0] == "expected"


def test_string_cursors_are_named() -> None:
    app = SandboxApp(n_creators=300, seed=3, qps=1000, qpm=100_000, dialect="string_cursors")
    got = _by_name(_run(app))
    assert "cursor is a str" in got["creator_public_videos"][1]


def test_an_unknown_list_key_is_named_with_the_keys_present() -> None:
    app = SandboxApp(n_creators=300, seed=3, qps=1000, qpm=100_000, dialect="unknown_list_key")
    report = _run(app)
    status, detail = _by_name(report)["discover"]
    assert not report.ok and status == "drift"
    assert "missing 'creators'" in detail and "items" in detail


def _fake_api(token_echo: str) -> Router:
    """A fake TikTok that echoes the token (whole and truncated) everywhere it can."""
    return Router(
        {
            "/tto/oauth2/tcm/": {"tto_tcm_account_ids": ["7000000000000000007"]},
            "/tto/oauth2/info/": {"account_name": f"acct {token_echo}", "note": token_echo[:12]},
            "/tto/tcm/category/label/": {"industry_labels": [], "content_labels": []},
            "/tto/tcm/creator/discover/": {
                "creators": [{"handle_name": "mia.real", "bio": f"token={token_echo}"}],
                "page_info": {"page": 1, "total_number": 1, "total_page": 1},
            },
            "/tto/tcm/creator/public/": {"handle_name": "mia.real", "display_name": "Mia R"},
            "/tto/tcm/creator/public/video/list/": {
                "posts": [{"video_id": "7301", "caption": token_echo[4:16]}],
                "has_more": False,
                "cursor": 0,
            },
            "/tto/tcm/campaign/": {
                "campaigns": [{"campaign_id": "55", "campaign_name": "Spring"}],
                "page_info": {"page": 1, "total_number": 1, "total_page": 1},
            },
            "/tto/tcm/report/": {
                "videos": [{"video_info": {"video_id": "7301"}, "video_views": 5}],
                "page_info": {"page": 1, "total_number": 1, "total_page": 1},
            },
            "/tcm/tt_video/status/": lambda r: envelope(
                code=40001, message="No permission to operate this API.", request_id=TOKEN[:10]
            ),
        }
    )


def test_record_saves_redacted_answers_without_the_token(tmp_path: Path) -> None:
    router = _fake_api(TOKEN)
    report = _run(handler=router, record=tmp_path / "rec")
    files = sorted(p.name for p in (tmp_path / "rec").iterdir())
    assert "discover.json" in files and "campaign_report.json" in files
    text = "".join(p.read_text() for p in (tmp_path / "rec").iterdir())
    assert TOKEN not in text
    for i in range(len(TOKEN) - 7):
        assert TOKEN[i : i + 8] not in text, TOKEN[i : i + 8]
    assert "mia.real" not in text and "7000000000000000007" not in text and "7301" not in text
    assert {r.method for r in router.requests} == {"GET"}  # the doctor never writes
    got = _by_name(report)
    assert got["campaign_report"][0] == "expected"
    assert got["spark_status"][0] == "permission missing"
    assert "Spark Ads authorization" in got["spark_status"][1]


def test_new_keys_are_drift(tmp_path: Path) -> None:
    router = _fake_api("x" * 20)
    router.routes["/tto/tcm/campaign/"] = {
        "campaigns": [{"campaign_id": "55", "budget_cents": 1}],
        "page_info": {"page": 1, "total_number": 1, "total_page": 1},
    }
    status, detail = _by_name(_run(handler=router))["campaigns"]
    assert status == "drift" and "new keys: budget_cents" in detail


def test_only_admins_may_run_it() -> None:
    viewer = Principal(username="v", name="V", role="manager")
    with _client(handler=_fake_api("y" * 20)) as client, pytest.raises(PermissionDenied):
        run_doctor(viewer, client)


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")}
    full.update(
        TTCM_DATABASE_URL=f"sqlite:///{tmp_path / 'ttcm.db'}",
        TTCM_SANDBOX_CREATORS="300",
        TTCM_SANDBOX_STATE=str(tmp_path / "state.json"),
        TTCM_INDEX_DIR=os.environ["TTCM_INDEX_DIR"],
        **env,
    )
    return subprocess.run(
        [str(BIN / "ttcm"), "doctor", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_doctor_on_the_default_sandbox_and_on_a_dialect(tmp_path: Path) -> None:
    done = _cli(tmp_path, "--record", str(tmp_path / "rec"))
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines() if line.startswith("  ")]
    assert lines and all(parts[1] in ("expected", "skipped") for parts in lines)
    assert "rate limits:" in done.stdout
    assert "sandbox-token" not in "".join(p.read_text() for p in (tmp_path / "rec").iterdir())
    drift = _cli(tmp_path, TTCM_SANDBOX_DIALECT="renamed")
    assert drift.returncode == 1
    assert "creator_list for creators" in drift.stdout
    assert drift.stderr.strip().startswith("ttcm: not as expected: discover")


def test_cli_doctor_refuses_a_record_path_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    done = _cli(tmp_path, "--record", str(target))
    assert done.returncode == 1 and "is not a folder" in done.stderr


def test_hostile_key_names_are_printed_inert() -> None:
    router = _fake_api("z" * 20)
    evil = "\x1b[31m[sign in](http://evil.test)\x07" + "x" * 60
    router.routes["/tto/tcm/campaign/"] = {
        "campaigns": [{"campaign_id": "55", evil: 1}],
        "page_info": {"page": 1, "total_number": 1, "total_page": 1},
    }
    router.routes["/tto/tcm/creator/discover/"] = {"items": [], evil: 2}
    got = _by_name(_run(handler=router))
    for name in ("campaigns", "discover"):
        status, detail = got[name]
        assert status == "drift"
        assert "\x1b" not in detail and "\x07" not in detail and "x" * 60 not in detail


def test_a_sandbox_with_a_campaign_is_as_expected_end_to_end() -> None:
    app = SandboxApp(n_creators=300, seed=3, qps=1000, qpm=100_000)
    with _client(app) as client:
        creators, _ = client.discover({"country_codes": ["US"]}, page_size=5)
        client.campaign_create("Spring", [c.handle_name for c in creators[:2]], brand_name="Acme")
        app.advance(24 * 10)  # creators join and post
        report = run_doctor(SYSTEM, client)
    got = _by_name(report)
    assert report.ok, got
    assert got["campaign_report"] == ("expected", "shape as expected")
    assert got["spark_status"][0] in ("expected", "reachable")
