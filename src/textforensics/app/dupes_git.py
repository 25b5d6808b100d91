"""``dupes --git`` (the pre-commit hook): the named (staged) files against each other and
against every file git tracks, with the tracked files' signatures cached.

The cache is a :class:`~textforensics.DuplicateIndex` file (the project's checksummed,
pickle-free index format, saved atomically) keyed by git blob id: a tracked file whose
working-tree content is what git has in its index (``git ls-files -s``, not listed by
``git ls-files -m``) is known by its blob id without being read, so an unchanged file is
never read again. Modified, deleted, symlinked and submodule entries have no usable blob id
and are read on every run (never cached). Files that are not compared (empty, marked
``textforensics: ignore-duplicate``, binary or unreadable) are remembered with the reason
in a JSON file next to the index, so that a warm run reports them exactly as a cold one.

Where: ``textforensics/`` in git's common directory (``.git/textforensics/``; shared by
linked worktrees, as blob ids are): it lives and dies with the clone, git never shows or
commits it, and two repositories never share one (``$XDG_CACHE_HOME`` would need a
per-repository key and collects caches of deleted clones). The file name carries a digest
of everything the signatures depend on (textforensics' version, the index parameters,
``max_chars``): another setting uses another file, and the stale ones are deleted. The
read-modify-write of the cache holds its file lock; a run that cannot take it within a few
seconds works without the cache instead of waiting.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..storage import atomic_write, file_lock
from .config import Config
from .dupes import Cluster, find_clusters, has_ignore_marker
from .files import InputError, read_text
from .output import UsageError

__all__ = ["CACHE_DIR", "GitFile", "GitRun", "git_files", "run_git"]

CACHE_DIR = "textforensics"
"""The cache's directory inside git's common directory."""

_LOCK_TIMEOUT = 5.0  # seconds; then the run goes on without the cache
_IGNORED = "ignored"  # the skip reason of empty and marked files (not an input problem)


@dataclass(frozen=True, slots=True)
class GitFile:
    """A tracked file: its path relative to the working directory and its blob id when
    the working-tree file holds exactly that blob (else None: read on every run)."""

    path: str
    blob: str | None


def _git(args: list[str], cwd: str) -> bytes:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise UsageError(f"--git: not in a git repository ({exc})") from None


def git_files(cwd: str = ".") -> tuple[list[GitFile], str]:
    """The tracked files of the repository of ``cwd`` and git's common directory."""
    top, common = (
        _git(["rev-parse", "--show-toplevel", "--git-common-dir"], cwd)
        .decode("utf-8", "surrogateescape")
        .splitlines()[:2]
    )
    staged = _git(["ls-files", "-s", "-z", "--full-name"], cwd)
    dirty = {
        n
        for n in _git(["ls-files", "-m", "-z", "--full-name"], cwd)
        .decode("utf-8", "surrogateescape")
        .split("\0")
        if n
    }
    files: list[GitFile] = []
    seen: set[str] = set()
    for record in staged.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, name = record.split("\t", 1)
        mode, blob, _stage = meta.split(" ")
        if name in seen:  # a conflicted file has several stages: one entry
            continue
        seen.add(name)
        # Only a regular file's blob is its content (a symlink's is the link's target).
        usable = mode in ("100644", "100755") and name not in dirty
        path = os.path.relpath(os.path.join(top, name), cwd)
        files.append(GitFile(path=path, blob=blob if usable else None))
    return files, os.path.join(cwd, common)


@dataclass
class GitRun:
    """What ``dupes --git`` found: the reported clusters (those holding a named file),
    the compared documents' keys, how many tracked files were read (the cache's misses)
    and the named files' texts (for ``--index``), and the number of tracked files."""

    clusters: list[Cluster]
    compared: list[str]
    read: int
    named_docs: dict[str, str]
    tracked: int


Reporter = Callable[[InputError], None]


def _read(path: str, cfg: Config) -> tuple[str | None, tuple[str, str, bool] | None]:
    """The text to compare, or None with the reason it is not compared."""
    try:
        text, _ = read_text(path, max_chars=cfg.max_chars)
    except InputError as exc:
        return None, (exc.reason, exc.detail, exc.fatal)
    if not text.strip() or has_ignore_marker(text):
        return None, (_IGNORED, "empty or marked ignore-duplicate, not compared", False)
    return text, None


@dataclass(frozen=True, slots=True)
class _Entry:
    """What the comparison needs of one document: its wording digest and the shingles
    of both tiers (as :class:`~textforensics.DuplicateIndex` stores them)."""

    digest: bytes
    near: Any  # sorted unique uint32 shingles
    rewrite: Any


def _entries(texts: Sequence[str]) -> list[_Entry]:
    """The entries of ``texts``, computed together (the shingling is vectorised)."""
    from ..duplicates.maintext import main_text
    from ..duplicates.shingles import analyze, shingle_form

    if not texts:
        return []
    forms = [shingle_form(main_text(t, True, need_flag=False, need_spans=False)[0]) for t in texts]
    near, rewrite, digests = analyze(forms)
    return [_Entry(d, n, r) for d, n, r in zip(digests, near, rewrite, strict=True)]


def _params() -> dict[str, Any]:
    """The parameters the entries depend on: those a default DuplicateIndex records (the
    cache file is a valid index file)."""
    from ..duplicates import DuplicateIndex  # lazy: numpy and datasketch

    return DuplicateIndex().params()


def _params_tag(cfg: Config, params: Mapping[str, Any]) -> str:
    depends = {"version": __version__, "max_chars": cfg.max_chars, **params}
    raw = json.dumps(depends, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:16]


def _load(
    index_path: str, skips_path: str, params: Mapping[str, Any]
) -> tuple[dict[str, _Entry], dict[str, list[Any]]]:
    """The cached entries and skips; empty ones when missing or unreadable (a damaged or
    foreign cache is rebuilt, never trusted)."""
    from ..duplicates.index_format import IndexFormatError, read_index_file

    try:
        data = read_index_file(index_path)
        with open(skips_path, encoding="utf-8") as f:
            skips = json.load(f)
        if data.params != params or not isinstance(skips, dict):
            raise ValueError("another cache")
        if not all(isinstance(v, list) and len(v) == 3 for v in skips.values()):
            raise ValueError("bad skips")
        entries = {
            str(k): _Entry(d, n, r)
            for k, d, n, r in zip(data.keys, data.digests, data.near, data.rewrite, strict=True)
        }
        return entries, skips
    except (OSError, ValueError, IndexFormatError):
        return {}, {}


def _save(
    index_path: str,
    skips_path: str,
    params: Mapping[str, Any],
    entries: Mapping[str, _Entry],
    skips: Mapping[str, list[Any]],
) -> None:
    from ..duplicates.index_format import IndexData, encode

    keys = sorted(entries)
    data = IndexData(
        params=dict(params),
        keys=list(keys),
        digests=[entries[k].digest for k in keys],
        near=[entries[k].near for k in keys],
        rewrite=[entries[k].rewrite for k in keys],
    )
    atomic_write(index_path, encode(data))
    atomic_write(skips_path, json.dumps(skips, sort_keys=True).encode("utf-8"))


def run_git(
    named: Sequence[str],
    cfg: Config,
    *,
    on_skip: Reporter,
    on_note: Callable[[str], None] | None = None,
    cwd: str = ".",
    use_cache: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> GitRun:
    """Compare the ``named`` files with each other and with every tracked file; report
    each file that is not compared through ``on_skip`` (input problems) or ``on_note``
    (empty and marked files, for ``-v``), in path order, the same on a cold and a warm run."""
    from filelock import Timeout

    tracked_files, common = git_files(cwd)
    named_set = {os.path.normpath(p) for p in named}
    tracked = [f for f in tracked_files if os.path.normpath(f.path) not in named_set]
    params = _params()
    directory = os.path.join(common, CACHE_DIR)
    tag = _params_tag(cfg, params)
    index_path = os.path.join(directory, f"dupes-{tag}.tfidx")
    skips_path = os.path.join(directory, f"dupes-{tag}.skips.json")

    def work(cache: dict[str, _Entry], skips: dict[str, list[Any]]) -> tuple[GitRun, bool]:
        texts: dict[str, str] = {}  # read this run: named and modified tracked files
        problems: dict[str, tuple[str, str, bool]] = {}
        for path in named:
            text, why = _read(path, cfg)
            if text is not None:
                texts[path] = text
            elif why is not None:
                problems[path] = why
        compared_tracked: list[str] = []
        by_blob: dict[str, list[str]] = {}
        new: dict[str, str] = {}  # blob -> text, to sign and cache
        changed = False
        for n, f in enumerate(tracked, 1):
            if f.blob is not None and f.blob in skips:
                reason, detail, fatal = skips[f.blob]
                problems[f.path] = (str(reason), str(detail), bool(fatal))
                continue
            if f.blob is not None and (f.blob in cache or f.blob in new):
                by_blob.setdefault(f.blob, []).append(f.path)
                compared_tracked.append(f.path)
                continue
            text, why = _read(f.path, cfg)
            if progress is not None:
                progress("reading", n, len(tracked))
            if text is None and why is not None:
                problems[f.path] = why
                if f.blob is not None and why[0] in (_IGNORED, "binary", "decode", "too_large"):
                    skips[f.blob] = list(why)  # facts of the blob, not of this run
                    changed = True
                continue
            assert text is not None
            compared_tracked.append(f.path)
            if f.blob is None:
                texts[f.path] = text  # modified or special: compared, never cached
            else:
                new[f.blob] = text
                by_blob.setdefault(f.blob, []).append(f.path)
        if new:
            cache.update(zip(new, _entries(list(new.values())), strict=True))
            changed = True
        # Drop what is no longer tracked, so the cache holds the current tree only.
        live = {f.blob for f in tracked if f.blob is not None}
        for table in (cache, skips):
            for key in [k for k in table if k not in live]:
                del table[key]
                changed = True
        for path in sorted(problems):
            reason, detail, fatal = problems[path]
            if reason == _IGNORED:
                if on_note is not None:
                    on_note(f"{path}: {detail}")
            else:
                on_skip(InputError(path, reason, detail, fatal=fatal))
        named_docs = {p: texts[p] for p in named if p in texts}
        clusters = _clusters(named_docs, texts, cache, by_blob, cfg, progress)
        compared = sorted({*named_docs, *compared_tracked})
        return GitRun(clusters, compared, len(new), named_docs, len(tracked)), changed

    if not use_cache:
        return work({}, {})[0]
    try:
        os.makedirs(directory, exist_ok=True)
        with file_lock(index_path, timeout=_LOCK_TIMEOUT):
            cache, skips = _load(index_path, skips_path, params)
            result, changed = work(cache, skips)
            if changed:
                _save(index_path, skips_path, params, cache, skips)
            _remove_stale(directory, tag)
        return result
    except (OSError, Timeout):  # no cache (read-only .git, another run holds it)
        return work({}, {})[0]


def _remove_stale(directory: str, tag: str) -> None:
    """Delete the caches of other settings (and of other textforensics versions)."""
    for name in os.listdir(directory):
        if name.startswith("dupes-") and not name.startswith(f"dupes-{tag}."):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(directory, name))


def _clusters(
    named_docs: Mapping[str, str],
    texts: Mapping[str, str],
    cache: Mapping[str, _Entry],
    by_blob: Mapping[str, list[str]],
    cfg: Config,
    progress: Callable[[str, int, int], None] | None,
) -> list[Cluster]:
    """The clusters holding a named file: its matches among the cached tracked files
    (each verified exactly against every one: the shingles of both tiers and the wording
    digest, as a :class:`~textforensics.DuplicateIndex` query does), and the clusters
    :func:`find_clusters` finds among the files read in this run (named, modified); a
    cluster lists the named files and the files each of them matches. The representative
    is the first tracked file."""
    from ..duplicates.shingles import NEAR_COPY_TIER, REWRITE_TIER
    from ..duplicates.verify import CLUSTER_VERDICTS, judge, tier_similarity

    wanted = CLUSTER_VERDICTS & set(cfg.dupes_verdicts)
    edges: dict[tuple[str, str], tuple[str, float]] = {}
    blobs = [b for b in by_blob if b in cache]
    for path, entry in zip(named_docs, _entries(list(named_docs.values())), strict=True):
        for blob in blobs:
            other = cache[blob]
            near = tier_similarity(NEAR_COPY_TIER, entry.near, other.near)
            rewrite = tier_similarity(REWRITE_TIER, entry.rewrite, other.rewrite)
            verdict, score, _ = judge(near, rewrite, entry.digest == other.digest)
            if verdict not in wanted or score < cfg.dupes_min_score:
                continue
            for tracked_path in by_blob[blob]:
                a, b = sorted((path, tracked_path))
                edges[(a, b)] = (verdict, float(score))
    for cluster in find_clusters(texts, cfg, progress=progress):
        for a, b, verdict, score in cluster.pairs:
            edges[(a, b)] = (verdict, score)
    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in edges:
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for k in parent:
        groups.setdefault(root(k), []).append(k)
    tracked = {p for paths in by_blob.values() for p in paths} | (set(texts) - set(named_docs))
    clusters = []
    for members in groups.values():
        keys = sorted(members)
        if not any(k in named_docs for k in keys):
            continue  # tracked files among themselves: not this commit's business
        inside = set(keys)
        pairs = [(a, b, v, s) for (a, b), (v, s) in sorted(edges.items()) if a in inside]
        rep = next((k for k in keys if k in tracked), keys[0])
        clusters.append(Cluster(keys=keys, pairs=pairs, representative=rep))
    return sorted(clusters, key=lambda c: c.keys)
