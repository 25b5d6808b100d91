"""Safe writes, the package's one implementation: :class:`AtomicWriter` and
:func:`atomic_write` (a file is the old or the new version, never a partial one) and
:func:`file_lock` (one writer at a time around a read-modify-write).

The new content goes to a temporary file in the target's own directory (so the final
:func:`os.replace` is a rename on one file system), which is flushed and fsynced, given
the permission bits (and optionally the owner and group) of the file it replaces, checked
by an optional callback, renamed over the target, and the directory is fsynced. The
temporary file is removed on any exception, and on ``SIGTERM``/``SIGINT``/``SIGHUP``
received while writing from the main thread (the signal is then delivered again with its
previous handler, so the process still ends as it would have; ignored signals and the
caller's own handlers are left alone). A process killed with ``SIGKILL`` cannot clean up:
its temporary file is named after the target and the writer's process id, and the next
write of that target removes it once that process is gone.

Every temporary file is named ``TEMP_PREFIX + target name + "." + pid + "-" + random +
TEMP_SUFFIX`` (:func:`is_temp_name` recognises them, so directory scans can skip them).

Thread-safe: nothing is shared between calls.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "TEMP_PREFIX",
    "TEMP_SUFFIX",
    "AtomicWriter",
    "atomic_write",
    "file_lock",
    "is_temp_name",
    "lock_path",
    "temp_prefix",
]

TEMP_PREFIX = ".textforensics-"
TEMP_SUFFIX = ".tmp"
"""Temporary files written next to their target are named ``TEMP_PREFIX...TEMP_SUFFIX``."""

_SIGNALS = tuple(
    s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGINT", "SIGHUP")) if s is not None
)


class _Interrupted(BaseException):
    """Raised by the temporary signal handler so that cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _token() -> str:
    """A random part for a temporary file's name."""
    import secrets  # lazy: reading commands never write, and it costs start-up time

    return secrets.token_hex(6)


def is_temp_name(name: str) -> bool:
    """Whether the file name ``name`` (no directory) is one of our temporary files."""
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def temp_prefix(path: str | os.PathLike[str]) -> str:
    """The name prefix of the temporary files written for ``path`` (then the writer's
    process id, ``-``, a random part and :data:`TEMP_SUFFIX`)."""
    from pathlib import Path  # lazy: only writes need it (a one-shot scan never does)

    return f"{TEMP_PREFIX}{Path(path).name}."


def lock_path(path: str | os.PathLike[str]) -> str:
    """The lock file that :func:`file_lock` uses for ``path`` (next to it)."""
    from pathlib import Path  # lazy: see temp_prefix

    target = Path(path)
    return str(target.with_name(f".{target.name}.lock"))


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str], *, timeout: float = -1) -> Iterator[None]:
    """Hold an exclusive inter-process lock for ``path`` (a ``filelock`` lock file next to
    it, left in place) for the duration of the ``with`` block. Wrap every
    read-modify-write of a shared file in it so concurrent writers lose nothing;
    ``timeout`` in seconds (negative: wait forever) raises ``filelock.Timeout``."""
    from filelock import FileLock

    with FileLock(lock_path(path), timeout=timeout):
        yield


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(directory: Path, prefix: str) -> None:
    # Temporary files of writers killed with SIGKILL: named prefix + pid + random part.
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if not name.startswith(prefix):
            continue
        pid_part = name[len(prefix) :].split("-", 1)[0]
        if pid_part.isdigit() and int(pid_part) != os.getpid() and not _pid_alive(int(pid_part)):
            with contextlib.suppress(OSError):
                os.unlink(directory / name)


class _SignalCleanup:
    """While entered (main thread only: elsewhere signals keep their handlers), the
    signals that would end the process anyway raise :class:`_Interrupted` instead, so
    that cleanup runs; :meth:`restore` puts the previous handlers back."""

    def __init__(self) -> None:
        self.previous: dict[int, Any] = {}

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for s in _SIGNALS:
            # Only signals with the default action (or Python's KeyboardInterrupt):
            # ignored signals and the caller's own handlers stay.
            if signal.getsignal(s) in (signal.SIG_DFL, signal.default_int_handler):
                self.previous[s] = signal.signal(s, _raise_interrupted)

    def restore(self) -> None:
        previous, self.previous = self.previous, {}
        for s, h in previous.items():
            signal.signal(s, h)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise _Interrupted(signum)


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class AtomicWriter:
    """A new version of ``path`` written to a temporary file in the same directory and
    renamed over it by :meth:`commit`; leaving the ``with`` block without committing (an
    error, a signal) removes the temporary file and leaves ``path`` untouched.

    Permission bits: ``mode`` if given, else the existing file's, else ``0o666`` minus the
    umask. With ``keep_owner``, an existing file also keeps its owner and group (changing
    the owner needs the right to, e.g. root: otherwise :meth:`commit` raises
    :class:`PermissionError` rather than hand the file to someone else). ``path`` itself
    is replaced: resolve symbolic links first if the link should stay a link.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, mode: int | None = None, keep_owner: bool = False
    ) -> None:
        self.path = os.fspath(path)
        self.directory = os.path.dirname(os.path.abspath(self.path))
        self.mode = mode
        self.keep_owner = keep_owner
        self.tmp: str | None = None
        self._file: BinaryIO | None = None
        self._signals = _SignalCleanup()

    def __enter__(self) -> AtomicWriter:
        from pathlib import Path  # lazy: see temp_prefix

        prefix = temp_prefix(self.path)
        _remove_stale(Path(self.directory), prefix)
        self._signals.install()
        try:
            # Named before it exists, so that a signal at any point finds it to remove.
            self.tmp = os.path.join(
                self.directory, f"{prefix}{os.getpid()}-{_token()}{TEMP_SUFFIX}"
            )
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            self._file = os.fdopen(fd, "wb")
        except BaseException as exc:
            self._cleanup()
            self._signals.restore()
            if isinstance(exc, _Interrupted):
                _redeliver(self.path, exc.signum)
            raise
        return self

    @property
    def file(self) -> BinaryIO:
        """The open temporary file (for writers that want a file object)."""
        assert self._file is not None, "AtomicWriter used outside its with block"
        return self._file

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.file.write(data)

    def commit(self, check: Callable[[], None] | None = None) -> None:
        """Flush and fsync the new content, give it its mode (and owner), call ``check``
        (which raises to refuse the replacement: the target is untouched), then rename it
        over ``path`` and fsync the directory."""
        assert self.tmp is not None
        out, self._file = self.file, None
        out.flush()
        os.fsync(out.fileno())
        out.close()
        try:
            st: os.stat_result | None = os.stat(self.path)
        except FileNotFoundError:
            st = None
        mode = self.mode
        if mode is None:
            mode = stat.S_IMODE(st.st_mode) if st is not None else _default_mode()
        os.chmod(self.tmp, mode)
        if self.keep_owner and st is not None and hasattr(os, "chown"):
            mine = os.stat(self.tmp)
            if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
                os.chown(self.tmp, st.st_uid, st.st_gid)
        if check is not None:
            check()
        os.replace(self.tmp, self.path)
        self.tmp = None
        _fsync_dir(self.directory)  # make the rename itself durable

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
            self._signals.restore()
        if isinstance(exc, _Interrupted):
            _redeliver(self.path, exc.signum)


def _redeliver(path: str, signum: int) -> None:
    # Deliver the signal again under the restored handler (default: end the process);
    # when that handler returns (or is an outer writer's), stop the write anyway.
    signal.raise_signal(signum)
    raise InterruptedError(f"{path}: write interrupted by signal {signum}")


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | Iterable[bytes],
    *,
    mode: int | None = None,
    keep_owner: bool = False,
    validate: Callable[[str], None] | None = None,
) -> None:
    """Replace (or create) the file at ``path`` with ``data`` atomically (see
    :class:`AtomicWriter` for ``mode`` and ``keep_owner``).

    ``validate(temp_path)`` is called on the complete, fsynced temporary file just before
    the rename (raise to abort: the target is untouched). A symbolic link at ``path`` is
    resolved first: the file it points to is replaced and the link stays a link."""
    target = os.path.realpath(path)
    chunks = [data] if isinstance(data, bytes | bytearray | memoryview) else data
    with AtomicWriter(target, mode=mode, keep_owner=keep_owner) as out:
        for chunk in chunks:
            out.write(chunk)
        tmp = out.tmp
        assert tmp is not None
        out.commit(None if validate is None else (lambda: validate(tmp)))
