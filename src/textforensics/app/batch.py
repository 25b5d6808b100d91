"""Batch input and parallel work for corpora: documents from files, directories, globs or
JSON-lines files, processed in a process pool, results in document order.

Nothing here prints: the caller passes a progress callback and reports problems.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .files import STDIN, InputError, read_text
from .output import UsageError

__all__ = ["Doc", "JsonlFields", "expand_globs", "iter_jsonl", "output_path", "run_pool", "workers"]

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Doc:
    """One input document: ``key`` names it in output (a path or a JSON-lines id),
    ``rel`` is its path relative to the directory it was found in (for ``--output-dir``)."""

    key: str
    text: str
    rel: str


@dataclass(frozen=True, slots=True)
class JsonlFields:
    """Which fields of a JSON-lines record hold the text and the id."""

    text: str = "text"
    id: str = "id"


def expand_globs(paths: Sequence[str]) -> list[str]:
    """Paths with shell-style globs expanded (for shells that do not, and quoted globs);
    a glob matching nothing is kept so that the reader reports it."""
    out: list[str] = []
    for path in paths:
        if path != STDIN and glob.has_magic(path):
            found = sorted(glob.glob(path, recursive=True))
            out.extend(found or [path])
        else:
            out.append(path)
    return out


def iter_jsonl(path: str, fields: JsonlFields) -> Iterator[Doc]:
    """The documents of a JSON-lines file (``-`` = standard input); a record without the
    text field, or a line that is not JSON, is an :class:`InputError` naming the line."""
    text, _ = read_text(path)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise InputError(path, "decode", f"line {n}: not JSON: {exc}") from None
        if not isinstance(record, dict) or not isinstance(record.get(fields.text), str):
            raise InputError(path, "decode", f"line {n}: no string field {fields.text!r}")
        raw_id = record.get(fields.id)
        key = str(raw_id) if raw_id is not None else f"{path}:{n}"
        yield Doc(key=key, text=record[fields.text], rel=_safe_name(key))


def _safe_name(key: str) -> str:
    """A file name for an id: path separators and leading dots neutralised, so an id can
    never write outside ``--output-dir``."""
    name = "".join("_" if c in "/\\\0:" else c for c in key).lstrip(".") or "_"
    return name if name.endswith(".txt") else name + ".txt"


def output_path(output_dir: str, doc: Doc) -> str:
    """Where ``doc``'s result goes under ``output_dir`` (its relative path, kept inside)."""
    rel = Path(doc.rel)
    parts = [p for p in rel.parts if p not in ("..", ".", "/", "\\") and not p.endswith(":")]
    return os.path.join(output_dir, *parts) if parts else os.path.join(output_dir, "_")


def workers(requested: int | None, total_chars: int, count: int) -> int:
    """How many processes: ``requested`` when given (0 = every core); else one for small
    runs (starting a pool costs about as much as stripping a megabyte), every core above."""
    cores = os.cpu_count() or 1
    if requested is not None:
        if requested < 0:
            raise UsageError("-j must be 0 (every core) or a positive number")
        return cores if requested == 0 else requested
    if count < 8 or total_chars < 2_000_000:
        return 1
    return cores


def run_pool(
    func: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """``func`` over ``items`` in order, on ``jobs`` processes (in this process for one);
    ``progress`` gets the number done so far. ``func`` must be a module-level function."""
    results: list[R] = []
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            results.append(func(item))
            if progress is not None:
                progress(len(results))
        return results
    from concurrent.futures import ProcessPoolExecutor  # lazy: multiprocessing is slow to import

    chunksize = max(1, min(64, len(items) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(func, items, chunksize=chunksize):
            results.append(result)
            if progress is not None:
                progress(len(results))
    return results
