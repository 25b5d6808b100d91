"""The command line's arguments: every subcommand, its options, their types and ranges,
with a description and examples in its help. Parsing only: :mod:`textforensics.cli`
dispatches and prints."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from . import __version__
from .app.files import DEFAULT_CHUNK_CHARS
from .app.output import UsageError

__all__ = ["MIN_CHUNK_CHARS", "build_parser"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse makes a formatter for every add_argument, and its default width comes
        # from shutil, whose import (bz2, lzma, fnmatch) a one-shot run need not pay for:
        # the same width, computed here (argparse keeps 2 columns free).
        make: Callable[..., argparse.HelpFormatter] = self.formatter_class  # (takes width)
        return make(prog=self.prog, width=_terminal_columns() - 2)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: ``COLUMNS`` when a positive integer, else
    the width of the terminal on standard output, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        size = os.get_terminal_size(sys.__stdout__.fileno()) if sys.__stdout__ else None
    except (AttributeError, ValueError, OSError):
        size = None
    return (size.columns if size else 0) or 80


def _common(
    p: argparse.ArgumentParser, formats: Sequence[str], *, output_file: bool = True
) -> None:
    p.add_argument(
        "--format", choices=formats, default="text", help="output format (default: text)"
    )
    if output_file:  # `report` names its HTML file with -o itself
        p.add_argument("-o", "--output-file", metavar="FILE", help="write the output to FILE")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when something is found")
    p.add_argument("-q", "--quiet", action="store_true", help="print results only, one line each")
    p.add_argument("-v", "--verbose", action="store_true", help="say more (files, all passages)")
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="color output: auto (on a terminal, or with FORCE_COLOR set; never with "
        "NO_COLOR set), always, never",
    )
    p.add_argument(
        "--config",
        metavar="TOML",
        help="settings file (pyproject.toml [tool.textforensics] or textforensics.toml)",
    )
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")


def _paths(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="files, directories or globs ('-' = stdin)"
    )
    p.add_argument(
        "--include", action="append", metavar="GLOB", help="only files matching GLOB (gitignore)"
    )
    p.add_argument(
        "--exclude", action="append", metavar="GLOB", help="skip files/dirs matching GLOB"
    )
    p.add_argument(
        "--chunk-chars",
        type=_int_in("--chunk-chars", MIN_CHUNK_CHARS),
        default=DEFAULT_CHUNK_CHARS,
        help=argparse.SUPPRESS,
    )


MIN_CHUNK_CHARS = 1024
"""The smallest ``--chunk-chars``: a chunk must hold a word and its neighbourhood."""


def _int_in(option: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high] (a usage error naming ``option`` and the
    valid range otherwise)."""
    valid = f"an integer >= {low}" if high is None else f"an integer in [{low}, {high}]"

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not {valid}") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{number} is out of range: must be {valid}")
        return number

    parse.__name__ = option
    return parse


def _selection(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--select", action="append", metavar="CODE", help="only these codes or kinds (TF101,bidi)"
    )
    p.add_argument("--ignore", action="append", metavar="CODE", help="codes or kinds to ignore")


def _batch(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jsonl", action="store_true", help="inputs are JSON-lines files of records")
    p.add_argument("--text-field", default="text", help="the records' text field (default text)")
    p.add_argument("--id-field", default="id", help="the records' id field (default id)")
    p.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="processes (0 = every core; default: by size)"
    )


def _sub(
    sub: Any, name: str, help: str, description: str, examples: Sequence[str]
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help,
        description=description,
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``command`` (a subcommand's name) only that
    subcommand is added: a one-shot run does not pay for building the other six (the
    caller passes it only when the first argument names a subcommand)."""

    def want(name: str) -> bool:
        return command is None or command == name

    parser = _Parser(
        prog="textforensics",
        description="Text forensics: hidden and look-alike characters, near-duplicates and "
        "rewrites, boilerplate.",
        epilog="Exit codes: 0 nothing found, 1 findings, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"textforensics {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    if want("scan"):
        scan = _sub(
            sub,
            "scan",
            "report hidden characters, homoglyphs, mixed scripts",
            "Report invisible and bidi control characters, look-alike letters from other scripts "
            "and mixed-script words, with line, column and the characters named. A run of the same "
            "invisible character is reported once with its count.",
            [
                "textforensics scan docs/ README.md",
                "textforensics scan . --statistics",
                "textforensics scan . --format github --select bidi,invisible",
                "textforensics scan . --format sarif -o results.sarif",
            ],
        )
        _paths(scan)
        _common(scan, ("text", "json", "sarif", "github"))
        _selection(scan)
        _batch(scan)
        scan.add_argument(
            "--boilerplate", action="store_true", help="also report boilerplate blocks"
        )
        scan.add_argument(
            "--min-severity",
            choices=("info", "warning", "error"),
            help="report findings of this severity and above (default: warning)",
        )
        scan.add_argument("--statistics", action="store_true", help="counts per code, not findings")
        scan.add_argument(
            "--max-findings-per-file",
            type=int,
            default=100,
            metavar="N",
            help="show at most N findings per file (default 100; 0 = all)",
        )
        scan.add_argument(
            "--baseline", metavar="FILE", help="accepted findings: only new ones fail"
        )
        scan.add_argument(
            "--write-baseline", action="store_true", help="write all findings to --baseline"
        )
        scan.add_argument(
            "--show-baselined", action="store_true", help="also show baselined findings"
        )

    if want("fix"):
        fix = _sub(
            sub,
            "fix",
            "repair confusables, invisible and bidi characters in place",
            "Replace look-alike letters and remove invisible and bidi control characters, in "
            "place (atomically, encoding and line endings kept). Findings that cannot be fixed "
            "automatically (mixed scripts, mixed digit sets) are listed and make the exit "
            "status 1. "
            "With '-' it is a filter: standard input fixed to standard output.",
            [
                "textforensics fix notes.md",
                "textforensics fix --diff src/",
                "cat page.txt | textforensics fix - > clean.txt",
            ],
        )
        _paths(fix)
        _common(fix, ("text", "json"))
        fix.add_argument("--diff", action="store_true", help="show a unified diff, do not write")
        fix.add_argument(
            "--ignore", action="append", metavar="CODE", help="codes or kinds to leave"
        )
        fix.add_argument(
            "--force", action="store_true", help="also rewrite read-only and hard-linked files"
        )
        fix.add_argument(
            "--follow-symlinks",
            action="store_true",
            help="also fix the targets of symbolic links pointing outside the given tree",
        )

    if want("compare"):
        cmp_ = _sub(
            sub,
            "compare",
            "compare two texts: verdict, score, aligned passages",
            "Compare two texts: the verdict (duplicate, rewrite, ...), the score and the aligned "
            "passages they share.",
            [
                "textforensics compare a.txt b.txt",
                "textforensics compare a.txt b.txt --format json",
            ],
        )
        cmp_.add_argument("a", metavar="A")
        cmp_.add_argument("b", metavar="B")
        _common(cmp_, ("text", "json", "sarif", "github"))
        cmp_.add_argument(
            "--max-passages",
            type=_int_in("--max-passages", 0),
            default=10,
            help="passages shown (default 10)",
        )

    if want("dupes"):
        dupes = _sub(
            sub,
            "dupes",
            "clusters of near-duplicates and rewrites among files",
            "Find clusters of near-duplicate and rewritten files; each cluster names a "
            "representative to keep, and the JSON output lists the unique files. With --git the "
            "files are compared with every file tracked by git (the pre-commit hook).",
            [
                "textforensics dupes corpus/",
                "textforensics dupes --git new_page.md",
                "textforensics dupes corpus/ --write-baseline --baseline dupes-baseline.json",
                "textforensics dupes --jsonl pages.jsonl --format json",
            ],
        )
        _paths(dupes)
        _common(dupes, ("text", "json", "sarif", "github"))
        _batch(dupes)
        dupes.add_argument("--git", action="store_true", help="compare with every tracked file too")
        dupes.add_argument(
            "--no-cache",
            action="store_true",
            help="with --git: neither read nor write the tracked files' signature cache",
        )
        dupes.add_argument("--index", metavar="FILE", help="also check against this DuplicateIndex")
        dupes.add_argument("--update-index", action="store_true", help="add the files to --index")
        dupes.add_argument("--baseline", metavar="FILE", help="accepted duplicate clusters")
        dupes.add_argument(
            "--write-baseline", action="store_true", help="accept the clusters found now"
        )

    if want("strip"):
        strip = _sub(
            sub,
            "strip",
            "print the main text without boilerplate",
            "Remove boilerplate (comments, disclaimers, calls to action, credits, related links, "
            "navigation) from one file, or from many (files, directories, globs, JSON lines) to "
            "--output-dir or as JSON lines, on every core.",
            [
                "textforensics strip page.txt",
                "textforensics strip page.txt --explain",
                "textforensics strip pages/ --output-dir clean/",
                "textforensics strip --jsonl crawl.jsonl --format jsonl > clean.jsonl",
            ],
        )
        strip.add_argument(
            "paths", nargs="+", metavar="PATH", help="files, directories or globs ('-' = stdin)"
        )
        strip.add_argument("--include", action="append", metavar="GLOB", help=argparse.SUPPRESS)
        strip.add_argument("--exclude", action="append", metavar="GLOB", help=argparse.SUPPRESS)
        _common(strip, ("text", "json", "jsonl"))
        _batch(strip)
        strip.add_argument("--output-dir", metavar="DIR", help="write each stripped text under DIR")
        strip.add_argument("--explain", action="store_true", help="show each removed block and why")

    if want("names"):
        names = sub.add_parser("names", help="check names against protected names (look-alikes)")
        names.add_argument(
            "names", nargs="*", metavar="NAME", help="names to check (default: stdin)"
        )
        names.add_argument(
            "--protect",
            required=True,
            metavar="FILE",
            help="protected names, one per line, or a guard saved with --save",
        )
        names.add_argument(
            "--save", metavar="GUARD", help="also save the guard built from --protect"
        )
        _common(names, ("text", "json"))
    if want("report"):
        report = sub.add_parser(
            "report", help="one self-contained HTML page: findings, boilerplate, duplicates"
        )
        _paths(report)
        _common(report, ("html",), output_file=False)
        report.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="HTML file to write"
        )
        report.add_argument("--title", default="textforensics report", help="the page title")
    return parser
