#!/usr/bin/env python3
"""Hostile and oversized input shapes, each at 1x and 4x size, one fresh process per run.

Usage::

    .venv/bin/python benchmarks/bench_shapes.py [--scale 0.1] [--only NAME ...] [--timeout 120]
    .venv/bin/python benchmarks/bench_shapes.py --list

For every shape (issue 16) the parent starts a child process that builds the input
(untimed), runs the named entry point once (timed) and exits; the parent reads the child's
peak resident memory from ``wait4`` (``ru_maxrss``, input and interpreter included; the
``base`` column is the child's peak just before the call). The table shows wall and CPU
time, throughput in MB/s of UTF-8 input (wall clock), peak memory, and the 4x/1x ratio of
CPU times (steadier than wall clock on a shared machine): about 4 means linear, 16
quadratic. A child that runs past ``--timeout`` is killed and shown as ``timeout``.

Sizes are the issue's sizes at ``--scale 1`` (slow: minutes per shape); use a small scale
for a quick look. Sizes count characters (documents for the ``*_docs`` shapes), chosen so
that "1 MB" shapes are about a megabyte of UTF-8. Each child first runs its entry point
once on a tiny input of the same shape (untimed), so lazy loading of tables and models is
not counted. The machine load is printed before and after, since the machine may be
shared.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import textforensics as tf  # noqa: E402
from textforensics.cli import main as cli_main  # noqa: E402

MB = 1_000_000
_WORD_TEXT = (
    "river flood spring valley water town bridge people season rain north harbour market "
    "school council road winter field forest village engine station letter report"
)
_WORDS = tuple(_WORD_TEXT.split())


# --- inputs ------------------------------------------------------------------------------------


def _seed_text() -> str:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    if seeds:
        return "\n\n".join(p.read_text(encoding="utf-8") for p in seeds)
    rng = random.Random(1)
    return "\n\n".join(
        " ".join(rng.choice(_WORDS) for _ in range(60)).capitalize() + "." for _ in range(40)
    )


def _fill(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` characters."""
    return (unit * (size // max(1, len(unit)) + 1))[:size]


def _prose(size: int, seed: int = 7) -> str:
    """Multi-line prose of about ``size`` characters (the seeds, lines shuffled per copy)."""
    base = _seed_text().split("\n")
    rng = random.Random(seed)
    out: list[str] = []
    n = 0
    while n < size:
        lines = base[:]
        rng.shuffle(lines)
        for line in lines:
            out.append(line)
            n += len(line) + 1
    return "\n".join(out)[:size]


def _dense(size: int) -> str:
    """A dense look-alike file: every word carries a Cyrillic look-alike, 8 words a line."""
    words = ["p\u0430ypal", "\u0430pple", "g\u043e\u043egle", "micr\u043esoft", "n\u0435tflix"]
    line = " ".join(words + words[:3]) + "\n"
    return _fill(line, size)


def _docs_identical(n: int) -> dict[int, str]:
    text = " ".join(_WORDS) + " " + " ".join(reversed(_WORDS))
    return dict.fromkeys(range(n), text)


def _docs_near(n: int) -> dict[int, str]:
    rng = random.Random(3)
    base = [rng.choice(_WORDS) for _ in range(80)]
    docs = {}
    for i in range(n):
        words = base[:]
        words[rng.randrange(len(words))] = f"w{i}"
        docs[i] = " ".join(words)
    return docs


def _docs_one_word(n: int) -> dict[int, str]:
    return {i: f"word{i}" for i in range(n)}


# --- shapes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    name: str
    entry: str
    size: int  # at --scale 1 and 1x: characters, or documents for the *_docs shapes
    build: Callable[[int], Any]
    run: Callable[[Any], object]


def _cli(argv: list[str]) -> int:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        return cli_main(argv)


def _cli_file(text: str) -> str:
    fd, path = tempfile.mkstemp(prefix="tf-shape-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def _index_add_query(text: str) -> object:
    index = tf.DuplicateIndex()
    index.add("big", text)
    return index.query(text)


def _dots_pair(size: int) -> tuple[str, str]:
    """Two near copies around a run of dots not followed by whitespace (a near copy, so
    compare aligns sentences as evidence)."""
    text = " ".join(_WORDS * 3)
    dots = "x" + "." * size
    return f"{text} {dots}y {text}", f"{text} {dots}z {text} extra"


def _near_pair(size: int) -> tuple[str, str]:
    a = _prose(size, seed=7)
    lines = a.split("\n")
    b = "\n".join(line for i, line in enumerate(lines) if i % 3)  # blocks removed
    return a, b


SHAPES: tuple[Shape, ...] = (
    Shape(
        "one_line_5mb",
        "find_homoglyphs",
        5 * MB,
        lambda n: _prose(n).replace("\n", " "),
        tf.find_homoglyphs,
    ),
    Shape("empty_lines_1m", "find_homoglyphs", 1_000_000, lambda n: "\n" * n, tf.find_homoglyphs),
    Shape(
        "empty_lines_strip",
        "strip_boilerplate",
        1_000_000,
        lambda n: "\n" * n,
        lambda t: tf.strip_boilerplate(t).removed,
    ),
    Shape(
        "combining_1mb",
        "find_homoglyphs",
        MB // 2,
        lambda n: "e" + "\u0301" * n,
        tf.find_homoglyphs,
    ),
    Shape(
        "zwj_zwnj_vs16_1mb",
        "find_homoglyphs",
        MB // 3,
        lambda n: _fill("\u200d\u200c\ufe0f", n),
        tf.find_homoglyphs,
    ),
    Shape(
        "tags_1mb",
        "find_homoglyphs",
        MB // 4,
        lambda n: _fill("".join(chr(c) for c in range(0xE0020, 0xE0080)), n),
        tf.find_homoglyphs,
    ),
    Shape(
        "latin_cyrillic_1mb",
        "find_homoglyphs",
        MB // 2 + MB // 4,
        lambda n: _fill("a\u0430", n),
        tf.find_homoglyphs,
    ),
    Shape(
        "bidi_1mb",
        "find_homoglyphs",
        MB // 3,
        lambda n: _fill("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", n),
        tf.find_homoglyphs,
    ),
    Shape(
        "dots_1mb",
        "strip_boilerplate",
        MB,
        lambda n: _fill("Wait..... so. . . yes .. x\n", n),
        lambda t: tf.strip_boilerplate(t).removed,
    ),
    Shape(
        "dots_no_space",
        "compare",
        5_000,
        _dots_pair,
        lambda ab: tf.compare(*ab),
    ),
    Shape("compare_multiline", "compare", MB, _near_pair, lambda ab: tf.compare(*ab)),
    Shape("identical_docs", "find_duplicates", 50_000, _docs_identical, tf.find_duplicates),
    Shape("near_identical_docs", "find_duplicates", 20_000, _docs_near, tf.find_duplicates),
    Shape("one_word_docs", "find_duplicates", 200_000, _docs_one_word, tf.find_duplicates),
    Shape("dense_scan_lib", "find_homoglyphs", MB // 2, _dense, tf.find_homoglyphs),
    Shape("dense_fix_lib", "fix_homoglyphs", MB // 2, _dense, tf.fix_homoglyphs),
    Shape(
        "dense_cli_scan",
        "cli.main scan",
        MB // 2,
        lambda n: _cli_file(_dense(n)),
        lambda p: _cli(["scan", "--no-config", "--color", "never", p]),
    ),
    Shape(
        "dense_cli_fix",
        "cli.main fix",
        MB // 2,
        lambda n: _cli_file(_dense(n)),
        lambda p: _cli(["fix", "--no-config", "--color", "never", p]),
    ),
    Shape(
        "flagged_word_cli",
        "cli.main scan (render)",
        150_000,
        lambda n: _cli_file("x " + _fill("a\u0430", n) + " y\n"),
        lambda p: _cli(["scan", "--no-config", "--color", "never", p]),
    ),
    Shape(
        "strip_large",
        "strip_boilerplate",
        12 * MB,
        _prose,
        lambda t: tf.strip_boilerplate(t).removed,
    ),
    Shape("index_large", "DuplicateIndex add+query", 12 * MB, _prose, _index_add_query),
)
BY_NAME = {s.name: s for s in SHAPES}


def _input_bytes(value: Any) -> int:
    if isinstance(value, str):
        if os.path.isfile(value):
            return os.path.getsize(value)
        return len(value.encode("utf-8"))
    if isinstance(value, tuple):
        return sum(_input_bytes(v) for v in value)
    if isinstance(value, dict):
        return sum(len(v.encode("utf-8")) for v in value.values())
    raise TypeError(type(value).__name__)


# --- child -------------------------------------------------------------------------------------


def _child(name: str, size: int) -> None:
    shape = BY_NAME[name]
    warm = shape.build(min(size, 64))
    shape.run(warm)
    if isinstance(warm, str) and os.path.isfile(warm):
        os.unlink(warm)
    value = shape.build(size)
    nbytes = _input_bytes(value)
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        shape.run(value)
    finally:
        if isinstance(value, str) and os.path.isfile(value):
            os.unlink(value)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"seconds": seconds, "cpu": cpu, "bytes": nbytes, "base_kb": base_kb}))


# --- parent ------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float | None  # None: timeout or crash
    cpu: float
    nbytes: int
    peak_mb: float
    base_mb: float
    note: str


def _measure(name: str, size: int, timeout: float) -> Run:
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory(prefix="tf-shapes-") as scratch,
    ):
        # The child's input files go to a folder removed here, even after a timeout.
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", name, "--size", str(size)],
            stdout=out,
            stderr=err,
            env={**os.environ, "TMPDIR": scratch},
        )
        deadline = time.monotonic() + timeout
        status, usage, note = 0, None, ""
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.kill(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                note = "timeout"
                break
            time.sleep(0.02)
        proc.returncode = 0  # reaped by wait4 above
        peak = usage.ru_maxrss / 1024 if usage else 0.0
        out.seek(0)
        err.seek(0)
        if note or status:
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            return Run(None, 0.0, 0, peak, 0.0, note or ("crash: " + " ".join(tail))[:60])
        doc = json.loads(out.read().decode("utf-8").strip().splitlines()[-1])
        return Run(doc["seconds"], doc["cpu"], doc["bytes"], peak, doc["base_kb"] / 1024, "")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def _cell(run: Run) -> str:
    if run.seconds is None:
        return f"{run.note:>35} {run.peak_mb:7.0f}"
    rate = run.nbytes / MB / run.seconds if run.seconds > 0 else float("inf")
    return f"{run.seconds:8.2f}s {run.cpu:7.2f}s {rate:8.3g} MB/s {run.peak_mb:7.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size factor (default 1)")
    parser.add_argument("--only", action="append", metavar="NAME", help="run this shape only")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per child")
    parser.add_argument("--list", action="store_true", help="list the shapes and exit")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.size)
        return 0
    if args.list:
        for s in SHAPES:
            print(f"{s.name:22} {s.entry:26} 1x = {s.size:,}")
        return 0
    unknown = set(args.only or ()) - set(BY_NAME)
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(sorted(unknown))} (see --list)")
    shapes = [s for s in SHAPES if not args.only or s.name in args.only]
    print(f"textforensics {tf.__version__}, Python {sys.version.split()[0]}, scale {args.scale}")
    print(f"before: {_load()}; timeout {args.timeout:.0f}s per child")
    head = f"{'wall':>9} {'cpu':>8} {'speed':>13} {'peak MB':>7}"
    print(f"{'shape':22} {'entry point':26} {'1x size':>9}  {head}   {head}  4x/1x  base MB")
    results = []
    for s in shapes:
        size = max(1, int(s.size * args.scale))
        one = _measure(s.name, size, args.timeout)
        four = _measure(s.name, 4 * size, args.timeout)
        # The ratio of CPU times: steadier than wall clock on a shared machine.
        ratio = f"{four.cpu / one.cpu:5.1f}" if one.cpu and four.seconds is not None else "  n/a"
        print(
            f"{s.name:22} {s.entry:26} {size:>9,}  {_cell(one)}   {_cell(four)}  {ratio}"
            f"  {one.base_mb:5.0f}",
            flush=True,
        )
        results.append(
            {"shape": s.name, "entry": s.entry, "size": size, "x1": vars(one), "x4": vars(four)}
        )
    print(f"after: {_load()}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
