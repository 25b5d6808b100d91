"""The short-text fast paths of the homoglyph scan against the plain references kept
beside them (RapidFuzz style): one ``str.translate`` classifies a name in C, per-character
caches stand in for per-character table lookups, a one-word name skips the word search,
result objects are filled slot by slot, and results must not change."""

from __future__ import annotations

import copy
import warnings
from collections import Counter
from dataclasses import fields, replace

from hypothesis import given
from hypothesis import strategies as st
from unidecode import unidecode

from textforensics import find_homoglyphs, find_homoglyphs_many
from textforensics.homoglyphs.context import Context, make_char, make_finding
from textforensics.homoglyphs.data import F_LETTER, augmented, groups, lookalike, tables
from textforensics.homoglyphs.many import decide_names, screen_texts
from textforensics.homoglyphs.rules import (
    ascii_reading,
    greek_symbols,
    greek_symbols_reference,
    is_fullwidth,
    script_decision,
    script_verdict,
    script_verdict_reference,
    signature,
)
from textforensics.homoglyphs.scan import (
    candidates,
    clean_short,
    clean_short_reference,
    dominant_group,
    one_word_candidates,
    short_needs,
)
from textforensics.results import HomoglyphChar, HomoglyphFinding
from textforensics.text import WORD_RE, skeleton
from textforensics.vocab import HOMOGLYPH_CODES, SEVERITIES

# Letters of many scripts, look-alikes, digits of other sets, marks, joiners and ASCII:
# the characters that decide the fast paths' answers.
_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_."
    "аеорсухАВЕКМНОРСТХбвгдж"  # Cyrillic, look-alikes first
    "αβγδεοΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"  # Greek
    "ıİğşçöüÇŞĞ"  # Turkish
    "日本語中文汉字ひらがなカタカナ한국어"  # CJK
    "אבגדהوזחطيكلمنسع١٢٣۴۵"  # Hebrew, Arabic, Arabic-Indic digits
    "हिन्दीதமிழ்ไทย"  # Indic, Thai
    "\u200d\u200c\u034f\u0301\u0308\ufe0f\u202eſℐⅠ０１ｆ"  # hidden, marks, divergent, fullwidth
    "😀👍🏽"
)
names = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=24)


@given(names)
def test_clean_short_equals_its_reference(text: str) -> None:
    assert clean_short(text) == clean_short_reference(text, tables().fast)


@given(names)
def test_dominant_group_of_short_text_counts_letters(text: str) -> None:
    group_b = tables().group_b
    counted = Counter(group_b[ord(ch)] for ch in text)
    counted.pop(0, None)
    expected = max(sorted(counted), key=counted.__getitem__) if counted else 0
    assert dominant_group(text) == expected


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=16))
def test_ascii_reading_is_unidecode(text: str) -> None:
    assert ascii_reading(text) == unidecode(text)


def test_ascii_reading_drops_lone_surrogates_like_unidecode() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # unidecode warns about surrogates
        for text in ("\ud800", "a\udc00b", "\ud83d\ude00x"):
            assert ascii_reading(text) == unidecode(text)


@given(st.lists(names, max_size=30))
def test_batch_equals_one_call_each(texts: list[str]) -> None:
    assert find_homoglyphs_many(texts) == [find_homoglyphs(t) for t in texts]


def test_clean_short_on_everyday_names() -> None:
    assert clean_short("Yıldırım")
    assert clean_short("東京タワー")
    assert not clean_short("p\u0430ypal")  # Latin with a Cyrillic look-alike
    assert not clean_short("pay\u200dpal")  # a hidden character needs the full analysis


_SCRIPTS = st.sampled_from(("Latn", "Cyrl", "Grek", "Hani", "Arab", "Hebr", "Thai", "Deva"))


@given(names, _SCRIPTS, st.booleans())
def test_script_verdict_equals_its_reference(word: str, dominant: str, cjk: bool) -> None:
    assert script_verdict(word, dominant, cjk) == script_verdict_reference(word, dominant, cjk)


@given(st.text(alphabet=st.sampled_from(_ALPHABET.replace(" ", "").replace(".", "")), max_size=64))
def test_one_word_candidates_equal_candidates(text: str) -> None:
    if WORD_RE.fullmatch(text):
        assert one_word_candidates(text) == candidates(text)


@given(names)
def test_short_needs_equals_a_character_count(text: str) -> None:
    t = tables()
    digit_sets = {t.dset[ord(ch)] for ch in text} - {0}
    hidden = any(t.ignorable[ord(ch)] for ch in text)
    assert short_needs(text) == (hidden, len(digit_sets) > 1)


@given(
    st.integers(0, 10**6),
    st.sampled_from(_ALPHABET),
    st.one_of(st.none(), st.sampled_from(("", "a", "rn", "0"))),
)
def test_fast_result_objects_equal_constructed_ones(
    offset: int, ch: str, looks: str | None
) -> None:
    char = make_char(offset, ch, looks)
    cp, name, script_code, prototype = char.code_point, char.name, char.script, char.prototype
    built = HomoglyphChar(
        offset=offset,
        char=ch,
        code_point=cp,
        name=name,
        script=script_code,
        prototype=prototype,
        looks_like=looks,
    )
    assert char == built
    assert hash(char) == hash(built)
    assert repr(char) == repr(built)
    assert cp == f"U+{ord(ch):04X}"
    assert prototype == skeleton(ch)
    text = "x" * 3 + ch + "\nyz"
    ctx = Context(text=text, dominant="Latn", cjk_document=False)
    finding = make_finding(ctx, "confusable", "warning", 3, 4, [char], looks, "m")
    expected = HomoglyphFinding(
        start=3,
        end=4,
        line=1,
        column=4,
        kind="confusable",
        severity="warning",
        message="m",
        code=HOMOGLYPH_CODES["confusable"],
        word=ch,
        chars=(built,),
        suggestion=looks,
    )
    assert finding == expected
    assert finding.to_dict() == expected.to_dict()


# Letters of scripts whose letters mostly have no look-alike (collapsed by the
# signature), beside look-alikes: words of one signature must get one decision.
_SIGNATURE_ALPHABET = (
    "abcopxyаорсхαοι日月火水木金土山川가나다라마アイウカキאבגדהוابتثجحखगघचกขคงऀ٣۴ıİ\u0301ﬁſℐ０ｆ"
)


@given(
    st.text(alphabet=st.sampled_from(_SIGNATURE_ALPHABET), max_size=16),
    _SCRIPTS,
    st.booleans(),
)
def test_words_of_one_signature_share_their_decision(word: str, dominant: str, cjk: bool) -> None:
    sig = signature(word)
    assert len(sig) == len(word)
    assert signature(sig) == sig
    assert script_decision.__wrapped__(sig, dominant, cjk) == script_decision.__wrapped__(
        word, dominant, cjk
    )


def test_collapsed_characters_have_no_lookalike() -> None:
    """What the signature relies on: a character it replaces has no look-alike in any
    script, like the character standing for its class."""
    t = tables()
    scripts = [*t.scripts, "Hani"]
    sample = [chr(cp) for cp in range(0x80, 0x3000, 7)] + list(_SIGNATURE_ALPHABET)
    collapsed = [ch for ch in sample if signature(ch) != ch]
    assert len(collapsed) > 50
    for ch in collapsed:
        for code in scripts:
            assert lookalike(ch, code) is None, (ch, code)
            assert lookalike(signature(ch), code) is None


@given(names)
def test_lazy_findings_equal_built_ones(text: str) -> None:
    """Findings whose message, characters and suggestion come when first read equal the
    findings constructed with them, whatever is read first."""
    for order in range(4):
        for f in find_homoglyphs(text):
            if order == 1:
                assert f.chars is f.chars
            elif order == 2:
                assert f.suggestion == f.suggestion
            elif order == 3:
                f.to_dict()
            built = HomoglyphFinding(**{field.name: getattr(f, field.name) for field in fields(f)})
            assert f == built
            assert hash(f) == hash(built)
            assert repr(f) == repr(built)
            assert f.to_dict() == built.to_dict()
            assert copy.copy(f) == built
            assert replace(f, start=f.start) == built


@given(st.text(alphabet=st.sampled_from("abcxyzkmfΩπμΔαοΑρνω0123 -·аж日\u0301"), max_size=12))
def test_greek_symbols_equals_its_reference(word: str) -> None:
    assert greek_symbols(word) == greek_symbols_reference(word)


def test_greek_symbols_examples() -> None:
    for word in ("kΩ", "2πf", "Δx", "μm"):
        assert greek_symbols(word)
        assert greek_symbols_reference(word)
    for word in ("Windowsπ", "Αpple", "abc", ""):
        assert not greek_symbols(word)
        assert not greek_symbols_reference(word)


def test_every_greek_letter_counts_for_greek() -> None:
    # script_decision skips greek_symbols when no letter of the word counts for "Grek":
    # exact only if every Greek letter is letter-like, has a script set (so it is
    # counted), belongs to the Grek group and is not a fullwidth form (never skipped).
    t = tables()
    greek = t.script_id["Grek"]
    letters = [cp for cp in range(len(t.sc)) if t.sc[cp] == greek and t.flags_b[cp] & F_LETTER]
    assert len(letters) > 300
    for cp in letters:
        assert "Grek" in groups(cp), hex(cp)
        assert augmented(cp) is not None, hex(cp)
        assert not t.ignorable[cp], hex(cp)
        assert not is_fullwidth(chr(cp)), hex(cp)


# One-word names of letters (the shape .many decides over a whole batch): look-alikes,
# letters of many scripts, Greek symbols, fullwidth forms, digits of two sets, marks.
_NAME_LETTERS = (
    "abcdeiloprsxyAIOSZ01ıİğşçöüßé"
    "аеорсухАВЕКМНОРСТХбвгджфцщ"
    "αβγδεοπμΩΔΑΒΕΗΙΚΜΝΟΡΤΧ"
    "日本語中ひらカタ한국"
    "אבגוطيك١٢۴हिதไทย"
    "ſℐⅠ０１ｆＡɑǀꓲᎪ𝐚\u0301"
)
one_word_names = st.text(alphabet=st.sampled_from(_NAME_LETTERS), min_size=1, max_size=70)


@given(st.lists(one_word_names, max_size=40))
def test_batch_of_one_word_names_equals_one_call_each(texts: list[str]) -> None:
    assert find_homoglyphs_many(texts) == [find_homoglyphs(t) for t in texts]
    assert [[f.to_dict() for f in fs] for fs in find_homoglyphs_many(texts)] == [
        [f.to_dict() for f in find_homoglyphs(t)] for t in texts
    ]


@given(st.lists(one_word_names, min_size=1, max_size=40))
def test_names_decided_together_equal_one_call_each(texts: list[str]) -> None:
    import numpy as np

    lengths = np.array([len(t) for t in texts], np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    for text, found in zip(texts, decide_names(texts, cps, starts), strict=True):
        if found is not None:  # None: left to the full analysis
            expected = find_homoglyphs(text)
            assert found == expected
            assert [f.to_dict() for f in found] == [f.to_dict() for f in expected]


@given(
    st.lists(st.one_of(one_word_names, names), max_size=30),
    st.sets(st.sampled_from(sorted(HOMOGLYPH_CODES))),
    st.sampled_from(SEVERITIES),
)
def test_batch_with_filters_equals_one_call_each(
    texts: list[str], kinds: set[str], min_severity: str
) -> None:
    got = find_homoglyphs_many(texts, kinds=kinds, min_severity=min_severity)  # type: ignore[arg-type]
    assert got == [
        find_homoglyphs(t, kinds=kinds, min_severity=min_severity)  # type: ignore[arg-type]
        for t in texts
    ]


def test_batch_names_longer_than_the_screen_empty_or_with_nul() -> None:
    texts = ["", "p\u0430ypal", "x" * 300 + "\u0430", "", "\u0430" * 300, "café", ""]
    assert find_homoglyphs_many(texts) == [find_homoglyphs(t) for t in texts]
    assert [bool(f) for f in find_homoglyphs_many(texts)] == [
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    # A NUL inside a text: the screen cannot find the texts' starts by their separator.
    texts = ["p\u0430y\0pal", "\0", "caf\u00e9\0", "\u0430\u0431\0abc", ""]
    assert find_homoglyphs_many(texts) == [find_homoglyphs(t) for t in texts]
    assert find_homoglyphs_many(texts * 3 + ["x" * 300]) == [
        find_homoglyphs(t) for t in texts * 3 + ["x" * 300]
    ]


@given(st.lists(one_word_names, min_size=1, max_size=12))
def test_one_call_same_with_the_memo_cold_or_warm(texts: list[str]) -> None:
    # The memo of script decisions is keyed by signature and shared between calls: a
    # text's findings are the same whether words of its signature were seen before or not.
    warm = [[f.to_dict() for f in find_homoglyphs(t)] for t in texts]
    for text, expected in zip(texts, warm, strict=True):
        script_decision.cache_clear()
        assert [f.to_dict() for f in find_homoglyphs(text)] == expected
    script_decision.cache_clear()
    cold = [[f.to_dict() for f in find_homoglyphs(t)] for t in reversed(texts)]
    assert cold[::-1] == warm


@given(st.lists(st.one_of(names, one_word_names, st.text(max_size=8)), max_size=30))
def test_batch_screen_equals_clean_short_reference(texts: list[str]) -> None:
    fast = tables().fast
    expected = [i for i, t in enumerate(texts) if not clean_short_reference(t, fast)]
    assert screen_texts(texts) == expected
    assert screen_texts([*texts, "x" * 300]) == [*expected, len(texts)]  # long: not screened
