#!/usr/bin/env python3
"""Two versions of ``strip_boilerplate`` (and ``compare``) side by side in one process.

Usage::

    mkdir -p /tmp/old && git archive <commit> src | tar -x -C /tmp/old
    .venv/bin/python benchmarks/ab_boilerplate.py /tmp/old/src src [--rounds 2]

The new tree is imported as ``textforensics``, the old one under another package name
(``source_trees.import_tree(..., alias=...)``), so that neither calls into the other
(lazily resolved names and imports inside functions are looked up by package name). Three
workloads, each in chunks whose order alternates (old first, then new first) so that a
burst of load on a shared machine does not land on one side only; CPU seconds of this
process (``time.process_time``) are summed per version:

- ``dev``: the first ``--limit`` WCXB dev pages (``strip_boilerplate(text).text``), with
  jusText (every non-empty line wrapped in ``<p>``, as ``eval_boilerplate.py`` does) timed
  after each chunk: documents per CPU second and ours' ratio to jusText (the issue-13
  figure of ``bench_boilerplate.py``);
- ``crawl``: ``--crawl-docs`` crawl-like pages of about 4.6 KB (``crawl_corpus.py``, as
  ``bench_boilerplate.py --crawl-docs``): CPU microseconds per page;
- ``compare``: ``compare`` with the default options on the planted pairs of 4,096-character
  texts of ``bench_crawl.py --part compare`` (its batch of 100 pairs): pairs per CPU
  second (the issue-14 figure);
- ``prose``: documents of about 4 KB made of consecutive one-line prose paragraphs of the
  crawl corpus's pool (``crawl_corpus.prose_docs``: the kind of text the stripper's gate passes; the
  share it passes is printed): CPU microseconds per document, and ``compare`` (defaults)
  on pairs of them in pairs per CPU second.

The load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import load_records
from crawl_corpus import generate, prose_docs
from eval_boilerplate import make_peers
from source_trees import import_tree


def load_avg() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def interleaved(
    fns: dict[str, Callable[[Any], object]],
    items: list[Any],
    rounds: int,
    chunk: int,
    after: dict[str, Callable[[Any], object]] | None = None,
) -> dict[str, float]:
    """CPU seconds per function over ``rounds`` passes of ``items``, in chunks; the first
    two functions take turns going first, ``after`` runs after them."""
    names = list(fns)
    total = dict.fromkeys([*names, *(after or {})], 0.0)
    k = 0
    for _ in range(rounds):
        for j in range(0, len(items), chunk):
            part = items[j : j + chunk]
            order = names if k % 2 == 0 else names[::-1]
            k += 1
            for name, fn in [*((n, fns[n]) for n in order), *(after or {}).items()]:
                c = time.process_time()
                for item in part:
                    fn(item)
                total[name] += time.process_time() - c
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the src directory of the old version")
    parser.add_argument("new", help="the src directory of the new version")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--limit", type=int, default=300, help="WCXB dev pages")
    parser.add_argument("--crawl-docs", type=int, default=300)
    parser.add_argument("--pairs", type=int, default=100, help="compare pairs (at most 100)")
    args = parser.parse_args()
    mods = {"new": import_tree(args.new), "old": import_tree(args.old, alias="textforensics_old")}
    mods = {"old": mods["old"], "new": mods["new"]}
    for name, m in mods.items():  # each side's functions come from its own tree
        for fn in (m.strip_boilerplate, m.compare):
            if not fn.__module__.startswith(m.__name__ + "."):
                raise SystemExit(f"{name}: {fn.__qualname__} is from {fn.__module__}")
    strip = {k: (lambda t, m=m: m.strip_boilerplate(t).text) for k, m in mods.items()}
    texts = [r["text"] for r in load_records()[: args.limit]]
    peers = {k: v for k, v in make_peers().items() if k == "jusText"}
    for text in texts[:20]:  # warm the caches (phrase data, tables) of both versions
        for fn in strip.values():
            fn(text)
    print(f"load average at start {load_avg()}")

    cpu = interleaved(strip, texts, args.rounds, 20, after=peers)
    n = len(texts) * args.rounds
    print(f"dev pages: {len(texts)} x {args.rounds} rounds (load {load_avg()})")
    for name, secs in cpu.items():
        line = f"  {name:<8} {n / secs:7.1f} docs/CPU-s"
        if name in mods and "jusText" in cpu:
            line += f"   ratio to jusText {cpu['jusText'] / secs:4.2f}x"
        print(line)
    print(f"  new/old CPU time: {cpu['new'] / cpu['old']:.3f}")

    crawl = list(generate(args.crawl_docs, seed=0).docs.values())
    cpu = interleaved(strip, crawl, args.rounds, 25)
    n = len(crawl) * args.rounds
    size = sum(map(len, crawl)) / max(len(crawl), 1)
    print(f"crawl-like pages: {len(crawl)} (mean {size:,.0f} chars) x {args.rounds} rounds")
    for name, secs in cpu.items():
        print(f"  {name:<8} {secs / n * 1e6:7.0f} us/page CPU")
    print(f"  new/old CPU time: {cpu['new'] / cpu['old']:.3f} (load {load_avg()})")

    corpus = generate(400, seed=0)
    labels = corpus.labels[: min(args.pairs, 100)]
    batch = [(corpus.docs[x][:4096], corpus.docs[y][:4096]) for x, y, _ in labels]
    pairs = {k: (lambda p, m=m: m.compare(*p)) for k, m in mods.items()}
    for fn in pairs.values():
        fn(batch[0])
    cpu = interleaved(pairs, batch, args.rounds * 2, 10)
    n = len(batch) * args.rounds * 2
    print(f"compare (defaults), {len(batch)} pairs of 4,096-char texts x {args.rounds * 2}")
    for name, secs in cpu.items():
        print(f"  {name:<8} {n / secs:7.1f} pairs/CPU-s")
    print(f"  new/old CPU time: {cpu['new'] / cpu['old']:.3f} (load {load_avg()})")

    docs = prose_docs(args.crawl_docs)
    gate = getattr(import_module_of(mods["new"], "boilerplate.gate"), "leaves_whole", None)
    share = f", the new gate passes {sum(map(gate, docs)) / len(docs):.1%}" if gate else ""
    cpu = interleaved(strip, docs, args.rounds, 25)
    n = len(docs) * args.rounds
    size = sum(map(len, docs)) / max(len(docs), 1)
    print(f"prose documents: {len(docs)} (mean {size:,.0f} chars{share}) x {args.rounds} rounds")
    for name, secs in cpu.items():
        print(f"  {name:<8} {secs / n * 1e6:7.0f} us/doc CPU")
    print(f"  new/old CPU time: {cpu['new'] / cpu['old']:.3f} (load {load_avg()})")
    prose_pairs = list(zip(docs[0::2], docs[1::2], strict=False))[: min(args.pairs, 100)]
    cpu = interleaved(pairs, prose_pairs, args.rounds * 2, 10)
    n = len(prose_pairs) * args.rounds * 2
    print(f"compare (defaults), {len(prose_pairs)} pairs of prose documents x {args.rounds * 2}")
    for name, secs in cpu.items():
        print(f"  {name:<8} {n / secs:7.1f} pairs/CPU-s")
    print(f"  new/old CPU time: {cpu['new'] / cpu['old']:.3f} (load {load_avg()})")


def import_module_of(package: Any, name: str) -> Any:
    """The submodule ``name`` of an imported tree's package (None where it has none)."""
    import importlib

    try:
        return importlib.import_module(f"{package.__name__}.{name}")
    except ImportError:
        return None


if __name__ == "__main__":
    main()
