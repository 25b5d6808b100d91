"""Stage 1: normalize and shingle. Texts become 64-bit token hashes, then sorted unique
``uint32`` hashes of word n-grams (the shingles of a :class:`Tier`) and 16-byte digests of
the word sequence.

Thread safety: every scratch array belongs to the call (or to the calling thread), the
tables of powers are immutable once published, and the caches of normalized non-ASCII runs
are only ever changed by single dictionary operations (see :class:`_FormCache`).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
import regex

from ..text import (
    PUNCTUATION_MAP,
    fold_non_ascii_confusables,
    nfkc,
    remove_default_ignorables,
    replace_lone_surrogates,
)

__all__ = [
    "NEAR_COPY_TIER",
    "NGRAM_MULTIPLIER",
    "REWRITE_TIER",
    "U32",
    "U64",
    "Tier",
    "analyze",
    "count_shared",
    "digest_of",
    "digests",
    "gram_hashes",
    "hash_joined",
    "hash_joined_prefixes",
    "joined_forms",
    "mix64",
    "mix64_inplace",
    "multi_shingle_batch",
    "ngram_hashes",
    "shingle_batch",
    "shingle_form",
    "short_text_hash_reference",
    "short_text_hashes",
    "text_hashes",
    "token_digest_batch",
    "token_hashes",
    "unique_runs",
]

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]


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

_NON_WORD_RE = regex.compile(r"[^\w]+")
_NON_ASCII_RUN_RE = regex.compile(r"[^\x00-\x7f]+")
_P = np.uint64(0x100000001B3)  # odd multiplier of the byte polynomial hash
_P_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
NGRAM_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
"""The odd multiplier that combines token hashes into n-gram hashes (and seeds band keys)."""
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
    # The runs are found by the regex, one at a time: an array of code points would
    # cost 4 bytes per character of the text (200 MB for 50 million characters).
    for m in _NON_ASCII_RUN_RE.finditer(text):
        start, end = m.span()
        if start > pos:
            start -= 1  # the ASCII character before the run (a mark may compose with it)
            pieces.append(text[pos:start])
        run = text[start:end]
        form = cache.get(run)
        pieces.append(_run_form(run) if form is None else form)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


K = TypeVar("K", str, bytes)


class _FormCache(Generic[K]):
    """A bounded cache of normalized runs, shared by every thread.

    A run's form is a pure function of the run, so two threads computing the same entry
    at once store equal values and any reader may see either. Lookups and stores are
    single dictionary operations (atomic in CPython, with or without the GIL); when the
    cache is full a fresh dictionary is swapped in instead of clearing the one another
    thread may be reading or writing."""

    __slots__ = ("_map",)

    _LIMIT = 100_000

    def __init__(self) -> None:
        self._map: dict[K, K] = {}

    def get(self, run: K) -> K | None:
        return self._map.get(run)

    def put(self, run: K, form: K) -> None:
        current = self._map
        if len(current) > self._LIMIT:
            current = {}
            self._map = current
        current[run] = form


_RUN_CACHE: _FormCache[str] = _FormCache()


def _run_form(run: str) -> str:
    # matching_form's character-level steps without its whitespace trimming, so the
    # run's boundaries with the surrounding ASCII text stay as they were.
    form = _RUN_CACHE.get(run)
    if form is None:
        t = replace_lone_surrogates(run)
        t = remove_default_ignorables(nfkc(t)).casefold().translate(PUNCTUATION_MAP)
        t = fold_non_ascii_confusables(t)  # in NFC
        form = _NON_WORD_RE.sub(" ", t)
        _RUN_CACHE.put(run, form)
    return form


def mix64(x: U64) -> U64:
    """splitmix64's finalizer: a deterministic, avalanching bijection on ``uint64`` values
    (wrapping arithmetic)."""
    values = np.array(x, dtype=np.uint64)
    if values.ndim == 0:
        scalar: U64 = mix64_inplace(values.reshape(1))[0]
        return scalar
    return mix64_inplace(values)


_MIX_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_MIX_MULTIPLIERS = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def mix64_inplace(x: U64) -> U64:
    """:func:`mix64` of a writable ``uint64`` array (of one dimension or more), computed
    in the array itself, which is returned. Each step of the finalizer as a separate
    expression would allocate a new array of the input's size; on the hashing paths
    these arrays are hundreds of KB, and fresh memory of that size costs more here than
    the arithmetic (page faults), so one scratch array serves every shift."""
    s1, s2, s3 = _MIX_SHIFTS
    m1, m2 = _MIX_MULTIPLIERS
    with np.errstate(over="ignore"):
        y = np.right_shift(x, s1)
        x ^= y
        x *= m1
        np.right_shift(x, s2, out=y)
        x ^= y
        x *= m2
        np.right_shift(x, s3, out=y)
        x ^= y
    return x


_CACHED_POWERS = 1 << 18
"""Entries of the power tables and of a thread's prefix-sum scratch that stay cached
between calls (2 MiB each): enough for every piece of :func:`hash_joined` but one made
long by a single token longer than the piece."""


class _Powers:
    """Powers of the byte-hash multiplier and of its inverse (mod 2**64), shared by every
    thread: a table is built in full, made read-only and only then published (one
    attribute store), so a caller never sees a table that is still being written, and
    each call keeps the table it read even if another thread publishes a longer one."""

    def __init__(self) -> None:
        one = np.ones(1, dtype=np.uint64)
        one.flags.writeable = False
        self._tables: tuple[U64, U64] = (one, one)

    def tables(self, n: int) -> tuple[U64, U64]:
        """``(pow, inv)``, each with at least ``n`` entries. Tables of up to
        :data:`_CACHED_POWERS` entries are kept; a longer one (a piece made long by one
        long token) is built for the call only, so the cache stays a few MB."""
        tables = self._tables
        if len(tables[0]) >= n:
            return tables
        size = max(n, min(2 * len(tables[0]), _CACHED_POWERS), 1 << 16)
        with np.errstate(over="ignore"):
            p = np.full(size, _P, dtype=np.uint64)
            p[0] = 1
            pw = np.cumprod(p, dtype=np.uint64)
            q = np.full(size, _P_INV, dtype=np.uint64)
            q[0] = 1
            inv = np.cumprod(q, dtype=np.uint64)
        pw.flags.writeable = False
        inv.flags.writeable = False
        tables = (pw, inv)
        if len(self._tables[0]) < size <= _CACHED_POWERS:
            self._tables = tables
        return tables


class _Scratch(threading.local):
    """One growing ``uint64`` scratch array per thread (the prefix sums of
    :func:`hash_joined`): never shared between threads, reused across calls."""

    def __init__(self) -> None:
        self.work: U64 = np.zeros(0, dtype=np.uint64)

    def get(self, n: int) -> U64:
        if len(self.work) < n:
            if n > _CACHED_POWERS:  # an outsized piece: its own array, not kept
                return np.empty(n, dtype=np.uint64)
            self.work = np.empty(min(max(n, 2 * len(self.work)), _CACHED_POWERS), dtype=np.uint64)
        return self.work[:n]


_SCRATCH = _Scratch()
_POWERS = _Powers()


def joined_forms(texts: Sequence[str], *, normalized: bool = False) -> tuple[bytes, list[int]]:
    """The shingle forms of a batch of texts as one UTF-8 byte string ``b" " + form_0 +
    b" " + form_1 + ... + b" "`` and each form's length in bytes: :func:`shingle_form`
    applied to the whole batch at once (one scan for non-ASCII runs, no per-text numpy
    calls, no decoding and re-encoding of the ASCII text). ``normalized``: the texts are
    shingle forms already, and are only joined."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    lengths = [len(e) for e in encoded]
    joined = b" " + b" ".join(encoded) + b" "
    del encoded
    if normalized or joined.isascii():
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
            cache.put(run, form)
        pieces.append(form)
        lengths[d] += len(form) - len(run)
        pos = end
    pieces.append(joined[pos:])
    return b"".join(pieces), lengths


_RUN_CACHE_BYTES: _FormCache[bytes] = _FormCache()


def text_hashes(texts: Sequence[str], normalized: bool) -> tuple[U64, npt.NDArray[np.int64]]:
    """:func:`token_hashes` of the texts' shingle forms (``normalized``: the texts are
    shingle forms already)."""
    return hash_joined(*joined_forms(texts, normalized=normalized))


def token_hashes(forms: Sequence[str]) -> tuple[U64, npt.NDArray[np.int64]]:
    """64-bit hashes of all tokens of a batch of shingle forms, and per-text token counts.

    The batch is joined into one byte string; ASCII is lower-cased and word bytes are
    found with ``bytes.translate``; a token's hash is its polynomial byte hash (from
    prefix sums mod 2**64, made position-independent with inverse powers), mixed with
    its length by splitmix64.
    """
    return text_hashes(forms, True)


_HASH_PIECE = 1 << 16
"""Bytes hashed per piece by :func:`hash_joined`: its uint64 prefix sums and tables of
powers are sized by the piece, not by the whole input (8 bytes per input byte each),
so a 50 MB text needs a few MB of work arrays instead of gigabytes (the per-piece
overhead is a few numpy calls, small against 64 KiB of hashing)."""

_NON_WORD_BYTE = regex.compile(rb"[^A-Za-z0-9_\x80-\xff]")


def hash_joined(joined: bytes, lengths: Sequence[int]) -> tuple[U64, npt.NDArray[np.int64]]:
    """:func:`token_hashes` of a byte string made as :func:`joined_forms` makes it (a
    space first and last, one between texts), with each text's length in bytes.

    The bytes are hashed in pieces of about :data:`_HASH_PIECE` bytes, each cut just
    before a non-word byte so that no token is split; a token's hash does not depend on
    its position, so the result is the same as in one pass."""
    th, counts, _, _ = _hash_pieces(joined, lengths, 0)
    return th, counts


def hash_joined_prefixes(
    joined: bytes, lengths: Sequence[int], chars: int
) -> tuple[U64, npt.NDArray[np.int64], U64, npt.NDArray[np.int64]]:
    """:func:`hash_joined` plus, for every token, the hash of its first ``chars``
    characters (code points; the whole token when it is shorter: then equal to the
    token's own hash, as every prefix hash is the hash the prefix would have as a token)
    and its length in characters, from the same pass over the bytes: ``(token hashes,
    counts per text, prefix hashes, lengths)``."""
    if chars < 1:
        raise ValueError("chars must be at least 1")
    return _hash_pieces(joined, lengths, chars)


_EMPTY_U64 = np.zeros(0, dtype=np.uint64)
_EMPTY_U64.flags.writeable = False
_EMPTY_I64 = np.zeros(0, dtype=np.int64)
_EMPTY_I64.flags.writeable = False


def _hash_pieces(
    joined: bytes, lengths: Sequence[int], chars: int
) -> tuple[U64, npt.NDArray[np.int64], U64, npt.NDArray[np.int64]]:
    # The loop of hash_joined; with chars > 0 also each token's prefix hash and length
    # in characters (else two empty arrays).
    n = len(joined)
    boundaries = np.cumsum(np.asarray(lengths, dtype=np.int64) + 1)
    below = np.zeros(len(boundaries), dtype=np.int64)  # tokens starting before each end
    # At most one token per two bytes: the pieces' hashes are written straight into one
    # array of that bound (pages never written are never resident), not concatenated.
    out = np.empty(n // 2 + 1, dtype=np.uint64)
    pre = np.empty(n // 2 + 1 if chars else 0, dtype=np.uint64)
    nch = np.empty(n // 2 + 1 if chars else 0, dtype=np.int64)
    total = 0
    lo = 0
    while lo < n - 1:
        hi = lo + _HASH_PIECE
        if hi >= n - 1:
            hi = n - 1
        else:
            found = _NON_WORD_BYTE.search(joined, hi)
            hi = found.start() if found is not None else n - 1
        # The piece runs from a non-word byte at lo to the non-word byte at hi, included.
        th, starts, ph, pc = _hash_piece(joined[lo : hi + 1], chars)
        if len(starts):
            out[total : total + len(th)] = th
            if chars:
                pre[total : total + len(th)] = ph
                nch[total : total + len(th)] = pc
            total += len(th)
            below += np.searchsorted(starts + lo, boundaries)
        lo = hi
    if not total:
        none = np.zeros(len(lengths), dtype=np.int64)
        return _EMPTY_U64.copy(), none, _EMPTY_U64.copy(), _EMPTY_I64.copy()
    counts = np.diff(np.concatenate(([0], below)))
    return out[:total], counts.astype(np.int64), pre[:total], nch[:total]


def _hash_piece(
    piece: bytes, chars: int
) -> tuple[U64, npt.NDArray[np.int64], U64, npt.NDArray[np.int64]]:
    # Token hashes and start offsets of a piece that starts and ends with a non-word
    # byte; with chars > 0 also the hash of each token's first chars characters and its
    # length in characters.
    piece = piece.translate(_LOWER_TABLE)
    n = len(piece)
    word = np.frombuffer(piece.translate(_WORD_TABLE), dtype=np.bool_)
    edges = np.flatnonzero(word[1:] != word[:-1])
    if not len(edges):
        return _EMPTY_U64, _EMPTY_I64, _EMPTY_U64, _EMPTY_I64
    edges += 1
    starts = edges[0::2]
    ends = edges[1::2]
    del word
    pw, inv = _POWERS.tables(n + 1)
    prefix = _SCRATCH.get(n + 1)
    raw = np.frombuffer(piece, dtype=np.uint8)
    with np.errstate(over="ignore"):
        prefix[0] = 0
        np.multiply(raw, pw[:n], out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
        th = prefix[ends] - prefix[starts]
        th *= inv[starts]
        lengths = ends - starts
        th ^= lengths.astype(np.uint64)
        th = mix64_inplace(th)
        if not chars:
            return th, starts.astype(np.int64, copy=False), _EMPTY_U64, _EMPTY_I64
        if piece.isascii():  # a character per byte
            nchars = lengths.astype(np.int64, copy=False)
            longer = np.flatnonzero(nchars > chars)
            cut = starts[longer] + chars
        else:
            # Characters start at every byte but UTF-8 continuation bytes (0b10xxxxxx,
            # -128 to -65 as signed bytes).
            lead = raw.view(np.int8) >= -64
            before = np.zeros(n + 1, dtype=np.int32 if n < 1 << 31 else np.int64)
            np.cumsum(lead, out=before[1:])  # characters starting before each byte
            first = before[starts]
            nchars = (before[ends] - first).astype(np.int64)
            longer = np.flatnonzero(nchars > chars)
            cut = np.flatnonzero(lead)[first[longer] + chars] if len(longer) else _EMPTY_I64
        # A token of at most `chars` characters is its own prefix: only the longer
        # ones are hashed again.
        ph = th.copy()
        if len(longer):
            at = starts[longer]
            part = prefix[cut] - prefix[at]
            part *= inv[at]
            part ^= (cut - at).astype(np.uint64)
            ph[longer] = mix64_inplace(part)
    return th, starts.astype(np.int64, copy=False), ph, nchars


_GRAM_BLOCK = 1 << 18
"""Tokens per block of :func:`gram_hashes`: its uint64 work arrays stay a few MB
whatever the input's length."""


def count_shared(a: npt.NDArray[np.unsignedinteger], b: npt.NDArray[np.unsignedinteger]) -> int:
    """How many values two sorted arrays of unique values have in common (what
    ``np.intersect1d(a, b, assume_unique=True).size`` counts, without building the
    intersection). A stable sort of the two arrays end to end is a merge of two sorted
    runs (linear), and a shared value is then two equal neighbours."""
    if not (len(a) and len(b)):
        return 0
    both = np.concatenate((a, b))
    both.sort(kind="stable")
    return int(np.count_nonzero(both[1:] == both[:-1]))


def gram_hashes(th: U64, n: int) -> U32:
    """The ``uint32`` hash of every run of ``n`` consecutive token hashes of ``th``
    (``len(th) - n + 1`` of them, none when shorter), computed block by block."""
    m = len(th) - n + 1
    out = np.empty(max(m, 0), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for lo in range(0, m, _GRAM_BLOCK):
            hi = min(m, lo + _GRAM_BLOCK)
            g = th[lo:hi].copy()
            for k in range(1, n):
                g *= NGRAM_MULTIPLIER
                g += th[lo + k : hi + k]
            mix64_inplace(g)
            g >>= np.uint64(32)
            out[lo:hi] = g
    return out


def ngram_hashes(th: U64, counts: npt.NDArray[np.int64], n: int, unique: bool = True) -> list[U32]:
    """Sorted unique uint32 hashes of word n-grams per text (a text with fewer than ``n``
    tokens, but at least one, is one shingle of all its tokens). With ``unique=False``
    the hashes come in text order, repeats included (enough for a MinHash)."""
    total = len(th)
    out: list[U32] = []
    if total == 0:
        return [np.zeros(0, dtype=np.uint32) for _ in counts]
    offsets = np.concatenate(([0], np.cumsum(counts)))
    g32 = gram_hashes(th, n)
    short = short_text_hashes(th, counts, offsets, n)
    empty = np.zeros(0, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for i, c in enumerate(counts.tolist()):
            start = int(offsets[i])
            if c >= n and not unique:
                out.append(g32[start : start + int(c) - n + 1])
            elif c >= n:
                # Sorted in place: g32 is this call's own array and the texts' slices are
                # disjoint, so a long text needs no second copy of its hashes.
                out.append(_sort_unique_inplace(g32[start : start + int(c) - n + 1]))
            elif c > 0:
                out.append(short[i : i + 1])
            else:
                out.append(empty)
    return out


def _sort_unique_inplace(values: U32) -> U32:
    # The sorted unique values of a non-empty array that the caller owns (sorted in place).
    values.sort()
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    out: U32 = values[keep]
    return out


def unique_runs(flat: U32, sizes: npt.NDArray[np.int64]) -> list[U32]:
    """The sorted unique values of each consecutive run of ``flat`` (``sizes[i]`` values
    for run ``i``): the shingles :func:`ngram_hashes` gives from the hashes it gives
    with ``unique=False``, concatenated (``flat`` is not changed)."""
    work = np.array(flat, dtype=np.uint32)
    bounds = np.concatenate(([0], np.cumsum(sizes))).tolist()
    empty = np.zeros(0, dtype=np.uint32)
    return [
        _sort_unique_inplace(work[lo:hi]) if hi > lo else empty
        for lo, hi in itertools.pairwise(bounds)
    ]


def short_text_hash_reference(th: U64, start: int, count: int) -> int:
    """The hash of one short text's one shingle, token by token (the reference for
    :func:`short_text_hashes`)."""
    with np.errstate(over="ignore"):
        h = th[start].copy()
        for k in range(1, count):
            h = h * NGRAM_MULTIPLIER + th[start + k]
        return int((mix64(np.array([h], dtype=np.uint64)) >> np.uint64(32))[0])


def short_text_hashes(
    th: U64, counts: npt.NDArray[np.int64], offsets: npt.NDArray[np.int64], n: int
) -> U32:
    """For each text of fewer than ``n`` tokens (at least one), the hash of its one
    shingle, all its tokens, at the text's index (other entries are meaningless): one
    vectorised pass, so a corpus of one-word documents costs no numpy call per text."""
    counts = np.asarray(counts, dtype=np.int64)
    size = len(counts)
    out = np.zeros(size, dtype=np.uint32)
    idx = np.flatnonzero((counts > 0) & (counts < n))
    if not len(idx):
        return out
    starts = offsets[idx].astype(np.int64)
    lengths = counts[idx]
    with np.errstate(over="ignore"):
        h = th[starts].copy()
        for k in range(1, n - 1):
            more = lengths > k
            if not more.any():
                break
            h[more] = h[more] * NGRAM_MULTIPLIER + th[starts[more] + k]
        mix64_inplace(h)
        h >>= np.uint64(32)
        out[idx] = h
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
    th, counts = text_hashes(texts, normalized)
    return ngram_hashes(th, counts, n)


def multi_shingle_batch(
    texts: Sequence[str], ns: Sequence[int], *, normalized: bool = False
) -> list[list[U32]]:
    """:func:`shingle_batch` for several ``n`` at once (tokens hashed once)."""
    th, counts = text_hashes(texts, normalized)
    return [ngram_hashes(th, counts, n) for n in ns]


def analyze(forms: Sequence[str]) -> tuple[list[U32], list[U32], list[bytes]]:
    """Both tiers' shingles and the word-sequence digests of normalized forms."""
    th, counts = token_hashes(forms)
    wordings = digests(th, counts)
    near = ngram_hashes(th, counts, NEAR_COPY_TIER.n)
    rewrite = ngram_hashes(th, counts, REWRITE_TIER.n)
    return near, rewrite, wordings


def token_digest_batch(texts: Sequence[str], *, normalized: bool = False) -> list[bytes]:
    """A 16-byte digest of each text's normalized word sequence: equal digests mean
    identical wording (differences at most in case, punctuation, whitespace, hidden
    characters and look-alike letters)."""
    return digests(*text_hashes(texts, normalized))


def digests(th: U64, counts: npt.NDArray[np.int64]) -> list[bytes]:
    """The 16-byte BLAKE2b digest of each text's run of token hashes."""
    offsets = np.concatenate(([0], np.cumsum(counts))).tolist()
    return [digest_of(th, offsets, i) for i in range(len(counts))]


def digest_of(th: U64, offsets: Sequence[int], i: int) -> bytes:
    """The digest :func:`digests` gives text ``i``, alone (``offsets``: the texts' start
    indices in ``th`` and the end, as a list)."""
    return hashlib.blake2b(th[offsets[i] : offsets[i + 1]].data, digest_size=16).digest()
