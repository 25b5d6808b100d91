"""The findings of :func:`~textforensics.homoglyphs.find_homoglyphs` handed over a batch at
a time, so that :func:`~textforensics.homoglyphs.fix_homoglyphs` can turn them into edits
without holding a finding for every word of a dense text at once.

A dense text is scanned as :func:`.scan.candidates` scans it (the same chunks, cut after a
line break), but each chunk in parts of about :data:`PART` characters, each part read
with a margin of :data:`MARGIN` characters on either side (clipped to its chunk), and
only the candidates starting inside the part kept. Every test of the scan looks at a
character's neighbours, or, for a whole-script word, at its run of look-alikes and at
letters within the scan's context distance of it; a part ends just after an ASCII space,
which no such run holds, so with the margin every test sees what it sees in one pass and
the candidates are the same. The candidate spans are kept in typed arrays (a few bytes
each) and analysed in start order a batch at a time; a finding is handed over once no
span still to come can start before it (every finding starts inside its span), in the
order ``find_homoglyphs`` sorts them in, ties included. Sparse and short texts go
through ``find_homoglyphs`` itself (their findings are few).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from ..results import HomoglyphFinding
from ..vocab import FIXABLE_KINDS, HOMOGLYPH_KINDS
from .context import Context
from .data import tables
from .hidden import analyze_hidden
from .marks import analyze_marks
from .rules import analyze_digits, analyze_scripts, whole_script
from .scan import (
    _CONTEXT,
    add_words,
    dense_chunks,
    dominant_group,
    find_homoglyphs,
    run_limit,
    scan_arrays,
    suspect_runs,
    word_at,
)

__all__ = ["BATCH", "MARGIN", "PART", "fixable_batches"]

PART = 1 << 16
"""Characters per part of a dense chunk (the part's arrays: a few MB)."""
MARGIN = 2 * _CONTEXT
"""Characters read on either side of a part: more than the whole-script context."""
BATCH = 2048
"""Candidate words analysed per batch."""


def fixable_batches(
    text: str, *, part: int = PART, batch: int = BATCH
) -> Iterator[list[HomoglyphFinding]]:
    """The fixable findings of ``text`` (``find_homoglyphs(text)`` of the kinds in
    :data:`~textforensics.vocab.FIXABLE_KINDS`), in lists that, concatenated, are exactly
    that list. ``part`` and ``batch`` set the sizes of the steps (for tests)."""
    if text.isascii():
        return
    limit = run_limit(len(text))
    if len(text) <= part or len(suspect_runs(text, limit)) <= limit:
        yield [f for f in find_homoglyphs(text) if f.kind in FIXABLE_KINDS]
        return
    import numpy as np  # lazy, as in .scan

    dominant = dominant_group(text)
    name = tables().scripts[dominant] if dominant else "Latn"
    ctx = Context(text=text, dominant=name, cjk_document=name == "Hani", has_cr="\r" in text)
    starts, ends, whole = _spans(text, dominant, part)
    # Words before whole-script spans, each in its own order: the order in which
    # find_homoglyphs analyses them, which breaks ties between equal sort keys.
    order = np.argsort(np.frombuffer(starts, starts.typecode), kind="stable").tolist()
    pending: list[tuple[tuple[int, int, int, int, int], HomoglyphFinding]] = []
    for lo in range(0, len(order), batch):
        for rank in order[lo : lo + batch]:
            s, e = starts[rank], ends[rank]
            found: list[HomoglyphFinding] = []
            if rank < whole:
                analyze_hidden(ctx, s, e, found)
                analyze_scripts(ctx, s, e, found)
                analyze_digits(ctx, s, e, found)
                analyze_marks(ctx, s, e, found)
            else:
                whole_script(ctx, s, e, found)
            pending.extend(
                ((f.start, f.end, HOMOGLYPH_KINDS.index(f.kind), rank, seq), f)
                for seq, f in enumerate(found)
                if f.kind in FIXABLE_KINDS
            )
        mark = starts[order[lo + batch]] if lo + batch < len(order) else len(text) + 1
        pending.sort(key=lambda item: item[0])
        done = 0
        while done < len(pending) and pending[done][0][0] < mark:
            done += 1
        if done:
            yield [f for _, f in pending[:done]]
            del pending[:done]


def _spans(text: str, dominant: int, part: int) -> tuple[array[int], array[int], int]:
    """The candidate spans of a dense text as :func:`.scan.candidates` makes them: their
    starts and ends, the word spans (in text order) and then the whole-script spans (in
    order of their candidate starts), and the number of word spans."""
    code = "i" if len(text) < 2**31 else "q"
    starts, ends = array(code), array(code)
    whole_starts = array(code)
    last_end = -1
    for positions, candidates in _parts(text, dominant, part):
        whole_starts.extend(candidates)
        last_end = add_words(text, positions, starts, ends, last_end)
    words = len(starts)
    for s in whole_starts:
        start, end = word_at(text, s)
        starts.append(start)
        ends.append(end)
    return starts, ends, words


def _parts(text: str, dominant: int, part: int) -> Iterator[tuple[list[int], list[int]]]:
    """Per part, in text order: the sorted offsets whose word needs a closer look and the
    sorted starts of whole-script candidate words (as :func:`.scan.scan` finds them)."""
    import numpy as np  # lazy, as in .scan

    for lo, hi in dense_chunks(text):
        a = lo
        while a < hi:
            cut = text.find(" ", a + part, hi)
            b = hi if cut < 0 else cut + 1
            w_lo, w_hi = max(lo, a - MARGIN), min(hi, b + MARGIN)
            arrays, starts = scan_arrays(text, w_lo, w_hi, dominant)
            if arrays:
                positions = np.unique(np.concatenate(arrays))
                positions = positions[(positions >= a) & (positions < b)]
            else:
                positions = np.zeros(0, np.int64)
            starts = starts[(starts >= a) & (starts < b)]
            yield positions.tolist(), starts.tolist()
            a = b
