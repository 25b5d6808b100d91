"""Boilerplate stripping on the WCXB dev set: ours side by side with the peers.

    .venv/bin/python benchmarks/eval_boilerplate.py [--limit N] [--no-peers] [--by-type]

Prints token precision / recall / F1 (micro), macro-F1, the share of ``with`` snippets
kept and of ``without`` snippets leaked (see boilerplate_scoring.py and the dev set's
README), for: keep-everything, textforensics, jusText (English stop-list), boilerpy3
ArticleExtractor and trafilatura, the HTML extractors fed the text with every non-empty
line wrapped in ``<p>``; with ``--by-type``, ours per page type too. Then documents per
second for each on the same input (best of ``--repeat`` runs; the machine is shared, so
timings are noisy) and the ratio to ours.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import HEADER, by_type_rows, load_records, score, split_folds

from textforensics import strip_boilerplate


def as_html(text: str) -> str:
    body = "".join(
        f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip()
    )
    return f"<html><body>\n{body}</body></html>"


def ours(text: str) -> str:
    return strip_boilerplate(text).text


def make_peers() -> dict[str, Callable[[str], str]]:
    peers: dict[str, Callable[[str], str]] = {}
    try:
        import justext

        stop = justext.get_stoplist("English")

        def jt(text: str) -> str:
            paras = justext.justext(as_html(text), stop)
            return "\n\n".join(p.text for p in paras if not p.is_boilerplate)

        peers["jusText"] = jt
    except ImportError:
        pass
    try:
        from boilerpy3 import extractors

        ext = extractors.ArticleExtractor()

        def bpy(text: str) -> str:
            try:
                return str(ext.get_content(as_html(text)))
            except Exception:
                return ""

        peers["boilerpy3 Article"] = bpy
    except ImportError:
        pass
    try:
        import trafilatura

        def tra(text: str) -> str:
            return trafilatura.extract(as_html(text)) or ""

        peers["trafilatura"] = tra
    except ImportError:
        pass
    return peers


def run(fn: Callable[[str], str], records: list[dict[str, Any]]) -> tuple[list[str], float]:
    t = time.perf_counter()
    outs = [fn(r["text"]) for r in records]
    return outs, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="timing runs (best of)")
    ap.add_argument("--by-type", action="store_true", help="also ours per page type")
    args = ap.parse_args()
    records = load_records()
    if args.limit:
        records = records[: args.limit]
    systems: dict[str, Callable[[str], str]] = {
        "keep-everything": lambda t: t,
        "textforensics": ours,
    }
    if not args.no_peers:
        systems.update(make_peers())
    results = {}
    times = {}
    for name, fn in systems.items():
        outs, dt = run(fn, records)
        for _ in range(args.repeat - 1):
            dt = min(dt, run(fn, records)[1])
        results[name] = outs
        times[name] = dt
    print(f"WCXB dev: {len(records)} pages")
    print(HEADER)
    for name, outs in results.items():
        print(score(name, outs, records).row())
    print()
    print("textforensics on site-disjoint halves (generalization check):")
    for i, fold in enumerate(split_folds(records)):
        ids = {r["id"] for r in fold}
        ours_all = zip(results["textforensics"], records, strict=True)
        outs = [o for o, r in ours_all if r["id"] in ids]
        print(score(f"  half {i} ({len(fold)} pages)", outs, fold).row())
    if args.by_type:
        print()
        print("textforensics per page type:")
        for line in by_type_rows(results["textforensics"], records):
            print(line)
    print()
    print("throughput (same input; shared 2-core machine, timings are noisy)")
    base = len(records) / times["textforensics"]
    for name, dt in times.items():
        if name == "keep-everything":
            continue
        dps = len(records) / dt
        print(f"  {name:<22} {dps:9.1f} docs/s   ours is {base / dps:6.2f}x")


if __name__ == "__main__":
    main()
