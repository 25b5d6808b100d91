"""find_homoglyphs / fix_homoglyphs / apply_plan: UTS #39 homoglyphs and hidden characters."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from random import Random

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import ROOT, shared_path
from textforensics import (
    HOMOGLYPH_CODES,
    HOMOGLYPH_KINDS,
    LineIndex,
    apply_plan,
    find_homoglyphs,
    fix_homoglyphs,
    skeleton,
)
from textforensics.homoglyphs import hidden
from textforensics.homoglyphs.context import Context
from textforensics.homoglyphs.data import (
    TABLES_FILE,
    benign_bmp,
    decode_tables,
    exemplars,
    lookalike,
    lut,
    script,
    tables,
)
from textforensics.homoglyphs.hidden import BIDI, bidi_line
from textforensics.homoglyphs.scan import (
    is_word,
    suspect_runs,
    suspect_runs_regex,
    word_at,
    word_at_reference,
)
from textforensics.results import FixStep, HomoglyphFinding, severity_rank
from textforensics.tables import confusable_prototypes, script_data
from textforensics.text import WORD_RE, line_bounds


def serious(findings: list[HomoglyphFinding]) -> list[HomoglyphFinding]:
    return [f for f in findings if severity_rank(f.severity) >= severity_rank("warning")]


# --- the seeds --------------------------------------------------------------------------


def test_seeds_have_exactly_one_disguise(seeds: dict[str, str]) -> None:
    found = {name: serious(find_homoglyphs(text)) for name, text in seeds.items()}
    assert [len(found[k]) for k in ("000", "001", "002", "003")] == [0, 1, 0, 0]
    text = seeds["001"]
    (f,) = found["001"]
    offset = text.index("\u0435")
    assert f.kind == "confusable"
    assert f.code == "TF101"
    assert f.severity == "warning"
    assert f.word == "V\u0435rshinin" == text[f.start : f.end]
    assert f.suggestion == "Vershinin"
    assert f.start == offset - 1
    assert f.end == offset + 8
    assert (f.line, f.column) == LineIndex(text).position(f.start) == (6, 63)
    (c,) = f.chars
    assert c.offset == offset
    assert text[c.offset] == c.char == "\u0435"
    assert c.code_point == "U+0435"
    assert c.name == "CYRILLIC SMALL LETTER IE"
    assert c.script == "Cyrl"
    assert c.prototype == "e"
    assert c.looks_like == "e"


def test_no_break_spaces_are_not_warnings(seeds: dict[str, str]) -> None:
    assert "\u00a0" in seeds["003"]
    assert find_homoglyphs(seeds["003"], min_severity="warning") == []


def test_finding_to_dict_is_json(seeds: dict[str, str]) -> None:
    (f,) = find_homoglyphs(seeds["001"])
    data = json.loads(json.dumps(f.to_dict()))
    assert data["kind"] == "confusable"
    assert data["chars"][0]["code_point"] == "U+0435"


# --- no false positives on legitimate text ----------------------------------------------

LEGITIMATE = {
    "greek": "Η Ελλάδα είναι μια χώρα στη νοτιοανατολική Ευρώπη με πλούσια ιστορία.",
    "russian": "Все счастливые семьи похожи друг на друга, каждая несчастливая семья "
    "несчастлива по-своему.",
    "russian_short_words": "Он сказал, что все они у нас в гостях. А вы?",
    "ukrainian": "Київ є столицею України, а Дніпро тече через усе місто. Ґанок і їжак.",
    "japanese": "東京タワーは日本の電波塔です。コーヒーを飲みながらスーパーで買い物をした。",
    "chinese": "我们今天在北京大学的图书馆里学习了三个小时。",
    "korean": "한국어는 아름다운 언어입니다. 서울은 대한민국의 수도입니다.",
    "arabic": "ذهب الطالب إلى المدرسة صباحاً وقرأ كتاباً جديداً عن التاريخ.",
    "arabic_digits": "ولد في عام ١٩٨٤ وعاش ٣٠ سنة.",
    "persian_zwnj": "می\u200cخواهم این کتاب\u200cها را بخوانم، ولی امروز وقت ندارم.",
    "persian_digits": "قیمت ۱۲۵۰ تومان است.",
    "hebrew": "שלום, מה שלומך היום? אני לומד עברית כבר שנה.",
    "hebrew_rlm": "המחיר הוא 20\u200f$ בלבד.",
    "hindi": "भारत एक विशाल देश है और यहाँ कई भाषाएँ बोली जाती हैं। २०२४",
    "hindi_zwj": "क्\u200dष और र्\u200dय",
    "thai": "ประเทศไทยเป็นประเทศในเอเชียตะวันออกเฉียงใต้ มีกรุงเทพเป็นเมืองหลวง",
    "russian_windows_linux": "Я установил Windows 10 и Linux на новый ноутбук.",
    "japanese_brands": "iPhoneを買ってGoogleで検索し、Amazonで注文した。",
    "chinese_brands": "我今天用Linux系统写代码，然后用iPhone拍照。",
    "korean_particles": "어제 Windows를 새로 설치했어요.",
    "greek_nato": "Η Ελλάδα είναι μέλος του NATO από το 1952.",
    "greek_nato_greek_letters": "Η Ελλάδα είναι μέλος του ΝΑΤΟ από το 1952.",
    "alpha": "α = 0.05",
    "alpha_in_english": "We set α = 0.05 and β = 0.2 for the test.",
    "accented_nfc": unicodedata.normalize("NFC", "Café, naïve, façade, Ångström, Dvořák, Łódź."),
    "accented_nfd": unicodedata.normalize("NFD", "Café, naïve, façade, Ångström, Dvořák, Łódź."),
    "vietnamese": "Tiếng Việt là ngôn ngữ chính thức của Việt Nam.",
    "romanian": "Bucureşti şi ţară, Țara Românească.",
    "german": "Der Bäcker in München verkauft Brötchen und Käsekuchen.",
    "emoji_zwj": "Family 👨\u200d👩\u200d👧\u200d👦, coder 👩🏽\u200d💻, flag 🏳️\u200d🌈, keycap 1️⃣, "
    "heart ❤️, England 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f.",
    "cjk_variation_selector": "葛\U000e0100城市",
    "fullwidth_in_japanese": "日本のＮＨＫは２０２４年に放送した。",
    "typography": "“Quotes” — dashes – and… no\u00a0break spaces, 5×3 = 15, © 2024 ™.",
    "bom_at_start": "\ufeffHello world.",
    "units_and_math": "The area is 5 m² and the volume 3 ℓ; ∑ x and x ∈ ℝ.",
    "spanish_ordinal": "El 1.º de mayo y la 2.ª edición.",
    "multiline_mixed": "English line.\nРусская строка.\n日本語の行。\nخط عربي.\n",
}


@pytest.mark.parametrize("name", sorted(LEGITIMATE))
def test_no_false_positives(name: str) -> None:
    assert find_homoglyphs(LEGITIMATE[name]) == []


def test_legitimate_text_joined_has_no_findings() -> None:
    text = "\n".join(LEGITIMATE[k] for k in sorted(LEGITIMATE) if k != "bom_at_start")
    assert find_homoglyphs(text * 40) == []  # long enough for the vectorised (dense) path


def test_dense_path_finds_disguises_among_legitimate_text() -> None:
    legit = "\n".join(LEGITIMATE[k] for k in sorted(LEGITIMATE) if k != "bom_at_start")
    text = legit * 20 + "\nPlease contact V\u0435rshinin at pay\u200bpal.\n" + legit * 20
    found = find_homoglyphs(text)
    assert [(f.kind, f.word) for f in found] == [
        ("confusable", "V\u0435rshinin"),
        ("invisible", "pay\u200bpal"),
    ]
    assert found[0].line == text[: found[0].start].count("\n") + 1 == (legit * 20).count("\n") + 2


def test_huge_inputs_stay_linear() -> None:
    assert len(find_homoglyphs("\U000e0041" * 20_000)) == 1
    assert len(find_homoglyphs("\u200b" * 20_000)) == 1
    assert find_homoglyphs("a" * 200_000 + "\u0435") != []
    assert find_homoglyphs("\u0436" * 100_000) == []


# --- every kind ---------------------------------------------------------------------------


def only(text: str) -> HomoglyphFinding:
    found = find_homoglyphs(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "word", "suggestion"),
    [
        ("Contact ｐａｙｐａｌ support", "ｐａｙｐａｌ", "paypal"),
        ("Log in to your \u0430\u0440\u0440l\u0435 ID", "\u0430\u0440\u0440l\u0435", "apple"),
        ("The secu×ity team", "secu×ity", "secuxity"),
        ("Visit g\u043e\u043egle.com", "g\u043e\u043egle", "google"),
        ("Call \u0406nternet support", "\u0406nternet", "Internet"),
    ],
)
def test_confusable(text: str, word: str, suggestion: str) -> None:
    found = find_homoglyphs(text)
    assert [f.kind for f in found] == ["confusable"], found
    f = found[0]
    assert f.word == text[f.start : f.end] == word
    assert f.suggestion == suggestion
    assert f.severity == "warning"


def test_confusable_math_letter() -> None:
    f = only("Sign in to your p\U0001d5baypal account")
    assert f.kind == "confusable"
    assert f.suggestion == "paypal"
    (c,) = f.chars
    assert c.script == "Zyyy"
    assert c.looks_like == "a"


def test_whole_script_in_english_text() -> None:
    text = "Please \u0440\u0430\u0443 your bill at \u0430\u0440\u0440\u0435 today."
    found = find_homoglyphs(text)
    assert [(f.kind, f.word, f.suggestion) for f in found] == [
        ("whole_script", "\u0440\u0430\u0443", "pay"),
        ("whole_script", "\u0430\u0440\u0440\u0435", "appe"),
    ]
    assert all(f.code == "TF103" and f.severity == "warning" for f in found)


def test_whole_script_not_in_russian_text() -> None:
    # The same all-look-alike Cyrillic words are ordinary inside Russian text.
    assert find_homoglyphs("Он сказал: все сорок раз, а вы?") == []
    english = "This is English text. " * 50
    assert [f.kind for f in find_homoglyphs(english + "Он сказал: все сорок раз, а вы?")] == []


def test_mixed_script() -> None:
    f = only("The Windowsж update")
    assert f.kind == "mixed_script"
    assert f.code == "TF102"
    assert f.word == "Windowsж"
    assert [c.char for c in f.chars] == ["ж"]
    assert f.suggestion is None


def test_one_finding_per_word_and_kind() -> None:
    found = find_homoglyphs("V\u0435rsh\u0456n\u0456n")
    assert [f.kind for f in found] == ["confusable"]
    assert [c.char for c in found[0].chars] == ["\u0435", "\u0456", "\u0456"]
    assert found[0].suggestion == "Vershinin"


@pytest.mark.parametrize(
    ("text", "severity", "clean"),
    [
        ("pay\u200bpal", "warning", "paypal"),
        ("pay\u200dpal", "warning", "paypal"),
        ("pay\u200cpal", "warning", "paypal"),
        ("pay\u2060pal", "warning", "paypal"),
        ("Hello\ufeffworld", "warning", "Helloworld"),
        ("tag\U000e0041\U000e0042s", "warning", "tags"),
        ("stray\ufe0fselector", "warning", "strayselector"),
        ("hyphen\u00adation", "info", "hyphenation"),
        ("Hangul filler \u3164 name", "warning", None),
    ],
)
def test_invisible(text: str, severity: str, clean: str | None) -> None:
    f = only(text)
    assert f.kind == "invisible"
    assert f.code == "TF104"
    assert f.severity == severity
    if clean is not None:
        assert f.suggestion == clean
        assert fix_homoglyphs(text).text == clean


def test_bidi_trojan_source_is_error() -> None:
    # CVE-2021-42574: an RLO that is never closed reorders the rest of the line.
    text = 'access = "user\u202e \u2066// admin\u2069 \u2066"\nok = 1\n'
    found = find_homoglyphs(text)
    assert found
    assert all(f.kind == "bidi" for f in found)
    assert {f.severity for f in found} == {"error"}
    assert fix_homoglyphs(text).text == 'access = "user // admin "\nok = 1\n'


def test_bidi_balanced_is_warning_and_marks_in_rtl_are_fine() -> None:
    f = only("abc\u202edef\u202c ghi")
    assert f.kind == "bidi"
    assert f.code == "TF105"
    assert f.severity == "warning"
    assert only("left\u200fright").severity == "warning"  # RLM in purely LTR text
    assert find_homoglyphs("שלום\u200e world") == []


def test_mixed_numbers() -> None:
    f = only("Total: ١٢3 items")
    assert f.kind == "mixed_numbers"
    assert f.code == "TF106"
    assert f.suggestion == "١٢٣"
    assert [c.char for c in f.chars] == ["3"]


def test_kinds_and_severity_filters() -> None:
    text = "pay\u200bpal and hyphen\u00adation and V\u0435rshinin"
    assert [f.kind for f in find_homoglyphs(text, kinds=["confusable"])] == ["confusable"]
    assert len(find_homoglyphs(text)) == 3
    assert len(find_homoglyphs(text, min_severity="warning")) == 2
    with pytest.raises(ValueError, match="unknown kinds"):
        find_homoglyphs(text, kinds=["nope"])
    assert set(HOMOGLYPH_KINDS) == set(HOMOGLYPH_CODES)


def test_line_and_column_with_crlf() -> None:
    text = "first\r\nsecond\rthird\nV\u0435rshinin\r\n"
    f = only(text)
    assert (f.line, f.column) == LineIndex(text).position(f.start) == (4, 1)


# --- every confusable of ASCII letters or digits --------------------------------------------
# Latin letters some CLDR locale writes in its main alphabet (Turkish ı, Icelandic þ) are
# ordinary running text, not disguises (docs/homoglyphs.md): they are left out.

ASCII_LOOKALIKES = sorted(
    ch
    for ch, proto in confusable_prototypes().items()
    if proto.isascii()
    and proto.isalnum()
    and not ch.isascii()
    and not (script(ord(ch)) == "Latn" and ch in exemplars().main)
)


def test_every_ascii_letter_lookalike_is_detected() -> None:
    assert len(ASCII_LOOKALIKES) > 1400
    # digits, several-character targets and the legacy-computing blocks are in
    assert any(confusable_prototypes()[ch].isdigit() for ch in ASCII_LOOKALIKES)
    assert any(len(confusable_prototypes()[ch]) > 1 for ch in ASCII_LOOKALIKES)
    assert {"\U0001fbf0", "\U0001ccf0", "\U0001ccd6"} <= set(ASCII_LOOKALIKES)
    missed = []
    for ch in ASCII_LOOKALIKES:
        text = f"The secu{ch}ity team"
        at = text.index(ch)
        if not any(f.start <= at < f.end for f in find_homoglyphs(text)):
            missed.append(f"U+{ord(ch):04X}")
    assert missed == []


@given(st.sampled_from(ASCII_LOOKALIKES), st.sampled_from(["paypal", "secure", "Vershinin"]))
def test_lookalike_in_word_property(ch: str, word: str) -> None:
    middle = len(word) // 2
    text = f"Log in to {word[:middle]}{ch}{word[middle:]} now."
    at = text.index(ch)
    assert any(f.start <= at < f.end for f in find_homoglyphs(text))


# --- properties --------------------------------------------------------------------------

texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
mixed = st.text(
    st.sampled_from(
        [
            *list("abcdepsxyo .\n"),
            "а",
            "е",
            "о",
            "р",
            "с",
            "у",
            "х",
            "і",
            "ο",
            "α",
            "\u200b",
            "\u200c",
            "\u200d",
            "\xad",
            "️",
            "\u202e",
            "\u2066",
            "\u2069",
            "\u202c",
            "𝖺",
            "ａ",
            "١",
            "3",
            "👩",
            "×",
            "ы",
            "日",
        ]
    ),
    max_size=40,
)


@given(st.one_of(texts, mixed))
def test_never_crashes_and_offsets_are_valid(text: str) -> None:
    found = find_homoglyphs(text)
    keys = [(f.start, f.end) for f in found]
    assert keys == sorted(keys)
    index = LineIndex(text)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert f.word == text[f.start : f.end]
        assert f.kind in HOMOGLYPH_KINDS
        assert f.code == HOMOGLYPH_CODES[f.kind]
        assert (f.line, f.column) == index.position(f.start)
        for c in f.chars:
            assert f.start <= c.offset < f.end
            assert text[c.offset] == c.char


@given(st.text(st.characters(max_codepoint=0xFFFF), max_size=200))
def test_numpy_and_regex_scans_agree(text: str) -> None:
    padded = text + "plain ascii text. " * 300 + text
    assert suspect_runs(padded, 10**6) == suspect_runs_regex(padded, 10**6)


_WORD_ALPHABET = st.characters(blacklist_categories=()) | st.sampled_from(
    "ab é\u0430\u00d7\u200b\u202e\u0301\u0661_-.\U0001d41a\ud800 "
)


@given(st.text(_WORD_ALPHABET, max_size=80), st.data())
def test_word_at_matches_the_regex_reference(text: str, data: st.DataObject) -> None:
    # The str.translate path (no ``regex`` import) equals the patterns it replaced.
    i = data.draw(st.integers(0, len(text)))
    assert word_at(text, i) == word_at_reference(text, i)
    assert is_word(text) == (WORD_RE.fullmatch(text) is not None)


def test_word_at_in_long_words() -> None:
    # The windows grow on both sides (64 characters, then times four).
    text = "x " + "\u0430" * 5000 + "b" * 300 + " y"
    for i in (2, 100, 4999, 5300, 5301, 5302):
        assert word_at(text, i) == word_at_reference(text, i)


@given(st.text(_WORD_ALPHABET, max_size=300))
def test_short_suspect_runs_match_the_regex(text: str) -> None:
    for limit in (0, 2, 10**6):
        assert suspect_runs(text, limit) == suspect_runs_regex(text, limit)


def test_lone_surrogates() -> None:
    assert find_homoglyphs("abc\ud800def \udfff") == []
    assert isinstance(find_homoglyphs("p\ud800\u0430y"), list)


@given(st.text(st.characters(max_codepoint=127)))
def test_ascii_text_has_no_findings(text: str) -> None:
    assert find_homoglyphs(text) == []


@given(st.one_of(texts, mixed))
def test_skeleton_is_idempotent(text: str) -> None:
    once = skeleton(text)
    assert skeleton(once) == once


@given(st.one_of(texts, mixed))
@example("A\U0001fbf2")  # seed 40: the fix once offered "Ƨ", itself a look-alike of "2"
@example("A\U0001d751")  # the fix once swapped Ɵ and Ꝋ, rare Latin twins, round after round
def test_fix_removes_disguises_and_replays(text: str) -> None:
    result = fix_homoglyphs(text)
    assert apply_plan(text, result.plan) == result.text
    fixed_kinds = ("confusable", "invisible", "bidi")
    assert [f for f in find_homoglyphs(result.text) if f.kind in fixed_kinds] == []


@given(st.one_of(texts, mixed))
def test_fix_changes_only_flagged_spans(text: str) -> None:
    result = fix_homoglyphs(text)
    for step in result.plan:
        assert any(f.start <= step.start < step.end <= f.end for f in result.findings)
        assert step.end == step.start + 1
        assert text[step.start : step.end] == step.old
    # Outside the plan's steps, the text is copied unchanged, in order.
    rebuilt, pos = [], 0
    for step in result.plan:
        rebuilt.append(text[pos : step.start])
        pos = step.end
    rebuilt.append(text[pos:])
    outside = "".join(rebuilt)
    kept = "".join(ch for i, ch in enumerate(text) if i not in {s.start for s in result.plan})
    assert outside == kept


def test_apply_plan_rejects_foreign_plans() -> None:
    step = FixStep(start=0, end=1, old="x", new="y", kind="confusable", code="TF101")
    with pytest.raises(ValueError, match="does not fit"):
        apply_plan("abc", [step])


def test_fix_result_plan_is_serializable() -> None:
    result = fix_homoglyphs("Sign in to p\u0430yp\u0430l\u200b now")
    assert result.text == "Sign in to paypal now"
    data = result.to_dict()
    assert [s["new"] for s in data["plan"]] == ["a", "a", ""]
    replay = [FixStep(**s) for s in data["plan"]]
    assert apply_plan("Sign in to p\u0430yp\u0430l\u200b now", replay) == result.text


def _assert_describes(text: str, findings: tuple[HomoglyphFinding, ...]) -> None:
    index = LineIndex(text)
    for f in findings:
        assert f.word == text[f.start : f.end]
        assert index.position(f.start) == (f.line, f.column)
        assert f.chars
        for c in f.chars:
            assert f.start <= c.offset < f.end
            assert text[c.offset] == c.char


def test_later_round_findings_describe_the_original_text() -> None:
    # Fuzz input (tests/fuzz/corpus/fix/later_round_chars): the first round turns the
    # Arabic-Indic digit five into a Greek omicron, which makes "\u03bf\u03c1\u03b5\u03bd"
    # a whole-script Greek word; its finding, from the second round, must name the digit
    # the original text holds, not the omicron of the intermediate text.
    text = "\u0251\u0391\u0392\u0395 \u0665\u03c1\u03b5\u03bd vs ABE open\n"
    result = fix_homoglyphs(text)
    later = [f for f in result.findings if f.kind == "whole_script"]
    assert [(f.start, f.end) for f in later] == [(5, 9)]
    assert [(c.offset, c.char) for c in later[0].chars][:1] == [(5, "\u0665")]
    _assert_describes(text, result.findings)


def test_later_round_findings_after_a_removal_keep_original_offsets() -> None:
    # A removed hidden character shifts the intermediate text; a later-round finding
    # still points into the original (column included).
    text = "ab\nx\u200b\u200by \u0251\u0391\u0392\u0395 \u0665\u03c1\u03b5\u03bd vs ABE open\n"
    result = fix_homoglyphs(text)
    assert apply_plan(text, result.plan) == result.text
    later = [f for f in result.findings if f.kind == "whole_script"]
    assert [(f.start, f.line, f.column) for f in later] == [(13, 2, 11)]
    assert [c.offset for c in later[0].chars] == [13, 14, 15, 16]
    _assert_describes(text, result.findings)


@given(st.one_of(texts, mixed))
def test_fix_findings_describe_the_original_text(text: str) -> None:
    result = fix_homoglyphs(text)
    _assert_describes(text, result.findings)
    # The findings are found when first read; the result is the same either way.
    assert result == fix_homoglyphs(text)
    assert result.to_dict() == fix_homoglyphs(text).to_dict()


def test_fix_memory_is_compact_per_flagged_character() -> None:
    # A dense look-alike text: the fix (findings not read) holds a few hundred bytes per
    # flagged character at its peak, mostly the scan's own findings (was ~1.2 KB).
    import gc
    import tracemalloc

    text = "p\u0430yp\u0430l " * 10_000
    fix_homoglyphs(text[:70])
    gc.collect()
    tracemalloc.start()
    try:
        result = fix_homoglyphs(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.plan) == 20_000
    assert peak / 20_000 < 800


# --- tables --------------------------------------------------------------------------------


def test_regex_and_tables_unicode_version() -> None:
    data = script_data()
    assert data["regex_unicode_version"] == "17.0"
    assert tables().regex_unicode_version == "17.0"


def test_generated_tables_are_current(tmp_path: object) -> None:
    source = shared_path("unicode", "17.0.0")
    out = tmp_path / "data"  # type: ignore[operator]
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "generate_unicode_tables.py"),
            "--source",
            str(source),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    data_dir = ROOT / "src" / "textforensics" / "data"
    for name in ("unicode_confusables.json", "unicode_identifiers.json", "unicode_scripts.json"):
        assert (out / name).read_bytes() == (data_dir / name).read_bytes(), name
    # the derived tables: the file the generator writes holds what the shipped one does
    # (compared decoded: zlib's bytes may differ between zlib versions)
    assert decode_tables((out / TABLES_FILE).read_bytes()) == tables()


# --- the package's caches: read-only, built once, per call where mutable ----------------


def test_tables_are_read_only() -> None:
    t = tables()
    for array in (t.flags, t.group, t.pair_ok, benign_bmp(), lut(0), lut(t.script_id["Cyrl"])):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1
    with pytest.raises(TypeError):
        t.scx[0x41] = frozenset()  # type: ignore[index]
    assert lut(t.script_id["Cyrl"]) is lut(t.script_id["Cyrl"])


_COLD_START = """
import threading
from concurrent.futures import ThreadPoolExecutor

from textforensics import find_homoglyphs
from textforensics.homoglyphs.data import benign_bmp, exemplars, lut, script, tables

barrier = threading.Barrier(8)
text = "Москва — столица России; в Москве живёт много людей. рор " * 400


def cold(_: int) -> tuple[object, ...]:
    barrier.wait()
    t = tables()
    return t, lut(t.script_id["Cyrl"]), benign_bmp(), find_homoglyphs(text)


with ThreadPoolExecutor(8) as pool:
    results = list(pool.map(cold, range(8)))
first = results[0]
print(all(r[i] is first[i] for r in results for i in range(3)), all(r == first for r in results))
"""


def test_tables_built_once_by_threads_on_a_cold_start() -> None:
    # A fresh interpreter, so that eight threads race on empty caches.
    out = subprocess.run(
        [sys.executable, "-c", _COLD_START], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True"]


_BIDI_ALPHABET = "ab \u05d0\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\n\r"


@given(st.text(st.sampled_from(_BIDI_ALPHABET), max_size=80), st.randoms())
def test_bidi_line_verdicts_do_not_depend_on_lookup_order(text: str, rng: Random) -> None:
    offsets = [i for i, ch in enumerate(text) if ord(ch) in BIDI]
    alone = {i: bidi_line(Context(text, "Latn", cjk_document=False), i) for i in offsets}
    rng.shuffle(offsets)
    shared = Context(text, "Latn", cjk_document=False)
    assert {i: bidi_line(shared, i) for i in offsets} == alone
    assert shared.bidi_starts == sorted(shared.bidi_starts)
    assert len(shared.bidi_starts) == len({line_bounds(text, i) for i in offsets})


def test_many_bidi_controls_on_one_line_look_the_line_up_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def counting(text: str, offset: int) -> tuple[int, int]:
        calls.append(offset)
        return line_bounds(text, offset)

    monkeypatch.setattr(hidden, "line_bounds", counting)
    text = "x" + "a\u202e" * 5000 + "\r\n" + "b\u202e" * 10
    found = find_homoglyphs(text)
    assert len(calls) == 2
    assert [f.kind for f in found] == ["bidi", "bidi"]
    assert sum(len(f.chars) for f in found) == 5010
    assert all(f.severity == "error" for f in found)


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        ("\U0001fbf2", "2"),  # SEGMENTED DIGIT TWO
        ("\U0001d7d1", "3"),  # MATHEMATICAL BOLD DIGIT THREE
        ("\u0969", "3"),  # DEVANAGARI DIGIT THREE
        ("\u0430", "a"),  # CYRILLIC SMALL LETTER A
    ],
)
def test_suggestions_prefer_ascii(char: str, expected: str) -> None:
    """A suggestion that is itself a look-alike would be flagged again after the fix."""
    assert lookalike(char, "Latn") == expected
    fixed = fix_homoglyphs("x" + char + "y").text
    assert fixed == "x" + expected + "y"
    assert find_homoglyphs(fixed) == []


def test_fix_findings_of_later_rounds_come_in_text_order() -> None:
    # Found by the CI fuzz pass: round 2 found whole-script words at offsets round 1
    # had already passed, and the findings were listed round by round.
    half = "\u0665\u03c1\u03b5\u03bd fs ABE o"
    text = "\u0251\ufffd\u0391\u0392\u0395 " + half + "\ufffd\u0392\u0395 " + half + "pen\n"
    starts = [f.start for f in fix_homoglyphs(text).findings]
    assert starts == sorted(starts)
    assert len({f.kind for f in fix_homoglyphs(text).findings}) >= 2


def test_suggestions_are_fixed_points() -> None:
    """A suggested letter is never flagged in its turn: for every confusable character
    and every script a word can be written in, the look-alike offered, if it is one letter
    of that script, has no look-alike of its own there (Ɵ and Ꝋ once suggested each other)."""
    sources = [ch for ch in confusable_prototypes() if len(ch) == 1]
    assert len(sources) > 6000
    checked = 0
    for group in ("Latn", "Cyrl", "Grek", "Armn", "Hani"):
        for ch in sources:
            lk = lookalike(ch, group)
            if lk is not None and len(lk) == 1 and not lk.isascii():
                checked += 1
                assert lookalike(lk, group) is None, (ch, group, lk, lookalike(lk, group))
    assert checked > 500
