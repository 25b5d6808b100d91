"""The ``dupes --git`` pre-commit hook on a repository of N tracked files (default 2,000):
cold (no signature cache: every tracked file read and signed, then cached) against warm
(the cache in ``.git/textforensics/`` holds every tracked file: only the staged file is
read and signed).

    python benchmarks/bench_dupes_hook.py [N] [--runs R]

The staged file is a copy of a tracked one (the hook must fail: exit 1). Each figure is a
fresh ``python -m textforensics`` process: wall clock and CPU time (user + system of the
child), with the load average, as the machine is shared. The pages are made of random
words (seeded: the same repository every time), about 2 kB each like a source or docs file.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from random import Random


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=b", "-c", "user.email=b@example.com", "-c",
         "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


def _make_repo(root: Path, n: int) -> None:
    rng = Random(17)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(5000)
    ]
    for i in range(n):
        folder = root / f"docs{i // 200:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [" ".join(rng.choice(words) for _ in range(12)) + "." for _ in range(28)]
        (folder / f"page{i:05d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "pages")


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="?", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=2, help="warm runs (cold: one per run)")
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    with tempfile.TemporaryDirectory() as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        root = Path(tmp) / "repo"
        root.mkdir()
        _make_repo(root, args.files)
        shutil.copy(root / "docs00" / "page00007.md", root / "copy.md")
        cmd = [sys.executable, "-m", "textforensics", "dupes", "--git", "copy.md", "-q"]
        cache = root / ".git" / "textforensics"
        _run([sys.executable, "-m", "textforensics", "--version"], root, env)  # bytecode
        load = os.getloadavg()[0]
        print(f"{args.files} tracked files, cores: {os.cpu_count()}, load average: {load:.1f}")
        for k in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            wall, cpu, code = _run(cmd, root, env)
            print(f"cold (no cache) {k + 1}: wall {wall:6.2f} s  cpu {cpu:6.2f} s  exit {code}")
            wall, cpu, code = _run(cmd, root, env)
            print(f"warm (cached)   {k + 1}: wall {wall:6.2f} s  cpu {cpu:6.2f} s  exit {code}")
        if cache.is_dir():  # (a tree without the cache: the figures of the old hook)
            size = sum(f.stat().st_size for f in cache.iterdir())
            print(f"cache: {size / 1e6:.1f} MB in {cache.relative_to(root)}/")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
