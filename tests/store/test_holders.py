"""Claim ids: several claims of one process, judged by the process that holds them."""

from __future__ import annotations

import socket
import subprocess
import sys

from ttcm.store.holders import claim_id, holder_id, holder_is_dead


def test_claim_ids_are_distinct_and_alive_while_this_process_runs() -> None:
    first, second = claim_id(), claim_id()
    assert first != second
    assert first.startswith(f"{holder_id()}/") and second.startswith(f"{holder_id()}/")
    assert not holder_is_dead(first) and not holder_is_dead(second)


def test_a_claim_of_a_gone_process_on_this_host_is_dead() -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    pid = int(gone.stdout)
    assert holder_is_dead(f"{socket.gethostname()}:{pid}:-/3")
    assert not holder_is_dead(f"elsewhere:{pid}:-/3")  # another machine: cannot tell
