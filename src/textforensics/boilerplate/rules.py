"""One classification pass: the scores of the three stages, then the rules in order.

Each block takes the first rule that applies: blank lines are kept; a trailing run of
headline-like lines after the last long block goes as related links; the comment
section goes (all of it under an article, else what scores low); lines the site model
learned go as repeated; phrase hits within their hard limits go; later copies of a block
go; symbol lines go; the title and the lead sentence are kept; the rest is kept or
removed by its content score. The reasons written here are the ``message`` of each
:class:`~textforensics.results.TextBlock`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import overload

import numpy as np
import regex

from .classifier import BlockClassifier, sigmoid
from .features import (
    N_1,
    N_OWN,
    active_index,
    context_setup,
    context_sums,
    first_occurrences,
    paragraph_ids,
    pass_columns,
)
from .page import Own, Page
from .postshapes import PLAIN_HEADERS, plain_comments
from .records import record_blocks
from .sections import SECTION_KINDS, heading_marks, section_spans
from .site import BoilerplateModel
from .threads import HEADER, thread_runs


def _own_sums(own: Own, classifier: BlockClassifier) -> np.ndarray:
    """Each stage's weighted sum of the own features of each block (a column per stage),
    made when first asked for (one call of strip_boilerplate uses one classifier)."""
    if own.sums is None:
        if own.rows is None:  # cannot happen: own_rows keeps the sums when not the rows
            raise ValueError("own-feature rows without rows or sums")
        own.sums = own.rows @ classifier.own
    return own.sums


_KIND_REASON = {
    "comments": "comment section",
    "disclaimer": "disclaimer",
    "call_to_action": "call to action",
    "credit": "credit line",
    "related_links": "related links",
    "navigation": "navigation",
    "legal": "legal / cookie notice",
    "repeated": "repeated",
}


# Why a block is kept (reasons of removed blocks are written when they are removed).
KEPT_BLANK, KEPT_TITLE, KEPT_LEAD, KEPT_SCORE, KEPT_RECORD = 1, 2, 3, 4, 5


_THREAD_REASON = "comment thread (repeated author-and-time headers, reply controls)"
_RELATED_TAIL_REASON = "related links (trailing run of headline-like lines)"
_THREAD_ENTRY = ("comments", _THREAD_REASON)


@dataclass(slots=True)
class Pass:
    """One classification pass over the active blocks (arrays index the active list)."""

    keep: np.ndarray
    scores: np.ndarray
    kept_code: np.ndarray  # KEPT_* for kept blocks
    removed: dict[int, tuple[str, str]]  # removed block -> (kind, reason), but:
    low: np.ndarray  # blocks removed for their score (reasons: see strip_boilerplate)
    low_kinds: np.ndarray  # their kinds (an object array of str)


# The kinds of blocks removed by score without a phrase kind: navigation, or related links for a
# headline-like block after the last long block
_INFERRED_KINDS = np.array(["navigation", "related_links"], dtype=object)


def classify_pass(
    page: Page,
    active: np.ndarray,
    own: Own,
    classifier: BlockClassifier,
    thr: float,
    model: BoilerplateModel | None = None,
    model_counts: np.ndarray | None = None,
) -> Pass:
    """One pass over the ``active`` blocks of ``page`` (``own``: their own features for
    the pass's language), scored by ``classifier`` against the threshold ``thr``;
    ``model``: the site model, with ``model_counts``, each block's count in it."""
    paras = paragraph_ids(page, active)
    n = len(active)
    ix = active_index(page, active)
    nw = page.nw[ix]
    is_long = page.is_long[ix]
    # The stages' scores without their feature rows (the model is linear in them): the
    # own features' share (per page) plus this pass's stage-1 columns, then the context
    # columns of each later stage, computed from the scores of the one before.
    cols = np.empty((n, N_1 - N_OWN), dtype=np.float64)
    section_at = pass_columns(page, active, own, paras, cols) if n else 0
    z = _own_sums(own, classifier)[ix] + cols @ classifier.pass_
    del cols  # (large pages: the pass's per-block arrays are let go when done)
    p2a = sigmoid(z[:, 0] + classifier.bias[0])
    if n:
        ctx = context_setup(paras, nw, is_long)
        for k, w in enumerate(classifier.context, start=1):
            p2a = context_sums(ctx, p2a, w)
            p2a += z[:, k]
            p2a += classifier.bias[k]
            sigmoid(p2a)
    has_content = page.clen[ix] > 0
    kind_all = own.kind
    no_kind = ~own.hit[ix]
    headline = page.headline[ix]
    long_idx = is_long.nonzero()[0]
    last_long = int(long_idx[-1]) if len(long_idx) else -1
    first_long = int(long_idx[0]) if len(long_idx) else n
    tail = _trailing_headlines(page, active, own, last_long)
    with_text = ((nw > 0) & no_kind).nonzero()[0]
    first_text = int(with_text[0]) if len(with_text) else n
    idx = np.arange(n)
    keep = np.ones(n, dtype=bool)
    kept_code = np.zeros(n, dtype=np.int8)
    removed: dict[int, tuple[str, str]] = {}
    # The rules in order: each block takes the first that applies.
    rest = has_content.copy()
    kept_code[~has_content] = KEPT_BLANK
    for i in tail:
        removed[i] = ("related_links", _RELATED_TAIL_REASON)
    rest[tail] = False
    if section_at < n:
        sec = rest[section_at:].nonzero()[0] + section_at
        if not _section_is_hard(nw, is_long, section_at):
            # Not under an article: only what scores below the threshold goes.
            sec = sec[p2a[sec] < thr]
        # (one reason object shared by all the blocks it removes: there may be many)
        after = ("comments", f"comment section (after {page.contents[active[section_at]][:40]!r})")
        opens = ("comments", "comment section (opens it: widget or heading)")
        for i in sec.tolist():
            removed[i] = opens if i == section_at else after
        rest[sec] = False
    thread_marks = page.marks()[active]
    discussion_above = False
    for run in thread_runs(thread_marks, nw, is_long, p2a):
        start = run.start
        if run.discussion:
            # the page is the discussion: its posts stay, unless they are a plain thread
            # under an article (from its first post on), and no discussion of as many
            # posts stayed above it (a forum topic split by a long post: its first posts
            # read as an article above the rest)
            if not discussion_above:
                start = plain_comments(
                    lambda i: page.contents[active[i]], run, thread_marks, nw, p2a
                )
            if discussion_above or start < 0:
                span = thread_marks[run.start : run.end + 1]
                discussion_above |= int(((span & HEADER) != 0).sum()) >= PLAIN_HEADERS
                continue
        sec = rest[start : run.end + 1].nonzero()[0] + start
        for i in sec.tolist():
            removed[i] = _THREAD_ENTRY
        rest[sec] = False
    if model is not None and model_counts is not None:
        mc = model_counts[ix]
        by_model = rest & page.has_key[ix] & (mc >= model.min_documents)
        for i in by_model.nonzero()[0].tolist():
            removed[i] = (
                "repeated",
                f"repeats across {model.count(page.keys[active[i]])} of {model.documents} pages",
            )
            rest[i] = False
    hard = own.hard[ix]
    by_phrase = (rest & hard).nonzero()[0]
    if len(by_phrase):
        hit_where = own.hit_where
        removed.update(
            (i, (k, _hard_reason(k, hit_where[g])))
            for i, g in zip(by_phrase.tolist(), active[by_phrase].tolist(), strict=True)
            if (k := kind_all[g]) is not None
        )
    rest &= ~hard
    _drop_sections(page, active, nw, is_long, p2a >= thr, rest, removed)
    _keep_records(page, active, nw, has_content, p2a, rest, kept_code)
    # Repeats of an earlier block (of those still undecided) with >= 3 words.
    keyed = (rest & page.has_key[ix]).nonzero()[0]
    if len(keyed):
        dup = ~first_occurrences(page.key_ids[ix][keyed])
        rep = keyed[dup & (nw[keyed] >= 3)]
        for i in rep.tolist():
            removed[i] = ("repeated", "repeats an earlier block of this document")
        rest[rep] = False
    for i in (rest & (nw == 0) & (page.clen[ix] <= 3)).nonzero()[0].tolist():
        removed[i] = ("navigation", "no words (separator or symbol line)")
        rest[i] = False
    if (
        first_text < n
        and rest[first_text]
        and (headline[first_text] or nw[first_text] == 1)
        and TITLE_SUFFIX_RE.search(page.contents[active[first_text]]) is None
    ):
        kept_code[first_text] = KEPT_TITLE
        rest[first_text] = False
    lead = rest & (idx >= first_long - 3) & (idx < first_long) & no_kind & (nw >= 4)
    lead &= page.lead_end[ix]
    kept_code[lead] = KEPT_LEAD
    rest &= ~lead
    low = rest & (p2a < thr)
    low_at = low.nonzero()[0]
    low_kinds = _INFERRED_KINDS[:0]
    if len(low_at):
        # the phrase kind, else related links after the last long block (headline-like),
        # else navigation; the reasons are written by strip_boilerplate
        g = active[low_at]
        low_kinds = own.kind_array[g]
        no_phrase = ~own.hit[g]
        if no_phrase.any():
            tail_like = headline[low_at] & (low_at > last_long)
            if last_long < 0:
                tail_like[:] = False
            low_kinds[no_phrase] = _INFERRED_KINDS[tail_like[no_phrase].astype(np.intp)]
        keep[low_at] = False
    kept_code[rest & ~low] = KEPT_SCORE
    if removed:
        keep[list(removed)] = False
    _related_tail(page, active, keep, removed, last_long, kept_code)
    return Pass(
        keep=keep,
        scores=p2a,
        kept_code=kept_code,
        removed=removed,
        low=low_at,
        low_kinds=low_kinds,
    )


_HIT_TEXT = {
    "line": "whole line matches a phrase",
    "start": "starts with a phrase",
    "contains": "contains a phrase",
    "section": "after the comment-section marker",
}


def _section_is_hard(nw: np.ndarray, is_long: np.ndarray, section_at: int) -> bool:
    """Whether everything after the comment-section marker goes: the long paragraphs
    before it (an article) outweigh those after it. Otherwise (a question and its
    answers, a short post under a long thread) only low-scoring blocks go."""
    long_words = np.where(is_long, nw, 0)
    return bool(long_words[:section_at].sum() >= long_words[section_at:].sum())


# A separator and at most four words at the end: `` | Site Name``, `` - Site`` (a first
# line with one is not kept as the title).
TITLE_SUFFIX_RE = regex.compile(r"\s[|–—»·•-]\s+\S+(?:\s+\S+){0,3}\s*\Z|\s\|\s")


def _hit_text(where: str) -> str:
    return _HIT_TEXT[where]


@cache
def _hard_reason(kind: str, where: str) -> str:
    """The reason of a block removed outright for a phrase hit of ``kind``."""
    return f"{_KIND_REASON[kind]} ({_hit_text(where)})"


def _trailing_headlines(page: Page, active: np.ndarray, own: Own, last_long: int) -> list[int]:
    """Indices (into ``active``) of a trailing run (>= 2) of headline-like lines after the
    last long block; lines that phrase data marks as navigation, legal or calls to action
    may interleave."""
    run: list[int] = []
    if last_long < 0:
        return run
    contents, kind, headline = page.contents, own.kind, page.headline_list
    after = active[last_long + 1 :].tolist()
    for j in range(len(after) - 1, -1, -1):
        g = after[j]
        if not contents[g] or kind[g] in ("navigation", "legal", "call_to_action"):
            continue
        if not headline[g]:
            break
        run.append(last_long + 1 + j)
    return run if len(run) >= 2 else []


def _related_tail(
    page: Page,
    active: np.ndarray,
    keep: np.ndarray,
    removed: dict[int, tuple[str, str]],
    last_long: int,
    kept_code: np.ndarray,
) -> None:
    """A trailing run of >= 2 headline-like lines after the last long paragraph (the
    items of repeated records end it: a listing's titles are not related links)."""
    run: list[int] = []
    # Only when something long precedes: a short page of headlines is not a tail.
    if last_long < 0:
        return
    contents, headline = page.contents, page.headline_list
    after = active[last_long + 1 :].tolist()
    kept = keep[last_long + 1 :].tolist()
    record = (kept_code[last_long + 1 :] == KEPT_RECORD).tolist()
    for j in range(len(after) - 1, -1, -1):
        g = after[j]
        if not kept[j] or not contents[g]:
            continue
        if not headline[g] or record[j]:
            break
        run.append(last_long + 1 + j)
    if len(run) >= 2:
        for i in run:
            keep[i] = False
            removed[i] = ("related_links", _RELATED_TAIL_REASON)


KEPT_REASON = {
    KEPT_BLANK: "leading blank lines",
    KEPT_TITLE: "title (first line, headline-like)",
    KEPT_LEAD: "lead sentence just before the first paragraph",
    KEPT_RECORD: "item of a repeated record (a page of listings)",
}


class _ActiveLines(Sequence[str]):
    """The lines of the active blocks by their index among them (read only where the
    section rule looks: headings and their neighbours)."""

    def __init__(self, contents: Sequence[str], active: np.ndarray) -> None:
        self._contents = contents
        self._active = active

    def __len__(self) -> int:
        return len(self._active)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self._contents[g] for g in self._active[i].tolist()]
        return self._contents[int(self._active[i])]


_SECTION_REASON = {
    "comments": "reviews or questions section",
    "legal": "legal, cookie or shipping-terms section",
    "related_links": "related products section",
}


def _drop_sections(
    page: Page,
    active: np.ndarray,
    nw: np.ndarray,
    is_long: np.ndarray,
    content: np.ndarray,
    rest: np.ndarray,
    removed: dict[int, tuple[str, str]],
) -> None:
    """Remove the undecided blocks of the sections under a heading such as "Customer
    reviews" or "Privacy policy" below the page's content (sections.py)."""
    marks = page.section_marks
    if marks is None:
        marks = page.section_marks = heading_marks(page.edge_keys, page.first4, page.nw)
    here = marks[active]
    if not here.any():
        return
    lines = _ActiveLines(page.contents, active)
    # (a heading is headline-like and holds no digit: "5.0 out of 5 stars Great bag" is a review's)
    heading = page.headline[active] & ~page.has_digit[active]
    for first, last, mark in section_spans(here, lines, nw, is_long, heading, content):
        kind = SECTION_KINDS[mark - 1]
        entry = (kind, f"{_SECTION_REASON[kind]} (under {lines[first][:40]!r})")
        sec = rest[first : last + 1].nonzero()[0] + first
        for i in sec.tolist():
            removed[i] = entry
        rest[sec] = False


# Below this score a block in a run is a menu's (a mega-menu of [category, arrow,
# tagline] repeats like records) and is left to the classifier.
_RECORD_FLOOR = 0.05


def _keep_records(
    page: Page,
    active: np.ndarray,
    nw: np.ndarray,
    has_content: np.ndarray,
    scores: np.ndarray,
    rest: np.ndarray,
    kept_code: np.ndarray,
) -> None:
    """Keep the undecided blocks that are items of repeated records (records.py)."""
    at = has_content.nonzero()[0]
    if len(at) == 0:
        return
    g = active[at]
    contents = page.contents
    grid = record_blocks(
        page.key_ids[g], lambda i: contents[g[i]], nw[at], page.has_digit[g], page.marks()[g] != 0
    )
    if grid.any():
        sel = at[grid]
        sel = sel[rest[sel] & (scores[sel] >= _RECORD_FLOOR)]
        kept_code[sel] = KEPT_RECORD
        rest[sel] = False
