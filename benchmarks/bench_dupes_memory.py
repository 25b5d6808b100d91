"""Peak memory of ``compare`` and ``DuplicateIndex`` add+query on large multi-line prose
(issue 16: "``compare`` on 50 MB within 10x the input size in memory").

One command (from the repository root)::

    .venv/bin/python benchmarks/bench_dupes_memory.py                       # 12.5 and 50 MB
    .venv/bin/python benchmarks/bench_dupes_memory.py --sizes 50 --modes compare
    .venv/bin/python benchmarks/bench_dupes_memory.py --src /path/to/other/src   # another build

Each run is a fresh process (``ru_maxrss`` never goes down). Inputs are
``benchmarks/bench_shapes.py``'s builders: ``compare`` gets ``_near_pair`` (the prose and
a copy with every third line removed, so the input is about 1.67x the size), the index
gets ``_prose`` of the size (``add`` then ``query`` of the same text). ``base`` is the peak
before the call (interpreter, libraries and the input, with what building it left);
``peak/input`` is the whole process's peak over the input's size. Modes ending in
``-nostrip`` pass ``strip_boilerplate=False`` (the boilerplate stripper's own memory is
another area's); ``strip`` is ``strip_boilerplate`` alone on the index's input, and
``strip-twice`` strips it twice in the process, as ``add`` then ``query`` do: what the
index with stripping is measured against.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("compare-nostrip", "index-nostrip", "compare", "index", "strip", "strip-twice")


def child(mode: str, megabytes: float, src: str) -> None:
    sys.path.insert(0, src)
    import textforensics as tf  # the build under test, before bench_shapes adds ROOT/src

    sys.path.insert(1, str(ROOT / "benchmarks"))
    import bench_shapes as shapes

    size = int(megabytes * 1_000_000)
    strip = not mode.endswith("-nostrip")
    if mode.startswith("compare"):
        a, b = shapes._near_pair(size)
        nbytes = len(a.encode()) + len(b.encode())
    else:
        a, b = shapes._prose(size), ""
        nbytes = len(a.encode())
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    if mode.startswith("compare"):
        result = tf.compare(a, b, strip_boilerplate=strip)
        out = f"{result.verdict} {result.score:.6f}"
    elif mode.startswith("strip"):
        kept = tf.strip_boilerplate(a).text
        if mode == "strip-twice":
            del kept
            kept = tf.strip_boilerplate(a).text
        out = f"kept {len(kept):,} of {len(a):,} chars"
    else:
        index = tf.DuplicateIndex(strip_boilerplate=strip)
        index.add("big", a)
        out = " ".join(f"{m.key}:{m.verdict}" for m in index.query(a))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "mode": mode,
                "input_mb": nbytes / 1e6,
                "base_mb": base,
                "peak_mb": peak,
                "cpu": time.process_time() - c0,
                "wall": time.perf_counter() - t0,
                "out": out,
                "module": tf.__file__,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="12.5,50", help="MB, comma-separated")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--src", default=str(ROOT / "src"), help="the textforensics source to load")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, float(args.sizes), args.src)
        return
    print(f"src {args.src}; load {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'mode':16s} {'input MB':>9s} {'base MB':>8s} {'peak MB':>8s} {'peak/input':>10s} "
        f"{'cpu s':>7s} {'wall s':>7s}  result"
    )
    for mode in args.modes.split(","):
        for size in args.sizes.split(","):
            cmd = [sys.executable, __file__, "--child", mode, "--sizes", size, "--src", args.src]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode:
                print(f"{mode:16s} {size:>9s}  failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{mode:16s} {r['input_mb']:9.1f} {r['base_mb']:8.0f} {r['peak_mb']:8.0f} "
                f"{r['peak_mb'] / r['input_mb']:10.1f} {r['cpu']:7.1f} {r['wall']:7.1f}  "
                f"{r['out']}",
                flush=True,
            )
    print(f"(load {'/'.join(f'{x:.2f}' for x in os.getloadavg())} after)")


if __name__ == "__main__":
    main()
