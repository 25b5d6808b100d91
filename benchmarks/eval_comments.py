"""Comment-thread stripping on the generated comment dev set: ours side by side with the peers.

    .venv/bin/python benchmarks/eval_comments.py [--per-cell 4] [--seed 13] [--no-peers]
        [--dev-set ../shared/eval/boilerplate/wcxb-dev.jsonl.gz] [--set PATH.jsonl.gz]

The set is built in memory by comment_devset.py (or read with ``--set``). Each system gets
the page text, the HTML extractors fed as eval_boilerplate.py feeds them (every non-empty
line wrapped in ``<p>``). Printed per family, per language and overall:

- ``leak``: comment-word leakage, the share of the thread's tokens (``\\w+``, case-folded)
  that survive. A thread line counts as surviving when the output still has it as a line
  (both folded as the dev scorer folds snippets) more often than the rest of the page
  could account for, so a "Reply" kept from the page's own chrome is not charged to the
  thread. For textforensics, ``exact`` also counts it from the ``removed`` offsets: the
  share of thread tokens that no removed span covers (the two should agree).
- ``recall``: token recall of the article's gold main after the surviving thread lines
  are taken out of the output (so that comment words cannot pad it), and ``base``, the
  same system's recall on the page without the thread: the difference is what the
  thread costs the article.

jusText is given the English stop-list (as in eval_boilerplate.py; the articles are
English), so it drops almost any non-English paragraph: its leakage on the de-ru threads
says little, the English rows are the comparable ones.

``tf language=thread`` is a diagnostic: textforensics with ``language=`` forced to the
thread's language (the dev set's articles are all English, and the stripper picks one
phrase language per page from its stop words; English phrases always apply).
- ``w/o``: the share of the thread's ``without`` snippets that survive.
- ``as cmts`` (textforensics): the share of thread tokens removed with kind ``comments``
  (the rest of what goes is removed as navigation, related links...).
- ``thread kept``: the share of pages on which at least 90 % of the thread survives.

``base`` needs the page without the thread: always run for textforensics, for the peers
only with ``--peer-base`` (it doubles their time).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import DEV_SET, fold, token_counts
from comment_devset import FAMILIES, build_records
from comment_locales import LANGUAGES
from eval_boilerplate import make_peers

from textforensics import strip_boilerplate


def lines_of(text: str) -> list[str]:
    return [f for f in (fold(ln) for ln in text.splitlines()) if f]


def n_tokens(s: str) -> int:
    return sum(token_counts(s).values())


@dataclass
class PageScore:
    comment_tokens: int
    leaked_tokens: int
    main_tokens: int
    recalled: int
    base_recalled: int
    without_total: int
    without_leaked: int
    exact_leaked: int = -1  # textforensics only
    as_comments: int = -1  # textforensics only: thread tokens removed as kind "comments"


def score_page(
    rec: dict[str, Any],
    output: str,
    base_output: str | None = None,
    exact: tuple[int, int] = (-1, -1),
) -> PageScore:
    text, cs, ce = rec["text"], rec["comment_start"], rec["comment_end"]
    thread = Counter(lines_of(rec["comment_text"]))
    rest = Counter(lines_of(text[:cs] + "\n" + text[ce:]))
    out_lines = lines_of(output)
    out = Counter(out_lines)
    leaked_lines = Counter(
        {ln: min(k, max(0, out[ln] - rest[ln])) for ln, k in thread.items() if ln in out}
    )
    leaked = sum(n_tokens(ln) * k for ln, k in leaked_lines.items())
    budget = leaked_lines.copy()
    kept: list[str] = []
    for ln in out_lines:  # the output without the surviving thread lines
        if budget[ln] > 0:
            budget[ln] -= 1
        else:
            kept.append(ln)
    gold = token_counts(rec["main"])
    recalled = sum((token_counts("\n".join(kept)) & gold).values())
    base = -1 if base_output is None else sum((token_counts(base_output) & gold).values())
    folded = fold(output)
    return PageScore(
        comment_tokens=sum(n_tokens(ln) * k for ln, k in thread.items()),
        leaked_tokens=leaked,
        main_tokens=sum(gold.values()),
        recalled=recalled,
        base_recalled=base,
        without_total=len(rec["without"]),
        without_leaked=sum(fold(s) in folded for s in rec["without"]),
        exact_leaked=exact[0],
        as_comments=exact[1],
    )


@dataclass
class Agg:
    pages: list[PageScore] = field(default_factory=list)

    def _sum(self, attr: str) -> int:
        return sum(getattr(p, attr) for p in self.pages)

    @property
    def leak(self) -> float:
        return self._sum("leaked_tokens") / max(1, self._sum("comment_tokens"))

    @property
    def exact(self) -> float:
        if any(p.exact_leaked < 0 for p in self.pages):
            return float("nan")
        return self._sum("exact_leaked") / max(1, self._sum("comment_tokens"))

    @property
    def as_comments(self) -> float:
        if any(p.as_comments < 0 for p in self.pages):
            return float("nan")
        return self._sum("as_comments") / max(1, self._sum("comment_tokens"))

    @property
    def recall(self) -> float:
        return self._sum("recalled") / max(1, self._sum("main_tokens"))

    @property
    def base(self) -> float:
        if any(p.base_recalled < 0 for p in self.pages):
            return float("nan")
        return self._sum("base_recalled") / max(1, self._sum("main_tokens"))

    @property
    def without(self) -> float:
        return self._sum("without_leaked") / max(1, self._sum("without_total"))

    @property
    def whole_thread_kept(self) -> float:
        """Share of pages on which at least 90 % of the thread's words survive."""
        return sum(p.leaked_tokens >= 0.9 * p.comment_tokens for p in self.pages) / max(
            1, len(self.pages)
        )


def exact_leak(rec: dict[str, Any], removed: Iterable[tuple[int, int, str]]) -> tuple[int, int]:
    """Thread tokens of ``rec`` that no removed span covers (by their start offsets), and
    those removed as ``comments``."""
    spans = sorted(removed)
    cs, ce = rec["comment_start"], rec["comment_end"]
    left = as_comments = 0
    for m in re.finditer(r"\w+", rec["text"][cs:ce]):
        pos = cs + m.start()
        kind = next((k for a, b, k in spans if a <= pos < b), None)
        left += kind is None
        as_comments += kind == "comments"
    return left, as_comments


def ours_exact(text: str, language: str | None = None) -> tuple[str, list[tuple[int, int, str]]]:
    res = strip_boilerplate(text, language=language)
    return res.text, [(r.start, r.end, r.kind) for r in res.removed]


def table(
    title: str,
    keys: Iterable[str],
    groups: dict[str, dict[str, Agg]],
    systems: list[str],
    metric: str,
) -> None:
    print(f"\n{title}")
    print(f"{'':<16}" + "".join(f"{s[:14]:>15}" for s in systems))
    for k in keys:
        cells = []
        for s in systems:
            v = getattr(groups[s][k], metric)
            cells.append(f"{v:15.1%}" if metric != "recall" else f"{v:15.3f}")
        print(f"{k:<16}" + "".join(cells))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--per-cell", type=int, default=4, help="pages per family x language")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dev-set", type=Path, default=DEV_SET, help="the WCXB dev set")
    ap.add_argument("--set", type=Path, help="a set written by comment_devset.py --write")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument(
        "--peer-base", action="store_true", help="also run the peers on the pages without thread"
    )
    args = ap.parse_args()
    if args.set:
        with gzip.open(args.set, "rt", encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
    else:
        records = build_records(args.per_cell, args.seed, source=args.dev_set)
    systems: dict[str, Callable[[str], str]] = {"keep-everything": lambda t: t}
    if not args.no_peers:
        systems.update(make_peers())
    forced = "tf language=thread"
    names = ["textforensics", forced, *systems]
    by: dict[str, dict[str, Agg]] = {n: defaultdict(Agg) for n in names}
    base_cache: dict[tuple[str, str], str] = {}
    srcs = {r["source_id"]: r["text"][: r["comment_start"] - 2] + r["text"][r["comment_end"] :]
            for r in records}  # fmt: skip
    for rec in records:
        out, removed = ours_exact(rec["text"])
        key = ("textforensics", rec["source_id"])
        if key not in base_cache:
            base_cache[key] = strip_boilerplate(srcs[rec["source_id"]]).text
        pages = {"textforensics": score_page(rec, out, base_cache[key], exact_leak(rec, removed))}
        # Diagnostic: the phrases of the thread's language forced (English ones always apply).
        out, removed = ours_exact(rec["text"], rec["language"])
        key = (forced, rec["source_id"])
        if key not in base_cache:
            base_cache[key] = strip_boilerplate(srcs[rec["source_id"]], language="en").text
        pages[forced] = score_page(rec, out, base_cache[key], exact_leak(rec, removed))
        for name, fn in systems.items():
            key = (name, rec["source_id"])
            if key not in base_cache and (args.peer_base or name == "keep-everything"):
                base_cache[key] = fn(srcs[rec["source_id"]])
            pages[name] = score_page(rec, fn(rec["text"]), base_cache.get(key))
        for name, ps in pages.items():
            groups = (rec["family"], rec["language"], f"{rec['family']}/{rec['language']}")
            for group in (*groups, "overall"):
                by[name][group].pages.append(ps)
    words = sum(n_tokens(r["comment_text"]) for r in records)
    placed = sum(r["placement"] == "after_article" for r in records)
    print(
        f"comment dev set: {len(records)} pages ({len(FAMILIES)} families x {len(LANGUAGES)} "
        f"languages), {words} thread tokens; {placed} threads right after the article"
    )
    shown = [n for n in names if n != "keep-everything"]
    fams = [f for f in FAMILIES if f in by["textforensics"]]
    langs = [lang for lang in LANGUAGES if lang in by["textforensics"]]
    table("comment-word leakage per family (lower is better)", [*fams, "overall"], by, shown,
          "leak")  # fmt: skip
    table("comment-word leakage per language", [*langs, "overall"], by, shown, "leak")
    en = [f"{f}/en" for f in fams if f"{f}/en" in by["textforensics"]]
    table("comment-word leakage per family, English threads only", en, by, shown, "leak")
    print("\ntextforensics comment-word leakage per family and language")
    print(f"{'':<16}" + "".join(f"{lang:>7}" for lang in langs))
    for fam in fams:
        cells = [by["textforensics"][f"{fam}/{lang}"].leak for lang in langs]
        print(f"{fam:<16}" + "".join(f"{v:7.1%}" for v in cells))
    table("article recall per family (thread lines taken out)", [*fams, "overall"], by, shown,
          "recall")  # fmt: skip
    table("article recall per language", [*langs, "overall"], by, shown, "recall")
    print("\noverall")
    print(
        f"{'extractor':<20} {'leak':>7} {'exact':>7} {'as cmts':>8} {'thread kept':>12} "
        f"{'w/o':>7} {'recall':>7} {'base':>7}"
    )
    for n in names:
        a = by[n]["overall"]
        print(
            f"{n:<20} {a.leak:7.1%} {a.exact:7.1%} {a.as_comments:8.1%} "
            f"{a.whole_thread_kept:12.1%} {a.without:7.1%} {a.recall:7.3f} {a.base:7.3f}"
        )
    print("\ntextforensics per family: exact leak, thread words removed as `comments`, pages")
    print("on which the thread is kept whole (>= 90 % of its words)")
    for fam in fams:
        a = by["textforensics"][fam]
        print(
            f"  {fam:<16} leak {a.exact:6.1%}   as comments {a.as_comments:6.1%}   "
            f"kept whole {a.whole_thread_kept:6.1%}"
        )


if __name__ == "__main__":
    main()
