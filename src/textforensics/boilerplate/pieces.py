"""A large page's text and words a piece at a time (see :mod:`.page`).

:func:`line_table` gives a text's line offsets without a list of all its lines;
:class:`BlockContents` reads a block's contents from the text when asked;
:func:`per_block` and :func:`phrase_words` take per-word flags ``WORD_STEP`` words at a
time, so that no per-word array of the whole page is made beyond the page's own.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import overload

import numpy as np

from ..text import iter_lines


def split_lines(text: str) -> tuple[list[str], np.ndarray]:
    """Lines (without terminators) and their start offsets."""
    if "\r" in text:
        spans = list(iter_lines(text))
        starts = np.fromiter((s for s, _e in spans), dtype=np.int64, count=len(spans))
        return [text[s:e] for s, e in spans], starts
    lines = text.split("\n")
    lens = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    starts = np.zeros(len(lines), dtype=np.int64)
    (lens[:-1] + 1).cumsum(out=starts[1:])
    return lines, starts


def line_table(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The start offset and stripped length of each line of ``text`` (split at line
    feeds, as ``text.split("\\n")``), read ``PIECE_CHARS`` characters (and the rest of a
    line) at a time."""
    starts: list[np.ndarray] = []
    lens: list[np.ndarray] = []
    pos, n = 0, len(text)
    while True:
        cut = text.find("\n", pos + PIECE_CHARS) if pos + PIECE_CHARS < n else -1
        lines = text[pos : n if cut < 0 else cut].split("\n")
        k = len(lines)
        size = np.fromiter(map(len, lines), dtype=np.int64, count=k)
        at = np.full(k, pos, dtype=np.int64)
        (size[:-1] + 1).cumsum(out=at[1:])
        at[1:] += pos
        starts.append(at)
        lens.append(np.fromiter(map(len, map(str.strip, lines)), dtype=np.int64, count=k))
        del lines, size
        if cut < 0:
            return np.concatenate(starts), np.concatenate(lens)
        pos = cut + 1


PIECE_CHARS = 1 << 20


class BlockContents(Sequence[str]):
    """The contents of the blocks of ``text`` from ``starts`` to ``ends``, each read from
    the text when asked for: a block is a non-blank line and the blank lines after it,
    so its stripped text is its stripped line."""

    __slots__ = ("_ends", "_starts", "_text")

    def __init__(self, text: str, starts: list[int], ends: list[int]) -> None:
        self._text, self._starts, self._ends = text, starts, ends

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._text[self._starts[i] : self._ends[i]].strip()


_BYTE_OF_BIT = [k // 8 if sys.byteorder == "little" else 7 - k // 8 for k in range(64)]


def bit(values: np.ndarray, k: int) -> np.ndarray:
    """``(values & (1 << k)) != 0`` for int64 ``values``, through a byte view (no 8-byte
    temporary per value: a page read in chunks may hold millions of words)."""
    byte = np.ascontiguousarray(values, dtype=np.int64).view(np.uint8).reshape(-1, 8)
    out: np.ndarray = (byte[:, _BYTE_OF_BIT[k]] & (1 << (k % 8))) != 0
    return out


def span_or_and(
    values: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The bitwise OR and AND of ``values[lo[i]:hi[i]]`` for each ``i`` (int ``values``;
    every span non-empty, in ascending order)."""
    if len(lo) == 0:
        return np.zeros(0, dtype=values.dtype), np.zeros(0, dtype=values.dtype)
    at = np.empty(2 * len(lo), dtype=np.int64)
    at[0::2] = lo
    at[1::2] = hi
    padded = np.append(values, 0)  # (a span may end at the last value)
    return np.bitwise_or.reduceat(padded, at)[0::2], np.bitwise_and.reduceat(padded, at)[0::2]


def per_block(flags: Callable[[int, int], np.ndarray], word_off: np.ndarray) -> np.ndarray:
    """How many words of each block (words ``word_off[i]`` to ``word_off[i + 1]``) have
    their flag set (``flags(s, e)``: the flags of words ``s`` to ``e``), as int64: the
    differences of the prefix sums at the offsets, the prefix sums taken ``WORD_STEP``
    words at a time (no per-word array of the whole page)."""
    n_words = int(word_off[-1])
    at = np.zeros(len(word_off), dtype=np.int64)  # the prefix sum at each offset
    total = 0
    for s in range(0, n_words, WORD_STEP):
        e = min(s + WORD_STEP, n_words)
        sums = np.cumsum(flags(s, e), dtype=np.int64)
        i0, i1 = np.searchsorted(word_off, [s, e], side="right").tolist()
        at[i0:i1] = sums[word_off[i0:i1] - s - 1]
        at[i0:i1] += total
        total += int(sums[-1])
    out: np.ndarray = at[1:] - at[:-1]
    return out


WORD_STEP = 1 << 16


def phrase_words(
    flags: Callable[[int, int, str], np.ndarray],
    word_off: np.ndarray,
    still: np.ndarray,
    unclean: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The words of the blocks ``still`` open that are a phrase's first word and followed
    by a second word of the same block (``maybe``: their pair decides), and those that
    are a first word, single or of an ``unclean`` block (left to the full test), as
    sorted word indices; ``WORD_STEP`` words at a time."""
    n_words = int(word_off[-1])
    any_unclean = bool(unclean.any())
    maybes: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    hits: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for s in range(0, n_words, WORD_STEP):
        e = min(s + WORD_STEP, n_words)
        e1 = min(e + 1, n_words)  # and the next word, if any
        block = np.searchsorted(word_off, np.arange(s, e1), side="right") - 1
        at = flags(s, e, "first") & still[block[: e - s]]
        nxt = np.zeros(e - s, dtype=bool)  # the next word is a second word, same block
        nxt[: e1 - s - 1] = flags(s + 1, e1, "second") & (block[1:] == block[:-1])
        maybes.append((at & nxt).nonzero()[0] + s)
        single = flags(s, e, "single")
        if any_unclean:
            single |= unclean[block[: e - s]]
        hits.append((at & single).nonzero()[0] + s)
    return np.concatenate(maybes), np.concatenate(hits)
