"""Stuck order writes (issue 12.9), with real processes: `orders create` killed with SIGKILL
while its call is in flight, and a 5xx on the call that starts a new campaign code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import httpx
from sqlalchemy import select

from tests.builders.campaigns import seed_creators
from tests.builders.cli import cli
from tests.refresh.conftest import TOKEN, cli_env, loopback_sandbox
from ttcm.api import TikTokOneClient
from ttcm.api import errors as api_errors
from ttcm.auth import SYSTEM
from ttcm.sandbox import SandboxApp
from ttcm.services.campaigns.service import Campaigns
from ttcm.services.orders.messages import UNCONFIRMED_NEW
from ttcm.services.orders.request import OrderRequest
from ttcm.services.orders.service import Orders
from ttcm.store import Store, upgrade
from ttcm.store import models as m

SANDBOX = ("--creators", "3000", "--seed", "13", "--qps", "1000")


def _state(base: str) -> dict[str, Any]:
    return httpx.get(f"{base}/_sandbox/state", timeout=10).json()


def _faults(base: str, spec: dict[str, Any]) -> None:
    httpx.post(f"{base}/_sandbox/faults", json=spec, timeout=10).raise_for_status()


def _failing_client(base: str) -> TikTokOneClient:
    """A client on the loopback sandbox whose order create answers a 5xx (nothing created)."""
    client = TikTokOneClient(f"{base}/open_api/v1.3", TOKEN, qps=1000)

    def order_create(*args: Any, **kwargs: Any) -> Any:
        raise api_errors.ServerError(50000, "System error, please try again later.", "r-5xx")

    client.order_create = order_create  # type: ignore[method-assign]
    return client


def _orders_args(campaign: str, handles: list[str], *extra: str) -> list[str]:
    return ["orders", "create", "--campaign", campaign, "--handles", ",".join(handles),
            "--format", "json", *extra]  # fmt: skip


def _setup(store_url: str, base: str) -> tuple[dict[str, str], str, list[str], Store]:
    env = cli_env(store_url, base)
    store = Store.from_url(store_url)
    upgrade(store.engine)
    made = cli(env, "campaigns", "create", "--name", "Crash test", "--brand-name", "Acme",
               "--description", "Jackets", "--format", "json")  # fmt: skip
    assert made.returncode == 0, made.stderr
    campaign = json.loads(made.stdout)[0]["campaign_id"]
    handles = seed_creators(store, SandboxApp(n_creators=3000, seed=13))["ttcm"]
    return env, campaign, handles, store


def _statuses(store: Store) -> dict[str, str]:
    with store.read() as conn:
        rows = conn.execute(
            select(m.WriteIntent.business_key, m.WriteIntent.status).where(
                m.WriteIntent.kind == "order.create"
            )
        ).all()
    return {key.rsplit(":", 1)[1]: status for key, status in rows}


def test_a_killed_orders_create_is_taken_over_at_once_and_never_doubles(store_url) -> None:
    with loopback_sandbox(*SANDBOX) as base:
        env, campaign, handles, store = _setup(store_url, base)
        first = cli(env, *_orders_args(campaign, handles[:1], "--videos", "1"))
        assert first.returncode == 0, first.stderr
        before = _state(base)["orders"]
        # TikTok creates the orders, then its answer is slow: the sender is killed waiting for it
        _faults(base, {"slow_ms": 4000})
        cmd = [sys.executable, "-m", "ttcm.cli",
               *_orders_args(campaign, handles[1:4], "--videos", "1")]  # fmt: skip
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while _state(base)["orders"] < before + 3:
                assert proc.poll() is None and time.monotonic() < deadline, "never sent"
                time.sleep(0.05)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        _faults(base, {})
        assert set(_statuses(store).values()) == {"done", "pending"}
        again = cli(env, *_orders_args(campaign, handles[1:4], "--videos", "1"))
        assert again.returncode == 0, again.stderr  # not "being sent from another session"
        rows = json.loads(again.stdout)
        assert sorted(r["handle_name"] for r in rows) == sorted(handles[1:4])
        assert {r["result"] for r in rows} == {"existing"}  # found on the code, not sent again
        assert _state(base)["orders"] == before + 3
        assert set(_statuses(store).values()) == {"done"}
        store.dispose()


def test_a_5xx_starting_a_new_code_is_resent_from_the_cli_on_request(store_url) -> None:
    with loopback_sandbox(*SANDBOX) as base:
        env, campaign, handles, store = _setup(store_url, base)
        first = cli(env, *_orders_args(campaign, handles[:1], "--videos", "1"))
        assert first.returncode == 0, first.stderr
        before = _state(base)["orders"]
        # a session whose create call (other deliverables: a new code) gets a 5xx answer
        failing = Orders(store, lambda: _failing_client(base))
        pk = Campaigns(store, lambda: None).resolve(SYSTEM, campaign)
        out = failing.create(SYSTEM, OrderRequest(pk, handles[1:2], video_number=2))
        assert out.unconfirmed == {handles[1]: UNCONFIRMED_NEW}
        plain = cli(env, *_orders_args(campaign, handles[1:2], "--videos", "2"))
        assert plain.returncode == 1 and "--resend-unconfirmed" in plain.stderr
        assert _state(base)["orders"] == before  # nothing sent without the explicit request
        resent = cli(env, *_orders_args(campaign, handles[1:2], "--videos", "2",
                                        "--resend-unconfirmed"))  # fmt: skip
        assert resent.returncode == 0, resent.stderr
        [row] = json.loads(resent.stdout)
        assert row["result"] == "created" and row["handle_name"] == handles[1]
        assert _state(base)["orders"] == before + 1
        assert set(_statuses(store).values()) == {"done"}
        store.dispose()
