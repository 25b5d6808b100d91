"""Fingerprint every public output on the seeds and the boilerplate dev set.

    .venv/bin/python scripts/fingerprint_outputs.py [--limit N] [--json]

A refactoring that must not change behaviour is checked by running this before and after
and comparing the printed hashes: one SHA-256 per detector and data set over the
``to_dict()`` of every result (every homoglyph finding and fix plan, every comparison with
its evidence, every duplicate cluster and pair, every index match, every boilerplate block
and removed span with the kept text). The dev set is read from ``../shared/eval`` and is
skipped (with a note) where it is absent.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import textforensics as tf

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "eval" / "boilerplate" / "wcxb-dev.jsonl.gz"


def _digest(items: Iterable[Any]) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(json.dumps(item, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]


def _homoglyphs(texts: list[str]) -> Iterable[Any]:
    for t in texts:
        yield [f.to_dict() for f in tf.find_homoglyphs(t)]
        yield tf.fix_homoglyphs(t).to_dict()


def _strip(texts: list[str]) -> Iterable[Any]:
    for t in texts:
        r = tf.strip_boilerplate(t)
        yield r.text, [b.to_dict() for b in r.blocks], [s.to_dict() for s in r.removed]


def _compare(texts: list[str]) -> Iterable[Any]:
    # Every pair of neighbours, plus each text against a shifted copy of itself (a near copy).
    for a, b in itertools.pairwise(texts):
        yield tf.compare(a, b).to_dict()
    for t in texts[:200]:
        yield tf.compare(t, t[len(t) // 10 :]).to_dict()


def _duplicates(texts: list[str]) -> Iterable[Any]:
    docs = dict(enumerate(texts))
    # Plant near copies so that clusters exist.
    for i, t in enumerate(texts[:100]):
        docs[f"copy-{i}"] = t[: len(t) // 2] + "\n\nAn added closing sentence here.\n"
    yield tf.find_duplicates(docs, processes=1).to_dict()
    index = tf.DuplicateIndex()
    for k, t in list(docs.items())[: len(texts) // 2]:
        index.add(k, t)
    for t in texts[: min(300, len(texts))]:
        yield [m.to_dict() for m in index.query(t)]


DETECTORS: dict[str, Callable[[list[str]], Iterable[Any]]] = {
    "homoglyphs": _homoglyphs,
    "boilerplate": _strip,
    "compare": _compare,
    "duplicates": _duplicates,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="use only the first N dev pages")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    sets: dict[str, list[str]] = {
        "seeds": [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    }
    if DEV_SET.exists():
        with gzip.open(DEV_SET, "rt", encoding="utf-8") as f:
            sets["dev"] = [json.loads(line)["text"] for line in f]
        if args.limit:
            sets["dev"] = sets["dev"][: args.limit]
    else:
        print(f"note: {DEV_SET} not found; seeds only", file=sys.stderr)
    out = {
        f"{name}/{det}": _digest(fn(texts))
        for name, texts in sets.items()
        for det, fn in DETECTORS.items()
    }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for k, v in out.items():
            print(f"{k:24} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
