"""The runtime's wiring: settings -> the client and its transport (sandbox or HTTP), the store."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.api.conftest import FakeClock, Sleeper
from ttcm.config import Settings
from ttcm.runtime import SANDBOX_BASE_URL, make_client

API = Path(__file__).resolve().parents[1] / "ttcm" / "api"


def test_make_client_builds_the_in_process_sandbox(tmp_path) -> None:
    settings = Settings(
        api_base="sandbox",
        sandbox_creators=300,
        sandbox_seed=3,
        sandbox_state=tmp_path / "sandbox_state.json",
        qps=1000,
    )
    clock = FakeClock()
    with make_client(settings, sleep=Sleeper(clock)) as client:
        assert client.base_url == SANDBOX_BASE_URL
        assert client.account_info().account_name
        client.campaign_create("Persisted", [], brand_name="Acme")
    assert (tmp_path / "sandbox_state.json").exists()


def test_make_client_with_a_url() -> None:
    settings = Settings(
        api_base="https://business-api.example/open_api/v1.3",
        access_token="tok-for-url-test",
        account_id="7000000000000000042",
        qps=5,
    )
    with make_client(settings) as client:
        assert client.base_url == settings.api_base
        assert client.account_id == "7000000000000000042"
        assert client.limiter.qps == 5 and client.limiter.qpm == 600
        again = make_client(settings)
        assert again.limiter is client.limiter  # one limiter per app in the process
        again.close()


def test_the_api_package_never_imports_the_sandbox() -> None:
    imported = {
        f"{path.relative_to(API)}: {name}"
        for path in API.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import)
            else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        )
        if name.startswith("ttcm.sandbox")
    }  # fmt: skip
    assert not imported
