"""The stripper's batched paths equal the plain ones kept beside them, exactly."""

from __future__ import annotations

from itertools import repeat

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from textforensics.boilerplate.chars import (
    codepoints,
    flags_of,
    joined_bounds,
    key_words,
    line_key_codes,
    line_keys_joined,
)
from textforensics.boilerplate.classifier import shipped_classifier
from textforensics.boilerplate.features import (
    Context,
    content_span,
    content_spans,
    context_setup,
    context_sums,
)
from textforensics.boilerplate.page import THREAD_SHIFT, page_word_info, read_page, word_table
from textforensics.boilerplate.phrases import word_info
from textforensics.boilerplate.pieces import span_or_and
from textforensics.boilerplate.threads import WORD_BITS, block_marks, thread_word_bits

SCORES = st.lists(st.floats(0, 1), min_size=1, max_size=80)


def _context(scores: list[float], seed: int) -> tuple[Context, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = len(scores)
    paras = np.sort(rng.integers(-1, max(n // 3, 1), n))
    words = rng.integers(0, 40, n)
    # repeated scores make tied runs: the first must win in both paths
    p = np.array(scores)
    if seed % 2:
        p = np.repeat(p[: max(n // 4, 1)], 4)[:n]
        p = np.concatenate([p, np.array(scores)[len(p) :]])
    return context_setup(paras, words, rng.random(n) < 0.3), p


@given(SCORES, st.integers(0, 50))
def test_three_spans_at_once_equal_one_at_a_time(scores: list[float], seed: int) -> None:
    ctx, p = _context(scores, seed)
    assert ctx.windows is not None
    batched = content_spans(ctx, p)
    plain = [content_span(ctx, p, c) for c in (0.5, 0.3, 0.7)]
    assert batched == plain
    ctx.windows = None  # (a large page: one at a time)
    assert content_spans(ctx, p) == plain


@given(SCORES, st.integers(0, 50))
def test_context_sums_equal_with_and_without_the_window_table(
    scores: list[float], seed: int
) -> None:
    # Without the table, window means and spans are made a row at a time (the plain
    # paths); the sums must be the same bits.
    ctx, p = _context(scores, seed)
    for w in shipped_classifier().context:
        sums = context_sums(ctx, p.copy(), w)
        ctx.windows, saved = None, ctx.windows
        assert np.array_equal(context_sums(ctx, p.copy(), w), sums)
        ctx.windows = saved


@given(st.lists(st.text(alphabet=st.characters(codec=None), max_size=30), min_size=1))
def test_key_codes_give_the_keys_words(lines: list[str]) -> None:
    # The code points line_key_codes hands on are those of the joined keys, and
    # key_words gives the same words, counts and flags with them as without.
    lines = [x.strip() for x in lines]
    joined = "\n".join(lines)
    cps = codepoints(joined)
    f = flags_of(cps)
    folded, keys, codes = line_key_codes(lines, joined, f, stripped=True, joined_cps=cps)
    assert (folded, keys) == line_keys_joined(lines, joined, f, stripped=True, joined_cps=cps)
    bounds = joined_bounds(keys)
    plain = key_words(keys, folded, bounds)
    if codes is not None:
        assert np.array_equal(codes.astype(np.uint32), codepoints(folded).astype(np.uint32))
        fast = key_words(keys, folded, bounds, codes)
        assert fast[0] == plain[0]
        assert np.array_equal(fast[1], plain[1])
        assert np.array_equal(fast[2], plain[2])


@given(st.lists(st.sampled_from(["the", "Home", "und", "Reply", "x", "el 3", ""]), max_size=60))
def test_word_info_equals_lookup_one_by_one(words: list[str]) -> None:
    page = read_page("\n".join(words))
    got = page_word_info(page)
    table = word_table()
    want = np.fromiter(map(table.get, page.all_words(), repeat(0)), dtype=np.int64)
    assert got.dtype == np.int64
    assert np.array_equal(got, want)


def test_word_table_is_word_info_and_the_thread_bits() -> None:
    table, info, thread = word_table(), word_info(), thread_word_bits()
    assert set(table) == set(info) | set(thread)
    for w, v in table.items():
        assert v & ~(WORD_BITS << THREAD_SHIFT) == info.get(w, 0)
        assert (v >> THREAD_SHIFT) & WORD_BITS == thread.get(w, 0)


# Lines of every shape the thread marks tell apart: controls (with counts and ages),
# headers (dates, ages, "says:"), openers, menus, prose, prices, colons and dots.
_THREAD_LINES = [
    "Reply",
    "Like · Reply · 3y",
    "Reply • Share ›",
    "Gefällt mir · Antworten · 18h",
    "Antworten (29)",
    "Antworten",
    "12 Punkte",
    "Report abuse",
    "Share",
    "Home",
    "About us",
    "Martin - 9 December, 2011",
    "2. 'holic - 9 December, 2011",
    "1. Ann - 3 May 2012",
    "Alexa • vor 2 Tagen",
    "u/name · 5 points · 3 hours ago | parent | next",
    "NAME says:",
    "Marie · hier",
    "Bob wrote…",
    "Posted by Tom at 18:00",
    "14 Kommentare",
    "Comments (23)",
    "Leave a comment",
    "Sort by Newest",
    "Load more comments",
    "Page 1 2 3 »",
    "16 thoughts on “A Title of Any Length”",
    "$9.99",
    "Price: EUR 21.28 delivery Wed, Mar 18",
    "Contact:",
    "Read more...",
    "The end.",
    "It was a long day and nobody came to the party that evening at all, sadly.",
    "Sep 18 Tensors III: overcomplete tensor decomposition via sums of squares",
    "0h",
    "٣ ago",
    "²",
    "",
    "hace 3 días",
    "yesterday",
]


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_THREAD_LINES),
            st.text(st.sampled_from("ab0 :.…·|Reply"), max_size=12),
        ),
        max_size=60,
    ),
    st.booleans(),
)
def test_thread_marks_by_word_bits_equal_every_line_looked_at(
    lines: list[str], blank_between: bool
) -> None:
    page = read_page(("\n\n" if blank_between else "\n").join(lines))
    fast = page.marks()  # with the words' thread bits
    plain = block_marks(
        list(page.contents), page.all_words(), page.word_off, page.nw, page.has_digit
    )
    assert np.array_equal(fast, plain)


@given(st.lists(st.integers(0, 15), min_size=1, max_size=40), st.data())
def test_span_or_and_equal_one_span_at_a_time(values: list[int], data: st.DataObject) -> None:
    n = len(values)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=12)))
    spans = [(a, b) for a, b in zip([0, *cuts], [*cuts, n], strict=True) if a < b]
    lo = np.array([a for a, _b in spans], dtype=np.int64)
    hi = np.array([b for _a, b in spans], dtype=np.int64)
    any_bits, all_bits = span_or_and(np.array(values, dtype=np.int64), lo, hi)
    for k, (a, b) in enumerate(spans):
        want_or = want_and = values[a]
        for v in values[a + 1 : b]:
            want_or |= v
            want_and &= v
        assert (int(any_bits[k]), int(all_bits[k])) == (want_or, want_and)
