"""The shared text model every detector uses.

- Offsets: every position is a character (code point) offset into the caller's
  original string; :class:`LineIndex` maps offsets to 1-based line/column and back.
- Segmentation: words, sentences, lines and paragraphs as ``(start, end)`` offset pairs.
- Normalization: NFKC, case folding, removal of default-ignorable characters,
  punctuation and whitespace unification, and the UTS #39 skeleton.

This module imports only :mod:`textforensics.tables` (and, when first needed,
:mod:`textforensics.results` and ``regex``), never a detector.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from .tables import prototype_translation

if TYPE_CHECKING:
    import regex

    from .results import Span

    WORD_RE: regex.Pattern[str]
    TOKEN_RE: regex.Pattern[str]
    SENTENCE_END_RE: regex.Pattern[str]

__all__ = [
    "LINE_BREAK_RE",
    "PUNCTUATION_MAP",
    "SENTENCE_END_RE",
    "TOKEN_RE",
    "WORD_RE",
    "LineIndex",
    "casefold",
    "fold_non_ascii_confusables",
    "iter_lines",
    "iter_paragraphs",
    "iter_sentences",
    "iter_words",
    "line_bounds",
    "matching_form",
    "nfkc",
    "remove_default_ignorables",
    "replace_lone_surrogates",
    "require_str",
    "skeleton",
    "tokens",
    "unify_punctuation",
]

LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
"""Line terminators, as editors and SARIF count lines: CRLF, CR and LF."""

# The patterns below need the ``regex`` module (Unicode properties, possessive runs). Its
# import is a large part of a one-shot command's start-up, and a command that meets only
# ASCII text need not pay for it: each is compiled when first used, read as a module
# attribute (``text.WORD_RE``) or through :func:`_pattern` inside this module.
_PATTERNS = {
    # A word for detection purposes: letters, marks, digits and connectors, with any
    # default-ignorable characters (zero-width space, joiners, soft hyphen, bidi controls,
    # variation selectors, tags) kept inside, so that hidden characters never split a word.
    "WORD_RE": r"[\p{L}\p{M}\p{N}\p{Pc}\p{Default_Ignorable_Code_Point}]+",
    # A token of :func:`tokens`: a run of word characters (regex ``\w``).
    "TOKEN_RE": r"\w+",
    # The end of a sentence: terminal punctuation with any closing quotes or brackets,
    # followed by whitespace or the end of the text (CJK full stops need no space); or a
    # line break. Possessive runs, tried only where a run of terminal punctuation begins: a
    # long run of dots not followed by whitespace fails once, in linear time, instead of
    # once per dot with backtracking (quadratic).
    "SENTENCE_END_RE": (
        r"""(?<![.!?…‽])[.!?…‽]++["'”’»)\]]*+(?=\s|$)"""  # Latin-style terminal punctuation
        r"""|[。！？]+[」』”’)]*|\r\n|\r|\n"""
    ),
    "_DEFAULT_IGNORABLE_RE": r"\p{Default_Ignorable_Code_Point}+",
    # Unicode White_Space (``re``'s ``\s`` would also match the separators U+001C-U+001F).
    "_WHITESPACE_RE": r"\s+",
}


@cache
def _pattern(name: str) -> regex.Pattern[str]:
    """The compiled pattern ``name`` of :data:`_PATTERNS` (compiled once; two threads may
    both compile it the first time, to equal patterns)."""
    import regex

    return regex.compile(_PATTERNS[name])


def __getattr__(name: str) -> Any:
    if name in _PATTERNS and not name.startswith("_"):
        return _pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class LineIndex:
    """Maps character offsets of one string to 1-based (line, column) and back.

    Lines are separated by CRLF, CR or LF. Columns count code points from 1.
    Building the index is linear; each lookup is a binary search.
    """

    __slots__ = ("_ends", "_length", "_starts")

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._starts = [0]
        self._ends: list[int] = []
        for m in LINE_BREAK_RE.finditer(text):
            self._ends.append(m.start())
            self._starts.append(m.end())
        self._ends.append(self._length)

    @property
    def line_count(self) -> int:
        """Number of lines (a text ending in a line break has an empty last line)."""
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset`` (0 <= offset <= len(text))."""
        if not 0 <= offset <= self._length:
            raise ValueError(f"offset {offset} outside 0..{self._length}")
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of :meth:`position`."""
        if not 1 <= line <= len(self._starts):
            raise ValueError(f"line {line} outside 1..{len(self._starts)}")
        result = self._starts[line - 1] + column - 1
        if not 0 <= result <= self._length:
            raise ValueError(f"column {column} outside line {line}")
        return result

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def line_bounds(self, offset: int) -> tuple[int, int]:
        """Start and end (before its line break) of the line containing ``offset``."""
        line = self.position(offset)[0] - 1
        return self._starts[line], self._ends[line]

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` for ``text[start:end]`` with its line/column positions."""
        if not 0 <= start <= end <= self._length:
            raise ValueError(f"span {start}..{end} outside 0..{self._length}")
        from .results import Span  # lazy: the results' dataclasses, for callers that want one

        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end - 1))
        return Span(
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
        )


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """Start and end (before its line break) of the line of ``text`` containing ``offset``,
    without building a :class:`LineIndex` (time proportional to that line's length; for
    many lookups in one text, build the index once and call :meth:`LineIndex.line_bounds`).
    A CRLF is one line break; an offset between its CR and LF belongs to the line the CR ends.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside 0..{len(text)}")
    after_lf = text.rfind("\n", 0, offset) + 1
    start = max(after_lf, text.rfind("\r", after_lf, offset) + 1)
    lf = text.find("\n", offset)
    lf = len(text) if lf < 0 else lf
    cr = text.find("\r", offset, lf)
    end = lf if cr < 0 else cr
    if (
        start == offset
        and offset > 0
        and text[offset - 1] == "\r"
        and offset < len(text)
        and text[offset] == "\n"
    ):
        # Between the CR and LF of one CRLF: the line the CR ends.
        return line_bounds(text, offset - 1)
    return start, end


def require_str(value: object, name: str = "text") -> str:
    """``value`` itself when it is a ``str``; else the ``TypeError`` every public function
    raises at the door, naming the argument (a list or bytes would otherwise fail deep
    inside with an unrelated error)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


# --- segmentation ---------------------------------------------------------------------


def iter_words(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of the words of ``text`` (see :data:`WORD_RE`)."""
    for m in _pattern("WORD_RE").finditer(text):
        yield m.span()


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of every line's content, without its terminator (empty lines included)."""
    start = 0
    for m in LINE_BREAK_RE.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def iter_paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of paragraphs: runs of non-blank lines, trimmed of surrounding whitespace."""
    para_start: int | None = None
    para_end = 0
    for start, end in iter_lines(text):
        if text[start:end].strip():
            if para_start is None:
                para_start = start
            para_end = end
        elif para_start is not None:
            yield _trimmed(text, para_start, para_end)
            para_start = None
    if para_start is not None:
        yield _trimmed(text, para_start, para_end)


def iter_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of sentences, trimmed of whitespace; empty ones are skipped.

    A sentence ends at terminal punctuation (with closing quotes) followed by whitespace,
    or at a line break, so that one-sentence-per-line and paragraph layouts both work.
    """
    start = 0
    for m in _pattern("SENTENCE_END_RE").finditer(text):
        s, e = _trimmed(text, start, m.end())
        if s < e:
            yield s, e
        start = m.end()
    s, e = _trimmed(text, start, len(text))
    if s < e:
        yield s, e


def tokens(text: str) -> list[str]:
    """Word tokens (``\\w+``) of an already normalized text."""
    found: list[str] = _pattern("TOKEN_RE").findall(text)
    return found


# --- normalization --------------------------------------------------------------------


def nfkc(text: str) -> str:
    """Unicode NFKC (compatibility composition): fullwidth, math letters, ligatures."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def casefold(text: str) -> str:
    """Full Unicode case folding."""
    return text.casefold()


def remove_default_ignorables(text: str) -> str:
    """Drop default-ignorable code points (zero-width characters, bidi controls, tags...)."""
    if text.isascii():
        return text
    if len(text) <= _SHORT_TEXT:
        # A word's skeleton (the detector's per-finding step) without importing ``regex``:
        # a dictionary lookup per character, slower than the pattern on long texts.
        return text.translate(_ignorable_deletions())
    result: str = _pattern("_DEFAULT_IGNORABLE_RE").sub("", text)
    return result


_SHORT_TEXT = 256


@cache
def _ignorable_deletions() -> dict[int, None]:
    """Every Default_Ignorable_Code_Point mapped to None (a ``str.translate`` table that
    deletes them). Read from the detector's per-code-point tables, which a short text's
    skeleton is taken for and which hold the property already loaded; the JSON of the
    property ranges costs more to parse than the table takes to search."""
    from .homoglyphs.data import tables  # lazy: the tables import this module

    ignorable = tables().ignorable
    deletions: dict[int, None] = {}
    start = ignorable.find(1)
    while start >= 0:
        stop = ignorable.find(0, start)
        stop = len(ignorable) if stop < 0 else stop
        deletions.update(dict.fromkeys(range(start, stop)))
        start = ignorable.find(1, stop)
    return deletions


PUNCTUATION_MAP = {
    ord(c): r
    for chars, r in (
        ("‘’‚‛′‵`´ʼ＇", "'"),
        ("“”„‟″‶«»＂", '"'),
        ("‐‑‒–—―⁃−﹘﹣－", "-"),
        ("…", "..."),
    )
    for c in chars
}
"""What :func:`unify_punctuation` maps (a ``str.translate`` table): curly and other
quotes to ASCII quotes, dashes to ``-``, the ellipsis to ``...``."""


def unify_punctuation(text: str) -> str:
    """Curly quotes to straight, dashes to '-', '…' to '...', whitespace runs to one space."""
    if not text.isascii() or "`" in text:  # the backtick is the map's one ASCII key
        text = text.translate(PUNCTUATION_MAP)
    result: str = _pattern("_WHITESPACE_RE").sub(" ", text)
    return result.strip()


def skeleton(text: str) -> str:
    """The UTS #39 internal skeleton: NFD, drop default-ignorables, map every character to
    its confusable prototype, NFD again. Two strings are confusable when their skeletons
    are equal. ``skeleton(skeleton(x)) == skeleton(x)``.
    """
    text = unicodedata.normalize("NFD", require_str(text))
    text = remove_default_ignorables(text)
    text = text.translate(prototype_translation())
    return unicodedata.normalize("NFD", text)


def matching_form(text: str) -> str:
    """The normalized form used to compare texts for reuse: NFKC, hidden characters
    removed, case folded, punctuation and whitespace unified, non-ASCII look-alikes mapped
    to their prototypes (so a Cyrillic 'е' matches a Latin 'e'), then NFC.

    ``matching_form(matching_form(x)) == matching_form(x)``.
    """
    require_str(text)
    text = unify_punctuation(remove_default_ignorables(nfkc(text)).casefold())
    if not text.isascii():
        text = fold_non_ascii_confusables(text)
        text = _pattern("_WHITESPACE_RE").sub(" ", text).strip()
    return text


def _fold_step(text: str) -> str:
    text = unify_punctuation(remove_default_ignorables(nfkc(text)).casefold())
    text = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", text.translate(_raw_fold_map()))


@cache
def _raw_fold_map() -> dict[int, str]:
    # Only non-ASCII characters are mapped: ASCII text is left as written, so ordinary
    # words ('m', 'l', '0') keep their identity while disguised ones collapse onto them.
    return {cp: v for cp, v in prototype_translation().items() if cp >= 0x80}


@cache
def _non_ascii_fold_map() -> dict[int, str]:
    # Close the map under the whole pipeline so that folding is idempotent: a prototype
    # that itself changes under NFKC, case folding or folding is followed to its fixed point.
    table: dict[int, str] = {}
    for code, value in _raw_fold_map().items():
        for _ in range(8):
            nxt = _fold_step(value)
            if nxt == value:
                break
            value = nxt
        if not value and _raw_fold_map()[code].isspace():
            # A space-like prototype (U+2028, U+1680, ...) stays a word break: the pipeline
            # trims whitespace, which must not glue the words on either side together.
            value = " "
        table[code] = unicodedata.normalize("NFD", value)
    return table


def fold_non_ascii_confusables(text: str) -> str:
    """``text`` with each non-ASCII look-alike mapped to its prototype (the step of
    :func:`matching_form` that makes a Cyrillic 'е' a Latin 'e'), in NFC."""
    text = unicodedata.normalize("NFD", text).translate(_non_ascii_fold_map())
    return unicodedata.normalize("NFC", text)


def replace_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (which UTF-8 cannot encode, as from
    ``surrogateescape`` decoding) replaced by ``?``; the same string object when there
    is none."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text
