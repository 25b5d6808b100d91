"""Boilerplate stripping for scraped plain text.

The input is a whole page flattened to text (blocks separated by line breaks). Every
non-blank line, together with the blank lines after it, is one *block*; the blocks
partition the input. Each block is classified in three layers:

1. **Phrase families** (data files ``data/boilerplate/<lang>.json``, one per language):
   whole-line, line-start and contained phrases for each boilerplate kind, plus the
   markers that open a comment section. Short lines that match are removed outright.
2. **Cross-page model** (optional, :func:`learn_boilerplate`): lines that repeat across
   many pages of one site are removed as ``repeated``.
3. **Block classifier**: a three-stage logistic model over language-aware block features
   (length, stop-word share, sentence-ending punctuation, headline / name / date-only
   shape, list and separator cues, position, in-document repetition, phrase hits), the
   second stage adding the first stage's scores of the neighbouring blocks and the
   block's place relative to the page's main span, the third repeating that on the
   second stage's scores. Its weights
   live in ``data/boilerplate/model.json`` (trained by ``scripts/train_boilerplate.py``).

Classification is repeated on the kept blocks until nothing more is removed, so that
stripping is idempotent: ``strip_boilerplate(r.text).text == r.text``.
"""

from __future__ import annotations

import json
import math
from collections import Counter, deque
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache, partial
from importlib import resources
from itertools import compress, count, repeat
from operator import is_not, itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import regex

from .results import StripResult, TextBlock, deferred
from .text import (
    PUNCTUATION_MAP,
    TOKEN_RE,
    casefold,
    iter_lines,
    tokens,
    unify_punctuation,
)
from .vocab import BOILERPLATE_KINDS

__all__ = [
    "KINDS",
    "LANGUAGES",
    "BoilerplateModel",
    "learn_boilerplate",
    "strip_boilerplate",
]

KINDS = BOILERPLATE_KINDS
"""The stable kind strings of removed blocks (:data:`textforensics.vocab.BOILERPLATE_KINDS`)."""

# Every kind but "repeated" (found by comparing blocks, not by phrases) has a phrase family.
_PHRASE_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "repeated")

LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "pt", "ru")
"""Languages with phrase data shipped in ``data/boilerplate/``."""

# Longest line (in words) a phrase hit removes outright, per kind and phrase position.
_HARD_LIMITS: dict[str, dict[str, int]] = {
    "navigation": {"line": 10_000, "start": 12, "contains": 12},
    "legal": {"line": 10_000, "start": 40, "contains": 60},
    "call_to_action": {"line": 10_000, "start": 25, "contains": 20},
    "credit": {"line": 10_000, "start": 25, "contains": 25},
    "disclaimer": {"line": 10_000, "start": 90, "contains": 90},
    "comments": {"line": 10_000, "start": 30, "contains": 40},
    "related_links": {"line": 10_000, "start": 12, "contains": 12},
}

_DIGITS_RE = regex.compile(r"\d+")
_EDGE_CHARS = " \t|»«›‹>•·*#:–—-=~_/\\"
_SENT_END_RE = regex.compile(r"""[.!?…‽。！？][\s"'”’»)\]]*\Z""")
_INNER_SENT_RE = regex.compile(r"""[.!?…][”’"')\]]*\s+\p{Lu}""")
_SEPARATOR_RE = regex.compile(r"\s[|»›•·/]\s|\s[|»›•·]|[|»›•·]\s")
_LIST_MARK_RE = regex.compile(r"\A(?:[-*•·◦▪►✓✔]\s|\d{1,3}[.)]\s)")
_URLISH_RE = regex.compile(r"https?://|www\.|\S@\S|\A@\w|\.(?:com|org|net)\b")
_MAX_FEATURE_CHARS = 2_000  # features look at most this much of one line
_MAX_PASSES = 12
_BREAK_RE = regex.compile(r"\r\n|\r|\n")


# --- phrase data -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Phrases:
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


def _find_bounded(haystack: str, needle: str) -> bool:
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
def _phrases(language: str) -> _Phrases:
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
                line.setdefault(_edge_strip(_norm_phrase(p)) or _norm_phrase(p), kind)
            for p in fam.get("start", ()):
                start.setdefault(_norm_phrase(p), kind)
            for p in fam.get("contains", ()):
                contains.setdefault(_norm_phrase(p), kind)
            section.update(_edge_strip(_norm_phrase(p)) for p in fam.get("section", ()))
    return _Phrases(
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
def _stopword_sets() -> dict[str, frozenset[str]]:
    return {lang: frozenset(_language_data(lang)["stopwords"]) for lang in LANGUAGES}


@cache
def _classifier() -> dict[str, Any]:
    path = resources.files("textforensics.data").joinpath("boilerplate/model.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _edge_strip(s: str) -> str:
    return s.strip(_EDGE_CHARS)


def _line_key(line: str) -> str:
    """Normalized form of a line for phrase matching and repetition counting."""
    out: str = _DIGITS_RE.sub("0", unify_punctuation(casefold(line[:_MAX_FEATURE_CHARS])))
    return out


def detect_language(words: Sequence[str]) -> str | None:
    """The shipped language whose stop words cover most of ``words`` (case-folded)."""
    sets = _stopword_sets()
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


# --- cross-page model ------------------------------------------------------------------


@dataclass
class BoilerplateModel:
    """Lines learned to repeat across the pages of one site (see :func:`learn_boilerplate`).

    ``lines`` maps a normalized line to the number of pages it occurs on; ``documents`` is
    the number of pages learned from; a line is boilerplate when it occurs on at least
    ``min_documents`` pages.
    """

    lines: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    min_documents: int = 2

    def __contains__(self, line: str) -> bool:
        return self.lines.get(_line_key(line).strip(), 0) >= self.min_documents

    def count(self, line: str) -> int:
        """On how many learned pages ``line`` occurs (after normalization)."""
        return self.lines.get(_line_key(line).strip(), 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "textforensics.boilerplate-model/1",
            "documents": self.documents,
            "min_documents": self.min_documents,
            "lines": dict(sorted(self.lines.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BoilerplateModel:
        if data.get("format") != "textforensics.boilerplate-model/1":
            raise ValueError("not a textforensics boilerplate model")
        return cls(
            lines={str(k): int(v) for k, v in data["lines"].items()},
            documents=int(data["documents"]),
            min_documents=int(data["min_documents"]),
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> BoilerplateModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def learn_boilerplate(
    docs: Iterable[str], *, min_documents: int = 2, min_share: float = 0.2
) -> BoilerplateModel:
    """Learn the lines that repeat across pages of one site (CCNet-style line dedup).

    Each page counts a line once. A line becomes boilerplate when it occurs on at least
    ``max(min_documents, min_share * pages)`` pages. Pass the result as ``model=`` to
    :func:`strip_boilerplate`.
    """
    counts: Counter[str] = Counter()
    n = 0
    for doc in docs:
        n += 1
        seen = set()
        for s, e in iter_lines(doc):
            key = _line_key(doc[s:e]).strip()
            if key and any(c.isalnum() for c in key):
                seen.add(key)
        counts.update(seen)
    threshold = max(min_documents, math.ceil(min_share * n))
    lines = {k: c for k, c in counts.items() if c >= threshold}
    return BoilerplateModel(lines=lines, documents=n, min_documents=threshold)


# --- blocks and features ---------------------------------------------------------------


def _segment(text: str) -> list[tuple[int, int, int, int]]:
    """Blocks as (start, end, content_end, paragraph_id): each non-blank line with the
    blank lines after it; leading blank lines form a block of their own."""
    blocks: list[tuple[int, int, int, int]] = []
    cur_start: int | None = None
    cur_content_end = 0
    para = 0
    prev_blank = True
    lead_end = 0
    for s, e in iter_lines(text):
        if text[s:e].strip():
            if cur_start is not None:
                blocks.append((cur_start, s, cur_content_end, para))
                if prev_blank:
                    para += 1
            elif s > 0:
                lead_end = s
            cur_start = s
            cur_content_end = e
            prev_blank = False
        else:
            prev_blank = True
    if cur_start is None:
        return [(0, len(text), len(text), 0)] if text else []
    blocks.append((cur_start, len(text), cur_content_end, para))
    if lead_end:
        blocks.insert(0, (0, lead_end, lead_end, -1))
    return _resegment(text, blocks)


@dataclass(slots=True)
class _Block:
    start: int
    end: int
    content: str  # the line, stripped
    para: int
    key: str
    words: list[str]
    kind: str | None = None  # phrase kind hit
    hit_where: str = ""
    own: list[float] = field(default_factory=list)  # features of the block alone
    is_long: bool = False
    headline: bool = False
    section_marker: bool = False


FEATURES_OWN: tuple[str, ...] = (
    "bias",
    "log_words",
    "log_chars",
    "stop_share",
    "ends_sentence",
    "ends_colon",
    "title_share",
    "digit_share",
    "letter_share",
    "separators",
    "date_like",
    "name_like",
    "log_inner_sentences",
    "hit_comments",
    "hit_disclaimer",
    "hit_call_to_action",
    "hit_credit",
    "hit_related_links",
    "hit_navigation",
    "hit_legal",
    "list_marker",
    "all_caps",
    "urlish",
    "language_known",
    "very_short",
    "short_unpunctuated",
    "log_words_sq",
)

FEATURES_1: tuple[str, ...] = (
    *FEATURES_OWN,
    "log_para_lines",
    "log_para_words_per_line",
    "before_first_long",
    "after_last_long",
    "repeat_later_copy",
    "repeat_first_copy",
    "in_comment_section",
)

FEATURES_2_EXTRA: tuple[str, ...] = (
    "p_self",
    "p_prev",
    "p_next",
    "p_win2",
    "p_win5",
    "p_para",
    "in_main_span",
    "log_gap_to_span",
    "rel_position",
    "p_win10",
    "page_long_share",
    "short_x_long_share",
    "span_x_long_share",
    "in_span_loose",
    "in_span_strict",
)

_SEPARATOR_CHARS = frozenset("|»›•·/")


def _phrase_hit(b: _Block, ph: _Phrases, key: str) -> None:
    """Phrase-family hit of the block; ``key`` is its edge-stripped key."""
    kind = ph.line.get(key)
    if kind is not None:
        b.kind, b.hit_where = kind, "line"
        return
    if len(b.words) > 120:
        return
    # start_re is anchored at \A: match() is search() without trying later positions.
    m = ph.start_re.match(key) if ph.start_re is not None else None
    if m is not None:
        b.kind, b.hit_where = ph.start_kind[m.group()], "start"
        return
    found = _contained_phrase(b.key, b.words, ph.contains_by_word)
    if found is not None:
        b.kind, b.hit_where = found, "contains"


def _section_start(b: _Block, ph: _Phrases, key: str) -> bool:
    """The line starts with a comment-section phrase (``12 comments on "Title"``)."""
    if b.kind != "comments" or b.hit_where != "start" or ph.start_re is None:
        return False
    m = ph.start_re.match(key)
    return m is not None and _edge_strip(m.group()) in ph.section


def _date_like(b: _Block, ph: _Phrases, has_digit: bool) -> bool:
    if not b.words or len(b.words) > 9 or not has_digit:
        return False
    dw = ph.date_words
    return all(w.isdigit() or w in dw or len(w) <= 2 for w in b.words)


def _name_like(b: _Block, parts: list[str], has_digit: bool, ends: bool) -> bool:
    """``parts``: the whitespace-split content; ``has_digit``: it holds a digit;
    ``ends``: it ends a sentence (``_SENT_END_RE``)."""
    if not 1 <= len(parts) <= 4 or len(b.content) > 40:
        return False
    if has_digit or ends:
        return False
    return all(p[:1].isupper() for p in parts)


def _headline_like(b: _Block) -> bool:
    nw = len(b.words)
    if not 2 <= nw <= 16 or _INNER_SENT_RE.search(b.content):
        return False
    c = b.content.rstrip()
    return not (c.endswith(_HEADLINE_ENDS))


_HEADLINE_ENDS = (".", "…", ":", ";", ",", "...")


# Deleted bytes: len(b) - len(b.translate(None, d)) counts ASCII letters / digits, which
# for an ASCII string is exactly what sum(map(str.isalpha / str.isdigit, s)) counts.
_ASCII_LETTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_DIGITS = b"0123456789"


def _own_features(b: _Block, ph: _Phrases, language: str | None) -> None:
    """Features of the block alone (computed once per call)."""
    edge_key = _edge_strip(b.key)
    _phrase_hit(b, ph, edge_key)
    c = b.content
    nw = len(b.words)
    sample = c[:_MAX_FEATURE_CHARS]
    parts = sample.split()
    nonspace = sum(map(len, parts)) or 1
    ascii_sample = sample.isascii()
    sb = sample.encode("ascii") if ascii_sample else b""
    if ascii_sample:
        letters = len(sb) - len(sb.translate(None, _ASCII_LETTERS))
    else:
        letters = sum(map(str.isalpha, sample))
    if letters < nonspace:
        if ascii_sample:
            digits = len(sb) - len(sb.translate(None, _ASCII_DIGITS))
        else:
            digits = sum(map(str.isdigit, sample))
    else:
        digits = 0  # every non-space character is a letter: no digits
    # the sample is the whole line unless it is very long
    has_digit = digits > 0 if len(c) <= _MAX_FEATURE_CHARS else any(map(str.isdigit, c))
    firsts = [p[0] for p in parts if p[0].isalpha()]
    title = sum(map(str.isupper, firsts)) / (len(firsts) or 1)
    caps = letters > 3 and sample.upper() == sample
    ends = bool(_SENT_END_RE.search(c))
    inner = len(_INNER_SENT_RE.findall(sample)) if nw >= 4 else 0
    separators = bool(_SEPARATOR_CHARS.intersection(sample)) and bool(_SEPARATOR_RE.search(sample))
    urlish = ("@" in sample or "www" in sample or "http" in sample or ".com" in sample) and bool(
        _URLISH_RE.search(sample)
    )
    stop = ph.stopwords
    stop_share = (sum(map(stop.__contains__, b.words)) / nw) if nw else 0.0
    lw = math.log1p(nw)
    b.is_long = nw >= 20 and ends
    if nw >= 4 and len(c) <= _MAX_FEATURE_CHARS:
        # _headline_like(b), reusing the inner-sentence count of the whole line
        b.headline = nw <= 16 and inner == 0 and not c.rstrip().endswith(_HEADLINE_ENDS)
    else:
        b.headline = _headline_like(b)
    b.section_marker = edge_key in ph.section or _section_start(b, ph, edge_key)
    kind = b.kind
    b.own = [
        1.0,
        lw,
        math.log1p(len(c)),
        stop_share,
        1.0 if ends else 0.0,
        1.0 if c.endswith(":") else 0.0,
        title,
        digits / nonspace,
        letters / nonspace,
        1.0 if separators else 0.0,
        1.0 if _date_like(b, ph, has_digit) else 0.0,
        1.0 if _name_like(b, parts, has_digit, ends) else 0.0,
        math.log1p(inner),
        *[1.0 if kind == k else 0.0 for k in _PHRASE_KINDS],
        1.0 if _LIST_MARK_RE.match(c) else 0.0,
        1.0 if caps else 0.0,
        1.0 if urlish else 0.0,
        1.0 if language else 0.0,
        1.0 if nw <= 3 else 0.0,
        1.0 if nw <= 7 and not ends else 0.0,
        lw * lw,
    ]


_N_OWN = len(FEATURES_OWN)
_N_1 = len(FEATURES_1)


# --- the whole page at once -------------------------------------------------------------
#
# strip_boilerplate computes every block feature once per page (and the language-dependent
# ones once per language), for all blocks together: character classes by table lookup on
# the code points of the joined lines, per-block counts from prefix sums, regex cues by
# one scan of the joined lines (patterns made line-bound: ``\s`` -> ``[^\S\n]``, ``\A`` /
# ``\Z`` -> line start / end). ``_own_features`` above is the per-block reference: both
# give the same rows (tests/test_boilerplate.py checks it).

_F_SPACE = 1  # str.isspace (str.split, str.strip)
_F_ALPHA = 2
_F_DIGIT = 4  # str.isdigit
_F_UPPER = 8
_F_UPCHANGE = 16  # ch.upper() != ch
_F_WORD = 32  # regex \w (the characters of tokens())
_F_ALNUM = 64
_F_RSPACE = 128  # regex \s
_F_RDIGIT = 256  # regex \d
_F_SEPARATOR = 512  # a character _SEPARATOR_RE needs
_F_SENT_END = 1024  # [.!?…‽。！？] of _SENT_END_RE
_F_SENT_TRAIL = 2048  # ["'”’»)\]] of _SENT_END_RE
_F_PUNCT = 4096  # mapped one-to-one by PUNCTUATION_MAP
_F_LIST_MARK = 8192  # a bullet of _LIST_MARK_RE
_F_HEADLINE_END = 16384  # a last character that _headline_like refuses
_F_LEAD_END = 32768  # a last character of a lead sentence (_classify)
_F_UPPER_LETTER = 1 << 16  # regex \p{Lu}
_F_INNER_END = 1 << 17  # [.!?…] of _INNER_SENT_RE
_F_INNER_CLOSE = 1 << 18  # [”’"')\]] of _INNER_SENT_RE
_F_SPACE_NOT_LF = 1 << 19  # regex [^\S\n]: whitespace within a line of a joined text
_F_WORD_SPACE = 1 << 20  # a word character that str.split splits at (none known)
_WORD_SPACE_SEEN = [False]  # whether a filled table page holds one
_CHAR_FLAGS = np.zeros(0x110000, dtype=np.uint32)
_FLAG_PAGES = np.zeros(0x1100, dtype=bool)  # which 256-code-point pages are filled
# str.casefold of each code point when it is one character, else _MANY_CHARS (filled
# with the flags)
_FOLD = np.zeros(0x110000, dtype=np.uint32)
_MANY_CHARS = 0xFFFFFFFF
_WORD_CHAR_RE = regex.compile(r"\w")
_SPACE_CHAR_RE = regex.compile(r"\s")
_UPPER_LETTER_RE = regex.compile(r"\p{Lu}")
_DIGIT_CHAR_RE = regex.compile(r"\d")


def _fill_flag_page(page: int) -> None:
    lo = page << 8
    vals = []
    for cp in range(lo, lo + 256):
        ch = chr(cp)
        f = 0
        if ch.isspace():
            f |= _F_SPACE
        if ch.isalpha():
            f |= _F_ALPHA
        if ch.isdigit():
            f |= _F_DIGIT
        if ch.isupper():
            f |= _F_UPPER
        if ch.upper() != ch:
            f |= _F_UPCHANGE
        if _WORD_CHAR_RE.fullmatch(ch):
            f |= _F_WORD
        if ch.isalnum():
            f |= _F_ALNUM
        if _SPACE_CHAR_RE.fullmatch(ch):
            f |= _F_RSPACE
        if _DIGIT_CHAR_RE.fullmatch(ch):
            f |= _F_RDIGIT
        if ch in _SEPARATOR_CHARS:
            f |= _F_SEPARATOR
        if ch in ".!?…‽。！？":
            f |= _F_SENT_END
        if ch in "\"'”’»)]":
            f |= _F_SENT_TRAIL
        if cp in PUNCTUATION_MAP and len(PUNCTUATION_MAP[cp]) == 1:
            f |= _F_PUNCT
        if ch in "-*•·◦▪►✓✔":
            f |= _F_LIST_MARK
        if ch in ".…:;,":
            f |= _F_HEADLINE_END
        if ch in '.!”"':
            f |= _F_LEAD_END
        if _UPPER_LETTER_RE.fullmatch(ch):
            f |= _F_UPPER_LETTER
        if ch in ".!?…":
            f |= _F_INNER_END
        if ch in "”’\"')]":
            f |= _F_INNER_CLOSE
        if f & _F_RSPACE and ch != "\n":
            f |= _F_SPACE_NOT_LF
        if f & _F_WORD and f & _F_SPACE:
            f |= _F_WORD_SPACE
            _WORD_SPACE_SEEN[0] = True
        vals.append(f)
    _CHAR_FLAGS[lo : lo + 256] = vals
    folds = [chr(cp).casefold() for cp in range(lo, lo + 256)]
    _FOLD[lo : lo + 256] = [ord(x) if len(x) == 1 else _MANY_CHARS for x in folds]
    _FLAG_PAGES[page] = True


_fill_flag_page(0)
_PUNCT_FROM = np.array(sorted(c for c in PUNCTUATION_MAP if len(PUNCTUATION_MAP[c]) == 1))
_PUNCT_TO = np.array([ord(PUNCTUATION_MAP[c]) for c in _PUNCT_FROM.tolist()], dtype=np.uint32)


def _codepoints(s: str) -> np.ndarray:
    """The code points of ``s`` (lone surrogates included)."""
    if s.isascii():
        return np.frombuffer(s.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


_FILLED_BELOW = [0x100]  # all pages below this code point are filled


def _flags_of(cps: np.ndarray) -> np.ndarray:
    """``_F_*`` flags of code points."""
    if cps.dtype != np.uint8 and len(cps):
        rare = cps[cps >= _FILLED_BELOW[0]]  # code points in pages perhaps not filled
        if len(rare):
            top = int(rare.max()) >> 8
            if top < 0x30:  # the alphabets and punctuation of most pages: fill all below
                for p in range(_FILLED_BELOW[0] >> 8, top + 1):
                    if not _FLAG_PAGES[p]:
                        _fill_flag_page(p)
                _FILLED_BELOW[0] = (top + 1) << 8
            else:
                pages = np.unique(rare >> 8)
                for p in pages[~_FLAG_PAGES[pages]].tolist():
                    _fill_flag_page(p)
    out: np.ndarray = _CHAR_FLAGS.take(cps)  # take: faster than [] for uint32 indices
    return out


def _span_sums(mask: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per line ``[lo, hi)`` of a joined text (lines separated by one character): how
    many entries of ``mask`` are true (lines are cut to _MAX_FEATURE_CHARS: a count
    fits in 32 bits)."""
    n = len(lo)
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    m = n if hi[-1] > lo[-1] else n - 1  # reduceat needs in-range starts
    if m:
        out[:m] = np.add.reduceat(mask, lo[:m], dtype=np.int32)  # lines are short
        out[: n - 1] -= mask[hi[: n - 1]]  # the separator after each line
    return out


_LOG1P_INTS = np.array([math.log1p(i) for i in range(4096)], dtype=np.float64)


def _log1p_exact(values: np.ndarray) -> np.ndarray:
    """``math.log1p`` of each (non-negative) value, as the per-block code computes it:
    integers below 4096 from a table, other values one by one."""
    values = np.asarray(values)
    if len(values) == 0:
        return np.zeros(0, dtype=np.float64)
    if values.dtype.kind in "iu" and int(values.max()) < len(_LOG1P_INTS):
        table: np.ndarray = _LOG1P_INTS[values]
        return table
    return np.array(list(map(math.log1p, values.tolist())), dtype=np.float64)


def _needle_lines(joined: str, needles: Iterable[str], lo: np.ndarray) -> list[int]:
    """The lines of ``joined`` (starting at ``lo``) that hold one of ``needles``."""
    found: list[int] = []
    find = joined.find
    for needle in needles:
        p = find(needle)
        while p >= 0:
            found.append(p)
            p = find("\n", p)  # on to the next line
            if p < 0:
                break
            p = find(needle, p)
    if not found:
        return []
    lines: list[int] = np.unique(np.searchsorted(lo, found, side="right") - 1).tolist()
    return lines


def _inner_sentences(cps: np.ndarray, f: np.ndarray, lo: np.ndarray, n: int) -> np.ndarray:
    """Per line of a joined text (lines start at ``lo``): ``len(_INNER_SENT_RE.findall)``.

    Each match ends at an upper-case letter after whitespace; walking back over that
    whitespace and then over closing quotes and brackets must reach a sentence end. No
    two matches overlap, so they are counted by their last letters."""
    ws = (f & _F_SPACE_NOT_LF) != 0
    q = (((f[1:] & _F_UPPER_LETTER) != 0) & ws[:-1]).nonzero()[0] + 1
    p = q - 2
    for skip in (ws, (f & _F_INNER_CLOSE) != 0):
        idx = np.arange(len(q))
        while len(idx):
            at = p[idx]
            idx = idx[at >= 0]
            idx = idx[skip[p[idx]]]
            p[idx] -= 1
    ok = p >= 0
    ok[ok] = (f[p[ok]] & _F_INNER_END) != 0
    if not ok.any():
        return np.zeros(n, dtype=np.int64)
    out: np.ndarray = np.bincount(np.searchsorted(lo, q[ok], side="right") - 1, minlength=n)
    return out


@dataclass(slots=True)
class _Page:
    """All blocks of one text as parallel arrays, with their language-independent
    features (see :func:`_page`)."""

    n: int
    starts: list[int]
    ends: list[int]
    line_numbers: list[int]
    lead: np.ndarray  # bool: the leading blank lines (paragraph -1)
    blank: np.ndarray  # bool: the block's tail holds a blank line
    contents: list[str]  # the line, stripped
    keys: list[str]
    edge_keys: list[str]
    first4: list[str]  # their first four characters
    words: list[str]  # tokens of all keys in order
    word_off: np.ndarray  # words of block i: words[word_off[i]:word_off[i + 1]]
    word_block: np.ndarray  # block of each word
    nw: np.ndarray
    key_ids: np.ndarray  # equal keys, equal ids (below n)
    clen: np.ndarray  # len(content)
    has_digit: np.ndarray
    ends_sentence: np.ndarray
    is_long: np.ndarray
    headline: np.ndarray
    lead_end: np.ndarray  # ends with . ! ” "
    has_key: np.ndarray
    unclean: np.ndarray  # key holds a \w character that is not alphanumeric
    base: np.ndarray  # own-feature rows, language-dependent columns still 0
    long_rows: dict[int, _Block]  # blocks over _MAX_FEATURE_CHARS (features per block)
    by_language: dict[str | None, _Own] = field(default_factory=dict)
    word_info: np.ndarray | None = None  # per word: _word_info()
    headline_list: list[bool] = field(default_factory=list)  # headline, as a list


@dataclass(slots=True)
class _Own:
    """The own-feature rows of a page for one language, and the phrase hits in them."""

    rows: np.ndarray
    kind: list[str | None]
    hit_where: list[str]
    section_marker: np.ndarray
    hard: np.ndarray  # phrase hit within its hard limit: removed outright
    hit: np.ndarray  # any phrase hit
    kind_array: np.ndarray  # kind as an object array
    sums: np.ndarray | None = None  # rows @ the stages' own-feature weights (_own_sums)


_COL = {name: i for i, name in enumerate(FEATURES_OWN)}


def _split_lines(text: str) -> tuple[list[str], np.ndarray]:
    """Lines (without terminators) and their start offsets."""
    if "\r" in text:
        spans = list(iter_lines(text))
        starts = np.fromiter((s for s, _e in spans), dtype=np.int64, count=len(spans))
        return [text[s:e] for s, e in spans], starts
    lines = text.split("\n")
    lens = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    starts = np.zeros(len(lines), dtype=np.int64)
    (lens[:-1] + 1).cumsum(out=starts[1:])
    return lines, starts


def _page(text: str) -> _Page:
    """Blocks (as :func:`_segment` cuts them) and their language-independent features."""
    lines, line_starts = _split_lines(text)
    stripped = list(map(str.strip, lines))
    nb = np.fromiter(map(len, stripped), dtype=np.int64, count=len(lines)).nonzero()[0]
    if len(nb) == 0:
        if not text:
            return _page_of(text, [], [], [], [], np.zeros(0, bool), np.zeros(0, bool))
        one = np.zeros(1, dtype=bool)
        return _page_of(text, [0], [len(text)], [1], [""], one, one)
    starts_a = line_starts[nb]
    ends_a = np.empty_like(starts_a)
    ends_a[:-1] = starts_a[1:]
    ends_a[-1] = len(text)
    blank = np.empty(len(nb), dtype=bool)
    blank[:-1] = np.diff(nb) >= 2
    blank[-1] = len(lines) - 1 - nb[-1] >= 2
    nbl = nb.tolist()
    contents = [stripped[i] for i in nbl] if len(nbl) < 2 else list(itemgetter(*nbl)(stripped))
    starts = starts_a.tolist()
    ends = ends_a.tolist()
    numbers = (nb + 1).tolist()
    lead = np.zeros(len(nb), dtype=bool)
    if nbl[0] > 0:
        starts.insert(0, 0)
        ends.insert(0, starts[1])
        numbers.insert(0, 1)
        contents.insert(0, "")
        lead = np.concatenate(([True], lead))
        blank = np.concatenate(([False], blank))
    return _page_of(text, starts, ends, numbers, contents, lead, blank)


def _page_of(
    text: str,
    starts: list[int],
    block_ends: list[int],
    numbers: list[int],
    contents: list[str],
    lead: np.ndarray,
    blank: np.ndarray,
) -> _Page:
    n = len(contents)
    # the line samples (the first _MAX_FEATURE_CHARS characters) and their characters
    clen = np.fromiter(map(len, contents), dtype=np.int64, count=n)
    long_idx = (clen > _MAX_FEATURE_CHARS).nonzero()[0].tolist()
    samples = contents
    if long_idx:
        samples = [c[:_MAX_FEATURE_CHARS] for c in contents]
    joined = "\n".join(samples)
    lo, hi = _line_bounds(samples, None if long_idx else clen)
    cps = _codepoints(joined)
    f = _flags_of(cps)

    joined_keys, keys = _line_keys_joined(
        contents, joined, f, stripped=not long_idx, codepoints=cps
    )
    edge_keys = list(map(str.strip, keys, repeat(_EDGE_CHARS, n)))
    first4 = list(map(itemgetter(slice(0, 4)), edge_keys))
    # words: \w+ runs of the keys (none crosses a line feed)
    klo, khi = _line_bounds(keys)
    kcps = _codepoints(joined_keys)
    kflags = _flags_of(kcps)
    kword = (kflags & _F_WORD) != 0
    if _WORD_SPACE_SEEN[0] and (kflags & _F_WORD_SPACE).any():
        # a word character that str.split splits at
        words: list[str] = TOKEN_RE.findall(joined_keys)
    else:  # the same, faster: everything but word characters to spaces, then split
        spaced = (kcps.astype("<u4") - 32) * kword  # (np.where(kword, kcps, 32), faster)
        spaced += 32
        if kcps.dtype == np.uint8:
            words = spaced.astype(np.uint8).tobytes().decode("ascii").split()
        else:
            words = spaced.astype("<u4", copy=False).tobytes().decode("utf-32-le").split()
    run_start = kword.copy()
    run_start[1:] &= ~kword[:-1]
    nw = _span_sums(run_start, klo, khi)
    if int(nw.sum()) != len(words):  # cannot happen; per-block tokens as a safeguard
        nw = np.fromiter((len(tokens(k)) for k in keys), dtype=np.int64, count=n)
    word_off = np.zeros(n + 1, dtype=np.int64)
    nw.cumsum(out=word_off[1:])
    word_block = np.repeat(np.arange(n), nw)
    odd_word = (kflags & (_F_WORD | _F_ALNUM)) == _F_WORD  # "_" or a mark: rare
    unclean = _span_sums(odd_word, klo, khi) > 0 if odd_word.any() else np.zeros(n, bool)
    # each key's id: the index of its first occurrence
    first_at: dict[str, int] = {}
    key_ids = np.fromiter(map(first_at.setdefault, keys, count()), dtype=np.int64, count=n)

    space = (f & _F_SPACE) != 0
    alpha = (f & _F_ALPHA) != 0
    upper = (f & _F_UPPER) != 0
    word_start = ~space
    word_start[1:] &= space[:-1]
    nparts = _span_sums(word_start, lo, hi)
    nonspace = (hi - lo) - _span_sums(space, lo, hi)
    nonspace[nonspace == 0] = 1
    letters = _span_sums(alpha, lo, hi)
    digits = _span_sums((f & _F_DIGIT) != 0, lo, hi)
    up_change = _span_sums((f & _F_UPCHANGE) != 0, lo, hi)
    firsts = _span_sums(word_start & alpha, lo, hi)
    firsts_upper = _span_sums(word_start & alpha & upper, lo, hi)
    parts_upper = _span_sums(word_start & upper, lo, hi)
    has_digit = digits > 0
    nonempty = hi > lo
    last_cp = np.zeros(n, dtype=np.uint32)
    last_cp[nonempty] = cps[hi[nonempty] - 1]
    f_last = np.zeros(n, dtype=np.uint32)  # flags of the last character
    f_last[nonempty] = f[hi[nonempty] - 1]
    f_first = np.zeros(n, dtype=np.uint32)
    f_first[nonempty] = f[lo[nonempty]]
    # _SENT_END_RE: the last character that is neither whitespace nor a closing quote or
    # bracket ends a sentence (walk back over those, all lines at once).
    trailing = _F_RSPACE | _F_SENT_TRAIL
    end = hi - 1
    moving = (nonempty & ((f_last & trailing) != 0)).nonzero()[0]
    while len(moving):
        end[moving] -= 1
        e = end[moving]
        ok = e >= lo[moving]
        moving = moving[ok]
        moving = moving[(f[e[ok]] & trailing) != 0]
    ends_s = np.zeros(n, dtype=bool)
    ok = nonempty & (end >= lo)
    ends_s[ok] = (f[end[ok]] & _F_SENT_END) != 0
    inner_any = _inner_sentences(cps, f, lo, n)
    # the rarer cues: a cheap necessary condition, then the per-block test
    # _SEPARATOR_RE: "/" between whitespace, or [|»›•·] after or before whitespace
    separators = np.zeros(n, dtype=bool)
    sep_at = (f & _F_SEPARATOR).nonzero()[0]
    if len(sep_at):
        ws = (f & _F_SPACE_NOT_LF) != 0  # line feeds join the lines
        before = np.zeros(len(sep_at), dtype=bool)
        after = np.zeros(len(sep_at), dtype=bool)
        inside = sep_at > 0
        before[inside] = ws[sep_at[inside] - 1]
        inside = sep_at < len(f) - 1
        after[inside] = ws[sep_at[inside] + 1]
        slash = cps[sep_at] == ord("/")
        hit = np.where(slash, before & after, before | after)
        separators[np.searchsorted(lo, sep_at[hit], side="right") - 1] = True
    list_marker = np.zeros(n, dtype=bool)
    maybe_list = (f_first & (_F_LIST_MARK | _F_RDIGIT)) != 0
    for i in maybe_list.nonzero()[0].tolist():
        list_marker[i] = bool(_LIST_MARK_RE.match(contents[i]))
    urlish = np.zeros(n, dtype=bool)
    for i in _needle_lines(joined, ("@", "www", "http", ".com"), lo):
        urlish[i] = bool(_URLISH_RE.search(samples[i]))
    inner = np.where(nw >= 4, inner_any, 0)
    headline_end = (f_last & _F_HEADLINE_END) != 0
    headline = (nw >= 2) & (nw <= 16) & (inner_any == 0) & ~headline_end
    lw = _log1p_exact(nw)
    x = np.zeros((n, _N_OWN), dtype=np.float64)
    x[:, _COL["bias"]] = 1.0
    x[:, _COL["log_words"]] = lw
    x[:, _COL["log_chars"]] = _log1p_exact(clen)
    x[:, _COL["ends_sentence"]] = ends_s
    x[:, _COL["ends_colon"]] = last_cp == ord(":")
    x[:, _COL["title_share"]] = firsts_upper / np.maximum(firsts, 1)
    x[:, _COL["digit_share"]] = digits / nonspace
    x[:, _COL["letter_share"]] = letters / nonspace
    x[:, _COL["separators"]] = separators
    x[:, _COL["name_like"]] = (
        (nparts >= 1)
        & (nparts <= 4)
        & (clen <= 40)
        & ~has_digit
        & ~ends_s
        & (parts_upper == nparts)
    )
    x[:, _COL["log_inner_sentences"]] = _log1p_exact(inner)
    x[:, _COL["list_marker"]] = list_marker
    x[:, _COL["all_caps"]] = (letters > 3) & (up_change == 0)
    x[:, _COL["urlish"]] = urlish
    x[:, _COL["very_short"]] = nw <= 3
    x[:, _COL["short_unpunctuated"]] = (nw <= 7) & ~ends_s
    x[:, _COL["log_words_sq"]] = lw * lw
    lead_end = (f_last & _F_LEAD_END) != 0
    long_rows: dict[int, _Block] = {}
    for i in long_idx:
        c = contents[i]
        long_rows[i] = _Block(
            start=starts[i],
            end=block_ends[i],
            content=c,
            para=0,
            key=keys[i],
            words=words[word_off[i] : word_off[i + 1]],
        )
        has_digit[i] = any(map(str.isdigit, c))
        ends_s[i] = bool(_SENT_END_RE.search(c))
        lead_end[i] = c.endswith((".", "!", "”", '"'))
        headline[i] = _headline_like(long_rows[i])
    return _Page(
        n=n,
        starts=starts,
        line_numbers=numbers,
        lead=lead,
        blank=blank,
        contents=contents,
        keys=keys,
        edge_keys=edge_keys,
        first4=first4,
        words=words,
        word_off=word_off,
        word_block=word_block,
        nw=nw,
        key_ids=key_ids,
        clen=clen,
        has_digit=has_digit,
        ends=block_ends,
        ends_sentence=ends_s,
        is_long=(nw >= 20) & ends_s,
        headline=headline,
        headline_list=headline.tolist(),
        lead_end=lead_end,
        has_key=khi > klo,
        unclean=unclean,
        base=x,
        long_rows=long_rows,
    )


def _line_bounds(
    lines: Sequence[str], lens: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of each of ``lines`` in ``"\\n".join(lines)`` (``lens``: their
    lengths, if known)."""
    if lens is None:
        lens = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    lo = np.zeros(len(lines), dtype=np.int64)
    if len(lines) > 1:
        (lens[:-1] + 1).cumsum(out=lo[1:])
    return lo, lo + lens


_FIRST, _SINGLE, _SECOND = 1, 2, 4  # per-language word bits, see _word_info


@cache
def _word_info() -> dict[str, int]:
    """Word -> bits: bit j (< 7) when it is a stop word of ``LANGUAGES[j]``; bits
    ``7 + 3 * j`` up: ``_FIRST`` / ``_SINGLE`` / ``_SECOND`` (shifted) when it is the first
    word of a contained phrase of that language's phrase data / of one that
    :func:`_contains_pairs` indexes by its first word alone / the second word of one it
    indexes by its first two words."""
    bits: dict[str, int] = {}
    for j, stop in enumerate(_stopword_sets().values()):
        for w in stop:
            bits[w] = bits.get(w, 0) | (1 << j)
    for j, lang in enumerate(LANGUAGES):
        shift = 7 + 3 * j
        single, pairs = _contains_pairs(lang)
        for w in _phrases(lang).contains_by_word:
            bits[w] = bits.get(w, 0) | (_FIRST << shift)
        for w in single:
            bits[w] = bits.get(w, 0) | (_SINGLE << shift)
        for _w, second in pairs:
            bits[second] = bits.get(second, 0) | (_SECOND << shift)
    vocab = _pair_vocabulary()
    for w, v in vocab.items():
        bits[w] = bits.get(w, 0) | (v << _VOCAB_SHIFT)
    return bits


_VOCAB_SHIFT = 32  # _word_info: the word's id in _pair_vocabulary() from this bit up


@cache
def _pair_vocabulary() -> dict[str, int]:
    """The words of the phrase pairs of all languages (:func:`_contains_pairs`) -> ids
    from 1."""
    words = sorted({w for lang in LANGUAGES for pair in _contains_pairs(lang)[1] for w in pair})
    return {w: i + 1 for i, w in enumerate(words)}


@cache
def _pair_codes(language: str) -> np.ndarray:
    """The phrase pairs of ``language`` as sorted codes ``id(first) << 20 | id(second)``."""
    vocab = _pair_vocabulary()
    codes = sorted((vocab[a] << 20) | vocab[b] for a, b in _contains_pairs(language)[1])
    return np.array(codes, dtype=np.int64)


def _page_word_info(page: _Page) -> np.ndarray:
    info = page.word_info
    if info is None:
        get = _word_info().get
        info = np.fromiter(map(get, page.words, repeat(0)), dtype=np.int64, count=len(page.words))
        page.word_info = info
    return info


def _page_language(page: _Page, active: np.ndarray) -> str | None:
    """``detect_language`` of the words of the ``active`` blocks."""
    info = _page_word_info(page)
    if len(active) == page.n:
        sample = info[:3000]
    else:
        mask = np.zeros(page.n, dtype=bool)
        mask[active] = True
        sample = info[mask[page.word_block].nonzero()[0][:3000]]
    if len(sample) == 0:
        return None
    # stop-word hits per language: the sample's low 7 bits, counted via their histogram
    counts = (np.bincount(sample & 0x7F, minlength=128) @ _LOW_BITS).tolist()
    best, best_hits = None, 0
    for j, lang in enumerate(_stopword_sets()):
        hits = counts[j]
        if hits > best_hits:
            best, best_hits = lang, hits
    if best is None or best_hits < 3 or best_hits < 0.05 * len(sample):
        return None
    return best


_LOW_BITS = (np.arange(128)[:, None] >> np.arange(7)) & 1  # value -> its 7 low bits


@cache
def _start_prefixes(language: str) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The start phrases of at least four characters by their first four, and the
    shorter ones: a line can start with a phrase only if it starts with one of the
    phrases filed under its first four characters or with a shorter one."""
    ph = _phrases(language)
    four: dict[str, list[str]] = {}
    for p in ph.start_kind:
        if len(p) >= 4:
            four.setdefault(p[:4], []).append(p)
    short = tuple(sorted(p for p in ph.start_kind if 0 < len(p) < 4))
    return {k: tuple(v) for k, v in four.items()}, short


@cache
def _first_chars(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(p[:1] for p in phrases)


@cache
def _contains_pairs(language: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Contained phrases by their first word (``single``) or first two words (``pairs``).

    A phrase found in a key (bounded as :func:`_find_bounded` requires) whose end
    characters are word characters only if alphanumeric shows its words as consecutive
    tokens of the key when the key holds no non-alphanumeric word character (``_`` or a
    mark): then its first two words are a pair of consecutive tokens of the line."""
    ph = _phrases(language)
    single: set[str] = set()
    pairs: set[tuple[str, str]] = set()

    def odd(ch: str) -> bool:
        return bool(_WORD_CHAR_RE.fullmatch(ch)) and not ch.isalnum()

    for w, lst in ph.contains_by_word.items():
        for phrase, _kind in lst:
            toks = tokens(phrase)
            if len(toks) < 2 or odd(phrase[0]) or odd(phrase[-1]):
                single.add(w)
            else:
                pairs.add((toks[0], toks[1]))
    return frozenset(single), frozenset(pairs)


def _own_rows(page: _Page, language: str | None) -> _Own:
    """Own-feature rows of all blocks of ``page`` for ``language`` (as ``_own_features``
    computes them block by block), cached on the page."""
    cached = page.by_language.get(language)
    if cached is not None:
        return cached
    lang = language or "en"
    ph = _phrases(lang)
    n = page.n
    x = page.base.copy()
    words = page.words
    nw = page.nw
    wb = page.word_block
    off = page.word_off.tolist()
    info = _page_word_info(page)
    if lang in LANGUAGES:
        j = LANGUAGES.index(lang)
        stop_mem = (info & (1 << j)) != 0
        shift = 7 + 3 * j
        first = (info & (_FIRST << shift)) != 0
        single_m = (info & (_SINGLE << shift)) != 0
        second = (info & (_SECOND << shift)) != 0
    else:  # not shipped: word by word
        stop_mem = np.fromiter(map(ph.stopwords.__contains__, words), bool, len(words))
        first = np.fromiter(map(ph.contains_by_word.__contains__, words), bool, len(words))
        single_m = second = first
    # stop-word share
    stop_n = np.bincount(wb[stop_mem], minlength=n)
    x[:, _COL["stop_share"]] = np.where(nw > 0, stop_n / np.maximum(nw, 1), 0.0)
    # date-like: few words, a digit, each word a number, a date word or short
    dw = ph.date_words
    col = _COL["date_like"]
    for i in ((nw >= 1) & (nw <= 9) & page.has_digit).nonzero()[0].tolist():
        if all(w.isdigit() or w in dw or len(w) <= 2 for w in words[off[i] : off[i + 1]]):
            x[i, col] = 1.0
    x[:, _COL["language_known"]] = 1.0 if language else 0.0
    # phrase hits (as _phrase_hit): whole line, then line start, then contained
    edge = page.edge_keys
    kind: list[str | None] = [None] * n
    where = [""] * n
    line_hit = np.fromiter(map(ph.line.__contains__, edge), dtype=bool, count=n)
    for i in line_hit.nonzero()[0].tolist():
        kind[i], where[i] = ph.line[edge[i]], "line"
    still = ~line_hit & (nw <= 120)
    start_hits: list[int] = []
    if ph.start_re is not None:
        by4, short = _start_prefixes(lang)
        maybe = np.fromiter(map(by4.__contains__, page.first4), dtype=bool, count=n)
        if short:  # lines whose first character starts a short phrase
            heads = map(itemgetter(slice(0, 1)), page.first4)
            maybe |= np.fromiter(map(_first_chars(short).__contains__, heads), bool, n)
        match = ph.start_re.match
        first4 = page.first4
        for i in (maybe & still).nonzero()[0].tolist():
            k = edge[i]
            if not (k.startswith(by4.get(first4[i], ())) or (short and k.startswith(short))):
                continue
            m = match(k)
            if m is not None:
                kind[i], where[i] = ph.start_kind[m.group()], "start"
                still[i] = False
                start_hits.append(i)
    by_word = ph.contains_by_word
    if by_word and words:
        # Lines whose words hold a phrase's first word followed by its second word (or
        # that :func:`_contains_pairs` leaves to the full test): the only ones that can
        # contain a phrase.
        at = first & still[wb]
        nxt = np.zeros(len(words), dtype=bool)  # the next word is a second word, same line
        nxt[:-1] = second[1:] & (wb[1:] == wb[:-1])
        maybe = (at & nxt).nonzero()[0]
        hit = at & (single_m | page.unclean[wb]) if page.unclean.any() else at & single_m
        if lang in LANGUAGES and len(maybe):
            vid = info >> _VOCAB_SHIFT
            codes = (vid[maybe] << 20) | vid[maybe + 1]
            pair_codes = _pair_codes(lang)
            found_at = np.searchsorted(pair_codes, codes)
            found_at[found_at == len(pair_codes)] = 0
            hit[maybe[pair_codes[found_at] == codes]] = True
        elif len(maybe):
            pairs = _contains_pairs(lang)[1]
            for j in maybe.tolist():
                hit[j] |= (words[j], words[j + 1]) in pairs
        keys = page.keys
        # per line, the words found above: only their phrases can occur in it (in the
        # order of the line's words, as _contained_phrase tries them)
        hit_at = hit.nonzero()[0]
        flagged: dict[int, set[str]] = {}
        for j, i in zip(hit_at.tolist(), wb[hit_at].tolist(), strict=True):
            flagged.setdefault(i, set()).add(words[j])
        for i, only in flagged.items():
            found = _contained_phrase(keys[i], words[off[i] : off[i + 1]], by_word, only)
            if found is not None:
                kind[i], where[i] = found, "contains"
    section = np.fromiter(map(ph.section.__contains__, edge), dtype=bool, count=n)
    if ph.start_re is not None:  # lines that start with a section phrase (_section_start)
        for i in [i for i in start_hits if kind[i] == "comments"]:
            m = ph.start_re.match(edge[i])
            section[i] |= m is not None and _edge_strip(m.group()) in ph.section
    for i, b in page.long_rows.items():
        b.kind, b.hit_where = None, ""
        _own_features(b, ph, language)
        x[i] = b.own
        kind[i], where[i] = b.kind, b.hit_where
        section[i] = b.section_marker
    hard = np.zeros(n, dtype=bool)
    hit = np.zeros(n, dtype=bool)
    hits = list(compress(count(), map(is_not, kind, repeat(None))))
    if hits:
        hit_kinds = [kind[i] or "" for i in hits]
        x[hits, [_COL["hit_" + k] for k in hit_kinds]] = 1.0
        hit[hits] = True
        limits = [_HARD_LIMITS[k][where[i]] for i, k in zip(hits, hit_kinds, strict=True)]
        hard[hits] = nw[hits] <= limits
    kind_array = np.empty(n, dtype=object)
    kind_array[:] = kind
    own = _Own(
        rows=x,
        kind=kind,
        hit_where=where,
        section_marker=section,
        hard=hard,
        hit=hit,
        kind_array=kind_array,
    )
    page.by_language[language] = own
    return own


def _own_sums(own: _Own, weights: _Weights) -> np.ndarray:
    """Each stage's weighted sum of the own features of each block (a column per stage),
    made when first asked for."""
    if own.sums is None:
        own.sums = own.rows @ weights.own
    return own.sums


def _contained_phrase(
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
                if _find_bounded(key, phrase):
                    return kind
    return None


def _folded(stage: Mapping[str, Any]) -> tuple[np.ndarray, float]:
    """A stage's weights folded with its standardization: ``x @ w + b`` equals
    ``((x - mean) / scale) @ weights`` (up to rounding), without the two temporaries."""
    mean = np.asarray(stage["mean"], dtype=np.float64)
    w = np.asarray(stage["weights"], dtype=np.float64) / np.asarray(
        stage["scale"], dtype=np.float64
    )
    return w, -float(mean @ w)


@dataclass(frozen=True, slots=True)
class _Weights:
    """The shipped model's stages, folded (:func:`_folded`), and split by the columns
    they weigh, for :func:`_classify`, which scores without building feature rows:
    ``own`` (a column per stage) weighs the own features, ``pass_`` the stage-1 columns
    a pass computes, ``context`` (a vector per stage after the first) the stage-2 extra
    columns; ``bias`` holds the stages' constants."""

    stages: dict[str, tuple[np.ndarray, float]]
    own: np.ndarray
    pass_: np.ndarray
    context: tuple[np.ndarray, ...]
    bias: tuple[float, ...]


@cache
def _stage_arrays() -> _Weights:
    clf = _classifier()
    names: list[str] = [k for k in ("stage1", "stage2", "stage3") if k in clf]
    stages = {k: _folded(clf[k]) for k in names}
    ws = [stages[k][0] for k in names]
    return _Weights(
        stages=stages,
        own=np.stack([w[:_N_OWN] for w in ws], axis=1),
        pass_=np.stack([w[_N_OWN:_N_1] for w in ws], axis=1),
        context=tuple(w[_N_1:] for w in ws[1:]),
        bias=tuple(stages[k][1] for k in names),
    )


def _scores(
    rows: np.ndarray | Sequence[Sequence[float]], stage: Mapping[str, Any] | str
) -> np.ndarray:
    """Logistic-regression content probabilities for feature rows; ``stage`` is the
    stage's weights or the name of a stage of the shipped model."""
    x = np.asarray(rows, dtype=np.float64)
    if x.shape[0] == 0:
        return np.zeros(0, dtype=np.float64)
    w, b = _stage_arrays().stages[stage] if isinstance(stage, str) else _folded(stage)
    p: np.ndarray = x @ w
    p += b
    return _sigmoid(p)


def _sigmoid(p: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-clip(p, -50, 50)))``, in place."""
    np.maximum(p, -50.0, out=p)
    np.minimum(p, 50.0, out=p)
    np.negative(p, out=p)
    np.exp(p, out=p)
    p += 1.0
    np.divide(1.0, p, out=p)
    return p


def _ix(page: _Page, active: np.ndarray) -> slice | np.ndarray:
    """Index of the ``active`` blocks into page arrays (a slice, no copy, when all are)."""
    return slice(None) if len(active) == page.n else active


def _paras(page: _Page, active: np.ndarray) -> np.ndarray:
    """Paragraph ids of the ``active`` blocks as ``_resegment`` gives them for their
    concatenation: a new paragraph after a block whose tail holds a blank line; the
    leading blank lines are paragraph -1."""
    ix = _ix(page, active)
    blank = page.blank[ix]
    paras = np.zeros(len(active), dtype=np.int64)
    if len(active) > 1:
        blank[:-1].cumsum(out=paras[1:])
    paras[page.lead[ix]] = -1
    return paras


def _features(
    page: _Page,
    active: np.ndarray,
    own: _Own,
    paras: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Stage-1 rows (own features, then context features) of the ``active`` blocks of
    ``page`` (``own``: the page's own features, ``paras``: their paragraph ids), and
    the comment-section start (an index into ``active``)."""
    n = len(active)
    x = np.empty((n, _N_1), dtype=np.float64)
    if n == 0:
        return x, 0
    x[:, :_N_OWN] = own.rows[_ix(page, active)]
    return x, _pass_columns(page, active, own, paras, x[:, _N_OWN:])


def _pass_columns(
    page: _Page, active: np.ndarray, own: _Own, paras: np.ndarray, x: np.ndarray
) -> int:
    """The stage-1 columns after the own features (``FEATURES_1[_N_OWN:]``) of the
    ``active`` blocks, written to ``x``; returns the comment-section start (see
    :func:`_features`)."""
    n = len(active)
    ix = _ix(page, active)
    nw = page.nw[ix]
    # Paragraph size features: math.log1p per paragraph, then spread to its blocks.
    pid = paras + 1
    para_lines = np.bincount(pid)
    para_words = np.bincount(pid, weights=nw)
    present = para_lines.nonzero()[0]
    log_lines = np.zeros(len(para_lines), dtype=np.float64)
    log_wpl = np.zeros(len(para_lines), dtype=np.float64)
    log_lines[present] = _log1p_exact(para_lines[present])
    log_wpl[present] = _log1p_exact(para_words[present] / para_lines[present])
    x[:, 0] = log_lines[pid]
    x[:, 1] = log_wpl[pid]
    long_idx = page.is_long[ix].nonzero()[0]
    first_long = int(long_idx[0]) if len(long_idx) else n
    last_long = int(long_idx[-1]) if len(long_idx) else -1
    idx = np.arange(n)
    x[:, 2] = idx < first_long
    x[:, 3] = idx > last_long
    # In-document repetition among the blocks with words: a later copy, or the first of
    # several copies.
    later = np.zeros(n, dtype=np.float64)
    first_of_many = np.zeros(n, dtype=np.float64)
    sel = (nw > 0).nonzero()[0]
    if len(sel):
        ids = page.key_ids[ix][sel]
        is_first = _first_occurrences(ids)
        later[sel] = ~is_first
        first_of_many[sel] = is_first & (np.bincount(ids)[ids] > 1)
    x[:, 4] = later
    x[:, 5] = first_of_many
    markers = own.section_marker[ix][first_long + 1 :].nonzero()[0]
    section_at = first_long + 1 + int(markers[0]) if len(markers) else n
    x[:, 6] = idx >= section_at
    return section_at


def _first_occurrences(ids: np.ndarray) -> np.ndarray:
    """Whether each id (non-negative) occurs here for the first time."""
    if len(ids) == 0:
        return np.zeros(0, dtype=bool)
    pos = np.arange(len(ids))
    first = np.full(int(ids.max()) + 1, len(ids), dtype=np.int64)
    np.minimum.at(first, ids, pos)
    out: np.ndarray = first[ids] == pos
    return out


def _windows(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds and widths of the windows of radius 2, 5 and 10 around each of ``n``
    blocks (one row per radius)."""
    if n > _WINDOW_BOUNDS[0].shape[1]:
        idx = np.arange(max(n, 2 * _WINDOW_BOUNDS[0].shape[1]))
        _WINDOW_BOUNDS[:] = [np.maximum(idx - _RADII, 0), idx + _RADII + 1]
    lo = _WINDOW_BOUNDS[0][:, :n]
    hi = np.minimum(_WINDOW_BOUNDS[1][:, :n], n)
    return lo, hi, hi - lo


_RADII = np.array([[2], [5], [10]])
# the windows' lower bounds and their upper bounds before the cut at n (see _windows)
_WINDOW_BOUNDS = [np.zeros((3, 0), dtype=np.int64), np.zeros((3, 0), dtype=np.int64)]


# Where the span features centre the stage-1 evidence: the main span, then the looser
# and the stricter one.
_SPAN_CENTRES = np.array([[0.5], [0.3], [0.7]])


@dataclass(slots=True)
class _Context:
    """What the context features of one pass share across its stages (see
    :func:`_context_setup`)."""

    n: int
    pid: np.ndarray  # paragraph ids + 1 (from 0)
    para_counts: np.ndarray  # blocks per present paragraph
    para_present: np.ndarray  # bool per paragraph id
    words1: np.ndarray  # words + 1 (float)
    cw: np.ndarray  # prefix sums of the words
    windows: tuple[np.ndarray, np.ndarray, np.ndarray]
    rel_position: np.ndarray
    share: float  # the page's share of words in long blocks
    short_share: np.ndarray  # (words <= 7) * share


def _arange(n: int) -> np.ndarray:
    """``np.arange(n)`` (a view of a shared array: do not write to it)."""
    if n > len(_ARANGE[0]):
        _ARANGE[0] = np.arange(max(n, 2 * len(_ARANGE[0])))
    return _ARANGE[0][:n]


_ARANGE = [np.arange(4096)]


def _context_setup(paras: np.ndarray, nw: np.ndarray, is_long: np.ndarray) -> _Context:
    """The score-independent parts of the context features of blocks with paragraph ids
    ``paras``, ``nw`` words and long-block flags ``is_long``."""
    n = len(paras)
    pid = np.asarray(paras, dtype=np.int64) + 1  # the leading blank lines are -1
    counts = np.bincount(pid)
    present = counts > 0
    words = np.asarray(nw, dtype=np.float64)
    cw = np.zeros(n + 1, dtype=np.float64)
    words.cumsum(out=cw[1:])
    share = float(words[np.asarray(is_long, bool)].sum()) / max(float(cw[n]), 1.0)
    return _Context(
        n=n,
        pid=pid,
        para_counts=counts[present],
        para_present=present,
        words1=words + 1.0,
        cw=cw,
        windows=_windows(n),
        rel_position=np.arange(n) / max(n - 1, 1),
        share=share,
        short_share=(words <= 7) * share,
    )


def _context_features(
    paras: np.ndarray,
    x1: np.ndarray,
    p1: np.ndarray,
    *,
    nw: np.ndarray,
    is_long: np.ndarray,
) -> np.ndarray:
    """Stage-2 rows: the stage-1 rows ``x1`` plus stage-1 scores ``p1`` of the block's
    neighbourhood (``paras``: the blocks' paragraph ids). Missing neighbours (at the ends)
    take the block's own score, so that the ends of a text are not eroded pass after
    pass."""
    n = len(paras)
    x = np.empty((n, _N_1 + len(FEATURES_2_EXTRA)), dtype=np.float64)
    x[:, :_N_1] = x1
    if n == 0:
        return x
    ctx = _context_setup(paras, nw, is_long)
    _fill_constant_context(ctx, x)
    _fill_context(ctx, np.asarray(p1, dtype=np.float64), x)
    return x


def _fill_constant_context(ctx: _Context, x: np.ndarray) -> None:
    """The score-independent context columns of ``x`` (see :func:`_fill_context`)."""
    col = _N_1 + 6
    x[:, col + 2] = ctx.rel_position
    x[:, col + 4] = ctx.share
    x[:, col + 5] = ctx.short_share


def _fill_context(ctx: _Context, p1: np.ndarray, x: np.ndarray) -> None:
    """The score-dependent context columns of ``x`` from the scores ``p1``: the block's,
    its neighbours', the means over windows of 2 and 5 blocks and over its paragraph; then
    where the block lies relative to the page's main span, the run of blocks with the
    largest word-weighted content evidence (maximum-sum subarray of
    ``(p1 - 0.5) * (words + 1)``): inside it, log words between it and the block, (relative
    position on the page: constant), the mean score of the 21-block window around the
    block, (the page's share of words in long blocks and its product with short blocks:
    constant), its product with the span, and whether the block lies in the spans of
    looser (0.3) and stricter (0.7) evidence."""
    n = ctx.n
    c = _N_1
    x[:, c] = p1
    x[0, c + 1] = p1[0]
    x[1:, c + 1] = p1[:-1]
    x[:-1, c + 2] = p1[1:]
    x[n - 1, c + 2] = p1[n - 1]
    means = _window_means(ctx, p1)
    x[:, c + 3] = means[0]
    x[:, c + 4] = means[1]
    x[:, c + 5] = _para_means(ctx, p1)
    col = c + 6
    spans = _spans(ctx, p1)
    start, end = spans[0]
    x[:, col] = 0.0
    x[start:end, col] = 1.0
    x[:, col + 1] = _log_gaps(ctx, start, end)
    x[:, col + 3] = means[2]
    x[:, col + 6] = 0.0
    x[start:end, col + 6] = ctx.share
    for k in (1, 2):
        st, e = spans[k]
        x[:, col + 6 + k] = 0.0
        x[st:e, col + 6 + k] = 1.0


def _context_sums(ctx: _Context, p1: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``x @ w`` for the context columns ``x`` (``FEATURES_2_EXTRA``) that
    :func:`_fill_context` and :func:`_fill_constant_context` write, without writing
    them: each column's weight times its values, added up."""
    n = ctx.n
    z: np.ndarray = p1 * w[0]
    z[1:] += p1[:-1] * w[1]
    z[0] += p1[0] * w[1]
    z[:-1] += p1[1:] * w[2]
    z[n - 1] += p1[n - 1] * w[2]
    z += w[_MEAN_COLUMNS] @ _window_means(ctx, p1)
    z += _para_means(ctx, p1) * w[5]
    spans = _spans(ctx, p1)
    start, end = spans[0]
    z[start:end] += w[6] + w[12] * ctx.share
    z += _log_gaps(ctx, start, end) * w[7]
    for k in (1, 2):
        st, e = spans[k]
        z[st:e] += w[12 + k]
    z += ctx.rel_position * w[8]
    z += ctx.share * w[10]
    z += ctx.short_share * w[11]
    return z


_MEAN_COLUMNS = [3, 4, 9]  # the context columns of the windows of radius 2, 5 and 10


def _window_means(ctx: _Context, p: np.ndarray) -> np.ndarray:
    """The mean scores over the windows of radius 2, 5 and 10 (a row each), from prefix
    sums (sequential, as a running Python sum would give)."""
    pp = np.zeros(ctx.n + 1, dtype=np.float64)
    p.cumsum(out=pp[1:])
    lo, hi, width = ctx.windows
    means: np.ndarray = (pp[hi] - pp[lo]) / width
    return means


def _para_means(ctx: _Context, p: np.ndarray) -> np.ndarray:
    """Each block's paragraph's mean score."""
    sums = np.bincount(ctx.pid, weights=p)
    para_means = np.zeros(len(sums), dtype=np.float64)
    para_means[ctx.para_present] = sums[ctx.para_present] / ctx.para_counts
    out: np.ndarray = para_means[ctx.pid]
    return out


def _spans(ctx: _Context, p: np.ndarray) -> list[tuple[int, int]]:
    """The main, looser and stricter spans (see :func:`_fill_context`): the three
    maximum-sum runs at once, from prefix sums. A run ends where the prefix sum exceeds
    the lowest one before it the most, and starts at that lowest one (the first, on
    ties)."""
    cs = np.zeros((3, ctx.n + 1), dtype=np.float64)
    ((p - _SPAN_CENTRES) * ctx.words1).cumsum(axis=1, out=cs[:, 1:])
    low = np.minimum.accumulate(cs[:, :-1], axis=1)
    ends = np.argmax(cs[:, 1:] - low, axis=1) + 1
    return [(int(row[:e].argmin()), e) for row, e in zip(cs, ends.tolist(), strict=True)]


def _log_gaps(ctx: _Context, start: int, end: int) -> np.ndarray:
    """log1p of the words between each block and the span ``[start, end)``."""
    n = ctx.n
    cw = ctx.cw
    gap = np.zeros(n, dtype=np.float64)
    gap[:start] = cw[start] - cw[1 : start + 1]
    gap[end:] = cw[end:n] - cw[end]
    out: np.ndarray = np.log1p(gap)
    return out


def _line_keys(lines: Sequence[str]) -> list[str]:
    """``[_line_key(x).strip() for x in lines]``, normalizing all lines in one go: they
    are joined with line feeds, which no step of the normalization crosses or creates
    (case folding and the punctuation map are per character; whitespace runs other than
    the line feed become one space; digit runs become ``0``)."""
    return _line_keys_joined(lines)[1]


def _line_keys_joined(
    lines: Sequence[str],
    joined: str | None = None,
    flags: np.ndarray | None = None,
    stripped: bool = False,
    codepoints: np.ndarray | None = None,
) -> tuple[str, list[str]]:
    """The keys of ``lines`` (:func:`_line_keys`) and the keys joined by line feeds;
    ``joined``: ``"\\n".join(x[:_MAX_FEATURE_CHARS] for x in lines)`` if at hand, and
    ``flags`` its ``_F_*`` flags. ``stripped``: ``joined``'s lines neither start nor end
    with whitespace; then neither do the keys (the normalization turns only whitespace
    into whitespace: regex ``\\s`` is a subset of ``str.isspace``). ``codepoints``: the
    code points of ``joined`` (with ``flags``)."""
    if joined is None:
        joined = "\n".join(x[:_MAX_FEATURE_CHARS] for x in lines)
    if joined.count("\n") != len(lines) - 1:  # a line holds a line feed itself
        keys = [_line_key(x).strip() for x in lines]
        return "\n".join(keys), keys
    # Case folding, by code point from a table when each character folds to one (as
    # str.casefold, which folds character by character), else by str.casefold.
    folded = ""
    cps = None
    if codepoints is not None and flags is not None:
        cps = _FOLD.take(codepoints)
        if len(cps) and int(cps.max()) == _MANY_CHARS:
            cps = None
    if cps is None:
        folded = casefold(joined)
        cps = _codepoints(folded)
    # By code point: the punctuation map (but for the ellipsis), whitespace runs other
    # than line feeds to one space, digit runs to one "0".
    # When case folding mapped each character to one (the lengths agree), the flags of
    # ``joined`` serve: it changes no whitespace, digit or punctuation flag.
    same = flags is not None and len(cps) == len(joined)
    f = flags if flags is not None and same else _flags_of(cps)
    ws = (f & _F_SPACE_NOT_LF) != 0
    dg = (f & _F_RDIGIT) != 0
    # as unify_punctuation (in ASCII text, the backtick is the map's one key)
    punct = (f & _F_PUNCT) != 0
    if ws.any() or dg.any() or punct.any():
        out = cps.astype("<u4")
        if punct.any():
            out[punct] = _PUNCT_TO[np.searchsorted(_PUNCT_FROM, out.compress(punct))]
        odd = ws & (cps != 32)  # whitespace other than the space
        if odd.any():
            out[odd] = 32
        out[dg] = 48
        drop = (ws[1:] & ws[:-1]) | (dg[1:] & dg[:-1])  # a run's later characters
        if drop.any():
            keep = np.ones(len(out), dtype=bool)
            np.logical_not(drop, out=keep[1:])
            out = out[keep]  # (boolean indexing: faster than compress here)
        folded = out.tobytes().decode("utf-32-le", "surrogatepass")
    elif not folded:  # folded by the table
        folded = cps.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")
    if "…" in folded:
        folded = folded.replace("…", "...")
    if stripped:
        return folded, folded.split("\n")
    keys = [x.strip() for x in folded.split("\n")]
    return "\n".join(keys), keys


def _make_blocks(text: str, spans: Sequence[tuple[int, int, int, int]]) -> list[_Block]:
    contents = [text[s:ce].strip() for s, _e, ce, _p in spans]
    if not contents:
        return []
    keys = _line_keys(contents)
    return [
        _Block(start=s, end=e, content=content, para=para, key=key, words=tokens(key))
        for (s, e, _ce, para), content, key in zip(spans, contents, keys, strict=True)
    ]


_KIND_REASON = {
    "comments": "comment section",
    "disclaimer": "disclaimer",
    "call_to_action": "call to action",
    "credit": "credit line",
    "related_links": "related links",
    "navigation": "navigation",
    "legal": "legal / cookie notice",
    "repeated": "repeated",
}

# Why a block is kept (reasons of removed blocks are written when they are removed).
_KEPT_BLANK, _KEPT_TITLE, _KEPT_LEAD, _KEPT_SCORE = 1, 2, 3, 4
_RELATED_TAIL_REASON = "related links (trailing run of headline-like lines)"


@dataclass(slots=True)
class _Pass:
    """One classification pass over the active blocks (arrays index the active list)."""

    keep: np.ndarray
    scores: np.ndarray
    kept_code: np.ndarray  # _KEPT_* for kept blocks
    removed: dict[int, tuple[str, str]]  # removed block -> (kind, reason), but:
    low: np.ndarray  # blocks removed for their score (reasons: see strip_boilerplate)
    low_kinds: np.ndarray  # their kinds (an object array of str)


# _infer_kind for blocks without a phrase kind: navigation, or related links for a
# headline-like block after the last long block
_INFERRED_KINDS = np.array(["navigation", "related_links"], dtype=object)


def _classify(
    page: _Page,
    active: np.ndarray,
    own: _Own,
    model: BoilerplateModel | None,
    model_counts: np.ndarray | None,
    threshold: float | None,
) -> _Pass:
    """One pass over the ``active`` blocks of ``page``."""
    clf = _classifier()
    thr = clf["threshold"] if threshold is None else threshold
    paras = _paras(page, active)
    n = len(active)
    ix = _ix(page, active)
    nw = page.nw[ix]
    is_long = page.is_long[ix]
    # The stages' scores without their feature rows (the model is linear in them): the
    # own features' share (per page) plus this pass's stage-1 columns, then the context
    # columns of each later stage, computed from the scores of the one before.
    weights = _stage_arrays()
    cols = np.empty((n, _N_1 - _N_OWN), dtype=np.float64)
    section_at = _pass_columns(page, active, own, paras, cols) if n else 0
    z = _own_sums(own, weights)[ix] + cols @ weights.pass_
    p2a = _sigmoid(z[:, 0] + weights.bias[0])
    if n:
        ctx = _context_setup(paras, nw, is_long)
        for k, w in enumerate(weights.context, start=1):
            p2a = _context_sums(ctx, p2a, w)
            p2a += z[:, k]
            p2a += weights.bias[k]
            _sigmoid(p2a)
    has_content = page.clen[ix] > 0
    kind_all = own.kind
    no_kind = ~own.hit[ix]
    headline = page.headline[ix]
    long_idx = is_long.nonzero()[0]
    last_long = int(long_idx[-1]) if len(long_idx) else -1
    first_long = int(long_idx[0]) if len(long_idx) else n
    tail = _trailing_headlines(page, active, own, last_long)
    with_text = ((nw > 0) & no_kind).nonzero()[0]
    first_text = int(with_text[0]) if len(with_text) else n
    idx = np.arange(n)
    keep = np.ones(n, dtype=bool)
    kept_code = np.zeros(n, dtype=np.int8)
    removed: dict[int, tuple[str, str]] = {}
    # The rules in order: each block takes the first that applies.
    rest = has_content.copy()
    kept_code[~has_content] = _KEPT_BLANK
    for i in tail:
        removed[i] = ("related_links", _RELATED_TAIL_REASON)
    rest[tail] = False
    if section_at < n:
        sec = rest[section_at:].nonzero()[0] + section_at
        if not _section_is_hard(nw, is_long, section_at):
            # Not under an article: only what scores below the threshold goes.
            sec = sec[p2a[sec] < thr]
        after = f"comment section (after {page.contents[active[section_at]][:40]!r})"
        for i in sec.tolist():
            removed[i] = (
                "comments",
                "comment section (opens it: widget or heading)" if i == section_at else after,
            )
        rest[sec] = False
    if model is not None and model_counts is not None:
        mc = model_counts[ix]
        by_model = rest & page.has_key[ix] & (mc >= model.min_documents)
        for i in by_model.nonzero()[0].tolist():
            removed[i] = (
                "repeated",
                f"repeats across {model.count(page.keys[active[i]])} of {model.documents} pages",
            )
            rest[i] = False
    hard = own.hard[ix]
    by_phrase = (rest & hard).nonzero()[0]
    if len(by_phrase):
        hit_where = own.hit_where
        removed.update(
            (i, (k, _hard_reason(k, hit_where[g])))
            for i, g in zip(by_phrase.tolist(), active[by_phrase].tolist(), strict=True)
            if (k := kind_all[g]) is not None
        )
    rest &= ~hard
    # Repeats of an earlier block (of those still undecided) with >= 3 words.
    keyed = (rest & page.has_key[ix]).nonzero()[0]
    if len(keyed):
        dup = ~_first_occurrences(page.key_ids[ix][keyed])
        rep = keyed[dup & (nw[keyed] >= 3)]
        for i in rep.tolist():
            removed[i] = ("repeated", "repeats an earlier block of this document")
        rest[rep] = False
    for i in (rest & (nw == 0) & (page.clen[ix] <= 3)).nonzero()[0].tolist():
        removed[i] = ("navigation", "no words (separator or symbol line)")
        rest[i] = False
    if (
        first_text < n
        and rest[first_text]
        and (headline[first_text] or nw[first_text] == 1)
        and _TITLE_SUFFIX_RE.search(page.contents[active[first_text]]) is None
    ):
        kept_code[first_text] = _KEPT_TITLE
        rest[first_text] = False
    lead = rest & (idx >= first_long - 3) & (idx < first_long) & no_kind & (nw >= 4)
    lead &= page.lead_end[ix]
    kept_code[lead] = _KEPT_LEAD
    rest &= ~lead
    low = rest & (p2a < thr)
    low_at = low.nonzero()[0]
    low_kinds = _INFERRED_KINDS[:0]
    if len(low_at):
        # the phrase kind, else related links after the last long block (headline-like),
        # else navigation; the reasons are written by strip_boilerplate
        g = active[low_at]
        low_kinds = own.kind_array[g]
        no_phrase = ~own.hit[g]
        if no_phrase.any():
            tail_like = headline[low_at] & (low_at > last_long)
            if last_long < 0:
                tail_like[:] = False
            low_kinds[no_phrase] = _INFERRED_KINDS[tail_like[no_phrase].astype(np.intp)]
        keep[low_at] = False
    kept_code[rest & ~low] = _KEPT_SCORE
    if removed:
        keep[list(removed)] = False
    _related_tail(page, active, keep, removed, last_long)
    return _Pass(
        keep=keep,
        scores=p2a,
        kept_code=kept_code,
        removed=removed,
        low=low_at,
        low_kinds=low_kinds,
    )


_HIT_TEXT = {
    "line": "whole line matches a phrase",
    "start": "starts with a phrase",
    "contains": "contains a phrase",
    "section": "after the comment-section marker",
}


def _round4(values: np.ndarray) -> list[float]:
    """``[round(v, 4) for v in values]`` for values in [0, 1]: ``round`` gives the double
    nearest the correctly rounded 4-decimal number ``k / 10**4``; ``k`` is ``rint(v * 1e4)``
    (whose error is far below 1e-9) unless ``v * 1e4`` is within 1e-6 of a tie, where
    ``round`` itself decides."""
    t = np.asarray(values, dtype=np.float64) * 1e4
    k = np.rint(t)
    out: list[float] = (k / 1e4).tolist()
    for i in (np.abs(t - np.floor(t) - 0.5) < 1e-6).nonzero()[0].tolist():
        out[i] = round(float(values[i]), 4)
    return out


def _format_lines(prefix: str, threshold: float, values: np.ndarray) -> list[str]:
    """``[prefix % v + f"{threshold:.2f}" for v in values]`` for a ``prefix`` with one
    ``%.2f`` and values in [0, 1]. ``"%.2f"`` prints the correctly rounded ``k / 100``;
    ``k`` is ``rint(v * 100)`` unless ``v * 100`` is within 1e-6 of a tie, formatted one
    by one."""
    lines = _score_lines(prefix, f"{threshold:.2f}")
    t = np.asarray(values, dtype=np.float64) * 100.0
    text = list(map(lines.__getitem__, np.rint(t).astype(np.int64).tolist()))
    for i in (np.abs(t - np.floor(t) - 0.5) < 1e-6).nonzero()[0].tolist():
        text[i] = prefix % float(values[i]) + f"{threshold:.2f}"
    return text


@cache
def _score_lines(prefix: str, suffix: str) -> tuple[str, ...]:
    """``prefix % (k / 100) + suffix`` for k from 0 to 100."""
    return tuple(prefix % (k / 100) + suffix for k in range(101))


def _section_is_hard(nw: np.ndarray, is_long: np.ndarray, section_at: int) -> bool:
    """Whether everything after the comment-section marker goes: the long paragraphs
    before it (an article) outweigh those after it. Otherwise (a question and its
    answers, a short post under a long thread) only low-scoring blocks go."""
    long_words = np.where(is_long, nw, 0)
    return bool(long_words[:section_at].sum() >= long_words[section_at:].sum())


# A separator and at most four words at the end: `` | Site Name``, `` - Site``.
_TITLE_SUFFIX_RE = regex.compile(r"\s[|–—»·•-]\s+\S+(?:\s+\S+){0,3}\s*\Z|\s\|\s")


def _hit_text(where: str) -> str:
    return _HIT_TEXT[where]


@cache
def _hard_reason(kind: str, where: str) -> str:
    """The reason of a block removed outright for a phrase hit of ``kind``."""
    return f"{_KIND_REASON[kind]} ({_hit_text(where)})"


def _trailing_headlines(page: _Page, active: np.ndarray, own: _Own, last_long: int) -> list[int]:
    """Indices (into ``active``) of a trailing run (>= 2) of headline-like lines after the
    last long block; lines that phrase data marks as navigation, legal or calls to action
    may interleave."""
    run: list[int] = []
    if last_long < 0:
        return run
    contents, kind, headline = page.contents, own.kind, page.headline_list
    after = active[last_long + 1 :].tolist()
    for j in range(len(after) - 1, -1, -1):
        g = after[j]
        if not contents[g] or kind[g] in ("navigation", "legal", "call_to_action"):
            continue
        if not headline[g]:
            break
        run.append(last_long + 1 + j)
    return run if len(run) >= 2 else []


def _related_tail(
    page: _Page,
    active: np.ndarray,
    keep: np.ndarray,
    removed: dict[int, tuple[str, str]],
    last_long: int,
) -> None:
    """A trailing run of >= 2 headline-like lines after the last long paragraph."""
    run: list[int] = []
    # Only when something long precedes: a short page of headlines is not a tail.
    if last_long < 0:
        return
    contents, headline = page.contents, page.headline_list
    after = active[last_long + 1 :].tolist()
    kept = keep[last_long + 1 :].tolist()
    for j in range(len(after) - 1, -1, -1):
        g = after[j]
        if not kept[j] or not contents[g]:
            continue
        if not headline[g]:
            break
        run.append(last_long + 1 + j)
    if len(run) >= 2:
        for i in run:
            keep[i] = False
            removed[i] = ("related_links", _RELATED_TAIL_REASON)


def strip_boilerplate(
    text: str,
    *,
    model: BoilerplateModel | None = None,
    threshold: float | None = None,
    language: str | None = None,
) -> StripResult:
    """Split ``text`` into blocks and remove the boilerplate ones.

    ``model``: lines learned across a site's pages (:func:`learn_boilerplate`), removed as
    ``repeated``. ``threshold``: content-score cut-off of the block classifier (default
    from the shipped model; lower keeps more). ``language``: force the phrase language
    (default: detected from stop words; English phrases always apply).

    Returns a :class:`StripResult`; its ``blocks`` partition ``text``.
    """
    page = _page(text)
    n = page.n
    forced = language
    keep_arr = np.ones(n, dtype=bool)
    scores = np.ones(n, dtype=np.float64)
    kinds = ["content"] * n
    messages = [""] * n
    by_score_removed = np.zeros(n, dtype=bool)
    kept_code = np.zeros(n, dtype=np.int8)
    model_counts = None
    if model is not None:
        model_counts = np.fromiter(
            (model.count(k) if k else 0 for k in page.keys), dtype=np.int64, count=n
        )
    active = np.arange(n)
    for _ in range(_MAX_PASSES):
        if len(active) == 0:
            break
        # Each pass sees exactly what strip_boilerplate(kept_text) would see: the kept
        # blocks, re-paragraphed, with the language detected from them.
        if forced is None:
            language = _page_language(page, active)
        own = _own_rows(page, language)
        result = _classify(page, active, own, model, model_counts, threshold)
        scores[active] = result.scores
        kept_code[active] = result.kept_code
        if not result.removed and not len(result.low):
            break
        if result.removed:
            at = active[np.fromiter(result.removed, dtype=np.int64, count=len(result.removed))]
            keep_arr[at] = False
            for g, (kind, message) in zip(at.tolist(), result.removed.values(), strict=True):
                kinds[g] = kind
                messages[g] = message
        at = active[result.low]
        keep_arr[at] = False
        _put(kinds, at, result.low_kinds.tolist())
        by_score_removed[at] = True
        active = active[result.keep]
    thr = _classifier()["threshold"] if threshold is None else threshold
    starts, ends = page.starts, page.ends
    kept_text = "".join([text[starts[i] : ends[i]] for i in keep_arr.nonzero()[0].tolist()])
    # The blocks (with their reasons) are made when first asked for: a caller that wants
    # only the text does not pay for them (see results.deferred).
    later = partial(
        _block_results,
        starts,
        ends,
        page.line_numbers,
        kinds,
        messages,
        scores,
        by_score_removed,
        keep_arr,
        kept_code,
        thr,
    )
    return deferred(StripResult, {"text": kept_text, "language": language}, later)


def _block_results(
    starts: list[int],
    ends: list[int],
    lines: list[int],
    kinds: list[str],
    messages: list[str],
    scores: np.ndarray,
    by_score_removed: np.ndarray,
    keep_arr: np.ndarray,
    kept_code: np.ndarray,
    thr: float,
) -> dict[str, Any]:
    """The ``blocks`` and ``removed`` of a :class:`StripResult`: the reasons of the blocks
    kept or removed by score (``messages`` holds those of the others) and the blocks."""
    n = len(starts)
    low = by_score_removed.nonzero()[0]
    if len(low):  # their scores are those of the pass that removed them
        texts = _format_lines("block classifier: content score %.2f < ", thr, scores[low])
        _put(messages, low, texts)
    kept_at = keep_arr.nonzero()[0]
    codes = kept_code[kept_at]
    by_score = kept_at[codes == _KEPT_SCORE]
    if len(by_score):
        texts = _format_lines("block classifier: content score %.2f >= ", thr, scores[by_score])
        _put(messages, by_score, texts)
    for i, code in zip(
        kept_at[codes != _KEPT_SCORE].tolist(), codes[codes != _KEPT_SCORE].tolist(), strict=True
    ):
        messages[i] = _KEPT_REASON[code]
    labels = ["boilerplate"] * n
    _put(labels, kept_at, repeat("content"))
    blocks = _text_blocks(starts, ends, lines, kinds, messages, labels, _round4(scores))
    return {
        "blocks": tuple(blocks),
        "removed": tuple(compress(blocks, (~keep_arr).tolist())),
    }


_KEPT_REASON = {
    _KEPT_BLANK: "leading blank lines",
    _KEPT_TITLE: "title (first line, headline-like)",
    _KEPT_LEAD: "lead sentence just before the first paragraph",
}


def _put(target: list[Any], at: np.ndarray, values: Iterable[Any]) -> None:
    """``target[i] = v`` for the indices ``at`` and ``values`` in step."""
    deque(map(target.__setitem__, at.tolist(), values), maxlen=0)


_TEXT_BLOCK_FIELDS = (
    "start",
    "end",
    "line",
    "column",
    "kind",
    "severity",
    "message",
    "label",
    "score",
)


@cache
def _text_block_fields_match() -> bool:
    return tuple(f.name for f in fields(TextBlock)) == _TEXT_BLOCK_FIELDS


def _text_blocks(
    starts: list[int],
    ends: list[int],
    lines: list[int],
    kinds: list[str],
    messages: list[str],
    labels: list[str],
    scores: list[float],
) -> list[TextBlock]:
    """The TextBlocks (column 1, severity info) of a result. Many per call: they are
    filled through their slots when TextBlock has exactly these fields (the dataclass
    __init__ of a frozen class costs three times as much), else constructed."""
    if not _text_block_fields_match():
        return [
            TextBlock(
                start=s,
                end=e,
                line=ln,
                column=1,
                kind=k,
                severity="info",
                message=m,
                label=lab,
                score=sc,
            )
            for s, e, ln, k, m, lab, sc in zip(
                starts, ends, lines, kinds, messages, labels, scores, strict=True
            )
        ]
    cls = TextBlock
    out = list(map(object.__new__, repeat(cls, len(starts))))
    columns: tuple[Iterable[Any], ...] = (
        starts,
        ends,
        lines,
        repeat(1),
        kinds,
        repeat("info"),
        messages,
        labels,
        scores,
    )
    for name, values in zip(_TEXT_BLOCK_FIELDS, columns, strict=True):
        deque(map(getattr(cls, name).__set__, out, values), maxlen=0)  # set all, keep none
    return out


def _resegment(
    text: str, spans: Sequence[tuple[int, int, int, int]]
) -> list[tuple[int, int, int, int]]:
    """Paragraph ids as the concatenation of ``spans`` would get them: a new paragraph
    starts after a block that ends in a blank line."""
    out = []
    para = 0
    prev_blank = False
    for k, (s, e, ce, _p) in enumerate(spans):
        if k > 0 and prev_blank:
            para += 1
        out.append((s, e, ce, -1 if _p == -1 else para))
        prev_blank = _has_blank(text, ce, e)
    return out


def _has_blank(text: str, content_end: int, end: int) -> bool:
    """Whether the block's tail (after its content line) holds a blank line."""
    return len(_BREAK_RE.findall(text, content_end, end)) >= 2
