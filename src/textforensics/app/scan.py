"""``textforensics scan``: the findings of files, located, filtered by the configuration
and inline ignores, with fingerprints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..text import LineIndex
from ..vocab import severity_rank
from .config import Config, inline_ignores
from .files import (
    DEFAULT_CHUNK_CHARS,
    STDIN,
    InputError,
    TextChunk,
    discover,
    iter_chunks,
    read_text,
)
from .output import Reporter, UsageError
from .report import Located, locate
from .strip import removed_runs

__all__ = [
    "Collected",
    "ScanContext",
    "ScanJob",
    "boilerplate_findings",
    "cap_per_file",
    "chunk_findings",
    "find_files",
    "group_runs",
    "scan_job",
    "scan_path",
]


class ScanContext(NamedTuple):
    """What scanning one file needs: the settings and where input problems go."""

    cfg: Config
    reporter: Reporter
    chunk_chars: int = DEFAULT_CHUNK_CHARS
    boilerplate: bool = False


def find_files(
    paths: Sequence[str],
    cfg: Config,
    reporter: Reporter,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[str]:
    """The files named by ``paths`` (``include``/``exclude`` from the command line,
    merged with the configuration's)."""
    files = list(
        discover(
            paths,
            include=tuple(include) or cfg.include,
            exclude=tuple(exclude) + cfg.exclude,
            on_error=reporter.input_error,
        )
    )
    if list(paths).count(STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    return files


class _LineIgnores:
    """The inline ignores of each line of one text, read once per line: a dense line with
    a finding every few characters must not be copied once per finding."""

    def __init__(self, text: str, index: LineIndex) -> None:
        self.text = text
        self.index = index
        self.seen: dict[int, frozenset[str] | None] = {}

    def at(self, offset: int) -> frozenset[str] | None:
        start, end = self.index.line_bounds(offset)
        if start not in self.seen:
            self.seen[start] = inline_ignores(self.text[start:end])
        return self.seen[start]


def _keep(item: Located, cfg: Config, kinds: frozenset[str] | None) -> bool:
    if cfg.ignores(item.kind, item.code):
        return False
    if item.kind != "boilerplate" and severity_rank(item.severity) < severity_rank(
        cfg.min_severity
    ):
        return False
    if (
        cfg.allowed_scripts
        and item.characters
        and all(
            c.script in cfg.allowed_scripts or c.script_code in cfg.allowed_scripts
            for c in item.characters
        )
    ):
        return False
    return kinds is None or not ("*" in kinds or item.kind in kinds or item.code in kinds)


# Texts up to this long are screened before the detector is loaded; a longer one goes to
# the detector, whose own screens of long texts run with numpy.
_SCREENED_CHARS = 1 << 16


def chunk_findings(path: str, chunk: TextChunk, cfg: Config) -> list[Located]:
    """The reported homoglyph findings of one chunk of ``path`` (offsets in the file)."""
    items: list[Located] = []
    index: LineIndex | None = None
    ignores: _LineIgnores | None = None
    # Most files have no finding: ASCII text cannot have one, and a short text whose
    # letters are of one script group with no character that needs the full analysis
    # neither (the detector's own first screen). Only other texts load the detector, its
    # tables and ``regex``, which would be most of a one-shot command's start-up.
    if chunk.text.isascii():
        return items
    from ..homoglyphs.data import certainly_clean

    if len(chunk.text) <= _SCREENED_CHARS and certainly_clean(chunk.text):
        return items
    from ..homoglyphs import find_homoglyphs

    for finding in find_homoglyphs(chunk.text):
        if index is None:  # most chunks have no finding: build the index only when needed
            index = LineIndex(chunk.text)
            ignores = _LineIgnores(chunk.text, index)
        assert ignores is not None
        item = locate(
            path=path,
            text=chunk.text,
            base_offset=chunk.offset,
            base_line=chunk.line,
            base_column=chunk.column,
            start=finding.start,
            end=finding.end,
            kind=finding.kind,
            severity=finding.severity,
            message=finding.message,
            finding=finding,
            suggestion=finding.suggestion,
            chars=finding.chars,
            index=index,
        )
        if _keep(item, cfg, ignores.at(finding.start)):
            items.append(item)
    return items


def boilerplate_findings(path: str, text: str, cfg: Config) -> list[Located]:
    """One finding per run of removed boilerplate blocks of one kind in ``text``."""
    from ..boilerplate import strip_boilerplate  # lazy: numpy and the model, for --boilerplate

    result = strip_boilerplate(text)
    items = []
    index = LineIndex(text)
    ignores = _LineIgnores(text, index)
    for run in removed_runs(result.blocks):
        block = run[0]
        block_kind = str(block.kind)
        reason = block.message + (f" [{len(run)} blocks]" if len(run) > 1 else "")
        start, end = block.start, run[-1].end
        while end > start and text[end - 1] in "\r\n \t":
            end -= 1
        item = locate(
            path=path,
            text=text,
            base_offset=0,
            base_line=1,
            base_column=1,
            start=start,
            end=end,
            kind="boilerplate",
            severity="info",
            message=f"{block_kind}: {reason}" if reason else block_kind,
            finding=block,
            extra={"block_kind": block_kind, "blocks": len(run)},
            name_characters=False,
            index=index,
        )
        if _keep(item, cfg, ignores.at(start)) and not cfg.ignores(block_kind, ""):
            items.append(item)
    return items


def scan_path(path: str, ctx: ScanContext) -> list[Located]:
    """Findings of one file, sorted (input problems go to ``ctx.reporter``)."""
    items: list[Located] = []
    try:
        if ctx.boilerplate:
            text, _ = read_text(path, max_chars=ctx.cfg.max_chars)
            chunk = TextChunk(text=text, offset=0, line=1, column=1)
            items.extend(chunk_findings(path, chunk, ctx.cfg))
            items.extend(boilerplate_findings(path, text, ctx.cfg))
        else:
            for chunk in iter_chunks(path, chunk_chars=ctx.chunk_chars):
                items.extend(chunk_findings(path, chunk, ctx.cfg))
    except InputError as exc:
        ctx.reporter.input_error(exc)
        return []
    items.sort(key=lambda i: (i.start, i.end, i.code))
    return items


GROUPED_KINDS = frozenset({"invisible", "bidi"})
"""Kinds whose runs of findings on the same character are shown as one."""


def _hidden_chars(item: Located) -> frozenset[str]:
    return frozenset(c.char for c in item.characters)


def group_runs(items: Sequence[Located]) -> list[Located]:
    """Collapse each run of consecutive findings of one file, of the same hidden kind
    (invisible, bidi) on the same character(s), into one finding spanning the run: a page
    with 1,736 U+2063 between its words gives one finding whose message ends in ``×1736``,
    with ``extra["count"]`` (occurrences) and ``extra["findings"]`` (findings merged).

    This is presentation: the library keeps one finding per place (``fix`` needs each),
    the command line groups what it shows. ``items`` must be sorted by offset.
    """
    grouped: list[Located] = []
    run: list[Located] = []

    def flush() -> None:
        if len(run) == 1:
            grouped.append(run[0])
        elif run:
            grouped.append(_merged(run))
        run.clear()

    for item in items:
        if (
            run
            and item.kind in GROUPED_KINDS
            and item.kind == run[0].kind
            and item.path == run[0].path
            and item.characters
            and _hidden_chars(item) == _hidden_chars(run[0])
        ):
            run.append(item)
            continue
        flush()
        run.append(item)
    flush()
    return grouped


def _merged(run: Sequence[Located]) -> Located:
    first, last = run[0], run[-1]
    chars = _hidden_chars(first)
    count = sum(sum(i.flagged.count(c) for c in chars) for i in run)
    names = ", ".join(sorted(c.describe() for c in first.characters))
    return first.replace(
        end=last.end,
        end_line=last.end_line,
        end_column=last.end_column,
        message=f"{names} repeated in {len(run)} places \u00d7{count}",
        extra={**first.extra, "count": count, "findings": len(run)},
    )


def cap_per_file(items: Sequence[Located], limit: int | None) -> tuple[list[Located], int]:
    """At most ``limit`` findings of each file (None or 0: no cap); the kept findings and
    how many were left out."""
    if not limit:
        return list(items), 0
    seen: dict[str, int] = {}
    kept: list[Located] = []
    for item in items:
        n = seen.get(item.path, 0)
        seen[item.path] = n + 1
        if n < limit:
            kept.append(item)
    return kept, len(items) - len(kept)


class Collected:
    """A :class:`~textforensics.app.output.Reporter` that keeps the input problems (for a
    worker process, whose problems the parent reports)."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[tuple[str, str, str, bool]] = []

    def input_error(self, exc: InputError) -> None:
        self.problems.append((exc.path, exc.reason, exc.detail, exc.fatal))

    def error(self, path: str, reason: str, message: str) -> None:
        self.problems.append((path, reason, message, True))


class ScanJob(NamedTuple):
    """One unit of a parallel scan: a file (``text`` None) or a document's text."""

    path: str
    cfg: Config
    chunk_chars: int
    boilerplate: bool
    text: str | None = None


def scan_job(job: ScanJob) -> tuple[list[Located], list[tuple[str, str, str, bool]]]:
    """Run one :class:`ScanJob` (module level, so a process pool can call it): the
    findings and the input problems ``(path, reason, detail, fatal)``."""
    collected = Collected()
    if job.text is None:
        ctx = ScanContext(job.cfg, collected, job.chunk_chars, job.boilerplate)
        return scan_path(job.path, ctx), collected.problems
    chunk = TextChunk(text=job.text, offset=0, line=1, column=1)
    items = chunk_findings(job.path, chunk, job.cfg)
    if job.boilerplate:
        items.extend(boilerplate_findings(job.path, job.text, job.cfg))
    items.sort(key=lambda i: (i.start, i.end, i.code))
    return items, collected.problems
