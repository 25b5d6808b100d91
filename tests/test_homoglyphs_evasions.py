"""Issue 12 and 16 (homoglyph items): letters every language writes, the evasions that
slipped through (NFKC divergence, inserted combining marks, joiner runs, legacy-computing
look-alikes), argument checks, plan validation and the batch API."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from textforensics import (
    FixStep,
    apply_plan,
    find_homoglyphs,
    find_homoglyphs_many,
    fix_homoglyphs,
)
from textforensics.homoglyphs.data import exemplars, script
from textforensics.tables import confusable_prototypes
from textforensics.vocab import FIXABLE_KINDS, HOMOGLYPH_CODES


def kinds(text: str) -> list[str]:
    return [f.kind for f in find_homoglyphs(text)]


# --- letters some language writes are running text -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Yıldırım ailesi Acıbadem'de, Ayakkabı Kısakürek.",
        "Bakı Azərbaycanın paytaxtıdır.",
        "Eyþórsdóttir og Þór.",
        "gıthub",  # same-script look-alike in a name: NameGuard's question, not the scan's
    ],
)
def test_main_exemplar_latin_letters_are_not_reported(text: str) -> None:
    assert find_homoglyphs(text) == []


@pytest.mark.parametrize("ch", ["\u017f", "\u0251", "\u2110", "\u2111"])
def test_letters_no_locale_writes_stay_flagged(ch: str) -> None:
    assert find_homoglyphs(f"The secu{ch}ity team")


def test_cross_script_confusables_keep_recall() -> None:
    assert kinds("Please contact V\u0435rshinin") == ["confusable"]
    assert kinds("Log in to p\u0430ypal") == ["confusable"]
    assert kinds("\u0391pple") == ["confusable"]


@pytest.mark.parametrize("text", ["10 k\u03a9", "2\u03c0f", "\u0394x", "5 \u03bcm", "\u03bb=3nm"])
def test_greek_symbols_glued_to_latin_are_legitimate(text: str) -> None:
    assert find_homoglyphs(text) == []


def test_greek_letter_inside_an_english_word_is_reported() -> None:
    assert kinds("Windows\u03c0") == ["mixed_script"]
    assert kinds("hello\u03bbworld") != []


# --- NFKC / skeleton divergence --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["\u017f", "\u017facebook", "secu\u017fity", "\u2110nternet", "x \u2111 y", "\u2111"],
)
def test_nfkc_divergence_alone_or_in_a_name(text: str) -> None:
    found = find_homoglyphs(text)
    assert [f.kind for f in found] == ["nfkc_divergence"]
    assert found[0].code == HOMOGLYPH_CODES["nfkc_divergence"] == "TF107"
    assert "NFKC" in found[0].message


def test_fullwidth_is_not_an_nfkc_divergence() -> None:
    assert kinds("\uff29\uff22\uff2d") == ["confusable"]


# --- combining marks inserted into ASCII words -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["pa\u0301ypal", "gi\u0301thub", "a\u0338bc", "ab\u0335c", "pay\u0307\u0308\u0301pal"],
)
def test_combining_mark_inserted_is_reported_and_fixed(text: str) -> None:
    found = find_homoglyphs(text)
    assert [f.kind for f in found] == ["combining_mark"]
    assert found[0].code == "TF108"
    fixed = fix_homoglyphs(text)
    assert fixed.text.isascii()
    assert fix_homoglyphs(fixed.text).text == fixed.text


@pytest.mark.parametrize(
    "text",
    [
        "caf\u00e9",
        "cafe\u0301",
        "na\u00efve",
        "re\u0301sume\u0301",
        "I\u0307stanbul",
        "Le cafe\u0301 est tre\u0300s bon",
        unicodedata.normalize("NFD", "\u1ecc\u0300y\u1ecd\u0301 p\u1eb9\u0300l\u00fa"),  # Yoruba
        "mean x\u0304",
        "keycap 1\ufe0f\u20e3",
    ],
)
def test_ordinary_accents_are_clean(text: str) -> None:
    assert find_homoglyphs(text) == []


def test_combining_mark_found_on_the_dense_path() -> None:
    filler = "Русский текст и English words. " * 4000
    text = filler + "Sign in to pa\u0301ypal now.\n" + filler
    found = [f for f in find_homoglyphs(text) if f.kind == "combining_mark"]
    assert [f.word for f in found] == ["pa\u0301ypal"]


# --- joiner runs (issue 16) ------------------------------------------------------------------


def test_grapheme_joiner_run_reported_and_fixed_in_one_pass() -> None:
    text = "pay" + "\u034f" * 10 + "pal"
    (f,) = find_homoglyphs(text)
    assert f.kind == "invisible"
    assert len(f.chars) == 10
    fixed = fix_homoglyphs(text)
    assert fixed.text == "paypal"
    assert len(fixed.plan) == 10
    assert fix_homoglyphs(fixed.text).text == "paypal"


def test_grapheme_joiner_run_after_an_accent_is_reported() -> None:
    text = "pe\u0301" + "\u034f" * 10 + "ypal"
    found = find_homoglyphs(text)
    invisible = [f for f in found if f.kind == "invisible"]
    assert invisible
    assert len(invisible[0].chars) == 10
    once = fix_homoglyphs(text).text
    assert "\u034f" not in once
    assert fix_homoglyphs(once).text == once


def test_grapheme_joiner_between_marks_is_legitimate() -> None:
    assert "invisible" not in kinds("Le cafe\u0301\u034f\u0300 de la rue")


# --- legacy computing and other look-alikes of ASCII ---------------------------------------

LEGACY = sorted(
    ch
    for ch, proto in confusable_prototypes().items()
    if (0x1CC00 <= ord(ch) <= 0x1CEBF or 0x1FB00 <= ord(ch) <= 0x1FBFF) and proto.isascii()
)
ASCII_TARGETS = sorted(
    ch
    for ch, proto in confusable_prototypes().items()
    if proto.isascii()
    and proto.isalnum()
    and not ch.isascii()
    and not (script(ord(ch)) == "Latn" and ch in exemplars().main)
)


def test_legacy_computing_lookalikes_are_reported() -> None:
    assert len(LEGACY) >= 40
    for ch in LEGACY:
        assert find_homoglyphs(f"paypa{ch}l"), f"U+{ord(ch):04X}"


@given(
    st.sampled_from(ASCII_TARGETS),
    st.sampled_from(["paypal", "github", "secure", "Vershinin", "admin"]),
    st.integers(1, 4),
)
def test_any_ascii_target_confusable_inserted_is_reported(ch: str, word: str, at: int) -> None:
    at = min(at, len(word) - 1)
    text = f"Log in to {word[:at]}{ch}{word[at:]} now."
    where = text.index(ch)
    assert any(f.start <= where < f.end for f in find_homoglyphs(text))


# --- argument checks and plan validation (issue 16) ------------------------------------------


@pytest.mark.parametrize("bad", [["a"], b"abc", None, 3])
def test_type_errors_at_the_door(bad: object) -> None:
    with pytest.raises(TypeError, match="text"):
        find_homoglyphs(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text"):
        fix_homoglyphs(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text"):
        apply_plan(bad, ())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="texts"):
        find_homoglyphs_many("abc")


def test_apply_plan_rejects_plan_items_of_another_type() -> None:
    with pytest.raises(TypeError, match="plan"):
        apply_plan("abc", [("a", "b")])  # type: ignore[list-item]


def _step(start: int, end: int, old: str, new: str = "x") -> FixStep:
    return FixStep(start=start, end=end, old=old, new=new, kind="confusable", code="TF101")


@pytest.mark.parametrize(
    "plan",
    [
        [_step(2, 1, "")],  # start > end
        [_step(-1, 0, "")],  # negative
        [_step(5, 6, "x")],  # out of range
        [_step(0, 2, "ab"), _step(1, 2, "b")],  # overlapping
        [_step(0, 1, "z")],  # old does not match
    ],
)
def test_apply_plan_validates_every_step(plan: list[FixStep]) -> None:
    with pytest.raises(ValueError, match="plan step"):
        apply_plan("abc", plan)


# --- batch API -----------------------------------------------------------------------------


def test_find_homoglyphs_many_equals_one_call_each() -> None:
    texts = ["paypal", "p\u0430ypal", "", "Yıldırım", "pay\u200bpal", "\u017f", "caf\u00e9"] * 3
    assert find_homoglyphs_many(texts) == [find_homoglyphs(t) for t in texts]
    assert find_homoglyphs_many(iter(texts), kinds=["invisible"]) == [
        find_homoglyphs(t, kinds=["invisible"]) for t in texts
    ]


def test_find_homoglyphs_many_checks_items() -> None:
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        find_homoglyphs_many(["ok", 3])  # type: ignore[list-item]


def test_new_kinds_are_fixable_and_have_rules() -> None:
    from textforensics.app.report import RULES

    assert {"nfkc_divergence", "combining_mark"} <= FIXABLE_KINDS
    assert {RULES["TF107"].kind, RULES["TF108"].kind} == {"nfkc_divergence", "combining_mark"}


# --- the legitimate-text corpus (every faker locale + code-mixed lines) ----------------------

# Faker's own data holds two real disguises, documented in docs/homoglyphs.md as true
# positives: a Latin "a" in a Bulgarian surname and a Greek epsilon for the Twi ɛ.
TRUE_POSITIVES = {
    ("faker:bg_BG", "\u0412\u0430\u0441\u043e\u0432a"),
    ("faker:tw_GH", "Akyer\u03b5"),
}


def test_legit_corpus_has_no_false_alarm_in_any_slice() -> None:
    pytest.importorskip("faker")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from legit_corpus import records
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    corpus = records(per_locale=6)
    assert len({s for s, _ in corpus}) >= 120
    alarms = [
        (slice_, f.word, f.kind)
        for slice_, text in corpus
        for f in find_homoglyphs(text)
        if (slice_, f.word) not in TRUE_POSITIVES
    ]
    assert alarms == []
