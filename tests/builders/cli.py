"""The installed `ttcm` command, run as a subprocess the way an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def ttcm(url: str, *args: str, stdin: str | None = None, **env: str):
    """`ttcm <args>` on the database at `url`, with no TTCM_ setting of this process but `env`."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")}
    full.update(TTCM_DATABASE_URL=url, TTCM_INDEX_DIR=os.environ["TTCM_INDEX_DIR"], **env)
    return subprocess.run(
        [str(BIN / "ttcm"), *args],
        env=full,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`ttcm <args>`."""
    return subprocess.run(
        [str(BIN / "ttcm"), *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
    )
