"""Throughput of strip_boilerplate on the WCXB dev set vs jusText and boilerpy3.

    .venv/bin/python benchmarks/bench_boilerplate.py [--limit N] [--repeat R]

Documents per second (best of R runs; the machine is shared, timings are noisy) on the
same input (peers get every non-empty line wrapped in <p>, as in eval_boilerplate.py),
and ours' ratio to each. Also the time of adversarial multi-MB inputs (scaling check).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import load_records
from eval_boilerplate import make_peers, ours

from textforensics import strip_boilerplate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    records = load_records()[: args.limit]
    texts = [r["text"] for r in records]
    systems = {"textforensics": ours}
    peers = make_peers()
    for name in ("jusText", "boilerpy3 Article"):
        if name in peers:
            systems[name] = peers[name]
    best = {}
    for name, fn in systems.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            for text in texts:
                fn(text)
            times.append(time.perf_counter() - t)
        best[name] = min(times)
    print(f"{len(texts)} WCXB dev pages, best of {args.repeat} (shared machine: noisy)")
    ours_dps = len(texts) / best["textforensics"]
    for name, dt in best.items():
        dps = len(texts) / dt
        print(f"  {name:<20} {dps:8.1f} docs/s   ours is {ours_dps / dps:5.2f}x")
    print("scaling (adversarial inputs):")
    for label, make in (
        ("one huge line", lambda n: "word " * n),
        ("many short lines", lambda n: "ab\n" * n),
        ("repeated lines", lambda n: "Read more about this topic here.\n\n" * (n // 8)),
    ):
        for n in (200_000, 400_000, 800_000):
            text = make(n)
            t = time.perf_counter()
            strip_boilerplate(text)
            dt = time.perf_counter() - t
            print(f"  {label:<18} {len(text) / 1e6:5.2f} MB  {dt:6.2f} s")


if __name__ == "__main__":
    main()
