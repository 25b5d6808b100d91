"""``textforensics fix``: repair the fixable findings of files in place (or as a diff),
honouring every ignore that ``scan`` honours."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..storage import AtomicWriter
from ..text import LineIndex
from ..vocab import FIXABLE_KINDS
from .files import STDIN, Encoding, InputError, TextChunk, iter_chunks
from .output import UsageError
from .report import safe
from .scan import ScanContext, chunk_findings

if TYPE_CHECKING:
    from ..results import JSONValue

__all__ = ["Change", "FixOptions", "change_to_dict", "fix_chunk", "fix_path", "unified_diff"]


# The records of this module are NamedTuples and plain classes, not dataclasses: a fix of
# files with nothing to fix (a pre-commit hook's usual run) then never imports
# ``dataclasses``, nor the fixer itself.


class Change(NamedTuple):
    """One replacement made in a file (offsets and 1-based positions in the file)."""

    start: int
    end: int
    line: int
    column: int
    kind: str
    old: str
    new: str


def _owners(
    spans: list[tuple[int, int, str]], plan: Sequence[tuple[int, int, str]]
) -> Iterator[tuple[int, int, str, str]]:
    """The plan steps (sorted, disjoint) that lie inside one of ``spans`` (any order, may
    overlap), each with the kind of a span holding it: one sweep over both lists, since a
    dense file has as many findings as steps."""
    spans = sorted(spans)
    i = 0
    best_end, best_kind = -1, ""
    for start, end, new in plan:
        while i < len(spans) and spans[i][0] <= start:
            if spans[i][1] > best_end:
                best_end, best_kind = spans[i][1], spans[i][2]
            i += 1
        # every span added starts at or before ``start``: one holds the step iff the
        # furthest-reaching one does
        if best_end >= end:
            yield start, end, new, best_kind


def fix_chunk(
    path: str, chunk: TextChunk, ctx: ScanContext, *, before: str = "", after: str = ""
) -> tuple[str, list[Change]]:
    """The fixed text of one chunk and the changes, honouring ignores of every kind.

    ``before`` is the last character written before this chunk and ``after`` the first
    character of the next chunk (empty at the ends of the file): a step that would turn a
    CR and an LF that are two line breaks into one CRLF (removing the ZWSP of CR, ZWSP, LF)
    is left undone, so line breaks keep their count and kind.
    """
    items = chunk_findings(path, chunk, ctx.cfg)
    wanted = [i for i in items if i.kind in FIXABLE_KINDS]
    if not wanted:
        return chunk.text, []
    from ..homoglyphs import fix_homoglyphs  # lazy: most files have nothing to fix

    text = chunk.text
    steps = [(s.start, s.end, s.new) for s in fix_homoglyphs(text).plan]
    # Keep only edits inside a wanted (reported, not ignored) finding.
    spans = [(i.start - chunk.offset, i.end - chunk.offset, i.kind) for i in wanted]
    index = LineIndex(text)
    pieces: list[str] = []
    changes: list[Change] = []
    pos = 0
    last = before  # the last character of the output so far
    for start, end, new, owner in _owners(spans, steps):
        if start > pos:
            last = text[start - 1]
        following = text[end] if end < len(text) else after
        if (last == "\r" and (new + following)[:1] == "\n" and text[start] != "\n") or (
            new.endswith("\r") and following == "\n"
        ):
            continue
        pieces.append(text[pos:start])
        pieces.append(new)
        if new:
            last = new[-1]
        pos = end
        line, column = _position(index, chunk, start)
        changes.append(
            Change(
                start=chunk.offset + start,
                end=chunk.offset + end,
                line=line,
                column=column,
                kind=owner,
                old=text[start:end],
                new=new,
            )
        )
    pieces.append(text[pos:])
    return "".join(pieces), changes


def _position(index: LineIndex, chunk: TextChunk, start: int) -> tuple[int, int]:
    """The 1-based line and column in the file of offset ``start`` of the chunk."""
    line, column = index.position(start)
    if line == 1:
        column += chunk.column - 1
    return chunk.line + line - 1, column


def unified_diff(path: str, old: str, new: str, base_line: int, *, header: bool) -> list[str]:
    """A unified diff of one chunk starting at line ``base_line`` of ``path`` (with the
    file header only when ``header``: one header per file, before its first chunk)."""
    import difflib  # lazy: only --diff shows one

    shown = safe(path)  # a file name never reaches the terminal raw
    lines = list(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=shown if os.path.isabs(path) else f"a/{shown}",
            tofile=shown if os.path.isabs(path) else f"b/{shown}",
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


_PENDING_BYTES = 8 * 1024 * 1024
"""Unchanged leading bytes kept in memory while no change has been seen; beyond this they
are copied from the file itself once a change appears (the content hash still vouches
for them)."""


class _Refused(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def _inside(path: str, tree: str) -> bool:
    return os.path.commonpath([path, tree]) == tree


def _refusal(target: str, st: os.stat_result, opts: FixOptions) -> _Refused | None:
    """Why the file at ``target`` (a resolved path, status ``st``) must not be rewritten,
    if it must not."""
    if opts.tree is not None and not opts.follow_symlinks:
        tree = os.path.realpath(opts.tree)
        if not _inside(target, tree):
            return _Refused(
                "symlink",
                f"is a symbolic link to {safe(target)}, outside {safe(opts.tree)}: not followed "
                "(--follow-symlinks to fix it)",
            )
    if opts.force:
        return None
    if st.st_nlink > 1:
        return _Refused(
            "hard_link",
            f"has {st.st_nlink} hard links: rewriting it would split them (--force to fix "
            "this name only)",
        )
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        return _Refused("read_only", "is read-only: left as it is (--force to fix it anyway)")
    return None


class FixOptions(NamedTuple):
    """What ``fix`` may touch: ``tree`` is the directory the path was found under (the
    directory given, or a named file's own directory), out of which a symbolic link is not
    followed unless ``follow_symlinks``; ``force`` also rewrites read-only and hard-linked
    files."""

    tree: str | None = None
    follow_symlinks: bool = False
    force: bool = False


def _file_digest(path: str) -> bytes:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
    return digest.digest()


def _with_next(chunks: Iterator[TextChunk]) -> Iterator[tuple[TextChunk, str]]:
    """Each chunk with the first character of the next one ("" for the last)."""
    current = next(chunks, None)
    while current is not None:
        following = next(chunks, None)
        yield current, (following.text[:1] if following is not None else "")
        current = following


def fix_path(
    path: str,
    ctx: ScanContext,
    *,
    diff: bool,
    on_diff: Callable[[list[str]], None] | None = None,
    options: FixOptions | None = None,
) -> list[Change] | None:
    """Fix one file in place, or with ``diff`` only hand each chunk's diff to ``on_diff``;
    the changes, or None on an input error or a refusal (reported to ``ctx.reporter``).

    The file is read once. Nothing is written until a change is found: a file without
    fixable findings is never opened for writing. The new content streams to a temporary
    file next to the original that is renamed over it only if the file's size, mtime and
    content hash are still those that were read (see :class:`FixOptions` for what is
    refused).
    """
    if path == STDIN:
        raise UsageError("fix works on files, not standard input")
    opts = options or FixOptions()
    try:
        target = os.path.realpath(path)  # a link stays a link: its target is rewritten
        st0 = os.stat(target)
    except OSError:
        target, st0 = path, None  # let the reader report it
    changes: list[Change] = []
    try:
        with contextlib.ExitStack() as stack:
            writer = _fix_stream(path, target, st0, ctx, opts, diff, on_diff, changes, stack)
            if writer is None:
                return changes
            assert st0 is not None
            expected = writer.digest

            def unchanged() -> None:
                now = os.stat(target)
                same = (now.st_size, now.st_mtime_ns, now.st_ino) == (
                    st0.st_size,
                    st0.st_mtime_ns,
                    st0.st_ino,
                )
                if not same or _file_digest(target) != expected:
                    raise _Refused(
                        "changed", "changed while being fixed: left as it is (run fix again)"
                    )

            writer.out.commit(check=unchanged)
    except InputError as exc:
        if exc.path != path:  # read through the resolved path: report the name given
            exc = InputError(path, exc.reason, exc.detail, fatal=exc.fatal)
        ctx.reporter.input_error(exc)
        return None
    except _Refused as exc:
        ctx.reporter.error(path, exc.reason, exc.message)
        return None
    except OSError as exc:
        ctx.reporter.error(path, "unwritable", f"cannot write: {exc.strerror or exc}")
        return None
    return changes


class _Pending:
    __slots__ = ("digest", "out")

    def __init__(self, out: AtomicWriter, digest: bytes = b"") -> None:
        self.out = out
        self.digest = digest


def _fix_stream(
    path: str,
    target: str,
    st0: os.stat_result | None,
    ctx: ScanContext,
    opts: FixOptions,
    diff: bool,
    on_diff: Callable[[list[str]], None] | None,
    changes: list[Change],
    stack: contextlib.ExitStack,
) -> _Pending | None:
    """Read ``target`` once, fixing each chunk; the open writer holding the new content
    (None when nothing is to be written) with the digest of the bytes read."""
    encodings: list[Encoding] = []
    digest = hashlib.sha256()
    kept: list[bytes] = []  # unchanged bytes before the first change
    kept_size = 0
    spilled = 0  # unchanged leading bytes not kept (copied from the file when needed)
    writer: AtomicWriter | None = None
    last = ""
    chunks = iter_chunks(target, chunk_chars=ctx.chunk_chars, encoding_out=encodings)
    for chunk, following in _with_next(chunks):
        encoding = encodings[0]
        if chunk.offset == 0:
            digest.update(encoding.bom)
        # strict decoding round-trips: these are exactly the bytes read
        raw = encoding.encode(chunk.text)
        digest.update(raw)
        fixed, found = fix_chunk(path, chunk, ctx, before=last, after=following)
        last = fixed[-1:] or last
        changes.extend(found)
        if diff:
            if found and on_diff is not None:
                first = len(changes) == len(found)
                on_diff(unified_diff(path, chunk.text, fixed, chunk.line, header=first))
            continue
        if found and writer is None:
            assert st0 is not None
            refused = _refusal(target, st0, opts)
            if refused is not None:
                raise refused
            writer = stack.enter_context(AtomicWriter(target, keep_owner=True))
            writer.write(encoding.bom)
            if spilled:
                _copy_prefix(target, len(encoding.bom), spilled, writer)
            for piece in kept:
                writer.write(piece)
            kept.clear()
        if writer is not None:
            writer.write(encoding.encode(fixed) if found else raw)
        elif not spilled and kept_size + len(raw) <= _PENDING_BYTES:
            kept.append(raw)
            kept_size += len(raw)
        else:
            spilled += kept_size + len(raw)
            kept.clear()
            kept_size = 0
    if writer is None:
        return None
    return _Pending(writer, digest.digest())


def _copy_prefix(path: str, skip: int, size: int, out: AtomicWriter) -> None:
    with open(path, "rb") as f:
        f.seek(skip)
        while size > 0:
            block = f.read(min(size, 1024 * 1024))
            if not block:
                break
            out.write(block)
            size -= len(block)


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
