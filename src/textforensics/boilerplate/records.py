"""Repeated records: the items of a listing, a collection or a search-results page.

A listing repeats one template per item: a title, a blurb, a line of meta (a date, a
price, a rating, an author), often a button ("View Company Profile", "Rate this book").
Line by line the items look like a menu (short, title-case, no sentence), so the block
classifier removes them; what sets them apart is the repetition of the *record*, not of
the line. A record is found by an anchor: a line key (digits folded, so "4.35 avg rating"
and "3.68 avg rating" are one key) that recurs at least three times at a steady period
(each gap between 2 and 15 blocks, no gap more than twice another), with a block of its
own text between each two occurrences (the item's title: a menu repeated has nothing of
its own between its copies). The run is widened to the blocks before its first and after
its last anchor that have the shape of the blocks a period away (the first and the last
item's other lines).

Inside a run, a block whose text occurs once on the page (a title, a blurb, a date, a
price) is an item's own; a block whose text repeats (a button, a label, "0 comments") is
the template's chrome and is left to the classifier, and so are lines built from one
template around a varying middle that names the item ("Add Wawona 6 Tent to Compare").
A run anchored only on such chrome keeps its anchor, or the next pass (which no longer
sees the chrome) would not find the records again. The rule applies only on a page whose
records *are* its content: the words in the runs at least the words of the long blocks
(10+ words) outside them; an article's teaser grid does not pass that. Runs anchored on
comment headers or controls are the thread rule's (threads.py), not records.

The same repetition marks an item's counters (:func:`item_counters`: "0 comments" under
every post of a blog's index), which must not be taken for a comment section's start.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np

# Records per run, the period's bounds (blocks), the widest allowed ratio of two gaps.
MIN_RECORDS = 3
MIN_PERIOD = 2
MAX_PERIOD = 15
# A long block outside the runs (words) and how many times their words the runs must hold.
LONG_WORDS = 10
GRID_SHARE = 1.0


def _shape(nw: int, digit: bool) -> tuple[int, bool]:
    """A block's coarse shape: its word-count band and whether it holds a digit."""
    band = 0 if nw == 0 else 1 if nw <= 3 else 2 if nw <= 8 else 3 if nw <= 20 else 4
    return band, digit


def _steady_runs(positions: list[int]) -> list[list[int]]:
    """Maximal runs of ``positions`` with every gap in the period's bounds and within a
    factor of two of the run's first gap; runs of at least ``MIN_RECORDS``."""
    runs: list[list[int]] = []
    cur = [positions[0]]
    for a, b in pairwise(positions):
        gap = b - a
        ok = MIN_PERIOD <= gap <= MAX_PERIOD
        if ok and len(cur) >= 2:
            first = cur[1] - cur[0]
            ok = gap <= 2 * first and 2 * gap >= first
        if ok:
            cur.append(b)
        else:
            if len(cur) >= MIN_RECORDS:
                runs.append(cur)
            cur = [b]
    if len(cur) >= MIN_RECORDS:
        runs.append(cur)
    return runs


def record_blocks(
    key_ids: np.ndarray,
    text_of: Callable[[int], str],
    nw: np.ndarray,
    digit: np.ndarray,
    thread: np.ndarray | None = None,
) -> np.ndarray:
    """Which of a page's blocks are items of repeated records on a page of records.

    The arguments describe the blocks with text, in page order: ``key_ids`` (equal line
    keys, equal ids, each below the number of blocks of the page they come from),
    ``text_of`` (block index to its line), ``nw`` (words), ``digit`` (holds a digit),
    ``thread`` (marked by the thread rule: a comment's header or control line).
    Returns a bool array over those blocks: the blocks of the runs whose text occurs once
    on the page (and a run's anchor where it is needed, see below), or all False when the
    page is not a page of records (see the module's docstring).
    """
    n = len(key_ids)
    out = np.zeros(n, dtype=bool)
    if n < MIN_RECORDS * MIN_PERIOD:
        return out
    counts = np.bincount(key_ids)
    if counts.max() < MIN_RECORDS:
        return out
    key_count = counts[key_ids]
    # Cheap test first: the runs lie within a period of the first and the last line whose
    # key recurs often enough; an article's long paragraphs outside that window already
    # outweigh every word inside it.
    often = ((key_count >= MIN_RECORDS) & (nw > 0)).nonzero()[0]
    if len(often) == 0:
        return out
    lo_all = max(0, int(often[0]) - MAX_PERIOD)
    hi_all = int(often[-1]) + MAX_PERIOD + 1
    long_words = np.where(nw >= LONG_WORDS, nw, 0)
    outside_all = long_words[:lo_all].sum() + long_words[hi_all:].sum()
    if nw[lo_all:hi_all].sum() < GRID_SHARE * outside_all:
        return out
    own = (key_count == 1) & (nw >= 2)  # an item's title: text of its own
    # ... or one of two titles whose digits differ ("Osprey Rook 65 Pack", "Osprey Rook
    # 48 Pack"): the key folds digits, the texts differ.
    twice = ((key_count == 2) & (nw >= 2)).nonzero()[0].tolist()
    if twice:
        pair: dict[int, list[int]] = {}
        for i in twice:
            pair.setdefault(int(key_ids[i]), []).append(i)
        for a, b in (v for v in pair.values() if len(v) == 2):
            if text_of(a) != text_of(b):
                own[a] = own[b] = True
    in_run = np.zeros(n, dtype=bool)
    spans: list[tuple[int, int, list[int]]] = []
    shapes = list(map(_shape, nw.tolist(), digit.tolist()))
    anchors = ((counts >= MIN_RECORDS) & (np.bincount(key_ids, weights=nw) > 0)).nonzero()[0]
    order = np.argsort(key_ids, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)))
    own_before = np.concatenate(([0], np.cumsum(own)))
    for key in anchors.tolist():
        positions: list[int] = order[starts[key] : starts[key + 1]].tolist()
        for run in _steady_runs(positions):
            gaps = len(run) - 1
            with_own = sum(own_before[b] - own_before[a + 1] > 0 for a, b in pairwise(run))
            if 3 * with_own < 2 * gaps:
                continue
            if thread is not None and 2 * thread[run].sum() >= len(run):
                continue  # comments ("NAME says:", "Reply"): the thread rule's to judge
            gaps_sorted = sorted(b - a for a, b in pairwise(run))
            period = gaps_sorted[len(gaps_sorted) // 2]
            lo, hi = run[0], run[-1]
            # Widened by the blocks shaped like the blocks a period inside the run.
            for _ in range(period - 1):
                if hi + 1 < n and shapes[hi + 1] == shapes[hi + 1 - period]:
                    hi += 1
                else:
                    break
            for _ in range(period - 1):
                if lo >= 1 and lo - 1 + period < n and shapes[lo - 1] == shapes[lo - 1 + period]:
                    lo -= 1
                else:
                    break
            in_run[lo : hi + 1] = True
            spans.append((lo, hi, run))
    if not in_run.any():
        return out
    outside = ~in_run & (nw >= LONG_WORDS)
    if nw[in_run].sum() < GRID_SHARE * nw[outside].sum():
        return out
    # An item's own blocks: a key seen once, or a text seen once among the key's lines
    # (the digits differ: "4.35 avg rating", "3.68 avg rating").
    out = in_run & (key_count == 1)
    shared = (in_run & (key_count > 1)).nonzero()[0].tolist()
    if shared:
        seen: dict[str, int] = {}
        for i in (key_count > 1).nonzero()[0].tolist():
            t = text_of(i)
            seen[t] = seen.get(t, 0) + 1
        for i in shared:
            if seen[text_of(i)] == 1:
                out[i] = True
    _drop_templated(out, text_of)
    # A run whose anchor is the template's own line (the same text on every item:
    # "Website Call", "Rate this book") keeps it: without it the next pass would not find
    # the records again and would remove them. Not when a run over the same items has an
    # anchor of the items' own (their texts differ: "4.35 avg rating", "3.68 avg rating").
    varying = np.zeros(n, dtype=bool)
    fixed = []
    for lo, hi, run in spans:
        if out[run].all():
            varying[lo : hi + 1] = True
        else:
            fixed.append((lo, hi, run))
    for lo, hi, run in fixed:
        if 2 * varying[lo : hi + 1].sum() < hi + 1 - lo:
            out[run] = True
    result: np.ndarray = out
    return result


def _drop_templated(out: np.ndarray, text_of: Callable[[int], str]) -> None:
    """Unmark the blocks built from one template around a varying middle ("Add Wawona 6
    Tent to Compare", "Add Base Camp 4 Tent to Compare"): blocks of three or more words
    whose first word and last two words recur on three or more of the run's blocks, and
    whose middle ("Wawona 6 Tent") is in a block nearby no longer than them (the item's
    title: the template adds words to it). Titles of one brand and one line ("La Sportiva
    Kubo Climbing Shoes - Men's", "La Sportiva Finale Climbing Shoes - Men's") share their
    edges too, but their middles occur at most in the longer buttons built from them:
    they are the items' own."""
    at = out.nonzero()[0].tolist()
    sig: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for i in at:
        w = text_of(i).casefold().split()
        if len(w) >= 3:
            sig.setdefault((w[0], w[-2], w[-1]), []).append((i, " ".join(w[1:-2])))
    n = len(out)
    for group in sig.values():
        if len(group) < MIN_RECORDS:
            continue
        named = 0
        for i, middle in group:
            size = len(text_of(i))
            if middle and any(
                middle in t.casefold()
                for j in range(max(0, i - MAX_PERIOD), min(n, i + MAX_PERIOD + 1))
                if j != i and len(t := text_of(j)) <= size
            ):
                named += 1
        if 2 * named >= len(group):
            out[[i for i, _ in group]] = False


def item_counters(key_ids: np.ndarray, nw: np.ndarray, digit: np.ndarray) -> np.ndarray:
    """Which blocks are an item's counter on a page of records: a line with a digit whose
    key (digits folded) recurs on at least ``MIN_RECORDS`` blocks with words ("0
    comments", "14 comments" under each post of a blog's index).

    Such a line opens no comment section (:func:`.features.pass_columns`): under an
    article "12 comments" comes once or twice (above the thread, in the byline), on a
    listing once per item, and taking the first for the thread's start removed every item
    after it. Lines without a digit ("Add a comment", "Leave a reply") are not counters:
    a Q&A page repeats them under each post, and they do open its comments. ``key_ids``,
    ``nw`` and ``digit`` describe the blocks in page order as in :func:`record_blocks`."""
    out = np.zeros(len(key_ids), dtype=bool)
    words = (nw > 0).nonzero()[0]
    if len(words) < MIN_RECORDS:
        return out
    counts = np.bincount(key_ids[words], minlength=int(key_ids.max()) + 1)
    out[words] = (counts[key_ids[words]] >= MIN_RECORDS) & digit[words]
    return out
