"""Every package imported by ttcm/, app_pages/ and app.py is declared; none declared is unused."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"ttcm", "app_pages", "app"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    """Normalised names of [project].dependencies."""
    deps = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_norm(re.split(r"[\s<>=!~;\[]", d, maxsplit=1)[0]) for d in deps["dependencies"]}


def imported() -> dict[str, str]:
    """Top-level third-party module -> the first file that imports it."""
    files = [
        PROJECT / "app.py",
        *(PROJECT / "ttcm").rglob("*.py"),
        *(PROJECT / "app_pages").rglob("*.py"),
    ]
    found: dict[str, str] = {}
    for path in sorted(files):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY:
                    found.setdefault(top, str(path.relative_to(PROJECT)))
    return found


@cache
def _providers() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def distributions(module: str) -> set[str]:
    """Normalised names of the installed distributions that provide `module`."""
    return {_norm(d) for d in _providers().get(module, [])}


def test_every_imported_package_is_declared() -> None:
    missing = {
        module: where
        for module, where in imported().items()
        if not distributions(module) & declared()
    }
    assert missing == {}, f"imported but not in [project].dependencies: {missing}"


def test_every_declared_package_is_imported() -> None:
    used = {d for module in imported() for d in distributions(module)}
    assert declared() - used == set()
