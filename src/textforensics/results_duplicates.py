"""Result types of the duplicates detector (:func:`~textforensics.compare`,
:func:`~textforensics.find_duplicates`, :class:`~textforensics.DuplicateIndex`).

Also exported by :mod:`textforensics.results`, which imports this module when one of
these names is first read: a run that compares nothing does not create these classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .results import Deferred, Serializable, Span, defer_fields

__all__ = [
    "AlignedPassage",
    "Comparison",
    "DuplicateCluster",
    "DuplicatePair",
    "DuplicateReport",
    "IndexMatch",
    "TierSimilarity",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class TierSimilarity(Serializable):
    """Exact set similarities of two texts' shingles in one tier.

    ``unit`` names the shingle (e.g. ``"word 5-grams"``); ``jaccard`` is
    |A∩B| / |A∪B|; ``containment_a_in_b`` is |A∩B| / |A| (how much of ``a`` is found in
    ``b``) and ``containment_b_in_a`` the converse. Empty sets give 0.
    """

    tier: str
    unit: str
    shingles_a: int
    shingles_b: int
    shared: int
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AlignedPassage(Serializable):
    """A passage of ``a`` paired with the passage of ``b`` it was copied or rewritten from.

    ``a``/``b`` are spans into the caller's original strings; ``similarity`` in [0, 1] is
    the passages' own word overlap (see ``docs/duplicates.md``); ``text_a``/``text_b``
    are the passages as written.
    """

    a: Span
    b: Span
    similarity: float
    text_a: str
    text_b: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison(Deferred):
    """The result of :func:`textforensics.compare`.

    ``score`` in [0, 1] (symmetric, 1 for identical texts) and ``verdict`` (one of
    ``identical``, ``near_copy``, ``rewrite``, ``excerpt``, ``unrelated``) are the stable
    contract; ``near_copy`` and ``rewrite`` hold the exact similarities of each tier and
    ``evidence`` the aligned passages, in the order of ``a`` (aligned when first read,
    see :func:`deferred`). For an ``excerpt`` whose shorter text is mostly contained in
    the other, ``contained_in`` names the containing side (``"b"``: ``a`` is inside
    ``b``; ``"a"``: ``b`` is inside ``a``), else ``None``;
    ``reason`` says why a pair is ``unrelated`` without being compared
    (``"no_words"``: a text has no word to compare), else ``None``.
    """

    score: float
    verdict: str
    near_copy: TierSimilarity
    rewrite: TierSimilarity
    evidence: tuple[AlignedPassage, ...]
    boilerplate_stripped: bool
    contained_in: str | None = None
    reason: str | None = None


defer_fields(Comparison, ("evidence",))


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicatePair(Serializable):
    """Two documents found to be related, verified exactly (never a hashing accident);
    for an ``excerpt``, ``contained_in`` names the side (``"a"`` or ``"b"``) that contains
    the other, or is ``None`` when they only share a passage."""

    a: Any
    b: Any
    verdict: str
    score: float
    contained_in: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateCluster(Serializable):
    """A connected component of related documents: ``keys`` sorted, ``representative``
    the smallest key, ``pairs`` the verified edges that connect them."""

    representative: Any
    keys: tuple[Any, ...]
    pairs: tuple[DuplicatePair, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateReport(Serializable):
    """The result of :func:`textforensics.find_duplicates`: clusters (sorted by their
    representative), the keys related to no other document, and counts. ``excerpts``
    lists the ``excerpt`` pairs (a text mostly contained in another, or a shared copied
    passage) apart: they never join clusters, so a pipeline can drop or keep them;
    a key of such a pair may also be in ``unique``."""

    clusters: tuple[DuplicateCluster, ...]
    unique: tuple[Any, ...]
    documents: int
    candidate_pairs: int
    method: str
    excerpts: tuple[DuplicatePair, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexMatch(Serializable):
    """One match returned by :meth:`textforensics.DuplicateIndex.query`; for an
    ``excerpt``, ``contained_in`` names the side that contains the other: ``"b"`` when
    the queried text (``a``) is mostly contained in the indexed document ``key`` (``b``),
    ``"a"`` when that document is contained in the query."""

    key: Any
    score: float
    verdict: str
    contained_in: str | None = None
