"""Phrase data per language and language detection.

Each shipped language has a data file ``data/boilerplate/<lang>.json``: stop words, date
words and, per boilerplate kind, whole-line, line-start and contained phrases, plus the
lines that open a comment section. :func:`phrase_data` merges a language's phrases with
English ones (English boilerplate is everywhere) in the normalized form lines are matched
in (:func:`line_key`). The per-word bit tables at the end let the page-at-once features
find stop words and phrase candidates of every language in one lookup per word.

Everything here is built once and cached; nothing cached is mutated after it is built.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import regex

from ..text import TOKEN_RE, casefold, tokens, unify_punctuation
from ..vocab import BOILERPLATE_KINDS

KINDS = BOILERPLATE_KINDS
"""The stable kind strings of removed blocks (:data:`textforensics.vocab.BOILERPLATE_KINDS`)."""


# Every kind but "repeated" (found by comparing blocks, not by phrases) has a phrase family.
PHRASE_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "repeated")


LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "pt", "ru")
"""Languages with phrase data shipped in ``data/boilerplate/``."""


# Longest line (in words) a phrase hit removes outright, per kind and phrase position.
HARD_LIMITS: dict[str, dict[str, int]] = {
    "navigation": {"line": 10_000, "start": 12, "contains": 12},
    "legal": {"line": 10_000, "start": 40, "contains": 60},
    "call_to_action": {"line": 10_000, "start": 25, "contains": 20},
    "credit": {"line": 10_000, "start": 25, "contains": 25},
    "disclaimer": {"line": 10_000, "start": 90, "contains": 90},
    "comments": {"line": 10_000, "start": 30, "contains": 40},
    "related_links": {"line": 10_000, "start": 12, "contains": 12},
}


_DIGITS_RE = regex.compile(r"\d+")


EDGE_CHARS = " \t|»«›‹>•·*#:–—-=~_/\\"


MAX_FEATURE_CHARS = 2_000  # features look at most this much of one line


@dataclass(frozen=True)
class Phrases:
    language: str
    stopwords: frozenset[str]
    date_words: frozenset[str]
    line: dict[str, str]  # normalized whole line -> kind
    start_re: Any  # compiled alternation, anchored at the line start
    start_kind: dict[str, str]  # matched phrase -> kind
    contains_by_word: dict[str, list[tuple[str, str]]]  # first word -> [(phrase, kind)]
    section: frozenset[str]  # normalized lines that open a comment section


def _alternation(phrases: Iterable[str], anchored: bool) -> Any:
    alts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        if not p:
            continue
        alt = regex.escape(p)
        if p[-1].isalnum():
            alt += r"(?!\w)"
        if p[0].isalnum() and not anchored:
            alt = r"(?<!\w)" + alt
        alts.append(alt)
    if not alts:
        return None
    pattern = ("\\A(?:" if anchored else "(?:") + "|".join(alts) + ")"
    return regex.compile(pattern)


def _index_by_first_word(phrases: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for phrase, kind in phrases.items():
        words = tokens(phrase)
        if words:
            index.setdefault(words[0], []).append((phrase, kind))
    for v in index.values():
        v.sort(key=lambda pk: -len(pk[0]))
    return index


def find_bounded(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` not glued to letters/digits at its word ends."""
    check_left = needle[0].isalnum()
    check_right = needle[-1].isalnum()
    pos = haystack.find(needle)
    while pos >= 0:
        end = pos + len(needle)
        if (not check_left or pos == 0 or not haystack[pos - 1].isalnum()) and (
            not check_right or end == len(haystack) or not haystack[end].isalnum()
        ):
            return True
        pos = haystack.find(needle, pos + 1)
    return False


def _norm_phrase(phrase: str) -> str:
    out: str = _DIGITS_RE.sub("0", unify_punctuation(casefold(phrase)))
    return out


def _load_language_file(path_text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path_text)
    return data


@cache
def phrase_data(language: str) -> Phrases:
    """Phrase data for ``language`` merged with English (English boilerplate is everywhere)."""
    langs = [language] if language == "en" else [language, "en"]
    stopwords: set[str] = set()
    date_words: set[str] = set()
    line: dict[str, str] = {}
    start: dict[str, str] = {}
    contains: dict[str, str] = {}
    section: set[str] = set()
    for i, lang in enumerate(langs):
        data = _language_data(lang)
        if i == 0:
            stopwords.update(data["stopwords"])
        date_words.update(data.get("date_words", ()))
        for kind, fam in data["phrases"].items():
            for p in fam.get("line", ()):
                line.setdefault(edge_strip(_norm_phrase(p)) or _norm_phrase(p), kind)
            for p in fam.get("start", ()):
                start.setdefault(_norm_phrase(p), kind)
            for p in fam.get("contains", ()):
                contains.setdefault(_norm_phrase(p), kind)
            section.update(edge_strip(_norm_phrase(p)) for p in fam.get("section", ()))
    return Phrases(
        language=language,
        stopwords=frozenset(stopwords),
        date_words=frozenset(date_words),
        line=line,
        start_re=_alternation(start, True),
        start_kind=start,
        contains_by_word=_index_by_first_word(contains),
        section=frozenset(section),
    )


@cache
def _language_data(lang: str) -> dict[str, Any]:
    text = resources.files("textforensics.data").joinpath(f"boilerplate/{lang}.json")
    return _load_language_file(text.read_text(encoding="utf-8"))


@cache
def stopword_sets() -> dict[str, frozenset[str]]:
    return {lang: frozenset(_language_data(lang)["stopwords"]) for lang in LANGUAGES}


def edge_strip(s: str) -> str:
    return s.strip(EDGE_CHARS)


def line_key(line: str) -> str:
    """Normalized form of a line for phrase matching and repetition counting."""
    out: str = _DIGITS_RE.sub("0", unify_punctuation(casefold(line[:MAX_FEATURE_CHARS])))
    return out


def detect_language(words: Sequence[str]) -> str | None:
    """The shipped language whose stop words cover most of ``words`` (case-folded)."""
    sets = stopword_sets()
    sample = words[:3000]
    if not sample:
        return None
    best, best_hits = None, 0
    for lang, stop in sets.items():
        hits = sum(map(stop.__contains__, sample))
        if hits > best_hits:
            best, best_hits = lang, hits
    if best is None or best_hits < 3 or best_hits < 0.05 * len(sample):
        return None
    return best


def contained_phrase(
    key: str,
    words: Sequence[str],
    by_word: Mapping[str, list[tuple[str, str]]],
    only: Container[str] | None = None,
) -> str | None:
    """The contained-phrase step of :func:`_phrase_hit`: the kind found, or None.
    ``only``: the words whose phrases can occur (the others are skipped)."""
    for w in dict.fromkeys(words):
        if w in by_word and (only is None or w in only):
            for phrase, kind in by_word[w]:
                if find_bounded(key, phrase):
                    return kind
    return None


@cache
def start_prefixes(language: str) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The start phrases of at least four characters by their first four, and the
    shorter ones: a line can start with a phrase only if it starts with one of the
    phrases filed under its first four characters or with a shorter one."""
    ph = phrase_data(language)
    four: dict[str, list[str]] = {}
    for p in ph.start_kind:
        if len(p) >= 4:
            four.setdefault(p[:4], []).append(p)
    short = tuple(sorted(p for p in ph.start_kind if 0 < len(p) < 4))
    return {k: tuple(v) for k, v in four.items()}, short


@cache
def first_chars(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(p[:1] for p in phrases)


@cache
def contains_pairs(language: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Contained phrases by their first word (``single``) or first two words (``pairs``).

    A phrase found in a key (bounded as :func:`find_bounded` requires) whose end
    characters are word characters only if alphanumeric shows its words as consecutive
    tokens of the key when the key holds no non-alphanumeric word character (``_`` or a
    mark): then its first two words are a pair of consecutive tokens of the line."""
    ph = phrase_data(language)
    single: set[str] = set()
    pairs: set[tuple[str, str]] = set()

    def odd(ch: str) -> bool:
        return bool(TOKEN_RE.fullmatch(ch)) and not ch.isalnum()

    for w, lst in ph.contains_by_word.items():
        for phrase, _kind in lst:
            toks = tokens(phrase)
            if len(toks) < 2 or odd(phrase[0]) or odd(phrase[-1]):
                single.add(w)
            else:
                pairs.add((toks[0], toks[1]))
    return frozenset(single), frozenset(pairs)


FIRST_WORD, SINGLE_WORD, SECOND_WORD = 1, 2, 4  # per-language word bits, see word_info


@cache
def word_info() -> dict[str, int]:
    """Word -> bits: bit j (< 7) when it is a stop word of ``LANGUAGES[j]``; bits
    ``7 + 3 * j`` up: ``FIRST_WORD`` / ``SINGLE_WORD`` / ``SECOND_WORD`` (shifted) when it
    is the first word of a contained phrase of that language's phrase data / of one that
    :func:`contains_pairs` indexes by its first word alone / the second word of one it
    indexes by its first two words; from ``VOCAB_SHIFT`` up, its id among the words of
    the phrase pairs (:func:`pair_codes`)."""
    bits: dict[str, int] = {}
    for j, stop in enumerate(stopword_sets().values()):
        for w in stop:
            bits[w] = bits.get(w, 0) | (1 << j)
    for j, lang in enumerate(LANGUAGES):
        shift = 7 + 3 * j
        single, pairs = contains_pairs(lang)
        for w in phrase_data(lang).contains_by_word:
            bits[w] = bits.get(w, 0) | (FIRST_WORD << shift)
        for w in single:
            bits[w] = bits.get(w, 0) | (SINGLE_WORD << shift)
        for _w, second in pairs:
            bits[second] = bits.get(second, 0) | (SECOND_WORD << shift)
    vocab = _pair_vocabulary()
    for w, v in vocab.items():
        bits[w] = bits.get(w, 0) | (v << VOCAB_SHIFT)
    return bits


VOCAB_SHIFT = 32  # word_info: the word's id in _pair_vocabulary() from this bit up


@cache
def _pair_vocabulary() -> dict[str, int]:
    """The words of the phrase pairs of all languages (:func:`contains_pairs`) -> ids
    from 1."""
    words = sorted({w for lang in LANGUAGES for pair in contains_pairs(lang)[1] for w in pair})
    return {w: i + 1 for i, w in enumerate(words)}


@cache
def pair_codes(language: str) -> np.ndarray:
    """The phrase pairs of ``language`` as sorted codes ``id(first) << 20 | id(second)``."""
    vocab = _pair_vocabulary()
    codes = sorted((vocab[a] << 20) | vocab[b] for a, b in contains_pairs(language)[1])
    return np.array(codes, dtype=np.int64)


@dataclass(frozen=True)
class SectionHeadings:
    """The headings that open a section to drop (``sections`` in the language files):
    normalized like :func:`line_key`, edge-stripped, mapped to the kind of the section."""

    line: dict[str, str]  # the whole heading -> kind
    start: tuple[tuple[str, str], ...]  # (the heading's start, kind), longest first
    first4: frozenset[str]  # the first four characters of every heading and start
    evidence: dict[str, Any]  # kind -> the alternation of the words one of its first lines holds


@cache
def section_headings() -> SectionHeadings:
    """The section headings of every shipped language at once (a product page's
    "Kundenrezensionen" is as likely under an English page's language guess as not)."""
    line: dict[str, str] = {}
    start: dict[str, str] = {}
    evidence: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        for kind, fam in _language_data(lang).get("sections", {}).items():
            for p in fam.get("line", ()):
                line.setdefault(edge_strip(_norm_phrase(p)), kind)
            for p in fam.get("start", ()):
                start.setdefault(edge_strip(_norm_phrase(p)), kind)
            evidence.setdefault(kind, set()).update(map(_norm_phrase, fam.get("evidence", ())))
    starts = tuple(sorted(start.items(), key=lambda pk: -len(pk[0])))
    first4 = frozenset(p[:4] for p in (*line, *start))
    alternations = {k: _alternation(v, False) for k, v in evidence.items() if v}
    return SectionHeadings(line=line, start=starts, first4=first4, evidence=alternations)
