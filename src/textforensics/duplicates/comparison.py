"""``compare``: two texts, their verdict and score, the exact similarities per tier and
the aligned passages as evidence (aligned when first read); ``compare_many`` for batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from ..results import AlignedPassage, Comparison, TierSimilarity, deferred
from ..text import LineIndex, require_str
from .bags import content_keys, key_containment
from .evidence import align, passages
from .maintext import Spans, main_text
from .shingles import (
    NEAR_COPY_TIER,
    REWRITE_TIER,
    U64,
    analyze,
    digest_of,
    ngram_hashes,
    shingle_form,
    text_hashes,
)
from .verify import DEFAULT_THRESHOLDS, Thresholds, judge, tier_similarity

__all__ = ["compare", "compare_many"]

# The content-word pair keys of one main text, computed when first needed (compare_many
# keeps them per call, for texts that occur in several pairs).
ContentPairs = Callable[[], U64]


def _evidence(a: str, b: str, removed_a: Spans, removed_b: Spans) -> tuple[AlignedPassage, ...]:
    pa = passages(a, removed_a)
    pb = passages(b, removed_b)
    ia, ib = LineIndex(a), LineIndex(b)
    aligned: list[AlignedPassage] = []
    for i, j, sim in align(a, b, pa, pb):
        (sa, ea), (sb, eb) = pa[i], pb[j]
        aligned.append(
            AlignedPassage(
                a=ia.span(sa, ea),
                b=ib.span(sb, eb),
                similarity=round(sim, 6),
                text_a=a[sa:ea],
                text_b=b[sb:eb],
            )
        )
    return tuple(aligned)


def _result(
    a: str,
    b: str,
    prepared: tuple[tuple[str, Spans, bool], tuple[str, Spans, bool]],
    shingled: tuple[tuple[Any, Any], tuple[Any, Any]],
    identical: bool,
    thresholds: Thresholds,
    evidence: bool,
    pairs_of: tuple[ContentPairs, ContentPairs],
) -> Comparison:
    (_, removed_a, stripped_a), (_, removed_b, stripped_b) = prepared
    (near_a, near_b), (rw_a, rw_b) = shingled
    near: TierSimilarity = tier_similarity(NEAR_COPY_TIER, near_a, near_b)
    rw: TierSimilarity = tier_similarity(REWRITE_TIER, rw_a, rw_b)

    def bag() -> float:
        return key_containment(pairs_of[0](), pairs_of[1]())

    verdict, score, contained_in = judge(near, rw, identical, thresholds, bag)
    reason = "no_words" if not (near_a.size and near_b.size) else None
    now: dict[str, Any] = {
        "score": score,
        "verdict": verdict,
        "near_copy": near,
        "rewrite": rw,
        "boilerplate_stripped": stripped_a or stripped_b,
        "contained_in": contained_in,
        "reason": reason,
    }
    if not evidence or verdict == "unrelated":
        return Comparison(evidence=(), **now)

    def later() -> Mapping[str, Any]:
        return {"evidence": _evidence(a, b, removed_a, removed_b)}

    return deferred(Comparison, now, later)


def compare(
    a: str,
    b: str,
    *,
    strip_boilerplate: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    evidence: bool = True,
) -> Comparison:
    """Compare two texts: verdict, score, exact similarities per tier, and the evidence.

    ``strip_boilerplate`` compares the main texts that
    :func:`textforensics.strip_boilerplate` leaves. Evidence is the one-to-one alignment
    of passages (sentences) whose own word overlap reaches :data:`PASSAGE_THRESHOLD`, for
    verdicts other than ``unrelated``; spans refer to the original strings. It is
    aligned when ``evidence`` is first read (or the result compared, hashed, printed or
    converted), once, with the same result for every reader. A text without words is
    ``unrelated`` to everything, with ``reason="no_words"``.
    """
    require_str(a, "a")
    require_str(b, "b")
    if not isinstance(thresholds, Thresholds):
        raise TypeError(f"thresholds must be a Thresholds, not {type(thresholds).__name__}")
    prepared = (main_text(a, strip_boilerplate), main_text(b, strip_boilerplate))
    forms = (shingle_form(prepared[0][0]), shingle_form(prepared[1][0]))
    s = analyze(forms)
    shingled = ((s[0][0], s[0][1]), (s[1][0], s[1][1]))
    bags = (
        lambda: content_keys(forms[0], normalized=True),
        lambda: content_keys(forms[1], normalized=True),
    )
    return _result(a, b, prepared, shingled, s[2][0] == s[2][1], thresholds, evidence, bags)


def compare_many(
    pairs: Iterable[tuple[str, str]],
    *,
    strip_boilerplate: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    evidence: bool = True,
) -> list[Comparison]:
    """:func:`compare` on each ``(a, b)`` of ``pairs``, in order, equal to calling it pair
    by pair; each distinct text is stripped and shingled once, and the shingles of all
    texts are computed in one batch."""
    if not isinstance(thresholds, Thresholds):
        raise TypeError(f"thresholds must be a Thresholds, not {type(thresholds).__name__}")
    plist: list[tuple[str, str]] = []
    for k, pair in enumerate(pairs):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"pairs[{k}] must be a tuple (a, b) of two str")
        require_str(pair[0], f"pairs[{k}][0]")
        require_str(pair[1], f"pairs[{k}][1]")
        plist.append(pair)
    slot: dict[str, int] = {}
    texts: list[str] = []
    for a, b in plist:
        for t in (a, b):
            if t not in slot:
                slot[t] = len(texts)
                texts.append(t)
    prepared = [main_text(t, strip_boilerplate) for t in texts]
    mains = [p[0] for p in prepared]
    # The whole batch normalized and hashed at once (text_hashes is shingle_form of each
    # text, joined: no per-text normalization call).
    th, counts = text_hashes(mains, False)
    offsets = np.concatenate(([0], np.cumsum(counts))).tolist()
    # A pair is identical when its texts' digests are equal; equal digests need equal
    # runs of token hashes (BLAKE2b collisions aside), hence equal token counts, so a
    # text is digested only when it meets one with as many tokens, once per call.
    dig: dict[int, bytes] = {}

    def identical(i: int, j: int) -> bool:
        if i == j:
            return True
        if offsets[i + 1] - offsets[i] != offsets[j + 1] - offsets[j]:
            return False
        for k in (i, j):
            if k not in dig:
                dig[k] = digest_of(th, offsets, k)
        return dig[i] == dig[j]

    near = ngram_hashes(th, counts, NEAR_COPY_TIER.n)
    rw = ngram_hashes(th, counts, REWRITE_TIER.n)
    # Content pairs (the third signal) per distinct text, in this call only.
    bags: dict[int, U64] = {}

    def pairs_of(k: int) -> ContentPairs:
        def get() -> U64:
            found = bags.get(k)
            if found is None:
                found = bags[k] = content_keys(mains[k])
            return found

        return get

    out: list[Comparison] = []
    for a, b in plist:
        i, j = slot[a], slot[b]
        out.append(
            _result(
                a,
                b,
                (prepared[i], prepared[j]),
                ((near[i], near[j]), (rw[i], rw[j])),
                identical(i, j),
                thresholds,
                evidence,
                (pairs_of(i), pairs_of(j)),
            )
        )
    return out
