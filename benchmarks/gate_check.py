"""Does the stripper's cheap gate ever pass a text the full path would cut? (issue 14)

    PYTHONPATH=src .venv/bin/python benchmarks/gate_check.py [--generated 20000] [--seed 0]
        [--crawl-docs 3000] [--comment-seeds 13 71]

``boilerplate.gate.leaves_whole`` is conservative, not exact (see its docstring): this
script is the measurement behind it. For every text of each set it asks the gate, and for
every text the gate passes it runs the full path (``strip_boilerplate`` with the shipped
threshold passed explicitly, which skips the gate) and counts a *disagreement* when the
full path removes anything or when the gated result differs from it in any field
(text, removed, blocks, language). Sets: the seeds, every page of the boilerplate dev set
(its ``text`` and its gold ``main``), the comment dev sets of the given seeds
(``benchmarks/comment_devset.py``), crawl-like pages (``benchmarks/crawl_corpus.py``) and
generated texts: real dev-set sentences in paragraphs, with (for most texts) cue phrases of
every shipped language, short lines, titles, repeated paragraphs, truncated last lines,
digits, links, capitalised words or over-long lines mixed in, so that many land on either
side of the gate. Prints, per set, the texts, the share the gate passes, the
disagreements (with the first few shown) and the gate's CPU time per text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import textforensics as tf  # noqa: E402
from textforensics.boilerplate import shipped_classifier  # noqa: E402
from textforensics.boilerplate.gate import leaves_whole  # noqa: E402
from textforensics.boilerplate.phrases import LANGUAGES, phrase_data  # noqa: E402

DEV_SET = ROOT.parent.parent / "shared" / "eval" / "boilerplate" / "wcxb-dev.jsonl.gz"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def check(name: str, texts: Iterable[str], show: int = 3) -> tuple[int, int, int]:
    thr = shipped_classifier().threshold
    n = passed = bad = 0
    gate_cpu = 0.0
    for t in texts:
        n += 1
        c0 = time.process_time()
        ok = leaves_whole(t)
        gate_cpu += time.process_time() - c0
        if not ok:
            continue
        passed += 1
        full = tf.strip_boilerplate(t, threshold=thr)  # an explicit threshold: no gate
        gated = tf.strip_boilerplate(t)
        if full.removed or full.text != t or gated.to_dict() != full.to_dict():
            bad += 1
            if bad <= show:
                cut = [(r.kind, r.message, t[r.start : r.end][:80]) for r in full.removed]
                print(f"  DISAGREEMENT in {name}: {t[:120]!r} -> {cut[:3]}")
    us = 1e6 * gate_cpu / max(n, 1)
    print(
        f"{name:28} {n:6} texts, gate passes {passed:5} ({passed / max(n, 1):6.1%}),"
        f" disagreements {bad}, gate {us:5.0f} us CPU/text (load {load()})",
        flush=True,
    )
    return n, passed, bad


def cue_phrases() -> list[str]:
    """Every phrase of every shipped language (normalized forms: line, start, contained)."""
    out: set[str] = set()
    for lang in LANGUAGES:
        ph = phrase_data(lang)
        out.update(ph.line)
        out.update(ph.start_kind)
        out.update(p for entries in ph.contains_by_word.values() for p, _k in entries)
        out.update(ph.section)
    return sorted(out)


def generated(n: int, seed: int) -> Iterable[str]:
    from crawl_corpus import load_pool

    pool = load_pool()
    sents = [s for s in pool.sentences if "\n" not in s and s.endswith((".", "!", "?"))]
    cues = cue_phrases()
    rng = random.Random(seed)

    def paragraph() -> str:
        return " ".join(rng.choice(sents) for _ in range(rng.randint(1, 8)))

    for _ in range(n):
        paras = [paragraph() for _ in range(rng.randint(1, 8))]
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            what = rng.randrange(10)
            i = rng.randrange(len(paras))
            words = paras[i].split()
            if what == 0:  # a cue phrase as a line of its own
                paras.insert(rng.randrange(len(paras) + 1), rng.choice(cues).capitalize())
            elif what == 1:  # a cue phrase opening or inside a paragraph
                at = rng.randrange(len(words) + 1) if rng.random() < 0.5 else 0
                words.insert(at, rng.choice(cues))
                paras[i] = " ".join(words)
            elif what == 2:  # a short line (a heading, a label)
                k = rng.randint(1, 12)
                paras.insert(rng.randrange(len(paras) + 1), " ".join(words[:k]))
            elif what == 3:  # a repeated paragraph
                paras.insert(rng.randrange(len(paras) + 1), paras[i])
            elif what == 4:  # the last paragraph cut mid-sentence
                last = paras[-1].split()
                paras[-1] = " ".join(last[: rng.randint(1, len(last))])
            elif what == 5:  # digits
                words.insert(rng.randrange(len(words) + 1), str(rng.randint(0, 10**6)))
                paras[i] = " ".join(words)
            elif what == 6:  # a link
                words.insert(rng.randrange(len(words) + 1), "https://example.org/a")
                paras[i] = " ".join(words)
            elif what == 7:  # capitalised words
                paras[i] = " ".join(w.capitalize() if rng.random() < 0.5 else w for w in words)
            elif what == 8:  # an over-long line
                paras[i] = " ".join(paragraph() for _ in range(rng.randint(3, 12)))
            else:  # paragraphs joined into one line
                paras[i : i + 2] = [" ".join(paras[i : i + 2])]
        yield rng.choice(("\n\n", "\n", "\n\n\n")).join(paras)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generated", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--crawl-docs", type=int, default=3000)
    ap.add_argument("--comment-seeds", type=int, nargs="*", default=[13, 71])
    args = ap.parse_args()
    total = [0, 0, 0]
    leaves_whole("The gate loads its phrase data on its first call. " * 4)  # (not timed)

    def add(r: tuple[int, int, int]) -> None:
        for k in range(3):
            total[k] += r[k]

    seeds = sorted((ROOT.parent / "seeds").glob("*.txt"))
    add(check("seeds", (p.read_text(encoding="utf-8") for p in seeds)))
    with gzip.open(DEV_SET, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    add(check("dev set pages (text)", (r["text"] for r in records)))
    add(check("dev set gold main texts", (r["main"] for r in records if r.get("main"))))
    if args.comment_seeds:
        from comment_devset import build_records

        for s in args.comment_seeds:
            add(check(f"comment dev set (seed {s})", (r["text"] for r in build_records(seed=s))))
    if args.crawl_docs:
        from crawl_corpus import generate

        corpus = generate(args.crawl_docs, seed=args.seed)
        add(check(f"crawl-like pages ({args.crawl_docs})", corpus.docs.values()))
        add(check("crawl-like pages, 4,096 chars", (d[:4096] for d in corpus.docs.values())))
    if args.generated:
        add(check(f"generated (seed {args.seed})", generated(args.generated, args.seed)))
    print(f"{'all':28} {total[0]:6} texts, gate passes {total[1]:5}, disagreements {total[2]}")
    return 1 if total[2] else 0


if __name__ == "__main__":
    raise SystemExit(main())
