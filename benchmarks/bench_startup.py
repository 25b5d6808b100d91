"""One-shot start-up time: ``import textforensics`` and ``textforensics scan FILE`` on a
small file, each the median of N fresh interpreter runs. SMALL_FILE has one finding (a
Cyrillic letter in an English word); CLEAN_ASCII_FILE and CLEAN_FRENCH_FILE have none, as
most files a pre-commit hook sees (a text in ASCII needs neither the detector's tables nor
``regex``).

    python benchmarks/bench_startup.py [N] [--src DIR]...

Prints, per command, the median wall-clock time and the median CPU time (user + system of
the child process, from ``resource``), which a busy shared machine disturbs much less than
the wall clock. The target (issue 17) is at most 150 ms wall for each on an idle machine;
the load average is printed with the figures because on a shared machine it dominates
them. With ``--src DIR`` (repeatable) the same commands run with ``PYTHONPATH=DIR`` for
each source tree, interleaved run by run, so two versions are compared under the same load.
``scan`` is timed twice: where the benchmark is started (in this project its
``pyproject.toml`` is found and read, as in a pre-commit hook) and in an empty directory
(no configuration file: ``tomllib`` and ``pathlib`` are not imported).

Bytecode: an installed package runs from compiled ``.pyc`` files (pip compiles them at
install time), but a session may set ``PYTHONDONTWRITEBYTECODE`` (this project's does), so
that every run would compile every module again. The children therefore get their own
``PYTHONPYCACHEPREFIX`` in a temporary directory, filled by one untimed warm-up run per
command; ``--no-bytecode`` measures the compile-every-time case instead.

``--instructions`` adds, per command and tree, the number of instructions one run executes
in user space, counted by valgrind's callgrind (when ``valgrind`` is installed; each run
takes some seconds under it). The count does not depend on the machine's load, so two
trees compare exactly on a busy machine; it leaves out what the kernel does for the
process (page faults, reading files), which the CPU column includes.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(cmd: list[str], env: dict[str, str], cwd: str | None = None) -> tuple[float, float]:
    """Wall and CPU milliseconds of one run of ``cmd`` (in ``cwd``, default: this one)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        cmd,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


_TABLES = """
import statistics, time
from textforensics.homoglyphs.data import TABLES_FILE, decode_tables
from textforensics.homoglyphs.data_build import build_tables
from textforensics.tables import read_data
def cpu_ms(f, n):
    out = []
    for _ in range(n):
        t = time.process_time(); f(); out.append((time.process_time() - t) * 1000)
    return statistics.median(out)
raw = read_data(TABLES_FILE)
print(f"homoglyph tables: load from {TABLES_FILE} {cpu_ms(lambda: decode_tables(raw), 5):.1f} ms"
      f" cpu, build from the Unicode data {cpu_ms(build_tables, 3):.0f} ms cpu (median)")
"""


def _instructions(cmd: list[str], env: dict[str, str], cwd: str | None = None) -> int | None:
    """User-space instructions of one run of ``cmd`` under callgrind, or None without it."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=20)
    parser.add_argument("--src", action="append", default=[], help="a source tree to compare")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="keep the environment: no cached bytecode"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each command's instructions with valgrind (load-independent)",
    )
    args = parser.parse_args()
    py = sys.executable
    trees: list[str | None] = list(args.src) or [None]
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text("Pay the invoice with your p\u0430ypal account.\n", encoding="utf-8")
        # Files a hook mostly sees: nothing to report, in ASCII or in another language.
        clean = Path(tmp) / "clean.txt"
        clean.write_text("Pay the invoice with your paypal account.\n", encoding="utf-8")
        clean_intl = Path(tmp) / "clean_intl.txt"
        clean_intl.write_text("Réglez la facture depuis votre compte à Genève.\n", encoding="utf-8")
        empty = Path(tmp) / "empty"  # a directory with no configuration file above it
        empty.mkdir()
        scan = [py, "-m", "textforensics", "scan", str(small)]
        rows: list[tuple[str, list[str], str | None]] = [
            ("python -c pass (interpreter alone)", [py, "-c", "pass"], None),
            ("import textforensics", [py, "-c", "import textforensics"], None),
            # Run where the benchmark is started: in a project, its pyproject.toml is read
            # (a hook's usual case); in an empty directory there is no file to read.
            ("textforensics scan SMALL_FILE", scan, None),
            ("textforensics scan SMALL_FILE (no config file)", scan, str(empty)),
            ("textforensics scan CLEAN_ASCII_FILE", [*scan[:-1], str(clean)], None),
            ("textforensics scan CLEAN_FRENCH_FILE", [*scan[:-1], str(clean_intl)], None),
            # the fix hook on a file with nothing to fix (nothing is written)
            (
                "textforensics fix CLEAN_ASCII_FILE",
                [py, "-m", "textforensics", "fix", str(clean)],
                None,
            ),
        ]
        envs = []
        for k, tree in enumerate(trees):
            env = dict(os.environ)
            if tree is not None:
                env["PYTHONPATH"] = str(Path(tree).resolve())
            elif env.get("PYTHONPATH"):  # absolute: a row runs in another directory
                parts = env["PYTHONPATH"].split(os.pathsep)
                env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in parts if p)
            if not args.no_bytecode:
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / f"pycache-{k}")
            envs.append(env)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"runs: {args.runs}, cores: {os.cpu_count()}, load average (1 min): {load:.1f},"
            f" bytecode: {'compiled on every run' if args.no_bytecode else 'cached'}"
        )
        for label, cmd, cwd in rows:
            for env in envs:
                _run(cmd, env, cwd)  # warm-up: bytecode cache, file system cache
            walls: list[list[float]] = [[] for _ in trees]
            cpus: list[list[float]] = [[] for _ in trees]
            for _ in range(args.runs):
                for k, env in enumerate(envs):
                    wall, cpu = _run(cmd, env, cwd)
                    walls[k].append(wall)
                    cpus[k].append(cpu)
            for k, tree in enumerate(trees):
                name = label if tree is None else f"{label} [{tree}]"
                counted = _instructions(cmd, envs[k], cwd) if args.instructions else None
                print(
                    f"{name:<64} median wall {statistics.median(walls[k]):6.0f} ms"
                    f"  cpu {statistics.median(cpus[k]):6.0f} ms"
                    + ("" if counted is None else f"  instructions {counted / 1e6:6.1f} M")
                )
        for k, tree in enumerate(trees):
            done = subprocess.run(
                [py, "-c", _TABLES], env=envs[k], capture_output=True, text=True, check=False
            )
            if done.returncode == 0:  # (a tree without generated tables: nothing to show)
                print(f"{done.stdout.strip()}{'' if tree is None else f' [{tree}]'}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average (1 min) at the end: {load:.1f}")


if __name__ == "__main__":
    main()
