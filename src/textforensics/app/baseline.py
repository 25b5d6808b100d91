"""The baseline of accepted findings: a JSON file of fingerprints (never line numbers), so
that only new findings fail a check."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import ConfigError
from .files import atomic_write
from .report import Located

__all__ = ["BASELINE_VERSION", "Baseline", "save_baseline"]

BASELINE_VERSION = 1
"""The ``version`` field of a baseline file."""


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
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            raise ConfigError(
                f"{path}: baseline file not found (create it with --write-baseline)"
            ) from None
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read baseline: {exc}") from None
        if (
            not isinstance(data, dict)
            or data.get("version") != BASELINE_VERSION
            or not isinstance(data.get("findings"), list)
        ):
            raise ConfigError(f"{path}: not a textforensics baseline (version {BASELINE_VERSION})")
        entries = [e for e in data["findings"] if isinstance(e, dict)]
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


def save_baseline(path: str, items: Iterable[Located]) -> int:
    """Write ``items`` as the baseline at ``path`` (atomically over an existing file);
    the number of findings written."""
    baseline = Baseline.from_items(items)
    data = baseline.to_json().encode("utf-8")
    if os.path.exists(path):
        atomic_write(path, [data])  # keeps the file's mode
    else:
        tmp = f"{path}.tmp-{os.getpid()}"
        try:
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return len(baseline.entries)
