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
from textforensics.boilerplate.page import page_word_info, read_page
from textforensics.boilerplate.phrases import word_info

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
    table = word_info()
    want = np.fromiter(map(table.get, page.all_words(), repeat(0)), dtype=np.int64)
    assert got.dtype == np.int64
    assert np.array_equal(got, want)
