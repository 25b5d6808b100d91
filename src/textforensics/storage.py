"""Safe writes: :func:`atomic_write` (a file is the old or the new version, never a
partial one) and :func:`file_lock` (one writer at a time around a read-modify-write).

``atomic_write`` writes a temporary file in the target's own directory (so the final
:func:`os.replace` is a rename on one file system), flushes and fsyncs it, renames it over
the target and fsyncs the directory. The temporary file is removed on any exception, and
on ``SIGTERM``/``SIGINT``/``SIGHUP`` received while writing from the main thread (the
signal is then delivered again with its previous handler, so the process still ends as it
would have; ignored signals and the caller's own handlers are left alone). A process
killed with ``SIGKILL`` cannot clean up: its temporary file is named after the target and
the writer's process id, and the next ``atomic_write`` of that target removes it once that
process is gone.

Thread-safe: nothing is shared between calls.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

__all__ = ["atomic_write", "file_lock", "lock_path", "temp_prefix"]

_SIGNALS = tuple(
    s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGINT", "SIGHUP")) if s is not None
)


class _Interrupted(BaseException):
    """Raised by the temporary signal handler so that cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def temp_prefix(path: str | os.PathLike[str]) -> str:
    """The name prefix of :func:`atomic_write`'s temporary files for ``path``."""
    return f".{Path(path).name}.tmp-"


def lock_path(path: str | os.PathLike[str]) -> str:
    """The lock file that :func:`file_lock` uses for ``path`` (next to it)."""
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


@contextlib.contextmanager
def _cleanup_on_signal() -> Iterator[list[int]]:
    # Only the main thread may install handlers; elsewhere signals keep their handlers.
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        raise _Interrupted(signum)

    previous: dict[int, Any] = {}
    try:
        for s in _SIGNALS:
            # Only signals that would end the write anyway (default action, or Python's
            # KeyboardInterrupt): ignored signals and the caller's own handlers stay.
            if signal.getsignal(s) in (signal.SIG_DFL, signal.default_int_handler):
                previous[s] = signal.signal(s, handler)
        yield received
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _fsync_dir(directory: Path) -> None:
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


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | Iterable[bytes],
    *,
    mode: int | None = None,
    validate: Callable[[str], None] | None = None,
) -> None:
    """Replace the file at ``path`` with ``data`` atomically.

    The bytes go to a temporary file in the same directory, which is fsynced, optionally
    checked by ``validate(temp_path)`` (raise to abort: the target is untouched), then
    renamed over ``path``. Permission bits: ``mode`` if given, else the existing file's,
    else ``0o666`` minus the umask. Symlinks at ``path`` are replaced by the renamed file
    only after being resolved: the file they point to is the one replaced."""
    target = Path(os.path.realpath(path))
    directory = target.parent
    prefix = temp_prefix(target)
    _remove_stale(directory, prefix)
    if mode is None:
        try:
            mode = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    chunks = [data] if isinstance(data, bytes | bytearray | memoryview) else data
    tmp: str | None = None
    with _cleanup_on_signal() as received:
        try:
            # Named before it exists, so that a signal at any point finds it to remove.
            tmp = str(directory / f"{prefix}{os.getpid()}-{secrets.token_hex(6)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, mode)
            if validate is not None:
                validate(tmp)
            os.replace(tmp, target)
            tmp = None
            _fsync_dir(directory)
        except _Interrupted:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
    if received:
        # Deliver the signal again under the restored handler (default: end the process).
        signal.raise_signal(received[0])
        raise InterruptedError(f"{path}: write interrupted by signal {received[0]}")
