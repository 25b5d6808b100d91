"""The shared text model: line/column mapping, segmentation, normalization."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textforensics import text as T

texts = st.text(alphabet=st.characters(codec=None), max_size=300)
linebreaky = st.text(alphabet=st.sampled_from(list("ab \r\n\té")), max_size=200)


def test_line_index_example() -> None:
    s = "ab\ncd\r\nef\rg"
    idx = T.LineIndex(s)
    assert idx.line_count == 4
    assert idx.position(0) == (1, 1)
    assert idx.position(3) == (2, 1)
    assert idx.position(7) == (3, 1)
    assert idx.position(10) == (4, 1)
    assert idx.position(len(s)) == (4, 2)
    span = idx.span(3, 9)
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 1, 3, 2)
    with pytest.raises(ValueError, match="outside"):
        idx.position(len(s) + 1)


@given(linebreaky, st.data())
def test_line_index_round_trip(s: str, data: st.DataObject) -> None:
    idx = T.LineIndex(s)
    offset = data.draw(st.integers(0, len(s)))
    line, column = idx.position(offset)
    assert idx.offset(line, column) == offset
    # naive reference: one more than the line breaks that end at or before the offset
    assert line == 1 + sum(1 for m in T.LINE_BREAK_RE.finditer(s) if m.end() <= offset)
    line_start = max([0] + [m.end() for m in T.LINE_BREAK_RE.finditer(s) if m.end() <= offset])
    assert column == offset - line_start + 1


@given(linebreaky)
def test_line_bounds_match_index_and_reference(s: str) -> None:
    idx = T.LineIndex(s)
    lines = [(m.start(), m.end()) for m in T.LINE_BREAK_RE.finditer(s)]
    for offset in range(len(s) + 1):
        # naive reference: the line starts after the last break ending at or before the
        # offset and ends where the next break starts
        start = max([0] + [e for _, e in lines if e <= offset])
        end = min([b for b, _ in lines if b >= start] + [len(s)])
        assert T.line_bounds(s, offset) == (start, end)
        assert idx.line_bounds(offset) == (start, end)


@given(texts)
def test_segmentations_are_valid_sorted_spans(s: str) -> None:
    for segmenter in (T.iter_words, T.iter_lines, T.iter_paragraphs, T.iter_sentences):
        spans = list(segmenter(s))
        prev_end = 0
        for start, end in spans:
            assert 0 <= prev_end <= start <= end <= len(s)
            prev_end = end


@given(texts)
def test_lines_cover_text(s: str) -> None:
    pieces = []
    prev = 0
    for start, end in T.iter_lines(s):
        pieces.append(s[prev:start])  # the line break before this line
        pieces.append(s[start:end])
        prev = end
    assert "".join(pieces) == s


@given(texts)
def test_sentences_cover_all_non_space(s: str) -> None:
    covered = set()
    for start, end in T.iter_sentences(s):
        covered.update(range(start, end))
        assert s[start:end] == s[start:end].strip()
    assert all(i in covered for i, ch in enumerate(s) if not ch.isspace())


def test_sentences_example() -> None:
    s = "He said “stop.” Then left!  New line\nsecond line"
    got = [s[a:b] for a, b in T.iter_sentences(s)]
    assert got == ["He said “stop.”", "Then left!", "New line", "second line"]


def test_paragraphs_example() -> None:
    s = "\n\nfirst para\nstill first\n\n  \nsecond\n"
    assert [s[a:b] for a, b in T.iter_paragraphs(s)] == ["first para\nstill first", "second"]


def test_words_keep_hidden_characters_inside() -> None:
    s = "pay\u200bpal and Vеrshinin"
    assert [s[a:b] for a, b in T.iter_words(s)] == ["pay\u200bpal", "and", "Vеrshinin"]


def test_skeleton_examples() -> None:
    assert T.skeleton("Vеrshinin") == T.skeleton("Vershinin")
    assert T.skeleton("p𝖺ypal") == T.skeleton("paypal")
    assert T.skeleton("pay\u200bpal") == T.skeleton("paypal")
    assert T.skeleton("paypal") != T.skeleton("payqal")


@given(texts)
def test_skeleton_idempotent(s: str) -> None:
    once = T.skeleton(s)
    assert T.skeleton(once) == once


@given(texts)
def test_matching_form_idempotent_and_normalized(s: str) -> None:
    once = T.matching_form(s)
    assert T.matching_form(once) == once
    assert once == once.strip()
    assert "  " not in once


def test_matching_form_defeats_disguise() -> None:
    plain = "Sergei Vershinin said: “The bases stay” — in Syria."
    disguised = 'SERGEI  V\u0435rsh\u200binin said: "The bases stay" - in Syria.'
    assert T.matching_form(plain) == T.matching_form(disguised)


def test_matching_form_keeps_accents_distinct() -> None:
    assert T.matching_form("résumé") == unicodedata.normalize("NFC", "résumé")
    assert T.matching_form("cafe\u0301") == "café"


def test_matching_form_idempotent_on_every_confusable() -> None:
    from textforensics.tables import confusable_prototypes

    for char in confusable_prototypes():
        for s in (char, "A" + char, char + "\u0301", "x" + char + "y"):
            once = T.matching_form(s)
            assert T.matching_form(once) == once, (s, once)


@given(
    st.text(
        st.characters(blacklist_categories=())
        | st.sampled_from("a\u00ad\u200b\u200d\u2060\u202e\ufe0f\U000e0041\U000e0fff\u115f")
    )
)
def test_remove_default_ignorables_both_paths_equal_the_pattern(text: str) -> None:
    # Short texts are translated (no ``regex`` import), long ones use the pattern: both
    # remove exactly the Default_Ignorable_Code_Point characters.
    import regex

    pattern = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
    for t in (text, text * (300 // max(1, len(text)) + 1)):
        assert T.remove_default_ignorables(t) == pattern.sub("", t)
