"""Build the wheels of the pre-commit hook environment's dependencies into a folder.

The README's test command runs this during set-up (``scripts/test.sh``), into
``.venv/hook-wheels``; ``tests/test_precommit.py`` then installs the hook environments from
that folder with the network off. Run by hand: ``python scripts/hook_wheels.py DIR``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
# What pre-commit's python hook environment installs besides the project's own dependencies.
HOOK_TOOLS = ("hatchling", "pip", "setuptools")


def requirements() -> list[str]:
    """The project's runtime dependencies (pyproject.toml) and the hook installer's tools."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    return [*map(str, project["dependencies"]), *HOOK_TOOLS]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: hook_wheels.py DIR", file=sys.stderr)
        return 2
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check",
           "--wheel-dir", argv[0], *requirements()]  # fmt: skip
    return subprocess.run(cmd, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
