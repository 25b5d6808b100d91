"""The ``textforensics`` command line: parse the arguments, call :mod:`textforensics.app`,
render. This is the only module of the package that prints or exits.

Subcommands: ``scan``, ``fix``, ``compare``, ``dupes``, ``strip``, ``names`` (see
``docs/cli.md``).
Exit codes: 0 nothing found, 1 findings (or files changed by ``fix``, duplicates found),
2 usage or input error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .app.config import Config, ConfigError, find_pyproject, load_config
from .app.files import (
    STDIN,
    InputError,
    iter_chunks,
    read_text,
)
from .app.output import (
    GITHUB_LEVELS,
    JSON_SCHEMA_VERSION,
    UsageError,
    github_annotation,
    json_header,
    parse_selectors,
    statistics_lines,
)
from .app.render import (
    Style,
    change_line,
    comparison_lines,
    finding_block,
    finding_line,
    passage_lines,
    plural,
    safe,
    use_color,
)
from .app.report import assign_fingerprints
from .app.scan import (
    ScanContext,
    cap_per_file,
    chunk_findings,
    find_files,
    group_runs,
    scan_path,
)
from .cli_args import build_parser
from .vocab import FIXABLE_KINDS

if TYPE_CHECKING:
    from pathlib import Path

    from .app.report import Located
    from .results import JSONValue

# Each subcommand imports what only it needs (baseline and its file lock, fix, compare,
# names, SARIF, the corpus commands) when it runs: a one-shot `scan FILE` hook run must
# start fast (docs/cli.md, "Start-up time").

__all__ = ["JSON_SCHEMA_VERSION", "main"]

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


# --- output --------------------------------------------------------------------------------


class Out:
    """Where output goes; the only place of the package that writes to the terminal (it is
    the :class:`~textforensics.app.output.Reporter` the application layer reports to)."""

    def __init__(
        self,
        *,
        stdout: TextIO,
        stderr: TextIO,
        style: Style,
        quiet: bool = False,
        verbose: bool = False,
    ) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.style = style
        self.quiet = quiet
        self.verbose = verbose
        self.errors: list[tuple[str, str, str]] = []  # path, reason, message
        self.skipped: list[tuple[str, str, str]] = []

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
        # binary files are expected in a tree: counted in the summary, named with -v
        if not self.quiet and (reason != "binary" or self.verbose):
            print(f"{self.style.yellow('skipped')}: {safe(path)}: {message}", file=self.stderr)

    def skipped_summary(self) -> str:
        """``; 3 binary files skipped; 1 skipped`` for the summary line."""
        binary = sum(1 for _, reason, _ in self.skipped if reason == "binary")
        other = len(self.skipped) - binary
        text = f"; {plural(binary, 'binary file')} skipped" if binary else ""
        return text + (f"; {other} skipped" if other else "")

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
    """A progress bar with rate and ETA on standard error, shown only on a terminal and
    only once the work has lasted a second (short runs stay silent). Built in rather than
    tqdm: twenty lines, no dependency and no import cost for the one-shot hook runs."""

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
        elapsed = now - self.started
        if elapsed < 1.0 or now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = min(width, done * width // self.total)
        bar = "#" * filled + "-" * (width - filled)
        rate = done / elapsed
        eta = (self.total - done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{self.label:<10} [{bar}] {done}/{self.total} {rate:,.1f}/s ETA {eta:,.0f}s  "
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()


# --- commands ------------------------------------------------------------------------------


def input_files(args: argparse.Namespace, cfg: Config, out: Out) -> list[str]:
    return find_files(args.paths, cfg, out, include=args.include or (), exclude=args.exclude or ())


def exit_status(out: Out, found: bool, args: argparse.Namespace) -> int:
    if out.errors:
        return EXIT_ERROR
    return EXIT_FOUND if found and not args.exit_zero else EXIT_OK


def _select(items: list[Located], args: argparse.Namespace) -> list[Located]:
    """``--select``: keep findings whose code, kind or boilerplate kind is selected."""
    chosen = parse_selectors("--select", getattr(args, "select", None))
    if not chosen:
        return items
    return [
        i
        for i in items
        if i.code in chosen or i.kind in chosen or i.extra.get("block_kind") in chosen
    ]


def _statistics(out: Out, items: Sequence[Located]) -> None:
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        counts[(item.code, item.kind)] = counts.get((item.code, item.kind), 0) + 1
    for line in statistics_lines(counts):
        out.print(line)


def _github(out: Out, items: Sequence[Located]) -> None:
    for i in items:
        out.print(
            github_annotation(
                i.path,
                i.line,
                i.column,
                f"{i.code} {i.kind}: {i.message}",
                title=f"textforensics {i.code}",
                level=GITHUB_LEVELS.get(i.severity, "warning"),
                end_line=i.end_line,
                end_column=i.end_column,
            )
        )


def cmd_scan(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    ctx = ScanContext(
        cfg=cfg,
        reporter=out,
        chunk_chars=args.chunk_chars,
        boilerplate=args.boilerplate or cfg.boilerplate,
    )
    if args.jsonl or (args.jobs is not None and args.jobs != 1):
        from .cli_corpus import scan_parallel  # lazy: the process pool

        files, found_lists = scan_parallel(args, cfg, out, ctx)
    else:
        files = input_files(args, cfg, out)
        found_lists = []
        progress = Progress(out.stderr, len(files), "scanning", enabled=not args.quiet)
        for n, path in enumerate(files, 1):
            found_lists.append(scan_path(path, ctx))
            progress.update(n)
        progress.close()
    items: list[Located] = []
    for found in found_lists:
        selected = _select(found, args)
        if args.verbose and not args.quiet and selected:
            out.note(f"scanned {safe(selected[0].path)}: {plural(len(selected), 'finding')}")
        items.extend(selected)
    baseline_path = args.baseline or cfg.baseline
    if args.write_baseline or baseline_path or args.format in ("json", "sarif"):
        # Only a baseline, JSON and SARIF read the fingerprints (text and github output do
        # not show them): a one-shot run in text needs no hashing.
        assign_fingerprints(items)
    if args.write_baseline or baseline_path:
        from .app.baseline import Baseline, save_baseline
    if args.write_baseline:
        if not baseline_path:
            raise UsageError("--write-baseline needs --baseline FILE (or baseline in pyproject)")
        kept = _other_files_baselined(baseline_path, files)
        try:  # the accepted findings of other files stay accepted
            written = save_baseline(baseline_path, items, keep=kept)
        except ConfigError as exc:
            raise UsageError(safe(str(exc))) from None
        out.note(f"wrote {plural(written, 'finding')} to baseline {safe(baseline_path)}")
        return EXIT_ERROR if out.errors else EXIT_OK
    if baseline_path and (args.baseline or os.path.exists(baseline_path)):
        try:
            Baseline.load(baseline_path).mark(items)
        except ConfigError as exc:
            raise UsageError(safe(str(exc))) from None

    new = [i for i in items if not i.baselined]
    listed = items if args.show_baselined else new
    # Runs grouped and a cap per file are for people reading a terminal or a CI log;
    # JSON and SARIF get every finding with its exact span.
    shown, capped = (
        cap_per_file(group_runs(listed), args.max_findings_per_file)
        if args.format in ("text", "github")
        else (listed, 0)
    )
    if args.statistics:
        _statistics(out, new)
    elif args.format == "json":
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
        from .app.sarif import render_sarif

        errors = [(p, m) for p, _, m in out.errors]
        out.json(render_sarif(shown, tool_version=__version__, errors=errors))
    elif args.format == "github":
        _github(out, shown)
    else:
        for item in shown:
            out.print(finding_line(item, out.style))
            if not args.quiet:
                for line in finding_block(item, out.style):
                    out.print(line)
                out.print()
    if args.format in ("text", "github") and not args.quiet:
        headline = f"Found {plural(len(new), 'finding')}" if new else "No findings"
        parts = f"{headline} in {plural(len(files), 'file')}"
        if len(items) > len(new):
            parts += f" ({len(items) - len(new)} more in the baseline)"
        if capped:
            parts += (
                f"; {capped} not shown (more than {args.max_findings_per_file} in a file:"
                " --max-findings-per-file 0 shows all)"
            )
        parts += out.skipped_summary()
        if out.errors:
            parts += f"; {plural(len(out.errors), 'error')}"
        out.note(parts + ".")
    return exit_status(out, bool(new), args)


def _other_files_baselined(baseline_path: str, files: Sequence[str]) -> list[dict[str, Any]]:
    """The accepted findings of files not scanned now, kept when the baseline is rewritten
    (``scan f2.txt --write-baseline`` must not forget f1.txt's)."""
    if not os.path.exists(baseline_path):
        return []
    from .app.baseline import Baseline

    try:
        old = Baseline.load(baseline_path)
    except ConfigError:
        return []
    from pathlib import Path  # lazy: only baselines need it

    scanned = {Path(f).as_posix().removeprefix("./") for f in files}
    return [e for e in old.entries if str(e.get("path", "")) not in scanned]


def _fix_stdin(args: argparse.Namespace, ctx: ScanContext, out: Out) -> int:
    """``fix -``: a filter, standard input fixed to standard output; what cannot be fixed
    is reported on standard error and makes the exit status 1."""
    from .app.fix import fix_chunk

    left: list[Located] = []
    total = 0
    try:
        for chunk in iter_chunks(STDIN, chunk_chars=args.chunk_chars):
            fixed, changes = fix_chunk(STDIN, chunk, ctx)
            total += len(changes)
            left.extend(
                i for i in chunk_findings(STDIN, chunk, ctx.cfg) if i.kind not in FIXABLE_KINDS
            )
            out.stdout.write(fixed)
    except InputError as exc:
        out.input_error(exc)
        return EXIT_ERROR
    for item in left:
        print(finding_line(item, out.style) + " (not fixable)", file=out.stderr)
    if not args.quiet:
        out.note(
            f"Fixed {plural(total, 'change')}; {plural(len(left), 'finding')} left to fix by hand."
        )
    return exit_status(out, bool(left), args)


def cmd_fix(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    from .app.fix import FixOptions, change_to_dict, fix_path

    ctx = ScanContext(cfg=cfg, reporter=out, chunk_chars=args.chunk_chars)
    if args.paths == [STDIN]:
        return _fix_stdin(args, ctx, out)
    files = input_files(args, cfg, out)
    report: list[JSONValue] = []
    left: list[Located] = []
    changed_files = total = 0
    for path in files:
        options = FixOptions(
            tree=_tree_of(path, args.paths), follow_symlinks=args.follow_symlinks, force=args.force
        )
        # with --format json the diff goes into the document, so the output stays JSON
        diff_lines: list[str] = []
        on_diff = diff_lines.extend if args.format == "json" else out.stdout.writelines
        changes = fix_path(path, ctx, diff=args.diff, on_diff=on_diff, options=options)
        if changes is not None:  # what fixing cannot do: reported, never silent
            left.extend(i for i in scan_path(path, ctx) if i.kind not in FIXABLE_KINDS)
        if not changes:
            continue
        changed_files += 1
        total += len(changes)
        listed: list[JSONValue] = [change_to_dict(c) for c in changes]
        entry: dict[str, JSONValue] = {"path": path, "written": not args.diff, "changes": listed}
        if args.diff and args.format == "json":
            entry["diff"] = "".join(diff_lines)
        report.append(entry)
        if args.format == "text" and not args.diff:
            for c in changes:
                out.print(change_line(path, c, out.style))
    assign_fingerprints(left)
    if args.format == "json":
        summary: dict[str, JSONValue] = {
            "files": len(files),
            "changed": changed_files,
            "changes": total,
            "unfixable": len(left),
        }
        unfixable: list[JSONValue] = [i.to_dict() for i in left]
        doc = {**json_header("fix"), "summary": summary, "files": report}
        out.json(doc | {"unfixable": unfixable} | out.problems_json())
    else:
        for item in left:
            out.print(finding_line(item, out.style) + " (not fixable: fix by hand)")
        if not args.quiet:
            verb = "would fix" if args.diff else "fixed"
            out.note(
                f"{verb.capitalize()} {plural(total, 'change')} in {plural(changed_files, 'file')}"
                f" ({plural(len(files), 'file')} checked)"
                + (f"; {plural(len(left), 'finding')} not fixable." if left else ".")
            )
    return exit_status(out, bool(changed_files or left), args)


def _tree_of(path: str, given: Sequence[str]) -> str:
    """The tree ``path`` was found in: the given directory it was walked from, else the
    directory of the named file."""
    for root in given:
        if root != STDIN and os.path.isdir(root) and path.startswith(os.path.join(root, "")):
            return root
    return os.path.dirname(os.path.abspath(path))


def read_whole(path: str, cfg: Config, out: Out, *, strict: bool = True) -> str | None:
    try:
        text, _ = read_text(path, max_chars=cfg.max_chars)
    except InputError as exc:
        out.input_error(exc)
        if strict and not exc.fatal and exc.reason != "special":
            # a command on one or two named files fails on a skipped one (a walk skips
            # FIFOs and devices, and so does a non-strict reader)
            out.errors.append((exc.path, exc.reason, exc.detail))
        return None
    return text


def cmd_compare(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    from .app.compare import compare_texts
    from .app.sarif import render_compare_sarif

    a = read_whole(args.a, cfg, out)
    b = read_whole(args.b, cfg, out)
    if a is None or b is None:
        return EXIT_ERROR
    cmp = compare_texts(args.a, args.b, a, b, cfg)
    code = EXIT_FOUND if cmp.duplicate and not args.exit_zero else EXIT_OK
    if args.format == "json":
        out.json(cmp.to_json())
        return code
    if args.format == "sarif":
        out.json(render_compare_sarif(cmp, tool_version=__version__))
        return code
    if args.format == "github":
        if cmp.duplicate:
            for p in cmp.result.evidence:
                out.print(
                    github_annotation(
                        args.b,
                        p.b.line,
                        p.b.column,
                        f"{cmp.result.verdict} of {args.a}:{p.a.line} "
                        f"(passage similarity {p.similarity:.3f})",
                        title="textforensics compare",
                        end_line=p.b.end_line,
                    )
                )
        return code
    for line in comparison_lines(cmp, out.style):
        out.print(line)
    evidence = cmp.result.evidence
    if not evidence or args.quiet:
        return code
    import shutil  # lazy: only compare needs the terminal's width

    width = max(30, (min(shutil.get_terminal_size((120, 24)).columns, 160) - 3) // 2)
    limit = None if args.verbose else args.max_passages
    for line in passage_lines(cmp.result, out.style, width, limit):
        out.print(line)
    if limit is not None and len(evidence) > limit:
        out.note(f"({len(evidence) - limit} more passages; -v shows all)")
    return code


def cmd_dupes(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    from .cli_corpus import run_dupes  # lazy: the duplicates machinery and git

    return run_dupes(args, cfg, out)


def cmd_strip(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    from .cli_corpus import run_strip  # lazy: the boilerplate model and the process pool

    return run_strip(args, cfg, out)


def cmd_names(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    from .app.names import check_names, load_guard, split_names

    guard = load_guard(args.protect, max_chars=cfg.max_chars)
    if args.save:
        try:
            guard.save(args.save)
        except OSError as exc:
            raise UsageError(f"{args.save}: {exc.strerror or exc}") from None
        out.note(f"saved {plural(len(guard), 'protected name')} to {safe(args.save)}")
        if not args.names:
            return EXIT_OK
    names = args.names or split_names(sys.stdin.read())
    report = check_names(guard, args.protect, names)
    code = EXIT_FOUND if report.found and not args.exit_zero else EXIT_OK
    if args.format == "json":
        out.json(report.to_json())
        return code
    for check in report.checks:
        if not check.matches:
            if args.verbose:
                out.print(f"{safe(check.name)}: ok")
            continue
        for m in check.matches:
            where = ",".join(f"{a}-{b}" for a, b in m.spans) or "-"
            line = f"{safe(check.name)}: {m.kind} {safe(m.protected)} [{where}]"
            out.print(line if args.quiet else f"{line}  {safe(m.message)}")
    hits = sum(1 for c in report.checks if c.matches)
    out.note(f"{hits} of {plural(len(report.checks), 'name')} match protected names")
    return code


def cmd_report(args: argparse.Namespace, cfg: Config, out: Out) -> int:
    from .app.html import analyze, render_html, write_report

    files = input_files(args, cfg, out)
    if STDIN in files:
        raise UsageError("report works on files, not standard input")
    docs: dict[str, str] = {}
    progress = Progress(out.stderr, len(files), "reading", enabled=not args.quiet)
    for n, path in enumerate(files, 1):
        text = read_whole(path, cfg, out)
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


_COMMANDS: dict[str, Callable[[argparse.Namespace, Config, Out], int]] = {
    "scan": cmd_scan,
    "fix": cmd_fix,
    "compare": cmd_compare,
    "dupes": cmd_dupes,
    "strip": cmd_strip,
    "names": cmd_names,
    "report": cmd_report,
}


def _named_config(name: str) -> Path:
    from pathlib import Path  # lazy: only --config needs it

    path = Path(name)
    if not path.is_file():
        raise UsageError(f"{safe(name)}: no such configuration file")
    return path


def _config(args: argparse.Namespace) -> Config:
    if args.no_config:
        cfg = Config()
    else:
        path = _named_config(args.config) if args.config else find_pyproject()
        try:
            cfg = load_config(path)
        except ConfigError as exc:
            raise UsageError(safe(str(exc))) from None
    ignore = parse_selectors("--ignore", getattr(args, "ignore", None))
    if ignore:
        cfg = cfg.with_overrides(ignore=cfg.ignore | ignore)
    severity = getattr(args, "min_severity", None)
    return cfg.with_overrides(min_severity=severity)


def _parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Parse; an unknown option is reported with the usage of its subcommand (argparse
    would show the top-level usage)."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        message = f"unrecognized arguments: {' '.join(extra)}"
        for action in parser._actions:  # the subparsers action: argparse has no public getter
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict) and args.command in choices:
                choices[args.command].error(message)
        parser.error(message)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); the exit code."""
    stdout, stderr = sys.stdout, sys.stderr
    for stream in (stdout, stderr):
        # A terminal or pipe that cannot encode a character gets an escape, not a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
    argv = list(argv) if argv is not None else sys.argv[1:]
    # Only the named subcommand's parser is built (the others cost start-up time); any
    # other first argument (--help, a typo) gets the whole parser and its messages.
    parser = build_parser(argv[0] if argv and argv[0] in _COMMANDS else None)
    with contextlib.ExitStack() as stack:
        try:
            args = _parse(parser, argv)
            if not args.command:
                parser.print_help(stderr)
                return EXIT_ERROR
            color = args.color
            if color == "auto" and os.environ.get("FORCE_COLOR") and not os.environ.get("NO_COLOR"):
                color = "always"
            output_file = getattr(args, "output_file", None)
            if output_file:
                try:
                    stdout = stack.enter_context(
                        open(output_file, "w", encoding="utf-8", newline="")
                    )
                except OSError as exc:
                    raise UsageError(f"{output_file}: cannot write: {exc.strerror}") from None
                color = "never" if args.color != "always" else color
            out = Out(
                stdout=stdout,
                stderr=stderr,
                style=Style(use_color(color, stdout)),
                quiet=args.quiet,
                verbose=args.verbose,
            )
            cfg = _config(args)
            return _COMMANDS[args.command](args, cfg, out)
        except UsageError as exc:
            # argparse's messages span lines (the usage); each line is shown escaped
            shown = "\n".join(safe(line) for line in str(exc).split("\n"))
            print(f"textforensics: error: {shown}", file=stderr)
            return EXIT_ERROR
        except KeyboardInterrupt:
            print("textforensics: interrupted", file=stderr)
            return 130
        except BrokenPipeError:
            # The reader went away (e.g. `| head`); stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_ERROR
