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
- Writing: atomically (a temporary file in the same directory, fsynced, then
  :func:`os.replace`), keeping the file's mode, owner and group, the BOM and the encoding;
  line endings are kept because text is never newline-translated. Temporary files have
  recognisable names (:func:`is_temp_name`) that discovery skips, and are removed on any
  error and on SIGTERM/SIGHUP (SIGKILL cannot be caught: what it leaves is skipped).

Nothing here prints: problems are raised as :class:`InputError` for the caller to report.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import BinaryIO

__all__ = [
    "DEFAULT_CHUNK_CHARS",
    "SKIP_DIRS",
    "STDIN",
    "TEMP_PREFIX",
    "TEMP_SUFFIX",
    "AtomicWriter",
    "Encoding",
    "InputError",
    "TextChunk",
    "atomic_write",
    "discover",
    "is_hidden",
    "is_temp_name",
    "iter_chunks",
    "read_text",
    "signals_raise",
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


TEMP_PREFIX = ".textforensics-"
TEMP_SUFFIX = ".tmp"
"""Temporary files written next to their target are named ``TEMP_PREFIX...TEMP_SUFFIX``."""


def is_temp_name(name: str) -> bool:
    """Whether the file name ``name`` (no directory) is one of our temporary files."""
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


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


@dataclass(frozen=True, slots=True)
class Encoding:
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


@dataclass(frozen=True, slots=True)
class TextChunk:
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


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise :class:`SystemExit` (exit status 128 + the
    signal) so that ``finally`` blocks run and temporary files are removed. Only the main
    thread can install handlers: elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    previous = {}
    try:
        for signum in wanted:
            previous[signum] = signal.signal(signum, handler)
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


class AtomicWriter:
    """A new version of ``path`` written to a temporary file in the same directory and
    renamed over it by :meth:`commit`; leaving the ``with`` block without committing (an
    error, a signal) removes the temporary file and leaves ``path`` untouched.

    An existing file keeps its permission bits, owner and group (changing the owner needs
    the right to, e.g. root: otherwise :meth:`commit` raises :class:`PermissionError`
    rather than hand the file to someone else); a new file gets the default mode
    (0666 minus the umask). ``path`` itself is replaced: resolve symbolic links first if
    the link should stay a link.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.directory = os.path.dirname(os.path.abspath(path))
        self.tmp: str | None = None
        self._file: BinaryIO | None = None
        self._signals = signals_raise()

    def __enter__(self) -> AtomicWriter:
        self._signals.__enter__()
        try:
            fd, self.tmp = tempfile.mkstemp(
                prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.directory
            )
            self._file = os.fdopen(fd, "wb")
        except BaseException:
            self._cleanup()
            self._signals.__exit__(None, None, None)
            raise
        return self

    def write(self, data: bytes) -> None:
        assert self._file is not None, "AtomicWriter used outside its with block"
        self._file.write(data)

    def commit(self, check: Callable[[], None] | None = None) -> None:
        """Flush and fsync the new content, give it the original's mode and owner, call
        ``check`` (which raises to refuse the replacement), then rename it over ``path``."""
        assert self._file is not None
        assert self.tmp is not None
        out, self._file = self._file, None
        out.flush()
        os.fsync(out.fileno())
        out.close()
        try:
            st: os.stat_result | None = os.stat(self.path)
        except FileNotFoundError:
            st = None
        if st is not None:
            os.chmod(self.tmp, stat.S_IMODE(st.st_mode))
            mine = os.stat(self.tmp)
            if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid) and hasattr(os, "chown"):
                os.chown(self.tmp, st.st_uid, st.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)
        if check is not None:
            check()
        os.replace(self.tmp, self.path)
        self.tmp = None
        with contextlib.suppress(OSError):  # make the rename itself durable
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def _cleanup(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._cleanup()
        finally:
            self._signals.__exit__(exc_type, exc, tb)


def atomic_write(path: str, data: Iterable[bytes]) -> None:
    """Replace (or create) the file at ``path`` with ``data`` atomically (see
    :class:`AtomicWriter`). A symbolic link is followed, so the link stays a link. On any
    error the original is untouched and the temporary file removed."""
    target = os.path.realpath(path)
    with AtomicWriter(target) as out:
        for piece in data:
            out.write(piece)
        out.commit()


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
            rel = Path(os.path.relpath(full, directory)).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = bool(result.include)
        return verdict


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
            rel = Path(given).as_posix()
            rel = rel[2:] if rel.startswith("./") else rel
            if exc_ is None or not exc_.file(rel):
                yield given
            continue
        ignores = _GitIgnores(given) if gitignore else None
        for root, dirs, files in os.walk(given, onerror=walk_error):
            if ignores is not None:
                ignores.add(root)
            rel_root = os.path.relpath(root, given)
            rel_root = "" if rel_root == "." else Path(rel_root).as_posix() + "/"
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
