"""A page read in chunks (large inputs, bounded memory) equals the page read whole."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics.boilerplate import page as page_module
from textforensics.boilerplate import pieces
from textforensics.boilerplate.classifier import shipped_classifier
from textforensics.boilerplate.features import context_setup, context_sums, window_means
from textforensics.boilerplate.page import (
    Own,
    Page,
    own_rows,
    page_language,
    page_word_info,
    read_page,
)
from textforensics.boilerplate.phrases import detect_language

LINES = st.sampled_from(
    [
        "Home",
        "Privacy Policy",
        "What do you think?",
        "Notify of",
        "Martin - 9 December, 2011",
        "Reply • Share ›",
        "3 Comments",
        "Alexa • vor 2 Tagen",
        "October 18, 2019",
        "12 34 56",
        "in ,",
        "Subscribe to our newsletter",
        "The views expressed here do not necessarily reflect those of the publisher.",
        "The two leaders exchanged their views on issues of mutual concern in Syria, "
        "the statement said, and agreed to keep the details secret.",
        "“I wish them all a lot of luck,” he said while speaking of Russia and Syria.",
        "Die beiden Minister haben sich am Montag in Berlin getroffen und über die Lage "
        "gesprochen, teilte das Ministerium mit.",
        "x" * 2100 + " the end.",  # over MAX_FEATURE_CHARS
        "İstanbul STRASSE Straße ﬁne",  # case folds to several characters
        "",
        "   ",
    ]
)
BREAKS = st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\n \n"])
DOCS = st.one_of(
    st.text(max_size=300),
    st.lists(st.tuples(LINES, BREAKS), max_size=60).map(lambda xs: "".join(a + b for a, b in xs)),
)

_ARRAYS = (
    "lead",
    "blank",
    "word_off",
    "nw",
    "key_ids",
    "clen",
    "has_digit",
    "ends_sentence",
    "is_long",
    "headline",
    "lead_end",
    "has_key",
    "unclean",
    "base",
)
_LISTS = ("starts", "ends", "line_numbers", "contents", "keys", "edge_keys", "first4")


def _check_same_page(chunked: Page, whole: Page) -> None:
    assert chunked.n == whole.n
    for name in _LISTS:
        assert list(getattr(chunked, name)) == getattr(whole, name), name
    assert chunked.contents[1:-1:2] == whole.contents[1:-1:2]
    for name in _ARRAYS:
        a, b = getattr(chunked, name), getattr(whole, name)
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b), name
    assert chunked.headline_list == whole.headline_list
    assert sorted(chunked.long_rows) == sorted(whole.long_rows)
    assert whole.words is not None
    assert chunked.all_words() == whole.words
    assert [chunked.block_words(i) for i in range(chunked.n)] == [
        whole.block_words(i) for i in range(whole.n)
    ]
    assert np.array_equal(page_word_info(chunked), page_word_info(whole))
    assert np.array_equal(chunked.marks(), whole.marks())
    active = np.arange(whole.n)
    language = page_language(whole, active)
    assert page_language(chunked, active) == language
    for lang in {None, "en", "de", language}:
        a, b = own_rows(chunked, lang), own_rows(whole, lang)
        assert np.array_equal(a.rows, b.rows)
        assert (a.kind, a.hit_where) == (b.kind, b.hit_where)
        for name in ("section_marker", "hard", "hit"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name


@given(DOCS, st.integers(min_value=1, max_value=400))
def test_page_read_in_chunks_equals_page_read_whole(text: str, chunk: int) -> None:
    whole = read_page(text, chunk_chars=1 << 40)
    chunked = read_page(text, chunk_chars=chunk)
    _check_same_page(chunked, whole)


@contextmanager
def _chunks_of(size: int) -> Iterator[None]:
    saved = page_module.CHUNK_CHARS
    page_module.CHUNK_CHARS = size
    try:
        yield
    finally:
        page_module.CHUNK_CHARS = saved


def _strip(text: str) -> tuple[str, list[dict[str, object]], str | None]:
    r = tf.strip_boilerplate(text)
    return r.text, [b.to_dict() for b in r.blocks], r.language


@given(DOCS, st.integers(min_value=1, max_value=400))
def test_strip_in_chunks_equals_strip_whole(text: str, chunk: int) -> None:
    with _chunks_of(1 << 40):
        whole = _strip(text)
    with _chunks_of(chunk):
        assert _strip(text) == whole


def test_thread_and_article_across_chunk_edges() -> None:
    # An article, a comment thread and a trailing menu, cut at every few blocks: the thread
    # marks, repetition and phrase hits come out as read whole.
    article = (
        "The two leaders exchanged their views on issues of mutual concern in Syria, the"
        " statement said, and agreed to keep the details secret for the time being.\n\n"
    )
    thread = "".join(
        f"Reader{i} - {i + 1} December, 2011\n\nI think this is point number {i}, and so on.\n\n"
        "Reply • Share ›\n\n"
        for i in range(8)
    )
    text = "Headline of the day\n\n" + article * 6 + "3 Comments\n\n" + thread + "Home\nAbout us\n"
    with _chunks_of(1 << 40):
        whole = _strip(text)
    assert any(b["kind"] == "comments" for b in whole[1])
    for size in (1, 50, 200, 777):
        with _chunks_of(size):
            assert _strip(text) == whole, size
        _check_same_page(read_page(text, chunk_chars=size), read_page(text, chunk_chars=1 << 40))


def test_memory_of_a_large_text_stays_near_its_size() -> None:
    # 600 K characters of the seeds' lines, shuffled, read in chunks of 64 K characters:
    # the Python objects and numpy arrays traced at the peak stay within 20 bytes per
    # character (about 11 on 2026-12-07; read whole, the per-character arrays and the word
    # strings took about 53).
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    base = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    lines = base.split("\n")
    rng = random.Random(7)
    out: list[str] = []
    while sum(map(len, out)) < 600_000:
        rng.shuffle(lines)
        out += lines
    text = "\n".join(out)
    with _chunks_of(1 << 16):
        _ = tf.strip_boilerplate("warm up the tables.\n\nHome\n").removed
        tracemalloc.start()
        try:
            result = tf.strip_boilerplate(text)
            _ = result.removed
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert len(result.blocks) > 1000
    assert peak < 20 * len(text), (peak, len(text))


@given(DOCS, st.integers(min_value=1, max_value=400), st.randoms(use_true_random=False))
def test_page_language_of_active_blocks_matches_reference(
    text: str, chunk: int, rnd: random.Random
) -> None:
    # page_language takes the first 3000 words of the active blocks from the blocks' word
    # offsets; reference: detect_language of those blocks' words listed one by one.
    for page in (read_page(text, chunk_chars=1 << 40), read_page(text, chunk_chars=chunk)):
        for _ in range(3):
            active = np.array(
                sorted(rnd.sample(range(page.n), rnd.randint(0, page.n))), dtype=np.int64
            )
            words = [w for i in active.tolist() for w in page.block_words(i)]
            assert page_language(page, active) == detect_language(words)


def test_page_language_samples_the_first_3000_words() -> None:
    # German blocks first, then many English ones: the sample (3000 words) ends before the
    # English blocks when the first block is active, and holds only English without it.
    german = "Die beiden Minister haben sich am Montag in Berlin getroffen und über die Lage.\n"
    english = "The two leaders exchanged their views on issues of mutual concern in the end.\n"
    text = german * 300 + english * 400
    page = read_page(text)
    everything = np.arange(page.n)
    assert page_language(page, everything[:-1]) == "de"
    assert page_language(page, everything[300:]) == "en"
    assert page_language(page, everything[::2]) == detect_language(
        [w for i in everything[::2].tolist() for w in page.block_words(i)]
    )


@contextmanager
def _patched(module: object, **values: int) -> Iterator[None]:
    saved = {k: getattr(module, k) for k in values}
    for k, v in values.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(module, k, v)


def _same_own(a: Own, b: Own) -> None:
    assert a.rows is not None
    assert b.rows is not None
    assert np.array_equal(a.rows, b.rows)
    assert (a.kind, a.hit_where) == (b.kind, b.hit_where)
    for name in ("section_marker", "hard", "hit"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


@given(
    DOCS,
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=9),
)
def test_lines_by_piece_and_words_by_step_change_nothing(
    text: str, chunk: int, piece: int, step: int
) -> None:
    # A large text's lines are read a piece at a time and own_rows takes the per-word
    # flags a step of words at a time: tiny pieces and steps give the same page and rows.
    langs = {None, "en", "de", page_language(read_page(text), np.arange(read_page(text).n))}
    reference = {lang: own_rows(read_page(text, chunk_chars=1 << 40), lang) for lang in langs}
    with _patched(pieces, PIECE_CHARS=piece, WORD_STEP=step):
        whole = read_page(text, chunk_chars=1 << 40)
        _check_same_page(read_page(text, chunk_chars=chunk), whole)
        for lang in langs:
            _same_own(own_rows(read_page(text, chunk_chars=chunk), lang), reference[lang])


@given(DOCS, st.integers(min_value=1, max_value=400))
def test_own_sums_in_place_equal_rows_times_weights(text: str, chunk: int) -> None:
    # With weights, own_rows writes the rows into the page's base rows, keeps only their
    # sums and sets the base back: the sums are those of the rows, bit for bit.
    weights = shipped_classifier().own
    for lang in (None, "en", "de"):
        page = read_page(text, chunk_chars=chunk)
        base = page.base.copy()
        own = own_rows(page, lang, weights)
        assert own.rows is None
        assert own.sums is not None
        assert np.array_equal(page.base, base)
        rows = own_rows(read_page(text, chunk_chars=chunk), lang).rows
        assert rows is not None
        assert np.array_equal(own.sums, rows @ weights)
        assert own_rows(page, lang, weights) is own  # cached


@given(st.lists(st.floats(0, 1), min_size=1, max_size=40), st.integers(0, 30))
def test_window_means_without_the_table_equal_the_table(scores: list[float], seed: int) -> None:
    # A large page's windows are made a row at a time instead of read from the table.
    rng = np.random.default_rng(seed)
    n = len(scores)
    paras = np.sort(rng.integers(-1, max(n // 3, 1), n))
    ctx = context_setup(paras, rng.integers(0, 40, n), rng.random(n) < 0.3)
    p = np.array(scores)
    means = window_means(ctx, p)
    weights = rng.normal(size=len(shipped_classifier().context[0]))
    sums = context_sums(ctx, p.copy(), weights)
    ctx.windows = None
    assert np.array_equal(window_means(ctx, p), means)
    assert np.array_equal(context_sums(ctx, p.copy(), weights), sums)
