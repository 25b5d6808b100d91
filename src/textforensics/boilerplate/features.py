"""The block classifier's features: their names, and the ones a pass computes.

The names (``FEATURES_OWN``, ``FEATURES_1``, ``FEATURES_2_EXTRA``) are the one definition
of the feature columns: ``model.json`` lists them and :class:`.classifier.BlockClassifier`
checks that it lists exactly these, in this order; every column index used in code comes
from the ``*_COLUMN`` maps derived from them below.

- *Own* features describe a block alone; :mod:`.page` computes them for a whole page at
  once (:mod:`.spec` block by block, the reference).
- *Pass* features (the rest of stage 1) depend on which blocks a pass still holds: the
  paragraph, the long blocks around, repetition, the comment section.
- *Context* features (stages 2 and 3) add the previous stage's scores around the block
  and where it lies relative to the page's main span. :func:`context_sums` gives their
  weighted sum without building the rows (the stages are linear in them);
  :func:`.spec.context_rows` builds the rows for training and tests.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .chars import log1p_exact
from .records import item_counters

if TYPE_CHECKING:
    from .page import Own, Page

FEATURES_OWN: tuple[str, ...] = (
    "bias",
    "log_words",
    "log_chars",
    "stop_share",
    "ends_sentence",
    "ends_colon",
    "title_share",
    "digit_share",
    "letter_share",
    "separators",
    "date_like",
    "name_like",
    "log_inner_sentences",
    "hit_comments",
    "hit_disclaimer",
    "hit_call_to_action",
    "hit_credit",
    "hit_related_links",
    "hit_navigation",
    "hit_legal",
    "list_marker",
    "all_caps",
    "urlish",
    "language_known",
    "very_short",
    "short_unpunctuated",
    "log_words_sq",
)


FEATURES_1: tuple[str, ...] = (
    *FEATURES_OWN,
    "log_para_lines",
    "log_para_words_per_line",
    "before_first_long",
    "after_last_long",
    "repeat_later_copy",
    "repeat_first_copy",
    "in_comment_section",
)


FEATURES_2_EXTRA: tuple[str, ...] = (
    "p_self",
    "p_prev",
    "p_next",
    "p_win2",
    "p_win5",
    "p_para",
    "in_main_span",
    "log_gap_to_span",
    "rel_position",
    "p_win10",
    "page_long_share",
    "short_x_long_share",
    "span_x_long_share",
    "in_span_loose",
    "in_span_strict",
)

FEATURES_PASS: tuple[str, ...] = FEATURES_1[len(FEATURES_OWN) :]
"""The stage-1 features after the own ones, computed per pass."""

FEATURES_2: tuple[str, ...] = (*FEATURES_1, *FEATURES_2_EXTRA)
"""The features of stages 2 and 3."""

N_OWN = len(FEATURES_OWN)
N_1 = len(FEATURES_1)

OWN_COLUMN = {name: i for i, name in enumerate(FEATURES_OWN)}
"""Column of each own feature in an own-feature row."""
PASS_COLUMN = {name: i for i, name in enumerate(FEATURES_PASS)}
"""Column of each pass feature among the pass columns (add ``N_OWN`` for a stage-1 row)."""
CONTEXT_COLUMN = {name: i for i, name in enumerate(FEATURES_2_EXTRA)}
"""Column of each context feature among the context columns (add ``N_1`` for a row)."""

# The context columns of the mean scores over the windows of radius 2, 5 and 10 (the rows
# of window_means).
MEAN_COLUMNS = [CONTEXT_COLUMN[k] for k in ("p_win2", "p_win5", "p_win10")]
# The context columns of the spans content_spans finds, in its order.
SPAN_COLUMNS = [CONTEXT_COLUMN[k] for k in ("in_main_span", "in_span_loose", "in_span_strict")]


def active_index(page: Page, active: np.ndarray) -> slice | np.ndarray:
    """Index of the ``active`` blocks into page arrays (a slice, no copy, when all are)."""
    return slice(None) if len(active) == page.n else active


def paragraph_ids(page: Page, active: np.ndarray) -> np.ndarray:
    """Paragraph ids of the ``active`` blocks as :func:`.spec.segment` gives them for their
    concatenation: a new paragraph after a block whose tail holds a blank line; the
    leading blank lines are paragraph -1."""
    ix = active_index(page, active)
    blank = page.blank[ix]
    paras = np.zeros(len(active), dtype=np.int64)
    if len(active) > 1:
        blank[:-1].cumsum(out=paras[1:])
    paras[page.lead[ix]] = -1
    return paras


def pass_columns(page: Page, active: np.ndarray, own: Own, paras: np.ndarray, x: np.ndarray) -> int:
    """The pass columns (``FEATURES_PASS``) of the ``active`` blocks, written to ``x``;
    returns the comment-section start (an index into ``active``). ``own``: the page's
    own features; ``paras``: the blocks' paragraph ids (:func:`paragraph_ids`)."""
    c = PASS_COLUMN
    n = len(active)
    ix = active_index(page, active)
    nw = page.nw[ix]
    # Paragraph size features: math.log1p per paragraph, then spread to its blocks.
    pid = paras + 1
    para_lines = np.bincount(pid)
    para_words = np.bincount(pid, weights=nw)
    present = para_lines.nonzero()[0]
    log_lines = np.zeros(len(para_lines), dtype=np.float64)
    log_wpl = np.zeros(len(para_lines), dtype=np.float64)
    log_lines[present] = log1p_exact(para_lines[present])
    log_wpl[present] = log1p_exact(para_words[present] / para_lines[present])
    x[:, c["log_para_lines"]] = log_lines[pid]
    x[:, c["log_para_words_per_line"]] = log_wpl[pid]
    long_idx = page.is_long[ix].nonzero()[0]
    first_long = int(long_idx[0]) if len(long_idx) else n
    last_long = int(long_idx[-1]) if len(long_idx) else -1
    idx = np.arange(n)
    x[:, c["before_first_long"]] = idx < first_long
    x[:, c["after_last_long"]] = idx > last_long
    # In-document repetition among the blocks with words: a later copy, or the first of
    # several copies.
    later = np.zeros(n, dtype=np.float64)
    first_of_many = np.zeros(n, dtype=np.float64)
    sel = (nw > 0).nonzero()[0]
    if len(sel):
        ids = page.key_ids[ix][sel]
        is_first = first_occurrences(ids)
        later[sel] = ~is_first
        first_of_many[sel] = is_first & (np.bincount(ids)[ids] > 1)
    x[:, c["repeat_later_copy"]] = later
    x[:, c["repeat_first_copy"]] = first_of_many
    # (a count line repeated per item, "0 comments", is a listing's, not a section's)
    markers = own.section_marker[ix] & ~item_counters(page.key_ids[ix], nw, page.has_digit[ix])
    markers = markers[first_long + 1 :].nonzero()[0]
    section_at = first_long + 1 + int(markers[0]) if len(markers) else n
    x[:, c["in_comment_section"]] = idx >= section_at
    return section_at


def first_occurrences(ids: np.ndarray) -> np.ndarray:
    """Whether each id (non-negative) occurs here for the first time."""
    if len(ids) == 0:
        return np.zeros(0, dtype=bool)
    pos = np.arange(len(ids))
    first = np.full(int(ids.max()) + 1, len(ids), dtype=np.int64)
    np.minimum.at(first, ids, pos)
    out: np.ndarray = first[ids] == pos
    return out


class _WindowTable:
    """The lower and (uncut) upper bounds of the windows of radius 2, 5 and 10 around
    block ``i``, for ``i`` below a size that grows as pages need: read-only arrays,
    replaced (under a lock) by larger ones, never changed."""

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self.bounds = self._make(size)

    @staticmethod
    def _make(size: int) -> tuple[np.ndarray, np.ndarray]:
        idx = np.arange(size)
        lo, hi = np.maximum(idx - _RADII, 0), idx + _RADII + 1
        lo.flags.writeable = hi.flags.writeable = False
        return lo, hi

    def at_least(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        bounds = self.bounds  # one read: a consistent pair
        if n > bounds[0].shape[1]:
            with self._lock:
                bounds = self.bounds
                if n > bounds[0].shape[1]:
                    bounds = self._make(max(n, 2 * bounds[0].shape[1]))
                    self.bounds = bounds
        return bounds


_RADII = np.array([[2], [5], [10]])
_WINDOW_TABLE_SIZE = 4096
_WINDOWS = _WindowTable(_WINDOW_TABLE_SIZE)


def windows(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds and widths of the windows of radius 2, 5 and 10 around each of ``n``
    blocks (one row per radius; read-only)."""
    lo_all, hi_all = _WINDOWS.at_least(n)
    lo = lo_all[:, :n]
    hi = np.minimum(hi_all[:, :n], n)
    return lo, hi, hi - lo


# Where the span features centre the stage-1 evidence: the main span, then the looser
# and the stricter one.
_SPAN_CENTRES = np.array([[0.5], [0.3], [0.7]])


@dataclass(slots=True)
class Context:
    """What the context features of one pass share across its stages (see
    :func:`context_setup`)."""

    n: int
    pid: np.ndarray  # paragraph ids + 1 (from 0)
    para_counts: np.ndarray  # blocks per present paragraph
    para_present: np.ndarray  # bool per paragraph id
    words1: np.ndarray  # words + 1 (float)
    cw: np.ndarray  # prefix sums of the words
    # windows(n), or None on a large page (made a row at a time by window_means)
    windows: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    rel_position: np.ndarray
    share: float  # the page's share of words in long blocks
    short_share: np.ndarray  # (words <= 7) * share


def context_setup(paras: np.ndarray, nw: np.ndarray, is_long: np.ndarray) -> Context:
    """The score-independent parts of the context features of blocks with paragraph ids
    ``paras``, ``nw`` words and long-block flags ``is_long``."""
    n = len(paras)
    pid = np.asarray(paras, dtype=np.int64) + 1  # the leading blank lines are -1
    counts = np.bincount(pid)
    present = counts > 0
    words = np.asarray(nw, dtype=np.float64)
    cw = np.zeros(n + 1, dtype=np.float64)
    words.cumsum(out=cw[1:])
    share = float(words[np.asarray(is_long, bool)].sum()) / max(float(cw[n]), 1.0)
    return Context(
        n=n,
        pid=pid,
        para_counts=counts[present],
        para_present=present,
        words1=words + 1.0,
        cw=cw,
        windows=windows(n) if n <= _WINDOW_TABLE_SIZE else None,
        rel_position=np.arange(n) / max(n - 1, 1),
        share=share,
        short_share=(words <= 7) * share,
    )


def context_sums(ctx: Context, p1: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``x @ w`` for the context columns ``x`` (``FEATURES_2_EXTRA``, the columns
    :func:`.spec.fill_context` and :func:`.spec.fill_constant_context` write) of scores
    ``p1``, without writing them: each column's weight times its values, added up."""
    c = CONTEXT_COLUMN
    n = ctx.n
    # The weights as Python floats: the same products and sums, in the same order, as
    # with numpy's scalars, without a numpy scalar made per term.
    wl: list[float] = w.tolist()
    z: np.ndarray = p1 * wl[c["p_self"]]
    # neighbours; at the ends, the block itself
    w_prev, w_next = wl[c["p_prev"]], wl[c["p_next"]]
    z[1:] += p1[:-1] * w_prev
    z[0] += float(p1[0]) * w_prev
    z[:-1] += p1[1:] * w_next
    z[n - 1] += float(p1[n - 1]) * w_next
    z += w[MEAN_COLUMNS] @ window_means(ctx, p1)
    z += para_means(ctx, p1) * wl[c["p_para"]]
    spans = content_spans(ctx, p1)
    start, end = spans[0]
    z[start:end] += wl[c["in_main_span"]] + wl[c["span_x_long_share"]] * ctx.share
    z += log_gaps(ctx, start, end) * wl[c["log_gap_to_span"]]
    for k in (1, 2):
        st, e = spans[k]
        z[st:e] += wl[SPAN_COLUMNS[k]]
    z += ctx.rel_position * wl[c["rel_position"]]
    z += ctx.share * wl[c["page_long_share"]]
    z += ctx.short_share * wl[c["short_x_long_share"]]
    return z


def window_means(ctx: Context, p: np.ndarray) -> np.ndarray:
    """The mean scores over the windows of radius 2, 5 and 10 (a row each), from prefix
    sums (sequential, as a running Python sum would give)."""
    pp = np.zeros(ctx.n + 1, dtype=np.float64)
    p.cumsum(out=pp[1:])
    if ctx.windows is not None:  # the three rows at once (:func:`window_means_by_row`'s values)
        lo, hi, width = ctx.windows
        means: np.ndarray = pp[hi]
        means -= pp[lo]
        means /= width
        return means
    return window_means_by_row(ctx.n, pp)


def window_means_by_row(n: int, pp: np.ndarray) -> np.ndarray:
    """:func:`window_means` a row at a time (large pages: fewer temporaries; the plain
    reference of the batched path), from the prefix sums ``pp`` of ``n`` scores."""
    means = np.empty((len(_RADII), n), dtype=np.float64)
    idx = np.arange(n)
    for r, radius in enumerate(_RADII[:, 0].tolist()):
        lo, hi = np.maximum(idx - radius, 0), np.minimum(idx + radius + 1, n)
        np.subtract(pp[hi], pp[lo], out=means[r])
        means[r] /= hi - lo
    return means


def para_means(ctx: Context, p: np.ndarray) -> np.ndarray:
    """Each block's paragraph's mean score."""
    sums = np.bincount(ctx.pid, weights=p)
    means = np.zeros(len(sums), dtype=np.float64)
    means[ctx.para_present] = sums[ctx.para_present] / ctx.para_counts
    out: np.ndarray = means[ctx.pid]
    return out


def content_spans(ctx: Context, p: np.ndarray) -> list[tuple[int, int]]:
    """The main, looser and stricter spans (see :func:`.spec.fill_context`): the three
    maximum-sum runs at once, from prefix sums. A run ends where the prefix sum exceeds
    the lowest one before it the most, and starts at that lowest one (the first, on
    ties)."""
    if ctx.windows is None:  # a large page: a span at a time, fewer temporaries
        return [content_span(ctx, p, centre) for centre in _SPAN_CENTRES[:, 0].tolist()]
    # The three rows at once: each row's values, running sums (accumulated along the
    # row, in order), rounding and running minima are content_span's.
    cs = np.zeros((len(_SPAN_CENTRES), ctx.n + 1), dtype=np.float64)
    rows = p - _SPAN_CENTRES
    rows *= ctx.words1
    rows.cumsum(axis=1, out=cs[:, 1:])
    np.round(cs, 9, out=cs)
    gain = np.minimum.accumulate(cs[:, :-1], axis=1)
    np.subtract(cs[:, 1:], gain, out=gain)
    ends = (gain.argmax(axis=1) + 1).tolist()
    return [(int(cs[r, :end].argmin()), end) for r, end in enumerate(ends)]


def content_span(ctx: Context, p: np.ndarray, centre: float) -> tuple[int, int]:
    """One span of :func:`content_spans`, the stage-1 evidence centred at ``centre`` (the
    plain reference of the three at once)."""
    cs = np.zeros(ctx.n + 1, dtype=np.float64)
    ((p - centre) * ctx.words1).cumsum(out=cs[1:])
    # Rounded, so that runs tied up to float noise (identical blocks scored by
    # arithmetic in another order, e.g. fused vs per-row scoring) resolve the same
    # way (the first).
    np.round(cs, 9, out=cs)
    gain = np.minimum.accumulate(cs[:-1])
    np.subtract(cs[1:], gain, out=gain)
    end = int(np.argmax(gain)) + 1
    del gain
    return int(cs[:end].argmin()), end


def log_gaps(ctx: Context, start: int, end: int) -> np.ndarray:
    """log1p of the words between each block and the span ``[start, end)``."""
    n = ctx.n
    cw = ctx.cw
    gap = np.zeros(n, dtype=np.float64)
    gap[:start] = cw[start] - cw[1 : start + 1]
    gap[end:] = cw[end:n] - cw[end]
    out: np.ndarray = np.log1p(gap)
    return out
