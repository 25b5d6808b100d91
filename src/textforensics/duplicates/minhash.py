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


# datasketch's affine32 parameters for the defaults (128 permutations, seed 1) as
# little-endian uint32 hex: datasketch is imported only for other settings, since its
# import (with scipy's) costs about 0.8 CPU-seconds, a fifth of find_duplicates on 3,000
# documents without stripping. tests/test_duplicates.py checks them against datasketch.
_KNOWN_PERMUTATIONS: dict[tuple[int, int], tuple[str, str]] = {
    (128, 1): (
        "4be883d5d7018ffe195fce70912878ddfffd0e00138799419755cb9a0b3d82ff9f96234b81a7e078"
        "2101472f03a10ccb997f5d5f8f3c9cc6db55edb0f9f3e8560d1b25cb33fafede65c9df1329aa4fb1"
        "fda9a0d6cb6265a02517d55ea993910c17f7ad68f9410ce3d59b98c139258b753bbf050e1db39e11"
        "6584475789d4f2d3aff9a8d5afbf16ead3970c1ee38584dcefcbe047bd5bd5e0c18e6d65ad08898e"
        "1b31fb99d3af936e13fbbfef0f08039b7f2279a07b96832f2d1c7862734a4b090314b6c001efe3ba"
        "79e209caa3f185a811ea8a2bb1c5c1a81bfdfe13e734cd8b5f03f456d51f551ef3e49bc191734f57"
        "3d845a328f48a62f076b9bd78d0be3572b7f70ea63dcd5d2730afb100764256589b73d6231564a94"
        "e3438ba157f8c348990c7d5f35980e91690e54aba14a38d3db145d09e7e67e1153ea1280a5db803f"
        "1f004cfa81d83e5289910f7f3360d498df5a968fc5bd6be4af6b1c940f4fba71350ada3433fd8f25"
        "d14c52e52d0840f0136e33d1877d3d31cf975496fd8886ce2f4a5793fbda2d3dc91a93423781b20c"
        "4b77ea0973a2d02aa754905b4dd96ed511855a6c414a26d245bbf587155e0d992f7aaffb1f0d352b"
        "df55521baf38bf2133bef2258f1f563ae701204bb90abfe99574b92d7d099f855dba466641a74776"
        "b12d65342f2920116f25ffd3834a5ee6e36a88639b4e72fc074e0fd40197c914",
        "f8bfc90cfdd4f6c3cd81308906c79b0b3472eea9d5d1d423c6c5cf8302f6daca4cf6d0f1db0fa107"
        "95782896cb8214e2075945e74d18718ac88a31234bd4ae724c9da7232b0463e41432b1ce1e5ea960"
        "2426ce656733d68907a7542a2d0ffda6c43371ed399a7b5cf02e0759fc9d2d92d23835c0604049a3"
        "0d01dbb90a2c5620175920e27c3fb1b051fba89f87e7d2a579c33dc098c09b5aca665159dc3d63c3"
        "94fe1945a0a9455b8ccc58e5c1bcb6c05e62976d3c9e9fe1e9c1fff698c0fc02524dd7a97313847f"
        "6173279f8208e412ecfd5f1ddca675c967ba11f362b766100a712d73b69ef55a60571194e9391cf1"
        "52a77b68d6c93a61c6ccad3cc2ba4ec347e143e7e73f87c5b0a8dc9236f6254d0f1cbc00853bd2c5"
        "9135fd9daa68262714009f53765a2194b047ed8616594e02e519cde28dcf83b5f107765b72ea7b78"
        "61c295e8b556bcc35487949f0a0ca77760dc0c04b740dd443d99efed38cee9d4d99edeb095a1238d"
        "e78c50ff60dcf011f9811e2cd31ff47819541b23f1d525be8e93beee8d082431d4ac62b2741edd76"
        "2b63e510860ef93acd0666c1b8821c82bb07fec08fbb643518564becfb339f0c897c26b6c221d484"
        "c738d01f356f1a2c45dd1605a4c9746565c3b506f84a7c1b15183f0728ed82824db0073fdb88251a"
        "b1ca2adc7169e9492fd5f089cd85543ba8bd858dce15b9f72d568fd757e73f47",
    ),
}


@cache
def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """datasketch's ``affine32`` permutation parameters ``(a, b)`` for ``num_perm`` and
    ``seed`` (cached, read-only)."""
    known = _KNOWN_PERMUTATIONS.get((num_perm, seed))
    if known is not None:
        a32 = np.frombuffer(bytes.fromhex(known[0]), dtype="<u4").astype(np.uint32)
        b32 = np.frombuffer(bytes.fromhex(known[1]), dtype="<u4").astype(np.uint32)
    else:
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
