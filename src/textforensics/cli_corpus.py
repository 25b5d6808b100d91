"""The corpus commands of the command line, ``dupes`` and ``strip``: many documents
(files, directories, globs, JSON lines), a process pool, git. Imported by
:mod:`textforensics.cli` only when one of them runs, so the one-shot ``scan``/``fix`` hook
runs never load the duplicates machinery or ``multiprocessing``; it prints only through
the command line's :class:`~textforensics.cli.Out`.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .app.batch import Doc, JsonlFields, expand_globs, iter_jsonl, output_path, run_pool, workers
from .app.config import Config
from .app.dupes import (
    Cluster,
    check_index,
    find_clusters,
    has_ignore_marker,
    is_accepted,
    load_accepted,
    save_accepted,
    unique_keys,
)
from .app.files import STDIN, InputError, discover
from .app.output import UsageError, github_annotation, json_header
from .app.render import cluster_lines, explain_lines, plural
from .app.report import Located, safe
from .app.sarif import render_dupes_sarif
from .app.scan import ScanContext, ScanJob, scan_job
from .app.strip import explain, strip_text
from .cli import EXIT_ERROR, EXIT_OK, Out, Progress, exit_status, input_files, read_whole
from .results import JSONValue
from .storage import atomic_write

__all__ = ["run_dupes", "run_strip", "scan_parallel"]


def _dupes_docs(args: argparse.Namespace, cfg: Config, out: Out) -> tuple[dict[str, str], int]:
    """The documents ``dupes`` compares (files or JSON-lines records) and how many inputs
    there were; with ``--git`` also every tracked file; files with the ignore-duplicate
    marker left out."""
    if args.jsonl:
        listed = _batch_docs(args, cfg, out)
        return {d.key: d.text for d in listed if d.text.strip()}, len(listed)
    files = input_files(args, cfg, out)
    if STDIN in files:
        raise UsageError("dupes works on files, not standard input")
    progress = Progress(out.stderr, len(files), "reading", enabled=not args.quiet)
    docs: dict[str, str] = {}
    for n, path in enumerate(files, 1):
        text = read_whole(path, cfg, out, strict=not args.git)
        if text is not None and text.strip() and not has_ignore_marker(text):
            docs[path] = text
        elif text is not None and args.verbose:
            out.note(f"{safe(path)}: empty or marked ignore-duplicate, not compared")
        progress.update(n)
    progress.close()
    return docs, len(files)


def _git_run(
    args: argparse.Namespace, cfg: Config, out: Out
) -> tuple[dict[str, str], list[str], int, list[Cluster]]:
    """``dupes --git``: the named files' texts, the compared keys, the number of files and
    the clusters holding a named file (tracked files' signatures cached, see
    :mod:`.app.dupes_git`)."""
    from .app.dupes_git import run_git

    files = input_files(args, cfg, out)
    if STDIN in files:
        raise UsageError("dupes works on files, not standard input")
    progress = Progress(out.stderr, 1, "reading", enabled=not args.quiet)
    verbose_note = out.note if args.verbose else None
    result = run_git(
        files,
        cfg,
        on_skip=out.input_error,
        on_note=verbose_note,
        use_cache=not args.no_cache,
        progress=lambda stage, done, total: progress.update(done, total, stage),
    )
    progress.close()
    if args.verbose:
        out.note(f"--git: {plural(result.read, 'tracked file')} read (not in the cache)")
    return result.named_docs, result.compared, len(files) + result.tracked, result.clusters


def _dupes_annotations(clusters: Sequence[Cluster], out: Out) -> None:
    for c in clusters:
        for a, b, verdict, score in c.pairs:
            for path, other in ((a, b), (b, a)):
                if path == c.representative:
                    continue
                out.print(
                    github_annotation(
                        path,
                        1,
                        1,
                        f"{verdict} of {other} (score {score:.3f}); keep {c.representative}",
                        title="textforensics dupes",
                    )
                )


def run_dupes(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    index_path = args.index or cfg.index_path
    if args.update_index and not index_path:
        raise UsageError("--update-index needs --index FILE (or index in pyproject)")
    if args.write_baseline and not args.baseline:
        raise UsageError("--write-baseline needs --baseline FILE")
    if args.git:
        docs, compared, n_files, clusters = _git_run(args, cfg, out)
    else:
        docs, n_files = _dupes_docs(args, cfg, out)
        compared = sorted(docs)
        progress = Progress(out.stderr, len(docs), "comparing", enabled=not args.quiet)
        clusters = find_clusters(
            docs, cfg, progress=lambda stage, done, total: progress.update(done, total, stage)
        )
        progress.close()
    if args.write_baseline:
        keep = []
        if os.path.exists(args.baseline):
            # the accepted clusters of files this run did not look at are kept
            looked = docs if not args.git else {k for c in clusters for k in c.keys} | set(docs)
            here = {Path(k).as_posix().removeprefix("./") for k in looked}
            keep = [g for g in load_accepted(args.baseline) if not g & here]
        written = save_accepted(args.baseline, clusters, keep)
        out.note(f"wrote {plural(written, 'accepted cluster')} to {safe(args.baseline)}")
        return EXIT_ERROR if out.errors else EXIT_OK
    if args.baseline:
        accepted = load_accepted(args.baseline)
        clusters = [c for c in clusters if not is_accepted(c, accepted)]

    matches: list[dict[str, JSONValue]] = []
    if index_path:
        checked = check_index(index_path, docs, cfg, update=args.update_index)
        matches = checked.matches
        if checked.updated:
            out.note(f"updated {safe(index_path)}: {plural(len(docs), 'file')} indexed")

    if args.format == "json":
        summary: dict[str, JSONValue] = {
            "files": n_files,
            "compared": len(compared),
            "clusters": len(clusters),
            "index_matches": len(matches),
        }
        found: list[JSONValue] = [c.to_dict() for c in clusters]
        listed: list[JSONValue] = list(matches)
        unique: list[JSONValue] = list(unique_keys(dict.fromkeys(compared, ""), clusters))
        doc = {**json_header("dupes"), "summary": summary, "clusters": found, "unique": unique}
        out.json(doc | {"index": index_path, "index_matches": listed} | out.problems_json())
    elif args.format == "sarif":
        errors = [(p, m) for p, _, m in out.errors]
        out.json(render_dupes_sarif(clusters, tool_version=__version__, errors=errors))
    elif args.format == "github":
        _dupes_annotations(clusters, out)
    else:
        for line in cluster_lines(clusters, out.style, quiet=args.quiet):
            out.print(line)
        for match in matches:
            out.print(
                f"{safe(str(match['path']))}: {match['verdict']} of indexed "
                f"{safe(str(match['key']))} "
                f"(score {float(str(match['score'])):.3f})"
            )
        if not args.quiet:
            head = f"Found {plural(len(clusters), 'cluster')}" if clusters else "No clusters"
            where = (
                f" and {plural(len(matches), 'match', 'matches')} in {safe(index_path)}"
                if index_path
                else ""
            )
            out.note(f"{head} of near-duplicates among {plural(len(compared), 'file')}{where}.")
    return exit_status(out, bool(clusters or matches), args)


_STDIN_NAME = "stdin.txt"  # the file standard input's text goes to under --output-dir


def _batch_docs(args: argparse.Namespace, cfg: Config, out: Out) -> list[Doc]:
    """The documents of a batch run: JSON-lines records (``--jsonl``) or files found in
    ``args.paths`` (files, directories, globs), each read whole; problems reported."""
    docs: list[Doc] = []
    paths = expand_globs(args.paths)
    if args.jsonl:
        fields = JsonlFields(text=args.text_field, id=args.id_field)
        for path in paths:
            try:
                docs.extend(iter_jsonl(path, fields))
            except InputError as exc:
                out.input_error(exc)
        return docs
    include = tuple(args.include or ()) or cfg.include
    exclude = tuple(args.exclude or ()) + cfg.exclude
    for given in paths:
        found = discover([given], include=include, exclude=exclude, on_error=out.input_error)
        for path in found:
            text = read_whole(path, cfg, out, strict=False)
            if text is None:
                continue
            if path == STDIN:
                rel = _STDIN_NAME
            elif os.path.isdir(given):
                rel = os.path.relpath(path, given)
            else:
                rel = os.path.basename(path)
            docs.append(Doc(key=path, text=text, rel=rel))
    return docs


def run_strip(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    batch = (
        args.jsonl
        or args.output_dir
        or args.format == "jsonl"
        or len(args.paths) > 1
        or any(os.path.isdir(p) or glob.has_magic(p) for p in args.paths if p != STDIN)
    )
    if batch:
        return _strip_batch(args, cfg, out)
    path = args.paths[0]
    text = read_whole(path, cfg, out)
    if text is None:
        return EXIT_ERROR
    result = strip_text(text)
    if args.format == "json":
        out.json({**json_header("strip"), "path": path, "result": result.to_dict()})
    elif args.explain:
        runs = explain(text, result)
        for line in explain_lines(path, text, runs, out.style, verbose=args.verbose):
            out.print(line)
        if not args.quiet:
            removed = result.removed
            out.note(
                f"Removed {plural(len(removed), 'block')} "
                f"({sum(b.end - b.start for b in removed):,} of {len(text):,} characters)."
            )
    else:
        body = result.text
        out.stdout.write(body if body.endswith("\n") or not body else body + "\n")
    return EXIT_OK


def _strip_batch(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    """``strip`` over many documents: to ``--output-dir`` (one file each, same relative
    path) or as JSON lines on standard output, in a process pool."""
    if args.explain or args.format == "json":
        raise UsageError("--explain and --format json take one file; use --format jsonl")
    if args.jsonl and not args.output_dir:
        args.format = "jsonl"  # JSON lines in, JSON lines out (e.g. a filter: --jsonl -)
    if not args.output_dir and args.format != "jsonl":
        raise UsageError("several inputs need --output-dir DIR or --format jsonl")
    started = time.monotonic()
    docs = _batch_docs(args, cfg, out)
    jobs = workers(args.jobs, sum(len(d.text) for d in docs), len(docs))
    progress = Progress(out.stderr, len(docs), "stripping", enabled=not args.quiet)
    results = run_pool(strip_text, [d.text for d in docs], jobs, progress.update)
    progress.close()
    removed_chars = 0
    for doc, result in zip(docs, results, strict=True):
        removed_chars += len(doc.text) - len(result.text)
        if args.output_dir:
            target = output_path(args.output_dir, doc)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            atomic_write(target, result.text.encode("utf-8"))
        else:
            record = {
                args.id_field: doc.key,
                args.text_field: result.text,
                "removed_blocks": len(result.removed),
                "removed_chars": len(doc.text) - len(result.text),
            }
            out.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    if not args.quiet:
        took = time.monotonic() - started
        where = f" to {args.output_dir}" if args.output_dir else ""
        out.note(
            f"Stripped {plural(len(docs), 'document')}{where} in {took:.1f} s "
            f"({plural(jobs, 'process', 'processes')}; {removed_chars:,} characters removed)"
            + out.skipped_summary()
            + "."
        )
    return EXIT_ERROR if out.errors else EXIT_OK


def scan_parallel(
    args: argparse.Namespace, cfg: Config, out: Out, ctx: ScanContext
) -> tuple[list[str], list[list[Located]]]:
    """``scan -j N`` or ``scan --jsonl``: the scanned names and each one's findings, in
    input order, from a process pool; input problems reported here, in order."""
    if args.jsonl:
        docs = _batch_docs(args, cfg, out)
        jobs = [ScanJob(d.key, cfg, ctx.chunk_chars, ctx.boilerplate, d.text) for d in docs]
        size = sum(len(d.text) for d in docs)
    else:
        files = input_files(args, cfg, out)
        if STDIN in files:
            raise UsageError("-j works on files; read standard input without -j")
        jobs = [ScanJob(f, cfg, ctx.chunk_chars, ctx.boilerplate) for f in files]
        size = sum(os.path.getsize(f) for f in files if os.path.isfile(f))
    n_jobs = workers(args.jobs, size, len(jobs))
    progress = Progress(out.stderr, len(jobs), "scanning", enabled=not args.quiet)
    results = run_pool(scan_job, jobs, n_jobs, progress.update)
    progress.close()
    found: list[list[Located]] = []
    for items, problems in results:
        for path, reason, detail, fatal in problems:
            out.input_error(InputError(path, reason, detail, fatal=fatal))
        found.append(items)
    return [j.path for j in jobs], found
