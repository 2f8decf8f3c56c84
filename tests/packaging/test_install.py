"""`pip install .` outside the checkout gives a working `ttcm`, with the rules inside the wheel."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest

import ttcm
from ttcm import rules

pytestmark = pytest.mark.install

PROJECT = Path(__file__).resolve().parents[2]
PIP = [sys.executable, "-m", "pip"]


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{cmd[:3]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the project's files (nothing written into the checkout)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "app.py", ".streamlit/config.toml"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / name, src / name)
    for folder in ("ttcm", "app_pages"):
        shutil.copytree(
            PROJECT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    out = tmp_path_factory.mktemp("dist")
    _run([*PIP, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(src)], src)
    (built,) = out.glob("ttcm-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel; the other dependencies come from the project's venv."""
    root = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(root)], root)
    target = Path(sysconfig.get_path("purelib", vars={"base": str(root), "platbase": str(root)}))
    # a plain path line: the project's site-packages is searched after the venv's own, and its
    # .pth files (the editable install of the checkout) are not run
    (target / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    python = str(root / "bin" / "python")
    _run([*PIP, "--python", python, "install", "--no-deps", "-q", str(wheel)], root)
    return root


def test_the_wheel_carries_every_rule_file_and_migration(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"ttcm/rules/{p.name}" for p in Path(rules.__file__).parent.glob("*.json")} <= names
    needed = {
        p.relative_to(PROJECT).as_posix()
        for pattern in ("*.py", "*.json", "*.mako")
        for p in (PROJECT / "ttcm").rglob(pattern)
        if "__pycache__" not in p.parts
    }
    assert "ttcm/store/migrations/env.py" in needed
    assert needed - names == set()
    app = {n.split("/data/", 1)[1] for n in names if ".data/data/share/ttcm/" in n}
    pages = {f"share/ttcm/app_pages/{p.name}" for p in (PROJECT / "app_pages").glob("*.py")}
    assert {"share/ttcm/app.py", "share/ttcm/.streamlit/config.toml"} | pages <= app


def test_installed_ttcm_refreshes_and_searches_from_outside_the_checkout(
    venv: Path, tmp_path: Path
) -> None:
    home = tmp_path / "campaigns"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")}
    env.update(TTCM_SANDBOX_CREATORS="300", PYTHONNOUSERSITE="1")
    bin_ = venv / "bin"

    where = _run([str(bin_ / "python"), "-c", "import ttcm; print(ttcm.__file__)"], home, env)
    assert Path(where.strip()).is_relative_to(venv), "ttcm was imported from the checkout"
    assert _run([str(bin_ / "ttcm"), "--version"], home, env).strip() == f"ttcm {ttcm.__version__}"

    _run([str(bin_ / "ttcm"), "db", "upgrade"], home, env)
    _run([str(bin_ / "ttcm"), "refresh"], home, env)
    found = _run([str(bin_ / "ttcm"), "creators", "search", "--limit", "5"], home, env)
    assert len([line for line in found.splitlines() if line.strip()]) >= 5
    # an installed ttcm keeps its cache in the current directory's data/, not in site-packages
    assert (home / "data" / "ttcm.db").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_installed_app_runs_from_any_directory(venv: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")}
    env.update(TTCM_SANDBOX_CREATORS="300", PYTHONNOUSERSITE="1")
    bin_ = venv / "bin"
    script = venv / "share" / "ttcm" / "app.py"
    # the script itself, from another directory: the fresh install's first page, no exception
    probe = (
        "import sys; from streamlit.testing.v1 import AppTest; "
        "at = AppTest.from_file(sys.argv[1], default_timeout=120); at.run(); "
        "assert not at.exception, at.exception; "
        "print(' '.join(m.value for m in at.markdown))"
    )
    shown = _run([str(bin_ / "python"), "-c", probe, str(script)], tmp_path, env)
    assert "users add YOUR_NAME --role admin" in shown, shown

    # `ttcm app` serves it over HTTP with the project's settings
    port = _free_port()
    with subprocess.Popen(
        [str(bin_ / "ttcm"), "app", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(600):
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
            assert httpx.get(url, timeout=10).status_code == 200
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        # the signal reached the server itself: nothing is left serving the port
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/_stcore/health", timeout=5)
