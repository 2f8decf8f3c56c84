"""Client throughput against `ttcm sandbox serve` on loopback, both limited to 10 QPS / 600 QPM.

Several threads share one client (and so one rate limiter) and read discover pages as fast as the
limiter lets them for --seconds. Every HTTP answer is inspected, so a throttled answer (code 40100)
is counted even when the client waits and retries it.

    .venv/bin/python bench/client_throughput.py [--seconds 30] [--threads 4] [--qps 10]

Prints `achieved/limit=<ratio> throttled=<count>`; target ratio >= 0.90 with 0 throttled.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from ttcm.api import TikTokOneClient

BIN = Path(sys.executable).parent


class CountingTransport(httpx.BaseTransport):
    """Passes requests through and counts answers, and those that were throttled."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.lock = threading.Lock()
        self.answers = 0
        self.throttled = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        try:
            code = json.loads(response.content).get("code")
        except ValueError:
            code = None
        with self.lock:
            self.answers += 1
            self.throttled += code in (40100, 40132, 61000)
        return response

    def close(self) -> None:
        self.inner.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--qps", type=int, default=10)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "ttcm"), "sandbox", "serve", "--port", str(port), "--qps", f"{args.qps:g}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/_sandbox/state", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        counting = CountingTransport(httpx.HTTPTransport())
        client = TikTokOneClient(
            f"{base}/open_api/v1.3",
            "bench-token",
            qps=args.qps,
            qpm=args.qps * 60,
            transport=counting,
        )
        done = [0]
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds
        countries = ["US", "GB", "DE", "FR", "BR", "JP", "KR", "ID"]

        def worker(n: int) -> None:
            i = n
            while time.monotonic() < stop_at:
                client.discover({"country_codes": [countries[i % len(countries)]]}, page=1 + i % 3)
                i += args.threads
                with lock:
                    done[0] += 1

        t0 = time.monotonic()
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        client.close()
        achieved = done[0] / elapsed
        print(
            f"{done[0]} requests in {elapsed:.1f} s by {args.threads} threads, "
            f"{counting.answers} HTTP answers: {achieved:.2f} requests/s "
            f"against a {args.qps} QPS limit"
        )
        print(f"achieved/limit={achieved / args.qps:.2f} throttled={counting.throttled}")
    finally:
        server.terminate()
        server.wait(10)
        if server.returncode not in (0, -15):
            print(f"sandbox server exited with {server.returncode}", file=sys.stderr)


if __name__ == "__main__":
    main()
