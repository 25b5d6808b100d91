"""Session 11 (issue 13): a listing's per-item counters open no comment section
(records.item_counters), and shop chrome is phrase data (pickers, buttons, badges,
"customers also bought") in every shipped language."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from textforensics.boilerplate.features import paragraph_ids
from textforensics.boilerplate.page import own_rows, read_page
from textforensics.boilerplate.phrases import LANGUAGES, edge_strip, line_key, phrase_data
from textforensics.boilerplate.records import MIN_RECORDS, item_counters
from textforensics.boilerplate.spec import stage1_rows

POSTS = [
    (
        "Building brains for bulldozers",
        "Ryan chats with the chief technology officer of a robotics company about the "
        "evolution of self-driving technology and why heavy machinery is next.",
    ),
    (
        "What is new on the site this month",
        "All that is new on the site last month, including the redesigned home page now "
        "available in beta and a new way to ask open-ended questions.",
    ),
    (
        "Mind the gap between developers and their tools",
        "Developer trust is synonymous with a willingness to deploy generated code to "
        "production systems with minimal human review, as well as other things.",
    ),
    (
        "How everyone can use new tools for good",
        "There are big players in the field that use this technology for humanitarian and "
        "environmental good, from start-ups fighting climate change to charities.",
    ),
    (
        "Defense against uploads with an open source file scanner",
        "Network traffic gets all the press, but some folks are still trying to build a "
        "better upload scanner for the files their users send them every day.",
    ),
]
MORE = (
    "Read on for what we learned, what surprised us and what we would do differently if "
    "we started again today, with notes from the people who built it."
)
AUTHORS = ["Phoebe Sajor", "Zach Rutta", "Ryan Donovan", "Eira May", "Kate Smith"]

ARTICLE = (
    "The city council voted on Tuesday to extend the tram line to the northern suburbs, "
    "a project that has been discussed for more than a decade and was twice abandoned.\n"
    "Supporters say the extension will cut commuting times in half for thousands of "
    "residents, while critics point to the rising costs of the construction work.\n"
    "The first trams are expected to run on the new section in the spring of next year, "
    "according to the transport department, if the tunnel works stay on schedule.\n"
)
THREAD = (
    "12 comments\n"
    "Anna Keller\n"
    "Finally! I have waited for this line since I moved here, it will change everything.\n"
    "Reply\n"
    "Tom Berger\n"
    "The costs are far too high for what we get, the buses would have done the job.\n"
    "Reply\n"
)


def _index(posts: list[tuple[str, str]], counts: list[int]) -> str:
    lines = ["The Overflow Blog", "Home", "Podcast", "Newsletter", "Latest articles"]
    for k, ((title, blurb), n) in enumerate(zip(posts, counts, strict=True)):
        lines += [f"March {k + 2}, 2026", title, blurb + " " + MORE, AUTHORS[k % len(AUTHORS)]]
        lines.append(f"{n} comments")  # ("1 comment" would be a key of its own)
    lines += ["About", "Careers", "Privacy Policy"]
    return "\n".join(lines) + "\n"


def test_item_counters() -> None:
    page = read_page(_index(POSTS, [0, 14, 0, 2, 5]))
    at = np.array([i for i in range(page.n) if page.clen[i] > 0], dtype=np.int64)
    out = item_counters(page.key_ids[at], page.nw[at], page.has_digit[at])
    marked = [page.contents[i] for i in at[out].tolist()]
    # the dates recur as one key too ("March 0, 0"): counters of a kind, harmless (no
    # section marker); the titles, blurbs and authors are not counters
    assert [m for m in marked if not m.startswith("March")] == [
        "0 comments",
        "14 comments",
        "0 comments",
        "2 comments",
        "5 comments",
    ]
    assert len(marked) == 10
    # fewer than MIN_RECORDS copies are no counters
    page = read_page(_index(POSTS[: MIN_RECORDS - 1], [3, 4]))
    at = np.array([i for i in range(page.n) if page.clen[i] > 0], dtype=np.int64)
    out = item_counters(page.key_ids[at], page.nw[at], page.has_digit[at])
    assert not any(page.contents[i].endswith("comments") for i in at[out].tolist())
    empty = np.zeros(0, dtype=np.int64)
    assert not item_counters(empty, empty, empty.astype(bool)).any()


def _section_at(text: str) -> tuple[int, list[str]]:
    """The comment-section start of the first pass (all blocks), as the rules see it,
    and the blocks' lines."""
    page = read_page(text)
    active = np.arange(page.n, dtype=np.int64)
    _x, at = stage1_rows(page, active, own_rows(page, "en"), paragraph_ids(page, active))
    return at, [page.contents[i] for i in range(page.n)]


def test_a_blog_index_opens_no_comment_section_at_its_counters() -> None:
    at, lines = _section_at(_index(POSTS, [0, 14, 0, 2, 5]))
    assert at == len(lines)  # no section: every post stays the classifier's to judge
    # the same page with its counters as one-off lines: the first opens a section
    at, lines = _section_at(_index(POSTS, [0, 14, 0, 2, 5]).replace("14 comments", "x"))
    assert at == len(lines)  # still 4 counters of one key
    one = _index(POSTS[:1], [7]) + ARTICLE
    at, lines = _section_at(ARTICLE + one)
    assert lines[at] == "7 comments"


def test_a_comment_count_over_a_thread_still_opens_it() -> None:
    at, lines = _section_at(ARTICLE + THREAD)
    assert lines[at] == "12 comments"
    res = tf.strip_boilerplate(ARTICLE + THREAD)
    assert res.text.startswith(ARTICLE)
    assert "Finally!" not in res.text


SHOP = {
    "en": ["select a size", "add to basket", "customers also bought", "subscribe & save"],
    "de": ["größe wählen", "kunden kauften auch"],
    "fr": ["choisir une taille", "les clients ont aussi acheté"],
    "es": ["selecciona una talla", "los clientes también compraron"],
    "it": ["seleziona la taglia", "i clienti hanno acquistato anche"],
    "pt": ["selecione o tamanho", "os clientes também compraram"],
    "ru": ["выберите размер", "покупатели также купили"],
}


def test_shop_chrome_is_phrase_data_in_every_language() -> None:
    assert set(SHOP) == set(LANGUAGES)
    for lang, phrases in SHOP.items():
        ph = phrase_data(lang)
        for p in phrases:
            assert edge_strip(line_key(p)) in ph.line, (lang, p)


PRODUCT = [
    "Trail Runner 2 Waterproof Shoe",
    "Select a Size",
    "Add to Basket",
    "Customers Also Bought",
    "Subscribe & Save",
    "Couldn't load pickup availability",
]


def test_shop_chrome_lines_are_removed_outright() -> None:
    page = read_page("\n".join(PRODUCT) + "\n")
    own = own_rows(page, "en")
    hard = [page.contents[i] for i in own.hard.nonzero()[0].tolist()]
    assert hard == PRODUCT[1:]


@st.composite
def index_pages(draw: st.DrawFn) -> str:
    k = draw(st.integers(min_value=MIN_RECORDS, max_value=len(POSTS)))
    posts = draw(st.permutations(POSTS))[:k]
    counts = draw(st.lists(st.integers(0, 300), min_size=k, max_size=k))
    text = _index(posts, counts)
    if draw(st.booleans()):
        text = ARTICLE + text
    if draw(st.booleans()):
        text += THREAD
    return text


@settings(max_examples=40, deadline=None)
@given(index_pages())
def test_index_pages_partition_idempotent_and_open_no_section_at_counters(text: str) -> None:
    res = tf.strip_boilerplate(text)
    assert "".join(text[b.start : b.end] for b in res.blocks) == text
    assert all(0 <= b.start < b.end <= len(text) for b in res.blocks)
    assert tf.strip_boilerplate(res.text).text == res.text
    # a counter line recurring once per post opens no comment section
    at, lines = _section_at(text)
    if at < len(lines):
        assert lines[at] == "12 comments"
        assert THREAD in text
