"""The documentation's examples, executed: README.md and every docs/*.md.

- ```` ```python ```` blocks with ``>>>`` run as doctests (ELLIPSIS allowed), all blocks of
  one file in one namespace, from the repository root.
- ```` ```console ```` blocks are shell sessions: each ``$ COMMAND`` line is run and what
  follows it, up to the next ``$`` line, is the expected output (standard output and
  standard error, interleaved as a terminal shows them), compared exactly. A last line
  ``[exit N]`` states the exit status; without it the status must be 0. A plain
  ``textforensics ...`` command runs in-process (``textforensics.cli.main``); any other
  line (pipes, redirections, ``cmp``, ``printf``...) runs in ``bash`` with
  ``textforensics`` and ``python`` on the ``PATH``. All console blocks of one file run in
  order in one fresh copy of ``docs/examples/`` with ``seeds/`` added, ``COLUMNS=100``,
  no terminal (so no color and no progress bar); a command may change the files for the
  next blocks, as in a real session.
- A block is not run when the line just before its fence is ``<!-- docs-test: skip -->``
  (for output that depends on the machine, e.g. timings).

On a mismatch the test prints the actual output of every failing command as a
ready-to-paste block.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from textforensics.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SKIP_MARK = "<!-- docs-test: skip -->"
FENCE = re.compile(r"^(?P<fence>```+|~~~+)(?P<info>[^\n`]*)$")
EXIT = re.compile(r"^\[exit (\d+)\]$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    info: str
    text: str
    skipped: bool


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, start = m.group("fence"), i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith(fence):
            body.append(lines[i])
            i += 1
        before = lines[start - 1].strip() if start else ""
        info = m.group("info").strip().split(" ")[0]
        found.append(Block(path, start + 1, info, "\n".join(body) + "\n", before == SKIP_MARK))
        i += 1
    return found


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- the parser itself ---------------------------------------------------------------------


def test_block_parser_and_skip_mark(tmp_path: Path) -> None:
    md = tmp_path / "x.md"
    md.write_text(
        "text\n```python\n>>> 1 + 1\n2\n```\n\n"
        f"{SKIP_MARK}\n```console\n$ textforensics --nope\n```\n"
        "````console\n$ a\n```\nb\n````\n",
        encoding="utf-8",
    )
    got = blocks(md)
    assert [(b.line, b.info, b.skipped) for b in got] == [
        (2, "python", False),
        (8, "console", True),
        (11, "console", False),
    ]
    assert got[0].text == ">>> 1 + 1\n2\n"
    assert got[2].text == "$ a\n```\nb\n"
    assert session(got[2].text) == [("a", "```\nb\n", 0)]


# --- doctests ------------------------------------------------------------------------------


def _doctest_files() -> list[Path]:
    return [p for p in DOCS if any(b.info == "python" and ">>>" in b.text for b in blocks(p))]


@pytest.mark.parametrize("path", _doctest_files(), ids=_rel)
def test_python_examples(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs: dict[str, object] = {"__name__": "__docs__"}
    report = io.StringIO()
    for block in blocks(path):
        if block.info != "python" or ">>>" not in block.text or block.skipped:
            continue
        name = f"{_rel(path)}:{block.line}"
        test = parser.get_doctest(block.text, globs, name, str(path), block.line)
        runner.run(test, out=report.write, clear_globs=False)
        globs = test.globs  # DocTest copies its globals: carry them to the next block
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, report.getvalue()


def test_doctest_blocks_end_with_a_blank_line() -> None:
    """``python -m doctest FILE.md`` would read the closing fence as expected output."""
    for path in DOCS:
        for block in blocks(path):
            if block.info == "python" and ">>>" in block.text and not block.skipped:
                last = block.text.rstrip("\n").split("\n")[-1]
                output_last = not last.startswith((">>>", "..."))
                assert not output_last or block.text.endswith("\n\n"), (
                    f"{_rel(path)}:{block.line}: add a blank line before the closing fence"
                )


# --- console sessions ----------------------------------------------------------------------


def session(text: str) -> list[tuple[str, str, int]]:
    """``(command, expected output, expected exit status)`` of a console block."""
    steps: list[tuple[str, str, int]] = []
    command: str | None = None
    output: list[str] = []

    def flush() -> None:
        if command is None:
            return
        code = 0
        if output and (m := EXIT.match(output[-1])):
            code = int(m.group(1))
            output.pop()
        steps.append((command, "".join(line + "\n" for line in output), code))

    for line in text.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            flush()
            command, output = line[2:], []
        elif command is not None:
            output.append(line)
    flush()
    return steps


def _in_process(argv: list[str]) -> bool:
    return bool(argv) and argv[0] == "textforensics"


def _parse(command: str) -> list[str] | None:
    """The argv of a plain ``textforensics`` command, or None for a shell line (bash
    quoting such as ``$'\\u202e'`` is left to bash)."""
    if "$'" in command:
        return None
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:
        return None
    if any(t and all(c in "();<>|&" for c in t) for t in tokens):
        return None
    return tokens if _in_process(tokens) else None


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work)
    if not (work / "seeds").exists():
        shutil.copytree(ROOT / "seeds", work / "seeds")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = Path(sys.executable)
    (bindir / "python").symlink_to(exe)
    (bindir / "python3").symlink_to(exe)
    script = bindir / "textforensics"
    script.write_text(f'#!/bin/sh\nexec "{exe}" -m textforensics "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    src = str(ROOT / "src")
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
    )
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    for var in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(work)
    return work


def run_command(command: str, cwd: Path) -> tuple[str, int]:
    """Run one documented command; its combined output and exit status."""
    argv = _parse(command)
    if argv is not None:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            code = main(argv[1:])
        return buf.getvalue(), code
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        timeout=300,
        check=False,
    )
    return proc.stdout, proc.returncode


def _console_files() -> list[Path]:
    return [p for p in DOCS if any(b.info == "console" and not b.skipped for b in blocks(p))]


@pytest.mark.parametrize("path", _console_files(), ids=_rel)
def test_console_examples(path: Path, workdir: Path) -> None:
    failures: list[str] = []
    ran = 0
    for block in blocks(path):
        if block.info != "console" or block.skipped:
            continue
        for command, expected, code in session(block.text):
            actual, actual_code = run_command(command, workdir)
            ran += 1
            if actual != expected or actual_code != code:
                failures.append(
                    f"--- {_rel(path)}:{block.line}: the block should read:\n```console\n"
                    f"$ {command}\n{actual}[exit {actual_code}]\n```\n"
                    f"(documented: exit {code}; output "
                    f"{'same' if actual == expected else 'differs'})"
                )
    assert ran > 0
    assert not failures, "\n\n".join(failures)


# --- JSON Schemas of the --format json outputs ---------------------------------------------

SCHEMAS = ROOT / "docs" / "schemas"
JSON_RUNS = {
    "scan": ["scan", "seeds/", "trojan.txt", "missing.txt", "--min-severity", "info"],
    "fix": ["fix", "seeds/", "trojan.txt"],
    "compare": ["compare", "seeds/000_e24c687f99629c40.txt", "seeds/001_2afef02959bb14f6.txt"],
    "dupes": ["dupes", "seeds/"],
    "strip": ["strip", "seeds/003_6e31b260f6370446.txt"],
}


def test_every_json_output_has_a_schema() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*.schema.json")) == sorted(
        f"{c}.schema.json" for c in JSON_RUNS
    )


@pytest.mark.parametrize("command", sorted(JSON_RUNS))
def test_json_output_matches_its_schema(command: str, workdir: Path) -> None:
    import json

    import jsonschema

    from textforensics import vocab

    schema = json.loads((SCHEMAS / f"{command}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*JSON_RUNS[command], "--format", "json"])
    assert code in (0, 1, 2), err.getvalue()
    doc = json.loads(out.getvalue())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert not errors, "\n".join(errors)
    # The vocabulary stays in textforensics.vocab; the real outputs use only its words.
    kinds = set(vocab.HOMOGLYPH_KINDS) | set(vocab.BOILERPLATE_KINDS) | {"boilerplate", "content"}
    if command == "scan":
        assert doc["findings"]
        assert {f["kind"] for f in doc["findings"]} <= kinds
        assert {f["code"] for f in doc["findings"]} <= set(vocab.HOMOGLYPH_CODES.values())
        assert doc["errors"][0]["path"] == "missing.txt"
    elif command == "fix":
        assert doc["summary"]["changed"] == 2
    elif command in ("compare", "dupes"):
        verdicts = (
            [doc["comparison"]["verdict"]]
            if command == "compare"
            else [p["verdict"] for c in doc["clusters"] for p in c["pairs"]]
        )
        assert verdicts
        assert set(verdicts) <= set(vocab.VERDICTS)
    else:
        assert {b["kind"] for b in doc["result"]["removed"]} <= kinds
    # The schema is not vacuous: a document missing a required field is rejected.
    required = schema["required"][-1]
    broken = {k: v for k, v in doc.items() if k != required}
    assert not validator.is_valid(broken)
