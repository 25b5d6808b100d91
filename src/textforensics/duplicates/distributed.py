"""Pure numpy kernels behind :mod:`textforensics.ray`, one call per partition.

Nothing here imports Ray: every function takes and returns plain arrays, so each kernel is
tested on its own (against naive references) and any engine can run it. Node ids are
``int64``; edges are pairs of arrays. All outputs are deterministic (sorted, unique).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .lsh import candidate_pairs_from_band_keys, union_find
from .shingles import mix64

I64 = npt.NDArray[np.int64]

__all__ = [
    "DIGEST_BAND",
    "KIND_CANDIDATE",
    "KIND_IDENTICAL",
    "KIND_REP",
    "bucket_pairs",
    "large_star",
    "mix64",
    "partition_of",
    "small_star",
    "star_roots",
    "union_find",
    "unique_edges",
]

DIGEST_BAND = -1
"""The ``band`` value of the one row per document that carries its token digest."""

KIND_IDENTICAL = 0
"""An edge between two documents of identical wording (verdict ``identical``)."""
KIND_CANDIDATE = 1
"""A candidate pair from a shared LSH band key (to verify)."""
KIND_REP = 2
"""Not an edge: ``a`` is the representative (smallest id) of one wording."""


def partition_of(keys: npt.ArrayLike, num_partitions: int) -> npt.NDArray[np.int32]:
    """The partition (``0 <= p < num_partitions``) of each key: a hash bucket, so that a
    shuffle makes a bounded number of groups however many distinct keys there are."""
    if num_partitions < 1:
        raise ValueError("num_partitions must be at least 1")
    k = np.asarray(keys).astype(np.int64, copy=False).view(np.uint64)
    parts: npt.NDArray[np.int32] = (mix64(k) % np.uint64(num_partitions)).astype(np.int32)
    return parts


def unique_edges(a: npt.ArrayLike, b: npt.ArrayLike) -> tuple[I64, I64]:
    """Edges as ``(lo, hi)`` with ``lo < hi``, self-loops dropped, sorted and unique."""
    x = np.asarray(a, dtype=np.int64)
    y = np.asarray(b, dtype=np.int64)
    lo = np.minimum(x, y)
    hi = np.maximum(x, y)
    keep = lo != hi
    if not keep.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs = np.unique(np.stack([lo[keep], hi[keep]], axis=1), axis=0)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


def bucket_pairs(
    band: npt.ArrayLike,
    key: npt.ArrayLike,
    ids: npt.ArrayLike,
    digest_hi: npt.ArrayLike,
    digest_lo: npt.ArrayLike,
    max_bucket: int = 0,
) -> tuple[I64, I64, npt.NDArray[np.int8]]:
    """Candidate generation for one partition of band rows: ``(a, b, kind)``.

    Rows with ``band == DIGEST_BAND`` group documents of identical wording (equal 128-bit
    digests): each member is linked to the group's smallest id (``KIND_IDENTICAL``) and the
    smallest id is reported as the wording's representative (``KIND_REP``, ``b == -1``),
    as the local :func:`~textforensics.duplicates.find_duplicates` does. Other rows are LSH
    band keys: within each ``(band, key)`` bucket, documents of one wording collapse onto
    their representative first (so empty or boilerplate-only texts, which share every band
    key, make one member, not a hot bucket), then the local stage
    :func:`~textforensics.duplicates.candidate_pairs_from_band_keys` pairs the members
    (``max_bucket`` as there: 0 means every pair, the local semantics).
    """
    band_a = np.asarray(band, dtype=np.int64)
    key_a = np.asarray(key).astype(np.int64, copy=False).view(np.uint64)
    ids_a = np.asarray(ids, dtype=np.int64)
    dh = np.asarray(digest_hi).astype(np.int64, copy=False).view(np.uint64)
    dl = np.asarray(digest_lo).astype(np.int64, copy=False).view(np.uint64)
    out_a: list[I64] = []
    out_b: list[I64] = []
    out_k: list[npt.NDArray[np.int8]] = []

    # Identical wording.
    dig = np.flatnonzero(band_a == DIGEST_BAND)
    if dig.size:
        order = dig[np.lexsort((ids_a[dig], dl[dig], dh[dig]))]
        h, lo_, i = dh[order], dl[order], ids_a[order]
        new = np.ones(order.size, dtype=bool)
        new[1:] = (h[1:] != h[:-1]) | (lo_[1:] != lo_[:-1])
        group = np.cumsum(new) - 1
        first = i[new]
        reps = first
        members = ~new
        out_a.append(first[group[members]])
        out_b.append(i[members])
        out_k.append(np.full(int(members.sum()), KIND_IDENTICAL, np.int8))
        out_a.append(reps)
        out_b.append(np.full(reps.size, -1, np.int64))
        out_k.append(np.full(reps.size, KIND_REP, np.int8))

    # LSH buckets.
    rows = np.flatnonzero(band_a != DIGEST_BAND)
    if rows.size:
        order = rows[np.lexsort((ids_a[rows], dl[rows], dh[rows], key_a[rows], band_a[rows]))]
        b_, k_, h, lo_, i = band_a[order], key_a[order], dh[order], dl[order], ids_a[order]
        # One member per wording in each bucket: its smallest id.
        keep = np.ones(order.size, dtype=bool)
        keep[1:] = (
            (b_[1:] != b_[:-1]) | (k_[1:] != k_[:-1]) | (h[1:] != h[:-1]) | (lo_[1:] != lo_[:-1])
        )
        b_, k_, i = b_[keep], k_[keep], i[keep]
        # Members of a bucket in id order, as the local stage sees them (a capped bucket
        # becomes a star around its first member: the smallest id).
        again = np.lexsort((i, k_, b_))
        b_, k_, i = b_[again], k_[again], i[again]
        pairs: list[I64] = []
        starts = np.flatnonzero(np.concatenate(([True], b_[1:] != b_[:-1])))
        ends = np.concatenate((starts[1:], [b_.size]))
        for s, e in zip(starts, ends, strict=True):
            if e - s < 2:
                continue
            local = candidate_pairs_from_band_keys(k_[s:e, None], max_bucket)
            if local.size:
                pairs.append(i[s:e][local])
        if pairs:
            allp = np.concatenate(pairs)
            lo, hi = unique_edges(allp[:, 0], allp[:, 1])
            out_a.append(lo)
            out_b.append(hi)
            out_k.append(np.full(lo.size, KIND_CANDIDATE, np.int8))

    if not out_a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8)
    return np.concatenate(out_a), np.concatenate(out_b), np.concatenate(out_k)


# --- connected components ----------------------------------------------------------------
# In one process: :func:`union_find` (the package's one union-find, re-exported here).
# Over partitions: the large-star / small-star steps below.


def _groups(u: I64, v: I64) -> tuple[I64, I64, I64, I64]:
    """Sort edges ``u -> v`` by ``(u, v)``, drop repeats; return sorted ``u``, ``v``, the
    group starts and each group's minimum neighbour."""
    if u.size == 0:
        z = np.zeros(0, np.int64)
        return z, z, z, z
    pairs = np.unique(np.stack([u, v], axis=1), axis=0)
    su, sv = pairs[:, 0], pairs[:, 1]
    starts = np.flatnonzero(np.concatenate(([True], su[1:] != su[:-1])))
    mins = np.minimum.reduceat(sv, starts)
    return su, sv, starts, mins


def large_star(u: npt.ArrayLike, v: npt.ArrayLike) -> tuple[I64, I64, npt.NDArray[np.bool_]]:
    """One large-star step (Kiveris et al., 2014) over the directed edges ``u -> v`` of one
    partition (both directions of every undirected edge, grouped by ``u``).

    For each node ``u`` with neighbourhood ``N(u)``, ``m = min(N(u) ∪ {u})`` and every
    larger neighbour ``v > u`` is re-attached to ``m``. Returns the new undirected edges as
    ``(lo, hi)`` and whether each is new (none new anywhere: the step has converged)."""
    su, sv, starts, mins = _groups(np.asarray(u, np.int64), np.asarray(v, np.int64))
    if su.size == 0:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0, bool)
    sizes = np.diff(np.concatenate((starts, [su.size])))
    m = np.minimum(np.repeat(mins, sizes), su)
    big = sv > su
    return m[big], sv[big], m[big] != su[big]


def small_star(u: npt.ArrayLike, v: npt.ArrayLike) -> tuple[I64, I64, npt.NDArray[np.bool_]]:
    """One small-star step over directed edges ``u -> v`` with ``v < u`` (each undirected
    edge once, from its larger end). For each ``u`` with smaller neighbours ``N'(u)``,
    ``m = min(N'(u))``: ``u`` and every ``v`` in ``N'(u)`` are attached to ``m``. Returns
    ``(lo, hi)`` edges and whether each is new."""
    su, sv, starts, mins = _groups(np.asarray(u, np.int64), np.asarray(v, np.int64))
    if su.size == 0:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0, bool)
    sizes = np.diff(np.concatenate((starts, [su.size])))
    m = np.repeat(mins, sizes)
    other = sv != m
    # (m, u) is an existing edge; (m, v) replaces (v, u) for every other smaller neighbour.
    lo = np.concatenate([mins, m[other]])
    hi = np.concatenate([su[starts], sv[other]])
    new = np.concatenate([np.zeros(mins.size, bool), np.ones(int(other.sum()), bool)])
    return lo, hi, new


def star_roots(lo: npt.ArrayLike, hi: npt.ArrayLike) -> tuple[I64, I64]:
    """``(nodes, roots)`` of a converged star forest given as edges ``(root, leaf)``."""
    r = np.asarray(lo, dtype=np.int64)
    leaf = np.asarray(hi, dtype=np.int64)
    nodes = np.concatenate([leaf, np.unique(r)])
    roots = np.concatenate([r, np.unique(r)])
    order = np.argsort(nodes, kind="stable")
    nodes, roots = nodes[order], roots[order]
    if nodes.size == 0:
        return nodes, roots
    keep = np.concatenate(([True], nodes[1:] != nodes[:-1]))
    return nodes[keep], roots[keep]
