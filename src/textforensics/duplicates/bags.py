"""The third signal of the rewrite tier: pairs of content words that occur near each
other, unordered. A heavy paraphrase reorders sentences, turns clauses around and swaps
many words for synonyms, which breaks most word 3-grams; but the names, numbers and
uncommon words it keeps still occur near each other, in either order. Unrelated articles
on the same topic share the topic's words, rarely the same pairs of them side by side.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache

import numpy as np
import numpy.typing as npt

from ..results import TierSimilarity
from ..text import matching_form, replace_lone_surrogates, tokens
from .shingles import (
    NGRAM_MULTIPLIER,
    U64,
    count_shared,
    hash_joined,
    hash_joined_prefixes,
    joined_forms,
)

__all__ = [
    "BAG_FLOOR",
    "BAG_MIN_SHARED",
    "BAG_WINDOW",
    "STEM_CHARS",
    "bag_containment",
    "consulted",
    "content_keys",
    "content_pairs",
    "content_stems",
    "content_stems_batch",
    "content_stems_reference",
    "key_containment",
    "pair_keys",
    "pair_keys_batch",
    "stop_word_mask",
    "stop_word_mask_reference",
]

BAG_WINDOW = 8
"""Two content words form a pair when fewer than this many content words apart."""

BAG_FLOOR = 0.03
"""The larger rewrite-tier containment a pair needs before this signal is consulted:
even heavy paraphrases keep some 3-grams (0.054 at least in the calibration), and pairs
below it are not worth the extra pass over both texts."""

BAG_MIN_SHARED = 8
"""The rewrite-tier shingles a pair shares at least before this signal is consulted. On a
short text :data:`BAG_FLOOR` is a handful of 3-grams (2 of a 60-word text's 58), which
texts made of frequent words share by chance, and few content pairs make a noisy
containment: without this floor, a 60-word text of common words (``tests/
test_duplicates_samples.py``) was a ``rewrite`` of 8 unrelated texts with 3 shared
3-grams. Heavy paraphrases of 4 KB texts share 35 or more (containment 0.054 and up)."""

STEM_CHARS = 5
"""A crude stem: the first letters of a word, so "attacked" and "attacks" agree."""

# Function words and reporting verbs of at least four letters (shorter words are never
# content words here): every article has them, so they say nothing about its content.
_STOP = frozenset(
    """
    that this with from have will your they their there which about would were been what
    when more also into than them then some only other just like over such make most many
    these those very could should while where being after before because does here each
    much even well through between during both under again further said says according
    told """.split()  # noqa: SIM905
)


def content_stems_reference(text: str) -> list[str]:
    """The content-word stems of ``text`` in order, as strings: words of the matching
    form of four letters or more, not function words, cut to five letters (the plain
    reference of :func:`content_stems`)."""
    return [
        w[:STEM_CHARS]
        for w in tokens(matching_form(replace_lone_surrogates(text)))
        if len(w) >= 4 and w not in _STOP
    ]


def content_pairs(text: str) -> frozenset[tuple[str, str]]:
    """The unordered pairs of content-word stems (words of four letters or more, not
    function words, cut to five letters) at most ``BAG_WINDOW - 1`` content words apart
    in the matching form of ``text``.

    The plain reference of the signal: the library computes it with
    :func:`content_keys` (hashes, numpy, no Python object per pair), which has as many
    keys as this has pairs and gives the same :func:`key_containment` as
    :func:`bag_containment` (tested)."""
    words = content_stems_reference(text)
    out: set[tuple[str, str]] = set()
    for i, a in enumerate(words):
        for b in words[i + 1 : i + BAG_WINDOW]:
            if a != b:
                out.add((a, b) if a < b else (b, a))
    return frozenset(out)


def bag_containment(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> float:
    """Shared content pairs over the smaller text's pairs (0 when either has none)."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


# --- the fast path: 64-bit hashes from the shingler's pass over the bytes ----------------


@cache
def _stop_hashes() -> U64:
    # The token hashes of the function words, sorted (read-only: shared by every thread).
    th, _ = hash_joined(*joined_forms([" ".join(sorted(_STOP))]))
    out = np.unique(th)
    out.flags.writeable = False
    return out


def content_stems(
    th: U64, prefixes: U64, nchars: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]
) -> list[U64]:
    """Per text, the hashes of its content-word stems in text order, from the output of
    :func:`.shingles.hash_joined_prefixes` with ``chars=5``: a stem's hash is the hash
    its five letters would have as a token (:func:`.shingles.token_hashes`), so two
    stems are equal exactly when their hashes are (up to 64-bit collisions)."""
    # Only tokens of four characters or more can be content words; the function words
    # among them are found by one look-up each in a small table (stop_word_mask).
    long_enough = np.flatnonzero(nchars >= 4)
    keep = long_enough[~stop_word_mask(th[long_enough])]
    stems = prefixes[keep]
    bounds = [0, *np.searchsorted(keep, np.cumsum(counts)).tolist()]
    return [stems[bounds[k] : bounds[k + 1]] for k in range(len(counts))]


_STOP_TABLE_BITS = 12  # 4,096 slots of 8 bytes: the table stays in the L1 cache


@cache
def _stop_table() -> tuple[int, U64] | None:
    # (shift, table): slot (h >> shift) & 4095 of a function word's hash h holds h, and
    # no two function words share a slot; an empty slot holds a value of another slot,
    # which no token mapped there can equal. None if no shift separates them all (then
    # stop_word_mask falls back to a binary search). Read-only, shared by every thread.
    stop = _stop_hashes()
    size = 1 << _STOP_TABLE_BITS
    mask = np.uint64(size - 1)
    for shift in range(64 - _STOP_TABLE_BITS + 1):
        slots = ((stop >> np.uint64(shift)) & mask).astype(np.intp)
        if len(np.unique(slots)) < len(stop):
            continue
        table = (np.arange(1, size + 1, dtype=np.uint64) & mask) << np.uint64(shift)
        table[slots] = stop
        table.flags.writeable = False
        return shift, table
    return None


def stop_word_mask(th: U64) -> npt.NDArray[np.bool_]:
    """Which of the token hashes ``th`` are the hashes of function words (the words
    :func:`content_stems` drops): one table look-up per token, or a binary search in
    the sorted function-word hashes when no table could be built
    (:func:`stop_word_mask_reference`)."""
    found = _stop_table()
    if found is None:
        return stop_word_mask_reference(th)
    shift, table = found
    slots = (th >> np.uint64(shift)) & np.uint64(len(table) - 1)
    hit: npt.NDArray[np.bool_] = table[slots.astype(np.intp)] == th
    return hit


def stop_word_mask_reference(th: U64) -> npt.NDArray[np.bool_]:
    """:func:`stop_word_mask` by binary search in the sorted function-word hashes."""
    stop = _stop_hashes()
    at = np.minimum(np.searchsorted(stop, th), len(stop) - 1)
    hit: npt.NDArray[np.bool_] = stop[at] == th
    return hit


def content_stems_batch(texts: Sequence[str], *, normalized: bool = False) -> list[U64]:
    """:func:`content_stems` of each text (``normalized``: the texts are shingle forms
    already, :func:`.shingles.shingle_form`), the whole batch in one pass."""
    joined, lengths = joined_forms(texts, normalized=normalized)
    th, counts, prefixes, nchars = hash_joined_prefixes(joined, lengths, STEM_CHARS)
    return content_stems(th, prefixes, nchars, counts)


def pair_keys(stems: U64) -> U64:
    """The sorted unique 64-bit keys of the unordered pairs of different stems at most
    ``BAG_WINDOW - 1`` positions apart in ``stems`` (:func:`content_stems` of a text).
    A key is ``smaller * NGRAM_MULTIPLIER + larger`` (mod 2**64) of the two stem hashes,
    so it does not depend on their order in the text; the stem hashes are already
    mixed, so keys of different pairs collide no more often than random 64-bit values."""
    n = len(stems)
    parts = [np.zeros(0, dtype=np.uint64)]
    with np.errstate(over="ignore"):
        for k in range(1, min(BAG_WINDOW, n)):
            a = stems[:-k]
            b = stems[k:]
            lo = np.minimum(a, b)
            hi = np.maximum(a, b)
            keys = lo * NGRAM_MULTIPLIER + hi
            parts.append(keys[lo != hi])
    keys = np.concatenate(parts)
    if not len(keys):
        return keys
    keys.sort()  # sort and drop repeats (np.unique is several times slower here)
    first_of_run = np.empty(len(keys), dtype=bool)
    first_of_run[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first_of_run[1:])
    out: U64 = keys[first_of_run]
    return out


_BATCH_STEMS = 1 << 15
"""Stems per group of :func:`pair_keys_batch`: its key table (7 keys of 8 bytes a stem)
stays under 2 MB, in cache, whatever the batch."""


def pair_keys_batch(stems: Sequence[U64]) -> list[U64]:
    """:func:`pair_keys` of each stem array of ``stems``, the windows of a group of
    texts at once: row ``i`` of a ``(stems, BAG_WINDOW - 1)`` table holds the keys of
    stem ``i`` with each of the next ones of its text, so the valid entries, read row
    by row, come grouped by text; only the sort that drops repeats runs per text."""
    out: list[U64] = []
    lo = 0
    while lo < len(stems):
        hi = lo + 1
        size = len(stems[lo])
        while hi < len(stems) and size + len(stems[hi]) <= _BATCH_STEMS:
            size += len(stems[hi])
            hi += 1
        out.extend(_pair_keys_group(stems[lo:hi]))
        lo = hi
    return out


def _pair_keys_group(stems: Sequence[U64]) -> list[U64]:
    sizes = np.fromiter((len(x) for x in stems), dtype=np.int64, count=len(stems))
    total = int(sizes.sum())
    if total == 0:
        return [np.zeros(0, dtype=np.uint64) for _ in stems]
    flat = np.concatenate(stems).astype(np.uint64, copy=False)
    # Stems left in the text after each stem (a window must not cross into the next).
    starts = np.concatenate(([0], np.cumsum(sizes)))
    left = np.repeat(starts[1:], sizes) - np.arange(total) - 1
    width = BAG_WINDOW - 1
    table = np.zeros((total, width), dtype=np.uint64)
    valid = np.zeros((total, width), dtype=bool)
    with np.errstate(over="ignore"):
        for k in range(1, min(BAG_WINDOW, total)):
            a = flat[:-k]
            b = flat[k:]
            lo = np.minimum(a, b)
            hi = np.maximum(a, b)
            table[:-k, k - 1] = lo * NGRAM_MULTIPLIER + hi
            valid[:-k, k - 1] = (lo != hi) & (left[:-k] >= k)
    keys = table[valid]
    before = np.zeros(total + 1, dtype=np.int64)  # keys of the stems before each stem
    np.cumsum(np.count_nonzero(valid, axis=1), out=before[1:])
    out: list[U64] = []
    for lo_k, hi_k in itertools.pairwise(before[starts].tolist()):
        part = np.sort(keys[lo_k:hi_k])
        if len(part):
            first = np.empty(len(part), dtype=bool)
            first[0] = True
            np.not_equal(part[1:], part[:-1], out=first[1:])
            part = part[first]
        out.append(part)
    return out


def content_keys(text: str, *, normalized: bool = False) -> U64:
    """:func:`pair_keys` of the content stems of one text: the fast form of
    :func:`content_pairs` (as many keys as it has pairs)."""
    return pair_keys(content_stems_batch([text], normalized=normalized)[0])


def key_containment(a: U64, b: U64) -> float:
    """Shared keys over the smaller text's keys (0 when either has none): the
    :func:`bag_containment` of two :func:`content_keys` arrays."""
    smaller = min(len(a), len(b))
    return count_shared(a, b) / smaller if smaller else 0.0


def consulted(rewrite: TierSimilarity) -> bool:
    """Whether a pair's rewrite-tier similarity reaches :data:`BAG_FLOOR` and
    :data:`BAG_MIN_SHARED`, so that the content-pair signal is worth computing."""
    return (
        max(rewrite.containment_a_in_b, rewrite.containment_b_in_a) >= BAG_FLOOR
        and rewrite.shared >= BAG_MIN_SHARED
    )
