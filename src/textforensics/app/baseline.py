"""The baseline of accepted findings: a JSON file of fingerprints (never line numbers), so
that only new findings fail a check.

A baseline is data: plain JSON, validated on load (version, shape, field types; nesting
and size bounded), any problem a :class:`~textforensics.app.config.ConfigError` naming the
file. It is written atomically (see :class:`~textforensics.storage.AtomicWriter`) under a
file lock (``<baseline>.lock``), so concurrent runs never interleave their writes."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..storage import atomic_write
from .config import ConfigError
from .report import Located

__all__ = ["BASELINE_VERSION", "Baseline", "save_baseline"]

BASELINE_VERSION = 1
"""The ``version`` field of a baseline file."""

_MAX_BYTES = 256 * 1024 * 1024
_LOCK_TIMEOUT = 60.0  # seconds to wait for another run writing the same baseline
_FIELDS = {"path": str, "code": str, "kind": str, "fingerprint": str, "text": str, "line": int}


def _norm_path(path: str) -> str:
    return Path(path).as_posix().removeprefix("./")


@dataclass(slots=True)
class Baseline:
    """Accepted findings, matched by path and fingerprint (never by line), as a multiset:
    two accepted identical findings accept two occurrences, not three."""

    entries: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: str) -> Baseline:
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):
                raise ConfigError(f"{path}: baseline is not a regular file")
            if st.st_size > _MAX_BYTES:
                raise ConfigError(f"{path}: baseline larger than {_MAX_BYTES:,} bytes")
            with open(path, "rb") as f:
                data = json.loads(f.read().decode("utf-8"))
        except FileNotFoundError:
            raise ConfigError(
                f"{path}: baseline file not found (create it with --write-baseline)"
            ) from None
        except RecursionError:
            raise ConfigError(f"{path}: cannot read baseline: JSON nested too deeply") from None
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            raise ConfigError(f"{path}: cannot read baseline: {exc}") from None
        if (
            not isinstance(data, dict)
            or data.get("version") != BASELINE_VERSION
            or not isinstance(data.get("findings"), list)
        ):
            raise ConfigError(f"{path}: not a textforensics baseline (version {BASELINE_VERSION})")
        entries = data["findings"]
        for n, entry in enumerate(entries):
            problem = _entry_problem(entry)
            if problem:
                raise ConfigError(f"{path}: finding {n} of the baseline {problem}")
        return cls(entries)

    @classmethod
    def from_items(cls, items: Iterable[Located]) -> Baseline:
        return cls(
            [
                {
                    "path": _norm_path(i.path),
                    "code": i.code,
                    "kind": i.kind,
                    "fingerprint": i.fingerprint,
                    "text": i.flagged,
                    "line": i.line,
                }
                for i in items
            ]
        )

    def to_json(self) -> str:
        entries = sorted(
            self.entries, key=lambda e: (e["path"], e.get("line", 0), e["fingerprint"])
        )
        doc = {
            "version": BASELINE_VERSION,
            "generated_by": "textforensics",
            "note": "Accepted findings; matched by path and fingerprint, not by line.",
            "findings": entries,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def mark(self, items: Sequence[Located]) -> None:
        """Set ``baselined`` on the items the baseline accepts."""
        available: dict[tuple[str, str], int] = {}
        for entry in self.entries:
            key = (_norm_path(str(entry.get("path", ""))), str(entry.get("fingerprint", "")))
            available[key] = available.get(key, 0) + 1
        for item in items:
            key = (_norm_path(item.path), item.fingerprint)
            if available.get(key, 0) > 0:
                available[key] -= 1
                item.baselined = True


def _entry_problem(entry: Any) -> str:
    """What is wrong with one baseline entry ("" when nothing)."""
    if not isinstance(entry, dict):
        return "is not an object"
    for name, kind in _FIELDS.items():
        value = entry.get(name)
        if name in ("path", "fingerprint") and value is None:
            return f"has no {name}"
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            return f"has a {name} that is not a {'string' if kind is str else 'number'}"
    return ""


def save_baseline(
    path: str, items: Iterable[Located], *, keep: Iterable[dict[str, Any]] = ()
) -> int:
    """Write ``items`` (after the entries ``keep``, e.g. the accepted findings of files not
    scanned now) as the baseline at ``path`` (atomically, under the baseline's lock);
    the number of findings written. A missing directory, a directory at ``path`` or an
    unwritable place is a :class:`ConfigError` (a usage error), raised before anything is
    written."""
    baseline = Baseline([*keep, *Baseline.from_items(items).entries])
    data = baseline.to_json().encode("utf-8")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise ConfigError(f"{path}: cannot write the baseline: no directory {directory}")
    if os.path.isdir(path):
        raise ConfigError(f"{path}: cannot write the baseline: it is a directory")
    if os.path.exists(path) and not os.path.isfile(path):
        raise ConfigError(f"{path}: cannot write the baseline: not a regular file")
    from filelock import FileLock, Timeout  # lazy: only writing a baseline takes the lock

    try:
        with FileLock(os.path.realpath(path) + ".lock", timeout=_LOCK_TIMEOUT):
            atomic_write(path, data, keep_owner=True)  # keeps an existing file's mode and owner
    except Timeout:
        raise ConfigError(
            f"{path}: another run has held the baseline's lock for {_LOCK_TIMEOUT:.0f} s"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    return len(baseline.entries)
