"""Stage 2: MinHash signatures of shingle sets, bit for bit datasketch's ``affine32``
``MinHash`` values, computed over whole batches with numpy; and the fused path from texts
straight to signatures.

Every work array is allocated by the call; the cached permutations are read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from .shingles import (
    REWRITE_TIER,
    U32,
    U64,
    gram_hashes,
    ngram_hashes,
    text_hashes,
)

__all__ = [
    "DEFAULT_NUM_PERM",
    "DEFAULT_SEED",
    "cache_slices",
    "ngram_flat",
    "permutations",
    "signature_batch",
    "signatures_from_flat",
    "signatures_from_hashes",
    "signatures_from_texts",
    "to_minhash",
]

DEFAULT_NUM_PERM = 128
DEFAULT_SEED = 1


@cache
def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """datasketch's ``affine32`` permutation parameters ``(a, b)`` for ``num_perm`` and
    ``seed`` (cached, read-only)."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    a32 = np.array(a, dtype=np.uint32)
    b32 = np.array(b, dtype=np.uint32)
    # Shared by every caller and thread: read-only, so no caller can change them.
    a32.flags.writeable = False
    b32.flags.writeable = False
    return a32, b32


def _fmix32(h: U32) -> U32:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    result: U32 = h ^ (h >> np.uint32(16))
    return result


_SIG_BLOCK = 8192  # shingles per block: a (num_perm x block) uint32 matrix stays in cache


def signature_batch(
    shingles: Sequence[U32], num_perm: int = DEFAULT_NUM_PERM, seed: int = DEFAULT_SEED
) -> U32:
    """Stage 2: MinHash signatures, shape ``(len(shingles), num_perm)``, ``uint32``.

    Row ``i`` equals ``datasketch.MinHash(num_perm, seed, scheme="affine32",
    hashfunc=int)`` updated with ``shingles[i]``: datasketch's own permutations, applied
    to whole blocks of shingles at once. An empty set gives the all-max signature, as in
    datasketch.
    """
    sizes = np.array([len(s) for s in shingles], dtype=np.int64)
    flat = (
        np.concatenate([np.asarray(s, dtype=np.uint32) for s in shingles])
        if len(shingles)
        else np.zeros(0, dtype=np.uint32)
    )
    return _signatures_flat(flat, sizes, num_perm, seed)


def _signatures_flat(flat: U32, sizes: npt.NDArray[np.int64], num_perm: int, seed: int) -> U32:
    # Signatures of consecutive runs of ``flat`` (run i has sizes[i] shingles), in blocks
    # of about _SIG_BLOCK shingles: a (num_perm, block) matrix, then a min per run.
    a, b = permutations(num_perm, seed)
    a2, b2 = a[:, None], b[:, None]
    count = len(sizes)
    out = np.full((count, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    offsets = np.concatenate(([0], np.cumsum(sizes))).tolist()
    size_list = sizes.tolist()
    # A text of more than a block is reduced block by block (a running minimum), so the
    # work matrix never exceeds num_perm x _SIG_BLOCK values whatever the text's length.
    nonempty = [r for r in range(count) if 0 < size_list[r] <= _SIG_BLOCK]
    buffer = np.empty(num_perm * _SIG_BLOCK, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for r in range(count):
            if size_list[r] <= _SIG_BLOCK:
                continue
            for lo in range(offsets[r], offsets[r + 1], _SIG_BLOCK):
                hi = min(lo + _SIG_BLOCK, offsets[r + 1])
                phv = buffer[: num_perm * (hi - lo)].reshape(num_perm, hi - lo)
                np.multiply(a2, _fmix32(flat[lo:hi].astype(np.uint32, copy=False)), out=phv)
                np.add(phv, b2, out=phv)
                np.minimum(out[r], phv.min(axis=1), out=out[r])
        i = 0
        while i < len(nonempty):
            j = i + 1
            lo = offsets[nonempty[i]]
            while j < len(nonempty) and offsets[nonempty[j] + 1] - lo <= _SIG_BLOCK:
                j += 1
            rows = nonempty[i:j]
            hi = offsets[rows[-1] + 1]
            total = hi - lo
            phv = buffer[: num_perm * total].reshape(num_perm, total)
            np.multiply(a2, _fmix32(flat[lo:hi].astype(np.uint32, copy=False)), out=phv)
            np.add(phv, b2, out=phv)
            starts = [offsets[r] - lo for r in rows]
            out[rows] = np.minimum.reduceat(phv, starts, axis=1).T
            i = j
    return out


_SLICE_CHARS = 192_000  # characters per slice: its uint64 work arrays fit in a 2 MB L2


def cache_slices(lengths: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` ranges of texts of about :data:`_SLICE_CHARS`
    characters each (a longer text is a slice of its own)."""
    slices = []
    lo = 0
    size = 0
    for i, length in enumerate(lengths):
        if size and size + length > _SLICE_CHARS:
            slices.append((lo, i))
            lo, size = i, 0
        size += length
    slices.append((lo, len(lengths)))
    return slices


def signatures_from_texts(
    texts: Sequence[str],
    n: int = REWRITE_TIER.n,
    num_perm: int = DEFAULT_NUM_PERM,
    seed: int = DEFAULT_SEED,
    *,
    normalized: bool = False,
) -> U32:
    """Stages 1 and 2 fused: texts to MinHash signatures of their word ``n``-grams,
    equal to ``signature_batch(shingle_batch(texts, n))`` but skipping the
    de-duplication of shingles (a minimum does not need it).

    Large batches are processed in slices of about :data:`_SLICE_CHARS` characters, so
    the stage's uint64 work arrays stay in the CPU cache."""
    if len(texts) > 1:
        slices = cache_slices([len(t) for t in texts])
        if len(slices) > 1:
            return np.concatenate(
                [
                    signatures_from_texts(texts[lo:hi], n, num_perm, seed, normalized=normalized)
                    for lo, hi in slices
                ]
            )
    th, counts = text_hashes(texts, normalized)
    return signatures_from_hashes(th, counts, n, num_perm, seed)


def ngram_flat(th: U64, counts: npt.NDArray[np.int64], n: int) -> tuple[U32, npt.NDArray[np.int64]]:
    """The ``uint32`` word ``n``-gram hashes of a batch in text order, repeats included,
    as one flat array and the count per text (as :func:`ngram_hashes` with
    ``unique=False``, concatenated)."""
    if len(th) < n or ((counts > 0) & (counts < n)).any():
        parts = ngram_hashes(th, counts, n, unique=False)
        sizes = np.array([len(p) for p in parts], dtype=np.int64)
        flat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
        return flat.astype(np.uint32, copy=False), sizes
    # Every text has no tokens or at least n: the n-grams of the whole batch at once,
    # minus those crossing from one text into the next, in one flat array.
    m = len(th) - n + 1
    g32 = gram_hashes(th, n)
    text_end = np.repeat(np.cumsum(counts), counts)[:m]
    flat = g32[np.arange(n, m + n) <= text_end]
    return flat, np.maximum(counts - n + 1, 0)


def signatures_from_hashes(
    th: U64, counts: npt.NDArray[np.int64], n: int, num_perm: int, seed: int
) -> U32:
    """Stage 2 from :func:`text_hashes` output: the MinHash signatures of each text's
    word ``n``-grams."""
    flat, sizes = ngram_flat(th, counts, n)
    return signatures_from_flat(flat, sizes, num_perm, seed)


def signatures_from_flat(flat: U32, sizes: npt.NDArray[np.int64], num_perm: int, seed: int) -> U32:
    """Stage 2 from :func:`ngram_flat` output (shingles of consecutive texts in one
    array)."""
    return _signatures_flat(flat, sizes, num_perm, seed)


def to_minhash(signature: U32, seed: int = DEFAULT_SEED) -> Any:
    """A ``datasketch.LeanMinHash`` with these hash values (usable with its LSH classes)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=signature, scheme="affine32")
