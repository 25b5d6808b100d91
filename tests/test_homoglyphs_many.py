"""``find_homoglyphs_many`` against ``find_homoglyphs`` one call each, on names made of
the legitimate-text corpus's characters (benchmarks/legit_corpus.py, its hand-written
code-mixed lines), look-alikes, hidden and bidi characters and combining marks; and the
shared, read-only empty result of the texts without a finding."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textforensics import find_homoglyphs, find_homoglyphs_many
from textforensics.homoglyphs.many import NO_FINDINGS, batch_findings
from textforensics.vocab import HOMOGLYPH_KINDS, SEVERITIES

ROOT = Path(__file__).resolve().parent.parent


def _mixed_lines() -> list[str]:
    spec = importlib.util.spec_from_file_location(
        "legit_corpus", ROOT / "benchmarks" / "legit_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["legit_corpus"] = module
    spec.loader.exec_module(module)
    return [text for _, text in module.mixed_records()]


_LINES = _mixed_lines()
_WORDS = sorted({w for line in _LINES for w in line.split()})
# Look-alikes of ASCII letters and digits (Cyrillic, Greek, Armenian, Cherokee, Lisu,
# fullwidth, mathematical, divergent under NFKC), hidden and bidi characters, marks.
_LOOKALIKES = "аеорсухіјѕԁһӏАВЕКМНОРСТХνοαρΑΒΕΗΙΚΜΝΟΡΤΧոսɑǀꓲᎪſℐⅠ０１ｆＡ𝐚𝟎"
_HIDDEN = "\u200b\u200c\u200d\u2060\u00ad\ufe0f\u034f\u202e\u202d\u2066\u2067\u2069\u061c"
_MARKS = "\u0301\u0300\u0308\u0323\u0327\u030c"
_ALPHABET = sorted(set("".join(_LINES)) | set(_LOOKALIKES + _HIDDEN + _MARKS))


@st.composite
def _disguised_word(draw: st.DrawFn) -> str:
    """A word of the corpus with one to three characters replaced by, or followed by,
    a look-alike, a hidden character or a mark."""
    word = list(draw(st.sampled_from(_WORDS)))
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(word) - 1))
        extra = draw(st.sampled_from(_LOOKALIKES + _HIDDEN + _MARKS))
        word[i] = extra if draw(st.booleans()) else word[i] + extra
    return "".join(word)


_NAMES = st.one_of(
    st.sampled_from(_WORDS),
    _disguised_word(),
    st.text(alphabet=st.sampled_from(_ALPHABET), max_size=20),
    st.text(alphabet=st.sampled_from(_LOOKALIKES + "abcdeiopxy0l1"), min_size=1, max_size=12),
)


def test_corpus_alphabet_is_broad() -> None:
    assert len(_WORDS) > 500
    assert len(_ALPHABET) > 600


@given(st.lists(_NAMES, max_size=40))
def test_batch_of_corpus_names_equals_one_call_each(texts: list[str]) -> None:
    got = find_homoglyphs_many(texts)
    expected = [find_homoglyphs(t) for t in texts]
    assert got == expected
    assert [[f.to_dict() for f in fs] for fs in got] == [
        [f.to_dict() for f in fs] for fs in expected
    ]
    for found in got:
        assert (found is NO_FINDINGS) == (not found)  # every empty result is the shared one


@given(
    st.lists(_NAMES, max_size=30),
    st.sets(st.sampled_from(HOMOGLYPH_KINDS)),
    st.sampled_from(SEVERITIES),
)
def test_batch_of_corpus_names_with_filters_equals_one_call_each(
    texts: list[str], kinds: set[str], min_severity: str
) -> None:
    got = find_homoglyphs_many(texts, kinds=kinds, min_severity=min_severity)  # type: ignore[arg-type]
    assert got == [
        find_homoglyphs(t, kinds=kinds, min_severity=min_severity)  # type: ignore[arg-type]
        for t in texts
    ]
    assert all((found is NO_FINDINGS) == (not found) for found in got)


@given(st.lists(_NAMES, max_size=30))
def test_batch_findings_splits_the_batch(texts: list[str]) -> None:
    out, found_at, rest = batch_findings(texts)
    assert len(out) == len(texts)
    assert sorted(set(found_at) | set(rest)) == sorted(found_at + rest)  # disjoint
    for i, text in enumerate(texts):
        if i in found_at:
            assert out[i] == find_homoglyphs(text) != []
        elif i not in rest:
            assert out[i] is NO_FINDINGS
            assert find_homoglyphs(text) == []


def test_no_findings_is_shared_and_read_only() -> None:
    texts = ["paypal", "p\u0430ypal", "Yıldırım", "", "東京タワー", "pay\u200bpal"]
    got = find_homoglyphs_many(texts)
    assert [bool(f) for f in got] == [False, True, False, False, False, True]
    assert got[0] is got[2] is got[3] is got[4] is NO_FINDINGS
    assert got[1] is not got[5]
    assert type(got[1]) is list
    for grow in (
        lambda: NO_FINDINGS.append(got[1][0]),
        lambda: NO_FINDINGS.extend(got[1]),
        lambda: NO_FINDINGS.insert(0, got[1][0]),
        lambda: NO_FINDINGS.__setitem__(slice(0, 0), got[1]),
        lambda: NO_FINDINGS.__iadd__(got[1]),
    ):
        with pytest.raises(TypeError):
            grow()
    NO_FINDINGS.sort()
    NO_FINDINGS.reverse()
    NO_FINDINGS.clear()
    assert NO_FINDINGS == []
    assert not NO_FINDINGS
    assert repr(NO_FINDINGS) == "[]"
    assert list(NO_FINDINGS) + got[1] == got[1]  # a copy is an ordinary list
