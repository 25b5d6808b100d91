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
from typing import TYPE_CHECKING, TextIO

from .report import Located, needs_escape, safe

if TYPE_CHECKING:  # types only: a scan run does not import the other commands' modules
    from ..results import Comparison
    from .compare import FileComparison
    from .dupes import Cluster
    from .fix import Change
    from .strip import ExplainedRun

__all__ = [
    "Style",
    "caret_lines",
    "change_line",
    "clip",
    "cluster_lines",
    "comparison_lines",
    "display_width",
    "explain_lines",
    "finding_block",
    "finding_line",
    "passage_lines",
    "plural",
    "safe",
    "side_by_side",
    "use_color",
]


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
    wanted = frozenset(marks)
    for i, char in enumerate(excerpt):
        piece = f"<U+{ord(char):04X}>" if needs_escape(char) else (" " if char == "\t" else char)
        width = len(piece) if piece.startswith("<U+") else _char_width(char)
        shown.append(piece)
        inside = start <= i < end
        mark = ("^" if not wanted or i in wanted else "~") if inside else " "
        row.append(mark * width)
    caret = "".join(row).rstrip()
    if not caret.strip():  # zero-width target (a combining mark, an empty span)
        caret = " " * display_width("".join(shown[:start])) + "^"
    return "".join(shown), caret


_SHOWN_CHARS = 300  # longest message or suggestion printed whole on a terminal


def clip(text: str, limit: int = _SHOWN_CHARS) -> str:
    """``text`` cut to about ``limit`` characters with "…" where it was cut (a finding's
    message quotes the flagged word, which can be a 150 KB run)."""
    return text if len(text) <= limit else text[:limit] + "…"


def finding_line(item: Located, style: Style) -> str:
    """``path:line:col: CODE kind message`` (ruff/flake8 style)."""
    location = f"{safe(item.path)}:{item.line}:{item.column}:"
    tag = f"{item.code} {item.kind}"
    if item.baselined:
        tag += " (baseline)"
    message = safe(clip(item.message))
    return f"{style.bold(location)} {style.severity(item.severity, tag)} {message}"


def finding_block(item: Located, style: Style) -> list[str]:
    """The excerpt with a caret line, the named characters and the suggestion."""
    rel_start = item.column - item.excerpt_column
    rel_end = min(
        len(item.excerpt),
        rel_start
        + (item.end - item.start if item.end_line == item.line else len(item.excerpt) - rel_start),
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
        style.blue(f"{number} | ") + lead + shown + ("…" if item.excerpt_cut else ""),
        style.blue(f"{gutter} | ") + " " * len(lead) + style.severity(item.severity, caret),
    ]
    for info in item.characters:
        lines.append(style.blue(f"{gutter} = ") + info.describe())
    if item.suggestion:
        lines.append(
            style.blue(f"{gutter} = ") + style.green(f'suggestion: "{safe(clip(item.suggestion))}"')
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


def change_line(path: str, c: Change, style: Style) -> str:
    """``path:line:col: fixed kind: "old" → "new"`` (or ``removed old``)."""
    where = style.bold(f"{safe(path)}:{c.line}:{c.column}:")
    old = safe(clip(c.old)) if c.old else "''"
    if c.new:
        return f'{where} fixed {c.kind}: "{old}" → "{safe(clip(c.new))}"'
    return f"{where} fixed {c.kind}: removed {old}"


def _verdict_color(style: Style, verdict: str) -> str:
    if verdict in ("identical", "near_copy"):
        return style.red(verdict)
    return style.yellow(verdict) if verdict == "rewrite" else style.green(verdict)


def comparison_lines(cmp: FileComparison, style: Style) -> list[str]:
    """The files, verdict, score and both tiers' figures of a comparison."""
    result: Comparison = cmp.result
    lines = [
        f"{style.bold('A')}: {safe(cmp.a)}",
        f"{style.bold('B')}: {safe(cmp.b)}",
        f"verdict: {_verdict_color(style, str(result.verdict))}  score: {float(result.score):.3f}",
    ]
    for tier in (result.near_copy, result.rewrite):
        lines.append(
            style.dim(
                f"  {tier.tier} tier ({tier.unit}): jaccard {tier.jaccard:.3f}, "
                f"A in B {tier.containment_a_in_b:.3f}, B in A {tier.containment_b_in_a:.3f} "
                f"({tier.shared} shared of {tier.shingles_a}/{tier.shingles_b})"
            )
        )
    return lines


def passage_lines(result: Comparison, style: Style, width: int, limit: int | None) -> list[str]:
    """The aligned passages (the first ``limit``) side by side, columns ``width`` wide."""
    evidence = result.evidence
    lines = ["", f"Aligned passages ({len(evidence)}):"]
    for n, passage in enumerate(evidence[:limit], 1):
        lines.append(style.bold(f"#{n}  similarity {passage.similarity:.3f}"))
        loc_a = f"A {passage.a.line}:{passage.a.column}"
        loc_b = f"B {passage.b.line}:{passage.b.column}"
        lines.append(style.dim(f"{loc_a:<{width}} │ {loc_b}"))
        lines.extend(side_by_side(passage.text_a, passage.text_b, width))
        lines.append("")
    return lines


def cluster_lines(clusters: Sequence[Cluster], style: Style, *, quiet: bool) -> list[str]:
    """Each cluster: its files and (unless ``quiet``) its pairs, best first."""
    lines = []
    for n, cluster in enumerate(clusters, 1):
        best = max(cluster.pairs, key=lambda p: p[3])
        lines.append(
            style.bold(
                f"cluster {n}: {plural(len(cluster.keys), 'file')}, {best[2]} (score {best[3]:.3f})"
            )
        )
        lines.extend(
            f"  {safe(key)}" + ("  (representative)" if key == cluster.representative else "")
            for key in cluster.keys
        )
        if not quiet:
            for a, b, verdict, score in sorted(cluster.pairs, key=lambda p: -p[3]):
                color = style.red if verdict in ("identical", "near_copy") else style.yellow
                lines.append(f"    {safe(a)} ~ {safe(b)}: {color(verdict)}, score {score:.3f}")
    return lines


def explain_lines(
    path: str, text: str, runs: Sequence[ExplainedRun], style: Style, *, verbose: bool
) -> list[str]:
    """``strip --explain``: each run of removed blocks with its lines, kind and reason,
    and its blocks (the first two and the last unless ``verbose``)."""
    lines = []
    for explained in runs:
        run = explained.blocks
        first = run[0]
        span = (
            f"{explained.line}"
            if explained.end_line == explained.line
            else f"{explained.line}-{explained.end_line}"
        )
        count = f" [{plural(len(run), 'block')}]" if len(run) > 1 else ""
        lines.append(
            f"{style.bold(f'{safe(path)}:{span}:')} {style.yellow(str(first.kind))}: "
            f"{safe(first.message)}{count}"
        )
        shown = run if verbose or len(run) <= 3 else (*run[:2], run[-1])
        for n, block in enumerate(shown):
            if n == 2 and len(shown) < len(run):
                lines.append(style.dim(f"  … {len(run) - 3} more"))
            body = " ".join(text[block.start : block.end].split())
            short = body if len(body) <= 100 or verbose else body[:97] + "..."
            lines.append(style.dim("  - " + safe(short)))
    return lines
