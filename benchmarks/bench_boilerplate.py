"""Throughput of strip_boilerplate on the WCXB dev set vs jusText and boilerpy3.

    .venv/bin/python benchmarks/bench_boilerplate.py [--limit N] [--repeat R]

Documents per second (best of R runs, by wall clock and by the CPU time of this process,
``time.process_time``, which a loaded machine disturbs less; the systems take turns
within each run) on the same input (peers get every non-empty line wrapped in <p>, as in
eval_boilerplate.py), and ours' ratio to each. Ours is timed twice: reading the main text
only (``strip_boilerplate(text).text``, what the peers return), and reading the blocks as
well (``.blocks``: a TextBlock per line with its label, kind and reason, made when first
read). Also the time of adversarial multi-MB inputs (scaling check).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import load_records
from eval_boilerplate import make_peers, ours

from textforensics import strip_boilerplate


def ours_with_blocks(text: str) -> str:
    result = strip_boilerplate(text)
    _ = result.blocks  # made when first read
    return result.text


def crawl_pages(n: int, repeat: int) -> None:
    """CPU microseconds per crawl-like page (benchmarks/crawl_corpus.py, ~4 KB each)."""
    from crawl_corpus import generate

    texts = list(generate(n, seed=0).docs.values())
    size = sum(map(len, texts)) / len(texts)
    for text in texts[:20]:
        strip_boilerplate(text)
    for label, fn in (("text only", ours), ("+blocks", ours_with_blocks)):
        best = float("inf")
        for _ in range(repeat):
            c = time.process_time()
            for text in texts:
                fn(text)
            best = min(best, time.process_time() - c)
        load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        print(
            f"  crawl-like pages ({len(texts)}, mean {size:,.0f} chars), {label:<9}"
            f" {best / len(texts) * 1e6:7.0f} us/page cpu ({load})"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--crawl-docs", type=int, default=500, help="crawl-like ~4 KB pages timed (0: none)"
    )
    ap.add_argument("--no-scaling", action="store_true", help="skip the adversarial inputs")
    args = ap.parse_args()
    records = load_records()[: args.limit]
    texts = [r["text"] for r in records]
    systems = {"textforensics": ours, "textforensics+blocks": ours_with_blocks}
    peers = make_peers()
    for name in ("jusText", "boilerpy3 Article"):
        if name in peers:
            systems[name] = peers[name]
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}
    # Runs interleave the systems (round-robin) so that load changes hit all alike.
    for _ in range(args.repeat):
        for name, fn in systems.items():
            t, c = time.perf_counter(), time.process_time()
            for text in texts:
                fn(text)
            dt, dc = time.perf_counter() - t, time.process_time() - c
            best[name] = min(best.get(name, dt), dt)
            best_cpu[name] = min(best_cpu.get(name, dc), dc)
    load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(f"{len(texts)} WCXB dev pages, best of {args.repeat} (shared machine: noisy; {load})")
    print("  docs/s by wall clock and by CPU time of this process (time.process_time)")
    print("  ours: text only, and with the blocks read (ratios: ours / the row's system)")
    ours_dps = len(texts) / best["textforensics"]
    ours_cps = len(texts) / best_cpu["textforensics"]
    full_dps = len(texts) / best["textforensics+blocks"]
    full_cps = len(texts) / best_cpu["textforensics+blocks"]
    for name in systems:
        dps = len(texts) / best[name]
        cps = len(texts) / best_cpu[name]
        print(
            f"  {name:<21} wall {dps:6.1f} docs/s (ours {ours_dps / dps:4.2f}x,"
            f" +blocks {full_dps / dps:4.2f}x)   cpu {cps:6.1f} docs/s"
            f" (ours {ours_cps / cps:4.2f}x, +blocks {full_cps / cps:4.2f}x)"
        )
    if args.crawl_docs:
        crawl_pages(args.crawl_docs, args.repeat)
    if args.no_scaling:
        return
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
