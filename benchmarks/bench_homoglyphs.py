#!/usr/bin/env python3
"""Throughput of textforensics.find_homoglyphs against its peers, side by side.

Usage::

    .venv/bin/pip install -e '.[bench]'   # confusable_homoglyphs
    .venv/bin/pip install pyicu            # optional: ICU SpoofChecker (needs libicu-dev)
    .venv/bin/python benchmarks/bench_homoglyphs.py [--mb 10] [--repeat 3]

Four shapes, each generated deterministically (no downloads), measured in one run:

- ``short``: 50 000 distinct user names and slugs (half ASCII, half in other scripts or
  accented Latin, a few disguised), one ``find_homoglyphs`` call each against one
  ``SpoofChecker.check`` call each (calls per second, ratio to ICU);
- ``batch``: the same names through ``find_homoglyphs_many`` in one call, against ICU's
  calls per second (target: 5x ICU);
- ``english`` (long, mostly ASCII; target 100 M chars/s) and ``multilingual-unique`` (long,
  non-repeating: words drawn letter by letter from 12 alphabets, so no word cache is
  flattered; target 30 M chars/s), with the peers word by word, as below.

The long corpora, generated deterministically (no downloads):

- ``english``: the four seed documents repeated (curly quotes, dashes, no-break spaces,
  and seed 001's Cyrillic "е" about every 26 000 characters), ~10 MB.
- ``multilingual``: real sentences in 13 languages and scripts (Greek, Russian,
  Ukrainian, Japanese, Chinese, Korean, Arabic, Persian with ZWNJ, Hebrew, Hindi, Thai,
  accented Latin, emoji ZWJ sequences) plus English, shuffled with a fixed seed, ~10 MB.

Peers check the same text word by word (whitespace split), skipping ASCII-only words
(which cannot hold a homoglyph), which favours them: ``confusable_homoglyphs``
(``confusables.is_dangerous``) and ICU's ``SpoofChecker.check`` (PyICU, default checks:
restriction level, mixed numbers, invisible characters...). Slow peers are timed on a
prefix of the corpus (printed) and reported in characters per second. Timings are
best-of-N wall clock; the machine may be shared, so expect noise.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from textforensics import find_homoglyphs, find_homoglyphs_many  # noqa: E402

MULTILINGUAL = [
    "Η Ελλάδα είναι μια χώρα στη νοτιοανατολική Ευρώπη και μέλος του NATO από το 1952.",
    "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему.",
    "Я установил Windows 10 и Linux на новый ноутбук, и оба работают отлично.",
    "Київ є столицею України, а Дніпро тече через усе місто.",
    "東京タワーは日本の電波塔です。iPhoneを買ったのはスーパーで、コーヒーを飲みました。",
    "我今天用Linux系统写代码，然后去公园散步。",
    "한국어는 아름다운 언어입니다. 어제 Windows를 새로 설치했어요.",
    "ذهب الطالب إلى المدرسة صباحاً وقرأ كتاباً جديداً عن التاريخ.",
    "می‌خواهم این کتاب را بخوانم، ولی امروز وقت ندارم.",
    "שלום, מה שלומך היום? אני לומד עברית כבר שנה.",
    "भारत एक विशाल देश है और यहाँ कई भाषाएँ बोली जाती हैं।",
    "ประเทศไทยเป็นประเทศในเอเชียตะวันออกเฉียงใต้ มีกรุงเทพเป็นเมืองหลวง",
    "Der Bäcker in München verkauft Brötchen, Brezeln und Käsekuchen.",
    "La señora Núñez visitó el café de la esquina en Logroño.",
    "We set α = 0.05 and the café served crème brûlée. 👩‍💻 👨‍👩‍👧‍👦 🏳️‍🌈",
    "The quick brown fox jumps over the lazy dog while the committee reviews the budget.",
]


def english_corpus(size: int) -> str:
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    return (seeds * (size // len(seeds) + 1))[:size]


def multilingual_corpus(size: int) -> str:
    rng = random.Random(20261122)
    parts: list[str] = []
    total = 0
    while total < size:
        paragraph = " ".join(rng.choice(MULTILINGUAL) for _ in range(rng.randint(2, 6)))
        parts.append(paragraph + "\n\n")
        total += len(paragraph) + 2
    text = "".join(parts)[:size]
    return text[: text.rfind(" ") + 1]  # never cut an emoji ZWJ sequence in half


ALPHABETS = [
    "абвгдежзийклмнопрстуфхцчшщыьэюя",
    "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわを",
    "日月火水木金土山川田人口目耳手足力男女子学生先年本中大小上下左右東西南北",
    "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "אבגדהוזחטיכלמנסעפצקרשת",
    "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",
    "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ",
    "abcdefghijklmnopqrstuvwxyzäöüßéèàç",
    "abcdefghijklmnopqrstuvwxyzığüşöçİ",
    "abcdefghijklmnopqrstuvwxyz",
]


def unique_multilingual_corpus(size: int) -> str:
    """Sentences of random words (2-10 letters) of one alphabet each: a text that does not
    repeat, so per-word memoisation cannot flatter the scan."""
    rng = random.Random(20261207)
    parts: list[str] = []
    total = 0
    while total < size:
        alphabet = rng.choice(ALPHABETS)
        words = [
            "".join(rng.choices(alphabet, k=rng.randint(2, 10))) for _ in range(rng.randint(5, 14))
        ]
        line = " ".join(words) + (". " if rng.random() < 0.8 else ".\n")
        parts.append(line)
        total += len(line)
    return "".join(parts)[:size]


def names(count: int, seed: int = 7) -> list[str]:
    """Distinct short names: half ASCII slugs, half non-ASCII (other scripts, accented
    Latin mixed with ASCII), one in 50 with a Cyrillic look-alike swapped in."""
    rng = random.Random(seed)
    slug = "abcdefghijklmnopqrstuvwxyz0123456789_-"
    out: list[str] = []
    for i in range(count):
        if i % 2 == 0:
            out.append("".join(rng.choices(slug, k=rng.randint(4, 16))))
            continue
        alphabet = rng.choice(ALPHABETS)
        name = "".join(rng.choices(alphabet, k=rng.randint(3, 12)))
        if i % 50 == 1:
            name = "p\u0430ypal" + name[:3]
        out.append(name)
    return out


def calls_per_second(fn: Callable[[str], object], rounds: list[list[str]]) -> float:
    """Best calls per second over the rounds, each round a fresh list of names: a name
    is never checked twice, so no per-word cache of any system is flattered."""
    best = float("inf")
    for items in rounds:
        gc.collect()
        t0 = time.process_time()
        for item in items:
            fn(item)
        best = min(best, (time.process_time() - t0) / len(items))
    return 1 / best


def batch_per_second(rounds: list[list[str]]) -> float:
    best = float("inf")
    for items in rounds:
        gc.collect()
        t0 = time.process_time()
        find_homoglyphs_many(items)
        best = min(best, (time.process_time() - t0) / len(items))
    return 1 / best


def short_shapes(repeat: int) -> None:
    # One set of names per system and round (seeds differ), from the same distribution.
    def rounds(system: int) -> list[list[str]]:
        return [names(50_000, seed=1000 * system + r) for r in range(repeat)]

    items = rounds(0)[0]
    print(
        f"\n== short: {len(items):,} distinct names per round, one call each"
        " (calls per CPU second: the machine may be shared)"
    )
    ours = calls_per_second(find_homoglyphs, rounds(1))
    batch = batch_per_second(rounds(2))
    icu_rate = None
    rows = [("textforensics.find_homoglyphs (one call each)", ours)]
    try:
        import icu

        checker = icu.SpoofChecker()
        icu_rate = calls_per_second(checker.check, rounds(3))
        rows.append((f"ICU SpoofChecker.check (ICU {icu.ICU_VERSION})", icu_rate))
    except ImportError:
        print("  ICU SpoofChecker: PyICU is not installed")
    try:
        from confusable_homoglyphs import confusables

        rows.append(
            (
                "confusable_homoglyphs.is_dangerous",
                calls_per_second(confusables.is_dangerous, [items[:5000]]),
            )
        )
    except ImportError:
        print("  confusable_homoglyphs: not installed")
    rows.append(("textforensics.find_homoglyphs_many (one batch)", batch))
    for label, rate in rows:
        ratio = f"  x{rate / icu_rate:.2f} ICU" if icu_rate else ""
        print(f"  {label:<58} {rate:12,.0f} calls/s{ratio}")


HOSTILE = {
    "ZWJ/ZWNJ/VS16": lambda n: "a\u200db\u200cc\ufe0f" * (n // 6),
    "tag characters": lambda n: ("x" + "\U000e0041" * 9) * (n // 10),
    "alternating Latin/Cyrillic": lambda n: "a\u0430" * (n // 2),
    "grapheme joiner run": lambda n: "pay" + "\u034f" * n + "pal",
}


def hostile_shapes(size: int) -> None:
    """find_homoglyphs on hostile one-word inputs at 1x and 4x ``size`` (a ratio near 4
    is linear), and fix_homoglyphs' peak memory per flagged character."""
    print(f"\n== hostile shapes: {size:,} and {4 * size:,} chars (seconds, 4x/1x ratio)")
    for name, make in HOSTILE.items():
        times = []
        for n in (size, 4 * size):
            text = make(n)
            gc.collect()
            t0 = time.perf_counter()
            find_homoglyphs(text)
            times.append(time.perf_counter() - t0)
        print(f"  {name:<30} {times[0]:7.2f} s {times[1]:7.2f} s  ratio {times[1] / times[0]:.1f}")
    import tracemalloc

    from textforensics import fix_homoglyphs

    for n in (size // 5, 4 * size // 5):
        text = "p\u0430yp\u0430l " * (n // 7)
        flagged = text.count("\u0430")
        gc.collect()
        tracemalloc.start()
        fix_homoglyphs(text)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"  fix_homoglyphs {len(text):>9,} chars, {flagged:,} flagged: peak "
            f"{peak / 1e6:.1f} MB ({peak / flagged:.0f} B per flagged char, result included)"
        )


def fix_memory(flagged: int) -> None:
    """fix_homoglyphs on a dense text with ``flagged`` look-alikes (two in each "pаypаl"):
    the call's tracemalloc peak against the text's size (the ``str`` object, and its UTF-8
    bytes), what the result holds, and what reading its findings adds."""
    import sys
    import tracemalloc

    from textforensics import fix_homoglyphs

    text = "p\u0430yp\u0430l " * (flagged // 2)
    fix_homoglyphs(text[:70])  # tables loaded before measuring
    size, utf8 = sys.getsizeof(text), len(text.encode("utf-8"))
    print(
        f"\n== fix_homoglyphs, {len(text):,} chars ({size / 1e6:.1f} MB as str, "
        f"{utf8 / 1e6:.1f} MB UTF-8), {flagged:,} flagged; load {os.getloadavg()[0]:.1f}"
    )
    gc.collect()
    tracemalloc.start()
    find_homoglyphs(text)
    alone = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"  find_homoglyphs alone: peak {alone / 1e6:.1f} MB "
        f"({alone / flagged:.0f} B per flagged char)"
    )
    gc.collect()
    tracemalloc.start()
    t0 = time.process_time()
    result = fix_homoglyphs(text)
    cpu = time.process_time() - t0
    held, peak = tracemalloc.get_traced_memory()
    print(
        f"  call: peak {peak / 1e6:.1f} MB = {peak / size:.1f}x the str, {peak / utf8:.1f}x UTF-8, "
        f"{peak / flagged:.0f} B per flagged char; the result holds {held / 1e6:.1f} MB "
        f"({held / flagged:.0f} B per flagged char); cpu {cpu:.1f} s (traced)"
    )
    tracemalloc.reset_peak()
    steps = len(result.plan)
    held1, peak1 = tracemalloc.get_traced_memory()
    print(
        f"  reading .plan ({steps:,} steps): peak {peak1 / 1e6:.1f} MB, the result then "
        f"holds {held1 / 1e6:.1f} MB ({held1 / flagged:.0f} B per flagged char)"
    )
    tracemalloc.reset_peak()
    findings = len(result.findings)
    held2, peak2 = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  reading .findings ({findings:,}): peak {peak2 / 1e6:.1f} MB, the result then "
        f"holds {held2 / 1e6:.1f} MB ({held2 / flagged:.0f} B per flagged char); "
        f"load {os.getloadavg()[0]:.1f}"
    )


def best_of(fn: Callable[[str], object], text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def peers() -> dict[str, Callable[[str], object]]:
    found: dict[str, Callable[[str], object]] = {}
    try:
        from confusable_homoglyphs import confusables

        def ch_scan(text: str) -> int:
            return sum(1 for w in text.split() if not w.isascii() and confusables.is_dangerous(w))

        found["confusable_homoglyphs"] = ch_scan
    except ImportError:
        print("confusable_homoglyphs: not installed (pip install -e '.[bench]')")
    try:
        import icu

        checker = icu.SpoofChecker()

        def icu_scan(text: str) -> int:
            return sum(1 for w in text.split() if not w.isascii() and checker.check(w))

        found[f"ICU SpoofChecker (ICU {icu.ICU_VERSION}, Unicode {icu.UNICODE_VERSION})"] = icu_scan
    except ImportError:
        print("ICU SpoofChecker: PyICU is not installed (needs libicu-dev, pkg-config)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size in millions of chars")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    parser.add_argument(
        "--peer-limit",
        type=float,
        default=1.0,
        help="time peers slower than 2M chars/s on the first N million chars only",
    )
    parser.add_argument(
        "--hostile",
        type=int,
        default=0,
        help="also time hostile one-word shapes at N and 4N chars (linearity check)",
    )
    parser.add_argument(
        "--fix-memory",
        type=int,
        default=0,
        metavar="N",
        help="only measure fix_homoglyphs' peak memory on a text with N flagged chars",
    )
    args = parser.parse_args(argv)
    if args.fix_memory:
        fix_memory(args.fix_memory)
        return 0
    size = int(args.mb * 1_000_000)
    corpora = {
        "english": english_corpus(size),
        "multilingual-unique": unique_multilingual_corpus(size),
        "multilingual (16 sentences repeated)": multilingual_corpus(size),
    }
    others = peers()
    find_homoglyphs("warm\u0435up \u0440\u0430\u0443\u0440\u0430l")  # load the tables once
    for text in corpora.values():
        find_homoglyphs(text[:200_000])  # and the per-script tables of the dense scan
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    short_shapes(args.repeat)
    for name, text in corpora.items():
        print(f"\n== {name}: {len(text):,} chars, {sum(not c.isascii() for c in text):,} non-ASCII")
        ours = best_of(find_homoglyphs, text, args.repeat)
        findings = find_homoglyphs(text)
        warn = sum(f.severity != "info" for f in findings)
        ours_rate = len(text) / ours
        print(
            f"  {'textforensics.find_homoglyphs':<58} {ours_rate / 1e6:8.1f} M chars/s"
            f"  ({ours * 1000:.0f} ms, {len(findings)} findings, {warn} warning+)"
        )
        for peer, fn in others.items():
            probe = text[: min(len(text), 200_000)]
            rate = len(probe) / best_of(fn, probe, 1)
            sample = text
            if rate < 2e6:
                sample = text[: int(args.peer_limit * 1_000_000)]
            elapsed = best_of(fn, sample, args.repeat if len(sample) < len(text) else 1)
            rate = len(sample) / elapsed
            note = "" if len(sample) == len(text) else f" (first {len(sample):,} chars)"
            print(
                f"  {peer:<58} {rate / 1e6:8.2f} M chars/s  -> ours x{ours_rate / rate:.1f}{note}"
            )
    if args.hostile:
        hostile_shapes(args.hostile)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
