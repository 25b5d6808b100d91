"""Stage 5 for many pairs at once: shared shingle counts and verdicts as array code.

:func:`shared_counts` gives, for every pair of a batch, what :func:`.shingles.count_shared`
gives for one; :func:`judge_batch` gives, for every pair, what :func:`.verify.judge` gives
for one (the same verdict, the same score to the last bit, the same containing side).
Both plain functions stay the reference the tests compare these with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from ..vocab import VERDICTS
from .bags import BAG_FLOOR, BAG_MIN_SHARED
from .verify import Thresholds

__all__ = [
    "BITMAP_BITS",
    "SIDES",
    "VERDICT_CODES",
    "TopBitMaps",
    "containments_reaching",
    "judge_batch",
    "shared_counts",
    "shared_upper_bounds",
    "top_bit_maps",
]

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]
Sets = Sequence[npt.NDArray[np.unsignedinteger]] | Mapping[int, npt.NDArray[np.unsignedinteger]]

VERDICT_CODES: tuple[str, ...] = tuple(VERDICTS)
"""The verdict of code ``k`` of :func:`judge_batch` is ``VERDICT_CODES[k]``."""

SIDES: tuple[str | None, ...] = (None, "a", "b")
"""The containing side of code ``k`` of :func:`judge_batch` is ``SIDES[k]``."""

_CODE = {v: k for k, v in enumerate(VERDICT_CODES)}


def shared_counts(sets: Sets, pairs: I64) -> I64:
    """For every row ``(i, j)`` of ``pairs`` (an ``(m, 2)`` integer array), how many
    values the sorted unique arrays ``sets[i]`` and ``sets[j]`` (of one unsigned dtype)
    have in common: :func:`.shingles.count_shared` of each pair, into one array.

    Each pair is still one merge of its two sorted arrays (a stable sort of the two end
    to end, then equal neighbours counted): that is sequential, cache-friendly work, and
    on the crawl corpus it beat grouping the pairs by document and looking the partners
    up in a table of marked buckets (random reads) and merging many pairs in one sort of
    tagged values (docs/crawl_benchmark.md, "Session 10"). What is saved here is the
    per-pair Python around it: no similarity object and no verdict per pair until
    :func:`judge_batch` has decided them all."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out = np.zeros(len(pairs), dtype=np.int64)
    equal = np.equal
    for k, (i, j) in enumerate(pairs.tolist()):
        a = sets[i]
        b = sets[j]
        if len(a) and len(b):
            both = np.concatenate((a, b))
            both.sort(kind="stable")
            out[k] = np.count_nonzero(equal(both[1:], both[:-1]))
    return out


BITMAP_BITS = 15
"""Bits of :func:`top_bit_maps`' bitmaps (4 KB each): a value sets the bit its top
``BITMAP_BITS`` bits number."""

_MAP_GROUP = 8  # arrays marked per boolean table of top_bit_maps (8 x 32 KB)
_BOUND_CHUNK = 512  # pairs per step of shared_upper_bounds (two 2 MB gathers)


def top_bit_maps(arrays: Sequence[npt.NDArray[np.uint64]]) -> tuple[U64, I64]:
    """For each ``uint64`` array of ``arrays`` (sorted unique values), a bitmap of
    ``2**BITMAP_BITS`` bits with bit ``b`` set when one of its values has top bits ``b``
    (a row of ``uint64`` words), and how many of its values find their bit already set
    by another of its values (its size minus its bitmap's popcount)."""
    words = 1 << (BITMAP_BITS - 6)
    maps = np.zeros((len(arrays), words), dtype=np.uint64)
    shift = np.uint64(64 - BITMAP_BITS)
    table = np.zeros((min(_MAP_GROUP, len(arrays)), 1 << BITMAP_BITS), dtype=np.bool_)
    for lo in range(0, len(arrays), _MAP_GROUP):
        part = arrays[lo : lo + _MAP_GROUP]
        table[: len(part)] = False
        for row, values in enumerate(part):
            table[row, (np.asarray(values, dtype=np.uint64) >> shift).astype(np.intp)] = True
        packed = np.packbits(table[: len(part)], axis=1, bitorder="little")
        maps[lo : lo + len(part)] = packed.view(np.uint64)
    sizes = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    repeats = sizes - _row_popcounts(maps)
    return maps, repeats


# Set bits per byte value, for numpy before 2.0 (no np.bitwise_count).
_BYTE_BITS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).sum(axis=1)


def _row_popcounts(words: U64) -> I64:
    """The set bits of each row of the 2-D ``uint64`` array ``words``."""
    if not hasattr(np, "bitwise_count"):
        return _row_popcounts_by_bytes(words)
    counted: I64 = np.bitwise_count(words).sum(axis=1, dtype=np.int64)
    return counted


def _row_popcounts_by_bytes(words: U64) -> I64:
    """:func:`_row_popcounts` by a table of each byte's bits (numpy before 2.0)."""
    counted: I64 = _BYTE_BITS[np.ascontiguousarray(words).view(np.uint8)].sum(
        axis=1, dtype=np.int64
    )
    return counted


class TopBitMaps:
    """:func:`top_bit_maps` of arrays known by integer keys, each computed once and kept
    in one growing table: a corpus run asks for the same documents' maps block after
    block. One run's own cache, never shared between threads."""

    def __init__(self) -> None:
        self._row: dict[int, int] = {}
        self._maps = np.zeros((0, 1 << (BITMAP_BITS - 6)), dtype=np.uint64)
        self._repeats = np.zeros(0, dtype=np.int64)

    def lookup(self, sets: Sets, keys: list[int]) -> tuple[U64, I64, I64]:
        """``(maps, repeats, rows)``: the table, each row's repeat count, and the row of
        each key of ``keys`` (the maps of ``sets[key]``, computed for keys not seen
        before)."""
        new = [k for k in dict.fromkeys(keys) if k not in self._row]
        if new:
            maps, repeats = top_bit_maps([sets[k] for k in new])
            used = len(self._row)
            if used + len(new) > len(self._maps):
                size = max(used + len(new), 2 * len(self._maps))
                grown = np.zeros((size, self._maps.shape[1]), dtype=np.uint64)
                grown[:used] = self._maps[:used]
                more = np.zeros(size, dtype=np.int64)
                more[:used] = self._repeats[:used]
                self._maps, self._repeats = grown, more
            self._maps[used : used + len(new)] = maps
            self._repeats[used : used + len(new)] = repeats
            self._row.update(zip(new, range(used, used + len(new)), strict=True))
        rows = np.fromiter((self._row[k] for k in keys), dtype=np.int64, count=len(keys))
        return self._maps, self._repeats, rows


def shared_upper_bounds(sets: Sets, pairs: I64, cache: TopBitMaps | None = None) -> I64:
    """For every row ``(i, j)`` of ``pairs``, a number never below
    ``shared_counts(sets, pairs)``'s (``sets``: sorted unique ``uint64`` arrays), from
    the two :func:`top_bit_maps`: the bits set in both, plus the smaller of the two
    counts of values whose bit another value of their own array had set. ``cache``
    keeps the maps for later calls on the same ``sets``.

    Why it bounds: group each array's values by their top bits. A shared value lies in a
    group that both arrays occupy, and a group holds at most as many shared values as
    the smaller of its two counts; that is 1 plus the group's extra values in either
    array, and the extra values of all groups of one array are its repeated bits. No
    hashing is assumed: it holds for any values. It reads two 4 KB bitmaps per pair
    instead of merging two arrays of thousands of values."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return out
    docs, inverse = np.unique(pairs, return_inverse=True)
    maps, repeats, rows = (cache or TopBitMaps()).lookup(sets, docs.tolist())
    at = rows[inverse.reshape(pairs.shape)]
    chunk = min(_BOUND_CHUNK, len(pairs))
    left = np.empty((chunk, maps.shape[1]), dtype=np.uint64)
    right = np.empty_like(left)
    for lo in range(0, len(pairs), chunk):
        hi = min(lo + chunk, len(pairs))
        k = hi - lo
        np.take(maps, at[lo:hi, 0], axis=0, out=left[:k])
        np.take(maps, at[lo:hi, 1], axis=0, out=right[:k])
        np.bitwise_and(left[:k], right[:k], out=left[:k])
        out[lo:hi] = _row_popcounts(left[:k])
    out += np.minimum(repeats[at[:, 0]], repeats[at[:, 1]])
    return out


def containments_reaching(
    sets: Sets, pairs: I64, threshold: float, cache: TopBitMaps | None = None
) -> F64:
    """For every row ``(i, j)`` of ``pairs``: the shared values of ``sets[i]`` and
    ``sets[j]`` (sorted unique ``uint64`` arrays) over the smaller array's size (0 when
    either is empty) where that can reach ``threshold``, else 0.0. Compared with
    ``threshold``, every value gives the answer the exact containment gives: a pair
    whose :func:`shared_upper_bounds` over the same size stays under ``threshold``
    cannot reach it (the same correctly rounded division of a larger numerator), and
    only the other pairs are merged. ``cache``: as for :func:`shared_upper_bounds`."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    values = np.zeros(len(pairs), dtype=np.float64)
    if not len(pairs):
        return values
    la, lb = (np.fromiter((len(sets[d]) for d in col), np.int64) for col in pairs.T.tolist())
    smaller = np.minimum(la, lb)
    bound = np.zeros(len(pairs), dtype=np.float64)
    np.divide(shared_upper_bounds(sets, pairs, cache), smaller, out=bound, where=smaller > 0)
    need = np.flatnonzero(bound >= threshold)
    if len(need):
        exact = np.zeros(len(need), dtype=np.float64)
        at = smaller[need]
        np.divide(shared_counts(sets, pairs[need]), at, out=exact, where=at > 0)
        values[need] = exact
    return values


def _ratio(num: I64, den: I64) -> F64:
    # num / den as Python's true division of two ints gives it (both below 2**53, so
    # exact as doubles, and one correctly rounded division), 0.0 where den is 0.
    out = np.zeros(len(num), dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    return out


def judge_batch(
    near: tuple[I64, I64, I64],
    rewrite: tuple[I64, I64, I64],
    identical: npt.NDArray[np.bool_],
    thresholds: Thresholds,
    bag: Callable[[npt.NDArray[np.bool_]], F64] | None = None,
) -> tuple[npt.NDArray[np.int8], F64, npt.NDArray[np.int8]]:
    """:func:`.verify.judge` of many pairs, from each tier's ``(shared, size_a, size_b)``
    count arrays: verdict codes (:data:`VERDICT_CODES`), scores, and side codes
    (:data:`SIDES`). ``bag(mask)`` returns the content-pair containment of the pairs
    selected by ``mask`` (in order), or any value on the same side of
    ``thresholds.rewrite_bag`` (it is only compared with it: see
    :func:`containments_reaching`); it is called once, for exactly the pairs for which
    ``judge`` would call its ``bag``, and not at all when there are none."""
    n_sh, n_a, n_b = (np.asarray(x, dtype=np.int64) for x in near)
    r_sh, r_a, r_b = (np.asarray(x, dtype=np.int64) for x in rewrite)
    m = len(n_sh)
    n_ab, n_ba = _ratio(n_sh, n_a), _ratio(n_sh, n_b)
    r_ab, r_ba = _ratio(r_sh, r_a), _ratio(r_sh, r_b)
    n_j = _ratio(n_sh, n_a + n_b - n_sh)
    r_j = _ratio(r_sh, r_a + r_b - r_sh)
    near_c = np.maximum(n_ab, n_ba)
    rw_c = np.maximum(r_ab, r_ba)
    score = np.minimum(1.0, np.maximum(np.maximum(near_c, rw_c), np.maximum(n_j, r_j)))
    verdict = np.full(m, _CODE["unrelated"], dtype=np.int8)
    side = np.zeros(m, dtype=np.int8)
    open_ = np.ones(m, dtype=bool)  # not decided yet, in judge's order of tests

    def decide(mask: npt.NDArray[np.bool_], code: str) -> npt.NDArray[np.bool_]:
        hit = open_ & mask
        verdict[hit] = _CODE[code]
        open_[hit] = False
        return hit

    no_words = ((n_a == 0) & (r_a == 0)) | ((n_b == 0) & (r_b == 0))
    score[decide(no_words, "unrelated")] = 0.0
    score[decide(np.asarray(identical, dtype=bool), "identical")] = 1.0
    decide(n_j >= thresholds.near_jaccard, "near_copy")
    hit = decide(near_c >= thresholds.near_containment, "excerpt")
    side[hit] = np.where(n_ab[hit] >= n_ba[hit], 2, 1)
    shared_passage = (r_j >= thresholds.rewrite_jaccard) | (rw_c >= thresholds.rewrite_containment)
    beyond = _ratio(np.maximum(0, r_sh - n_sh), np.minimum(r_a, r_b))
    decide(shared_passage & (beyond >= thresholds.rewrite_beyond_copy), "rewrite")
    if bag is not None:
        asked = open_ & (rw_c >= BAG_FLOOR) & (r_sh >= BAG_MIN_SHARED)
        if asked.any():
            values = np.zeros(m, dtype=np.float64)
            values[asked] = bag(asked)
            decide(asked & (values >= thresholds.rewrite_bag), "rewrite")
    decide(shared_passage, "excerpt")
    return verdict, score, side
