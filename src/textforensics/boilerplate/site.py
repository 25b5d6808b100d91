"""The cross-page (site) model: lines that repeat across many pages of one site."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text import iter_lines, require_str
from .phrases import line_key
from .save import save_text_atomically


@dataclass
class BoilerplateModel:
    """Lines learned to repeat across the pages of one site (see :func:`learn_boilerplate`).

    ``lines`` maps a normalized line to the number of pages it occurs on; ``documents`` is
    the number of pages learned from; a line is boilerplate when it occurs on at least
    ``min_documents`` pages.
    """

    lines: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    min_documents: int = 2

    def __contains__(self, line: str) -> bool:
        return self.lines.get(line_key(line).strip(), 0) >= self.min_documents

    def count(self, line: str) -> int:
        """On how many learned pages ``line`` occurs (after normalization)."""
        return self.lines.get(line_key(line).strip(), 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "textforensics.boilerplate-model/1",
            "documents": self.documents,
            "min_documents": self.min_documents,
            "lines": dict(sorted(self.lines.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BoilerplateModel:
        if data.get("format") != "textforensics.boilerplate-model/1":
            raise ValueError("not a textforensics boilerplate model")
        return cls(
            lines={str(k): int(v) for k, v in data["lines"].items()},
            documents=int(data["documents"]),
            min_documents=int(data["min_documents"]),
        )

    def save(self, path: str | Path) -> None:
        """Write the model as JSON, atomically: a reader sees the old file or the new one,
        never a part (a temporary file in the same directory, then :func:`os.replace`)."""
        save_text_atomically(path, json.dumps(self.to_dict(), ensure_ascii=False))

    @classmethod
    def load(cls, path: str | Path) -> BoilerplateModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def learn_boilerplate(
    docs: Iterable[str], *, min_documents: int = 2, min_share: float = 0.2
) -> BoilerplateModel:
    """Learn the lines that repeat across pages of one site (CCNet-style line dedup).

    Each page counts a line once. A line becomes boilerplate when it occurs on at least
    ``max(min_documents, min_share * pages)`` pages. Pass the result as ``model=`` to
    :func:`strip_boilerplate`.
    """
    counts: Counter[str] = Counter()
    n = 0
    if isinstance(docs, str):
        raise TypeError("docs must be an iterable of pages (str), not one str")
    for i, doc in enumerate(docs):
        require_str(doc, f"docs[{i}]")
        n += 1
        seen = set()
        for s, e in iter_lines(doc):
            key = line_key(doc[s:e]).strip()
            if key and any(c.isalnum() for c in key):
                seen.add(key)
        counts.update(seen)
    threshold = max(min_documents, math.ceil(min_share * n))
    lines = {k: c for k, c in counts.items() if c >= threshold}
    return BoilerplateModel(lines=lines, documents=n, min_documents=threshold)
