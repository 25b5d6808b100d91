"""Atomic saves of the models this package writes (site models, classifier models)."""

from __future__ import annotations

from pathlib import Path

from ..storage import atomic_write


def save_text_atomically(path: str | Path, text: str) -> None:
    """Replace the file at ``path`` with ``text`` (UTF-8) so that a reader sees the old
    file or the new one, never a part (:func:`textforensics.storage.atomic_write`). A new
    file gets the usual permissions (the umask's); a replaced one keeps its permission
    bits."""
    atomic_write(path, text.encode("utf-8"))
