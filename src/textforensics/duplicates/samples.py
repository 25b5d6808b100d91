"""A second candidate source that sees containment: a fixed sample of each text's
rewrite-tier shingles.

LSH on MinHash signatures proposes pairs by Jaccard. Two kinds of related pairs sit
below what it sees reliably: an excerpt (a short text inside a long one: its Jaccard is
at most the length ratio, however much of it is copied) and a heavy paraphrase (3-gram
Jaccard 0.05-0.08, where two of 128 signature positions seldom match in one band). What
both keep is a share of the *smaller* text's 3-grams: a containment.

The sample keeps a 3-gram when its hash is 0 modulo :data:`SAMPLE_RATE`. The choice
depends only on the shingle, so the sample of the shingles two texts share is exactly
the shared part of their two samples, and the count of shared samples over the smaller
sample estimates the smaller text's containment in the other. Every verdict other than
``unrelated`` needs a rewrite-tier containment of at least 0.03 (:mod:`.verify`,
:data:`.bags.BAG_FLOOR`); a pair becomes a candidate here when it shares at least
:data:`MIN_SHARED` samples making at least :data:`MIN_SHARE` of the smaller sample (for
a smaller sample of 40 or more the share alone asks for two or more).
Samples held by more than :data:`MAX_POSTING` documents (stock phrases, site templates)
are ignored: they say little about a pair, and skipping them keeps the pairs from
growing with the square of a hot posting list.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .lsh import run_pairs
from .shingles import U32

__all__ = [
    "MAX_POSTING",
    "MIN_SHARE",
    "MIN_SHARED",
    "SAMPLE_RATE",
    "sample_shingles",
    "sampled_candidate_pairs",
]

I64 = npt.NDArray[np.int64]

SAMPLE_RATE = 8
"""One rewrite-tier shingle in this many (by hash) is sampled: a 4 KB text (about 700
3-grams) keeps about 90, a 600-character excerpt about 12."""

MIN_SHARED = 1
"""Samples a candidate pair shares at least. The share test (:data:`MIN_SHARE`) already
asks for two or more whenever the smaller sample holds 40 or more, so this floor only
decides for short texts, and there a floor of two missed what the verdicts call related:
a 900-character excerpt keeps about 17 samples and, at the rewrite tier's containment
threshold of 0.105, shares about 2 of them, so it needed luck to share two. One shared
stock phrase can now make a short text a candidate of up to :data:`MAX_POSTING` texts;
verification is exact, so that costs time, not false reports (figures in
``docs/crawl_benchmark.md``, "Session 12")."""

MIN_SHARE = 0.05
"""Share of the smaller text's sample a candidate pair shares at least: an estimate of
containment, with room under the 0.105 of the rewrite threshold for the sampling noise
(a heavy paraphrase at containment 0.10 shares about 9 of 90 samples)."""

MAX_POSTING = 50
"""A sample held by more documents than this is not used to pair them."""


def sample_shingles(
    flat: U32, sizes: npt.NDArray[np.int64], rate: int = SAMPLE_RATE
) -> tuple[I64, U32]:
    """The sampled shingles of consecutive texts whose shingle hashes (repeats allowed)
    are concatenated in ``flat``, ``sizes[i]`` of them for text ``i``: ``(text, hash)``
    arrays, unique per text, sorted by text then hash. ``rate`` 0 samples nothing."""
    if rate <= 0 or flat.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint32)
    flat = np.asarray(flat, dtype=np.uint32)
    keep = flat % np.uint32(rate) == 0
    text = np.repeat(np.arange(len(sizes), dtype=np.int64), np.asarray(sizes, dtype=np.int64))
    codes = np.unique((text[keep].astype(np.uint64) << np.uint64(32)) | flat[keep])
    return (codes >> np.uint64(32)).astype(np.int64), (codes & np.uint64(0xFFFFFFFF)).astype(
        np.uint32
    )


def sampled_candidate_pairs(
    text: I64,
    hashes: U32,
    n: int,
    *,
    min_shared: int = MIN_SHARED,
    min_share: float = MIN_SHARE,
    max_posting: int = MAX_POSTING,
) -> I64:
    """Index pairs ``(i, j)``, ``i < j``, of the ``n`` texts whose samples (from
    :func:`sample_shingles`, unique per text) share at least ``min_shared`` hashes and
    at least ``min_share`` of the smaller of their two samples, counting only hashes
    held by at most ``max_posting`` texts; an ``(m, 2)`` array sorted
    lexicographically."""
    text = np.asarray(text, dtype=np.int64)
    hashes = np.asarray(hashes, dtype=np.uint32)
    none = np.zeros((0, 2), dtype=np.int64)
    if n < 2 or text.size < 2:
        return none
    per_text = np.bincount(text, minlength=n)
    order = np.argsort(hashes, kind="stable")
    sh, st = hashes[order], text[order]
    starts = np.flatnonzero(np.concatenate(([True], sh[1:] != sh[:-1])))
    size = np.diff(np.append(starts, sh.size))
    use = (size >= 2) & (size <= max_posting)
    if not use.any():
        return none
    left, right = run_pairs(starts[use], size[use])
    x, y = st[left], st[right]
    codes, shared = np.unique(np.minimum(x, y) * n + np.maximum(x, y), return_counts=True)
    i, j = codes // n, codes % n
    smaller = np.minimum(per_text[i], per_text[j])
    ok = (shared >= min_shared) & (shared >= min_share * smaller)
    return np.stack([i[ok], j[ok]], axis=1).astype(np.int64)
