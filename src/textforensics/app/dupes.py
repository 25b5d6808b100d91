"""``textforensics dupes``: clusters of near-duplicates among files, and matches against a
saved :class:`~textforensics.DuplicateIndex`."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..duplicates import DuplicateIndex, find_duplicates
from ..results import JSONValue
from .config import Config
from .output import UsageError

__all__ = ["Cluster", "IndexCheck", "check_index", "find_clusters"]


@dataclass(frozen=True, slots=True)
class Cluster:
    """A cluster of files (sorted keys) and its reported pairs ``(a, b, verdict, score)``."""

    keys: list[str]
    pairs: list[tuple[str, str, str, float]]

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "keys": list(self.keys),
            "pairs": [{"a": a, "b": b, "verdict": v, "score": s} for a, b, v, s in self.pairs],
        }


def find_clusters(
    docs: Mapping[str, str],
    cfg: Config,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Cluster]:
    """The clusters among ``docs`` (path -> text) with at least one pair the configuration
    reports (verdict in ``dupes_verdicts``, score at least ``dupes_min_score``)."""
    if len(docs) <= 1:
        return []
    result = find_duplicates(dict(docs), progress=progress)
    clusters = []
    for cluster in result.clusters:
        pairs = [
            (str(p.a), str(p.b), str(p.verdict), float(p.score))
            for p in cluster.pairs
            if p.verdict in cfg.dupes_verdicts and p.score >= cfg.dupes_min_score
        ]
        if pairs:
            clusters.append(Cluster(keys=sorted(str(k) for k in cluster.keys), pairs=pairs))
    return clusters


@dataclass(frozen=True, slots=True)
class IndexCheck:
    """Matches of the files against an index; ``updated`` when the files were added."""

    matches: list[dict[str, JSONValue]]
    updated: bool


def check_index(
    index_path: str, docs: Mapping[str, str], cfg: Config, *, update: bool
) -> IndexCheck:
    """Query the index at ``index_path`` with every document (skipping matches with
    itself and with files of this run, which are clusters); with ``update``, add the
    documents and save the index atomically (creating it when missing)."""
    if os.path.exists(index_path):
        try:
            index = DuplicateIndex.load(index_path)
        except Exception as exc:  # a corrupt or foreign file: say so, do not crash
            raise UsageError(f"{index_path}: cannot load the duplicate index: {exc}") from None
    elif update:
        index = DuplicateIndex()
    else:
        raise UsageError(f"{index_path}: no such index (create it with --update-index)")

    matches: list[dict[str, JSONValue]] = []
    doc_keys = {Path(p).as_posix() for p in docs}
    for path, text in docs.items():
        key = Path(path).as_posix()
        for match in index.query(text):
            other, verdict, score = str(match.key), match.verdict, match.score
            if other == key or other in doc_keys:
                continue
            if verdict in cfg.dupes_verdicts and score >= cfg.dupes_min_score:
                matches.append({"path": path, "key": other, "verdict": verdict, "score": score})
    if update:
        for path, text in docs.items():
            key = Path(path).as_posix()
            if key in index:
                index.remove(key)
            index.add(key, text)
        tmp = f"{index_path}.tmp-{os.getpid()}"
        try:
            index.save(tmp)
            os.replace(tmp, index_path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return IndexCheck(matches=matches, updated=update)
