"""Build one discovery index snapshot in a child process, so the app's queries keep the GIL.

Reading a million rows into arrays is a few long calls into C (the row fetch, `zip`, the handle
sort) that hold the interpreter lock for seconds at a time; in a background thread of the app
they stall every page of every session meanwhile. The child reads the store's address from its
standard input (never its command line, which other users of the machine can read), builds,
saves the snapshot under the given folder and prints the version it saved.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ttcm.errors import TTCMError
from ttcm.services.discovery.build import build, save
from ttcm.store import Store


class IndexBuildError(TTCMError):
    """The child process that builds a discovery index snapshot failed."""


def build_in_child(store: Store, root: Path, *, timeout: float = 3600) -> int:
    """Build and save the store's current index under `root` in a child; the version saved."""
    url = store.engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "ttcm.services.discovery.child_build", str(root)],
        input=url,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": _package_parent(os.environ.get("PYTHONPATH"))},
        check=False,
    )
    lines = done.stdout.split()
    if done.returncode != 0 or not lines or not lines[-1].isdecimal():
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        raise IndexBuildError(f"the index build process failed ({done.returncode}): {tail[0]}")
    return int(lines[-1])


def _package_parent(existing: str | None) -> str:
    """PYTHONPATH with the folder holding this `ttcm` first (a checkout runs without install)."""
    here = str(Path(__file__).resolve().parents[3])
    return os.pathsep.join([here, existing]) if existing else here


def main() -> None:
    """Entry point of the child: the store URL on stdin, the snapshot folder as the argument."""
    store = Store.from_url(sys.stdin.read().strip())
    try:
        data = build(store)
        save(data, Path(sys.argv[1]))
    finally:
        store.engine.dispose()
    print(data.version)


if __name__ == "__main__":
    main()
