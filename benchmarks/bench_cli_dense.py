"""The command line on a dense look-alike file against the library on the same text.

    PYTHONPATH=src python benchmarks/bench_cli_dense.py [--kib 512] [--repeat 1]

For a file of KIB kibibytes and one 4x as large, made of words that each hide a Cyrillic
look-alike or an invisible character (a finding every few characters, on one line and on
many lines), prints the seconds of: the library (``find_homoglyphs``, ``fix_homoglyphs``),
``textforensics scan --format json`` and ``textforensics fix`` (in-process, output
discarded), and the 4x/1x ratio of each (near 4 means linear). Run it from a checkout to
compare versions; figures go to docs/security.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import tempfile
import time
from collections.abc import Callable

import textforensics as tf
from textforensics.cli import main

WORDS = ("p\u0430ypal", "V\u0435rshinin", "zero\u200bwidth", "\u0430pple", "plain", "text")


def dense_text(size_chars: int, *, one_line: bool) -> str:
    parts: list[str] = []
    total = n = 0
    while total < size_chars:
        word = WORDS[n % len(WORDS)]
        sep = "\n" if not one_line and n % 12 == 11 else " "
        parts.append(word + sep)
        total += len(word) + 1
        n += 1
    return "".join(parts)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cli(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(argv))


def measure(text: str, tmp: str) -> dict[str, float]:
    path = os.path.join(tmp, "dense.txt")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    fix_copy = os.path.join(tmp, "dense-fix.txt")
    shutil.copyfile(path, fix_copy)
    return {
        "library find": timed(lambda: tf.find_homoglyphs(text)),
        "library fix": timed(lambda: tf.fix_homoglyphs(text)),
        "cli scan": timed(lambda: cli("scan", path, "--format", "json", "--no-config")),
        "cli fix": timed(lambda: cli("fix", fix_copy, "--format", "json", "--no-config")),
    }


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kib", type=int, default=512)
    args = parser.parse_args()
    size = args.kib * 1024
    with tempfile.TemporaryDirectory() as tmp:
        for one_line in (True, False):
            shape = "one line" if one_line else "12 words a line"
            small = measure(dense_text(size, one_line=one_line), tmp)
            large = measure(dense_text(4 * size, one_line=one_line), tmp)
            print(f"dense look-alikes, {shape}: {args.kib} KiB (1x) and {4 * args.kib} KiB (4x)")
            for key in small:
                ratio = large[key] / small[key] if small[key] else float("nan")
                print(
                    f"  {key:<13} 1x {small[key]:7.2f} s   4x {large[key]:7.2f} s"
                    f"   ratio {ratio:4.1f}"
                )


if __name__ == "__main__":
    main_()
