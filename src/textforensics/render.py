"""Text rendering for the command line (builds strings; printing is the CLI's job).

The source excerpt under a finding is made safe to show on a terminal: invisible, bidi and
control characters are shown as ``<U+202E>`` so the terminal cannot reorder or hide text
(the excerpt of a Trojan Source finding must not itself be a Trojan Source), and the caret
line accounts for wide (East Asian) and zero-width characters.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from .report import Located

__all__ = ["Style", "caret_lines", "display_width", "finding_block", "finding_line", "safe"]


class Style:
    """ANSI styling that is a no-op when color is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def red(self, text: str) -> str:
        return self._wrap("1;31", text)

    def yellow(self, text: str) -> str:
        return self._wrap("33", text)

    def cyan(self, text: str) -> str:
        return self._wrap("36", text)

    def blue(self, text: str) -> str:
        return self._wrap("1;34", text)

    def green(self, text: str) -> str:
        return self._wrap("32", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def severity(self, severity: str, text: str) -> str:
        if severity == "error":
            return self.red(text)
        if severity == "warning":
            return self.yellow(text)
        return self.cyan(text)


def use_color(choice: str, stream: TextIO) -> bool:
    """``always``/``never``, or ``auto``: only on a terminal, and not when ``NO_COLOR`` is
    set (https://no-color.org) or ``TERM=dumb``."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _needs_escape(char: str) -> bool:
    if char == "\t":
        return False
    cat = unicodedata.category(char)
    return (
        cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
        or (cat == "Mn" and 0xFE00 <= ord(char) <= 0xFE0F)
        or 0xE0100 <= ord(char) <= 0xE01EF
    )


def safe(text: str) -> str:
    """``text`` with invisible, bidi, control and unassigned characters shown as <U+XXXX>."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(c):04X}>" if _needs_escape(c) else c for c in text)


def _char_width(char: str) -> int:
    if char == "\t":
        return 1
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(_char_width(c) for c in text)


def caret_lines(excerpt: str, start: int, end: int, marks: Sequence[int] = ()) -> tuple[str, str]:
    """The excerpt made safe, and a line with ``^`` under ``excerpt[start:end]`` (only
    under the positions ``marks`` when given, ``~`` under the rest of the span)."""
    shown: list[str] = []
    row: list[str] = []
    for i, char in enumerate(excerpt):
        piece = f"<U+{ord(char):04X}>" if _needs_escape(char) else (" " if char == "\t" else char)
        width = len(piece) if piece.startswith("<U+") else _char_width(char)
        shown.append(piece)
        inside = start <= i < end
        mark = ("^" if not marks or i in marks else "~") if inside else " "
        row.append(mark * width)
    caret = "".join(row).rstrip()
    if not caret.strip():  # zero-width target (a combining mark, an empty span)
        caret = " " * display_width("".join(shown[:start])) + "^"
    return "".join(shown), caret


def finding_line(item: Located, style: Style) -> str:
    """``path:line:col: CODE kind message`` (ruff/flake8 style)."""
    location = f"{item.path}:{item.line}:{item.column}:"
    tag = f"{item.code} {item.kind}"
    if item.baselined:
        tag += " (baseline)"
    return f"{style.bold(location)} {style.severity(item.severity, tag)} {safe(item.message)}"


def finding_block(item: Located, style: Style) -> list[str]:
    """The excerpt with a caret line, the named characters and the suggestion."""
    rel_start = item.column - item.excerpt_column
    rel_end = rel_start + (
        item.end - item.start if item.end_line == item.line else len(item.excerpt) - rel_start
    )
    first = item.start - (item.column - item.excerpt_column)  # file offset of excerpt[0]
    marks = [m - first for m in item.marks]
    shown, caret = caret_lines(item.excerpt, rel_start, rel_end, marks)
    prefix_cut = item.excerpt_column > 1
    lead = "…" if prefix_cut else ""
    number = str(item.line)
    gutter = " " * len(number)
    lines = [
        style.blue(f"{gutter} |"),
        style.blue(f"{number} | ") + lead + shown,
        style.blue(f"{gutter} | ") + " " * len(lead) + style.severity(item.severity, caret),
    ]
    for info in item.characters:
        lines.append(style.blue(f"{gutter} = ") + info.describe())
    if item.suggestion:
        lines.append(
            style.blue(f"{gutter} = ") + style.green(f'suggestion: "{safe(item.suggestion)}"')
        )
    return lines


def side_by_side(left: str, right: str, width: int) -> list[str]:
    """Two texts wrapped into columns of ``width`` characters, separated by a bar."""
    import itertools
    import textwrap

    a = textwrap.wrap(safe(" ".join(left.split())), width) or [""]
    b = textwrap.wrap(safe(" ".join(right.split())), width) or [""]
    rows = []
    for x, y in itertools.zip_longest(a, b, fillvalue=""):
        pad = width - display_width(x)
        rows.append(f"{x}{' ' * max(pad, 0)} │ {y}".rstrip())
    return rows


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
