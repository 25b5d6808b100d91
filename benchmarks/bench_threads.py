"""CPU cost of the comment-thread marks (threads.block_marks) beside a whole strip.

    .venv/bin/python benchmarks/bench_threads.py [--limit 300] [--repeat 3]
        [--set PATH.jsonl.gz]

On the first ``--limit`` WCXB dev pages (or the pages of a comment set written by
comment_devset.py ``--write``): the CPU time of this process (``time.process_time``, best
of ``--repeat``) per page of ``strip_boilerplate(text).text`` and of marking the page's
lines (``block_marks`` on a page already read, i.e. the part the thread rule adds: as
strip_boilerplate calls it, with the words' thread bits from their info, made beforehand
as the language detection makes it; and the plain path, every short line looked at), in
µs per page, and the marks' share of the strip. The load average is printed with the
figures (the machine is shared).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import load_records

from textforensics import strip_boilerplate
from textforensics.boilerplate.page import THREAD_SHIFT, page_word_info, read_page
from textforensics.boilerplate.threads import WORD_BITS, block_marks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--set", type=Path, help="a comment set (comment_devset.py --write)")
    args = ap.parse_args()
    if args.set:
        with gzip.open(args.set, "rt", encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f][: args.limit]
    else:
        texts = [r["text"] for r in load_records()[: args.limit]]
    pages = [read_page(t) for t in texts]
    bits = [(page_word_info(p) >> THREAD_SHIFT) & WORD_BITS for p in pages]
    words = [p.all_words() for p in pages]  # (a page read in chunks keeps none)
    marks_cpu = plain_cpu = strip_cpu = float("inf")
    for _ in range(args.repeat):
        c = time.process_time()
        for p, w, b in zip(pages, words, bits, strict=True):
            block_marks(p.contents, w, p.word_off, p.nw, p.has_digit, b)
        marks_cpu = min(marks_cpu, time.process_time() - c)
        c = time.process_time()
        for p, w in zip(pages, words, strict=True):
            block_marks(p.contents, w, p.word_off, p.nw, p.has_digit)
        plain_cpu = min(plain_cpu, time.process_time() - c)
        c = time.process_time()
        for t in texts:
            strip_boilerplate(t).text  # noqa: B018
        strip_cpu = min(strip_cpu, time.process_time() - c)
    n = len(texts)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{n} pages, best of {args.repeat}, CPU time of this process; load average {load}")
    print(f"  strip_boilerplate(text).text  {strip_cpu / n * 1e6:9.0f} µs/page")
    print(f"  threads.block_marks           {marks_cpu / n * 1e6:9.0f} µs/page")
    print(f"    (plain, every short line)   {plain_cpu / n * 1e6:9.0f} µs/page")
    print(f"  marks / strip                 {marks_cpu / strip_cpu:9.1%}")


if __name__ == "__main__":
    main()
