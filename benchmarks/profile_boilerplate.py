#!/usr/bin/env python3
"""Where a page's stripping time goes: CPU time of each step of ``strip_boilerplate``.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/profile_boilerplate.py [--limit 300]
        [--crawl-docs 300]

The steps (functions of ``textforensics.boilerplate``) are wrapped, in this process only,
by timers of ``time.process_time``; then ``strip_boilerplate(text).text`` runs on the first
``--limit`` WCXB dev pages and on ``--crawl-docs`` crawl-like pages (``crawl_corpus.py``),
after 20 pages of warm-up. Printed per set: CPU microseconds per page of each step, its
share of the whole and its calls per page, and the load average. Steps nest (the thread
marks are made inside the first pass, the word info inside the language detection), so
the shares do not add up to 100 %. The timers themselves cost about 1 µs per call.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import load_records
from crawl_corpus import generate

import textforensics as tf
from textforensics.boilerplate import assemble, page, rules

SPENT: Counter[str] = Counter()
CALLS: Counter[str] = Counter()

# (module whose global is replaced, name, label): where each step is looked up when called
STEPS: list[tuple[ModuleType, str, str]] = [
    (assemble, "leaves_whole", "gate (leaves_whole)"),
    (assemble, "read_page", "read the page"),
    (page, "key_words", "  of which: the keys' words"),
    (page, "line_key_codes", "  of which: the line keys"),
    (assemble, "page_language", "language detection"),
    (page, "page_word_info", "  of which: word info (first call)"),
    (assemble, "own_rows", "own rows (stop words, phrases)"),
    (assemble, "classify_pass", "rule passes (classify_pass)"),
    (page, "block_marks", "  thread marks (threads.py)"),
    (rules, "record_blocks", "  repeated records (records.py)"),
    (rules, "thread_runs", "  thread runs (threads.py)"),
    (rules, "_drop_sections", "  sections (sections.py)"),
    (rules, "context_sums", "  context sums (features.py)"),
    (rules, "pass_columns", "  pass columns (features.py)"),
    (rules, "context_setup", "  context setup (features.py)"),
]


def timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - start
            CALLS[label] += 1

    return wrapper


def run(name: str, texts: list[str]) -> None:
    for text in texts[:20]:
        _ = tf.strip_boilerplate(text).text
    SPENT.clear()
    CALLS.clear()
    start = time.process_time()
    for text in texts:
        _ = tf.strip_boilerplate(text).text
    total = time.process_time() - start
    n = len(texts)
    load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(f"{name}: {n} pages, {total / n * 1e6:,.0f} us/page CPU (load {load})")
    for _module, _name, label in STEPS:
        spent = SPENT[label]
        print(
            f"  {label:<36} {spent / n * 1e6:7,.0f} us/page {100 * spent / total:5.1f} %"
            f"  {CALLS[label] / n:4.2f} calls/page"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=300, help="WCXB dev pages")
    parser.add_argument("--crawl-docs", type=int, default=300)
    args = parser.parse_args()
    for module, name, label in STEPS:
        setattr(module, name, timed(label, getattr(module, name)))
    run("dev pages", [r["text"] for r in load_records()[: args.limit]])
    run("crawl-like pages", list(generate(args.crawl_docs, seed=0).docs.values()))


if __name__ == "__main__":
    main()
