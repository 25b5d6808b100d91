"""The state of one :func:`~textforensics.homoglyphs.find_homoglyphs` call and the result
objects it builds. A :class:`Context` belongs to its call: nothing in it is shared between
threads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from ..results import (
    HomoglyphChar,
    HomoglyphFinding,
    Severity,
    field_names,
    raw_slot,
    set_pending,
)
from ..text import skeleton
from ..vocab import HOMOGLYPH_CODES
from .data import char_name, script

__all__ = [
    "Context",
    "describe",
    "make_char",
    "make_finding",
    "make_lazy_finding",
    "make_lazy_word_finding",
    "slot_setters",
]


class Context:
    """One call's text, its dominant script group and the per-line bidi verdicts found so far.

    ``bidi_starts`` and ``bidi_lines`` (kept sorted by line start, in step) let every bidi
    control of a line reuse its line's verdict without looking for the line's bounds again,
    which keeps many controls on one long line linear.
    """

    # A plain slotted class, not a dataclass: a scan would import ``dataclasses`` for it.
    __slots__ = (
        "_anchor",
        "_anchor_line",
        "_anchor_line_start",
        "bidi_lines",
        "bidi_starts",
        "cjk_document",
        "dominant",
        "has_cr",
        "shared",
        "text",
    )

    def __init__(
        self,
        text: str,
        dominant: str,
        cjk_document: bool,
        has_cr: bool = False,
        shared: dict[tuple[str, str, bool], Any] | None = None,
    ) -> None:
        self.text = text
        self.dominant = dominant
        self.cjk_document = cjk_document
        self.has_cr = has_cr
        # Script decisions shared by the texts of one find_homoglyphs_many call (keyed by
        # .rules.signature), or None; a per-call dict, never shared between calls.
        self.shared = shared
        self.bidi_starts: list[int] = []
        self.bidi_lines: list[tuple[int, int, tuple[bool, bool]]] = []
        self._anchor = 0
        self._anchor_line = 1
        self._anchor_line_start = 0

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``, as :class:`~textforensics.text.LineIndex`
        counts them (CRLF, CR and LF end lines). Line breaks are counted from the previous
        lookup, which is cheap because findings come in order; building a ``LineIndex``
        instead would cost more than the whole scan of a long, mostly-ASCII text (see
        docs/homoglyphs.md)."""
        text = self.text
        if offset < self._anchor:
            self._anchor, self._anchor_line, self._anchor_line_start = 0, 1, 0
        a = self._anchor
        breaks = text.count("\n", a, offset)
        if self.has_cr:
            breaks += text.count("\r", a, offset) - text.count("\r\n", a, offset)
            if a > 0 and text[a - 1] == "\r" and offset > a and text[a] == "\n":
                breaks -= 1  # a CRLF split by the anchor was counted as two
        if breaks:
            line_start = text.rfind("\n", a, offset) + 1
            if self.has_cr:
                line_start = max(line_start, text.rfind("\r", a, offset) + 1)
        else:
            line_start = self._anchor_line_start
        line = self._anchor_line + breaks
        self._anchor, self._anchor_line, self._anchor_line_start = offset, line, line_start
        return line, offset - line_start + 1


@lru_cache(maxsize=4096)  # thread-safe: a pure function returning immutable strings
def _char_info(ch: str) -> tuple[str, str, str, str]:
    cp = ord(ch)
    prototype = skeleton(ch) if not 0xD800 <= cp <= 0xDFFF else ch
    return f"U+{cp:04X}", char_name(ch), script(cp), prototype


def slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[Any, Any], None], ...]:
    """The slot setters of the frozen, slotted result class ``cls`` for its fields ``names``,
    which must be all its fields in order (checked here, so that a field added to the
    class fails at import instead of leaving a result half built)."""
    declared = field_names(cls)
    if declared != names:
        raise TypeError(f"{cls.__name__} fields are {declared}, not {names}")
    return tuple(raw_slot(cls, name).__set__ for name in names)


# A flagged name builds one finding and a few characters; filling their slots directly
# costs a third of the generated keyword-only ``__init__`` (which has no validation to
# skip: the values are the ones it would store). The result equals the constructed one.
_new = object.__new__
_C_OFFSET, _C_CHAR, _C_CP, _C_NAME, _C_SCRIPT, _C_PROTO, _C_LOOKS = slot_setters(
    HomoglyphChar, ("offset", "char", "code_point", "name", "script", "prototype", "looks_like")
)
(
    _F_START,
    _F_END,
    _F_LINE,
    _F_COLUMN,
    _F_KIND,
    _F_SEVERITY,
    _F_MESSAGE,
    _F_CODE,
    _F_WORD,
    _F_CHARS,
    _F_SUGGESTION,
) = slot_setters(
    HomoglyphFinding,
    (
        "start",
        "end",
        "line",
        "column",
        "kind",
        "severity",
        "message",
        "code",
        "word",
        "chars",
        "suggestion",
    ),
)


def make_char(offset: int, ch: str, looks_like: str | None) -> HomoglyphChar:
    """The :class:`HomoglyphChar` for ``ch`` at ``offset``. The strings describing a
    character are shared between its occurrences, so a text with many flagged characters
    costs one small object per occurrence."""
    code_point, name, script_code, prototype = _char_info(ch)
    c: HomoglyphChar = _new(HomoglyphChar)
    _C_OFFSET(c, offset)
    _C_CHAR(c, ch)
    _C_CP(c, code_point)
    _C_NAME(c, name)
    _C_SCRIPT(c, script_code)
    _C_PROTO(c, prototype)
    _C_LOOKS(c, looks_like)
    return c


def make_finding(
    ctx: Context,
    kind: str,
    severity: Severity,
    start: int,
    end: int,
    chars: list[HomoglyphChar],
    suggestion: str | None,
    message: str,
) -> HomoglyphFinding:
    """The :class:`HomoglyphFinding` of ``kind`` for ``ctx.text[start:end]``."""
    f = _located(ctx, kind, severity, start, end)
    _F_MESSAGE(f, message)
    _F_CHARS(f, tuple(chars))
    _F_SUGGESTION(f, suggestion)
    return f


def make_lazy_finding(
    ctx: Context,
    kind: str,
    severity: Severity,
    start: int,
    end: int,
    later: Callable[[], Mapping[str, Any]],
) -> HomoglyphFinding:
    """:func:`make_finding` whose ``chars``, ``suggestion`` and ``message`` come from
    ``later()`` when one of them is first read (see :func:`~textforensics.results.deferred`):
    equal, to every reader, to the finding built with them."""
    f = _located(ctx, kind, severity, start, end)
    set_pending(f, later)
    return f


def make_lazy_word_finding(
    word: str, kind: str, severity: Severity, later: Callable[[], Mapping[str, Any]]
) -> HomoglyphFinding:
    """:func:`make_lazy_finding` for a text that is the one word ``word``: the finding
    spans it all, at line 1, column 1 (a batch of names builds no :class:`Context`)."""
    f: HomoglyphFinding = _new(HomoglyphFinding)
    _F_START(f, 0)
    _F_END(f, len(word))
    _F_LINE(f, 1)
    _F_COLUMN(f, 1)
    _F_KIND(f, kind)
    _F_SEVERITY(f, severity)
    _F_CODE(f, HOMOGLYPH_CODES[kind])
    _F_WORD(f, word)
    set_pending(f, later)
    return f


def _located(ctx: Context, kind: str, severity: Severity, start: int, end: int) -> HomoglyphFinding:
    """A new finding with every field but its explanation (message, chars, suggestion)."""
    line, column = ctx.position(start)
    f: HomoglyphFinding = _new(HomoglyphFinding)
    _F_START(f, start)
    _F_END(f, end)
    _F_LINE(f, line)
    _F_COLUMN(f, column)
    _F_KIND(f, kind)
    _F_SEVERITY(f, severity)
    _F_CODE(f, HOMOGLYPH_CODES[kind])
    _F_WORD(f, ctx.text[start:end])
    return f


def describe(c: HomoglyphChar) -> str:
    """``"ч" (U+0447 CYRILLIC SMALL LETTER CHE, Cyrl)``, for messages."""
    return f'"{c.char}" ({c.code_point} {c.name}, {c.script})'
