"""The dev-set scores of textforensics per page type (the scorer of eval_boilerplate.py).

    .venv/bin/python benchmarks/eval_page_types.py [--type forum] [--limit N]

One row per WCXB page type (article, collection, documentation, forum, listing, product,
service) and one for all pages: P, R, F1, macro-F1, ``with`` kept, ``without`` leaked and
their count, as eval_boilerplate.py prints them for the whole set. No peers: this is the
check that a change to one rule leaves the other page types where they were.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import HEADER, Score, load_records

from textforensics import strip_boilerplate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--type", action="append", help="only these page types (repeatable)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = ap.parse_args()
    records = load_records()
    if args.limit:
        records = records[: args.limit]
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_type[r.get("page_type") or "?"].append(r)
    types = sorted(by_type) if not args.type else [t for t in args.type if t in by_type]
    total = Score("all")
    rows = []
    for t in types:
        sc = Score(t)
        for r in by_type[t]:
            out = strip_boilerplate(r["text"]).text
            sc.add(out, r)
            total.add(out, r)
        rows.append(sc)
    print(f"WCXB dev: {sum(len(by_type[t]) for t in types)} pages, textforensics per page type")
    print(HEADER)
    print(total.row())
    for sc in rows:
        print(sc.row())


if __name__ == "__main__":
    main()
