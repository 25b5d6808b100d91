#!/usr/bin/env python3
"""NameGuard at scale: build, memory, checks per second, save/load, beside ICU.

Usage::

    .venv/bin/python benchmarks/bench_names.py [--names 1000000] [--checks 200000]

The protected names are generated deterministically (seeded; no downloads): pronounceable
syllable names of 8 to 16 characters (a space sparse enough that a
fresh name rarely equals a protected one), some with digits, separators or capitals, about 3%
in other scripts (Cyrillic, Greek, accented Latin, CJK). The checked names are of two
workloads, timed apart:

- ``safe``: fresh generated names (nearly all unmatched; the hits are printed): the
  common case of a sign-up form, one dict lookup per key;
- ``impersonating``: protected names disguised by one technique each (Cyrillic letters,
  1/l, 0/o, rn/m, leetspeak, separators, zero-width and bidi characters, combining
  marks, fullwidth, case), every one a hit that is explained character by character.

Memory is the growth of the process's resident set while building (after a garbage
collection), and, on a 100,000-name sample, the bytes traced by ``tracemalloc``; both
are divided by the number of names. If PyICU is installed, ICU's
``SpoofChecker.areConfusable`` is timed one pair at a time (the only way ICU answers
the question) on a prefix of the protected list for a few candidates, and its rate
against N protected names is extrapolated (printed as such). Timings are best-of-3, both
wall clock and CPU (process) time: on a shared, loaded machine the CPU time is the closer
estimate of what an unloaded core does.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from textforensics import NameGuard  # noqa: E402

_CONSONANTS = "bcdfghjklmnprstvwxz"
_VOWELS = "aeiouy"
_OTHER = ["дом", "мир", "ведро", "λόγος", "φως", "café", "müller", "東京", "北京", "ñandú"]


def gen_name(rng: random.Random) -> str:
    """One pronounceable name."""
    r = rng.random()
    if r < 0.03:
        return rng.choice(_OTHER) + rng.choice(_OTHER) + str(rng.randint(0, 99999))
    name = "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(4, 8)))[
        : rng.randint(8, 16)
    ]
    if r < 0.10:
        name += str(rng.randint(0, 999))
    elif r < 0.15:
        cut = rng.randint(1, len(name) - 1)
        name = name[:cut] + rng.choice("-_.") + name[cut:]
    elif r < 0.20:
        name = name.capitalize()
    return name


def protected_names(n: int, seed: int = 12345) -> list[str]:
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen[gen_name(rng)] = None
    return list(seen)


_DISGUISES: list[Callable[[str, random.Random], str]] = [
    lambda s, r: s.replace("a", "\u0430", 1).replace("o", "\u043e", 1).replace("e", "\u0435", 1),
    lambda s, r: s.replace("l", "1", 1) if "l" in s else s + "\u200b",
    lambda s, r: s.replace("o", "0") if "o" in s else s.upper(),
    lambda s, r: s.replace("m", "rn") if "m" in s else s.replace("a", "4"),
    lambda s, r: s[:2] + "\u202e" + s[2:],
    lambda s, r: s[:2] + "-" + s[2:],
    lambda s, r: s[:1] + "\u0301" + s[1:],
    lambda s, r: "".join(chr(ord(c) + 0xFEE0) if "a" <= c <= "z" else c for c in s),
    lambda s, r: s.upper(),
]


def disguised(names: list[str], k: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    while len(out) < k:
        base = rng.choice(names)
        fake = rng.choice(_DISGUISES)(base, rng)
        if fake != base:
            out.append(fake)
    return out


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def best_of(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Best wall-clock and best CPU (process) time of ``repeat`` runs: on a loaded
    machine the CPU time is the closer estimate of the unloaded speed."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", type=int, default=1_000_000, help="protected names")
    ap.add_argument("--checks", type=int, default=200_000, help="names checked per workload")
    args = ap.parse_args()

    NameGuard(["warm"])  # build the fold tables outside the measurement
    names = protected_names(args.names)
    gc.collect()
    before = rss()
    t0, c0 = time.perf_counter(), time.process_time()
    guard = NameGuard(names)
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    gc.collect()
    grown = rss() - before
    print(
        f"protected names: {len(guard):,}  build wall {build:.1f} s, cpu {build_cpu:.1f} s "
        f"({len(guard) / build_cpu:,.0f} names/s cpu)"
    )
    print(f"memory: RSS growth {grown / 2**20:,.1f} MiB = {grown / len(guard):,.0f} bytes/name")

    sample = names[:100_000]
    tracemalloc.start()
    small = NameGuard(sample)
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del small
    print(f"memory: tracemalloc on {len(sample):,} names = {traced / len(sample):,.0f} bytes/name")

    fresh_rng = random.Random(99)
    safe = [gen_name(fresh_rng) for _ in range(args.checks)]
    fake = disguised(names, args.checks)
    check = guard.check
    for label, batch in (("safe", safe), ("impersonating", fake)):
        hits = sum(1 for n in batch if check(n))
        t, c = best_of(lambda b=batch: [check(n) for n in b])  # type: ignore[misc]
        tm, cm = best_of(lambda b=batch: guard.check_many(b))  # type: ignore[misc]
        k = len(batch)
        print(
            f"check {label:<13} wall {k / t:>9,.0f}/s cpu {k / c:>9,.0f}/s "
            f"({c / k * 1e6:.2f} µs cpu)  check_many wall {k / tm:>9,.0f}/s cpu {k / cm:>9,.0f}/s"
            f"  hits {hits:,}/{k:,}"
        )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "guard.npz"
        t0 = time.perf_counter()
        guard.save(path)
        saved = time.perf_counter() - t0
        t0 = time.perf_counter()
        loaded = NameGuard.load(path)
        load = time.perf_counter() - t0
        size = path.stat().st_size
    same = all(loaded.check(n) == guard.check(n) for n in fake[:2000] + safe[:2000])
    print(
        f"save {saved:.1f} s, load {load:.1f} s, file {size / 2**20:,.1f} MiB "
        f"({size / len(guard):.0f} bytes/name), same answers after load: {same}"
    )

    try:
        import icu  # type: ignore[import-not-found]
    except ImportError:
        print("ICU: PyICU not installed; areConfusable not measured")
        return
    checker = icu.SpoofChecker()
    prefix = names[:20_000]
    probes = fake[:5]
    c0 = time.process_time()
    for probe in probes:
        for p in prefix:
            checker.areConfusable(probe, p)
    pair = (time.process_time() - c0) / (len(probes) * len(prefix))
    per_check = pair * len(guard)
    print(
        f"ICU areConfusable (cpu): {1 / pair:,.0f} pairs/s; one check against {len(guard):,} names "
        f"= {per_check:.2f} s ({1 / per_check:.3f} checks/s, extrapolated)"
    )


if __name__ == "__main__":
    main()
