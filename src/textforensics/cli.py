"""The ``textforensics`` command line: a thin layer over the library.

Subcommands: ``scan``, ``fix``, ``compare``, ``dupes``, ``strip`` (see ``docs/cli.md``).
Exit codes: 0 nothing found, 1 findings (or files changed by ``fix``, duplicates found),
2 usage or input error. This is the only module of the package that prints.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .boilerplate import strip_boilerplate
from .config import Baseline, Config, ConfigError, find_pyproject, is_inline_ignored, load_config
from .duplicates import DuplicateIndex, compare, find_duplicates
from .files import (
    DEFAULT_CHUNK_CHARS,
    STDIN,
    Encoding,
    InputError,
    TextChunk,
    atomic_write,
    discover,
    iter_chunks,
    read_text,
)
from .homoglyphs import find_homoglyphs, fix_homoglyphs
from .render import Style, finding_block, finding_line, plural, safe, side_by_side, use_color
from .report import Located, assign_fingerprints, line_bounds, locate
from .results import JSONValue, TextBlock, severity_rank
from .sarif import render_sarif
from .text import LineIndex

__all__ = ["JSON_SCHEMA_VERSION", "main"]

JSON_SCHEMA_VERSION = 1
"""The ``version`` field of ``--format json`` output; bumped on incompatible changes."""

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2

FIXABLE_KINDS = frozenset({"confusable", "invisible", "bidi"})


class UsageError(Exception):
    """A bad command line or configuration: exit 2."""


# --- output --------------------------------------------------------------------------------


@dataclass
class Out:
    """Where output goes; the only place of the package that writes to the terminal."""

    stdout: TextIO
    stderr: TextIO
    style: Style
    quiet: bool = False
    verbose: bool = False
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # path, reason, message
    skipped: list[tuple[str, str, str]] = field(default_factory=list)

    def print(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def note(self, text: str) -> None:
        """Information that is not a result (stderr, hidden by -q)."""
        if not self.quiet:
            print(text, file=self.stderr)

    def error(self, path: str, reason: str, message: str) -> None:
        self.errors.append((path, reason, message))
        print(f"{self.style.red('error')}: {safe(path)}: {message}", file=self.stderr)

    def skip(self, path: str, reason: str, message: str) -> None:
        self.skipped.append((path, reason, message))
        if not self.quiet:
            print(f"{self.style.yellow('skipped')}: {safe(path)}: {message}", file=self.stderr)

    def input_error(self, exc: InputError) -> None:
        if exc.fatal:
            self.error(exc.path, exc.reason, exc.detail)
        else:
            self.skip(exc.path, exc.reason, exc.detail)

    def json(self, doc: dict[str, JSONValue]) -> None:
        self.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")

    def problems_json(self) -> dict[str, JSONValue]:
        return {
            "errors": [{"path": p, "reason": r, "message": m} for p, r, m in self.errors],
            "skipped": [{"path": p, "reason": r, "message": m} for p, r, m in self.skipped],
        }


class Progress:
    """A progress bar on standard error, shown only on a terminal and only once the work
    has lasted a moment (short runs stay silent)."""

    def __init__(self, stream: TextIO, total: int, label: str, *, enabled: bool) -> None:
        isatty = getattr(stream, "isatty", None)
        self.stream = stream
        self.total = max(total, 1)
        self.label = label
        self.enabled = enabled and bool(isatty and isatty())
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def update(self, done: int, total: int | None = None, label: str | None = None) -> None:
        if not self.enabled:
            return
        if total:
            self.total = max(total, 1)
        if label:
            self.label = label
        now = time.monotonic()
        if now - self.started < 0.5 or now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = min(width, done * width // self.total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label:<12} [{bar}] {done}/{self.total}  ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


# --- detectors (adapted to their result shapes) --------------------------------------------


# --- scanning ------------------------------------------------------------------------------


@dataclass
class ScanContext:
    cfg: Config
    out: Out
    chunk_chars: int = DEFAULT_CHUNK_CHARS
    boilerplate: bool = False


def _keep(item: Located, cfg: Config, line_text: str) -> bool:
    if cfg.ignores(item.kind, item.code):
        return False
    if item.kind != "boilerplate" and severity_rank(item.severity) < severity_rank(
        cfg.min_severity
    ):
        return False
    if (
        cfg.allowed_scripts
        and item.characters
        and all(
            c.script in cfg.allowed_scripts or c.script_code in cfg.allowed_scripts
            for c in item.characters
        )
    ):
        return False
    return not is_inline_ignored(item, line_text)


def _line_at(text: str, pos: int) -> str:
    start, end = line_bounds(text, pos)
    return text[start:end]


def _chunk_findings(path: str, chunk: TextChunk, ctx: ScanContext) -> list[Located]:
    items = []
    for finding in find_homoglyphs(chunk.text):
        item = locate(
            path=path,
            text=chunk.text,
            base_offset=chunk.offset,
            base_line=chunk.line,
            base_column=chunk.column,
            start=finding.start,
            end=finding.end,
            kind=finding.kind,
            severity=finding.severity,
            message=finding.message,
            finding=finding,
            suggestion=finding.suggestion,
            chars=finding.chars,
        )
        if _keep(item, ctx.cfg, _line_at(chunk.text, finding.start)):
            items.append(item)
    return items


def _boilerplate_findings(path: str, text: str, ctx: ScanContext) -> list[Located]:
    result = strip_boilerplate(text)
    items = []
    for run in _runs(result.blocks):  # one finding per run of removed blocks of one kind
        block = run[0]
        block_kind = str(block.kind)
        reason = block.message + (f" [{len(run)} blocks]" if len(run) > 1 else "")
        start, end = block.start, run[-1].end
        while end > start and text[end - 1] in "\r\n \t":
            end -= 1
        item = locate(
            path=path,
            text=text,
            base_offset=0,
            base_line=1,
            base_column=1,
            start=start,
            end=end,
            kind="boilerplate",
            severity="info",
            message=f"{block_kind}: {reason}" if reason else block_kind,
            finding=block,
            extra={"block_kind": block_kind, "blocks": len(run)},
            name_characters=False,
        )
        if _keep(item, ctx.cfg, _line_at(text, start)) and not ctx.cfg.ignores(block_kind, ""):
            items.append(item)
    return items


def scan_path(path: str, ctx: ScanContext) -> list[Located]:
    """Findings of one file (input problems are reported to ``ctx.out``)."""
    items: list[Located] = []
    try:
        if ctx.boilerplate:
            text, _ = read_text(path, max_chars=ctx.cfg.max_chars)
            chunk = TextChunk(text=text, offset=0, line=1, column=1)
            items.extend(_chunk_findings(path, chunk, ctx))
            items.extend(_boilerplate_findings(path, text, ctx))
        else:
            for chunk in iter_chunks(path, chunk_chars=ctx.chunk_chars):
                items.extend(_chunk_findings(path, chunk, ctx))
    except InputError as exc:
        ctx.out.input_error(exc)
        return []
    items.sort(key=lambda i: (i.start, i.end, i.code))
    return items


def _files(args: argparse.Namespace, cfg: Config, out: Out) -> list[str]:
    include = tuple(args.include or ()) or cfg.include
    exclude = tuple(args.exclude or ()) + cfg.exclude
    files = list(discover(args.paths, include=include, exclude=exclude, on_error=out.input_error))
    if args.paths.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    return files


def cmd_scan(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    ctx = ScanContext(
        cfg=cfg,
        out=out,
        chunk_chars=args.chunk_chars,
        boilerplate=args.boilerplate or cfg.boilerplate,
    )
    files = _files(args, cfg, out)
    items: list[Located] = []
    for path in files:
        found = scan_path(path, ctx)
        if args.verbose and not args.quiet:
            out.note(f"scanned {path}: {plural(len(found), 'finding')}")
        items.extend(found)
    assign_fingerprints(items)

    baseline_path = args.baseline or cfg.baseline
    if args.write_baseline:
        if not baseline_path:
            raise UsageError("--write-baseline needs --baseline FILE (or baseline in pyproject)")
        data = Baseline.from_items(items).to_json().encode("utf-8")
        _write_new_file(baseline_path, data)
        out.note(f"wrote {plural(len(items), 'finding')} to baseline {baseline_path}")
        return EXIT_ERROR if out.errors else EXIT_OK
    if baseline_path and (args.baseline or os.path.exists(baseline_path)):
        try:
            Baseline.load(baseline_path).mark(items)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None

    new = [i for i in items if not i.baselined]
    shown = items if args.show_baselined else new
    if args.format == "json":
        out.json(
            {
                "version": JSON_SCHEMA_VERSION,
                "tool": "textforensics",
                "tool_version": __version__,
                "command": "scan",
                "summary": {
                    "files": len(files),
                    "findings": len(new),
                    "baselined": len(items) - len(new),
                    "errors": len(out.errors),
                    "skipped": len(out.skipped),
                },
                "findings": [i.to_dict() for i in shown],
                **out.problems_json(),
            }
        )
    elif args.format == "sarif":
        out.json(
            render_sarif(
                shown,
                tool_version=__version__,
                errors=[(p, m) for p, _, m in out.errors],
            )
        )
    else:
        for item in shown:
            out.print(finding_line(item, out.style))
            if not args.quiet:
                for line in finding_block(item, out.style):
                    out.print(line)
                out.print()
        if not args.quiet:
            headline = f"Found {plural(len(new), 'finding')}" if new else "No findings"
            parts = f"{headline} in {plural(len(files), 'file')}"
            if len(items) > len(new):
                parts += f" ({len(items) - len(new)} more in the baseline)"
            if out.skipped:
                parts += f"; {len(out.skipped)} skipped"
            if out.errors:
                parts += f"; {plural(len(out.errors), 'error')}"
            out.note(parts + ".")
    if out.errors:
        return EXIT_ERROR
    if new and not args.exit_zero:
        return EXIT_FOUND
    return EXIT_OK


def _write_new_file(path: str, data: bytes) -> None:
    if os.path.exists(path):
        atomic_write(path, [data])
    else:
        with open(path, "wb") as f:
            f.write(data)


# --- fix -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    start: int  # offsets in the file's text
    end: int
    line: int
    column: int
    kind: str
    old: str
    new: str


def _fix_chunk(path: str, chunk: TextChunk, ctx: ScanContext) -> tuple[str, list[Change]]:
    """The fixed text of one chunk and the changes, honouring ignores of every kind."""
    items = _chunk_findings(path, chunk, ctx)
    wanted = [i for i in items if i.kind in FIXABLE_KINDS]
    if not wanted:
        return chunk.text, []
    plan = fix_homoglyphs(chunk.text).plan
    # Keep only edits inside a wanted (reported, not ignored) finding.
    spans = [(i.start - chunk.offset, i.end - chunk.offset, i.kind) for i in wanted]
    pieces: list[str] = []
    changes: list[Change] = []
    pos = 0
    for step in plan:  # sorted, disjoint replacements with offsets into the chunk
        start, end, new = step.start, step.end, step.new
        owner = next((k for s, e, k in spans if s <= start and end <= e), None)
        if owner is None:
            continue
        pieces.append(chunk.text[pos:start])
        pieces.append(new)
        pos = end
        item = locate(
            path=path,
            text=chunk.text,
            base_offset=chunk.offset,
            base_line=chunk.line,
            base_column=chunk.column,
            start=start,
            end=end,
            kind=owner,
            severity="info",
            message="",
            name_characters=False,
        )
        changes.append(
            Change(
                start=item.start,
                end=item.end,
                line=item.line,
                column=item.column,
                kind=owner,
                old=chunk.text[start:end],
                new=new,
            )
        )
    pieces.append(chunk.text[pos:])
    return "".join(pieces), changes


def _diff(path: str, old: str, new: str, base_line: int, *, header: bool) -> list[str]:
    lines = list(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=path if os.path.isabs(path) else f"a/{path}",
            tofile=path if os.path.isabs(path) else f"b/{path}",
        )
    )
    fixed = []
    for line in lines:
        if line.startswith("@@ -") and base_line != 1:
            head, _, tail = line[3:].partition(" @@")
            a, b = head.split(" ")
            line = f"@@ {_shift(a, base_line)} {_shift(b, base_line)} @@{tail}"
        fixed.append(line)
    return fixed if header else fixed[2:]  # one file header, with the first changed chunk


def _shift(rng: str, base_line: int) -> str:
    sign, body = rng[0], rng[1:]
    start, _, count = body.partition(",")
    shifted = int(start) + base_line - 1
    return f"{sign}{shifted}" + (f",{count}" if count else "")


def fix_path(path: str, ctx: ScanContext, *, diff: bool, out: Out) -> list[Change] | None:
    """Fix one file in place (or print its diff); the changes, or None on an input error.

    A first pass decides whether anything changes, so that a file without fixable
    findings is never opened for writing; the second pass streams to a temporary file.
    """
    if path == STDIN:
        raise UsageError("fix works on files, not standard input")
    encodings: list[Encoding] = []
    changes: list[Change] = []
    try:
        for chunk in iter_chunks(path, chunk_chars=ctx.chunk_chars, encoding_out=encodings):
            fixed, found = _fix_chunk(path, chunk, ctx)
            changes.extend(found)
            if diff and found:
                first = len(changes) == len(found)
                out.stdout.writelines(_diff(path, chunk.text, fixed, chunk.line, header=first))
    except InputError as exc:
        out.input_error(exc)
        return None
    if not changes or diff:
        return changes
    encoding = encodings[0]

    def pieces() -> Iterator[bytes]:
        yield encoding.bom
        for chunk in iter_chunks(path, chunk_chars=ctx.chunk_chars):
            fixed, _ = _fix_chunk(path, chunk, ctx)
            yield encoding.encode(fixed)

    try:
        atomic_write(path, pieces())
    except InputError as exc:  # the file changed under us
        out.input_error(exc)
        return None
    except OSError as exc:
        out.error(path, "unwritable", f"cannot write: {exc.strerror or exc}")
        return None
    return changes


def cmd_fix(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    ctx = ScanContext(cfg=cfg, out=out, chunk_chars=args.chunk_chars)
    files = _files(args, cfg, out)
    report: list[dict[str, JSONValue]] = []
    changed_files = 0
    total = 0
    for path in files:
        changes = fix_path(path, ctx, diff=args.diff, out=out)
        if not changes:
            continue
        changed_files += 1
        total += len(changes)
        report.append(
            {
                "path": path,
                "written": not args.diff,
                "changes": [
                    {
                        "start": c.start,
                        "end": c.end,
                        "line": c.line,
                        "column": c.column,
                        "kind": c.kind,
                        "old": c.old,
                        "new": c.new,
                    }
                    for c in changes
                ],
            }
        )
        if args.format == "text" and not args.diff:
            for c in changes:
                old = safe(c.old) if c.old else "''"
                new = safe(c.new) if c.new else "(removed)"
                out.print(
                    f"{out.style.bold(f'{path}:{c.line}:{c.column}:')} fixed {c.kind}: "
                    f'"{old}" → "{new}"'
                    if c.new
                    else f"{out.style.bold(f'{path}:{c.line}:{c.column}:')} fixed {c.kind}: "
                    f"removed {old}"
                )
    if args.format == "json":
        out.json(
            {
                "version": JSON_SCHEMA_VERSION,
                "tool": "textforensics",
                "tool_version": __version__,
                "command": "fix",
                "summary": {"files": len(files), "changed": changed_files, "changes": total},
                "files": report,
                **out.problems_json(),
            }
        )
    elif not args.quiet:
        verb = "would fix" if args.diff else "fixed"
        out.note(
            f"{verb.capitalize()} {plural(total, 'change')} in {plural(changed_files, 'file')}"
            f" ({plural(len(files), 'file')} checked)."
        )
    if out.errors:
        return EXIT_ERROR
    if changed_files and not args.exit_zero:
        return EXIT_FOUND
    return EXIT_OK


# --- compare -------------------------------------------------------------------------------


def _read_whole(path: str, cfg: Config, out: Out) -> str | None:
    try:
        text, _ = read_text(path, max_chars=cfg.max_chars)
    except InputError as exc:
        out.input_error(exc)
        if not exc.fatal:
            out.errors.append((exc.path, exc.reason, exc.detail))
        return None
    return text


def cmd_compare(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    a = _read_whole(args.a, cfg, out)
    b = _read_whole(args.b, cfg, out)
    if a is None or b is None:
        return EXIT_ERROR
    result = compare(a, b)
    verdict = str(result.verdict)
    score = float(result.score)
    duplicate = verdict in cfg.dupes_verdicts and score >= cfg.dupes_min_score
    if args.format == "json":
        out.json(
            {
                "version": JSON_SCHEMA_VERSION,
                "tool": "textforensics",
                "tool_version": __version__,
                "command": "compare",
                "a": args.a,
                "b": args.b,
                "comparison": result.to_dict(),
            }
        )
        return EXIT_FOUND if duplicate and not args.exit_zero else EXIT_OK
    st = out.style
    out.print(f"{st.bold('A')}: {args.a}")
    out.print(f"{st.bold('B')}: {args.b}")
    color = (
        st.red
        if verdict in ("identical", "near_copy")
        else (st.yellow if verdict == "rewrite" else st.green)
    )
    out.print(f"verdict: {color(verdict)}  score: {score:.3f}")
    for tier in (result.near_copy, result.rewrite):
        out.print(
            st.dim(
                f"  {tier.tier} tier ({tier.unit}): jaccard {tier.jaccard:.3f}, "
                f"A in B {tier.containment_a_in_b:.3f}, B in A {tier.containment_b_in_a:.3f} "
                f"({tier.shared} shared of {tier.shingles_a}/{tier.shingles_b})"
            )
        )
    evidence = result.evidence
    if not evidence or args.quiet:
        return EXIT_FOUND if duplicate and not args.exit_zero else EXIT_OK
    width = max(30, (min(shutil.get_terminal_size((120, 24)).columns, 160) - 3) // 2)
    out.print()
    out.print(f"Aligned passages ({len(evidence)}):")
    limit = None if args.verbose else args.max_passages
    for n, passage in enumerate(evidence[:limit], 1):
        out.print(st.bold(f"#{n}  similarity {passage.similarity:.3f}"))
        loc_a = f"A {passage.a.line}:{passage.a.column}"
        loc_b = f"B {passage.b.line}:{passage.b.column}"
        out.print(st.dim(f"{loc_a:<{width}} │ {loc_b}"))
        for row in side_by_side(passage.text_a, passage.text_b, width):
            out.print(row)
        out.print()
    if limit is not None and len(evidence) > limit:
        out.note(f"({len(evidence) - limit} more passages; -v shows all)")
    return EXIT_FOUND if duplicate and not args.exit_zero else EXIT_OK


# --- dupes ---------------------------------------------------------------------------------


def cmd_dupes(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    files = _files(args, cfg, out)
    if STDIN in files:
        raise UsageError("dupes works on files, not standard input")
    index_path = args.index or cfg.index
    if args.update_index and not index_path:
        raise UsageError("--update-index needs --index FILE (or index in pyproject)")
    progress = Progress(out.stderr, len(files), "reading", enabled=not args.quiet)
    docs: dict[str, str] = {}
    for n, path in enumerate(files, 1):
        text = _read_whole(path, cfg, out)
        if text is not None and text.strip():
            docs[path] = text
        elif text is not None and args.verbose:
            out.note(f"{path}: empty, not compared")
        progress.update(n)
    progress.close()

    progress = Progress(out.stderr, len(docs), "comparing", enabled=not args.quiet)
    result = (
        find_duplicates(
            docs, progress=lambda stage, done, total: progress.update(done, total, stage)
        )
        if len(docs) > 1
        else None
    )
    progress.close()

    clusters = []
    for cluster in result.clusters if result is not None else ():
        keys = [str(k) for k in cluster.keys]
        pairs = [
            (str(p.a), str(p.b), p.verdict, p.score)
            for p in cluster.pairs
            if p.verdict in cfg.dupes_verdicts and p.score >= cfg.dupes_min_score
        ]
        if pairs:
            clusters.append((sorted(keys), pairs, cluster))

    index_matches = _check_index(index_path, docs, args, cfg, out) if index_path else []

    if args.format == "json":
        out.json(
            {
                "version": JSON_SCHEMA_VERSION,
                "tool": "textforensics",
                "tool_version": __version__,
                "command": "dupes",
                "summary": {
                    "files": len(files),
                    "compared": len(docs),
                    "clusters": len(clusters),
                    "index_matches": len(index_matches),
                },
                "clusters": [
                    {
                        "keys": keys,
                        "pairs": [
                            {"a": a, "b": b, "verdict": v, "score": s} for a, b, v, s in pairs
                        ],
                    }
                    for keys, pairs, _ in clusters
                ],
                "index": index_path,
                "index_matches": index_matches,
                **out.problems_json(),
            }
        )
    else:
        st = out.style
        for n, (keys, pairs, _) in enumerate(clusters, 1):
            best = max(pairs, key=lambda p: p[3])
            out.print(
                st.bold(
                    f"cluster {n}: {plural(len(keys), 'file')}, {best[2]} (score {best[3]:.3f})"
                )
            )
            for key in keys:
                out.print(f"  {key}")
            if not args.quiet:
                for a, b, verdict, score in sorted(pairs, key=lambda p: -p[3]):
                    color = st.red if verdict in ("identical", "near_copy") else st.yellow
                    out.print(f"    {a} ~ {b}: {color(verdict)}, score {score:.3f}")
        for match in index_matches:
            out.print(
                f"{match['path']}: {match['verdict']} of indexed {match['key']} "
                f"(score {float(match['score']):.3f})"
            )
        if not args.quiet:
            found = f"Found {plural(len(clusters), 'cluster')}" if clusters else "No clusters"
            out.note(
                f"{found} of near-duplicates among "
                f"{plural(len(docs), 'file')}"
                + (
                    f" and {plural(len(index_matches), 'match', 'matches')} in {index_path}"
                    if index_path
                    else ""
                )
                + "."
            )
    if out.errors:
        return EXIT_ERROR
    if (clusters or index_matches) and not args.exit_zero:
        return EXIT_FOUND
    return EXIT_OK


def _check_index(
    index_path: str, docs: dict[str, str], args: argparse.Namespace, cfg: Config, out: Out
) -> list[dict[str, JSONValue]]:
    if os.path.exists(index_path):
        try:
            index = DuplicateIndex.load(index_path)
        except Exception as exc:  # a corrupt or foreign file: say so, do not crash
            raise UsageError(f"{index_path}: cannot load the duplicate index: {exc}") from None
    elif args.update_index:
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
                continue  # itself, or a file of this run (reported as a cluster)
            if verdict in cfg.dupes_verdicts and score >= cfg.dupes_min_score:
                matches.append({"path": path, "key": other, "verdict": verdict, "score": score})
    if args.update_index:
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
        out.note(f"updated {index_path}: {plural(len(docs), 'file')} indexed")
    return matches


# --- strip ---------------------------------------------------------------------------------


def cmd_strip(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    text = _read_whole(args.file, cfg, out)
    if text is None:
        return EXIT_ERROR
    result = strip_boilerplate(text)
    if args.format == "json":
        out.json(
            {
                "version": JSON_SCHEMA_VERSION,
                "tool": "textforensics",
                "tool_version": __version__,
                "command": "strip",
                "path": args.file,
                "result": result.to_dict(),
            }
        )
        return EXIT_OK
    if args.explain:
        index = LineIndex(text)
        st = out.style
        removed = list(result.removed)
        for run in _runs(result.blocks):
            first, last = run[0], run[-1]
            line, _ = index.position(first.start)
            stop = last.end
            while stop > first.start + 1 and text[stop - 1].isspace():
                stop -= 1
            end_line, _ = index.position(stop - 1)
            lines = f"{line}" if end_line == line else f"{line}-{end_line}"
            where = st.bold(f"{args.file}:{lines}:")
            count = f" [{plural(len(run), 'block')}]" if len(run) > 1 else ""
            out.print(f"{where} {st.yellow(str(first.kind))}: {safe(first.message)}{count}")
            shown = run if args.verbose or len(run) <= 3 else [*run[:2], run[-1]]
            for n, block in enumerate(shown):
                if n == 2 and len(shown) < len(run):
                    out.print(st.dim(f"  … {len(run) - 3} more"))
                body = " ".join(text[block.start : block.end].split())
                short = body if len(body) <= 100 or args.verbose else body[:97] + "..."
                out.print(st.dim("  - " + safe(short)))
        if not args.quiet:
            out.note(
                f"Removed {plural(len(removed), 'block')} "
                f"({sum(b.end - b.start for b in removed):,} of {len(text):,} characters)."
            )
        return EXIT_OK
    out.stdout.write(
        result.text if result.text.endswith("\n") or not result.text else result.text + "\n"
    )
    return EXIT_OK


def _runs(blocks: Sequence[TextBlock]) -> list[list[TextBlock]]:
    """Consecutive removed blocks of the same kind, grouped (a comment section is one run)."""
    runs: list[list[TextBlock]] = []
    previous: TextBlock | None = None
    for block in blocks:
        if block.removed:
            if previous is not None and previous.removed and previous.kind == block.kind:
                runs[-1].append(block)
            else:
                runs.append([block])
        previous = block
    return runs


# --- argument parsing ------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}")


def _common(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    p.add_argument(
        "--format", choices=formats, default="text", help="output format (default: text)"
    )
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when something is found")
    p.add_argument("-q", "--quiet", action="store_true", help="print results only, one line each")
    p.add_argument("-v", "--verbose", action="store_true", help="say more (files, all passages)")
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="color output: auto (on a terminal, unless NO_COLOR is set), always, never",
    )
    p.add_argument("--config", metavar="PYPROJECT", help="pyproject.toml to read settings from")
    p.add_argument("--no-config", action="store_true", help="ignore pyproject.toml")


def _paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories ('-' = stdin)")
    p.add_argument("--include", action="append", metavar="GLOB", help="only files matching GLOB")
    p.add_argument(
        "--exclude", action="append", metavar="GLOB", help="skip files/dirs matching GLOB"
    )
    p.add_argument("--chunk-chars", type=int, default=DEFAULT_CHUNK_CHARS, help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="textforensics",
        description="Text forensics: hidden and look-alike characters, near-duplicates and "
        "rewrites, boilerplate.",
        epilog="Exit codes: 0 nothing found, 1 findings, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"textforensics {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    scan = sub.add_parser("scan", help="report hidden characters, homoglyphs, mixed scripts")
    _paths(scan)
    _common(scan, ("text", "json", "sarif"))
    scan.add_argument("--boilerplate", action="store_true", help="also report boilerplate blocks")
    scan.add_argument(
        "--min-severity",
        choices=("info", "warning", "error"),
        help="report findings of this severity and above (default: warning)",
    )
    scan.add_argument("--ignore", action="append", metavar="KIND", help="kind or code to ignore")
    scan.add_argument("--baseline", metavar="FILE", help="accepted findings: only new ones fail")
    scan.add_argument(
        "--write-baseline", action="store_true", help="write all findings to --baseline"
    )
    scan.add_argument("--show-baselined", action="store_true", help="also show baselined findings")

    fix = sub.add_parser("fix", help="repair confusables, invisible and bidi characters in place")
    _paths(fix)
    _common(fix, ("text", "json"))
    fix.add_argument("--diff", action="store_true", help="show a unified diff, do not write")
    fix.add_argument("--ignore", action="append", metavar="KIND", help="kind or code to leave")

    cmp_ = sub.add_parser("compare", help="compare two texts: verdict, score, aligned passages")
    cmp_.add_argument("a", metavar="A")
    cmp_.add_argument("b", metavar="B")
    _common(cmp_, ("text", "json"))
    cmp_.add_argument("--max-passages", type=int, default=10, help="passages shown (default 10)")

    dupes = sub.add_parser("dupes", help="clusters of near-duplicates and rewrites among files")
    _paths(dupes)
    _common(dupes, ("text", "json"))
    dupes.add_argument("--index", metavar="FILE", help="also check against this DuplicateIndex")
    dupes.add_argument("--update-index", action="store_true", help="add the files to --index")

    strip = sub.add_parser("strip", help="print the main text without boilerplate")
    strip.add_argument("file", metavar="FILE")
    _common(strip, ("text", "json"))
    strip.add_argument("--explain", action="store_true", help="show each removed block and why")
    return parser


_COMMANDS: dict[str, Callable[[argparse.Namespace, Config, Out], int]] = {
    "scan": cmd_scan,
    "fix": cmd_fix,
    "compare": cmd_compare,
    "dupes": cmd_dupes,
    "strip": cmd_strip,
}


def _config(args: argparse.Namespace) -> Config:
    if args.no_config:
        cfg = Config()
    else:
        path = Path(args.config) if args.config else find_pyproject()
        if args.config and not Path(args.config).is_file():
            raise UsageError(f"{args.config}: no such configuration file")
        try:
            cfg = load_config(path)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
    ignore = getattr(args, "ignore", None)
    if ignore:
        cfg = cfg.with_overrides(
            ignore=cfg.ignore | frozenset(i for x in ignore for i in x.split(","))
        )
    severity = getattr(args, "min_severity", None)
    return cfg.with_overrides(min_severity=severity)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); the exit code."""
    stdout, stderr = sys.stdout, sys.stderr
    for stream in (stdout, stderr):
        # A terminal or pipe that cannot encode a character gets an escape, not a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
        if not args.command:
            parser.print_help(stderr)
            return EXIT_ERROR
        out = Out(
            stdout=stdout,
            stderr=stderr,
            style=Style(use_color(args.color, stdout)),
            quiet=args.quiet,
            verbose=args.verbose,
        )
        cfg = _config(args)
        return _COMMANDS[args.command](args, cfg, out)
    except UsageError as exc:
        print(f"textforensics: error: {exc}", file=stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("textforensics: interrupted", file=stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
