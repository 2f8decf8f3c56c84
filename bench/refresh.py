"""Refresh of a 100,000-creator sandbox served on loopback with the 10 QPS limit.

Starts `ttcm sandbox serve --creators N --qps 10`, refreshes creators into an empty SQLite file
through the normal client (10 QPS / 600 QPM), and prints the request rate achieved over the limit
(target >= 0.90), the throttled answers (target 0) and the total time.

    .venv/bin/python bench/refresh.py [--creators 100000] [--qps 10]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from client_throughput import BIN, CountingTransport, free_port  # noqa: E402

from ttcm.api import TikTokOneClient  # noqa: E402
from ttcm.refresh.run import Refresher  # noqa: E402
from ttcm.store import Store, upgrade  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--qps", type=int, default=10)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "ttcm"),
            "sandbox",
            "serve",
            "--port",
            str(port),
            "--creators",
            str(args.creators),
            "--qps",
            str(args.qps),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{base}/_sandbox/state", timeout=5)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.from_url(f"sqlite:///{Path(tmp) / 'bench.db'}")
            upgrade(store.engine)
            counting = CountingTransport(httpx.HTTPTransport())
            client = TikTokOneClient(
                f"{base}/open_api/v1.3",
                "bench-token",
                qps=args.qps,
                qpm=args.qps * 60,
                transport=counting,
            )
            t0 = time.monotonic()
            report = Refresher(store, client).run(["creators"])
            elapsed = time.monotonic() - t0
            client.close()
            store.dispose()
        rate = counting.answers / elapsed
        new = report.counts.get("creators", {}).get("new", 0)
        print(
            f"refresh {report.status}: {new:,} creators, "
            f"{counting.answers:,} requests in {elapsed:.0f} s ({rate:.2f}/s)"
        )
        print(
            f"achieved/limit={rate / args.qps:.2f} throttled={counting.throttled} "
            f"total_time={elapsed:.0f}s"
        )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
