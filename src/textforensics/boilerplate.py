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
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import regex

from .results import StripResult, TextBlock
from .text import _PUNCTUATION_MAP, LineIndex, casefold, iter_lines, tokens, unify_punctuation

__all__ = [
    "KINDS",
    "LANGUAGES",
    "BoilerplateModel",
    "learn_boilerplate",
    "strip_boilerplate",
]

KINDS: tuple[str, ...] = (
    "comments",
    "disclaimer",
    "call_to_action",
    "credit",
    "related_links",
    "navigation",
    "legal",
    "repeated",
)
"""The stable kind strings of removed blocks."""

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
    by_word = ph.contains_by_word
    for w in dict.fromkeys(b.words):
        if w in by_word:
            for phrase, kind in by_word[w]:
                if _find_bounded(b.key, phrase):
                    b.kind, b.hit_where = kind, "contains"
                    return


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
    separators = bool(_SEPARATOR_CHARS.intersection(sample)) and bool(
        _SEPARATOR_RE.search(sample)
    )
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


def _features(blocks: list[_Block], own: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """Stage-1 rows (own features, then context features) of the current block list, and
    the comment-section start. ``own``: the blocks' own features as a matrix (built from
    ``b.own`` when not given)."""
    n = len(blocks)
    x = np.empty((n, _N_1), dtype=np.float64)
    if n == 0:
        return x, 0
    x[:, :_N_OWN] = np.array([b.own for b in blocks], dtype=np.float64) if own is None else own
    # Paragraph size features: math.log1p per paragraph, then spread to its blocks.
    para_lines: dict[int, int] = {}
    para_words: dict[int, int] = {}
    for b in blocks:
        para_lines[b.para] = para_lines.get(b.para, 0) + 1
        para_words[b.para] = para_words.get(b.para, 0) + len(b.words)
    log_lines = {k: math.log1p(v) for k, v in para_lines.items()}
    log_wpl = {k: math.log1p(para_words[k] / v) for k, v in para_lines.items()}
    x[:, _N_OWN] = [log_lines[b.para] for b in blocks]
    x[:, _N_OWN + 1] = [log_wpl[b.para] for b in blocks]
    long_idx = [i for i, b in enumerate(blocks) if b.is_long]
    first_long = long_idx[0] if long_idx else n
    last_long = long_idx[-1] if long_idx else -1
    idx = np.arange(n)
    x[:, _N_OWN + 2] = idx < first_long
    x[:, _N_OWN + 3] = idx > last_long
    seen: Counter[str] = Counter()
    total: Counter[str] = Counter(b.key for b in blocks if b.words)
    later = np.zeros(n, dtype=np.float64)
    first_of_many = np.zeros(n, dtype=np.float64)
    for i, b in enumerate(blocks):
        if b.words:
            c = seen[b.key] + 1
            seen[b.key] = c
            if c > 1:
                later[i] = 1.0
            elif total[b.key] > 1:
                first_of_many[i] = 1.0
    x[:, _N_OWN + 4] = later
    x[:, _N_OWN + 5] = first_of_many
    section_at = n
    for i in range(first_long + 1, n):
        if blocks[i].section_marker:
            section_at = i
            break
    x[:, _N_OWN + 6] = idx >= section_at
    return x, section_at


@cache
def _stage_arrays(stage_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    stage = _classifier()[stage_name]
    return (
        np.asarray(stage["mean"], dtype=np.float64),
        np.asarray(stage["scale"], dtype=np.float64),
        np.asarray(stage["weights"], dtype=np.float64),
    )


def _scores(
    rows: np.ndarray | Sequence[Sequence[float]], stage: Mapping[str, Any] | str
) -> np.ndarray:
    """Logistic-regression content probabilities for feature rows; ``stage`` is the
    stage's weights or the name of a stage of the shipped model."""
    x = np.asarray(rows, dtype=np.float64)
    if x.shape[0] == 0:
        return np.zeros(0, dtype=np.float64)
    if isinstance(stage, str):
        mean, scale, w = _stage_arrays(stage)
    else:
        mean = np.asarray(stage["mean"])
        scale = np.asarray(stage["scale"])
        w = np.asarray(stage["weights"], dtype=np.float64)
    z = ((x - mean) / scale) @ w
    z = np.clip(z, -50.0, 50.0)
    p: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return p


def _context_features(blocks: list[_Block], x1: np.ndarray, p1: np.ndarray) -> np.ndarray:
    """Stage-2 rows: the stage-1 rows ``x1`` plus stage-1 scores ``p1`` of the block's
    neighbourhood. Missing neighbours (at the ends) take the block's own score, so that
    the ends of a text are not eroded pass after pass."""
    n = len(blocks)
    x = np.empty((n, _N_1 + len(FEATURES_2_EXTRA)), dtype=np.float64)
    if n == 0:
        return x
    p1 = np.asarray(p1, dtype=np.float64)
    x[:, :_N_1] = x1
    x[:, _N_1] = p1
    x[0, _N_1 + 1] = p1[0]
    x[1:, _N_1 + 1] = p1[:-1]
    x[:-1, _N_1 + 2] = p1[1:]
    x[n - 1, _N_1 + 2] = p1[n - 1]
    # Window means from prefix sums (sequential, as a running Python sum would give).
    pp = np.zeros(n + 1, dtype=np.float64)
    np.cumsum(p1, out=pp[1:])
    idx = np.arange(n)
    for col, r in ((_N_1 + 3, 2), (_N_1 + 4, 5)):
        lo = np.maximum(idx - r, 0)
        hi = np.minimum(idx + r + 1, n)
        x[:, col] = (pp[hi] - pp[lo]) / (hi - lo)
    paras = np.fromiter((b.para for b in blocks), dtype=np.int64, count=n)
    _u, inv, counts = np.unique(paras, return_inverse=True, return_counts=True)
    inv = inv.reshape(-1)
    sums = np.bincount(inv, weights=p1)
    x[:, _N_1 + 5] = (sums / counts)[inv]
    _span_features(blocks, p1, x, _N_1 + 6)
    return x


def _span_features(blocks: list[_Block], p1: np.ndarray, x: np.ndarray, col: int) -> None:
    """Fill columns ``col``.. of ``x``: where the block lies relative to the page's main
    span, the run of blocks with the largest word-weighted stage-1 content evidence
    (maximum-sum subarray of ``(p1 - 0.5) * (words + 1)``): inside it, log words between
    it and the block, relative position on the page, and the mean score of the 21-block
    window around the block."""
    n = len(blocks)
    words = np.fromiter((len(b.words) for b in blocks), dtype=np.float64, count=n)
    gain = (p1 - 0.5) * (words + 1.0)
    c = np.zeros(n + 1, dtype=np.float64)
    np.cumsum(gain, out=c[1:])
    low = np.minimum.accumulate(c[:-1])  # low[j - 1]: min of c[0..j-1]
    end = int(np.argmax(c[1:] - low)) + 1  # the span is blocks [start, end)
    start = int(np.argmin(c[:end]))
    idx = np.arange(n)
    inside = (idx >= start) & (idx < end)
    x[:, col] = inside
    cw = np.zeros(n + 1, dtype=np.float64)
    np.cumsum(words, out=cw[1:])
    gap = np.zeros(n, dtype=np.float64)
    before = idx < start
    gap[before] = cw[start] - cw[idx[before] + 1]
    after = idx >= end
    gap[after] = cw[idx[after]] - cw[end]
    x[:, col + 1] = np.log1p(gap)
    x[:, col + 2] = idx / max(n - 1, 1)
    pp = np.zeros(n + 1, dtype=np.float64)
    np.cumsum(p1, out=pp[1:])
    lo = np.maximum(idx - 10, 0)
    hi = np.minimum(idx + 11, n)
    x[:, col + 3] = (pp[hi] - pp[lo]) / (hi - lo)
    long_words = sum(len(b.words) for b in blocks if b.is_long)
    share = long_words / max(float(words.sum()), 1.0)
    x[:, col + 4] = share
    x[:, col + 5] = (words <= 7) * share
    x[:, col + 6] = inside * share
    for k, centre in ((7, 0.3), (8, 0.7)):
        g = (p1 - centre) * (words + 1.0)
        cc = np.zeros(n + 1, dtype=np.float64)
        np.cumsum(g, out=cc[1:])
        lw = np.minimum.accumulate(cc[:-1])
        e = int(np.argmax(cc[1:] - lw)) + 1
        st = int(np.argmin(cc[:e]))
        x[:, col + k] = (idx >= st) & (idx < e)


_WS_NOT_NL_RE = regex.compile(r"[^\S\n]+")
_PUNCTUATION_CHARS_RE = regex.compile(
    "[" + "".join(regex.escape(chr(c)) for c in sorted(_PUNCTUATION_MAP)) + "]"
)


def _unify_match(m: Any) -> str:
    return _PUNCTUATION_MAP[ord(m.group())]


def _line_keys(lines: Sequence[str]) -> list[str]:
    """``[_line_key(x).strip() for x in lines]``, normalizing all lines in one go: they
    are joined with line feeds, which no step of the normalization crosses or creates
    (case folding and the punctuation map are per character; whitespace runs other than
    the line feed become one space; digit runs become ``0``)."""
    joined = "\n".join(x[:_MAX_FEATURE_CHARS] for x in lines)
    if joined.count("\n") != len(lines) - 1:  # a line holds a line feed itself
        return [_line_key(x).strip() for x in lines]
    joined = casefold(joined)
    if not joined.isascii():
        # str.translate(_PUNCTUATION_MAP), but visiting only the characters it maps
        joined = _PUNCTUATION_CHARS_RE.sub(_unify_match, joined)
    joined = _DIGITS_RE.sub("0", _WS_NOT_NL_RE.sub(" ", joined))
    return [x.strip() for x in joined.split("\n")]


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


def _classify(
    blocks: list[_Block],
    own: np.ndarray | None,
    model: BoilerplateModel | None,
    threshold: float | None,
    language: str | None,
) -> tuple[list[bool], list[float], list[str], list[str]]:
    """One pass: (keep, score, kind, reason) per block."""
    clf = _classifier()
    thr = clf["threshold"] if threshold is None else threshold
    x1, section_at = _features(blocks, own)
    # After a comment-section marker: everything goes, or only what scores below thr.
    hard = section_at < len(blocks) and _section_is_hard(blocks, section_at)
    sec_thr = 1.0 if hard else thr
    p1 = _scores(x1, "stage1")
    x2 = _context_features(blocks, x1, p1)
    p2: list[float] = _scores(x2, "stage2").tolist()
    if "stage3" in clf:  # one more round of context, on the stage-2 scores
        p2 = _scores(_context_features(blocks, x1, np.asarray(p2)), "stage3").tolist()
    n = len(blocks)
    keep = [True] * n
    kinds = ["content"] * n
    reasons = [""] * n
    seen: set[str] = set()
    long_idx = [i for i, b in enumerate(blocks) if b.is_long]
    last_long = long_idx[-1] if long_idx else -1
    tail = _trailing_headlines(blocks, last_long)
    first_long = long_idx[0] if long_idx else n
    first_text = next((i for i, b in enumerate(blocks) if b.words and b.kind is None), n)
    for i, b in enumerate(blocks):
        nw = len(b.words)
        if not b.content:
            reasons[i] = "leading blank lines"
            continue
        if i in tail:
            keep[i], kinds[i] = False, "related_links"
            reasons[i] = "related links (trailing run of headline-like lines)"
            continue
        if i >= section_at and p2[i] < sec_thr:
            keep[i], kinds[i] = False, "comments"
            reasons[i] = (
                "comment section (opens it: widget or heading)"
                if i == section_at
                else f"comment section (after {blocks[section_at].content[:40]!r})"
            )
            continue
        if model is not None and b.key and model.count(b.key) >= model.min_documents:
            keep[i], kinds[i] = False, "repeated"
            reasons[i] = f"repeats across {model.count(b.key)} of {model.documents} pages"
            continue
        if b.kind is not None and nw <= _HARD_LIMITS[b.kind][b.hit_where]:
            keep[i], kinds[i] = False, b.kind
            reasons[i] = f"{_KIND_REASON[b.kind]} ({_hit_text(b.hit_where)})"
            continue
        if nw >= 3 and b.key in seen:
            keep[i], kinds[i] = False, "repeated"
            reasons[i] = "repeats an earlier block of this document"
            continue
        if b.key:
            seen.add(b.key)
        if nw == 0 and len(b.content) <= 3:
            keep[i], kinds[i] = False, "navigation"
            reasons[i] = "no words (separator or symbol line)"
            continue
        if i == first_text and b.kind is None and _title_like(b):
            reasons[i] = "title (first line, headline-like)"
            continue
        if (
            first_long - 3 <= i < first_long
            and b.kind is None
            and len(b.words) >= 4
            and b.content.endswith((".", "!", "”", '"'))
        ):
            reasons[i] = "lead sentence just before the first paragraph"
            continue
        if p2[i] < thr:
            keep[i] = False
            kinds[i] = _infer_kind(b, i, last_long)
            reasons[i] = f"block classifier: content score {p2[i]:.2f} < {thr:.2f}"
        else:
            reasons[i] = f"block classifier: content score {p2[i]:.2f} >= {thr:.2f}"
    _related_tail(blocks, keep, kinds, reasons, last_long)
    return keep, p2, kinds, reasons


def _section_is_hard(blocks: list[_Block], section_at: int) -> bool:
    """Whether everything after the comment-section marker goes: the long paragraphs
    before it (an article) outweigh those after it. Otherwise (a question and its
    answers, a short post under a long thread) only low-scoring blocks go."""
    before = sum(len(b.words) for b in blocks[:section_at] if b.is_long)
    after = sum(len(b.words) for b in blocks[section_at:] if b.is_long)
    return before >= after


def _title_like(b: _Block) -> bool:
    """A first line kept as the title: headline-like (or one word) and not a document
    title with a site-name suffix (``Headline | Site``, ``Headline - Site``)."""
    if not (b.headline or len(b.words) == 1):
        return False
    return _TITLE_SUFFIX_RE.search(b.content) is None


# A separator and at most four words at the end: `` | Site Name``, `` - Site``.
_TITLE_SUFFIX_RE = regex.compile(r"\s[|–—»·•-]\s+\S+(?:\s+\S+){0,3}\s*\Z|\s\|\s")


def _hit_text(where: str) -> str:
    return {
        "line": "whole line matches a phrase",
        "start": "starts with a phrase",
        "contains": "contains a phrase",
        "section": "after the comment-section marker",
    }[where]


def _trailing_headlines(blocks: list[_Block], last_long: int) -> set[int]:
    """Indices of a trailing run (>= 2) of headline-like lines after the last long block;
    lines that phrase data marks as navigation, legal or calls to action may interleave."""
    run: list[int] = []
    for i in range(len(blocks) - 1, last_long, -1):
        b = blocks[i]
        if not b.content or b.kind in ("navigation", "legal", "call_to_action"):
            continue
        if not b.headline:
            break
        run.append(i)
    return set(run) if len(run) >= 2 and last_long >= 0 else set()


def _related_tail(
    blocks: list[_Block], keep: list[bool], kinds: list[str], reasons: list[str], last_long: int
) -> None:
    """A trailing run of >= 2 headline-like lines after the last long paragraph."""
    kept = [i for i in range(len(blocks)) if keep[i] and blocks[i].content]
    run: list[int] = []
    for i in reversed(kept):
        if i <= last_long or not blocks[i].headline:
            break
        run.append(i)
    # Only when something long precedes: a short page of headlines is not a tail.
    if len(run) >= 2 and last_long >= 0:
        for i in run:
            keep[i], kinds[i] = False, "related_links"
            reasons[i] = "related links (trailing run of headline-like lines)"


def _infer_kind(b: _Block, i: int, last_long: int) -> str:
    if b.kind is not None:
        return b.kind
    if i > last_long >= 0 and b.headline:
        return "related_links"
    return "navigation"


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
    spans = _segment(text)
    all_blocks = _make_blocks(text, spans)
    forced = language
    final_keep = [True] * len(all_blocks)
    scores = [1.0] * len(all_blocks)
    kinds = ["content"] * len(all_blocks)
    reasons = [""] * len(all_blocks)
    active = list(range(len(all_blocks)))
    blank = [_has_blank(text, ce, e) for _s, e, ce, _p in spans]
    featured_for: str | bool | None = False  # language the own features were computed for
    for _ in range(_MAX_PASSES):
        if not active:
            break
        # Each pass sees exactly what strip_boilerplate(kept_text) would see: the kept
        # blocks, re-paragraphed, with the language detected from them.
        if forced is None:
            language = detect_language([w for i in active for w in all_blocks[i].words])
        if language != featured_for:
            ph = _phrases(language or "en")
            for b in all_blocks:
                b.kind, b.hit_where = None, ""
                _own_features(b, ph, language)
            own_all = np.array([b.own for b in all_blocks], dtype=np.float64)
            featured_for = language
        # Paragraph ids as _resegment(text, [spans[i] for i in active]) gives them.
        blocks = []
        para = 0
        prev_blank = False
        for n_seen, i in enumerate(active):
            if n_seen > 0 and prev_blank:
                para += 1
            b = all_blocks[i]
            b.para = -1 if spans[i][3] == -1 else para
            prev_blank = blank[i]
            blocks.append(b)
        keep, p, k, r = _classify(blocks, own_all[active], model, threshold, language)
        nxt = []
        for j, i in enumerate(active):
            scores[i] = p[j]
            if keep[j]:
                reasons[i] = r[j]
                nxt.append(i)
            else:
                final_keep[i] = False
                kinds[i] = k[j]
                reasons[i] = r[j]
        if len(nxt) == len(active):
            break
        active = nxt
    index = LineIndex(text)
    out: list[TextBlock] = []
    pieces: list[str] = []
    for i, (s, e, _ce, _para) in enumerate(spans):
        line, column = index.position(s)
        kept = final_keep[i]
        out.append(
            TextBlock(
                start=s,
                end=e,
                line=line,
                column=column,
                kind="content" if kept else kinds[i],
                severity="info",
                message=reasons[i],
                label="content" if kept else "boilerplate",
                score=round(scores[i], 4),
            )
        )
        if kept:
            pieces.append(text[s:e])
    blocks_t = tuple(out)
    return StripResult(
        text="".join(pieces),
        removed=tuple(b for b in blocks_t if b.label == "boilerplate"),
        blocks=blocks_t,
        language=language,
    )


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
