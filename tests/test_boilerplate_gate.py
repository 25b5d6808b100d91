"""The stripper's cheap gate (boilerplate/gate.py): a text it passes is one the full path
leaves whole, and the gated result equals the full path's in every field."""

from __future__ import annotations

import threading

from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics.boilerplate import shipped_classifier
from textforensics.boilerplate.gate import MAX_GATE_WORDS, leaves_whole
from textforensics.boilerplate.page import own_rows, read_page
from textforensics.boilerplate.phrases import LANGUAGES, phrase_data
from textforensics.boilerplate.spec import LONG_WORDS

PROSE = [
    "The town council voted on Tuesday to open a public library in the old railway station,"
    " ending a decade of debate about the empty building at the edge of the market square.",
    "Supporters said the library would give children a place to read after school and give"
    " older residents somewhere warm to meet during the long winter months.",
    "The building will need a new roof and new windows before the shelves can go in, and"
    " the council expects the work to take most of next year.",
    "The librarian, who has worked in the county archive for twenty years, said she hoped"
    " to open the doors in the spring with a small collection of donated books.",
    "Volunteers have already offered to run a reading group for children on Saturday"
    " mornings, and the school next door has asked whether its pupils could use the room.",
    "Farmers in the valley have planted less wheat this year because the spring rains came"
    " late and the soil stayed too wet for the machines until the middle of May.",
    "Prices at the weekly market rose slowly through the summer, although most traders said"
    " that their customers kept coming back for the fresh bread and the local cheese.",
    "The old bridge over the river was closed for repairs after engineers found cracks in"
    " two of its stone arches during an inspection in the first week of the month.",
    "Drivers now have to take a longer road through the hills, which adds about twenty"
    " minutes to the journey between the two villages on either side of the river.",
    "A small team of researchers spent three weeks counting the birds that nest on the"
    " cliffs, and they found more pairs of puffins than in any year since they began.",
]
WORDS = sorted({w.strip(".,").lower() for s in PROSE for w in s.split()})


def _all_phrases() -> list[str]:
    out: set[str] = set()
    for lang in LANGUAGES:
        ph = phrase_data(lang)
        out.update(ph.line)
        out.update(ph.start_kind)
        out.update(ph.section)
        out.update(p for entries in ph.contains_by_word.values() for p, _k in entries)
    return sorted(out)


PHRASES = _all_phrases()
THRESHOLD = shipped_classifier().threshold


def _full(text: str) -> tf.StripResult:
    """The full path: an explicit threshold (the shipped one) skips the gate."""
    return tf.strip_boilerplate(text, threshold=THRESHOLD)


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """A paragraph of prose, often with something the stripper may cut mixed in."""
    sentences = draw(st.lists(st.sampled_from(PROSE), min_size=1, max_size=6))
    words = " ".join(sentences).split()
    change = draw(st.sampled_from(["none"] * 6 + ["cue", "cue_start", "digits", "caps", "cut"]))
    if change == "cue":
        at = draw(st.integers(0, len(words)))
        words.insert(at, draw(st.sampled_from(PHRASES)))
    elif change == "cue_start":
        words.insert(0, draw(st.sampled_from(PHRASES)).capitalize())
    elif change == "digits":
        at = draw(st.integers(0, len(words)))
        words.insert(at, str(draw(st.integers(0, 10**6))))
    elif change == "caps":
        words = [w.capitalize() if draw(st.booleans()) else w for w in words]
    elif change == "cut":
        words = words[: draw(st.integers(1, len(words)))]
    return " ".join(words)


short_lines = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join),
    st.sampled_from(PHRASES),
    st.sampled_from(["Contents", "Share", "|", "Read more", "© 2024", "Home > News"]),
)


@st.composite
def texts(draw: st.DrawFn) -> str:
    paras = draw(st.lists(paragraphs(), min_size=1, max_size=6))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        at = draw(st.integers(0, len(paras)))
        what = draw(st.sampled_from(["short", "title", "repeat"]))
        if what == "repeat":
            paras.insert(at, draw(st.sampled_from(paras)))
        elif what == "title":
            paras.insert(0, draw(short_lines).title())
        else:
            paras.insert(at, draw(short_lines))
    return draw(st.sampled_from(["\n\n", "\n", "\n \n"])).join(paras)


@given(texts())
def test_a_text_the_gate_passes_is_left_whole(text: str) -> None:
    if not leaves_whole(text):
        return
    full = _full(text)
    assert full.text == text
    assert full.removed == ()
    assert tf.strip_boilerplate(text).to_dict() == full.to_dict()


def test_the_gate_passes_plain_prose_and_the_result_is_the_full_paths() -> None:
    text = "\n\n".join(PROSE[i] + " " + PROSE[i + 1] for i in range(0, 8, 2))
    assert leaves_whole(text)
    gated = tf.strip_boilerplate(text)
    assert gated.text == text
    assert gated.removed == ()
    full = _full(text)
    assert gated.language == full.language == "en"
    assert gated.blocks == full.blocks
    assert len(gated.blocks) == 4
    assert all(b.label == "content" for b in gated.blocks)


def test_a_title_line_passes_only_when_the_rules_keep_it() -> None:
    body = "\n\n".join(PROSE[:4])
    assert leaves_whole("A Library in the Old Station\n\n" + body)
    assert not leaves_whole("A Library in the Old Station | Town News\n\n" + body)
    assert not leaves_whole("A library in the old station.\n\n" + body)  # not headline-like
    assert not leaves_whole("A Library\n\nIn the Old Station\n\n" + body)  # two short lines
    # a title in the first paragraph's lines weighs in its score: left to the full path
    assert not leaves_whole("A Library in the Old Station\n" + body)


def test_what_the_gate_refuses() -> None:
    long = PROSE[0] + " " + PROSE[1]
    assert leaves_whole(long)
    assert not leaves_whole("")
    assert not leaves_whole(long.replace(" ", "\r\n", 1))
    assert not leaves_whole(long + "\n\n" + long)  # a later copy
    assert not leaves_whole(long + "\n\nRead more")  # a short line
    assert not leaves_whole(long + " Sign up for our newsletter to read more.")  # a phrase
    assert not leaves_whole(long.upper())
    assert not leaves_whole(long + " See https://example.org for more.")
    assert not leaves_whole(" ".join([long] * (MAX_GATE_WORDS // 40 + 1)))
    # a line just under the long-block length
    words = PROSE[0].split()
    assert not leaves_whole(" ".join(words[: LONG_WORDS - 1]) + ".")


def _phrase_hits(text: str) -> list[tuple[str, int]]:
    """The blocks with a phrase hit, as the full path finds them, in every language."""
    page = read_page(text)
    return [(lang, i) for lang in LANGUAGES for i in own_rows(page, lang).hit.nonzero()[0]]


def test_no_phrase_hit_of_any_language_passes() -> None:
    """Every phrase of every shipped language, opening a paragraph or inside it: wherever
    the full path finds a phrase hit (in any language, as the rules would for the
    detected one), the gate refuses the text."""
    base = PROSE[2]
    assert leaves_whole(base)
    assert not _phrase_hits(base)
    words = base.split()
    refused = 0
    for phrase in PHRASES:
        for text in (
            phrase + " " + base,
            " ".join([*words[:10], phrase, *words[10:]]),
        ):
            if leaves_whole(text):
                assert not _phrase_hits(text), (phrase, text)
            else:
                refused += 1
    assert refused >= len(PHRASES) // 2  # (a phrase inside prose is not always a hit)


def test_only_default_options_are_gated() -> None:
    text = "\n\n".join(PROSE[:3])
    assert leaves_whole(text)
    for kw in ({"threshold": 0.99}, {"language": "de"}):
        gated = tf.strip_boilerplate(text, **kw)  # type: ignore[arg-type]
        assert gated.to_dict() == tf.strip_boilerplate(text, **kw).to_dict()  # type: ignore[arg-type]
    assert tf.strip_boilerplate(text, threshold=0.99).text != text  # the full path ran


def test_gated_results_are_the_same_from_many_threads() -> None:
    text = "\n\n".join(PROSE[:5])
    want = _full(text).to_dict()
    results: list[dict[str, object]] = []
    shared = tf.strip_boilerplate(text)

    def work() -> None:
        results.append(shared.to_dict())
        results.append(tf.strip_boilerplate(text).to_dict())

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results
    assert all(r == want for r in results)
