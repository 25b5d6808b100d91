"""Safe file input and output for the command line.

- Discovery: paths and directories (walked, sorted, hidden directories, VCS/virtualenv
  folders and what ``.gitignore`` ignores skipped), ``--include``/``--exclude`` globs with
  git's wildmatch semantics, ``-`` for standard input.
- Reading: the encoding is decided from the byte order mark (UTF-8, UTF-8 with BOM,
  UTF-16 and UTF-32 with BOM); files with NUL bytes and no BOM are binary. Text is decoded
  strictly, in bounded chunks, so that a 50 MB single-line file needs bounded memory and an
  invalid byte is reported with its byte offset.
- Only regular files are opened: a FIFO, device or socket is skipped without opening it
  (opening a FIFO blocks until someone writes to it).
- Writing is :class:`textforensics.storage.AtomicWriter`'s (the package's one atomic
  write). Its temporary files have recognisable names (:func:`is_temp_name`, defined
  there) that discovery skips (SIGKILL cannot be caught: what it leaves is skipped).

Nothing here prints: problems are raised as :class:`InputError` for the caller to report.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO, NamedTuple

from ..storage import TEMP_PREFIX, TEMP_SUFFIX, is_temp_name

__all__ = [
    "DEFAULT_CHUNK_CHARS",
    "SKIP_DIRS",
    "STDIN",
    "TEMP_PREFIX",
    "TEMP_SUFFIX",
    "Encoding",
    "InputError",
    "TextChunk",
    "discover",
    "is_hidden",
    "is_temp_name",
    "iter_chunks",
    "read_text",
]

STDIN = "-"
"""The path that means standard input."""

DEFAULT_CHUNK_CHARS = 1024 * 1024
"""Characters per chunk: files below this are processed in one piece."""

_READ_BYTES = 1024 * 1024
_SNIFF_BYTES = 8000  # as git: a NUL byte in the first 8000 bytes means binary

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "__pycache__",
        "node_modules",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
    }
)
"""Directory names never entered when a directory is walked."""


class InputError(Exception):
    """A path that cannot be read as text. ``reason`` is one of ``missing``,
    ``unreadable``, ``binary``, ``decode``, ``directory``, ``too_large``, ``special`` (a
    FIFO, device or socket); ``fatal`` is false for files skipped on purpose (binary,
    special), true for errors that make the run fail."""

    def __init__(self, path: str, reason: str, detail: str, *, fatal: bool = True) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.reason = reason
        self.detail = detail
        self.fatal = fatal


class Encoding(NamedTuple):
    """How a file's text is stored: a codec (without BOM handling) and the BOM bytes."""

    codec: str
    bom: bytes = b""

    @property
    def label(self) -> str:
        return f"{self.codec} with BOM" if self.bom else self.codec

    def decoder(self) -> Callable[[bytes, str, bool], tuple[str, int]]:
        found: Callable[[bytes, str, bool], tuple[str, int]] = getattr(
            codecs, self.codec.replace("-", "_") + "_decode"
        )
        return found

    def encode(self, text: str) -> bytes:
        return text.encode(self.codec, "surrogatepass" if self.codec != "utf-8" else "strict")


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff(head: bytes) -> Encoding | None:
    """The encoding of a file starting with ``head``, or None when it looks binary."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return Encoding(codec, bom)
    if b"\x00" in head[:_SNIFF_BYTES]:
        return None
    return Encoding("utf-8")


class TextChunk(NamedTuple):
    """A piece of a file's text. ``offset`` is the character offset of ``text[0]`` in the
    whole file's text (BOM excluded), ``line``/``column`` its 1-based position."""

    text: str
    offset: int
    line: int
    column: int


def _open(path: str) -> BinaryIO:
    if path == STDIN:
        return sys.stdin.buffer
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "missing", "no such file or directory") from None
    except OSError as exc:
        raise InputError(path, "unreadable", f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, "directory", "is a directory")
    if not stat.S_ISREG(st.st_mode):
        # Never opened: opening a FIFO blocks until a writer comes, a device may never end.
        raise InputError(
            path,
            "special",
            f"not a regular file ({_file_type(st.st_mode)}), skipped; pipe it to '-' to read it",
            fatal=False,
        )
    try:
        return open(path, "rb")  # closed by the caller
    except OSError as exc:
        raise InputError(path, "unreadable", f"cannot read: {exc.strerror or exc}") from None


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _decode_error(
    path: str, exc: UnicodeDecodeError, byte_base: int, encoding: Encoding, lines_before: int
) -> InputError:
    offset = byte_base + exc.start
    bad = exc.object[exc.start : exc.end]
    return InputError(
        path,
        "decode",
        f"invalid {encoding.codec.upper()} at byte offset {offset} (line {lines_before + 1}): "
        f"{exc.reason} (byte{'s' if len(bad) > 1 else ''} {bad.hex(' ')})",
    )


def iter_chunks(
    path: str, *, chunk_chars: int = DEFAULT_CHUNK_CHARS, encoding_out: list[Encoding] | None = None
) -> Iterator[TextChunk]:
    """Decode ``path`` (or standard input for ``-``) strictly, in chunks of about
    ``chunk_chars`` characters, split after a line break where there is one, else after
    whitespace, never between CR and LF. An empty file yields nothing.

    Raises :class:`InputError` for a missing, unreadable, binary or badly encoded file
    (possibly after some chunks were yielded). ``encoding_out``, when given, receives the
    detected encoding.
    """
    stream = _open(path)
    try:
        yield from _iter_chunks(path, stream, chunk_chars, encoding_out)
    except OSError as exc:
        raise InputError(path, "unreadable", f"cannot read: {exc.strerror or exc}") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _iter_chunks(
    path: str, stream: BinaryIO, chunk_chars: int, encoding_out: list[Encoding] | None
) -> Iterator[TextChunk]:
    head = stream.read(_READ_BYTES)
    encoding = sniff(head)
    if encoding is None:
        raise InputError(path, "binary", "binary file (NUL bytes), skipped", fatal=False)
    if encoding_out is not None:
        encoding_out.append(encoding)
    decode = encoding.decoder()
    pending = head[len(encoding.bom) :]
    byte_base = len(encoding.bom)
    lines_before = 0
    buffer = ""
    offset, line, column = 0, 1, 1
    eof = False
    while True:
        block = b"" if eof else stream.read(_READ_BYTES)
        if not block:
            eof = True
        data = pending + block
        try:
            text, consumed = decode(data, "strict", eof)
        except UnicodeDecodeError as exc:
            lines_before += data.count(b"\n", 0, exc.start)
            raise _decode_error(path, exc, byte_base, encoding, lines_before) from None
        lines_before += data.count(b"\n", 0, consumed)
        byte_base += consumed
        pending = data[consumed:]
        buffer += text
        # Cut only with a character to spare, so a CR at the cut can see whether an LF
        # follows (a CRLF is never split); at the end of the input, take the rest.
        while len(buffer) > chunk_chars or (eof and buffer):
            cut = len(buffer) if eof and len(buffer) <= chunk_chars else _cut(buffer, chunk_chars)
            piece, buffer = buffer[:cut], buffer[cut:]
            yield TextChunk(text=piece, offset=offset, line=line, column=column)
            offset += len(piece)
            line, column = _advance(piece, line, column)
        if eof:
            return


def _cut(buffer: str, limit: int) -> int:
    """Where to end a chunk of about ``limit`` characters of ``buffer`` (which is longer):
    after a line break, else after whitespace, else at ``limit``; one more when that would
    split a CRLF."""
    cut = _soft_cut(buffer, limit)
    if buffer[cut - 1] == "\r" and buffer[cut] == "\n":
        cut += 1
    return cut


def _soft_cut(buffer: str, limit: int) -> int:
    window = buffer[:limit]
    for sep in ("\n", " ", "\t"):
        pos = window.rfind(sep)
        if pos >= limit // 2:
            return pos + 1
    return limit


def _advance(piece: str, line: int, column: int) -> tuple[int, int]:
    """Line and column just after ``piece``, which starts at (line, column)."""
    breaks = piece.count("\n") + piece.count("\r") - piece.count("\r\n")
    if not breaks:
        return line, column + len(piece)
    last = max(piece.rfind("\n"), piece.rfind("\r"))
    return line + breaks, len(piece) - last


def read_text(path: str, *, max_chars: int | None = None) -> tuple[str, Encoding]:
    """The whole text of ``path`` and its encoding (see :func:`iter_chunks`).

    ``max_chars`` bounds memory: a longer file raises :class:`InputError` (``too_large``).
    """
    encodings: list[Encoding] = []
    parts: list[str] = []
    size = 0
    for chunk in iter_chunks(path, encoding_out=encodings):
        size += len(chunk.text)
        if max_chars is not None and size > max_chars:
            raise InputError(
                path,
                "too_large",
                f"too large for this command ({size:,}+ characters, limit {max_chars:,})",
            )
        parts.append(chunk.text)
    return "".join(parts), (encodings[0] if encodings else Encoding("utf-8"))


class _Globs:
    """``--include``/``--exclude`` patterns with git's wildmatch semantics (``pathspec``):
    a pattern without a slash matches a name at any depth, one with a slash is anchored to
    the walked directory, ``*`` stays within one path segment and ``**/`` spans any number
    (including none), ``dir/`` matches a directory and everything under it."""

    def __init__(self, patterns: Sequence[str]) -> None:
        import pathspec  # lazy: only a directory walk or a glob needs it

        self.spec = pathspec.GitIgnoreSpec.from_lines(patterns)

    def file(self, rel: str) -> bool:
        return self.spec.match_file(rel)

    def directory(self, rel: str) -> bool:
        return self.spec.match_file(rel.rstrip("/") + "/")


class _GitIgnores:
    """The ``.gitignore`` files that apply under a walked directory: the ones of the
    enclosing repository above it (from its root down) and the ones met while walking,
    each matching paths relative to its own directory; later (deeper) files win, and ``!``
    re-includes, as in git."""

    def __init__(self, top: str) -> None:
        import pathspec

        self._pathspec = pathspec
        self.specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []  # (absolute dir, spec)
        here = os.path.abspath(top)
        above: list[str] = []
        probe = here
        while True:
            parent = os.path.dirname(probe)
            if os.path.exists(os.path.join(probe, ".git")) or parent == probe:
                break
            probe = parent
            above.append(probe)
        if os.path.exists(os.path.join(probe, ".git")):
            for directory in reversed(above):
                self.add(directory)

    def add(self, directory: str) -> None:
        path = os.path.join(directory, ".gitignore")
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return
        spec = self._pathspec.GitIgnoreSpec.from_lines(lines)
        self.specs.append((os.path.abspath(directory), spec))

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        full = os.path.abspath(path)
        verdict = False
        for directory, spec in self.specs:
            if not full.startswith(directory + os.sep):
                continue
            rel = _posix(os.path.relpath(full, directory)) + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = bool(result.include)
        return verdict


def _posix(path: str) -> str:
    """``pathlib.Path(path).as_posix()``, pathlib imported only when a pattern needs it
    (walks and ``--exclude``): a one-shot ``scan FILE`` does without it."""
    from pathlib import Path

    return Path(path).as_posix()


def is_hidden(name: str) -> bool:
    """Hidden (a dot name): such directories are not entered when walking."""
    return name.startswith(".") and name not in (".", "..")


def discover(
    paths: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    on_error: Callable[[InputError], None] | None = None,
    gitignore: bool = True,
) -> Iterator[str]:
    """The files named by ``paths``: files as given (even when they do not exist, so the
    reader can report them), directories walked in sorted order.

    A walk skips hidden directories (``.cache/``, ``.git/``), the :data:`SKIP_DIRS` and,
    with ``gitignore``, what the ``.gitignore`` files of the walked tree and of its
    enclosing repository ignore. ``include`` globs keep only matching files found by
    walking; ``exclude`` globs drop files (also named ones) and whole directories. Globs
    have git's wildmatch semantics relative to the walked directory (see :class:`_Globs`).
    A directory that cannot be listed is passed to ``on_error`` (and skipped).
    """

    def walk_error(exc: OSError) -> None:
        if on_error is not None:
            where = exc.filename or "?"
            on_error(InputError(str(where), "unreadable", f"cannot list: {exc.strerror or exc}"))

    inc = _Globs(include) if include else None
    exc_ = _Globs(exclude) if exclude else None
    for given in paths:
        if given == STDIN:
            yield STDIN
            continue
        if not os.path.isdir(given):
            if exc_ is None:
                yield given
                continue
            rel = _posix(given)
            rel = rel[2:] if rel.startswith("./") else rel
            if not exc_.file(rel):
                yield given
            continue
        ignores = _GitIgnores(given) if gitignore else None
        for root, dirs, files in os.walk(given, onerror=walk_error):
            if ignores is not None:
                ignores.add(root)
            rel_root = os.path.relpath(root, given)
            rel_root = "" if rel_root == "." else _posix(rel_root) + "/"
            dirs[:] = sorted(
                d
                for d in dirs
                if d not in SKIP_DIRS
                and not is_hidden(d)
                and not (exc_ is not None and exc_.directory(rel_root + d))
                and not (
                    ignores is not None and ignores.ignored(os.path.join(root, d), is_dir=True)
                )
            )
            for name in sorted(files):
                if is_temp_name(name):  # a write in progress, or left by a killed run
                    continue
                rel = rel_root + name
                if inc is not None and not inc.file(rel):
                    continue
                if exc_ is not None and exc_.file(rel):
                    continue
                full = os.path.join(root, name)
                if ignores is not None and ignores.ignored(full, is_dir=False):
                    continue
                yield full
