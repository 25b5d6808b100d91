"""The CLDR exemplar table (data/exemplars.json), its generator's set parser, and the
legitimate-text corpus generator of benchmarks/."""

from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textforensics.tables import confusable_prototypes, load_json

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _load(ROOT / "scripts" / "generate_exemplar_tables.py", "generate_exemplar_tables")


def test_exemplar_table_shape_and_license() -> None:
    doc = load_json("exemplars.json")
    assert doc["cldr_version"].isdigit()
    assert "Unicode" in doc["license"]
    assert doc["scope"] == "confusable"
    raw = (ROOT / "src" / "textforensics" / "data" / "exemplars.json").read_text("utf-8")
    assert gen.dump(doc) == raw  # deterministic: sorted keys, compact separators


def test_exemplar_table_is_consistent() -> None:
    doc = load_json("exemplars.json")
    prototypes = confusable_prototypes()
    locales = doc["locales"]
    for loc, sets in locales.items():
        for which in ("main", "aux"):
            chars = sets[which]
            assert all(unicodedata.normalize("NFC", ch) == ch for ch in chars)
            assert len(set(chars)) == len(chars)
            assert list(chars) == sorted(chars), (loc, which)
            assert not any(ch.isascii() for ch in chars)
        assert not set(sets["main"]) & set(sets["aux"])
    for ch, users in doc["by_char"].items():
        proto = prototypes[ch]
        assert proto.isascii()
        assert proto.isalnum()
        for which in ("main", "aux"):
            assert users[which] == sorted(users[which])
            for loc in users[which]:
                assert ch in locales[loc][which], (ch, loc, which)


def test_dotless_i_is_turkish_and_azerbaijani() -> None:
    doc = load_json("exemplars.json")
    users = doc["by_char"]["\u0131"]
    assert {"tr", "az"} <= set(users["main"])
    assert "\u0130" in doc["locales"]["tr"]["main"]  # İ, from the upper-case fold
    assert "\u0259" in doc["locales"]["az"]["main"]  # ə: the whole alphabet is kept
    assert "\u0435" in doc["by_char"]
    assert "ru" in doc["by_char"]["\u0435"]["main"]


def test_parse_unicode_set_examples() -> None:
    parse = gen.parse_unicode_set
    assert parse("[a b c ç iİ]") == ["a", "b", "c", "ç", "i", "İ"]
    assert parse("[a-e]") == ["a", "b", "c", "d", "e"]
    assert parse("[\\u200C \\u200D {ch} {ẹ́} \\- \\[]") == ["\u200c", "\u200d", "ch", "ẹ́", "-", "["]
    assert parse("[\\U0001E900 \\x{41}]") == ["\U0001e900", "A"]
    assert parse("[]") == []


_SET_CHAR = st.characters(
    min_codepoint=0x21,
    max_codepoint=0x2FFF,
    blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"),
)


@given(st.lists(_SET_CHAR, max_size=30))
def test_parse_unicode_set_round_trip(chars: list[str]) -> None:
    # Every character written escaped (as CLDR does for syntax and format characters)
    # or plain comes back in order.
    parts = [f"\\u{ord(c):04X}" if i % 2 else c for i, c in enumerate(chars)]
    parts = [p if p not in "{}[]\\-" else "\\" + p for p in parts]
    assert gen.parse_unicode_set("[" + " ".join(parts) + "]") == chars


def test_fold_keeps_non_ascii_letters_marks_and_both_cases() -> None:
    folded = gen._fold(["i", "İ", "{dž}", "{ẹ́}", "ß", "\u200c"])
    assert "\u0131" not in folded  # case mappings of i/İ are not dotless ı
    assert {"İ", "ž", "Ž", "ẹ", "Ẹ", "\u0301", "\u0323", "\u030c", "ß"} <= folded
    assert not any(c.isascii() for c in folded)
    assert "\u200c" not in folded  # format characters are not letters


# --- the legitimate-text corpus ---------------------------------------------------------


def _corpus() -> ModuleType:
    pytest.importorskip("faker")
    return _load(ROOT / "benchmarks" / "legit_corpus.py", "legit_corpus")


def test_corpus_is_seeded_and_native() -> None:
    corpus = _corpus()
    first = corpus.faker_records("tr_TR", seed=3, per_locale=8)
    assert first == corpus.faker_records("tr_TR", seed=3, per_locale=8)
    assert first != corpus.faker_records("tr_TR", seed=4, per_locale=8)
    assert {s for s, _ in first} == {"faker:tr_TR"}
    assert all(isinstance(t, str) and t for _, t in first)
    assert "tr_TR" in corpus.faker_locales()
    assert len(corpus.faker_locales()) >= 80


def test_mixed_lines_cover_the_issue_topics() -> None:
    corpus = _corpus()
    mixed = corpus.mixed_records()
    slices = {s for s, _ in mixed}
    for topic in ("brands-ja", "brands-zh", "brands-ru", "fullwidth-cjk", "zwnj-fa", "emoji"):
        assert f"mixed:{topic}" in slices
    for lang in ("tr", "az", "vi", "ro", "lt", "mt", "yo"):
        lines = [t for s, t in mixed if s == f"mixed:{lang}"]
        assert any(t != unicodedata.normalize("NFC", t) for t in lines), lang  # NFD forms too
    turkish = " ".join(t for s, t in mixed if s == "mixed:tr")
    for word in ("Yıldırım", "Kısakürek", "Acıbadem", "Ayakkabı", "İstanbul"):
        assert word in turkish
    json.dumps(mixed, ensure_ascii=False)  # plain strings only
