"""The evidence of a comparison: the sentences (passages) of both texts, aligned one to one
by the overlap of their words and word pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import regex

from ..text import iter_sentences, matching_form, replace_lone_surrogates, tokens

__all__ = ["PASSAGE_THRESHOLD", "align", "passages"]

_ABBREV_END_RE = regex.compile(
    r"(?:\b(?:\p{L}\.){2,}|\b\p{Lu}\.|\b(?:Mr|Mrs|Ms|Dr|Prof|St|vs|etc|Jr|Sr|No|Gen|Col|Lt|Sgt|"
    r"Rep|Sen|Gov|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)


def passages(text: str, removed: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of ``text``, re-joined where a sentence "ended" at an abbreviation
    (``U.S.``, ``Mr.``) within one line, minus those lying inside removed boilerplate."""
    merged: list[tuple[int, int]] = []
    for s, e in iter_sentences(text):
        if (
            merged
            and _ABBREV_END_RE.search(text, max(merged[-1][0], merged[-1][1] - 12), merged[-1][1])
            and "\n" not in text[merged[-1][1] : s]
            and "\r" not in text[merged[-1][1] : s]
        ):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    if removed:
        merged = _outside(merged, sorted(removed))
    return merged


def _outside(spans: list[tuple[int, int]], removed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # The spans (in text order) not lying mostly inside the sorted, disjoint removed
    # spans: one merge-like walk over both lists, so a text with many sentences and many
    # removed blocks costs their sum, not their product.
    kept = []
    first = 0
    for s, e in spans:
        while first < len(removed) and removed[first][1] <= s:
            first += 1
        inside = 0
        k = first
        while k < len(removed) and removed[k][0] < e:
            inside += max(0, min(e, removed[k][1]) - max(s, removed[k][0]))
            k += 1
        if inside * 2 < e - s:
            kept.append((s, e))
    return kept


_MIN_FEATURES = 3
_MAX_POSTINGS = 64
PASSAGE_THRESHOLD = 0.2
"""Minimum passage similarity for evidence (calibrated on the seeds, see docs)."""


def _features(passage: str) -> frozenset[str]:
    words = tokens(matching_form(replace_lone_surrogates(passage)))
    feats = {w for w in words if len(w) > 2}
    feats.update(f"{x} {y}" for x, y in itertools.pairwise(words))
    return frozenset(feats)


def align(
    a: str, b: str, pa: list[tuple[int, int]], pb: list[tuple[int, int]]
) -> list[tuple[int, int, float]]:
    fa = [_features(a[s:e]) for s, e in pa]
    fb = [_features(b[s:e]) for s, e in pb]
    inverted: dict[str, list[int]] = {}
    for j, f in enumerate(fb):
        for x in f:
            inverted.setdefault(x, []).append(j)
    # Features found in very many passages say little and would make alignment
    # quadratic (e.g. a text repeating one sentence): they are not used for lookup.
    for x in [x for x, postings in inverted.items() if len(postings) > _MAX_POSTINGS]:
        del inverted[x]
    scored: list[tuple[float, int, int]] = []
    for i, f in enumerate(fa):
        if len(f) < _MIN_FEATURES:
            continue
        counts: dict[int, int] = {}
        for x in f:
            for j in inverted.get(x, ()):
                counts[j] = counts.get(j, 0) + 1
        for j, shared in counts.items():
            if len(fb[j]) < _MIN_FEATURES:
                continue
            sim = shared / (len(f) + len(fb[j]) - shared)
            if sim >= PASSAGE_THRESHOLD:
                scored.append((-sim, i, j))
    scored.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for neg, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j, -neg))
    out.sort()
    return out
