"""`ttcm app`: serve the Streamlit app, from a checkout or from an installed wheel."""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

from ttcm.config import PROJECT_DIR, home_dir

# where the wheel installs app.py, app_pages/ and .streamlit/config.toml (pyproject's data-files)
INSTALLED_APP = Path(sys.prefix) / "share" / "ttcm"


def app_dir() -> Path:
    """The folder holding app.py and app_pages/: the checkout, else the installed copy."""
    return PROJECT_DIR if home_dir() == PROJECT_DIR else INSTALLED_APP


def streamlit_command(folder: Path, port: int, address: str) -> list[str]:
    """`streamlit run` for the app in `folder`, with the project's server settings as flags."""
    flags: list[str] = []
    config = folder / ".streamlit" / "config.toml"
    if config.is_file():
        # Streamlit reads .streamlit/ from the current directory only, so an installed app
        # carries the project's settings (error details hidden, XSRF on, …) as flags instead
        for section, values in tomllib.loads(config.read_text(encoding="utf-8")).items():
            for key, value in values.items():
                text = str(value).lower() if isinstance(value, bool) else str(value)
                flags += [f"--{section}.{key}", text]
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(folder / "app.py"),
        *flags,
        "--server.port",
        str(port),
        "--server.address",
        address,
    ]


def cmd_app(args: argparse.Namespace) -> int:
    """Serve the app until interrupted; the cache is the one the settings name."""
    folder = app_dir()
    if not (folder / "app.py").is_file():
        print(
            f"ttcm: the app is not installed here ({folder / 'app.py'} is missing)", file=sys.stderr
        )
        return 1
    command = streamlit_command(folder, args.port, args.address)
    # become Streamlit (no child process), so a supervisor's or Ctrl-C's signal reaches the server
    os.execv(command[0], command)
    return 1  # not reached


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `app`."""
    app = subparsers.add_parser("app", help="serve the Streamlit app (sign-in, every page)")
    app.add_argument("--port", type=int, default=8501, help="TCP port (default 8501)")
    app.add_argument(
        "--address", default="127.0.0.1", help="interface to listen on (default loopback)"
    )
    app.set_defaults(func=cmd_app)
