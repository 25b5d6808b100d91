"""What the command line promises about the files it reads and writes (docs/security.md):
`fix` respects the file, writes are atomic and locked, configuration and options are
validated, special files are skipped, file names reach the terminal escaped, and the CLI's
own paths are linear."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textforensics.app.fix as fix_module
from cli_helpers import run
from textforensics.app.files import TEMP_PREFIX, is_temp_name
from textforensics.app.fix import _owners
from textforensics.app.render import caret_lines
from textforensics.app.report import safe

CYR_A = "\u0430"
DIRTY = f"Please log in to your p{CYR_A}ypal account.\n"
CLEAN = "Please log in to your paypal account.\n"
SRC = str(Path(__file__).resolve().parent.parent / "src")


def _temps(directory: Path) -> list[str]:
    return [p.name for p in directory.rglob("*") if is_temp_name(p.name)]


def _cli(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "textforensics", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


# --- fix respects the file ---------------------------------------------------------------


def test_fix_refuses_a_file_edited_between_read_and_rename(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DIRTY, encoding="utf-8")
    edited = DIRTY + "a line added by the user meanwhile\n"
    real = fix_module.fix_chunk

    def fix_then_edit(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        doc.write_text(edited, encoding="utf-8")  # after the read, before the rename
        return result

    monkeypatch.setattr(fix_module, "fix_chunk", fix_then_edit)
    result = run(capsys, "fix", str(doc))
    assert result.code == 2
    assert "changed while being fixed" in result.err
    assert doc.read_text(encoding="utf-8") == edited
    assert _temps(tmp_path) == []


def test_fix_refuses_a_same_size_edit_by_its_hash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit that keeps size and mtime is still seen: the content hash differs."""
    doc = tmp_path / "doc.txt"
    doc.write_text(DIRTY, encoding="utf-8")
    st0 = doc.stat()
    same_size = DIRTY.replace("Please", "PLEASE")
    real = fix_module.fix_chunk

    def fix_then_edit(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        with open(doc, "r+b") as f:  # same inode, same size
            f.write(same_size.encode("utf-8"))
        os.utime(doc, ns=(st0.st_atime_ns, st0.st_mtime_ns))
        return result

    monkeypatch.setattr(fix_module, "fix_chunk", fix_then_edit)
    assert run(capsys, "fix", str(doc)).code == 2
    assert doc.read_text(encoding="utf-8") == same_size


def test_fix_refuses_read_only_files_unless_forced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = tmp_path / "ro.txt"
    doc.write_text(DIRTY, encoding="utf-8")
    doc.chmod(0o444)
    result = run(capsys, "fix", str(doc))
    assert result.code == 2
    assert "read-only" in result.err
    assert doc.read_text(encoding="utf-8") == DIRTY
    # nothing to fix: a read-only file is no problem
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    clean.chmod(0o444)
    assert run(capsys, "fix", str(clean)).code == 0
    forced = run(capsys, "fix", "--force", str(doc))
    assert forced.code == 1
    assert doc.read_text(encoding="utf-8") == CLEAN
    assert stat.S_IMODE(doc.stat().st_mode) == 0o444


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_fix_as_root_keeps_owner_and_group(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import pwd

    nobody = pwd.getpwnam("nobody")
    doc = tmp_path / "theirs.txt"
    doc.write_text(DIRTY, encoding="utf-8")
    doc.chmod(0o640)
    os.chown(doc, nobody.pw_uid, nobody.pw_gid)
    assert run(capsys, "fix", str(doc)).code == 1
    after = doc.stat()
    assert (after.st_uid, after.st_gid) == (nobody.pw_uid, nobody.pw_gid)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert doc.read_text(encoding="utf-8") == CLEAN


def test_fix_refuses_hard_links_unless_forced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DIRTY, encoding="utf-8")
    other = tmp_path / "elsewhere.txt"
    os.link(doc, other)
    result = run(capsys, "fix", str(doc))
    assert result.code == 2
    assert "hard links" in result.err
    assert doc.read_text(encoding="utf-8") == DIRTY
    assert os.path.samefile(doc, other)
    assert run(capsys, "fix", "--force", str(doc)).code == 1
    assert doc.read_text(encoding="utf-8") == CLEAN
    assert other.read_text(encoding="utf-8") == DIRTY  # --force fixes this name only


def test_fix_does_not_follow_a_symlink_out_of_its_tree(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text(DIRTY, encoding="utf-8")
    inside = tree / "inside.txt"
    inside.write_text(DIRTY, encoding="utf-8")
    (tree / "out-link.txt").symlink_to(outside)
    (tree / "in-link.txt").symlink_to(inside)
    result = run(capsys, "fix", str(tree))
    assert result.code == 2
    assert "outside" in result.err
    assert outside.read_text(encoding="utf-8") == DIRTY
    assert inside.read_text(encoding="utf-8") == CLEAN  # through the link inside the tree
    assert (tree / "in-link.txt").is_symlink()
    followed = run(capsys, "fix", "--follow-symlinks", str(tree))
    assert followed.code == 1
    assert outside.read_text(encoding="utf-8") == CLEAN
    assert (tree / "out-link.txt").is_symlink()  # the link stays a link
    assert _temps(tmp_path) == []


def test_fix_temp_files_are_skipped_by_discovery(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """What a SIGKILLed fix leaves behind is never scanned as a document."""
    (tmp_path / f"{TEMP_PREFIX}left.tmp").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "real.txt").write_text(CLEAN, encoding="utf-8")
    assert run(capsys, "scan", str(tmp_path)).code == 0


def _dense(size: int) -> str:
    line = f"p{CYR_A}ypal V\u0435rshinin zero\u200bwidth plain words here\n"
    return line * (size // len(line) + 1)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_fix_leaves_the_old_or_the_new_file(tmp_path: Path, signum: int) -> None:
    """A real `fix` process killed at random points: the file is the old or the new one,
    never partial; after SIGTERM no temporary file is left, after SIGKILL (which cannot be
    caught) the one left is skipped by the next scan."""
    old = _dense(150_000)
    new = old.replace(CYR_A, "a").replace("\u0435", "e").replace("\u200b", "")
    doc = tmp_path / "doc.txt"
    env = {**os.environ, "PYTHONPATH": SRC}
    rng = random.Random(1234 + signum)
    outcomes = set()
    for _ in range(6):
        doc.write_text(old, encoding="utf-8")
        proc = subprocess.Popen(
            # small chunks: the new file is written all along the run, not only at its end
            [sys.executable, "-m", "textforensics", "fix", "-q", "--chunk-chars", "4096", str(doc)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 8.0))  # the whole run takes about 7 s
        proc.send_signal(signum)
        proc.wait(timeout=120)
        content = doc.read_text(encoding="utf-8")
        assert content in (old, new)
        outcomes.add(content == new)
        if signum == signal.SIGTERM:
            assert _temps(tmp_path) == []
    scanned = _cli("scan", "-q", str(tmp_path), "--format", "json")
    paths = {f["path"] for f in json.loads(scanned.stdout)["findings"]}
    assert all(not is_temp_name(os.path.basename(p)) for p in paths)


# --- errors are errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"tool = 1\n", b"tool"),
        (b"[tool.textforensics]\nignore = ['\xff\xfe']\n", b"UTF-8"),
        (b"[tool.textforensics]\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n", b"pyproject"),
        (b"[tool]\ntextforensics = 3\n", b"must be a table"),
        (b"[tool.textforensics]\nmax-chars = true\n", b"max-chars"),
        (b"[tool.textforensics]\nmax-chars = -3\n", b"max-chars"),
        (b"[tool.textforensics]\ndupes-min-score = true\n", b"dupes-min-score"),
        (b"[tool.textforensics]\nmin-severity = 3\n", b"info, warning, error"),
        (b"[tool.textforensics]\nboilerplate = 'yes'\n", b"true or false"),
        (b"[tool.textforensics]\nbaseline = '../outside.json'\n", b"outside the repository"),
        (b"[tool.textforensics]\nindex = '/tmp/elsewhere-index'\n", b"outside the repository"),
        (b"[tool.textforensics]\nbaseline = 7\n", b"baseline"),
        (b"[tool.textforensics]\nsurprise = 1\n", b"valid: ignore"),
    ],
)
def test_bad_configuration_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, needle: bytes
) -> None:
    project = tmp_path / "pyproject.toml"
    project.write_bytes(content)
    doc = tmp_path / "doc.txt"
    doc.write_text(CLEAN, encoding="utf-8")
    result = run(capsys, "scan", "--config", str(project), str(doc))
    assert result.code == 2, result
    assert needle.decode() in result.err
    assert "Traceback" not in result.err


def test_deeply_nested_tables_are_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = tmp_path / "pyproject.toml"
    project.write_text("[tool.textforensics]\nx = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n")
    doc = tmp_path / "doc.txt"
    doc.write_text(CLEAN, encoding="utf-8")
    result = run(capsys, "scan", "--config", str(project), str(doc))
    assert result.code == 2
    assert "pyproject.toml" in result.err


def test_baseline_problems_are_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DIRTY, encoding="utf-8")
    nested = tmp_path / "nested.json"
    nested.write_text('{"version": 1, "findings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = run(capsys, "scan", str(doc), "--baseline", str(nested))
    assert result.code == 2
    assert "nested.json" in result.err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "findings": [{"path": 3, "fingerprint": "x"}]}))
    assert run(capsys, "scan", str(doc), "--baseline", str(bad)).code == 2
    missing_dir = tmp_path / "no" / "such" / "dir" / "baseline.json"
    result = run(capsys, "scan", str(doc), "--baseline", str(missing_dir), "--write-baseline")
    assert result.code == 2
    assert "no directory" in result.err
    onto_dir = tmp_path / "adir"
    onto_dir.mkdir()
    result = run(capsys, "scan", str(doc), "--baseline", str(onto_dir), "--write-baseline")
    assert result.code == 2
    assert "directory" in result.err
    assert _temps(tmp_path) == []


def test_concurrent_baseline_writers_lose_nothing(tmp_path: Path) -> None:
    """Real processes writing one baseline at once: every run ends well and the file is a
    whole, valid baseline (the lock serialises the writes)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(6):
        (docs / f"d{n}.txt").write_text(DIRTY * (n + 1), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    env = {**os.environ, "PYTHONPATH": SRC}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "textforensics",
                "scan",
                "-q",
                str(docs),
                "--baseline",
                str(baseline),
                "--write-baseline",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert len(data["findings"]) == sum(range(1, 7))
    assert _temps(tmp_path) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "a", "b", "--max-passages", "-1"],
        ["compare", "a", "b", "--max-passages", "many"],
        ["scan", ".", "--chunk-chars", "0"],
        ["fix", ".", "--chunk-chars", "-5"],
        ["dupes", ".", "--chunk-chars", "1"],
    ],
)
def test_bad_option_values_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    result = run(capsys, *argv)
    assert result.code == 2
    assert argv[-2] in result.err


def test_a_fifo_in_a_scanned_directory_is_skipped_without_opening(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(DIRTY, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    for command in ("scan", "fix", "dupes"):
        result = _cli(command, str(tmp_path), timeout=60)  # a hang fails by timeout
        assert result.returncode in (0, 1), result.stderr
        assert "pipe.txt: not a regular file (FIFO), skipped" in result.stderr
    assert stat.S_ISFIFO((tmp_path / "pipe.txt").lstat().st_mode)


# --- terminal injection ----------------------------------------------------------------------


def test_file_names_are_printed_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    evil = "evil\x1b[2J\x1b]0;pwned\x07\u202etxt.exe\nfake.txt"
    doc = tmp_path / evil
    doc.write_text(DIRTY, encoding="utf-8")
    twin = tmp_path / (evil + "2")
    twin.write_text(DIRTY, encoding="utf-8")
    outputs = [
        run(capsys, "scan", str(tmp_path)),
        run(capsys, "fix", "--diff", str(doc)),
        run(capsys, "dupes", str(tmp_path)),
        run(capsys, "compare", str(doc), str(twin)),
        run(capsys, "fix", str(doc)),
        run(capsys, "scan", "--config", str(tmp_path / (evil + ".toml")), str(doc)),
    ]
    for result in outputs:
        text = result.out + result.err
        assert "evil" in text, result
        for raw in ("\x1b", "\u202e", "\x07", "\nfake.txt"):
            assert raw not in text, (raw, result)
        assert "<U+001B>" in text
        assert "<U+202E>" in text


@given(st.text())
def test_safe_leaves_no_control_format_or_line_separator(text: str) -> None:
    import unicodedata

    shown = safe(text)
    for char in shown:
        assert char == "\t" or unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp", "Cs")


# --- linear time ---------------------------------------------------------------------------


def test_one_huge_flagged_word_gives_a_short_clipped_excerpt(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    word = ("p" + CYR_A) * 75_000  # one 150 KB word mixing look-alikes
    doc = tmp_path / "word.txt"
    doc.write_text(f"A {word} here\n", encoding="utf-8")
    started = time.perf_counter()
    result = run(capsys, "scan", str(doc))
    elapsed = time.perf_counter() - started
    assert result.code == 1
    assert len(result.out) < 10_000, len(result.out)
    assert "…" in result.out
    assert elapsed < 30


def test_caret_lines_marks_many_positions() -> None:
    excerpt = "x" * 200
    shown, caret = caret_lines(excerpt, 0, 200, range(0, 200, 2))
    assert shown == excerpt
    assert caret == "^~" * 100


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10), st.sampled_from("ab")), max_size=12),
    st.lists(st.integers(0, 3), max_size=30),
)
def test_owners_sweep_equals_the_naive_search(
    raw_spans: list[tuple[int, int, str]], gaps: list[int]
) -> None:
    spans = [(s, s + n, k) for s, n, k in raw_spans]
    steps, pos = [], 0
    for gap in gaps:  # sorted, disjoint steps
        start = pos + gap
        steps.append((start, start + 1, ""))
        pos = start + 1
    swept = [(s, e) for s, e, _, _ in _owners(spans, steps)]
    naive = [(s, e) for s, e, _ in steps if any(a <= s and e <= b for a, b, _ in spans)]
    assert swept == naive
    for s, e, _, kind in _owners(spans, steps):
        assert any(a <= s and e <= b and k == kind for a, b, k in spans)
