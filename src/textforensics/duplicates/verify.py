"""Stage 5: exact verification. The Jaccard and containments of two shingle sets per
tier, and the verdict and score of a pair under :class:`Thresholds`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..results import TierSimilarity
from ..vocab import VERDICTS
from .shingles import NEAR_COPY_TIER, REWRITE_TIER, U32, Tier

__all__ = [
    "DEFAULT_THRESHOLDS",
    "VERDICTS",
    "Thresholds",
    "classify",
    "tier_similarity",
    "verify_pairs",
]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds on exact similarities (calibrated, see ``docs/duplicates.md``).

    A pair is a ``near_copy`` when its near-copy-tier Jaccard reaches ``near_jaccard``
    or one text is contained in the other at ``near_containment`` or more; a ``rewrite``
    when its rewrite-tier Jaccard reaches ``rewrite_jaccard`` or its larger rewrite-tier
    containment reaches ``rewrite_containment`` (for partial reuse and texts of different
    lengths).
    """

    near_jaccard: float = 0.5
    near_containment: float = 0.8
    rewrite_jaccard: float = 0.035
    rewrite_containment: float = 0.105


DEFAULT_THRESHOLDS = Thresholds()


def tier_similarity(tier: Tier, a: U32, b: U32) -> TierSimilarity:
    """Stage 5, one pair: the exact Jaccard and containments of two sorted unique shingle
    arrays of one tier (from :func:`shingle_batch` with ``tier.n``)."""
    shared = int(np.intersect1d(a, b, assume_unique=True).size) if a.size and b.size else 0
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
    tier (symmetric, in [0, 1]); the verdict applies :class:`Thresholds`.
    """
    if identical:
        return "identical", 1.0
    near_c = max(near.containment_a_in_b, near.containment_b_in_a)
    rw_c = max(rewrite.containment_a_in_b, rewrite.containment_b_in_a)
    score = min(1.0, max(near_c, rw_c, near.jaccard, rewrite.jaccard))
    if near.jaccard >= thresholds.near_jaccard or near_c >= thresholds.near_containment:
        return "near_copy", score
    if rewrite.jaccard >= thresholds.rewrite_jaccard or rw_c >= thresholds.rewrite_containment:
        return "rewrite", score
    return "unrelated", score


def verify_pairs(
    pairs: Iterable[tuple[int, int]],
    near_shingles: Sequence[U32],
    rewrite_shingles: Sequence[U32],
    digests: Sequence[bytes],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[tuple[int, int, str, float]]:
    """Stage 5: exact verdicts of candidate index pairs; returns ``(i, j, verdict,
    score)`` for every pair that is not ``unrelated``, in input order."""
    out: list[tuple[int, int, str, float]] = []
    for i, j in pairs:
        i, j = int(i), int(j)
        near = tier_similarity(NEAR_COPY_TIER, near_shingles[i], near_shingles[j])
        rw = tier_similarity(REWRITE_TIER, rewrite_shingles[i], rewrite_shingles[j])
        verdict, score = classify(near, rw, digests[i] == digests[j], thresholds)
        if verdict != "unrelated":
            out.append((i, j, verdict, score))
    return out
