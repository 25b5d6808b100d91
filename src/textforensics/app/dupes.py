"""``textforensics dupes``: clusters of near-duplicates among files, and matches against a
saved :class:`~textforensics.DuplicateIndex`."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..duplicates import DuplicateIndex, IndexFormatError, find_duplicates
from ..results import JSONValue
from ..storage import file_lock
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
    documents and save the index atomically (creating it when missing), holding the
    index's file lock from the load to the save so concurrent updates lose nothing."""
    if not update:
        return IndexCheck(matches=_query(_load(index_path, update=False), docs, cfg), updated=False)
    # A read-modify-write of a file others may update too: hold its lock throughout.
    with file_lock(index_path):
        index = _load(index_path, update=True)
        matches = _query(index, docs, cfg)
        for path, text in docs.items():
            index.add(Path(path).as_posix(), text)
        index.save(index_path)
    return IndexCheck(matches=matches, updated=True)


def _load(index_path: str, *, update: bool) -> DuplicateIndex:
    if os.path.exists(index_path):
        try:
            return DuplicateIndex.load(index_path)
        except (IndexFormatError, OSError) as exc:
            raise UsageError(
                str(exc)
                if isinstance(exc, IndexFormatError)
                else f"{index_path}: cannot read the duplicate index: {exc}"
            ) from None
    if update:
        return DuplicateIndex()
    raise UsageError(f"{index_path}: no such index (create it with --update-index)")


def _query(
    index: DuplicateIndex, docs: Mapping[str, str], cfg: Config
) -> list[dict[str, JSONValue]]:
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
    return matches
