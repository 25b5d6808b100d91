"""The plain per-block reference: what the fast page-at-once code must equal.

Segmentation into blocks (:func:`segment`), their keys and words (:func:`make_blocks`)
and the own features of one block at a time (:func:`own_features`), written for
clarity; tests check the page-at-once features (:mod:`.page`) against them row by row.
:func:`own_features` also serves lines over ``MAX_FEATURE_CHARS``, which the page code
leaves to it.

The feature *rows* of stages 1 to 3 (:func:`stage1_rows`, :func:`context_rows`) are
built here too: the classifier at run time scores without them (:func:`.features.context_sums`);
training fits on them, and tests check that both give the same scores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..text import LINE_BREAK_RE, iter_lines, tokens
from .chars import (
    INNER_SENT_RE,
    LIST_MARK_RE,
    SENT_END_RE,
    SEPARATOR_CHARS,
    SEPARATOR_RE,
    URL_NEEDLES,
    URLISH_RE,
    line_keys_joined,
)
from .features import (
    CONTEXT_COLUMN,
    FEATURES_2,
    FEATURES_OWN,
    N_1,
    N_OWN,
    SPAN_COLUMNS,
    Context,
    active_index,
    content_spans,
    context_setup,
    log_gaps,
    para_means,
    pass_columns,
    window_means,
)
from .phrases import MAX_FEATURE_CHARS, PHRASE_KINDS, Phrases, contained_phrase, edge_strip

if TYPE_CHECKING:
    from .page import Own, Page

LONG_WORDS = 20
"""A block of at least this many words that ends a sentence is *long* (a paragraph of
the main text, for the pass features and the rules)."""


@dataclass(slots=True)
class Block:
    start: int
    end: int
    content: str  # the line, stripped
    para: int
    key: str
    words: list[str]
    kind: str | None = None  # phrase kind hit
    hit_where: str = ""
    own: list[float] = field(default_factory=list)  # features of the block alone
    is_long: bool = False
    headline: bool = False
    section_marker: bool = False


def segment(text: str) -> list[tuple[int, int, int, int]]:
    """Blocks as (start, end, content_end, paragraph_id): each non-blank line with the
    blank lines after it; leading blank lines form a block of their own."""
    blocks: list[tuple[int, int, int, int]] = []
    cur_start: int | None = None
    cur_content_end = 0
    para = 0
    prev_blank = True
    lead_end = 0
    for s, e in iter_lines(text):
        if text[s:e].strip():
            if cur_start is not None:
                blocks.append((cur_start, s, cur_content_end, para))
                if prev_blank:
                    para += 1
            elif s > 0:
                lead_end = s
            cur_start = s
            cur_content_end = e
            prev_blank = False
        else:
            prev_blank = True
    if cur_start is None:
        return [(0, len(text), len(text), 0)] if text else []
    blocks.append((cur_start, len(text), cur_content_end, para))
    if lead_end:
        blocks.insert(0, (0, lead_end, lead_end, -1))
    return _resegment(text, blocks)


def _resegment(
    text: str, spans: Sequence[tuple[int, int, int, int]]
) -> list[tuple[int, int, int, int]]:
    """Paragraph ids as the concatenation of ``spans`` would get them: a new paragraph
    starts after a block that ends in a blank line."""
    out = []
    para = 0
    prev_blank = False
    for k, (s, e, ce, _p) in enumerate(spans):
        if k > 0 and prev_blank:
            para += 1
        out.append((s, e, ce, -1 if _p == -1 else para))
        prev_blank = _has_blank(text, ce, e)
    return out


def _has_blank(text: str, content_end: int, end: int) -> bool:
    """Whether the block's tail (after its content line) holds a blank line."""
    return len(LINE_BREAK_RE.findall(text, content_end, end)) >= 2


def _phrase_hit(b: Block, ph: Phrases, key: str) -> None:
    """Phrase-family hit of the block; ``key`` is its edge-stripped key."""
    kind = ph.line.get(key)
    if kind is not None:
        b.kind, b.hit_where = kind, "line"
        return
    if len(b.words) > 120:
        return
    # start_re is anchored at \A: match() is search() without trying later positions.
    m = ph.start_re.match(key) if ph.start_re is not None else None
    if m is not None:
        b.kind, b.hit_where = ph.start_kind[m.group()], "start"
        return
    found = contained_phrase(b.key, b.words, ph.contains_by_word)
    if found is not None:
        b.kind, b.hit_where = found, "contains"


def _section_start(b: Block, ph: Phrases, key: str) -> bool:
    """The line starts with a comment-section phrase (``12 comments on "Title"``)."""
    if b.kind != "comments" or b.hit_where != "start" or ph.start_re is None:
        return False
    m = ph.start_re.match(key)
    return m is not None and edge_strip(m.group()) in ph.section


def _date_like(b: Block, ph: Phrases, has_digit: bool) -> bool:
    if not b.words or len(b.words) > 9 or not has_digit:
        return False
    dw = ph.date_words
    return all(w.isdigit() or w in dw or len(w) <= 2 for w in b.words)


def _name_like(b: Block, parts: list[str], has_digit: bool, ends: bool) -> bool:
    """``parts``: the whitespace-split content; ``has_digit``: it holds a digit;
    ``ends``: it ends a sentence (``SENT_END_RE``)."""
    if not 1 <= len(parts) <= 4 or len(b.content) > 40:
        return False
    if has_digit or ends:
        return False
    return all(p[:1].isupper() for p in parts)


def headline_like(b: Block) -> bool:
    nw = len(b.words)
    if not 2 <= nw <= 16 or INNER_SENT_RE.search(b.content):
        return False
    c = b.content.rstrip()
    return not (c.endswith(_HEADLINE_ENDS))


_HEADLINE_ENDS = (".", "…", ":", ";", ",", "...")


# Deleted bytes: len(b) - len(b.translate(None, d)) counts ASCII letters / digits, which
# for an ASCII string is exactly what sum(map(str.isalpha / str.isdigit, s)) counts.
_ASCII_LETTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


_ASCII_DIGITS = b"0123456789"


def own_features(b: Block, ph: Phrases, language: str | None) -> None:
    """The own features of block ``b`` (``FEATURES_OWN``, in ``b.own``), with its phrase
    hit, headline shape and comment-section marker, for the phrase data ``ph``
    (``language``: the detected or given language, None when unknown)."""
    edge_key = edge_strip(b.key)
    _phrase_hit(b, ph, edge_key)
    c = b.content
    nw = len(b.words)
    sample = c[:MAX_FEATURE_CHARS]
    parts = sample.split()
    nonspace = sum(map(len, parts)) or 1
    ascii_sample = sample.isascii()
    sb = sample.encode("ascii") if ascii_sample else b""
    if ascii_sample:
        letters = len(sb) - len(sb.translate(None, _ASCII_LETTERS))
    else:
        letters = sum(map(str.isalpha, sample))
    if letters < nonspace:
        if ascii_sample:
            digits = len(sb) - len(sb.translate(None, _ASCII_DIGITS))
        else:
            digits = sum(map(str.isdigit, sample))
    else:
        digits = 0  # every non-space character is a letter: no digits
    # the sample is the whole line unless it is very long
    has_digit = digits > 0 if len(c) <= MAX_FEATURE_CHARS else any(map(str.isdigit, c))
    firsts = [p[0] for p in parts if p[0].isalpha()]
    title = sum(map(str.isupper, firsts)) / (len(firsts) or 1)
    caps = letters > 3 and sample.upper() == sample
    ends = bool(SENT_END_RE.search(c))
    inner = len(INNER_SENT_RE.findall(sample)) if nw >= 4 else 0
    separators = bool(SEPARATOR_CHARS.intersection(sample)) and bool(SEPARATOR_RE.search(sample))
    urlish = any(map(sample.__contains__, URL_NEEDLES)) and bool(URLISH_RE.search(sample))
    stop = ph.stopwords
    stop_share = (sum(map(stop.__contains__, b.words)) / nw) if nw else 0.0
    lw = math.log1p(nw)
    b.is_long = nw >= LONG_WORDS and ends
    if nw >= 4 and len(c) <= MAX_FEATURE_CHARS:
        # headline_like(b), reusing the inner-sentence count of the whole line
        b.headline = nw <= 16 and inner == 0 and not c.rstrip().endswith(_HEADLINE_ENDS)
    else:
        b.headline = headline_like(b)
    b.section_marker = edge_key in ph.section or _section_start(b, ph, edge_key)
    kind = b.kind
    values = {
        "bias": 1.0,
        "log_words": lw,
        "log_chars": math.log1p(len(c)),
        "stop_share": stop_share,
        "ends_sentence": 1.0 if ends else 0.0,
        "ends_colon": 1.0 if c.endswith(":") else 0.0,
        "title_share": title,
        "digit_share": digits / nonspace,
        "letter_share": letters / nonspace,
        "separators": 1.0 if separators else 0.0,
        "date_like": 1.0 if _date_like(b, ph, has_digit) else 0.0,
        "name_like": 1.0 if _name_like(b, parts, has_digit, ends) else 0.0,
        "log_inner_sentences": math.log1p(inner),
        **{f"hit_{k}": 1.0 if kind == k else 0.0 for k in PHRASE_KINDS},
        "list_marker": 1.0 if LIST_MARK_RE.match(c) else 0.0,
        "all_caps": 1.0 if caps else 0.0,
        "urlish": 1.0 if urlish else 0.0,
        "language_known": 1.0 if language else 0.0,
        "very_short": 1.0 if nw <= 3 else 0.0,
        "short_unpunctuated": 1.0 if nw <= 7 and not ends else 0.0,
        "log_words_sq": lw * lw,
    }
    b.own = [values[name] for name in FEATURES_OWN]


def line_keys(lines: Sequence[str]) -> list[str]:
    """``[line_key(x).strip() for x in lines]``, normalizing all lines in one go: they
    are joined with line feeds, which no step of the normalization crosses or creates
    (case folding and the punctuation map are per character; whitespace runs other than
    the line feed become one space; digit runs become ``0``)."""
    return line_keys_joined(lines)[1]


def make_blocks(text: str, spans: Sequence[tuple[int, int, int, int]]) -> list[Block]:
    """The blocks of ``text`` at ``spans`` (:func:`segment`), with their keys and words."""
    contents = [text[s:ce].strip() for s, _e, ce, _p in spans]
    if not contents:
        return []
    keys = line_keys(contents)
    return [
        Block(start=s, end=e, content=content, para=para, key=key, words=tokens(key))
        for (s, e, _ce, para), content, key in zip(spans, contents, keys, strict=True)
    ]


def stage1_rows(
    page: Page,
    active: np.ndarray,
    own: Own,
    paras: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Stage-1 rows (``FEATURES_1``: own features, then pass features) of the ``active``
    blocks of ``page`` (``own``: the page's own features, ``paras``: their paragraph ids),
    and the comment-section start (an index into ``active``)."""
    n = len(active)
    x = np.empty((n, N_1), dtype=np.float64)
    if n == 0:
        return x, 0
    if own.rows is None:
        raise ValueError("stage1_rows needs the own-feature rows (own_rows without weights)")
    x[:, :N_OWN] = own.rows[active_index(page, active)]
    return x, pass_columns(page, active, own, paras, x[:, N_OWN:])


def context_rows(
    paras: np.ndarray,
    x1: np.ndarray,
    p1: np.ndarray,
    *,
    nw: np.ndarray,
    is_long: np.ndarray,
) -> np.ndarray:
    """Stage-2 rows: the stage-1 rows ``x1`` plus stage-1 scores ``p1`` of the block's
    neighbourhood (``paras``: the blocks' paragraph ids). Missing neighbours (at the ends)
    take the block's own score, so that the ends of a text are not eroded pass after
    pass."""
    n = len(paras)
    x = np.empty((n, len(FEATURES_2)), dtype=np.float64)
    x[:, :N_1] = x1
    if n == 0:
        return x
    ctx = context_setup(paras, nw, is_long)
    fill_constant_context(ctx, x)
    fill_context(ctx, np.asarray(p1, dtype=np.float64), x)
    return x


def fill_constant_context(ctx: Context, x: np.ndarray) -> None:
    """The score-independent context columns of ``x`` (see :func:`fill_context`)."""
    c = {k: N_1 + i for k, i in CONTEXT_COLUMN.items()}
    x[:, c["rel_position"]] = ctx.rel_position
    x[:, c["page_long_share"]] = ctx.share
    x[:, c["short_x_long_share"]] = ctx.short_share


def fill_context(ctx: Context, p1: np.ndarray, x: np.ndarray) -> None:
    """The score-dependent context columns of ``x`` from the scores ``p1``: the block's,
    its neighbours', the means over windows of 2 and 5 blocks and over its paragraph; then
    where the block lies relative to the page's main span, the run of blocks with the
    largest word-weighted content evidence (maximum-sum subarray of
    ``(p1 - 0.5) * (words + 1)``): inside it, log words between it and the block, (relative
    position on the page: constant), the mean score of the 21-block window around the
    block, (the page's share of words in long blocks and its product with short blocks:
    constant), its product with the span, and whether the block lies in the spans of
    looser (0.3) and stricter (0.7) evidence."""
    n = ctx.n
    c = {k: N_1 + i for k, i in CONTEXT_COLUMN.items()}
    x[:, c["p_self"]] = p1
    x[0, c["p_prev"]] = p1[0]
    x[1:, c["p_prev"]] = p1[:-1]
    x[:-1, c["p_next"]] = p1[1:]
    x[n - 1, c["p_next"]] = p1[n - 1]
    means = window_means(ctx, p1)
    x[:, c["p_win2"]] = means[0]
    x[:, c["p_win5"]] = means[1]
    x[:, c["p_para"]] = para_means(ctx, p1)
    spans = content_spans(ctx, p1)
    start, end = spans[0]
    x[:, c["in_main_span"]] = 0.0
    x[start:end, c["in_main_span"]] = 1.0
    x[:, c["log_gap_to_span"]] = log_gaps(ctx, start, end)
    x[:, c["p_win10"]] = means[2]
    x[:, c["span_x_long_share"]] = 0.0
    x[start:end, c["span_x_long_share"]] = ctx.share
    for k in (1, 2):
        st, e = spans[k]
        x[:, N_1 + SPAN_COLUMNS[k]] = 0.0
        x[st:e, N_1 + SPAN_COLUMNS[k]] = 1.0
