"""The shape of a post's header line, to tell a plain comment thread from a forum topic.

A reader-comment thread with no controls left ("NAME | March 4, 2019 10:13 AM |",
"Posted by: NAME at May 2, 2018 11:40 AM", "by NAME (1234) on Monday June 4,
@07:15PM (#5551234)", a bare date line under the author's name) has nothing but the
repetition of one header shape to go by: no "Reply", no "N comments". A forum topic
repeats a header too, so the shape alone does not decide; :func:`plain_thread` asks for
more (see there). The shape of a line is its skeleton: the author's words as one ``a``,
numbers as ``0``, month and weekday names as ``M`` and ``W``, am/pm as ``p``, the few
words a header is built with kept, the separators kept ("a | M 0, 0 0:0 p |").
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from .spec import LONG_WORDS
from .threads import _MONTHS, CONTROL, HEADER, SCORED, Run, _article_words

# The words a header is built with ("Posted by NAME on DATE at TIME", "NAME said,").
_KEPT = (
    "by on at posted written submitted said says wrote from in um de le el il von ago"
    " commented asked answered edited reviewed joined updated modified"
)
_KEPT_WORDS = frozenset(_KEPT.split())
_DAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs"
_WEEKDAYS = frozenset((_DAYS + " fri sat sun").split())
_MERIDIEM = frozenset(("am", "pm", "a.m.", "p.m.", "a.m", "p.m"))
_TOKEN_RE = re.compile(r"[\w.'’]+|[^\w\s]")
_DIGIT_RE = re.compile(r"\d")
# A post's number: leading ("2 NAME April 9, 2017", "#3 · DATE") or trailing after a
# time ("NAME January 3, 2025, 7:30pm 2", a forum's post counter).
_LEADING_NUMBER_RE = re.compile(
    r"#?(\d{1,3})[.):]?\s+(?!(?:second|minute|hour|day|week|month|year)s?\b)(?=[^\W\d_])"
)
_TRAILING_NUMBER_RE = re.compile(r"(?:\d|[ap]\.?m\.?)\s+#?(\d{1,3})\s*\Z")
# A forum's post counter on a line of its own ("#12", "# 3", "Post #4").
_POST_COUNTER_RE = re.compile(r"\s*(?:post\s*)?#\s?\d{1,5}\s*\Z", re.IGNORECASE)
_CLOCK_RE = re.compile(r"\b0 :? ?0p?\b|\b0p\b")
_BRACKETED_RE = re.compile(r"\(\s*#?\s*\d+\s*\)")
# The parts of a shape that are a time.
_TIME_PARTS = frozenset(("0", "0p", "M", "W"))
_RANGE_RE = re.compile(r"0p? [-–—] 0")
_QUOTE_WORDS = frozenset(("said", "wrote"))
_RECORDS = "asked answered edited reviewed joined updated modified"
_RECORD_WORDS = frozenset(_RECORDS.split())
# A date in a shape (a quote's attribution has an age at most: "36 minutes ago, NAME
# said:"; a post's header in WordPress's words, "On April 9, 2017 at 2:10 pm NAME
# said:", a date).
_DATE_RE = re.compile(r"\bM 0\b|\b0 M\b|\b0 / 0 / 0\b")
_LETTER_RE = re.compile(r"[^\W\d_]")
# A label before a colon: at most this many characters.
_LABEL_CHARS = 20
# A number standing alone in a line (a member's post count, "2,947"; a vote count): no
# author's line ("Pch101", "bd2" are).
_COUNT_LINE_RE = re.compile(r"(?<![\w.,])\d[\d.,]*(?![\w.,])")
# The shape of an author line over a date-only header: one to four words, no digit.
_AUTHOR_WORDS = 4
# An author's attribution under a date-only header ("NAME said,", "NAME says:").
_ATTRIBUTION_RE = re.compile(r"\b(?:said|says|wrote)\s*[,:.]?\s*\Z", re.IGNORECASE)


def header_shape(line: str) -> tuple[str, int]:
    """The skeleton of the header line ``line`` and the post number it carries (-1 when
    none): ``("a | M 0, 0 0:0 p |", -1)`` for "Wendel | March 4, 2019 10:20 AM |"."""
    folded = line.casefold().strip()
    number = -1
    if (m := _LEADING_NUMBER_RE.match(folded)) is not None:
        number = int(m.group(1))
        folded = folded[m.end() :]
    elif (m := _TRAILING_NUMBER_RE.search(folded)) is not None:
        number = int(m.group(1))
        folded = folded[: m.start(1)].rstrip("# ")
    # (a user's id or a post's link in brackets, "(1234)", "(#5551234)", varies
    # from post to post of one shape)
    folded = _BRACKETED_RE.sub(" ", folded)
    out: list[str] = []
    timed = False
    for tok in _TOKEN_RE.findall(folded):
        if _DIGIT_RE.search(tok) is not None:
            if _NUMBER_TOKEN_RE.match(tok) is not None:
                t = "0"
            elif _CLOCK_TOKEN_RE.match(tok) is not None:
                t = "0p"
            else:
                t = "a"  # a name with digits ("user123")
        elif not tok[0].isalnum() and len(tok) == 1 and tok not in ".'’":
            t = tok
        else:
            word = tok.strip(".'’")
            if not word:
                continue
            if tok in _MERIDIEM or word in _MERIDIEM:
                t = "p"
            elif word in _KEPT_WORDS:
                t = word
            elif word in _MONTHS:
                t = "M"
            elif word in _WEEKDAYS:
                t = "W"
            else:
                t = "a"
        timed |= t in _TIME_PARTS
        # (before the time, whatever is not a header's word or separator is the
        # author's: "by NAME <mail@host> on", "by NAME * on", "NAME ~ NAME said")
        if not timed and t not in _KEPT_WORDS and t not in _SEPARATORS:
            t = "a"
        if t == "a" and out and out[-1] == "a":
            continue
        out.append(t)
    # (so does a word after the time, "Homepage", "Journal")
    shape = " ".join(out)
    if (
        shape.endswith(" a")
        and _TIME_PARTS.intersection(shape.split()[-3:-1])
        and "a" in shape.split()[:-1]
    ):
        shape = shape[:-2]
    return shape, number


_NUMBER_TOKEN_RE = re.compile(r"\d+(?:st|nd|rd|th|h|\.)?\Z")
_CLOCK_TOKEN_RE = re.compile(r"\d+[ap]\.?m\.?\Z")
_SEPARATORS = frozenset("|—–-•·,:#")


# A plain thread: at least this many headers, this share of them of one shape.
PLAIN_HEADERS = 4
_PLAIN_SHARE = 0.6


def post_headers(
    line: Callable[[int], str], heads: list[int], nw: np.ndarray, marks: np.ndarray
) -> list[tuple[int, str, str]]:
    """The post headers among the header blocks ``heads``: each as its first block, its
    text (headers next to each other as one, "NAME says:" over its date; a date-only
    header with the short unmarked author line above it, "NAME" over "August 9, 2012 at
    2:07 pm", or else with the attribution under it, "NAME said,") and the author line
    above so joined ('' when none)."""
    out: list[tuple[int, str, str]] = []
    taken = set(heads)
    for i in heads:
        if i - 1 in taken:
            continue
        text = line(i)
        j = i + 1
        while j in taken:
            text += " " + line(j)
            j += 1
        author = ""
        if (
            i > 0
            and not marks[i - 1]
            and 0 < nw[i - 1] <= _AUTHOR_WORDS
            and _COUNT_LINE_RE.search(line(i - 1)) is None
            and "a" not in header_shape(text)[0].split()
        ):
            author = line(i - 1).strip()
            text = author + " " + text
        elif (
            j < len(nw)
            and not marks[j]
            and 0 < nw[j] <= _AUTHOR_WORDS
            and _ATTRIBUTION_RE.search(line(j)) is not None
            and "a" not in header_shape(text)[0].split()
        ):
            # (the author's attribution under the date: "August 9, 2012 at 8:38 am"
            # over "NAME said,")
            text += " " + line(j).strip()
        out.append((i, text, author))
    return out


def plain_thread(
    line: Callable[[int], str], heads: list[int], nw: np.ndarray, marks: np.ndarray
) -> int:
    """Where the header blocks ``heads`` (block indexes; ``line(i)``: block ``i``'s
    text) open or close the posts of one plain comment thread: most post headers
    (:func:`post_headers`, at least :data:`PLAIN_HEADERS`) of one shape that holds an
    author ("a") and one time; the first with no post number above 1 (a forum's
    counter: "NAME January 3, 2025, 7:30pm 2" under the topic's first post), none with a
    forum's counter beside it ("#2"); and no other line repeated after most posts (a
    forum's "Add to quote", "Reactions: …", a signature): the first block of the
    first post of that shape (its author line), or -1 when they do not."""
    posts = post_headers(line, heads, nw, marks)
    if len(posts) < PLAIN_HEADERS:
        return -1
    shapes: dict[str, list[int]] = {}
    authors: list[str] = []
    for k, (i, text, author) in enumerate(posts):
        shape, number = header_shape(text)
        if k == 0 and number > 1:
            return -1
        shapes.setdefault(shape, []).append(i)
        if author:
            authors.append(author.casefold())
    # A forum's post counter next to a header ("#2" under "Jan 2, 2024"); a blog numbers
    # its comments in the header itself, with no hash.
    for i in heads:
        for j in (i - 1, i + 1):
            if 0 <= j < len(nw) and _POST_COUNTER_RE.match(line(j)) is not None:
                return -1
    shape, at = max(shapes.items(), key=lambda kv: len(kv[1]))
    if len(at) < PLAIN_HEADERS or len(at) < _PLAIN_SHARE * len(posts):
        return -1
    parts = shape.split()
    # (a date alone under a short line is as often a member's join date under the
    # name, on a forum: such a header must hold a clock time too)
    if any(i == at[0] and author for i, _, author in posts) and not _CLOCK_RE.search(shape):
        return -1
    # A post's header holds an author and one time: not none ("NAME said:", a forum's
    # quote of an earlier post), not a range ("City: March 2–5, 2026", a list of
    # events); "said"/"wrote" with no date is a quote's attribution, not a post's.
    if "a" not in parts or _TIME_PARTS.isdisjoint(parts) or _RANGE_RE.search(shape) is not None:
        return -1
    if not _QUOTE_WORDS.isdisjoint(parts) and _DATE_RE.search(shape) is None:
        return -1
    # (a question's or an answer's dates, "asked Oct 16, 2010 at 21:58", a shop's
    # reviews, a member's join date: a page's own records, not a thread's posts)
    if not _RECORD_WORDS.isdisjoint(parts):
        return -1
    # (a forum's post counter in the header itself, "NAME · #4 · DATE")
    if "# 0" in shape:
        return -1
    # (a forum's shared line above each header, "Add to quote", is no author)
    if authors and len(set(authors)) < _PLAIN_SHARE * len(authors):
        return -1
    # Lines repeated between the posts: a forum's chrome per post.
    seen: dict[str, int] = {}
    # (a commenter's name over several posts is no forum's chrome)
    author_lines = {i - 1 for i, _, author in posts if author}
    for j in range(heads[0], heads[-1] + 1):
        if marks[j] & HEADER or not 0 < nw[j] <= 8 or j in author_lines:
            continue
        key = line(j).strip().casefold()
        if not _LETTER_RE.search(key):
            continue  # (a vote count, "0", is no forum's chrome)
        # (a label's lines count as one: "Reactions: NAME, NAME and 3 others")
        colon = key.find(":")
        if 0 < colon <= _LABEL_CHARS:
            key = key[:colon]
        seen[key] = seen.get(key, 0) + 1
    if max(seen.values(), default=0) >= max(3, len(at) // 3):
        return -1
    first = at[0]
    return first - 1 if any(i == first and author for i, _, author in posts) else first


def plain_comments(
    line: Callable[[int], str], run: Run, marks: np.ndarray, nw: np.ndarray, scores: np.ndarray
) -> int:
    """Where a thread judged the page's own discussion (``run``, over the active blocks:
    ``marks``, ``nw``, content ``scores``; ``line(i)``: block ``i``'s text) starts as a
    plain comment thread under an article, -1 when it is none: its post headers of one
    repeated shape (:func:`plain_thread`), at most one header of another shape above
    the first of them (the article's byline), and an article of at least
    :data:`PLAIN_ARTICLE_WORDS` words above that first post (in paragraphs no other
    header opens; :data:`BYLINED_ARTICLE_WORDS` under such a byline)."""
    span = marks[run.start : run.end + 1]
    heads = ((span & HEADER) != 0).nonzero()[0] + run.start
    # (headers under LONG_WORDS words: no line of a text the stripper's gate passes)
    heads = heads[nw[heads] < LONG_WORDS]
    # (a thread with controls or scores is the other rules' to judge: they know a
    # widget's frames; a plain thread has none)
    n_ctrl = int(((span & CONTROL) != 0).sum())
    if len(heads) < PLAIN_HEADERS or n_ctrl * _CONTROLS_PER_HEADER > len(heads):
        return -1
    if (span & SCORED).any():
        return -1
    start = plain_thread(line, heads.tolist(), nw, marks)
    if start < 0:
        return -1
    above = heads[heads < start]
    posts_from = 0
    if len(above) - int((np.diff(above) == 1).sum()) == 1:
        # one header of another shape above the first post: the article's byline (its
        # paragraphs are the article's, not a post's)
        posts_from = int(above[-1]) + 1
    elif len(above):
        # posts of other shapes above it: the thread starts at the first of them
        start = int(heads[0])
    # (every block above the thread's start: _article_words stops two blocks above
    # the block it is given)
    # (an article under its own byline, "Posted by NAME on DATE" of another shape than
    # the posts', may be a short summary: the byline says it is an article)
    need = BYLINED_ARTICLE_WORDS if posts_from else PLAIN_ARTICLE_WORDS
    if _article_words(marks, nw, scores, start + 2, posts_from)[0] < need:
        return -1
    # (an article under its title: a page whose first block is already a long
    # paragraph is a discussion's kept text, its first posts with their headers gone)
    if nw[0] >= LONG_WORDS and not marks[0]:
        return -1
    return start


# A plain thread has a control line for at most one header in this many.
_CONTROLS_PER_HEADER = 4
# The article above a plain thread: at least this many words.
PLAIN_ARTICLE_WORDS = 150
# ... and at least this many under a byline of its own.
BYLINED_ARTICLE_WORDS = 100
