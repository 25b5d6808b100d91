"""The ``textforensics`` command line: parse the arguments, call :mod:`textforensics.app`,
render. This is the only module of the package that prints or exits.

Subcommands: ``scan``, ``fix``, ``compare``, ``dupes``, ``strip`` (see ``docs/cli.md``).
Exit codes: 0 nothing found, 1 findings (or files changed by ``fix``, duplicates found),
2 usage or input error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .app.baseline import Baseline, save_baseline
from .app.compare import compare_texts
from .app.config import Config, ConfigError, find_pyproject, load_config
from .app.dupes import check_index, find_clusters
from .app.files import DEFAULT_CHUNK_CHARS, STDIN, InputError, read_text
from .app.fix import change_to_dict, fix_path
from .app.output import JSON_SCHEMA_VERSION, UsageError, json_header
from .app.render import (
    Style,
    change_line,
    cluster_lines,
    comparison_lines,
    explain_lines,
    finding_block,
    finding_line,
    passage_lines,
    plural,
    safe,
    use_color,
)
from .app.report import Located, assign_fingerprints
from .app.sarif import render_sarif
from .app.scan import ScanContext, find_files, scan_path
from .app.strip import explain, strip_text
from .results import JSONValue

__all__ = ["JSON_SCHEMA_VERSION", "main"]

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


# --- output --------------------------------------------------------------------------------


@dataclass
class Out:
    """Where output goes; the only place of the package that writes to the terminal (it is
    the :class:`~textforensics.app.output.Reporter` the application layer reports to)."""

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


# --- commands ------------------------------------------------------------------------------


def _files(args: argparse.Namespace, cfg: Config, out: Out) -> list[str]:
    return find_files(args.paths, cfg, out, include=args.include or (), exclude=args.exclude or ())


def _exit(out: Out, found: bool, args: argparse.Namespace) -> int:
    if out.errors:
        return EXIT_ERROR
    return EXIT_FOUND if found and not args.exit_zero else EXIT_OK


def cmd_scan(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    ctx = ScanContext(
        cfg=cfg,
        reporter=out,
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
        written = save_baseline(baseline_path, items)
        out.note(f"wrote {plural(written, 'finding')} to baseline {baseline_path}")
        return EXIT_ERROR if out.errors else EXIT_OK
    if baseline_path and (args.baseline or os.path.exists(baseline_path)):
        try:
            Baseline.load(baseline_path).mark(items)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None

    new = [i for i in items if not i.baselined]
    shown = items if args.show_baselined else new
    if args.format == "json":
        summary: dict[str, JSONValue] = {
            "files": len(files),
            "findings": len(new),
            "baselined": len(items) - len(new),
            "errors": len(out.errors),
            "skipped": len(out.skipped),
        }
        findings: list[JSONValue] = [i.to_dict() for i in shown]
        out.json(
            {**json_header("scan"), "summary": summary, "findings": findings} | out.problems_json()
        )
    elif args.format == "sarif":
        errors = [(p, m) for p, _, m in out.errors]
        out.json(render_sarif(shown, tool_version=__version__, errors=errors))
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
    return _exit(out, bool(new), args)


def cmd_fix(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    ctx = ScanContext(cfg=cfg, reporter=out, chunk_chars=args.chunk_chars)
    files = _files(args, cfg, out)
    report: list[JSONValue] = []
    changed_files = total = 0
    for path in files:
        changes = fix_path(path, ctx, diff=args.diff, on_diff=out.stdout.writelines)
        if not changes:
            continue
        changed_files += 1
        total += len(changes)
        listed: list[JSONValue] = [change_to_dict(c) for c in changes]
        report.append({"path": path, "written": not args.diff, "changes": listed})
        if args.format == "text" and not args.diff:
            for c in changes:
                out.print(change_line(path, c, out.style))
    if args.format == "json":
        summary: dict[str, JSONValue] = {
            "files": len(files),
            "changed": changed_files,
            "changes": total,
        }
        out.json({**json_header("fix"), "summary": summary, "files": report} | out.problems_json())
    elif not args.quiet:
        verb = "would fix" if args.diff else "fixed"
        out.note(
            f"{verb.capitalize()} {plural(total, 'change')} in {plural(changed_files, 'file')}"
            f" ({plural(len(files), 'file')} checked)."
        )
    return _exit(out, bool(changed_files), args)


def _read_whole(path: str, cfg: Config, out: Out) -> str | None:
    try:
        text, _ = read_text(path, max_chars=cfg.max_chars)
    except InputError as exc:
        out.input_error(exc)
        if not exc.fatal:  # a command on one or two named files fails on a skipped one
            out.errors.append((exc.path, exc.reason, exc.detail))
        return None
    return text


def cmd_compare(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    a = _read_whole(args.a, cfg, out)
    b = _read_whole(args.b, cfg, out)
    if a is None or b is None:
        return EXIT_ERROR
    cmp = compare_texts(args.a, args.b, a, b, cfg)
    code = EXIT_FOUND if cmp.duplicate and not args.exit_zero else EXIT_OK
    if args.format == "json":
        out.json(cmp.to_json())
        return code
    for line in comparison_lines(cmp, out.style):
        out.print(line)
    evidence = cmp.result.evidence
    if not evidence or args.quiet:
        return code
    width = max(30, (min(shutil.get_terminal_size((120, 24)).columns, 160) - 3) // 2)
    limit = None if args.verbose else args.max_passages
    for line in passage_lines(cmp.result, out.style, width, limit):
        out.print(line)
    if limit is not None and len(evidence) > limit:
        out.note(f"({len(evidence) - limit} more passages; -v shows all)")
    return code


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
    clusters = find_clusters(
        docs, cfg, progress=lambda stage, done, total: progress.update(done, total, stage)
    )
    progress.close()

    matches: list[dict[str, JSONValue]] = []
    if index_path:
        checked = check_index(index_path, docs, cfg, update=args.update_index)
        matches = checked.matches
        if checked.updated:
            out.note(f"updated {index_path}: {plural(len(docs), 'file')} indexed")

    if args.format == "json":
        summary: dict[str, JSONValue] = {
            "files": len(files),
            "compared": len(docs),
            "clusters": len(clusters),
            "index_matches": len(matches),
        }
        found: list[JSONValue] = [c.to_dict() for c in clusters]
        listed: list[JSONValue] = list(matches)
        doc = {**json_header("dupes"), "summary": summary, "clusters": found}
        out.json(doc | {"index": index_path, "index_matches": listed} | out.problems_json())
    else:
        for line in cluster_lines(clusters, out.style, quiet=args.quiet):
            out.print(line)
        for match in matches:
            out.print(
                f"{match['path']}: {match['verdict']} of indexed {match['key']} "
                f"(score {float(str(match['score'])):.3f})"
            )
        if not args.quiet:
            head = f"Found {plural(len(clusters), 'cluster')}" if clusters else "No clusters"
            where = (
                f" and {plural(len(matches), 'match', 'matches')} in {index_path}"
                if index_path
                else ""
            )
            out.note(f"{head} of near-duplicates among {plural(len(docs), 'file')}{where}.")
    return _exit(out, bool(clusters or matches), args)


def cmd_strip(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    text = _read_whole(args.file, cfg, out)
    if text is None:
        return EXIT_ERROR
    result = strip_text(text)
    if args.format == "json":
        out.json({**json_header("strip"), "path": args.file, "result": result.to_dict()})
    elif args.explain:
        runs = explain(text, result)
        for line in explain_lines(args.file, text, runs, out.style, verbose=args.verbose):
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


def cmd_report(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    from .app.html import analyze, render_html, write_report

    files = _files(args, cfg, out)
    if STDIN in files:
        raise UsageError("report works on files, not standard input")
    docs: dict[str, str] = {}
    progress = Progress(out.stderr, len(files), "reading", enabled=not args.quiet)
    for n, path in enumerate(files, 1):
        text = _read_whole(path, cfg, out)
        if text is not None:
            docs[path] = text
        progress.update(n)
    report = analyze(docs, cfg, progress=lambda s, d, t: progress.update(d, t, s))
    progress.close()
    page = render_html(report, title=args.title, version=__version__)
    try:
        write_report(args.output, page)
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write the report: {exc.strerror}") from None
    if not args.quiet:
        out.note(
            f"Wrote {args.output}: {plural(len(report.files), 'file')}, "
            f"{plural(sum(len(f.findings) for f in report.files), 'finding')}, "
            f"{plural(len(report.clusters), 'cluster')}."
        )
    return EXIT_ERROR if out.errors else EXIT_OK


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

    report = sub.add_parser(
        "report", help="one self-contained HTML page: findings, boilerplate, duplicates"
    )
    _paths(report)
    _common(report, ("html",))
    report.add_argument("-o", "--output", required=True, metavar="FILE", help="HTML file to write")
    report.add_argument("--title", default="textforensics report", help="the page title")
    return parser


_COMMANDS: dict[str, Callable[[argparse.Namespace, Config, Out], int]] = {
    "scan": cmd_scan,
    "fix": cmd_fix,
    "compare": cmd_compare,
    "dupes": cmd_dupes,
    "strip": cmd_strip,
    "report": cmd_report,
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
