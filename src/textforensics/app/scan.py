"""``textforensics scan``: the findings of files, located, filtered by the configuration
and inline ignores, with fingerprints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..boilerplate import strip_boilerplate
from ..homoglyphs import find_homoglyphs
from ..text import LineIndex
from ..vocab import severity_rank
from .config import Config, is_inline_ignored
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
    "ScanContext",
    "boilerplate_findings",
    "cap_per_file",
    "chunk_findings",
    "find_files",
    "group_runs",
    "scan_path",
]


@dataclass
class ScanContext:
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


def _keep(item: Located, cfg: Config, line_text: str) -> bool:
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
    return not is_inline_ignored(item, line_text)


def chunk_findings(path: str, chunk: TextChunk, cfg: Config) -> list[Located]:
    """The reported homoglyph findings of one chunk of ``path`` (offsets in the file)."""
    items = []
    index: LineIndex | None = None
    for finding in find_homoglyphs(chunk.text):
        if index is None:  # most chunks have no finding: build the index only when needed
            index = LineIndex(chunk.text)
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
        ls, le = index.line_bounds(finding.start)
        if _keep(item, cfg, chunk.text[ls:le]):
            items.append(item)
    return items


def boilerplate_findings(path: str, text: str, cfg: Config) -> list[Located]:
    """One finding per run of removed boilerplate blocks of one kind in ``text``."""
    result = strip_boilerplate(text)
    items = []
    index = LineIndex(text)
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
        ls, le = index.line_bounds(start)
        if _keep(item, cfg, text[ls:le]) and not cfg.ignores(block_kind, ""):
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


def group_runs(items: Sequence[Located]) -> list[Located]:
    """Collapse each run of adjacent findings of the same kind on the same single
    character (1,736 U+2063 in a row) into one finding spanning the run, its message ending
    in ``×N`` and ``extra["count"] = N``.

    This is presentation: the library keeps one finding per character (``fix`` needs
    each), the command line groups what it shows. ``items`` must be sorted by offset.
    """
    grouped: list[Located] = []
    count = 1
    for item in items:
        last = grouped[-1] if grouped else None
        if (
            last is not None
            and last.path == item.path
            and last.kind == item.kind
            and item.end - item.start == 1
            and item.start == last.end
            and item.flagged == last.flagged[:1]
        ):
            count += 1
            grouped[-1] = replace(
                last,
                end=item.end,
                end_line=item.end_line,
                end_column=item.end_column,
                flagged=last.flagged[:1] * count,
                extra={**last.extra, "count": count},
            )
            continue
        if last is not None and count > 1:
            grouped[-1] = _counted(grouped[-1], count)
        count = 1
        grouped.append(item)
    if grouped and count > 1:
        grouped[-1] = _counted(grouped[-1], count)
    return grouped


def _counted(item: Located, count: int) -> Located:
    return replace(item, message=f"{item.message} \u00d7{count}")


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
