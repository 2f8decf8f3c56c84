"""Every relative reference to a document in the repository resolves, down to its § or #anchor."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".git", "build", "dist", "data", "test-artifacts", "node_modules", "__pycache__"}
TEXT = {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".example", ""}
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
MENTION = re.compile(r"(?<![\w/.:-])([\w][\w./-]*\.md)\b(?:,?\s*§\s?(\d+))?")


def text_files() -> list[Path]:
    """The project's own text files (no venvs, caches, build output or run-time data)."""
    found = []
    for root, dirs, files in os.walk(PROJECT):
        dirs[:] = [
            d
            for d in dirs
            if d not in SKIP_DIRS
            and not d.endswith(".egg-info")
            and (not d.startswith(".") or d in {".ci", ".streamlit"})
        ]
        for name in files:
            path = Path(root) / name
            if path.suffix in TEXT or name == "Makefile":
                found.append(path)
    return sorted(found)


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(doc: Path) -> list[str]:
    """The headings of a Markdown file, without their #s."""
    return re.findall(r"^#+\s+(.*)$", doc.read_text(encoding="utf-8"), flags=re.M)


def resolve(target: str, source: Path) -> Path | None:
    """The file `target` names, relative to the referring file or to the project root."""
    for base in (source.parent, PROJECT):
        candidate = (base / target).resolve()
        if candidate.is_file():
            return candidate
    return None


def references() -> list[tuple[str, str, str | None, str | None]]:
    """(where, target, #anchor, §number) for every document reference in the project."""
    refs = []
    for path in text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        where = str(path.relative_to(PROJECT))
        if path.suffix == ".md":
            for target in LINK.findall(text):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                    continue
                file, _, anchor = target.partition("#")
                refs.append((where, file, anchor or None, None))
            text = LINK.sub("", text)  # a link's text is not a reference of its own
        for target, section in MENTION.findall(text):
            refs.append((where, target, None, section or None))
    return refs


def test_the_scan_finds_references() -> None:
    targets = {t for _, t, _, _ in references()}
    assert {"docs/contract.md", "docs/decisions.md", "docs/architecture.md"} <= targets


@pytest.mark.parametrize(("where", "target", "anchor", "section"), references())
def test_reference_resolves(
    where: str, target: str, anchor: str | None, section: str | None
) -> None:
    doc = resolve(target, PROJECT / where)
    assert doc is not None, f"{where} refers to {target}, which is not in the repository"
    if anchor:
        assert anchor in {slug(h) for h in headings(doc)}, f"{where}: no #{anchor} in {target}"
    if section:
        numbered = {h.split(".")[0] for h in headings(doc) if re.match(r"\d+\.", h)}
        assert section in numbered, f"{where}: {target} has no section {section}"
