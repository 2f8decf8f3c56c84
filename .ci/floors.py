"""Print pip constraints that pin every declared runtime dependency to its lower bound (`>=`)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

FLOOR = re.compile(r"^\s*([A-Za-z0-9._-]+)(\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def floors(pyproject: Path) -> list[str]:
    """`name==floor` for each dependency of [project].dependencies; a missing floor is an error."""
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    out = []
    for dep in deps:
        match = FLOOR.match(dep)
        if match is None:
            raise SystemExit(f"floors: {dep!r} has no '>=' lower bound")
        out.append(f"{match.group(1)}=={match.group(3)}")
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
    print("\n".join(floors(root / "pyproject.toml")))
