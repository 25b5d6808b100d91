"""Plain comment threads (no controls, no count) under an article, by their one repeated
post-header shape (boilerplate/postshapes.py); forum pages of the same shapes keep their
posts. Every name, date and text here is invented."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from strip_helpers import check_partition
from textforensics.boilerplate.postshapes import header_shape

ARTICLE = "\n\n".join(
    [
        "Harbour Ferry Returns After Twelve Years",
        "The old ferry between the two halves of the harbour will run again from next "
        "month, the port authority said on Monday, after a local trust raised the money "
        "to repair the boat and to rebuild the landing stage on the northern quay.",
        "The crossing takes eleven minutes and used to carry workers from the terraces "
        "on the hill to the boatyards on the far shore, until the yards closed and the "
        "service was stopped for want of passengers and of money for its upkeep.",
        "Volunteers spent two winters stripping the hull, replacing the planks that had "
        "rotted and fitting a new engine, which the trust says uses a third of the fuel "
        "of the old one and is quiet enough to let passengers talk on the way over.",
        "Tickets will cost the same as a bus fare, and children under twelve will travel "
        "free on weekends, when the trust expects most of its passengers to be families "
        "visiting the market that is held on the quay every Saturday morning.",
        "The first crossing is planned for the morning of the fifth, weather permitting, "
        "and the trust has invited everyone who worked on the old service to ride on it "
        "together with the volunteers who brought the boat back to life.",
    ]
)
LAST_ARTICLE_LINE = "brought the boat back to life."

BODIES = [
    "Wonderful news, my grandfather worked on the yards and took that boat every day.",
    "I hope they keep the old timetable board, it was a lovely piece of signwriting.",
    "Will bicycles be allowed on board? That would make the trip to work so much easier.",
    "Thanks to every volunteer who gave up their weekends for this, well done to you all.",
    "Eleven minutes across the water beats forty minutes round the bay in traffic.",
]
NAMES = ["Orla Brennick", "tomasz_v", "Hettie", "R. Quillan", "Bramwell88"]


def _opens(header: str) -> str:
    """Posts each opened by ``header`` (formatted with name, day, hour)."""
    return "\n\n".join(
        header.format(name=n, day=3 + k, hour=k + 1, num=k + 1) + "\n\n" + b
        for k, (n, b) in enumerate(zip(NAMES, BODIES, strict=True))
    )


def _closes(trailer: str) -> str:
    """Posts each closed by ``trailer``."""
    return "\n\n".join(
        b + "\n\n" + trailer.format(name=n, day=3 + k, hour=k + 1, num=k + 1)
        for k, (n, b) in enumerate(zip(NAMES, BODIES, strict=True))
    )


# Each shape real threads take (the annotated Dragnet pages show each; here invented).
SHAPES = {
    "name_pipe_date": _opens("{name} | March {day}, 2019 {hour}:14 AM |"),
    "name_dash_ordinal": _opens("{name} — March {day}th, 2019, {hour}:20 pm"),
    "author_line_then_date": _opens("{name}\n\nMarch {day}, 2019 at {hour}:05 pm"),
    "posted_by_trailer": _closes("Posted by: {name} | March {day}, 2019 at {hour}:15 AM"),
    "by_on_trailer": _closes("by {name} on March {day}, 2019 at {hour}:59 am."),
    "by_id_on_weekday": _opens(
        "by {name} (40{day}1) on Monday March {day}, @0{hour}:25PM (#9070{day}{hour})"
    ),
    "on_date_said": _opens("On March {day}, 2019 at {hour}:10 pm {name} said:"),
    "numbered": _opens("{num} {name} March {day}, 2019 at {hour}:57 AM"),
    "date_then_said": _opens("March {day}, 2019 at {hour}:38 am\n\n{name} said,"),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_plain_thread_under_an_article_goes(shape: str) -> None:
    thread = SHAPES[shape]
    text = ARTICLE + "\n\n" + thread + "\n"
    r = tf.strip_boilerplate(text)
    for para in ARTICLE.split("\n\n")[1:]:
        assert para in r.text
    at = text.index(thread)
    kept = [
        b
        for b in r.blocks
        if b.label == "content" and b.start >= at and text[b.start : b.end].strip()
    ]
    kept_words = sum(len(text[b.start : b.end].split()) for b in kept)
    # (a thread closed by its trailers keeps the first post above the first trailer:
    # nothing tells it from the article's last paragraph)
    assert kept_words <= len(BODIES[0].split()), [text[b.start : b.end] for b in kept]
    assert {b.kind for b in r.removed if b.start >= at and text[b.start : b.end].strip()} == {
        "comments"
    }


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_same_posts_as_a_forum_topic_stay(shape: str) -> None:
    # No article above: the posts are the page.
    thread = SHAPES[shape]
    text = "Ferry timetable questions\n\n" + thread + "\n"
    r = tf.strip_boilerplate(text)
    assert not [b for b in r.removed if b.message.startswith("comment thread")]
    for body in BODIES[1:]:
        assert body in r.text


def _forum(header: str, chrome: str = "") -> str:
    """A forum topic whose first post reads as an article, then replies, longer all
    together than it (so that only the plain-thread rule could take them)."""
    posts = []
    for k, (n, b) in enumerate(zip(NAMES, BODIES, strict=True)):
        b = " ".join([b] * 4)
        post = header.format(name=n, day=3 + k, hour=k + 1, num=k + 2)
        if chrome:
            post += "\n\n" + chrome
        posts.append(post + "\n\n" + b)
    return ARTICLE + "\n\n" + "\n\n".join(posts) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        # a forum's post counter in each header (a counter on a line of its own goes
        # as navigation in the first pass: only that pass sees it)
        _forum("{name} · #{num} · March {day}, 2019 at {hour}:05 pm"),
        # the same line after every header (the forum's own chrome)
        _forum("{name} | March {day}, 2019 {hour}:14 AM |", chrome="Add to quote"),
        # post numbers from 2 on: the page's text above is the topic's first post
        _forum("{name} March {day}, 2019, {hour}:30pm {day}"),
        # quotes of earlier posts, with their age
        _forum("{hour} hours ago, {name} said:"),
        # a member's join date under the name, no clock time
        _forum("{name}\n\nMarch {day}, 2011"),
        # dated list items of a range: events, not posts
        _forum("{name}: March {day}–{hour}, 2026"),
    ],
    ids=["counter", "chrome", "from_two", "quotes", "join_dates", "ranges"],
)
def test_forum_cues_keep_the_posts(text: str) -> None:
    r = tf.strip_boilerplate(text)
    assert not [b for b in r.removed if b.message.startswith("comment thread")]


@pytest.mark.parametrize(
    ("line", "shape", "number"),
    [
        ("Wendel | March 4, 2019 10:20 AM |", "a | M 0 , 0 0 : 0 p |", -1),
        ("Orla Brennick | March 4, 2019 10:20 AM |", "a | M 0 , 0 0 : 0 p |", -1),
        ("by Qx (123) on Monday June 4, @07:15PM (#4074)", "by a on W M 0 , @ 0 : 0p", -1),
        ("by Anon Reader on Monday June 4, @08:02PM (#4077)", "by a on W M 0 , @ 0 : 0p", -1),
        ("by ab <ab@host.example> on Monday June 4, @08:02PM", "by a on W M 0 , @ 0 : 0p", -1),
        ("2 Ilse Varga April 9, 2017 at 5:47 AM", "a M 0 , 0 at 0 : 0 p", 2),
        ("mira_k January 3, 2025, 7:30pm 2", "a M 0 , 0 , 0 : 0p", 2),
        ("36 minutes ago, someone said:", "0 a ago , a said :", -1),
    ],
)
def test_header_shapes(line: str, shape: str, number: int) -> None:
    assert header_shape(line) == (shape, number)


_HEADER_TEXT = st.text(
    alphabet=st.sampled_from("abJM019 :,.|@#()<>-–—•·pm\t"), min_size=0, max_size=60
)


@given(_HEADER_TEXT)
def test_header_shape_total_and_deterministic(line: str) -> None:
    shape, number = header_shape(line)
    assert (shape, number) == header_shape(line)
    assert number >= -1
    assert "a a" not in f" {shape} "


@st.composite
def plain_pages(draw: st.DrawFn) -> str:
    """An article (or not) and a plain thread of one invented shape, with noise."""
    shape = draw(st.sampled_from(sorted(SHAPES)))
    posts = SHAPES[shape].split("\n\n")
    cut = draw(st.integers(0, len(posts)))
    extra = draw(st.lists(st.sampled_from(["Reply", "#3", "0", "Add to quote", ""]), max_size=4))
    head = ARTICLE if draw(st.booleans()) else "Ferry questions"
    return "\n\n".join([head, *posts[:cut], *extra, *posts[cut:]]) + "\n"


@settings(max_examples=40, deadline=None)
@given(plain_pages())
def test_plain_thread_pages_partition_and_idempotent(text: str) -> None:
    result = tf.strip_boilerplate(text)
    check_partition(text, result)
    assert tf.strip_boilerplate(result.text).text == result.text


# A short summary (over 100 words, under 150) under a byline of its own, the way a news
# aggregator posts a story, then a thread of a different header shape.
SUMMARY = (
    "Harbour Ferry Returns After Twelve Years\n\n"
    "Posted by Ingram Solle on Monday March 2, @09:12AM\n\n"
    "An anonymous reader writes: the old ferry between the two halves of the harbour "
    "will run again from next month, after a local trust raised the money to repair "
    "the boat and to rebuild the landing stage on the northern quay. Volunteers spent "
    "two winters stripping the hull, replacing the planks that had rotted and fitting "
    "a new engine, which the trust says uses a third of the fuel of the old one. The "
    "crossing takes eleven minutes and used to carry workers from the terraces on the "
    "hill to the boatyards on the far shore, until the yards closed and the service "
    "was stopped for want of passengers. Tickets will cost the same as a bus fare, and "
    "children will travel free on weekends."
)
SUMMARY_HEADER = "by {name} (40{day}1) on Monday March {day}, @0{hour}:25PM (#9070{day}{hour})"


def test_a_short_summary_under_its_byline_loses_its_thread() -> None:
    thread = _opens(SUMMARY_HEADER)
    text = SUMMARY + "\n\n" + thread + "\n"
    r = tf.strip_boilerplate(text)
    assert SUMMARY.split("\n\n")[-1] in r.text
    for body in BODIES:
        assert body not in r.text
    assert {b.kind for b in r.removed if b.start >= text.index(thread)} == {"comments"}


@pytest.mark.parametrize("cut", ["byline", "short"])
def test_a_short_text_with_no_byline_or_too_short_keeps_its_posts(cut: str) -> None:
    # (no byline: a forum topic's first post reads the same; under 100 words: a title
    # and a line, no article)
    title, byline, para = SUMMARY.split("\n\n")
    head = (
        title + "\n\n" + para
        if cut == "byline"
        else title + "\n\n" + byline + "\n\n" + (" ".join(para.split()[:60]))
    )
    text = head + "\n\n" + _opens(SUMMARY_HEADER) + "\n"
    r = tf.strip_boilerplate(text)
    assert not [b for b in r.removed if b.message.startswith("comment thread")]
    for body in BODIES[1:]:
        assert body in r.text


def test_a_forum_quoting_dated_attributions_keeps_its_posts() -> None:
    # a date over "NAME said," with the forum's chrome after every post
    text = _forum("March {day}, 2019 at {hour}:38 am\n\n{name} said,", chrome="Add to quote")
    r = tf.strip_boilerplate(text)
    assert not [b for b in r.removed if b.message.startswith("comment thread")]
