"""`.ci/floors.py` pins each runtime dependency to its declared lower bound (make test-floors)."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def _floors_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_floors", PROJECT / ".ci" / "floors.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_dependency_gets_an_exact_floor() -> None:
    deps = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _floors_module().floors(PROJECT / "pyproject.toml")
    assert len(pins) == len(deps["dependencies"])
    assert all("==" in pin and "[" not in pin for pin in pins)
    assert "streamlit==" + deps["dependencies"][0].split(">=")[1].split()[0] in pins


def test_a_dependency_without_a_floor_is_refused(tmp_path: Path) -> None:
    toml = tmp_path / "pyproject.toml"
    toml.write_text('[project]\ndependencies = ["plotly>=6.0", "pandas"]\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="'pandas' has no '>=' lower bound"):
        _floors_module().floors(toml)
