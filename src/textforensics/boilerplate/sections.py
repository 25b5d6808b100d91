"""Sections to drop under a page's content: reviews, legal text, "customers also bought".

A product page keeps its description and specifications and drops what follows them
under a heading: the customer reviews ("Customer reviews", "Top reviews from other
countries", "Customer questions & answers"), the shipping and returns terms, a privacy
policy or a cookie dialog's categories, "Customers also bought". Their paragraphs are
long prose that scores as content line by line; what marks them is the heading above.

A *section heading* is a line of 1 to ``MAX_HEADING_WORDS`` words whose key (case
folded, digits to 0, edge punctuation stripped, a trailing count such as " (0)" or ": 0"
dropped) is one of the ``sections`` headings of the language files, whole (``line``) or
at its start (``start``), of every shipped language at once
(:func:`.phrases.section_headings`); its *kind* (``comments``, ``legal``,
``related_links``) is the family it is filed under. A heading opens a section only

- under content: at least ``MIN_WORDS_ABOVE`` words of long blocks (20+ words, a
  sentence end) scoring as content above it, outside the sections found (a policy's own
  page, a menu item "Reviews" above the article, has nothing above it);
- with a body: a block of ``BODY_WORDS`` or more words among the next ``BODY_REACH``
  blocks with words (a table column "Reviews" over counts has none);
- not in a menu: the two lines on either side are not all short digit-less lines, and
  none is another section heading ("Terms of Use | Privacy Policy" in a footer);
- with the evidence of its kind, when the kind has any, in one of the next
  ``EVIDENCE_REACH`` lines: a rating or "Verified Purchase" under reviews (a press quote
  under a game's "Reviews" has none), a legal word under a policy.

A section of related products is a grid: it ends before the first long block scoring as
content (and the heading-like line just above it). Any other section runs to the block
before the next *boundary*: a headline-like line without a digit, of at most
``MAX_HEADING_WORDS`` words, not a section heading, of the section heading's rank (the
plain-text stand-in: the same case shape, all capitals, title case or sentence case; a
one-word heading ranks with title case), over a long block scoring as content, and for
reviews away from the reviews' evidence (a review's title over its text has a rating or
"Verified Purchase" near it). Section headings on the way belong to the section.

Necessary condition for the rule to remove anything (for a gate in front of the
stripper): the text holds a line of 1 to ``MAX_HEADING_WORDS`` words for which
:func:`heading_kind` of its edge-stripped :func:`.phrases.line_key` is not 0 (so the
key's first four characters are in ``section_headings().first4``), lines of 20 or more
words holding at least ``MIN_WORDS_ABOVE`` words together come before that line, and a
line of ``BODY_WORDS`` or more words comes after it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import regex

from .phrases import edge_strip, line_key, section_headings

SECTION_KINDS: tuple[str, ...] = ("comments", "legal", "related_links")
"""The kinds of the sections (the boilerplate kinds of ``vocab``), by mark - 1."""

MAX_HEADING_WORDS = 8
MIN_WORDS_ABOVE = 40
BODY_REACH = 16  # a section's first block of BODY_WORDS words is among this many below it
BODY_WORDS = 10
EVIDENCE_REACH = 6  # lines below a heading that must show its kind's evidence (if any)
MENU_WORDS = 6  # a heading among lines this short (and without digits) is a menu's item

# A trailing count on a key (digits are 0 in keys): "reviews (0)", "avis : 0", "q&a [0]".
_COUNT_TAIL_RE = regex.compile(r"[\s:·•|-]*[(\[]?0(?:[.,]0)*\+?[)\]]?\Z")


def heading_kind(edge_key: str) -> int:
    """The section mark of a line by its edge-stripped key: 0 when it is no section
    heading, else 1 + the index of its kind in :data:`SECTION_KINDS`."""
    heads = section_headings()
    if edge_key[:4] not in heads.first4:
        return 0
    key = edge_strip(_COUNT_TAIL_RE.sub("", edge_key)) if edge_key[-1:] in "0)]" else edge_key
    kind = heads.line.get(key)
    if kind is None:
        for start, k in heads.start:
            if key.startswith(start):
                kind = k
                break
    return 0 if kind is None else SECTION_KINDS.index(kind) + 1


def heading_marks(edge_keys: Sequence[str], first4: Sequence[str], nw: np.ndarray) -> np.ndarray:
    """The section mark (:func:`heading_kind`) of every block; 0 for blocks of no words
    or more than ``MAX_HEADING_WORDS``."""
    marks = np.zeros(len(edge_keys), dtype=np.int8)
    heads = section_headings().first4
    short = ((nw >= 1) & (nw <= MAX_HEADING_WORDS)).nonzero()[0]
    seen: dict[str, int] = {}  # (a footer's "Privacy Policy" may come several times)
    for i in short.tolist():
        if first4[i] in heads:
            key = edge_keys[i]
            mark = seen.get(key)
            if mark is None:
                mark = seen[key] = heading_kind(key)
            marks[i] = mark
    return marks


def _shape(line: str) -> int:
    """The case shape of a heading: 3 all capitals, 2 title case (every word of four or
    more letters capitalized, two or more words), 1 one capitalized word (a title's
    rank: "Reviews" ends at "About This Game", not at a reviewer's "Great bag"), 0
    sentence case."""
    if line.upper() == line and any(ch.isupper() for ch in line):
        return 3
    long_words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    if not long_words or not all(w[0].isupper() for w in long_words):
        return 0
    return 2 if len(line.split()) > 1 else 1


def _same_rank(a: int, b: int) -> bool:
    """Whether two case shapes (:func:`_shape`) are those of headings of one rank."""
    return a == b or {a, b} == {1, 2}


def section_spans(
    marks: np.ndarray,
    lines: Sequence[str],
    nw: np.ndarray,
    is_long: np.ndarray,
    headline: np.ndarray,
    content: np.ndarray,
) -> list[tuple[int, int, int]]:
    """The sections to drop, as (first block, last block, mark), over one pass's blocks:
    ``marks`` their section marks, ``lines`` their text (only headings and boundary
    candidates are read), ``nw`` their words, ``is_long`` long blocks, ``headline``
    headline-like blocks, ``content`` blocks scoring as content."""
    heads = marks.nonzero()[0]
    if len(heads) == 0:
        return []
    n = len(marks)
    long_content = np.where(is_long & content, nw, 0)
    spans: list[tuple[int, int, int]] = []
    above = 0  # long content words above, outside the sections found
    done = 0  # blocks before this are counted in ``above`` or inside a section
    for h in heads.tolist():
        if h < done:
            continue
        above += int(long_content[done:h].sum())
        done = h
        mark = int(marks[h])
        if above < MIN_WORDS_ABOVE or not _has_body(h, nw) or _in_menu(h, marks, lines, nw):
            continue
        if not _has_evidence(h, SECTION_KINDS[mark - 1], lines, nw):
            continue
        if SECTION_KINDS[mark - 1] == "related_links":
            # a grid of items: it ends where prose scoring as content begins
            end = _grid_end(h, nw, is_long, headline, content)
        else:
            end = _section_end(h, mark, marks, lines, nw, is_long, headline, content)
        spans.append((h, end, mark))
        done = end + 1
        if done >= n:
            break
    return spans


def _has_evidence(
    h: int, kind: str, lines: Sequence[str], nw: np.ndarray, back: bool = False
) -> bool:
    """Whether one of the ``EVIDENCE_REACH`` lines with words below the line at ``h``
    (and above it, with ``back``) holds an evidence word of ``kind``; True when the kind
    has none. A rating, "out of 5", "Verified Purchase", a question: a shop's reviews,
    not a press quote under "Reviews"."""
    pattern = section_headings().evidence.get(kind)
    if pattern is None:
        return True
    for step in (1, -1) if back else (1,):
        j = h
        for _ in range(EVIDENCE_REACH):
            j = _neighbour(j, step, nw)
            if j < 0:
                break
            if pattern.search(line_key(lines[j])) is not None:
                return True
    return False


def _in_menu(h: int, marks: np.ndarray, lines: Sequence[str], nw: np.ndarray) -> bool:
    """Whether the heading at ``h`` is an item of a menu or a footer's list of links:
    the two lines with words on either side of it are all of at most ``MENU_WORDS``
    words without a digit ("Disclosure Policy", "Do Not Sell My Personal Information"),
    or one of them is another section heading ("Terms of Use | Privacy Policy"; the
    same heading twice is a dialog's title over its text)."""
    near = []
    for step in (-1, 1):
        j = h
        for _ in range(2):
            j = _neighbour(j, step, nw)
            if j < 0:
                break
            near.append(j)
    key = line_key(lines[h])
    if any(marks[j] != 0 and line_key(lines[j]) != key for j in near):
        return True
    return len(near) == 4 and all(
        nw[j] <= MENU_WORDS and not any(map(str.isdigit, lines[j])) for j in near
    )


def _neighbour(i: int, step: int, nw: np.ndarray) -> int:
    """The nearest block from ``i`` in direction ``step`` holding words (-1: none)."""
    j = i + step
    while 0 <= j < len(nw) and nw[j] == 0:
        j += step
    return j if 0 <= j < len(nw) else -1


def _has_body(h: int, nw: np.ndarray) -> bool:
    """Whether a block of at least ``BODY_WORDS`` words is among the next ``BODY_REACH``
    blocks with words below the heading at ``h`` (a section has text, a menu has none)."""
    below = nw[h + 1 :]
    below = below[below > 0][:BODY_REACH]
    return bool((below >= BODY_WORDS).any())


def _grid_end(
    h: int, nw: np.ndarray, is_long: np.ndarray, headline: np.ndarray, content: np.ndarray
) -> int:
    """The last block of a grid of items headed at ``h``: the block before the first long
    block scoring as content (and before the heading-like line just above it)."""
    at = (is_long[h + 1 :] & content[h + 1 :]).nonzero()[0]
    if len(at) == 0:
        return len(nw) - 1
    first = h + 1 + int(at[0])
    above = _neighbour(first, -1, nw)
    if above > h and headline[above] and nw[above] <= MAX_HEADING_WORDS:
        first = above
    return first - 1


def _section_end(
    h: int,
    mark: int,
    marks: np.ndarray,
    lines: Sequence[str],
    nw: np.ndarray,
    is_long: np.ndarray,
    headline: np.ndarray,
    content: np.ndarray,
) -> int:
    """The last block of the section headed at ``h``: the block before the next boundary,
    a heading of the section's rank (:func:`_same_rank`) over a long block scoring as
    content, away from the evidence of the section's kind (a review's title over its
    text has a rating or "Verified Purchase" near it); else the last block."""
    n = len(marks)
    shape = _shape(lines[h])
    kind = SECTION_KINDS[mark - 1]
    # A review's title over its text is no boundary (its rating or "Verified Purchase"
    # is near, above or below), nor a policy's subheading over more of the policy (the
    # legal words are below it; above it they would be the policy's, whatever follows).
    has_evidence = kind in section_headings().evidence
    back = kind == "comments"
    below = headline[h + 1 :] & (nw[h + 1 :] <= MAX_HEADING_WORDS) & (marks[h + 1 :] == 0)
    cand = below.nonzero()[0] + (h + 1)
    j: int
    for j in cand.tolist():
        nxt = _neighbour(j, 1, nw)
        if (
            nxt >= 0
            and is_long[nxt]
            and content[nxt]
            and _same_rank(_shape(lines[j]), shape)
            and not (has_evidence and _has_evidence(j, kind, lines, nw, back=back))
        ):
            return int(j) - 1
    return n - 1
