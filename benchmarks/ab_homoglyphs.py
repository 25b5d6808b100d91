#!/usr/bin/env python3
"""Two versions of ``find_homoglyphs`` side by side in one process, interleaved.

Usage::

    mkdir -p /tmp/old && git archive <commit> src | tar -x -C /tmp/old
    .venv/bin/python benchmarks/ab_homoglyphs.py /tmp/old/src src [--rounds 3] [--batch] [--cold]

Both source trees are imported under the one package name (the first one's modules are
kept by reference, then the second is imported fresh), and the benchmark's short names
are checked in chunks of 500, old and new one after the other (their order alternating
from chunk to chunk), with ICU's ``SpoofChecker.check`` after them when PyICU is
installed: on a shared machine, interleaving keeps a burst of load from landing on one
side only. Two classes of names, fresh every round: the benchmark's disguised names
(one in 50 of ``bench_homoglyphs.names``) and the benchmark's whole mix. Prints CPU
microseconds per name and the load average. ``--cold`` empties both trees' memo of
script decisions (``rules.script_decision``, shared between calls) at the start of every
round; ``--batch`` times ``find_homoglyphs_many`` on whole rounds instead.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_homoglyphs import names
from source_trees import import_tree


def load(src: str, batch: bool = False, alias: str | None = None) -> Callable[[Any], object]:
    """``find_homoglyphs`` (``batch``: ``find_homoglyphs_many``) of the source tree
    ``src``; ``alias``: the package name to import it under, so that two trees never call
    into each other (see :func:`source_trees.import_tree`)."""
    module = import_tree(src, alias=alias)
    fn: Callable[[Any], object] = module.find_homoglyphs_many if batch else module.find_homoglyphs
    if not fn.__module__.startswith(module.__name__ + "."):
        raise SystemExit(f"{fn.__name__} of {src} comes from {fn.__module__}")
    rules = sys.modules[f"{module.__name__}.homoglyphs.rules"]
    _CLEAR.append(rules.script_decision.cache_clear)
    return fn


_CLEAR: list[Callable[[], None]] = []  # empties each tree's memo of script decisions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the src directory of the old version")
    parser.add_argument("new", help="the src directory of the new version")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--batch",
        action="store_true",
        help="time find_homoglyphs_many on each round's whole list of names instead",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty both trees' memo of script decisions at the start of every round",
    )
    args = parser.parse_args()
    if args.batch:
        batches(args)
        return
    fns: dict[str, Callable[[str], object]] = {
        "old": load(args.old, alias="textforensics_old"),
        "new": load(args.new),
    }
    try:
        import icu

        fns["icu"] = icu.SpoofChecker().check
    except ImportError:
        pass
    for name in names(50_000, seed=999):  # warm every cache of both versions
        for fn in fns.values():
            fn(name)
    totals = {(k, c): [0.0, 0] for k in fns for c in ("disguised", "all")}
    print(f"load average at start {os.getloadavg()[0]:.2f}")
    for r in range(args.rounds):
        if args.cold:
            for clear in _CLEAR:
                clear()
        mix = names(50_000, seed=2000 + r)
        disguised = [n for i, n in enumerate(names(250_000, seed=3000 + r)) if i % 50 == 1]
        for cls, items in (("disguised", disguised), ("all", mix)):
            for j in range(0, len(items), 500):
                chunk = items[j : j + 500]
                order = ["old", "new"] if (j // 500) % 2 == 0 else ["new", "old"]
                for key in order + [k for k in fns if k not in order]:
                    fn = fns[key]
                    t0 = time.process_time()
                    for name in chunk:
                        fn(name)
                    acc = totals[(key, cls)]
                    acc[0] += time.process_time() - t0
                    acc[1] += len(chunk)
        figures = ", ".join(f"{k}/{c} {t / n * 1e6:.2f}" for (k, c), (t, n) in totals.items())
        print(f"after round {r + 1}, load {os.getloadavg()[0]:.2f}: {figures} µs")
    for cls in ("disguised", "all"):
        old, new = (totals[(k, cls)][0] / totals[(k, cls)][1] * 1e6 for k in ("old", "new"))
        line = f"{cls}: old {old:.2f} µs, new {new:.2f} µs per name, new/old {new / old:.3f}"
        if "icu" in fns:
            icu_us = totals[("icu", cls)][0] / totals[("icu", cls)][1] * 1e6
            line += f"; ICU {icu_us:.2f} µs: old x{icu_us / old:.2f}, new x{icu_us / new:.2f} ICU"
        print(line)
    print(f"load average at end {os.getloadavg()[0]:.2f}")


def batches(args: argparse.Namespace) -> None:
    """``--batch``: each round's 50 000 fresh names through ``find_homoglyphs_many`` of
    the old and the new tree (order alternating from round to round), ICU one call each
    after them; CPU microseconds per name."""
    fns: dict[str, Callable[[Any], object]] = {
        "old": load(args.old, batch=True, alias="textforensics_old"),
        "new": load(args.new, batch=True),
    }
    check: Callable[[str], object] | None = None
    try:
        import icu

        check = icu.SpoofChecker().check
    except ImportError:
        pass
    for fn in fns.values():  # warm every table and cache of both versions
        fn(names(50_000, seed=999))
    totals = dict.fromkeys((*fns, "icu"), 0.0)
    count = 0
    print(f"load average at start {os.getloadavg()[0]:.2f}")
    for r in range(args.rounds):
        items = {k: names(50_000, seed=4000 + 10 * r + i) for i, k in enumerate(totals)}
        order = ["old", "new"] if r % 2 == 0 else ["new", "old"]
        for key in order:
            gc.collect()
            t0 = time.process_time()
            fns[key](items[key])
            totals[key] += time.process_time() - t0
        if check is not None:
            gc.collect()
            t0 = time.process_time()
            for name in items["icu"]:
                check(name)
            totals["icu"] += time.process_time() - t0
        count += 50_000
        figures = ", ".join(f"{k} {t / count * 1e6:.3f}" for k, t in totals.items())
        print(f"after round {r + 1}, load {os.getloadavg()[0]:.2f}: {figures} µs per name")
    old, new, icu_us = (totals[k] / count * 1e6 for k in ("old", "new", "icu"))
    line = f"batch: old {old:.3f} µs, new {new:.3f} µs per name, new/old {new / old:.3f}"
    if check is not None:
        line += f"; ICU {icu_us:.3f} µs: old x{icu_us / old:.2f}, new x{icu_us / new:.2f} ICU"
    print(line)
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
