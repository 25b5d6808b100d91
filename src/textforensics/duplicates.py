"""Near-duplicate and rewrite detection: shingles, MinHash signatures, LSH, verification,
clusters, an incremental index, and the evidence (aligned passages).

Two tiers of shingles are computed on the normalized text (:func:`text.matching_form`):

- the **near-copy tier**, word 5-grams: high Jaccard means copied text;
- the **rewrite tier**, word 3-grams: a rewritten story keeps many short phrases (names,
  places, quotes) while unrelated articles on the same topic share almost none.

Both similarities are computed exactly for a verdict; MinHash signatures and LSH only
propose candidates. Thresholds were calibrated with ``scripts/calibrate_duplicates.py``
(see ``docs/duplicates.md``).

The stages are public pure functions over batches with plain data in and out, so that a
distributed engine can run them (Ray, Spark):

1. :func:`shingle_batch` texts -> sorted unique ``uint32`` shingle hashes per text
   (plus :func:`token_digest_batch` for exact "identical" detection);
2. :func:`signature_batch` shingle arrays -> ``(n, num_perm)`` ``uint32`` signatures,
   bit-for-bit datasketch ``MinHash`` values (scheme ``affine32``);
3. :func:`band_keys_batch` signatures -> ``(n, bands)`` ``uint64`` band keys;
4. :func:`candidate_pairs_from_band_keys` band keys -> candidate index pairs;
5. :func:`verify_pairs` shingle arrays + pairs -> verdicts and scores;
6. :func:`connected_components` edges -> component labels.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import pickle
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import regex

from .results import (
    AlignedPassage,
    Comparison,
    DuplicateCluster,
    DuplicatePair,
    DuplicateReport,
    IndexMatch,
    TierSimilarity,
)
from .text import (
    PUNCTUATION_MAP,
    LineIndex,
    fold_non_ascii_confusables,
    iter_sentences,
    matching_form,
    nfkc,
    remove_default_ignorables,
    replace_lone_surrogates,
    tokens,
)
from .vocab import VERDICTS

__all__ = [
    "DEFAULT_NUM_PERM",
    "DEFAULT_SEED",
    "DEFAULT_THRESHOLDS",
    "NEAR_COPY_TIER",
    "PASSAGE_THRESHOLD",
    "REWRITE_PAIRINGS",
    "REWRITE_TIER",
    "VERDICTS",
    "DuplicateIndex",
    "Thresholds",
    "Tier",
    "band_keys_batch",
    "candidate_pairs_from_band_keys",
    "classify",
    "compare",
    "connected_components",
    "find_duplicates",
    "lsh_candidate_pairs",
    "lsh_params",
    "main_texts",
    "multi_shingle_batch",
    "pairing_orders",
    "prepare_batch",
    "shingle_batch",
    "shingle_form",
    "signature_batch",
    "signatures_from_texts",
    "tier_similarity",
    "to_minhash",
    "token_digest_batch",
    "verify_pairs",
]


DEFAULT_NUM_PERM = 128
DEFAULT_SEED = 1

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Tier:
    """A shingle tier: word ``n``-grams of the normalized text, and the Jaccard threshold
    its LSH index is tuned for when generating candidates in a large corpus."""

    name: str
    n: int
    lsh_threshold: float

    @property
    def unit(self) -> str:
        return f"word {self.n}-grams"


NEAR_COPY_TIER = Tier("near_copy", 5, 0.5)
REWRITE_TIER = Tier("rewrite", 3, 0.1)


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

# --- stage 1: normalize and shingle ----------------------------------------------------

_NON_WORD_RE = regex.compile(r"[^\w]+")
_P = np.uint64(0x100000001B3)  # odd multiplier of the byte polynomial hash
_P_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_Q = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier combining token hashes into n-grams
_WORD_BYTES = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
    _WORD_BYTES[_c] = True
_WORD_BYTES[0x80:] = True  # bytes of non-ASCII characters (only word characters remain)
_LOWER_TABLE = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_WORD_TABLE = bytes(_WORD_BYTES.astype(np.uint8))


def shingle_form(text: str) -> str:
    """The text as shingling sees it: the words of :func:`text.matching_form`, where
    ASCII letters may still be upper case (the hasher lower-cases ASCII bytes) and every
    non-word character outside ASCII is a space.

    ``tokens(shingle_form(t).lower())`` equals ``tokens(matching_form(t))`` (tested). Only
    the runs of non-ASCII characters (with the ASCII character before each, which a
    combining mark may compose with) go through the full normalization, so mostly-ASCII
    text costs little more than ASCII.
    """
    if text.isascii():
        return text
    pieces = []
    pos = 0
    cache = _RUN_CACHE
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    where = np.flatnonzero(cps > 127)
    breaks = np.flatnonzero(np.diff(where) > 1)
    run_starts = where[np.concatenate(([0], breaks + 1))].tolist()
    run_ends = (where[np.concatenate((breaks, [len(where) - 1]))] + 1).tolist()
    for start, end in zip(run_starts, run_ends, strict=True):
        if start > pos:
            start -= 1  # the ASCII character before the run (a mark may compose with it)
            pieces.append(text[pos:start])
        run = text[start:end]
        form = cache.get(run)
        pieces.append(_run_form(run) if form is None else form)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


_RUN_CACHE: dict[str, str] = {}


def _run_form(run: str) -> str:
    # matching_form's character-level steps without its whitespace trimming, so the
    # run's boundaries with the surrounding ASCII text stay as they were.
    form = _RUN_CACHE.get(run)
    if form is None:
        t = replace_lone_surrogates(run)
        t = remove_default_ignorables(nfkc(t)).casefold().translate(PUNCTUATION_MAP)
        t = fold_non_ascii_confusables(t)  # in NFC
        form = _NON_WORD_RE.sub(" ", t)
        if len(_RUN_CACHE) > 100_000:
            _RUN_CACHE.clear()
        _RUN_CACHE[run] = form
    return form


def _mix64(x: U64) -> U64:
    # splitmix64 finalizer: an avalanching bijection on uint64.
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    result: U64 = x ^ (x >> np.uint64(31))
    return result


class _Powers:
    """Cached powers of the byte-hash multiplier and of its inverse (mod 2**64)."""

    def __init__(self) -> None:
        self.pow: U64 = np.ones(1, dtype=np.uint64)
        self.inv: U64 = np.ones(1, dtype=np.uint64)
        self._work: U64 = np.zeros(0, dtype=np.uint64)

    def workspace(self, n: int) -> U64:
        """A reusable uint64 scratch array of at least ``n`` elements (not thread-safe:
        one per process, as the batch functions run one at a time per process)."""
        if len(self._work) < n:
            self._work = np.empty(max(n, 2 * len(self._work)), dtype=np.uint64)
        return self._work[:n]

    def ensure(self, n: int) -> None:
        if len(self.pow) >= n:
            return
        size = max(n, 2 * len(self.pow), 1 << 16)
        with np.errstate(over="ignore"):
            p = np.full(size, _P, dtype=np.uint64)
            p[0] = 1
            self.pow = np.cumprod(p, dtype=np.uint64)
            q = np.full(size, _P_INV, dtype=np.uint64)
            q[0] = 1
            self.inv = np.cumprod(q, dtype=np.uint64)


_POWERS = _Powers()


def _joined_forms(texts: Sequence[str]) -> tuple[bytes, list[int]]:
    """The shingle forms of a batch of texts as one UTF-8 byte string ``b" " + form_0 +
    b" " + form_1 + ... + b" "`` and each form's length in bytes: :func:`shingle_form`
    applied to the whole batch at once (one scan for non-ASCII runs, no per-text numpy
    calls, no decoding and re-encoding of the ASCII text)."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    lengths = [len(e) for e in encoded]
    joined = b" " + b" ".join(encoded) + b" "
    if joined.isascii():
        return joined, lengths
    raw = np.frombuffer(joined, dtype=np.uint8)
    where = np.flatnonzero(raw > 127)
    breaks = np.flatnonzero(where[1:] != where[:-1] + 1)
    run_starts = where[np.concatenate(([0], breaks + 1))]
    run_ends = where[np.concatenate((breaks, [len(where) - 1]))] + 1
    # Each text starts after its separator; a run not at a text's start takes the ASCII
    # character before it (a combining mark may compose with it).
    text_starts = np.cumsum([1] + [n + 1 for n in lengths[:-1]])
    doc = np.searchsorted(text_starts, run_starts, side="right") - 1
    extend = run_starts != text_starts[doc]
    run_starts = run_starts - extend
    lengths = list(lengths)
    pieces = []
    pos = 0
    cache = _RUN_CACHE_BYTES
    for start, end, d in zip(run_starts.tolist(), run_ends.tolist(), doc.tolist(), strict=True):
        pieces.append(joined[pos:start])
        run = joined[start:end]
        form = cache.get(run)
        if form is None:
            form = _run_form(run.decode("utf-8", "surrogatepass")).encode("utf-8")
            if len(cache) > 100_000:
                cache.clear()
            cache[run] = form
        pieces.append(form)
        lengths[d] += len(form) - len(run)
        pos = end
    pieces.append(joined[pos:])
    return b"".join(pieces), lengths


_RUN_CACHE_BYTES: dict[bytes, bytes] = {}


def _text_hashes(texts: Sequence[str], normalized: bool) -> tuple[U64, npt.NDArray[np.int64]]:
    """:func:`_token_hashes` of the texts' shingle forms (``normalized``: the texts are
    shingle forms already)."""
    if normalized:
        encoded = [f.encode("utf-8", "surrogatepass") for f in texts]
        return _hash_joined(b" " + b" ".join(encoded) + b" ", [len(e) for e in encoded])
    return _hash_joined(*_joined_forms(texts))


def _token_hashes(forms: Sequence[str]) -> tuple[U64, npt.NDArray[np.int64]]:
    """64-bit hashes of all tokens of a batch of shingle forms, and per-text token counts.

    The batch is joined into one byte string; ASCII is lower-cased and word bytes are
    found with ``bytes.translate``; a token's hash is its polynomial byte hash (from
    prefix sums mod 2**64, made position-independent with inverse powers), mixed with
    its length by splitmix64.
    """
    return _text_hashes(forms, True)


def _hash_joined(joined: bytes, lengths: Sequence[int]) -> tuple[U64, npt.NDArray[np.int64]]:
    joined = joined.translate(_LOWER_TABLE)
    n = len(joined)
    word = np.frombuffer(joined.translate(_WORD_TABLE), dtype=np.bool_)
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    if not len(edges):
        return np.zeros(0, dtype=np.uint64), np.zeros(len(lengths), dtype=np.int64)
    starts = edges[0::2]
    ends = edges[1::2]
    _POWERS.ensure(n + 1)
    prefix = _POWERS.workspace(n + 1)
    with np.errstate(over="ignore"):
        prefix[0] = 0
        np.multiply(np.frombuffer(joined, dtype=np.uint8), _POWERS.pow[:n], out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
        th = prefix[ends] - prefix[starts]
        th *= _POWERS.inv[starts]
        th ^= (ends - starts).astype(np.uint64)
        th = _mix64(th)
    boundaries = np.cumsum(np.asarray(lengths, dtype=np.int64) + 1)
    counts = np.diff(np.concatenate(([0], np.searchsorted(starts, boundaries))))
    return th, counts.astype(np.int64)


def _ngram_hashes(th: U64, counts: npt.NDArray[np.int64], n: int, unique: bool = True) -> list[U32]:
    """Sorted unique uint32 hashes of word n-grams per text (a text with fewer than ``n``
    tokens, but at least one, is one shingle of all its tokens). With ``unique=False``
    the hashes come in text order, repeats included (enough for a MinHash)."""
    total = len(th)
    out: list[U32] = []
    if total == 0:
        return [np.zeros(0, dtype=np.uint32) for _ in counts]
    offsets = np.concatenate(([0], np.cumsum(counts)))
    with np.errstate(over="ignore"):
        m = total - n + 1
        if m > 0:
            g = th[:m].copy()
            for k in range(1, n):
                g = g * _Q + th[k : k + m]
            g32 = (_mix64(g) >> np.uint64(32)).astype(np.uint32)
        else:
            g32 = np.zeros(0, dtype=np.uint32)
        for i, c in enumerate(counts):
            start = int(offsets[i])
            if c >= n and not unique:
                out.append(g32[start : start + int(c) - n + 1])
            elif c >= n:
                sh = np.sort(g32[start : start + int(c) - n + 1])
                keep = np.empty(len(sh), dtype=bool)
                keep[0] = True
                np.not_equal(sh[1:], sh[:-1], out=keep[1:])
                out.append(sh[keep])
            elif c > 0:
                h = th[start].copy()
                for k in range(1, int(c)):
                    h = h * _Q + th[start + k]
                short = (_mix64(np.array([h], dtype=np.uint64)) >> np.uint64(32)).astype(np.uint32)
                out.append(short)
            else:
                out.append(np.zeros(0, dtype=np.uint32))
    return out


def shingle_batch(
    texts: Sequence[str], n: int = NEAR_COPY_TIER.n, *, normalized: bool = False
) -> list[U32]:
    """Stage 1: the sorted unique ``uint32`` hashes of the word ``n``-grams of each text.

    Texts are normalized with :func:`shingle_form` unless ``normalized`` is true.
    Hashing is deterministic (a polynomial byte hash and splitmix64 finalizers, not
    Python's salted ``hash``), so any process computes the same values.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    th, counts = _text_hashes(texts, normalized)
    return _ngram_hashes(th, counts, n)


def multi_shingle_batch(
    texts: Sequence[str], ns: Sequence[int], *, normalized: bool = False
) -> list[list[U32]]:
    """:func:`shingle_batch` for several ``n`` at once (tokens hashed once)."""
    th, counts = _text_hashes(texts, normalized)
    return [_ngram_hashes(th, counts, n) for n in ns]


def _analyze(forms: Sequence[str]) -> tuple[list[U32], list[U32], list[bytes]]:
    """Both tiers' shingles and the word-sequence digests of normalized forms."""
    th, counts = _token_hashes(forms)
    digests = _digests(th, counts)
    near = _ngram_hashes(th, counts, NEAR_COPY_TIER.n)
    rewrite = _ngram_hashes(th, counts, REWRITE_TIER.n)
    return near, rewrite, digests


def token_digest_batch(texts: Sequence[str], *, normalized: bool = False) -> list[bytes]:
    """A 16-byte digest of each text's normalized word sequence: equal digests mean
    identical wording (differences at most in case, punctuation, whitespace, hidden
    characters and look-alike letters)."""
    return _digests(*_text_hashes(texts, normalized))


def _digests(th: U64, counts: npt.NDArray[np.int64]) -> list[bytes]:
    """The 16-byte BLAKE2b digest of each text's run of token hashes."""
    offsets = np.concatenate(([0], np.cumsum(counts))).tolist()
    return [
        hashlib.blake2b(th[offsets[i] : offsets[i + 1]].tobytes(), digest_size=16).digest()
        for i in range(len(counts))
    ]


# --- stage 2: signatures ---------------------------------------------------------------


@cache
def _permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    return np.ascontiguousarray(a, dtype=np.uint32), np.ascontiguousarray(b, dtype=np.uint32)


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
    a, b = _permutations(num_perm, seed)
    a2, b2 = a[:, None], b[:, None]
    count = len(sizes)
    out = np.full((count, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    offsets = np.concatenate(([0], np.cumsum(sizes))).tolist()
    size_list = sizes.tolist()
    nonempty = [r for r in range(count) if size_list[r]]
    buffer = np.empty(num_perm * max(_SIG_BLOCK, max(size_list, default=0)), dtype=np.uint32)
    with np.errstate(over="ignore"):
        h_all = _fmix32(flat.astype(np.uint32, copy=False))
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
            np.multiply(a2, h_all[lo:hi], out=phv)
            np.add(phv, b2, out=phv)
            starts = [offsets[r] - lo for r in rows]
            out[rows] = np.minimum.reduceat(phv, starts, axis=1).T
            i = j
    return out


_SLICE_CHARS = 192_000  # characters per slice: its uint64 work arrays fit in a 2 MB L2


def _cache_slices(lengths: Sequence[int]) -> list[tuple[int, int]]:
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
        slices = _cache_slices([len(t) for t in texts])
        if len(slices) > 1:
            return np.concatenate(
                [
                    signatures_from_texts(texts[lo:hi], n, num_perm, seed, normalized=normalized)
                    for lo, hi in slices
                ]
            )
    th, counts = _text_hashes(texts, normalized)
    return _signatures_from_hashes(th, counts, n, num_perm, seed)


def _signatures_from_hashes(
    th: U64, counts: npt.NDArray[np.int64], n: int, num_perm: int, seed: int
) -> U32:
    if len(th) < n or ((counts > 0) & (counts < n)).any():
        return signature_batch(_ngram_hashes(th, counts, n, unique=False), num_perm, seed)
    # Every text has no tokens or at least n: the n-grams of the whole batch at once,
    # minus those crossing from one text into the next, in one flat array.
    m = len(th) - n + 1
    with np.errstate(over="ignore"):
        g = th[:m].copy()
        for k in range(1, n):
            g *= _Q
            g += th[k : k + m]
        g32 = (_mix64(g) >> np.uint64(32)).astype(np.uint32)
    text_end = np.repeat(np.cumsum(counts), counts)[:m]
    flat = g32[np.arange(n, m + n) <= text_end]
    return _signatures_flat(flat, np.maximum(counts - n + 1, 0), num_perm, seed)


def to_minhash(signature: U32, seed: int = DEFAULT_SEED) -> Any:
    """A ``datasketch.LeanMinHash`` with these hash values (usable with its LSH classes)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=signature, scheme="affine32")


# --- stage 3 and 4: LSH band keys and candidates ---------------------------------------


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
            k = np.full(n, np.uint64(band + 1) * _Q, dtype=np.uint64)
            for r in range(rows):
                k = _mix64(k ^ sig_t[band * rows + r].astype(np.uint64))
            keys[band] = k
    return keys


def band_keys_batch(signatures: U32, bands: int, rows: int) -> U64:
    """Stage 3: one ``uint64`` key per band, shape ``(n, bands)``; two documents share a
    band key exactly when they share that band's ``rows`` hash values (up to 64-bit
    collisions, which verification removes)."""
    sig_t = np.ascontiguousarray(np.asarray(signatures, dtype=np.uint32).T)
    return np.ascontiguousarray(_band_keys_t(sig_t, bands, rows).T)


def _pair_codes_t(keys_t: U64, max_bucket: int, n: int) -> list[npt.NDArray[np.int64]]:
    # Pair codes i * n + j (i < j) of documents sharing a key in a row of keys_t
    # (bands, n). The argsort need not be stable (4x faster than a stable one): the
    # members of a bucket are sorted before they are paired.
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
        codes.extend(_pair_codes_t(_band_keys_t(sig_t[order], bands, rows), max_bucket, n))
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
    return _codes_to_pairs(_pair_codes_t(np.ascontiguousarray(keys.T), max_bucket, n), n)


# --- stage 5: verification -------------------------------------------------------------


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


# --- stage 6: clustering ---------------------------------------------------------------


def connected_components(n: int, edges: Iterable[tuple[int, int]]) -> npt.NDArray[np.int64]:
    """Stage 6: component label of each of ``n`` nodes: the smallest node index in its
    component (union-find with path halving)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ri, rj = find(int(i)), find(int(j))
        if ri != rj:
            if ri < rj:
                parent[rj] = ri
            else:
                parent[ri] = rj
    return np.array([find(i) for i in range(n)], dtype=np.int64)


# --- boilerplate -----------------------------------------------------------------------


@cache
def _boilerplate_stripper() -> Callable[[str], Any] | None:
    """``textforensics.boilerplate.strip_boilerplate`` if that module exists (looked up
    once, lazily, so this module never depends on it)."""
    try:
        from . import boilerplate  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    fn: Callable[[str], Any] | None = getattr(boilerplate, "strip_boilerplate", None)
    return fn


def _main_text(
    text: str, strip: bool, *, need_flag: bool = True
) -> tuple[str, list[tuple[int, int]], bool]:
    """Text to compare, the removed spans of the original, and whether stripping ran.

    Without ``need_flag`` (the batch stages, which use only the text and spans), a text
    of one line is returned as it is without running the stripper: its one block is
    either kept or, removed, leaves nothing, when the whole text is compared anyway."""
    if not need_flag and "\n" not in text and "\r" not in text:
        return text, [], False
    strip_fn = _boilerplate_stripper() if strip else None
    if strip_fn is None:
        return text, [], False
    result = strip_fn(text)
    main = str(result.text)
    if text.strip() and not main.strip():
        # Everything looked like boilerplate (a bare list, a one-line snippet): comparing
        # empty main texts would call any two such documents identical, so compare the
        # whole text instead.
        return text, [], False
    removed = [(int(r.start), int(r.end)) for r in getattr(result, "removed", ())]
    return main, removed, True


# --- compare ---------------------------------------------------------------------------

_ABBREV_END_RE = regex.compile(
    r"(?:\b(?:\p{L}\.){2,}|\b\p{Lu}\.|\b(?:Mr|Mrs|Ms|Dr|Prof|St|vs|etc|Jr|Sr|No|Gen|Col|Lt|Sgt|"
    r"Rep|Sen|Gov|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)


def _passages(text: str, removed: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of ``text``, re-joined where a sentence "ended" at an abbreviation
    (``U.S.``, ``Mr.``) within one line, minus those lying inside removed boilerplate."""
    merged: list[tuple[int, int]] = []
    for s, e in iter_sentences(text):
        if (
            merged
            and _ABBREV_END_RE.search(text, max(merged[-1][0], merged[-1][1] - 12), merged[-1][1])
            and "\n" not in text[merged[-1][1] : s]
            and "\r" not in text[merged[-1][1] : s]
        ):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    if removed:
        kept = []
        for s, e in merged:
            inside = sum(max(0, min(e, re) - max(s, rs)) for rs, re in removed)
            if inside * 2 < e - s:
                kept.append((s, e))
        merged = kept
    return merged


_MIN_FEATURES = 3
_MAX_POSTINGS = 64
PASSAGE_THRESHOLD = 0.2
"""Minimum passage similarity for evidence (calibrated on the seeds, see docs)."""


def _features(passage: str) -> frozenset[str]:
    words = tokens(matching_form(replace_lone_surrogates(passage)))
    feats = {w for w in words if len(w) > 2}
    feats.update(f"{x} {y}" for x, y in itertools.pairwise(words))
    return frozenset(feats)


def _align(
    a: str, b: str, pa: list[tuple[int, int]], pb: list[tuple[int, int]]
) -> list[tuple[int, int, float]]:
    fa = [_features(a[s:e]) for s, e in pa]
    fb = [_features(b[s:e]) for s, e in pb]
    inverted: dict[str, list[int]] = {}
    for j, f in enumerate(fb):
        for x in f:
            inverted.setdefault(x, []).append(j)
    # Features found in very many passages say little and would make alignment
    # quadratic (e.g. a text repeating one sentence): they are not used for lookup.
    for x in [x for x, postings in inverted.items() if len(postings) > _MAX_POSTINGS]:
        del inverted[x]
    scored: list[tuple[float, int, int]] = []
    for i, f in enumerate(fa):
        if len(f) < _MIN_FEATURES:
            continue
        counts: dict[int, int] = {}
        for x in f:
            for j in inverted.get(x, ()):
                counts[j] = counts.get(j, 0) + 1
        for j, shared in counts.items():
            if len(fb[j]) < _MIN_FEATURES:
                continue
            sim = shared / (len(f) + len(fb[j]) - shared)
            if sim >= PASSAGE_THRESHOLD:
                scored.append((-sim, i, j))
    scored.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for neg, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j, -neg))
    out.sort()
    return out


def compare(
    a: str,
    b: str,
    *,
    strip_boilerplate: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    evidence: bool = True,
) -> Comparison:
    """Compare two texts: verdict, score, exact similarities per tier, and the evidence.

    ``strip_boilerplate`` compares the main text when :mod:`textforensics.boilerplate`
    is available. Evidence is the one-to-one alignment of passages (sentences) whose own
    word overlap reaches :data:`PASSAGE_THRESHOLD`, for verdicts other than
    ``unrelated``; spans refer to the original strings.
    """
    main_a, removed_a, stripped_a = _main_text(a, strip_boilerplate)
    main_b, removed_b, stripped_b = _main_text(b, strip_boilerplate)
    (near_a, near_b), (rw_a, rw_b), (dig_a, dig_b) = _analyze(
        [shingle_form(main_a), shingle_form(main_b)]
    )
    near = tier_similarity(NEAR_COPY_TIER, near_a, near_b)
    rw = tier_similarity(REWRITE_TIER, rw_a, rw_b)
    identical = dig_a == dig_b
    verdict, score = classify(near, rw, identical, thresholds)
    passages: list[AlignedPassage] = []
    if evidence and verdict != "unrelated":
        pa = _passages(a, removed_a)
        pb = _passages(b, removed_b)
        ia, ib = LineIndex(a), LineIndex(b)
        for i, j, sim in _align(a, b, pa, pb):
            (sa, ea), (sb, eb) = pa[i], pb[j]
            passages.append(
                AlignedPassage(
                    a=ia.span(sa, ea),
                    b=ib.span(sb, eb),
                    similarity=round(sim, 6),
                    text_a=a[sa:ea],
                    text_b=b[sb:eb],
                )
            )
    return Comparison(
        score=score,
        verdict=verdict,
        near_copy=near,
        rewrite=rw,
        evidence=tuple(passages),
        boilerplate_stripped=stripped_a or stripped_b,
    )


# --- find_duplicates -------------------------------------------------------------------


def _key_order(key: Hashable) -> tuple[int, Any]:
    if isinstance(key, bool):
        return (0, int(key))
    if isinstance(key, int):
        return (0, key)
    if isinstance(key, str):
        return (1, key)
    if isinstance(key, bytes):
        return (2, key)
    if isinstance(key, tuple):
        return (3, tuple(_key_order(k) for k in key))
    return (4, repr(key))


def _pairs_of(docs: Mapping[Any, str] | Iterable[tuple[Any, str]]) -> list[tuple[Any, str]]:
    items = list(docs.items()) if isinstance(docs, Mapping) else [(k, t) for k, t in docs]
    seen: set[Any] = set()
    for k, _ in items:
        if k in seen:
            raise ValueError(f"duplicate key {k!r}")
        seen.add(k)
    items.sort(key=lambda kv: _key_order(kv[0]))
    return items


def main_texts(texts: Sequence[str], *, strip: bool = True) -> list[str]:
    """Stage 0: the text of each document that is compared: its main text when ``strip``
    and the boilerplate stripper finds some (the whole text when it would remove
    everything), else the text itself."""
    return [_main_text(t, strip, need_flag=False)[0] for t in texts]


def prepare_batch(
    texts: Sequence[str],
    *,
    strip: bool = True,
    num_perm: int = DEFAULT_NUM_PERM,
    seed: int = DEFAULT_SEED,
) -> tuple[list[bytes], U32]:
    """Stages 0-2 as :func:`find_duplicates` runs them on a batch of raw documents: the
    word-sequence digest of each main text (:func:`token_digest_batch`) and its
    rewrite-tier signature (:func:`signatures_from_texts` with ``REWRITE_TIER.n``), the
    signatures whose LSH proposes candidates (a near copy's 3-gram Jaccard is far above
    the rewrite tier's threshold)."""
    digests, signatures, _ = _prepare_chunk((list(texts), strip, num_perm, seed))
    return digests, signatures


_Spans = list[tuple[int, int]]


def _cut(text: str, removed: _Spans) -> str:
    """``text`` without the (sorted, disjoint) ``removed`` spans: the main text that
    :func:`_main_text` returned with them."""
    if not removed:
        return text
    pieces = []
    pos = 0
    for start, end in removed:
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _prepare_chunk(
    args: tuple[list[str], bool, int, int],
) -> tuple[list[bytes], U32, list[_Spans]]:
    # Also the removed spans of each text, so later stages cut the main text out again
    # instead of running the boilerplate stripper a second time.
    texts, strip, num_perm, seed = args
    prepared = [_main_text(t, strip, need_flag=False) for t in texts]
    main = [m for m, _, _ in prepared]
    spans = [removed for _, removed, _ in prepared]
    digests: list[bytes] = []
    signatures: list[U32] = []
    for lo, hi in _cache_slices([len(t) for t in main]):
        th, counts = _text_hashes(main[lo:hi], False)
        digests.extend(_digests(th, counts))
        signatures.append(_signatures_from_hashes(th, counts, REWRITE_TIER.n, num_perm, seed))
    if not signatures:
        return digests, np.zeros((0, num_perm), dtype=np.uint32), spans
    return digests, np.concatenate(signatures), spans


def _shingle_chunk(main: list[str]) -> tuple[list[U32], list[U32]]:
    # Both tiers' shingles of main texts (cut out with the spans of stage 0).
    near, rw = multi_shingle_batch(main, [NEAR_COPY_TIER.n, REWRITE_TIER.n])
    return near, rw


_CHUNK = 256


def _map_chunks(
    fn: Callable[[Any], Any],
    chunks: list[Any],
    processes: int,
    progress: Callable[[int], None],
) -> list[Any]:
    if processes <= 1 or len(chunks) <= 1:
        results = []
        for c in chunks:
            results.append(fn(c))
            progress(1)
        return results
    results = []
    if "fork" in multiprocessing.get_all_start_methods():
        # Forked workers inherit the chunks: only indices and results cross the pipes.
        global _FORKED
        _FORKED = (fn, chunks)
        try:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                for r in pool.imap(_run_forked, range(len(chunks))):
                    results.append(r)
                    progress(1)
        finally:
            _FORKED = None
        return results
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        for r in pool.imap(fn, chunks):
            results.append(r)
            progress(1)
    return results


_FORKED: tuple[Callable[[Any], Any], list[Any]] | None = None


def _run_forked(i: int) -> Any:
    assert _FORKED is not None
    fn, chunks = _FORKED
    return fn(chunks[i])


def _default_processes(n_docs: int) -> int:
    if n_docs < 4 * _CHUNK:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def find_duplicates(
    docs: Mapping[Any, str] | Iterable[tuple[Any, str]],
    *,
    strip_boilerplate: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    num_perm: int = DEFAULT_NUM_PERM,
    seed: int = DEFAULT_SEED,
    all_pairs_below: int = 300,
    candidates: Literal["bands", "datasketch"] = "bands",
    max_bucket: int = 1000,
    pairings: int = REWRITE_PAIRINGS,
    processes: int | None = None,
    progress: ProgressCallback | None = None,
) -> DuplicateReport:
    """Cluster a corpus into groups of copies and rewrites.

    ``docs`` maps keys to texts (or is an iterable of ``(key, text)`` pairs; keys must be
    unique). Documents with identical wording are grouped exactly first; then candidates
    come from MinHash LSH over the rewrite tier's signatures (a near copy's word 3-gram
    Jaccard is far above that tier's LSH threshold), with the bands and rows datasketch's
    ``MinHashLSH`` chooses for :data:`REWRITE_TIER`'s threshold (or all pairs when fewer than
    ``all_pairs_below`` distinct documents remain), and every candidate is verified
    exactly with :func:`classify`, so a reported pair is never a hashing accident.
    ``candidates="bands"`` buckets the band keys with numpy (:func:`band_keys_batch`,
    :func:`candidate_pairs_from_band_keys`; a bucket larger than ``max_bucket``
    contributes a star around its smallest member instead of all its pairs);
    ``candidates="datasketch"`` inserts and queries real ``MinHashLSH`` indexes (the same
    candidates, slower). The rewrite tier's signature positions are banded in ``pairings``
    disjoint pairings (:func:`pairing_orders`, :data:`REWRITE_PAIRINGS`): more bands of two
    rows from the same hash values, so a rewrite as loose as 3-gram Jaccard 0.1 becomes a
    candidate with probability 0.96 (``pairings=1``, datasketch's banding alone: 0.47).
    Clusters are the connected components of verified pairs. The result does
    not depend on the input order or on ``processes`` (default: all cores for large
    corpora). ``progress(stage, done, total)`` is called as work advances.
    """
    from datasketch import MinHashLSH

    items = _pairs_of(docs)
    keys = [k for k, _ in items]
    texts = [t for _, t in items]
    n = len(items)
    report: ProgressCallback = progress or (lambda stage, done, total: None)
    procs = _default_processes(n) if processes is None else max(1, processes)

    chunks = [texts[i : i + _CHUNK] for i in range(0, n, _CHUNK)]
    done = [0]

    def tick(stage: str, total: int) -> Callable[[int], None]:
        done[0] = 0

        def f(k: int) -> None:
            done[0] += k
            report(stage, done[0], total)

        return f

    prepared = _map_chunks(
        _prepare_chunk,
        [(c, strip_boilerplate, num_perm, seed) for c in chunks],
        procs,
        tick("signatures", len(chunks)),
    )
    digests: list[bytes] = [d for p in prepared for d in p[0]]
    rw_sig = (
        np.concatenate([p[1] for p in prepared]) if prepared else np.zeros((0, num_perm), np.uint32)
    )
    removed: list[_Spans] = [r for p in prepared for r in p[2]]
    del prepared

    # Exact groups of identical wording: one representative (the smallest key) each.
    first_of: dict[bytes, int] = {}
    edges: list[tuple[int, int, str, float]] = []
    reps: list[int] = []
    for i, d in enumerate(digests):
        if d in first_of:
            edges.append((first_of[d], i, "identical", 1.0))
        else:
            first_of[d] = i
            reps.append(i)

    # Candidates among representatives.
    if len(reps) < all_pairs_below:
        cand = [(reps[x], reps[y]) for x in range(len(reps)) for y in range(x + 1, len(reps))]
        method = "all_pairs"
    elif candidates == "datasketch":
        method = "lsh_datasketch"
        cand_set: set[tuple[int, int]] = set()
        orders = pairing_orders(num_perm, pairings)
        step = tick(f"lsh {REWRITE_TIER.name}", len(reps) * len(orders))
        for order in orders:
            lsh = MinHashLSH(
                num_perm=num_perm, params=lsh_params(REWRITE_TIER.lsh_threshold, num_perm)
            )
            mh = [to_minhash(rw_sig[i][order], seed) for i in reps]
            with lsh.insertion_session() as session:
                for i, m in zip(reps, mh, strict=True):
                    session.insert(i, m, check_duplication=False)
            for i, m in zip(reps, mh, strict=True):
                cand_set.update((min(i, j), max(i, j)) for j in lsh.query(m) if j != i)
                step(1)
        cand = sorted(cand_set)
    else:
        method = "lsh"
        rep_arr = np.asarray(reps, dtype=np.int64)
        bands, rows = lsh_params(REWRITE_TIER.lsh_threshold, num_perm)
        local = lsh_candidate_pairs(
            rw_sig[rep_arr],
            bands,
            rows,
            pairings,
            max_bucket,
            lambda done, total: report(f"lsh {REWRITE_TIER.name}", done, total),
        )
        cand = [(int(x), int(y)) for x, y in rep_arr[local]]

    # Exact verification: shingles only for documents that appear in a candidate pair.
    involved = sorted({i for pair in cand for i in pair})
    near_sh: dict[int, U32] = {}
    rw_sh: dict[int, U32] = {}
    if involved:
        sub_chunks = [involved[x : x + _CHUNK] for x in range(0, len(involved), _CHUNK)]
        shingled = _map_chunks(
            _shingle_chunk,
            [[_cut(texts[i], removed[i]) for i in c] for c in sub_chunks],
            procs if len(involved) >= 4 * _CHUNK else 1,
            tick("shingles", len(sub_chunks)),
        )
        for c, (ns, rs) in zip(sub_chunks, shingled, strict=True):
            for i, a1, a2 in zip(c, ns, rs, strict=True):
                near_sh[i] = a1
                rw_sh[i] = a2
    verify_step = tick("verify", len(cand))
    verified: list[tuple[int, int, str, float]] = []
    for start in range(0, len(cand), 10000):
        block = cand[start : start + 10000]
        for i, j in block:
            near = tier_similarity(NEAR_COPY_TIER, near_sh[i], near_sh[j])
            rw = tier_similarity(REWRITE_TIER, rw_sh[i], rw_sh[j])
            verdict, score = classify(near, rw, False, thresholds)
            if verdict != "unrelated":
                verified.append((i, j, verdict, score))
        verify_step(len(block))
    edges.extend(verified)

    labels = connected_components(n, ((i, j) for i, j, _, _ in edges))
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(int(label), []).append(i)
    pairs_of: dict[int, list[DuplicatePair]] = {}
    for i, j, verdict, score in sorted(edges, key=lambda e: (e[0], e[1])):
        pairs_of.setdefault(int(labels[i]), []).append(
            DuplicatePair(a=keys[i], b=keys[j], verdict=verdict, score=score)
        )
    clusters = []
    unique = []
    for label in sorted(members):
        idx = members[label]
        if len(idx) == 1:
            unique.append(keys[idx[0]])
            continue
        clusters.append(
            DuplicateCluster(
                representative=keys[idx[0]],
                keys=tuple(keys[i] for i in idx),
                pairs=tuple(pairs_of.get(label, ())),
            )
        )
    return DuplicateReport(
        clusters=tuple(clusters),
        unique=tuple(unique),
        documents=n,
        candidate_pairs=len(cand),
        method=method,
    )


# --- DuplicateIndex --------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    digest: bytes
    near: U32
    rewrite: U32


@dataclass
class DuplicateIndex:
    """An incremental index of documents: :meth:`add`, :meth:`remove`, :meth:`query`.

    Candidates come from two datasketch ``MinHashLSH`` indexes (one per tier) and every
    match is verified exactly. With ``storage_config={"type": "redis", "redis":
    {"host": ..., "port": ...}}`` (datasketch's storage backends) the LSH buckets and the
    documents' shingles live in Redis under ``basename``, so several processes share
    one index. :meth:`save` and :meth:`load` write and read the whole index to a file.

    While the index holds fewer than ``exact_below`` documents a query verifies every
    one of them (exact recall); beyond that, LSH candidates are verified: the rewrite
    tier is banded in ``pairings`` pairings of its signature positions (one
    ``MinHashLSH`` each, as in :func:`find_duplicates`), so a rewrite as loose as 3-gram
    Jaccard 0.1 is a candidate with probability 0.96 (see ``docs/duplicates.md``).
    """

    storage_config: dict[str, Any] | None = None
    basename: bytes = b"textforensics"
    num_perm: int = DEFAULT_NUM_PERM
    seed: int = DEFAULT_SEED
    strip_boilerplate: bool = True
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    exact_below: int = 1000
    pairings: int = REWRITE_PAIRINGS
    _lsh: dict[str, Any] = field(init=False, repr=False)
    _orders: dict[str, npt.NDArray[np.int64] | None] = field(init=False, repr=False)
    _docs: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        from datasketch import MinHashLSH
        from datasketch.storage import unordered_storage

        config = self.storage_config or {"type": "dict"}
        self._lsh = {}
        self._orders = {NEAR_COPY_TIER.name: None}
        # The rewrite tier: one MinHashLSH per pairing of signature positions (see
        # find_duplicates); the first is datasketch's own banding, named as before.
        for m, order in enumerate(pairing_orders(self.num_perm, max(1, self.pairings)), 1):
            self._orders[REWRITE_TIER.name if m == 1 else f"{REWRITE_TIER.name}:{m}"] = order
        for name in self._orders:
            tier = NEAR_COPY_TIER if name == NEAR_COPY_TIER.name else REWRITE_TIER
            tier_config = dict(config)
            if config.get("type") == "redis":
                tier_config["basename"] = self.basename + b":" + name.encode()
            self._lsh[name] = MinHashLSH(
                num_perm=self.num_perm,
                params=lsh_params(tier.lsh_threshold, self.num_perm),
                storage_config=tier_config,
            )
        if config.get("type") == "redis":
            docs_config = dict(config)
            docs_config["basename"] = self.basename + b":docs"
            self._docs = unordered_storage(docs_config, name=self.basename + b":docs")
        else:
            self._docs = {}

    # storage of entries (a dict, or a datasketch unordered storage in Redis)
    def _put(self, key: Any, entry: _Entry) -> None:
        payload = pickle.dumps((entry.digest, entry.near.tobytes(), entry.rewrite.tobytes()))
        if isinstance(self._docs, dict):
            self._docs[key] = entry
        else:
            self._docs.insert(pickle.dumps(key), payload)

    def _get(self, key: Any) -> _Entry | None:
        if isinstance(self._docs, dict):
            entry: _Entry | None = self._docs.get(key)
            return entry
        values = self._docs.get(pickle.dumps(key))
        if not values:
            return None
        digest, near, rw = pickle.loads(next(iter(values)))
        return _Entry(digest, np.frombuffer(near, np.uint32), np.frombuffer(rw, np.uint32))

    def _keys(self) -> list[Any]:
        if isinstance(self._docs, dict):
            return list(self._docs)
        return [pickle.loads(k) for k in self._docs.keys()]  # noqa: SIM118

    def __len__(self) -> int:
        return len(self._keys())

    def __contains__(self, key: object) -> bool:
        return self._get(key) is not None

    def keys(self) -> list[Any]:
        """The indexed keys, sorted."""
        return sorted(self._keys(), key=_key_order)

    def _entry(self, text: str) -> _Entry:
        (near,), (rw,), (digest,) = _analyze(
            [shingle_form(_main_text(text, self.strip_boilerplate, need_flag=False)[0])]
        )
        return _Entry(digest, near, rw)

    def _signatures(self, entry: _Entry) -> dict[str, Any]:
        near = signature_batch([entry.near], self.num_perm, self.seed)[0]
        rw = signature_batch([entry.rewrite], self.num_perm, self.seed)[0]
        out = {}
        for name, order in self._orders.items():
            sig = near if order is None else rw[order]
            out[name] = to_minhash(np.ascontiguousarray(sig), self.seed)
        return out

    def add(self, key: Any, text: str) -> None:
        """Index ``text`` under ``key`` (replacing an existing entry with that key)."""
        if self._get(key) is not None:
            self.remove(key)
        entry = self._entry(text)
        for name, mh in self._signatures(entry).items():
            self._lsh[name].insert(key, mh, check_duplication=False)
        self._put(key, entry)

    def remove(self, key: Any) -> None:
        """Remove ``key``; a ``KeyError`` if it is not indexed."""
        if self._get(key) is None:
            raise KeyError(key)
        for lsh in self._lsh.values():
            lsh.remove(key)
        if isinstance(self._docs, dict):
            del self._docs[key]
        else:
            self._docs.remove(pickle.dumps(key))

    def query(self, text: str, *, limit: int | None = None) -> list[IndexMatch]:
        """Indexed documents related to ``text``, verified exactly, best first: by
        verdict (identical, near_copy, rewrite), then score, then key; ``unrelated``
        candidates are dropped."""
        entry = self._entry(text)
        candidates: set[Any] = set()
        keys = self._keys()
        if len(keys) < self.exact_below:
            candidates.update(keys)
        else:
            for name, mh in self._signatures(entry).items():
                candidates.update(self._lsh[name].query(mh))
        matches = []
        for key in candidates:
            other = self._get(key)
            if other is None:
                continue
            near = tier_similarity(NEAR_COPY_TIER, entry.near, other.near)
            rw = tier_similarity(REWRITE_TIER, entry.rewrite, other.rewrite)
            verdict, score = classify(near, rw, entry.digest == other.digest, self.thresholds)
            if verdict != "unrelated":
                matches.append(IndexMatch(key=key, score=score, verdict=verdict))
        matches.sort(key=lambda m: (VERDICTS.index(m.verdict), -m.score, _key_order(m.key)))
        return matches[:limit] if limit is not None else matches

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole index (parameters and every entry) to ``path``."""
        state = {
            "format": "textforensics.DuplicateIndex/1",
            "num_perm": self.num_perm,
            "seed": self.seed,
            "strip_boilerplate": self.strip_boilerplate,
            "pairings": self.pairings,
            "thresholds": (
                self.thresholds.near_jaccard,
                self.thresholds.near_containment,
                self.thresholds.rewrite_jaccard,
                self.thresholds.rewrite_containment,
            ),
            "entries": [
                (k, e.digest, e.near.tobytes(), e.rewrite.tobytes())
                for k in self.keys()
                if (e := self._get(k)) is not None
            ],
        }
        Path(path).write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        storage_config: dict[str, Any] | None = None,
        basename: bytes = b"textforensics",
    ) -> DuplicateIndex:
        """Read an index written by :meth:`save` (into memory, or into ``storage_config``).

        The file is a pickle: load only files you trust."""
        state = pickle.loads(Path(path).read_bytes())
        if state.get("format") != "textforensics.DuplicateIndex/1":
            raise ValueError(f"{path}: not a DuplicateIndex file")
        index = cls(
            storage_config=storage_config,
            basename=basename,
            num_perm=state["num_perm"],
            seed=state["seed"],
            strip_boilerplate=state["strip_boilerplate"],
            thresholds=Thresholds(*state["thresholds"]),
            pairings=state.get("pairings", REWRITE_PAIRINGS),
        )
        for key, digest, near, rw in state["entries"]:
            entry = _Entry(digest, np.frombuffer(near, np.uint32), np.frombuffer(rw, np.uint32))
            for name, mh in index._signatures(entry).items():
                index._lsh[name].insert(key, mh, check_duplication=False)
            index._put(key, entry)
        return index
