"""Stage 5: exact verification. The Jaccard and containments of two shingle sets per
tier, and the verdict and score of a pair under :class:`Thresholds`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..results import TierSimilarity
from ..vocab import REPORTED_VERDICTS, VERDICTS
from .bags import consulted
from .shingles import NEAR_COPY_TIER, REWRITE_TIER, U32, Tier, count_shared

__all__ = [
    "CLUSTER_VERDICTS",
    "DEFAULT_THRESHOLDS",
    "VERDICTS",
    "Thresholds",
    "beyond_copy",
    "classify",
    "judge",
    "tier_similarity",
    "verify_pairs",
]

CLUSTER_VERDICTS = frozenset(REPORTED_VERDICTS)
"""The verdicts whose pairs join clusters."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds on exact similarities (calibrated, see ``docs/duplicates.md``).

    A pair is a ``near_copy`` when its near-copy-tier Jaccard reaches ``near_jaccard``
    or one text is contained in the other at ``near_containment`` or more; a ``rewrite``
    when its rewrite-tier Jaccard reaches ``rewrite_jaccard`` or its larger rewrite-tier
    containment reaches ``rewrite_containment`` (for partial reuse and texts of different
    lengths), and the rewrite-tier shingles it shares beyond those explained by verbatim
    copied runs (3-gram shared minus 5-gram shared, over the smaller text's 3-grams)
    reach ``rewrite_beyond_copy``: a single syndicated paragraph shared by two otherwise
    unrelated articles passes the containment test but not this one, and is an
    ``excerpt`` edge, not a rewrite. A pair whose near-copy-tier containment reaches
    ``near_containment`` while its Jaccard stays under ``near_jaccard`` is an
    ``excerpt`` (the shorter text mostly inside the longer one). A pair that is
    otherwise ``unrelated`` (or a shared passage) is a ``rewrite`` when its
    content-word pairs (:mod:`.bags`, the third signal, for heavy paraphrases) are
    contained at ``rewrite_bag`` or more, when the caller supplies them.
    """

    near_jaccard: float = 0.5
    near_containment: float = 0.8
    rewrite_jaccard: float = 0.035
    rewrite_containment: float = 0.105
    rewrite_beyond_copy: float = 0.05
    rewrite_bag: float = 0.25


DEFAULT_THRESHOLDS = Thresholds()


def tier_similarity(tier: Tier, a: U32, b: U32) -> TierSimilarity:
    """Stage 5, one pair: the exact Jaccard and containments of two sorted unique shingle
    arrays of one tier (from :func:`shingle_batch` with ``tier.n``)."""
    shared = count_shared(a, b)
    union = a.size + b.size - shared
    return TierSimilarity(
        tier=tier.name,
        unit=tier.unit,
        shingles_a=int(a.size),
        shingles_b=int(b.size),
        shared=shared,
        jaccard=shared / union if union else 0.0,
        containment_a_in_b=shared / a.size if a.size else 0.0,
        containment_b_in_a=shared / b.size if b.size else 0.0,
    )


def classify(
    near: TierSimilarity,
    rewrite: TierSimilarity,
    identical: bool,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[str, float]:
    """The verdict and score of a pair from its exact tier similarities.

    ``score`` is 1 for identical wording, otherwise the largest containment of either
    tier (symmetric, in [0, 1]); the verdict applies :class:`Thresholds`. See
    :func:`judge` for the containment direction of an ``excerpt``.
    """
    verdict, score, _ = judge(near, rewrite, identical, thresholds)
    return verdict, score


def judge(
    near: TierSimilarity,
    rewrite: TierSimilarity,
    identical: bool,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    bag: Callable[[], float] | None = None,
) -> tuple[str, float, str | None]:
    """:func:`classify` plus, for an ``excerpt`` whose shorter text is mostly contained
    in the other, the containing side: ``"b"`` when ``a`` is inside ``b``, ``"a"`` when
    ``b`` is inside ``a``; ``None`` for a merely shared passage and other verdicts.

    ``bag``, when given, returns the pair's content-pair containment
    (:func:`.bags.bag_containment`); it is called only for a pair that would otherwise
    be ``unrelated`` or a shared passage and whose rewrite tier reaches
    :data:`.bags.BAG_FLOOR` with at least :data:`.bags.BAG_MIN_SHARED` shared shingles
    (:func:`.bags.consulted`)."""
    if not (near.shingles_a or rewrite.shingles_a) or not (near.shingles_b or rewrite.shingles_b):
        # A text without words has no shingle: it matches nothing, not even another
        # text without words (their empty word sequences would look identical).
        return "unrelated", 0.0, None
    if identical:
        return "identical", 1.0, None
    near_c = max(near.containment_a_in_b, near.containment_b_in_a)
    rw_c = max(rewrite.containment_a_in_b, rewrite.containment_b_in_a)
    score = min(1.0, max(near_c, rw_c, near.jaccard, rewrite.jaccard))
    if near.jaccard >= thresholds.near_jaccard:
        return "near_copy", score, None
    side = "b" if near.containment_a_in_b >= near.containment_b_in_a else "a"
    if near_c >= thresholds.near_containment:
        return "excerpt", score, side
    shared_passage = (
        rewrite.jaccard >= thresholds.rewrite_jaccard or rw_c >= thresholds.rewrite_containment
    )
    if shared_passage and beyond_copy(near, rewrite) >= thresholds.rewrite_beyond_copy:
        return "rewrite", score, None
    if bag is not None and consulted(rewrite) and bag() >= thresholds.rewrite_bag:
        return "rewrite", score, None
    if shared_passage:
        return "excerpt", score, None
    return "unrelated", score, None


def beyond_copy(near: TierSimilarity, rewrite: TierSimilarity) -> float:
    """The share of the smaller text's rewrite-tier shingles shared with the other text
    beyond what verbatim copied runs explain: a run of ``L`` shared words gives ``L - 2``
    shared 3-grams and ``L - 4`` shared 5-grams, so copying leaves 3-gram shared minus
    5-gram shared near zero, while rewording (short runs between changed words) does
    not."""
    smaller = min(rewrite.shingles_a, rewrite.shingles_b)
    if not smaller:
        return 0.0
    return max(0, rewrite.shared - near.shared) / smaller


def verify_pairs(
    pairs: Iterable[tuple[int, int]],
    near_shingles: Sequence[U32],
    rewrite_shingles: Sequence[U32],
    digests: Sequence[bytes],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[tuple[int, int, str, float]]:
    """Stage 5: exact verdicts of candidate index pairs; returns ``(i, j, verdict,
    score)`` for every pair whose verdict joins clusters (identical, near copy,
    rewrite: not ``excerpt`` nor ``unrelated``), in input order."""
    out: list[tuple[int, int, str, float]] = []
    for i, j in pairs:
        i, j = int(i), int(j)
        near = tier_similarity(NEAR_COPY_TIER, near_shingles[i], near_shingles[j])
        rw = tier_similarity(REWRITE_TIER, rewrite_shingles[i], rewrite_shingles[j])
        verdict, score = classify(near, rw, digests[i] == digests[j], thresholds)
        if verdict in CLUSTER_VERDICTS:
            out.append((i, j, verdict, score))
    return out
