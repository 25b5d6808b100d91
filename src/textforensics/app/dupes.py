"""``textforensics dupes``: clusters of near-duplicates among files, and matches against a
saved :class:`~textforensics.DuplicateIndex`."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..results import JSONValue
from ..storage import file_lock
from .config import Config
from .output import UsageError

if TYPE_CHECKING:
    from ..duplicates import DuplicateIndex

__all__ = [
    "IGNORE_MARKER",
    "Cluster",
    "IndexCheck",
    "check_index",
    "find_clusters",
    "git_tracked",
    "has_ignore_marker",
    "is_accepted",
    "load_accepted",
    "save_accepted",
    "unique_keys",
]


@dataclass(frozen=True, slots=True)
class Cluster:
    """A cluster of files (sorted keys) and its reported pairs ``(a, b, verdict, score)``."""

    keys: list[str]
    pairs: list[tuple[str, str, str, float]]
    representative: str = ""

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "representative": self.representative or self.keys[0],
            "keys": list(self.keys),
            "pairs": [{"a": a, "b": b, "verdict": v, "score": s} for a, b, v, s in self.pairs],
        }


def find_clusters(
    docs: Mapping[str, str],
    cfg: Config,
    progress: Callable[[str, int, int], None] | None = None,
    prefer: frozenset[str] = frozenset(),
) -> list[Cluster]:
    """The clusters among ``docs`` (path -> text) with at least one pair the configuration
    reports (verdict in ``dupes_verdicts``, score at least ``dupes_min_score``). Each
    cluster's representative (the file to keep) is its first key in ``prefer`` (e.g. the
    files already committed), else its first key."""
    if len(docs) <= 1:
        return []
    from ..duplicates import find_duplicates  # lazy: datasketch and scipy cost ~0.5 s

    result = find_duplicates(dict(docs), progress=progress)
    clusters = []
    for cluster in result.clusters:
        pairs = [
            (str(p.a), str(p.b), str(p.verdict), float(p.score))
            for p in cluster.pairs
            if p.verdict in cfg.dupes_verdicts and p.score >= cfg.dupes_min_score
        ]
        if pairs:
            keys = sorted(str(k) for k in cluster.keys)
            rep = next((k for k in keys if k in prefer), keys[0])
            clusters.append(Cluster(keys=keys, pairs=pairs, representative=rep))
    return clusters


def unique_keys(docs: Mapping[str, str], clusters: Sequence[Cluster]) -> list[str]:
    """The documents in no reported cluster (with each cluster's representative, the
    set to keep)."""
    clustered = {k for c in clusters for k in c.keys}
    return sorted(k for k in docs if k not in clustered)


IGNORE_MARKER = "textforensics: ignore-duplicate"
"""A file containing this marker is never reported as a duplicate (a known copy)."""


def has_ignore_marker(text: str) -> bool:
    return IGNORE_MARKER in text


def git_tracked(cwd: str = ".") -> list[str]:
    """The files git tracks in the repository of ``cwd`` (paths relative to ``cwd``), or
    a :class:`UsageError` outside a repository."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--full-name"],
            cwd=cwd,
            capture_output=True,
            check=True,
        )
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=cwd,
            capture_output=True,
            check=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise UsageError(f"--git: not in a git repository ({exc})") from None
    names = [n for n in done.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    return [os.path.relpath(os.path.join(top, n), cwd) for n in names]


# --- the dupes baseline: accepted clusters -----------------------------------------------

DUPES_BASELINE_VERSION = 1


def load_accepted(path: str) -> list[frozenset[str]]:
    """The accepted clusters of a dupes baseline (sets of posix paths)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise UsageError(f"{path}: baseline not found (create it with --write-baseline)") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the dupes baseline: {exc}") from None
    if (
        not isinstance(data, dict)
        or data.get("kind") != "dupes"
        or data.get("version") != DUPES_BASELINE_VERSION
        or not isinstance(data.get("clusters"), list)
    ):
        raise UsageError(f"{path}: not a textforensics dupes baseline")
    return [frozenset(_posix(str(k)) for k in c) for c in data["clusters"] if isinstance(c, list)]


def _posix(path: str) -> str:
    return Path(path).as_posix().removeprefix("./")


def is_accepted(cluster: Cluster, accepted: Sequence[frozenset[str]]) -> bool:
    """A cluster whose files all belong to one accepted cluster (a new copy is not)."""
    keys = {_posix(k) for k in cluster.keys}
    return any(keys <= group for group in accepted)


def save_accepted(path: str, clusters: Sequence[Cluster], keep: Sequence[frozenset[str]]) -> int:
    """Write the clusters (and the ``keep`` groups of files not in this run) as the dupes
    baseline, atomically; the number of clusters written."""
    groups = [sorted(g) for g in keep] + [sorted(_posix(k) for k in c.keys) for c in clusters]
    doc = {"version": DUPES_BASELINE_VERSION, "kind": "dupes", "clusters": sorted(groups)}
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(groups)


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
    from ..duplicates import DuplicateIndex, IndexFormatError  # lazy: see find_clusters

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
