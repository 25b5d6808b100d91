"""Comment threads found by their structure (boilerplate/threads.py), in every shipped
language; a page that is the discussion keeps its posts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics.boilerplate.page import read_page
from textforensics.boilerplate.threads import (
    CONTROL,
    HEADER,
    OPENER,
    STRONG,
    block_marks,
    thread_runs,
)

ARTICLE = "\n\n".join(
    [
        "A Quiet Town Gets Its First Library",
        "The town council voted on Tuesday to open a public library in the old railway "
        "station, ending a decade of debate about the empty building at the edge of the "
        "market square and what the town should do with it.",
        "Supporters said the library would give children a place to read after school "
        "and give older residents somewhere warm to meet during the long winter months, "
        "while critics worried about the cost of heating the hall.",
        "The building will need a new roof and new windows before the shelves can go in, "
        "and the council expects the work to take most of next year, paid for in part by "
        "a grant from the regional government and in part by local donations.",
        "The librarian, who has worked in the county archive for twenty years, said she "
        "hoped to open the doors in the spring of the following year with a small "
        "collection of books donated by families from the town.",
        "Volunteers have already offered to run a reading group for children on Saturday "
        "mornings, and the school next door has asked whether its pupils could use the "
        "reading room for their homework in the afternoons during the week.",
    ]
)


def _marks(text: str) -> list[int]:
    page = read_page(text)
    return block_marks(page.contents, page.words, page.word_off, page.nw, page.has_digit).tolist()


@pytest.mark.parametrize(
    "line",
    [
        "1. Martin - 9 December, 2011",
        "Alexa • vor 2 Tagen",
        "u/volkermans · 1 Punkt · vor 6 Monaten",
        "Juan Pérez · hace 5 h",
        "Marie il y a 3 ans",
        "Giulia · 3 anni fa",
        "Ana · há 3 anos",
        "Иван · 3 года назад",
        "@someone 3h ago",
        "pheinrich sagt:",
        "Posted by Anna on 12 March 2014 at 10:31",
        "Klaus-D. Ullmann, 30.08.2024 17:09",
        "Eintrag #374 von Aleksandar aus Teterow, am 09.09.2016 um 03:42:",
    ],
)
def test_header_lines(line: str) -> None:
    assert _marks(line)[0] == HEADER


@pytest.mark.parametrize(
    "line",
    [
        "Reply • Share ›",
        "12 △ ▽ • Reply • Share ›",
        "Like · Reply · 3y",
        "Antworten Gefällt mir Melden",
        "Gefällt mir · Antworten · 2 · 18h",
        "Me gusta · Responder · 2 h",
        "J’aime · Répondre · 1 j",
        "Mi piace · Rispondi · 3 · 2anni",
        "Curtir · Responder · 5 · 2 anos",
        "Нравится · Ответить · 3 ч",
        "Empfehlen (12) Missbrauch melden Antworten",
    ],
)
def test_control_lines(line: str) -> None:
    assert _marks(line)[0] == CONTROL


@pytest.mark.parametrize(
    "line",
    ["14 Kommentare", "Comments (23)", "17 Responses to “A Title”", "Ajouter un commentaire…"],
)
def test_strong_openers(line: str) -> None:
    assert _marks(line)[0] == OPENER | STRONG


@pytest.mark.parametrize(
    "line",
    [
        "The council met on 9 December 2011 and voted for the library in a long session.",
        "Share your thoughts with the council before the vote next week, please write in.",
        "Home",
        "Parent",
        "201",
    ],
)
def test_ordinary_lines_carry_no_thread_mark(line: str) -> None:
    assert _marks(line)[0] & (HEADER | CONTROL | STRONG) == 0


def _thread(lines: list[tuple[str, str, str]]) -> str:
    return "\n\n".join(f"{head}\n\n{body}\n\n{ctrl}" for head, body, ctrl in lines)


THREAD_DE = _thread(
    [
        (
            "Alexa • vor 2 Tagen",
            "Ich verfolge das Thema seit Jahren, danke.",
            "Antworten • Teilen ›",
        ),
        (
            "Kornelius • vor 2 Tagen",
            "Das deckt sich mit meinen Erfahrungen.",
            "Antworten • Teilen ›",
        ),
        ("Christa S. • vor 3 Tagen", "Naja.", "Antworten • Teilen ›"),
    ]
)


def test_thread_under_an_article_goes_whole_and_the_article_stays() -> None:
    text = ARTICLE + "\n\n3 Kommentare\n\n" + THREAD_DE + "\n"
    r = tf.strip_boilerplate(text)
    assert r.text.rstrip("\n").endswith("during the week.")
    for para in ARTICLE.split("\n\n")[1:]:
        assert para in r.text
    for word in ("Kommentare", "Alexa", "Naja"):
        assert word not in r.text
    kinds = {b.kind for b in r.removed if text[b.start : b.end].strip()}
    assert kinds == {"comments"}


def test_numbered_thread_with_one_comment_after_a_count() -> None:
    text = (
        ARTICLE
        + "\n\n1 comment\n\n1. Martin - 9 December, 2011\n\n"
        + "I'm an Arsenal supporter from Chicago. Looking forward to the site revamp.\n"
    )
    r = tf.strip_boilerplate(text)
    assert "Martin" not in r.text
    assert "Arsenal" not in r.text
    assert "collection of books donated" in r.text


def test_a_forum_topic_keeps_its_posts() -> None:
    posts = [
        (
            "rob_k · 3 hours ago",
            "My old laptop has a 1 TB disk and 32 GB of memory. I want to install Linux "
            "on it as a home server for backups and media. Which distribution would you "
            "suggest for someone who has never run a server before, and why?",
            "Reply • Share",
        ),
        (
            "tina · 2 hours ago",
            "Debian stable is a safe choice: it changes slowly, updates rarely break "
            "anything, and there is documentation for almost every service you might want.",
            "Reply • Share",
        ),
        (
            "m_lee · 1 hour ago",
            "I would add that a small script for the backups, run every night, is worth "
            "more than any choice of distribution. Test the restore, not only the backup.",
            "Reply • Share",
        ),
    ]
    text = "Which Linux for a home server?\n\n" + _thread(posts) + "\n"
    r = tf.strip_boilerplate(text)
    for _, body, _ in posts:
        assert body in r.text
    assert not [b for b in r.removed if b.message.startswith("comment thread")]


@given(
    st.lists(
        st.sampled_from([HEADER, CONTROL, OPENER, OPENER | STRONG, 0, 0, 0]),
        min_size=0,
        max_size=60,
    ),
    st.lists(st.integers(0, 80), min_size=60, max_size=60),
)
def test_runs_are_ordered_disjoint_and_in_range(marks: list[int], words: list[int]) -> None:
    n = len(marks)
    m = np.array(marks, dtype=np.int8)
    nw = np.array(words[:n], dtype=np.int64)
    is_long = nw >= 40
    runs = thread_runs(m, nw, is_long, np.linspace(0, 1, n))
    last = -1
    for run in runs:
        assert last < run.start <= run.end < n
        last = run.end
        # a run holds a marker, and a run with no strong opener holds three of them
        inside = m[run.start : run.end + 1]
        assert ((inside & (HEADER | CONTROL)) != 0).any()


@given(st.text(alphabet=st.sampled_from("ab1 .:·•-\n|#@"), max_size=300))
def test_marks_cover_every_block(text: str) -> None:
    page = read_page(text)
    marks = block_marks(page.contents, page.words, page.word_off, page.nw, page.has_digit)
    assert marks.shape == (page.n,)
    assert not marks[page.nw == 0].any()
