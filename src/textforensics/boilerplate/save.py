"""Atomic saves of the models this package writes (site models, classifier models)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def save_text_atomically(path: str | Path, text: str) -> None:
    """Replace the file at ``path`` with ``text`` (UTF-8) so that a reader sees the old
    file or the new one, never a part: written to a new file in the same directory, then
    renamed over it (:func:`os.replace`). A new file gets the usual permissions (the
    umask's); a replaced one keeps its permission bits."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
