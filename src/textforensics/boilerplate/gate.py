"""A cheap gate in front of the stripper: texts it would leave whole.

Many texts that are compared or deduplicated (articles, documents, prose) have no
boilerplate, and the full stripper (:mod:`.assemble`) spends a few milliseconds per 4 KB
proving it. :func:`leaves_whole` recognises a common kind of such text with a few string
passes, and :func:`.assemble.strip_boilerplate` (default options only) then returns the
text unchanged, its ``removed`` empty, and makes ``blocks`` and ``language`` by the full
path when they are first read (the same values the full path gives).

**The gate is conservative, not exact.** Removal by the rules is ruled out from the
definitions the rules use (below); removal by the classifier's score is not, since a
block's score depends on features of every block around it and no cheap bound on them
keeps prose above the threshold. So the gate asks more than the rules need: every line is
*long* (at least ``LONG_WORDS`` words and ending a sentence, as :mod:`.spec` defines a
long block; at most ``MAX_GATE_WORDS`` words, since the model's length terms turn against
very long lines) and shows none of the cues the model weighs against content (a URL, a
separator, an all-capitals line, many digits, mostly capitalised words); only the first
line may instead be a title the rules keep whatever its score. That such texts keep
every block is **measured, not proved**: ``benchmarks/gate_check.py`` runs the full path
on every text the gate passes (every dev-set page and gold main text, the comment dev
sets, crawl-like pages, the seeds and generated texts) and counts disagreements;
docs/boilerplate.md gives the figures. ``tests/test_boilerplate_gate.py`` checks the same
property on generated prose with cue phrases, titles, short and repeated lines under any
seed, so a retrained model or a changed rule that breaks it fails there.

Why no rule of :mod:`.rules` removes a block of a text the gate passes:

- trailing headlines / related-links tail: they need headline-like blocks (at most 16
  words, :func:`.spec.headline_like`) after the last long block; every block but a first
  line is long;
- the title: a headline-like first line without a site-name suffix (``TITLE_SUFFIX_RE``)
  is kept by its own rule when nothing before it removes it;
- comment section: needs a line in a language's ``section`` phrases or starting with a
  ``comments`` start phrase; the gate refuses any line that is a ``line`` or ``section``
  phrase or matches a ``start_re`` in any shipped language (the detected language is one
  of them; English always applies). A listing's per-item counters
  (:func:`.records.item_counters`, "0 comments" once per post) only take markers away,
  so they remove nothing the gate must know of;
- phrase hits within their hard limits: no phrase hit at all (line, start, contained) in
  any shipped language (the refusal reads the phrase data, so new phrases, such as the
  shop chrome of session 11, are refused with no change here); contained phrases are
  looked for by the first words the pair filter of :func:`.phrases.contains_pairs`
  allows, start phrases behind :mod:`.page`'s prefilter by first characters;
- later copies: no two lines share a key (:func:`.spec.line_keys`);
- symbol lines: every line has words;
- sections under product pages (:mod:`.sections`): a section needs a heading line of
  at most 8 words with 40 words of long lines above it; every line but the first is
  long (at least ``LONG_WORDS`` words), and the first has nothing above it;
- comment threads (:mod:`.threads`): they need lines marked as a comment's header or
  control line, short lines in practice; measured (see above); the rules that judge a
  thread by its headers alone (Hacker-News scores, a lone comment numbered "1.", numbered
  comments under prose of any score; a plain thread's one repeated header shape,
  :mod:`.postshapes`) ask for headers under ``LONG_WORDS`` words, so no line of a gated
  text can be one;
- the content score: measured (see above).

A pass that removes nothing ends the passes, so only the first pass (all blocks, the
language detected from all of them) matters. A new rule that can remove a block must
either be impossible on such texts (say why in the list above) or add its own refusal
to :func:`leaves_whole`; the property test's generator should produce inputs the new
rule fires on.
"""

from __future__ import annotations

from functools import cache
from itertools import accumulate, pairwise
from typing import NamedTuple

from .chars import (
    SENT_END_RE,
    SEPARATOR_CHARS,
    SEPARATOR_RE,
    URL_NEEDLES,
    key_words,
    line_keys_joined,
)
from .phrases import (
    EDGE_CHARS,
    LANGUAGES,
    Phrases,
    contained_phrase,
    contains_pairs,
    find_bounded,
    phrase_data,
    start_prefixes,
)
from .rules import TITLE_SUFFIX_RE
from .spec import LONG_WORDS, Block, headline_like

MAX_GATE_WORDS = 250
"""The most words of a block the gate passes (the model's length terms, ``log_words`` and
``log_words_sq``, lower the score of very long lines)."""

# Shares above which a line is left to the full path: digits among its characters, words
# starting with a capital among its words (the model weighs both against content).
_MAX_DIGIT_SHARE = 0.05
_MAX_TITLE_SHARE = 0.4

_DIGITS = "0123456789"

# SENT_END_RE is tried on a line's last characters only (a match there is one in the
# line; a longer run of closing quotes and brackets is left to the full path).
_TAIL = 16


class _AllPhrases(NamedTuple):
    """Every shipped language's phrase data (each merged with English), merged once more:
    the whole lines that are a phrase or open a comment section, the contained phrases by
    their first word, and the words by which a contained phrase can be found in a key
    (:func:`.phrases.contains_pairs`)."""

    data: tuple[Phrases, ...]
    lines: frozenset[str]  # every language's ``line`` and ``section`` phrases
    by_word: dict[str, tuple[str, ...]]  # first word -> every language's contained phrases
    single: frozenset[str]  # a phrase's first word that decides alone
    pairs: frozenset[tuple[str, str]]  # a phrase's first two words


@cache
def _all_phrases() -> _AllPhrases:
    data = tuple(phrase_data(lang) for lang in LANGUAGES)
    found = [contains_pairs(lang) for lang in LANGUAGES]
    by_word: dict[str, set[str]] = {}
    for ph in data:
        for w, entries in ph.contains_by_word.items():
            by_word.setdefault(w, set()).update(phrase for phrase, _kind in entries)
    return _AllPhrases(
        data=data,
        lines=frozenset().union(*(ph.line.keys() | ph.section for ph in data)),
        by_word={w: tuple(sorted(v)) for w, v in by_word.items()},
        single=frozenset().union(*(s for s, _p in found)),
        pairs=frozenset().union(*(p for _s, p in found)),
    )


def _plain_line(c: str) -> bool:
    """Whether the stripped line ``c`` is long plain prose (see the module docstring)."""
    ws = c.split()
    n = len(ws)
    if n < LONG_WORDS or n > MAX_GATE_WORDS or SENT_END_RE.search(c[-_TAIL:]) is None:
        return False
    if c.upper() == c or any(map(c.__contains__, URL_NEEDLES)):
        return False
    if any(map(c.__contains__, SEPARATOR_CHARS)) and SEPARATOR_RE.search(c):
        return False
    if sum(map(c.count, _DIGITS)) > _MAX_DIGIT_SHARE * len(c):
        return False
    return sum(map(str.istitle, ws)) <= _MAX_TITLE_SHARE * n


def _contains_phrase(
    keys: list[str], joined: str, words: list[str], nw: list[int], unclean: bool
) -> bool:
    """Whether one of ``keys`` (``joined`` by line feeds, with ``words``, the words of all
    of them in order, ``nw`` per key, ``unclean``: one holds a word character that is not
    alphanumeric) contains a phrase of any shipped language, as
    :func:`.phrases.contained_phrase` finds them. A phrase found in a key has its first
    word among the key's words, and (when the key holds no word character that is not
    alphanumeric) is a single-word phrase or shows its first two words in a row
    (:func:`.phrases.contains_pairs`): only the phrases of those first words are looked
    for (in the joined keys: no phrase holds a line feed; a pair across two keys only
    adds phrases to look for)."""
    every = _all_phrases()
    if unclean:
        ends = list(accumulate(nw))
        per_key = [words[e - k : e] for e, k in zip(ends, nw, strict=True)]
        return any(
            contained_phrase(key, ws, ph.contains_by_word) is not None
            for key, ws in zip(keys, per_key, strict=True)
            for ph in every.data
        )
    firsts = set(every.single.intersection(words))
    firsts.update(a for a, _b in every.pairs.intersection(pairwise(words)))
    by_word = every.by_word
    return any(find_bounded(joined, phrase) for w in firsts for phrase in by_word.get(w, ()))


def _starts_with_phrase(edge: str, ph: Phrases) -> bool:
    """Whether the edge-stripped key ``edge`` starts with one of ``ph``'s start phrases
    (the prefilter by the first characters is :mod:`.page`'s)."""
    if ph.start_re is None:
        return False
    by4, short = start_prefixes(ph.language)
    if not (edge.startswith(by4.get(edge[:4], ())) or (short and edge.startswith(short))):
        return False
    return ph.start_re.match(edge) is not None


def _own_paragraph(lines: list[str]) -> bool:
    """Whether the first non-blank of the (stripped) ``lines`` is followed by a blank one
    (a paragraph of its own: its score does not weigh in the next block's paragraph)."""
    first = next(i for i, c in enumerate(lines) if c)
    return first + 1 < len(lines) and not lines[first + 1]


def _title(content: str, key: str, words: list[str]) -> bool:
    """Whether a first line is kept as the page's title by the rules (headline-like, no
    site-name suffix) whatever its score."""
    block = Block(start=0, end=0, content=content, para=0, key=key, words=words)
    return headline_like(block) and TITLE_SUFFIX_RE.search(content) is None


def leaves_whole(text: str) -> bool:
    """Whether ``text`` is plain prose that the stripper, with its default options,
    leaves whole (conservative: False says nothing; see the module docstring)."""
    if not text or "\r" in text:
        return False
    lines = list(map(str.strip, text.split("\n")))
    contents = [c for c in lines if c]
    if not contents:
        return False
    title = int(not _plain_line(contents[0]))  # 1: the first line must be a title
    if len(contents) <= title or not all(map(_plain_line, contents[title:])):
        return False
    if title and not _own_paragraph(lines):
        return False
    joined, keys = line_keys_joined(contents)  # (spec.line_keys)
    if len(set(keys)) != len(keys):
        return False
    words, nw_array, unclean = key_words(keys, joined)
    nw = nw_array.tolist()
    if min(nw[title:]) < LONG_WORDS:
        return False
    if title and not _title(contents[0], keys[0], words[: nw[0]]):
        return False
    edges = [k.strip(EDGE_CHARS) for k in keys]
    every = _all_phrases()
    if not every.lines.isdisjoint(edges):
        return False
    for ph in every.data:
        if any(_starts_with_phrase(e, ph) for e in edges):
            return False
    return not _contains_phrase(keys, joined, words, nw, bool(unclean.any()))
