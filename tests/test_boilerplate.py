"""strip_boilerplate / learn_boilerplate: seeds, kinds, model round-trip, properties."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from strip_helpers import check_partition
from textforensics.boilerplate import LANGUAGES, BoilerplateModel, spec
from textforensics.boilerplate.classifier import shipped_classifier
from textforensics.boilerplate.features import active_index, paragraph_ids
from textforensics.boilerplate.page import own_rows, page_language, read_page
from textforensics.boilerplate.phrases import detect_language, line_key, phrase_data
from textforensics.boilerplate.rules import classify_pass

LINES = st.sampled_from(
    [
        "Home",
        "Privacy Policy",
        "What do you think?",
        "Notify of",
        "Reply to  Smoking Eagle",
        "October 18, 2019",
        "in ,",
        "Subscribe to our newsletter",
        "Via Zerohedge…",
        "The two leaders exchanged their views on issues of mutual concern in Syria, "
        "the statement said, and agreed to keep the details secret.",
        "“I wish them all a lot of luck,” he said while speaking of Russia and Syria.",
        "Die beiden Minister haben sich am Montag in Berlin getroffen und über die Lage "
        "gesprochen, teilte das Ministerium mit.",
        "",
        "   ",
    ]
)
DOCS = st.one_of(
    st.text(max_size=300),
    st.lists(LINES, max_size=40).map("\n".join),
    st.lists(
        st.tuples(LINES, st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\n \n"])), max_size=40
    ).map(lambda xs: "".join(a + b for a, b in xs)),
)


@given(DOCS)
def test_blocks_partition_and_kept_is_subsequence(text: str) -> None:
    check_partition(text, tf.strip_boilerplate(text))


@given(DOCS)
def test_idempotent(text: str) -> None:
    once = tf.strip_boilerplate(text).text
    assert tf.strip_boilerplate(once).text == once


@given(st.text(alphabet=st.characters(codec=None), max_size=200))
def test_never_crashes_on_any_str(text: str) -> None:
    check_partition(text, tf.strip_boilerplate(text))


@given(st.lists(st.text(alphabet=st.characters(codec=None), max_size=30), min_size=1))
def test_batched_line_keys_match_per_line_keys(lines: list[str]) -> None:
    # line_keys normalizes all lines joined by line feeds; reference: one line at a time.
    assert spec.line_keys(lines) == [line_key(x).strip() for x in lines]


# --- the page-at-once features equal the per-block reference ----------------------------

ODD_TEXTS = [
    "",
    "\n\n  \n",
    "a" * 2500 + " Home. Read more\n\nHome",  # a line over _MAX_FEATURE_CHARS
    "x" * 1999 + " \u2019" + "y" * 10 + "\n" + "Z. " * 900,
    "foo_bar the views expressed here are mine\n_the views expressed_\n",
    "x\u0301 cookies policy; we use cookies to improve\n\u0130stanbul STRASSE Stra\u00dfe",
    "Home\r\nAbout us\r\n\r\n\u00a9 2020 All rights reserved.\rPrivacy",
    "\ud800 x \udfff\n\nHome\n",
    "- item one\n* item two\n12) third item\n\u2022 bullet\n",
    "News | Sports \u00bb World\na/b and a / b\nhttp://x.org www.y @z mail@q.com\n",
    "He said. \u201cThen\u201d  \u2026 Then it ended!\u201d  Really? Yes.\tNo\n",
    "\u0662\u0660\u0662\u0664 \uff11\uff12 \u00b2 \u00bd 2024-05-01\n\u3000\u2003x\u2028y\n",
    "Photo: Reuters via Getty Images\nShare on Facebook\nSign up for our newsletter",
    "Leave a Reply\n\nComments\n\nJohn Smith\nMarch 3, 2021\nGreat post, thanks!",
]


def _check_page_matches_reference(text: str) -> None:
    import numpy as np

    spans = spec.segment(text)
    blocks = spec.make_blocks(text, spans)
    page = read_page(text)
    active = np.arange(page.n)
    assert page.n == len(blocks)
    assert page.starts == [s for s, _e, _ce, _p in spans]
    assert page.ends == [e for _s, e, _ce, _p in spans]
    assert paragraph_ids(page, active).tolist() == [p for _s, _e, _ce, p in spans]
    assert page.contents == [b.content for b in blocks]
    assert page.keys == [b.key for b in blocks]
    off = page.word_off.tolist()
    assert [page.words[off[i] : off[i + 1]] for i in range(page.n)] == [b.words for b in blocks]
    all_words = [w for b in blocks for w in b.words]
    detected = detect_language(all_words)
    assert page_language(page, active) == detected
    for language in {None, "en", "de", detected}:
        own = own_rows(page, language)
        ph = phrase_data(language or "en")
        for i, b in enumerate(blocks):
            b.kind, b.hit_where = None, ""
            spec.own_features(b, ph, language)
            assert own.rows[i].tolist() == b.own, (language, b.content)
            assert (own.kind[i], own.hit_where[i]) == (b.kind, b.hit_where)
            assert bool(own.section_marker[i]) == b.section_marker
            assert bool(page.headline[i]) == b.headline
            assert bool(page.is_long[i]) == b.is_long


@given(DOCS)
def test_page_features_match_per_block_reference(text: str) -> None:
    _check_page_matches_reference(text)


@given(st.text(alphabet=st.characters(codec=None), max_size=300))
def test_page_features_match_per_block_reference_any_str(text: str) -> None:
    _check_page_matches_reference(text)


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_page_features_match_per_block_reference_odd(text: str) -> None:
    _check_page_matches_reference(text)


def _check_fused_scores(text: str) -> None:
    # classify_pass scores without feature rows; the rows the training script builds
    # (spec.stage1_rows, spec.context_rows) scored stage by stage must give the same
    # numbers.
    import numpy as np

    clf = shipped_classifier()
    page = read_page(text)
    active = np.arange(page.n)
    while True:
        language = page_language(page, active)
        own = own_rows(page, language)
        result = classify_pass(page, active, own, clf, clf.threshold)
        paras = paragraph_ids(page, active)
        x1, _section_at = spec.stage1_rows(page, active, own, paras)
        ix = active_index(page, active)
        kw = {"nw": page.nw[ix], "is_long": page.is_long[ix]}
        p = clf.stages[0].scores(x1)
        for stage in clf.stages[1:]:
            p = stage.scores(spec.context_rows(paras, x1, p, **kw))
        assert np.allclose(result.scores, p, rtol=0.0, atol=1e-12)
        if result.keep.all():
            break
        active = active[result.keep]


@given(DOCS)
def test_fused_scores_match_feature_rows(text: str) -> None:
    _check_fused_scores(text)


def test_fused_scores_match_feature_rows_on_seeds(seeds: dict[str, str]) -> None:
    for text in seeds.values():
        _check_fused_scores(text)


def test_seed_pages_match_per_block_reference(seeds: dict[str, str]) -> None:
    for text in seeds.values():
        _check_page_matches_reference(text)


def test_character_class_assumptions() -> None:
    # chars.line_keys_joined relies on these: regex \s is within str.isspace (so normalized
    # keys of stripped lines need no strip), and a character that case-folds to one
    # character keeps its whitespace / digit / punctuation class.
    import sys

    import regex

    from textforensics.text import PUNCTUATION_MAP

    space, digit = regex.compile(r"\s"), regex.compile(r"\d")
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if space.fullmatch(ch):
            assert ch.isspace(), hex(cp)
        folded = ch.casefold()
        if folded != ch and len(folded) == 1:
            assert bool(space.fullmatch(ch)) == bool(space.fullmatch(folded)), hex(cp)
            assert bool(digit.fullmatch(ch)) == bool(digit.fullmatch(folded)), hex(cp)
            assert (cp in PUNCTUATION_MAP) == (ord(folded) in PUNCTUATION_MAP), hex(cp)


@given(
    st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=50),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_batch_formatting_matches_per_value(values: list[float], threshold: float) -> None:
    import numpy as np

    from textforensics.boilerplate.assemble import _format_lines, _round4

    assert _round4(np.array(values)) == [round(v, 4) for v in values]
    expected = [f"score {v:.2f} < {threshold:.2f}" for v in values]
    assert _format_lines("score %.2f < ", threshold, np.array(values)) == expected


def test_text_blocks_constructed_when_fields_differ(
    seeds: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # strip_boilerplate fills TextBlocks through their slots; if TextBlock ever gets other
    # fields it builds them with the constructor: both give equal results.
    from textforensics.boilerplate import assemble

    fast = tf.strip_boilerplate(seeds["003"])
    monkeypatch.setattr(assemble, "_text_block_fields_match", lambda: False)
    assert tf.strip_boilerplate(seeds["003"]) == fast


def test_lone_surrogates_and_empty() -> None:
    for text in ("", "\n\n", "\ud800 x \udfff\n\nHome\n", "\r\n\r"):
        check_partition(text, tf.strip_boilerplate(text))


@pytest.mark.parametrize(
    "make",
    [
        lambda: "word " * 600_000,  # one 3 MB line
        lambda: "ab\n" * 200_000,  # many short lines
        lambda: "Read more about this topic here.\n\n" * 90_000,  # repeated lines
        lambda: ("a" * 5000 + " ") * 400,  # long tokens, no breaks
        lambda: "((((" * 500_000 + "\n" + "....!!!!" * 200_000,
    ],
)
def test_adversarial_multi_megabyte_inputs_finish(make: object) -> None:
    text = make()  # type: ignore[operator]
    start = time.perf_counter()
    result = tf.strip_boilerplate(text)
    assert result.blocks[-1].end == len(text)
    # Generous bound: a backtracking pattern would take minutes, not seconds.
    assert time.perf_counter() - start < 60


def test_seed_003(seeds: dict[str, str]) -> None:
    text = seeds["003"]
    result = tf.strip_boilerplate(text)
    check_partition(text, result)
    removed = {text[b.start : b.end].strip(): b.kind for b in result.removed}
    disclaimer = "The statements, views and opinions expressed in this column"
    assert removed["in ,"] == "navigation"
    disclaimers = [b for b in result.removed if text[b.start : b.end].startswith(disclaimer)]
    assert len(disclaimers) == 2
    assert removed["Remember to Please Subscribe to The Duran’s YouTube Channel."] == (
        "call_to_action"
    )
    assert removed["Follow The Duran Audio Podcast on Soundcloud."] == "call_to_action"
    assert removed["Via Zerohedge…"] == "credit"
    assert removed["What do you think?"] == "comments"
    assert removed["Orange Man puts war hawks Pelosi, Schumer & Graham in their place"] == (
        "related_links"
    )
    assert removed["Is Putin the New King of the Middle East?"] == "related_links"
    start = text.index("What do you think?")
    end = text.index("Orange Man puts")
    for b in result.blocks:
        if start <= b.start < end:
            assert b.kind == "comments", text[b.start : b.end]
    # Kept: title, episode line and every article paragraph, unchanged and in order.
    kept = result.text
    assert kept.startswith("US & Russia work together to end conflict in Syria (Video)\n")
    assert "The Duran Quick Take: Episode 338.\n" in kept
    body_start = text.index("The Duran’s Alex Christoforou")
    body_end = text.index("Remember to Please Subscribe")
    assert text[body_start:body_end] in kept
    tail_start = text.index("“Washington’s in meltdown mode")
    tail_end = text.index(disclaimer, tail_start)
    assert text[tail_start:tail_end].rstrip() in kept
    assert "hate ISIS more than us" in kept
    assert disclaimer not in kept
    assert "Dwayne" not in kept
    assert "Read more »" not in kept


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_clean_seeds_lose_nothing(seeds: dict[str, str], seed: str) -> None:
    result = tf.strip_boilerplate(seeds[seed])
    assert result.text == seeds[seed]
    assert result.removed == ()


def test_learned_model_removes_cross_page_lines_and_round_trips(tmp_path: object) -> None:
    footer = "Acme Widgets Weekly — independent since 1999"
    pages = [
        f"Story number {i}\n\n{footer}\n\nThis is the body of story {i}, which talks about "
        f"widgets and the people who make them in some detail, day {i}.\n\nMenu Thing {i}\n"
        for i in range(6)
    ]
    model = tf.learn_boilerplate(pages)
    assert footer in model
    assert model.count(footer) == 6
    page = (
        "Fresh story\n\n" + footer + "\n\nAll new text about widgets, much longer than the rest.\n"
    )
    result = tf.strip_boilerplate(page, model=model)
    kinds = {page[b.start : b.end].strip(): b.kind for b in result.removed}
    assert kinds[footer] == "repeated"
    assert "All new text about widgets" in result.text
    data = json.loads(json.dumps(model.to_dict()))
    assert BoilerplateModel.from_dict(data) == model
    path = tmp_path / "model.json"  # type: ignore[operator]
    model.save(path)
    assert BoilerplateModel.load(path) == model
    with pytest.raises(ValueError, match="not a textforensics"):
        BoilerplateModel.from_dict({"lines": {}})


def test_repeated_block_within_document() -> None:
    note = "This report was produced with support from the Example Foundation grant program."
    body = (
        "The committee met on Tuesday and approved the new budget after a long debate "
        "about the costs of the bridge repairs and the school renovations."
    )
    text = f"{note}\n\n{body}\n\n{body} More detail followed later.\n\n{note}\n"
    result = tf.strip_boilerplate(text)
    kinds = [b.kind for b in result.removed]
    assert "repeated" in kinds
    assert result.text.count(note) <= 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phrase_data_per_language(lang: str) -> None:
    from importlib import resources

    data = json.loads(
        resources.files("textforensics.data")
        .joinpath(f"boilerplate/{lang}.json")
        .read_text(encoding="utf-8")
    )
    assert data["language"] == lang
    assert len(data["stopwords"]) >= 80
    for kind in (
        "comments",
        "disclaimer",
        "call_to_action",
        "credit",
        "related_links",
        "navigation",
        "legal",
    ):
        fam = data["phrases"][kind]
        assert sum(len(fam.get(k, ())) for k in ("line", "start", "contains")) >= 3, kind


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Das könnte Sie auch interessieren", "related_links"),
        ("de", "Alle Rechte vorbehalten", "legal"),
        ("fr", "Abonnez-vous à notre newsletter", "call_to_action"),
        ("fr", "Laisser un commentaire", "comments"),
        ("es", "Todos los derechos reservados", "legal"),
        ("es", "Síguenos en Twitter", "call_to_action"),
        ("it", "Articoli correlati", "related_links"),
        ("pt", "Deixe um comentário", "comments"),
        ("ru", "Читайте также", "related_links"),
        ("ru", "Политика конфиденциальности", "legal"),
    ],
)
def test_multilingual_phrases(lang: str, text: str, expected: str) -> None:
    body = {
        "de": "Die Regierung hat am Montag in Berlin ein neues Gesetz beschlossen, das die "
        "Förderung von Solaranlagen auf den Dächern der Städte und Gemeinden regelt.",
        "fr": "Le gouvernement a présenté lundi à Paris un nouveau projet de loi sur "
        "l'énergie solaire, qui doit être examiné par les députés dans les semaines à venir.",
        "es": "El gobierno presentó el lunes en Madrid un nuevo proyecto de ley sobre la "
        "energía solar, que será debatido por los diputados en las próximas semanas.",
        "it": "Il governo ha presentato lunedì a Roma un nuovo disegno di legge "
        "sull'energia solare, che sarà esaminato dai deputati nelle prossime settimane.",
        "pt": "O governo apresentou na segunda-feira em Lisboa um novo projeto de lei sobre a "
        "energia solar, que será debatido pelos deputados nas próximas semanas.",
        "ru": "Правительство в понедельник представило в Москве новый законопроект о "
        "солнечной энергетике, который депутаты рассмотрят в ближайшие недели.",
    }[lang]
    doc = f"{body}\n\n{body} {body}\n\n{text}\n"
    result = tf.strip_boilerplate(doc)
    assert result.language == lang
    removed = {doc[b.start : b.end].strip(): b.kind for b in result.removed}
    assert removed.get(text) == expected
    assert body in result.text


def test_to_dict_is_json() -> None:
    result = tf.strip_boilerplate("Home\n\nA real paragraph of text that says something useful.\n")
    data = result.to_dict()
    json.dumps(data)
    assert set(data) == {"text", "removed", "blocks", "language"}
    assert {"start", "end", "kind", "label", "message", "score"} <= set(data["blocks"][0])


def test_fold_table_matches_casefold() -> None:
    # chars.line_keys_joined folds by code point from the table when every character
    # folds to one
    from textforensics.boilerplate import chars

    chars.fill_all_pages(0xFF)  # the basic multilingual plane
    folds = chars.table_folds()
    for cp in range(0x10000):
        folded = chr(cp).casefold()
        expected = ord(folded) if len(folded) == 1 else chars.MANY_CHARS
        assert int(folds[cp]) == expected, hex(cp)


def _eager(result: tf.StripResult) -> tf.StripResult:
    return tf.StripResult(
        text=result.text, removed=result.removed, blocks=result.blocks, language=result.language
    )


@pytest.mark.parametrize(
    "first", ["removed", "blocks", "eq", "hash", "repr", "to_dict", "asdict", "replace", "pickle"]
)
def test_blocks_made_on_first_read_are_the_same_result(seeds: dict[str, str], first: str) -> None:
    # strip_boilerplate makes .blocks and .removed when one of them is first read; every
    # way of reading the result sees the same result as one built with all fields.
    import copy
    import dataclasses
    import pickle

    for text in seeds.values():
        expected = _eager(tf.strip_boilerplate(text))
        result = tf.strip_boilerplate(text)
        if first == "removed":
            assert result.removed == expected.removed
        elif first == "blocks":
            assert result.blocks == expected.blocks
        elif first == "eq":
            assert result == expected
        elif first == "hash":
            assert hash(result) == hash(expected)
        elif first == "repr":
            assert repr(result) == repr(expected)
        elif first == "to_dict":
            assert result.to_dict() == expected.to_dict()
        elif first == "asdict":
            assert dataclasses.asdict(result) == dataclasses.asdict(expected)
        elif first == "replace":
            assert dataclasses.replace(result, text="").blocks == expected.blocks
        else:
            assert pickle.loads(pickle.dumps(result)) == expected
            assert copy.deepcopy(tf.strip_boilerplate(text)) == expected
        assert result == expected
        assert result.removed == tuple(b for b in result.blocks if b.label == "boilerplate")


@given(DOCS)
def test_blocks_made_on_first_read_whichever_first(text: str) -> None:
    a = tf.strip_boilerplate(text)
    b = tf.strip_boilerplate(text)
    removed_first = a.removed
    blocks_first = b.blocks
    assert a.blocks == blocks_first
    assert b.removed == removed_first
    assert a == b == _eager(a)


def test_deferred_needs_exactly_the_other_fields() -> None:
    from textforensics.results import TextBlock, deferred

    with pytest.raises(TypeError):
        deferred(tf.StripResult, {"language": None}, dict)  # text missing (never deferred)
    with pytest.raises(TypeError):  # TextBlock defers nothing
        deferred(TextBlock, {"start": 0}, dict)  # type: ignore[type-var]
    result = deferred(
        tf.StripResult, {"text": "", "language": None}, lambda: {"removed": (), "blocks": ()}
    )
    assert result == tf.StripResult(text="", removed=(), blocks=(), language=None)


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="language must be one of"):
        tf.strip_boilerplate("Some text.\n", language="nl")
    assert tf.strip_boilerplate("Some text.\n", language="de").text == "Some text.\n"
