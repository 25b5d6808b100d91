"""strip_boilerplate / learn_boilerplate: seeds, kinds, model round-trip, properties."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics.boilerplate import KINDS, LANGUAGES, BoilerplateModel

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


def _check_partition(text: str, result: tf.StripResult) -> None:
    pos = 0
    for b in result.blocks:
        assert b.start == pos
        assert b.end > b.start
        pos = b.end
    assert pos == len(text)
    assert "".join(text[b.start : b.end] for b in result.blocks) == text
    kept = "".join(text[b.start : b.end] for b in result.blocks if b.label == "content")
    assert kept == result.text
    assert result.removed == tuple(b for b in result.blocks if b.label == "boilerplate")
    for b in result.removed:
        assert b.kind in KINDS
        assert b.reason
    for b in result.blocks:
        if b.label == "content":
            assert b.kind == "content"


@given(DOCS)
def test_blocks_partition_and_kept_is_subsequence(text: str) -> None:
    _check_partition(text, tf.strip_boilerplate(text))


@given(DOCS)
def test_idempotent(text: str) -> None:
    once = tf.strip_boilerplate(text).text
    assert tf.strip_boilerplate(once).text == once


@given(st.text(alphabet=st.characters(codec=None), max_size=200))
def test_never_crashes_on_any_str(text: str) -> None:
    _check_partition(text, tf.strip_boilerplate(text))


@given(st.lists(st.text(alphabet=st.characters(codec=None), max_size=30), min_size=1))
def test_batched_line_keys_match_per_line_keys(lines: list[str]) -> None:
    # _line_keys normalizes all lines joined by line feeds; reference: one line at a time.
    from textforensics.boilerplate import _line_key, _line_keys

    assert _line_keys(lines) == [_line_key(x).strip() for x in lines]


def test_lone_surrogates_and_empty() -> None:
    for text in ("", "\n\n", "\ud800 x \udfff\n\nHome\n", "\r\n\r"):
        _check_partition(text, tf.strip_boilerplate(text))


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
    _check_partition(text, result)
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
