"""Markers live in pyproject.toml only, strictly; `-m "not e2e"` skips every browser test."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_markers_are_strict_and_declared_in_pyproject_only() -> None:
    ini = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    options = ini["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in options["addopts"]
    assert {m.split(":")[0] for m in options["markers"]} >= {"e2e", "postgres", "install"}
    for conftest in (PROJECT / "tests").rglob("conftest.py"):
        assert "addinivalue_line" not in conftest.read_text(encoding="utf-8"), conftest


def test_not_e2e_deselects_every_browser_test() -> None:
    def collected(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
             *args, "tests/e2e"],
            cwd=PROJECT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        return done.stdout

    assert "::" in collected(), "no browser test found to deselect"
    assert "::" not in collected("-m", "not e2e")
