"""README.md documents every `TTCM_*` setting and every CLI command (both read from the code)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ttcm.cli.main import build_parser

PROJECT = Path(__file__).resolve().parents[2]
README = (PROJECT / "README.md").read_text(encoding="utf-8")
SETTING = re.compile(r"\bTTCM_[A-Z][A-Z0-9_]*[A-Z0-9]\b")


def settings_in_code() -> set[str]:
    """Every TTCM_* name that the package reads or names (config.py and the rest of ttcm/)."""
    names: set[str] = set()
    for path in (PROJECT / "ttcm").rglob("*.py"):
        names |= set(SETTING.findall(path.read_text(encoding="utf-8")))
    return names


def commands(parser: argparse.ArgumentParser, prefix: str = "ttcm") -> Iterator[str]:
    """Every command path of the argparse tree, groups and leaves: `ttcm db`, `ttcm db upgrade`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix} {name}"
                yield from commands(sub, f"{prefix} {name}")


def documented_settings() -> set[str]:
    """The settings in the first column of README's configuration table."""
    return set(re.findall(r"^\| `(TTCM_[A-Z0-9_]+)`", README, flags=re.M))


def documented_commands() -> set[str]:
    """The command paths (the leading lowercase words) in the first column of README's table."""
    found = set()
    for cell in re.findall(r"^\| `(ttcm [^`]+)`", README, flags=re.M):
        words = []
        for word in cell.split():
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            words.append(word)
        found.add(" ".join(words))
    return found - {"ttcm"}


def test_the_code_reads_settings_and_has_commands() -> None:
    assert {"TTCM_API_BASE", "TTCM_DATABASE_URL", "TTCM_DATA_DIR"} <= settings_in_code()
    assert "ttcm db upgrade" in set(commands(build_parser()))


@pytest.mark.parametrize("name", sorted(settings_in_code()))
def test_setting_is_documented(name: str) -> None:
    assert name in documented_settings(), f"{name} is read by ttcm but not in README's table"


@pytest.mark.parametrize("command", sorted(c for c in commands(build_parser()) if c.count(" ") > 0))
def test_command_is_documented(command: str) -> None:
    leaves_and_groups = documented_commands()
    assert command in leaves_and_groups or any(
        d.startswith(command + " ") for d in leaves_and_groups
    ), f"`{command}` is a command but README's command table does not list it"


def test_readme_lists_no_command_or_setting_that_does_not_exist() -> None:
    assert documented_commands() - set(commands(build_parser())) == set()
    assert documented_settings() - settings_in_code() == set()
