"""``textforensics fix``: repair the fixable findings of files in place (or as a diff),
honouring every ignore that ``scan`` honours."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..homoglyphs import fix_homoglyphs
from ..results import JSONValue
from ..text import LineIndex
from ..vocab import FIXABLE_KINDS
from .files import STDIN, Encoding, InputError, TextChunk, atomic_write, iter_chunks
from .output import UsageError
from .report import locate
from .scan import ScanContext, chunk_findings

__all__ = ["Change", "change_to_dict", "fix_chunk", "fix_path", "unified_diff"]


@dataclass(frozen=True, slots=True)
class Change:
    """One replacement made in a file (offsets and 1-based positions in the file)."""

    start: int
    end: int
    line: int
    column: int
    kind: str
    old: str
    new: str


def fix_chunk(path: str, chunk: TextChunk, ctx: ScanContext) -> tuple[str, list[Change]]:
    """The fixed text of one chunk and the changes, honouring ignores of every kind."""
    items = chunk_findings(path, chunk, ctx.cfg)
    wanted = [i for i in items if i.kind in FIXABLE_KINDS]
    if not wanted:
        return chunk.text, []
    plan = fix_homoglyphs(chunk.text).plan
    # Keep only edits inside a wanted (reported, not ignored) finding.
    spans = [(i.start - chunk.offset, i.end - chunk.offset, i.kind) for i in wanted]
    index = LineIndex(chunk.text)
    pieces: list[str] = []
    changes: list[Change] = []
    pos = 0
    for step in plan:  # sorted, disjoint replacements with offsets into the chunk
        start, end, new = step.start, step.end, step.new
        owner = next((k for s, e, k in spans if s <= start and end <= e), None)
        if owner is None:
            continue
        pieces.append(chunk.text[pos:start])
        pieces.append(new)
        pos = end
        item = locate(
            path=path,
            text=chunk.text,
            base_offset=chunk.offset,
            base_line=chunk.line,
            base_column=chunk.column,
            start=start,
            end=end,
            kind=owner,
            severity="info",
            message="",
            name_characters=False,
            index=index,
        )
        changes.append(
            Change(
                start=item.start,
                end=item.end,
                line=item.line,
                column=item.column,
                kind=owner,
                old=chunk.text[start:end],
                new=new,
            )
        )
    pieces.append(chunk.text[pos:])
    return "".join(pieces), changes


def unified_diff(path: str, old: str, new: str, base_line: int, *, header: bool) -> list[str]:
    """A unified diff of one chunk starting at line ``base_line`` of ``path`` (with the
    file header only when ``header``: one header per file, before its first chunk)."""
    lines = list(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=path if os.path.isabs(path) else f"a/{path}",
            tofile=path if os.path.isabs(path) else f"b/{path}",
        )
    )
    fixed = []
    for line in lines:
        if line.startswith("@@ -") and base_line != 1:
            head, _, tail = line[3:].partition(" @@")
            a, b = head.split(" ")
            line = f"@@ {_shift(a, base_line)} {_shift(b, base_line)} @@{tail}"
        fixed.append(line)
    return fixed if header else fixed[2:]


def _shift(rng: str, base_line: int) -> str:
    sign, body = rng[0], rng[1:]
    start, _, count = body.partition(",")
    shifted = int(start) + base_line - 1
    return f"{sign}{shifted}" + (f",{count}" if count else "")


def fix_path(
    path: str,
    ctx: ScanContext,
    *,
    diff: bool,
    on_diff: Callable[[list[str]], None] | None = None,
) -> list[Change] | None:
    """Fix one file in place, or with ``diff`` only hand each chunk's diff to ``on_diff``;
    the changes, or None on an input error (reported to ``ctx.reporter``).

    A first pass decides whether anything changes, so that a file without fixable
    findings is never opened for writing; the second pass streams to a temporary file.
    """
    if path == STDIN:
        raise UsageError("fix works on files, not standard input")
    encodings: list[Encoding] = []
    changes: list[Change] = []
    try:
        for chunk in iter_chunks(path, chunk_chars=ctx.chunk_chars, encoding_out=encodings):
            fixed, found = fix_chunk(path, chunk, ctx)
            changes.extend(found)
            if diff and found and on_diff is not None:
                first = len(changes) == len(found)
                on_diff(unified_diff(path, chunk.text, fixed, chunk.line, header=first))
    except InputError as exc:
        ctx.reporter.input_error(exc)
        return None
    if not changes or diff:
        return changes
    encoding = encodings[0]

    def pieces() -> Iterator[bytes]:
        yield encoding.bom
        for chunk in iter_chunks(path, chunk_chars=ctx.chunk_chars):
            fixed, _ = fix_chunk(path, chunk, ctx)
            yield encoding.encode(fixed)

    try:
        atomic_write(path, pieces())
    except InputError as exc:  # the file changed under us
        ctx.reporter.input_error(exc)
        return None
    except OSError as exc:
        ctx.reporter.error(path, "unwritable", f"cannot write: {exc.strerror or exc}")
        return None
    return changes


def change_to_dict(change: Change) -> dict[str, JSONValue]:
    """The JSON form of one change (see docs/cli.md)."""
    return {
        "start": change.start,
        "end": change.end,
        "line": change.line,
        "column": change.column,
        "kind": change.kind,
        "old": change.old,
        "new": change.new,
    }
