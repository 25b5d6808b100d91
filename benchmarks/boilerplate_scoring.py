"""Scoring for the boilerplate dev set (WCXB dev), exactly as its README defines it.

- token precision / recall / F1, micro-averaged: ``re.findall(r"\\w+", s.casefold())``,
  multiset overlap per page, tp/fp/fn summed over pages;
- macro-F1: mean per-page token F1 (an empty gold scores 1 for an empty output, else 0);
- ``with`` kept and ``without`` leaked: snippet (case-folded, whitespace runs to one
  space, curly quotes / dashes / NBSP / ellipsis folded to ASCII) is a substring of the
  output folded the same way.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEV_SET = (
    Path(__file__).resolve().parent.parent.parent / "shared/eval/boilerplate/wcxb-dev.jsonl.gz"
)

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2007": " ",
        "\u2026": "...",
    }
)  # fmt: skip


def load_records(path: Path | str = DEV_SET) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def fold(s: str) -> str:
    """The snippet-matching form: casefold, ASCII quotes/dashes/ellipsis, one space."""
    return _SPACE.sub(" ", s.casefold().translate(_FOLD)).strip()


def token_counts(s: str) -> Counter[str]:
    return Counter(_TOKEN.findall(s.casefold()))


@dataclass
class Score:
    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    macro_sum: float = 0.0
    pages: int = 0
    with_kept: int = 0
    with_total: int = 0
    without_leaked: int = 0
    without_total: int = 0

    def add(self, output: str, record: dict[str, Any]) -> None:
        out = token_counts(output)
        gold = token_counts(record["main"])
        overlap = sum((out & gold).values())
        n_out, n_gold = sum(out.values()), sum(gold.values())
        self.tp += overlap
        self.fp += n_out - overlap
        self.fn += n_gold - overlap
        if n_gold == 0:
            page_f1 = 1.0 if n_out == 0 else 0.0
        else:
            p = overlap / n_out if n_out else 0.0
            r = overlap / n_gold
            page_f1 = 2 * p * r / (p + r) if p + r else 0.0
        self.macro_sum += page_f1
        self.pages += 1
        folded = fold(output)
        for snip in record["with"]:
            self.with_total += 1
            self.with_kept += fold(snip) in folded
        for snip in record["without"]:
            self.without_total += 1
            self.without_leaked += fold(snip) in folded

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def macro_f1(self) -> float:
        return self.macro_sum / self.pages if self.pages else 0.0

    @property
    def with_share(self) -> float:
        return self.with_kept / self.with_total if self.with_total else 0.0

    @property
    def without_share(self) -> float:
        return self.without_leaked / self.without_total if self.without_total else 0.0

    def row(self) -> str:
        return (
            f"{self.name:<24} {self.precision:6.3f} {self.recall:6.3f} {self.f1:6.3f} "
            f"{self.macro_f1:8.3f} {self.with_share:7.1%} {self.without_share:8.1%} "
            f"{self.without_leaked:6d}"
        )


HEADER = (
    f"{'extractor':<24} {'P':>6} {'R':>6} {'F1':>6} {'macroF1':>8} {'with':>7} "
    f"{'without':>8} {'leaked':>6}"
)


def score(name: str, outputs: Iterable[str], records: Iterable[dict[str, Any]]) -> Score:
    sc = Score(name)
    for out, rec in zip(outputs, records, strict=False):
        sc.add(out, rec)
    return sc


def by_type_rows(outputs: Iterable[str], records: Iterable[dict[str, Any]]) -> list[str]:
    """Score rows of ``outputs`` per page type (the records' ``page_type``), by name."""
    pairs = list(zip(outputs, records, strict=True))
    types = sorted({r.get("page_type") or "?" for _, r in pairs})
    rows = []
    for t in types:
        mine = [(o, r) for o, r in pairs if (r.get("page_type") or "?") == t]
        name = f"  {t} ({len(mine)})"
        rows.append(score(name, (o for o, _ in mine), (r for _, r in mine)).row())
    return rows


def split_folds(records: list[dict[str, Any]], k: int = 2) -> Iterator[list[dict[str, Any]]]:
    """Deterministic folds by site, so that no domain is in two folds."""
    import zlib

    for i in range(k):
        yield [r for r in records if zlib.crc32((r.get("domain") or r["id"]).encode()) % k == i]
