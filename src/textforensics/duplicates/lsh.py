"""Stages 3, 4 and 6: LSH band keys, candidate pairs from shared band keys (in several
pairings of the signature positions), and connected components (the one union-find of the
package, used by the local and the distributed paths).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

import numpy as np
import numpy.typing as npt

from .minhash import DEFAULT_NUM_PERM
from .shingles import NGRAM_MULTIPLIER, U32, U64, mix64

__all__ = [
    "REWRITE_PAIRINGS",
    "band_keys_batch",
    "candidate_pairs_from_band_keys",
    "connected_components",
    "lsh_candidate_pairs",
    "lsh_params",
    "pair_codes",
    "pair_codes_reference",
    "pairing_orders",
    "run_pairs",
    "union_find",
]

I64 = npt.NDArray[np.int64]


# datasketch's _optimal_param for the default tiers (it integrates numerically for
# seconds); tests check these against datasketch.
_KNOWN_LSH_PARAMS: dict[tuple[float, int], tuple[int, int]] = {
    (0.5, 128): (25, 5),
    (0.1, 128): (64, 2),
}


@cache
def lsh_params(threshold: float, num_perm: int = DEFAULT_NUM_PERM) -> tuple[int, int]:
    """``(bands, rows)`` as datasketch's ``MinHashLSH`` picks them for ``threshold``."""
    known = _KNOWN_LSH_PARAMS.get((threshold, num_perm))
    if known is not None:
        return known
    from datasketch.lsh import _optimal_param

    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(bands), int(rows)


REWRITE_PAIRINGS = 8
"""How many pairings of signature positions band the rewrite tier in ``find_duplicates``.

One pairing is datasketch's own banding for threshold 0.1 (64 bands of 2 rows: positions
``2k, 2k+1``); pairing ``m`` bands the positions ``i, i XOR m``, so the 8 pairings make
512 bands of 2 rows out of the same 128 hash values, no two bands sharing a pair of
positions. A pair becomes a candidate when any two positions paired in one band both
match: probability 0.96 at 3-gram Jaccard 0.1 (one pairing: 0.47), 0.04 at 0.01 (0.006),
measured in ``docs/duplicates.md``."""


def pairing_orders(num_perm: int, pairings: int) -> list[npt.NDArray[np.int64]]:
    """Column orders of a signature for ``pairings`` disjoint pairings of its positions.

    Order ``m - 1`` lists the pairs ``(i, i XOR m)`` (``i < i XOR m``), for ``m = 1, 2,
    ...``, so ``signatures[:, order]`` banded with ``(num_perm // 2, 2)`` (datasketch's
    ``MinHashLSH(params=(num_perm // 2, 2))`` on the reordered hash values, or
    :func:`band_keys_batch`) bands those pairs. Order 0 is the identity. Masks that would
    leave the signature (``num_perm`` not a multiple of a power of two above ``m``) are
    skipped; fewer orders come back if ``num_perm`` allows fewer."""
    if num_perm < 2 or num_perm % 2:
        return [np.arange(num_perm, dtype=np.int64)][: max(0, min(1, pairings))]
    orders: list[npt.NDArray[np.int64]] = []
    idx = np.arange(num_perm, dtype=np.int64)
    for m in range(1, num_perm):
        if len(orders) >= pairings:
            break
        partner = idx ^ m
        if (partner >= num_perm).any():
            continue
        lo = idx[idx < partner]
        orders.append(np.stack([lo, lo ^ m], axis=1).reshape(-1))
    return orders


def _band_keys_t(sig_t: U32, bands: int, rows: int) -> U64:
    # Band keys from transposed signatures (num_perm, n): contiguous rows, shape (bands, n).
    n = sig_t.shape[1]
    keys = np.empty((bands, n), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            k = np.full(n, np.uint64(band + 1) * NGRAM_MULTIPLIER, dtype=np.uint64)
            for r in range(rows):
                k = mix64(k ^ sig_t[band * rows + r].astype(np.uint64))
            keys[band] = k
    return keys


def band_keys_batch(signatures: U32, bands: int, rows: int) -> U64:
    """Stage 3: one ``uint64`` key per band, shape ``(n, bands)``; two documents share a
    band key exactly when they share that band's ``rows`` hash values (up to 64-bit
    collisions, which verification removes)."""
    sig_t = np.ascontiguousarray(np.asarray(signatures, dtype=np.uint32).T)
    return np.ascontiguousarray(_band_keys_t(sig_t, bands, rows).T)


def pair_codes(keys_t: U64, max_bucket: int, n: int) -> list[npt.NDArray[np.int64]]:
    """Pair codes ``i * n + j`` (``i < j``) of documents sharing a key in a row of
    ``keys_t`` ``(bands, n)``, the same set as :func:`pair_codes_reference`, in a fixed
    number of array passes over all bands and buckets at once: each row is sorted, runs
    of equal keys are found on the flattened rows, and the pairs of every run come from
    repeat/cumsum arithmetic (a run larger than ``max_bucket > 0`` gives the star around
    its smallest member instead)."""
    keys_t = np.asarray(keys_t, dtype=np.uint64)
    bands = keys_t.shape[0]
    if n < 2 or bands == 0:
        return []
    order = np.argsort(keys_t, axis=1).astype(np.int64)
    sk = np.take_along_axis(keys_t, order, axis=1)
    # A run starts at each row start and wherever the key changes within a row.
    starts_mask = np.ones((bands, n), dtype=bool)
    starts_mask[:, 1:] = sk[:, 1:] != sk[:, :-1]
    flat_order = order.reshape(-1)
    run_start = np.flatnonzero(starts_mask.reshape(-1))
    size = np.diff(np.append(run_start, bands * n))
    keep = size >= 2
    run_start, size = run_start[keep], size[keep]
    if run_start.size == 0:
        return []
    codes: list[npt.NDArray[np.int64]] = []
    big = (size > max_bucket) if max_bucket else np.zeros(size.size, dtype=bool)
    if big.any():
        bs, bz = run_start[big], size[big]
        idx = _run_positions(bs, bz)
        members = flat_order[idx]
        first = np.minimum.reduceat(members, np.concatenate(([0], np.cumsum(bz)[:-1])))
        centre = np.repeat(first, bz)
        other = members != centre
        codes.append(centre[other] * n + members[other])
    small = ~big
    if small.any():
        left, right = run_pairs(run_start[small], size[small])
        x, y = flat_order[left], flat_order[right]
        codes.append(np.minimum(x, y) * n + np.maximum(x, y))
    return codes


def run_pairs(
    starts: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every pair of positions ``(p, q)``, ``p < q``, inside each run ``starts[k],
    ..., starts[k] + sizes[k] - 1`` of a flat array, as two position arrays, computed
    with repeat/cumsum arithmetic for all runs at once."""
    # Element p of a run of size s pairs with the s - 1 - p elements after it.
    pos = _run_positions(starts, sizes)
    within = pos - np.repeat(starts, sizes)
    count = np.repeat(sizes, sizes) - 1 - within
    left = np.repeat(pos, count)
    offsets = np.arange(left.size, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    return left, left + 1 + offsets


def _run_positions(
    starts: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    # The flat positions start, start + 1, ..., start + size - 1 of every run, concatenated.
    total = int(sizes.sum())
    base = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return base + np.arange(total, dtype=np.int64)


def pair_codes_reference(keys_t: U64, max_bucket: int, n: int) -> list[npt.NDArray[np.int64]]:
    """Pair codes ``i * n + j`` (``i < j``) of documents sharing a key in a row of
    ``keys_t`` ``(bands, n)``, bucket by bucket: the plain reference that
    :func:`pair_codes` (all buckets at once) is tested against."""
    codes: list[npt.NDArray[np.int64]] = []
    for col in keys_t:
        order = np.argsort(col)
        sk = col[order]
        same = sk[1:] == sk[:-1]
        if not same.any():
            continue
        run_start = np.flatnonzero(np.concatenate(([True], ~same)))
        run_end = np.concatenate((run_start[1:], [n]))
        size_of = run_end - run_start
        pairs2 = run_start[size_of == 2]  # the common case, vectorized
        if len(pairs2):
            lo = np.minimum(order[pairs2], order[pairs2 + 1]).astype(np.int64)
            hi = np.maximum(order[pairs2], order[pairs2 + 1]).astype(np.int64)
            codes.append(lo * n + hi)
        big = size_of > 2
        for start, end in zip(run_start[big].tolist(), run_end[big].tolist(), strict=True):
            members = np.sort(order[start:end])
            size = end - start
            if max_bucket and size > max_bucket:
                first = np.full(size - 1, members[0], dtype=np.int64)
                codes.append(first * n + members[1:])
            else:
                iu, ju = np.triu_indices(size, 1)
                codes.append(members[iu].astype(np.int64) * n + members[ju])
    return codes


def _codes_to_pairs(codes: list[npt.NDArray[np.int64]], n: int) -> npt.NDArray[np.int64]:
    if not codes:
        return np.zeros((0, 2), dtype=np.int64)
    unique = np.unique(np.concatenate(codes))
    return np.stack([unique // n, unique % n], axis=1).astype(np.int64)


def lsh_candidate_pairs(
    signatures: U32,
    bands: int,
    rows: int,
    pairings: int = 1,
    max_bucket: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> npt.NDArray[np.int64]:
    """Stages 3 and 4 for several pairings: the candidate pairs (as
    :func:`candidate_pairs_from_band_keys`) of ``signatures`` banded ``(bands, rows)`` in
    each column order of :func:`pairing_orders` ``(num_perm, pairings)``. Equal to the
    union over those orders of ``candidate_pairs_from_band_keys(band_keys_batch(
    signatures[:, order], bands, rows), max_bucket)``, without the copies."""
    sig = np.asarray(signatures, dtype=np.uint32)
    n = sig.shape[0]
    sig_t = np.ascontiguousarray(sig.T)
    orders = pairing_orders(sig.shape[1], pairings)
    codes: list[npt.NDArray[np.int64]] = []
    for done, order in enumerate(orders, 1):
        codes.extend(pair_codes(_band_keys_t(sig_t[order], bands, rows), max_bucket, n))
        if progress is not None:
            progress(done, len(orders))
    return _codes_to_pairs(codes, n)


def candidate_pairs_from_band_keys(keys: U64, max_bucket: int = 0) -> npt.NDArray[np.int64]:
    """Stage 4: unique index pairs ``(i, j)``, ``i < j``, sharing at least one band key,
    as an ``(m, 2)`` array sorted lexicographically.

    A bucket of ``s`` documents contributes its ``s - 1`` pairs with its smallest index
    when ``s > max_bucket > 0`` (hot buckets: one representative edge each, not s²)."""
    keys = np.asarray(keys, dtype=np.uint64)
    n = keys.shape[0]
    return _codes_to_pairs(pair_codes(np.ascontiguousarray(keys.T), max_bucket, n), n)


# --- stage 6: clustering ---------------------------------------------------------------


def _roots(n: int, ia: list[int], ib: list[int]) -> list[int]:
    # Union-find with path halving over dense indices 0..n-1; the root of a component is
    # its smallest index (the smaller root always wins a union).
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in zip(ia, ib, strict=True):
        ri, rj = find(i), find(j)
        if ri != rj:
            if ri < rj:
                parent[rj] = ri
            else:
                parent[ri] = rj
    return [find(i) for i in range(n)]


def connected_components(n: int, edges: Iterable[tuple[int, int]]) -> I64:
    """Stage 6: component label of each of ``n`` nodes: the smallest node index in its
    component (union-find with path halving)."""
    ia: list[int] = []
    ib: list[int] = []
    for i, j in edges:
        ia.append(int(i))
        ib.append(int(j))
    return np.array(_roots(n, ia, ib), dtype=np.int64)


def union_find(a: npt.ArrayLike, b: npt.ArrayLike) -> tuple[I64, I64]:
    """Connected components of an edge list ``a[k] -- b[k]`` with arbitrary ``int64`` node
    ids: ``(nodes, roots)``, every node that appears in an edge (sorted) and the smallest
    node of its component (:func:`connected_components` on the dense indices)."""
    x = np.asarray(a, dtype=np.int64)
    y = np.asarray(b, dtype=np.int64)
    nodes, inverse = np.unique(np.concatenate([x, y]), return_inverse=True)
    # Dense indices are in node order, so the smallest index is the smallest node.
    roots = np.array(
        _roots(nodes.size, inverse[: x.size].tolist(), inverse[x.size :].tolist()),
        dtype=np.int64,
    )
    return nodes, nodes[roots]
