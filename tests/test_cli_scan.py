"""`scan` and `fix` on the command line (in-process), on the seeds and on bad input."""

from __future__ import annotations

import codecs
import io
import json
import os
import shutil
import stat
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from cli_helpers import run
from conftest import shared_path
from textforensics.app.config import Config
from textforensics.app.files import InputError
from textforensics.app.scan import ScanContext, scan_path
from textforensics.cli import JSON_SCHEMA_VERSION, main
from textforensics.text import LineIndex

CYR_E = "\u0435"
SEED_001_LINE, SEED_001_E_COLUMN = 6, 64  # the "е" of "Vеrshinin" (the word starts at 63)


def _confusable(path: Path) -> tf.Finding:
    (finding,) = [
        f
        for f in tf.find_homoglyphs(path.read_text(encoding="utf-8"))
        if f.severity in ("warning", "error")
    ]
    return finding


def test_scan_seeds_prints_exactly_one_warning(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    seeds_dir = seed_paths["000"].parent
    r = run(capsys, "scan", str(seeds_dir), "--color", "never")
    assert r.code == 1
    headlines = [line for line in r.out.splitlines() if ": TF" in line]
    assert len(headlines) == 1
    finding = _confusable(seed_paths["001"])
    text = seed_paths["001"].read_text(encoding="utf-8")
    line, column = LineIndex(text).position(finding.start)
    assert line == SEED_001_LINE
    assert column == SEED_001_E_COLUMN - 1  # findings point at the word
    assert headlines[0].startswith(f"{seed_paths['001']}:{line}:{column}: TF101 confusable ")
    # the offending text, the character named, the suggestion and a caret under it
    assert "U+0435 CYRILLIC SMALL LETTER IE (Cyrillic)" in r.out
    assert 'looks like "e"' in r.out
    assert 'suggestion: "Vershinin"' in r.out
    lines = r.out.splitlines()
    excerpt = next(i for i, s in enumerate(lines) if f"{SEED_001_LINE} | " in s)
    caret_row = lines[excerpt + 1]
    word = lines[excerpt].index(f"V{CYR_E}rshinin")
    assert caret_row[word : word + 9] == "~^~~~~~~~"  # ^ under the "е", ~ under its word
    assert "Found 1 finding in 4 files." in r.err


def test_scan_quiet_is_one_line_per_finding(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    r = run(capsys, "scan", "-q", *map(str, seed_paths.values()))
    assert r.code == 1
    assert len(r.out.splitlines()) == 1
    assert r.err == ""


def test_scan_clean_files_exit_zero(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    r = run(capsys, "scan", str(seed_paths["000"]), str(seed_paths["002"]))
    assert r.code == 0
    assert r.out == ""
    r = run(capsys, "scan", str(seed_paths["001"]), "--exit-zero")
    assert r.code == 0
    assert "TF101" in r.out


def test_color_only_when_asked(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    r = run(capsys, "scan", str(seed_paths["001"]))
    assert "\x1b[" not in r.out  # captured output is not a terminal
    r = run(capsys, "scan", str(seed_paths["001"]), "--color", "always")
    assert "\x1b[" in r.out
    monkeypatch.setenv("NO_COLOR", "1")
    r = run(capsys, "scan", str(seed_paths["001"]), "--color", "auto")
    assert "\x1b[" not in r.out


def test_scan_json_schema(capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]) -> None:
    r = run(capsys, "scan", str(seed_paths["001"]), "--format", "json")
    assert r.code == 1
    doc = r.json()
    assert doc["version"] == JSON_SCHEMA_VERSION
    assert doc["command"] == "scan"
    assert doc["summary"] == {"files": 1, "findings": 1, "baselined": 0, "errors": 0, "skipped": 0}
    (item,) = doc["findings"]
    assert item["code"] == "TF101"
    assert item["kind"] == "confusable"
    assert item["line"] == SEED_001_LINE
    assert item["suggestion"] == "Vershinin"
    assert item["characters"][0]["code_point"] == "U+0435"
    finding = _confusable(seed_paths["001"])
    assert item["finding"]["start"] == finding.start == item["start"]
    assert json.loads(json.dumps(item["finding"])) == {**finding.to_dict(), **item["finding"]}


def test_scan_sarif_validates_against_the_schema(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))
    bidi = tmp_path / "bidi.txt"
    bidi.write_text('x = "user\u202e \u2066// admin\u2069 \u2066"\n', encoding="utf-8")
    r = run(capsys, "scan", str(seed_paths["000"].parent), str(bidi), "--format", "sarif")
    assert r.code == 1
    log = r.json()
    jsonschema.validate(log, schema)
    (run_,) = log["runs"]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    assert rules["TF101"]["help"]["text"]
    assert rules["TF105"]["shortDescription"]["text"]
    results = run_["results"]
    assert {res["ruleId"] for res in results} >= {"TF101", "TF105"}
    first = next(res for res in results if res["ruleId"] == "TF101")
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == region["endLine"] == SEED_001_LINE
    assert region["startColumn"] < region["endColumn"]
    assert first["partialFingerprints"]["textforensics/v1"]


def test_fingerprint_survives_inserted_lines(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    moved = tmp_path / "moved.txt"
    moved.write_bytes(b"A new first line.\n\n" + seed_paths["001"].read_bytes())
    fps = []
    for path in (seed_paths["001"], moved):
        doc = run(capsys, "scan", str(path), "--format", "sarif").json()
        (res,) = doc["runs"][0]["results"]
        fps.append(res["partialFingerprints"]["textforensics/v1"])
        assert res["locations"][0]["physicalLocation"]["region"]["startLine"] in (6, 8)
    assert fps[0] == fps[1]


def test_baseline_only_new_findings_fail(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    doc = tmp_path / "doc.txt"
    shutil.copy(seed_paths["001"], doc)
    baseline = tmp_path / "baseline.json"
    r = run(capsys, "scan", str(doc), "--baseline", str(baseline), "--write-baseline")
    assert r.code == 0
    assert baseline.exists()
    # lines added above: still the accepted finding (matched by fingerprint, not line)
    doc.write_text("Intro.\n\n" + doc.read_text(encoding="utf-8"), encoding="utf-8")
    r = run(capsys, "scan", str(doc), "--baseline", str(baseline))
    assert r.code == 0, r.out
    assert "1 more in the baseline" in r.err
    # a new disguised word fails, and only it is shown
    doc.write_text(doc.read_text(encoding="utf-8") + "Then p\u0430ypal paid.\n", encoding="utf-8")
    r = run(capsys, "scan", str(doc), "--baseline", str(baseline))
    assert r.code == 1
    assert f"p{chr(0x430)}ypal" in r.out
    assert f"V{CYR_E}rshinin" not in r.out
    r = run(capsys, "scan", str(doc), "--baseline", str(tmp_path / "missing.json"))
    assert r.code == 2
    assert "baseline file not found" in r.err


def test_inline_ignore_and_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(
        f"Sergei V{CYR_E}rshinin said.  # textforensics: ignore[confusable]\n"
        f"Sergei V{CYR_E}rshinin again.\n",
        encoding="utf-8",
    )
    r = run(capsys, "scan", str(doc), "--format", "json")
    assert [f["line"] for f in r.json()["findings"]] == [2]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.textforensics]\nallowed-scripts = ["Cyrillic"]\n', encoding="utf-8"
    )
    r = run(capsys, "scan", "doc.txt")
    assert r.code == 0, r.out
    (tmp_path / "pyproject.toml").write_text(
        '[tool.textforensics]\nignore = ["TF101"]\n', encoding="utf-8"
    )
    assert run(capsys, "scan", "doc.txt").code == 0
    assert run(capsys, "scan", "doc.txt", "--no-config").code == 1
    assert run(capsys, "scan", "doc.txt", "--no-config", "--ignore", "confusable").code == 0


def test_include_exclude_and_stdin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text(f"V{CYR_E}rshinin\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"V{CYR_E}rshinin\n", encoding="utf-8")
    r = run(capsys, "scan", str(tmp_path), "--include", "*.md", "-q")
    assert r.out.count("TF101") == 1
    assert "a.md" in r.out
    r = run(capsys, "scan", str(tmp_path), "--exclude", "*.md", "-q")
    assert r.out.count("TF101") == 1
    assert "b.txt" in r.out
    data = f"line\nSergei V{CYR_E}rshinin\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    r = run(capsys, "scan", "-", "-q")
    assert r.code == 1
    assert r.out.startswith("-:2:")


def test_bad_input_is_reported_and_other_files_go_on(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait\n")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    r = run(capsys, "scan", str(bad), str(binary), str(empty), str(missing), str(seed_paths["001"]))
    assert r.code == 2
    assert f"{bad}: invalid UTF-8 at byte offset 3 (line 1)" in r.err
    assert "skipped: " not in r.err  # binary files are counted, not listed
    assert "1 binary file skipped" in r.err
    assert f"{missing}: no such file or directory" in r.err
    assert "empty.txt" not in r.err
    assert "Traceback" not in r.err
    assert "TF101" in r.out  # the good file was still scanned
    r = run(capsys, "strip", str(tmp_path))
    assert r.code == 2
    assert "several inputs need --output-dir DIR or --format jsonl" in r.err


def test_utf16_and_bom_files_are_scanned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = f"One.\r\nSergei V{CYR_E}rshinin.\r\n"
    doc = tmp_path / "u16.txt"
    doc.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    r = run(capsys, "scan", str(doc), "-q")
    assert r.code == 1
    assert r.out.startswith(f"{doc}:2:")


def test_fifty_megabyte_single_line_in_bounded_memory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    size = 50 * 1024 * 1024
    with open(big, "wb") as f:
        block = b"lorem ipsum dolor sit amet " * 40000  # ~1 MB, one line
        written = 0
        while written < size:
            f.write(block)
            written += len(block)
        f.write(f" Sergei V{CYR_E}rshinin end".encode())
    column = written + len(" Sergei V") + 1
    tracemalloc.start()
    try:
        r = run(capsys, "scan", str(big), "-q")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.code == 1
    assert r.out.startswith(f"{big}:1:{column}:") or r.out.startswith(f"{big}:1:{column - 1}:")
    assert len(r.out) < 1000  # the 50 MB line is never printed whole
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB for a 52 MB file"


# --- fix ---------------------------------------------------------------------------------


def test_fix_seed_001_then_scan_is_clean(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    doc = tmp_path / "001.txt"
    shutil.copy(seed_paths["001"], doc)
    untouched = tmp_path / "000.txt"
    shutil.copy(seed_paths["000"], untouched)
    os.utime(untouched, ns=(1_000_000_000, 1_000_000_000))
    r = run(capsys, "fix", str(doc), str(untouched), "--color", "never")
    assert r.code == 1
    assert f'{doc}:{SEED_001_LINE}:{SEED_001_E_COLUMN}: fixed confusable: "{CYR_E}" → "e"' in r.out
    original = seed_paths["001"].read_bytes()
    assert doc.read_bytes() == original.replace(CYR_E.encode(), b"e")
    assert original.count(CYR_E.encode()) == 1
    assert untouched.stat().st_mtime_ns == 1_000_000_000  # never touched
    assert run(capsys, "scan", str(doc)).code == 0
    assert run(capsys, "fix", str(doc)).code == 0


def test_fix_diff_does_not_write(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    doc = tmp_path / "001.txt"
    shutil.copy(seed_paths["001"], doc)
    before = doc.stat().st_mtime_ns
    r = run(capsys, "fix", "--diff", str(doc))
    assert r.code == 1
    assert r.out.startswith(f"--- {doc}\n+++ {doc}\n@@ -")  # absolute: no a/ b/
    assert (
        f"-In a recent statement, Russian Deputy Foreign Minister Sergei V{CYR_E}rshinin" in r.out
    )
    assert "+In a recent statement, Russian Deputy Foreign Minister Sergei Vershinin" in r.out
    assert doc.stat().st_mtime_ns == before
    assert doc.read_bytes() == seed_paths["001"].read_bytes()


def test_fix_keeps_mode_line_endings_bom_and_encoding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = f"First line\r\nSergei V{CYR_E}rshinin and zero\u200bwidth\r\nlast\rline"
    cases = {
        "utf8-bom.txt": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf16.txt": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "plain.txt": text.encode("utf-8"),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        path.chmod(0o751)
    r = run(capsys, "fix", str(tmp_path))
    assert r.code == 1, r.err
    fixed = tf.fix_homoglyphs(text)
    fixed_text = fixed[0] if isinstance(fixed, tuple) else fixed.text
    assert "Vershinin" in fixed_text
    assert "\u200b" not in fixed_text
    assert (tmp_path / "utf8-bom.txt").read_bytes() == codecs.BOM_UTF8 + fixed_text.encode("utf-8")
    assert (tmp_path / "utf16.txt").read_bytes() == codecs.BOM_UTF16_BE + fixed_text.encode(
        "utf-16-be"
    )
    assert (tmp_path / "plain.txt").read_bytes() == fixed_text.encode("utf-8")
    for name in cases:
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(cases)  # no temp files left


def test_fix_respects_inline_ignores(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    content = f"V{CYR_E}rshinin  # textforensics: ignore[confusable]\nV{CYR_E}rshinin\n"
    doc.write_text(content, encoding="utf-8")
    assert run(capsys, "fix", str(doc)).code == 1
    assert doc.read_text(encoding="utf-8") == content.replace(f"V{CYR_E}rshinin\n", "Vershinin\n")


def test_fix_repairs_whole_script_confusables(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The command line fixes the kinds the library fixes (vocab.FIXABLE_KINDS), including
    # a word written entirely in look-alike Cyrillic; it used to leave those alone.
    doc = tmp_path / "doc.txt"
    word = "\u0430\u0440\u0440"  # Cyrillic "арр", looks like "app"
    doc.write_text(f"Please log in to your account at {word} and confirm it today.\n")
    scan = run(capsys, "scan", str(doc), "--format", "json").json()
    assert [f["kind"] for f in scan["findings"]] == ["whole_script"]
    result = run(capsys, "fix", str(doc), "--format", "json")
    assert result.code == 1
    changes = result.json()["files"][0]["changes"]
    assert {c["kind"] for c in changes} == {"whole_script"}
    assert doc.read_text() == "Please log in to your account at app and confirm it today.\n"
    assert run(capsys, "scan", str(doc)).code == 0


ALPHABET = st.sampled_from(
    [
        *list("abcdeopxy ,.\t"),
        "\n",
        "\r\n",
        "\r",
        CYR_E,
        "а",
        "о",
        "\u200b",
        "\u202e",
        "\u2066",
        "\u2069",
        "é",
        "中",
        "😀",
    ]
)


@settings(max_examples=60)
@given(
    st.lists(ALPHABET, max_size=120).map("".join),
    st.sampled_from([b"", codecs.BOM_UTF8]),
)
def test_fix_round_trip_changes_only_findings(text: str, bom: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_bytes(bom + text.encode("utf-8"))
        before = path.stat().st_mtime_ns
        out = io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, io.StringIO()
        try:
            code = main(["fix", str(path), "--format", "json"])
        finally:
            sys.stdout, sys.stderr = saved
        data = path.read_bytes()
        assert data.startswith(bom)
        after = data[len(bom) :].decode("utf-8")
        if code == 0:
            assert after == text
            assert path.stat().st_mtime_ns == before
            return
        assert code == 1
        # line structure is kept: the same line breaks in the same order
        assert list(_breaks(after)) == list(_breaks(text))
        # the reported changes are exactly the difference, and each lies inside a span some
        # finding flagged (checked on the changes themselves: a character diff may align
        # a replaced look-alike with another equal letter and so blame the wrong place)
        doc = json.loads(out.getvalue())
        if not doc["files"]:
            # exit 1 without a change: only what fix cannot repair was found; it is
            # reported, and the file is left as it was
            assert doc["unfixable"]
            assert after == text
            assert path.stat().st_mtime_ns == before
            return
        (listed,) = doc["files"]
        spans = [(f.start, f.end) for f in tf.find_homoglyphs(text)]
        rebuilt, pos = [], 0
        for change in listed["changes"]:
            assert pos <= change["start"] <= change["end"]
            assert text[change["start"] : change["end"]] == change["old"]
            assert any(s <= change["start"] and change["end"] <= e for s, e in spans)
            rebuilt += [text[pos : change["start"]], change["new"]]
            pos = change["end"]
        assert "".join(rebuilt) + text[pos:] == after


def test_fix_keeps_cr_zwsp_lf_as_two_line_breaks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`printf '\\r\\xe2\\x80\\x8b\\n' > t.txt && textforensics fix t.txt`: removing the ZWSP
    would make the CR and the LF one CRLF (one line break instead of two)."""
    for text in ("\r\u200b\n", "a\r\u200b\u200b\nb", "x\u200b\r\u200b\ny\u200bz\n"):
        doc = tmp_path / "t.txt"
        doc.write_bytes(text.encode("utf-8"))
        run(capsys, "fix", str(doc))
        after = doc.read_bytes().decode("utf-8")
        assert _breaks(after) == _breaks(text), (text, after)
    # elsewhere the invisible characters still go
    assert doc.read_bytes().decode("utf-8") == "x\r\u200b\nyz\n"


def _breaks(text: str) -> list[str]:
    import re

    return re.findall(r"\r\n|\r|\n", text)


WORDS = st.sampled_from(
    ["the", "paid", "V\u0435rshinin", "p\u0430ypal", "zero\u200bwidth", "x\u202ey", "中文", "é"]
)
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\r\n", "\t", ", "])


class _Collect:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def input_error(self, exc: InputError) -> None:
        self.problems.append(str(exc))

    def error(self, path: str, reason: str, message: str) -> None:
        self.problems.append(message)


@settings(max_examples=60)
@given(
    st.lists(st.tuples(WORDS, SEPARATORS), max_size=60).map(
        lambda pairs: "".join(w + sep for w, sep in pairs)
    ),
    st.integers(4, 64),
)
def test_chunked_scan_positions_are_true_file_positions(text: str, chunk_chars: int) -> None:
    """Findings of a file read in small chunks point at the right place of the whole text
    (chunks this small are below the command line's minimum: the application layer)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_bytes(text.encode("utf-8"))
        reporter = _Collect()
        cfg = Config(min_severity="info")
        items = scan_path(
            str(path), ScanContext(cfg=cfg, reporter=reporter, chunk_chars=chunk_chars)
        )
    assert reporter.problems == []
    index = LineIndex(text)
    for item in items:
        assert index.position(item.start) == (item.line, item.column)
        assert text[item.start : item.end] == item.flagged
        for char in item.to_dict()["finding"].get("chars", ()):
            assert text[char["offset"]] == char["char"]


@pytest.mark.parametrize("value", ["0", "-5", "1", "1023", "x", "1e3"])
def test_chunk_chars_below_the_minimum_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("p\u0430ypal\n", encoding="utf-8")
    for command in ("scan", "fix"):
        result = run(capsys, command, str(doc), f"--chunk-chars={value}")
        assert result.code == 2, result
        assert "--chunk-chars" in result.err
        assert "1024" in result.err
    assert doc.read_text(encoding="utf-8") == "p\u0430ypal\n"


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=40).map(
        lambda pairs: "".join(w + sep for w, sep in pairs)
    ),
    st.integers(30, 120),
    st.sampled_from([1024, 1500, 4096]),
)
def test_findings_are_the_same_across_chunk_sizes(text: str, repeat: int, chunk_chars: int) -> None:
    """From the smallest chunk the command line accepts up, where the file is cut does not
    change what is found."""
    text = (text + "\n") * repeat

    def findings(*extra: str) -> list[tuple[int, int, str]]:
        out = io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, io.StringIO()
        try:
            code = main(["scan", str(path), "--format", "json", "--min-severity", "info", *extra])
        finally:
            sys.stdout, sys.stderr = saved
        assert code in (0, 1)
        return [(f["start"], f["end"], f["code"]) for f in json.loads(out.getvalue())["findings"]]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_bytes(text.encode("utf-8"))
        assert findings("--chunk-chars", str(chunk_chars)) == findings()


@settings(max_examples=50)
@given(st.binary(max_size=300), st.sampled_from(["scan", "fix", "dupes"]))
def test_any_bytes_give_an_exit_code_never_a_traceback(data: bytes, command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.txt"
        path.write_bytes(data)
        other = Path(tmp) / "other.txt"
        other.write_bytes(data[::-1])
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        try:
            code = main([command, str(path), str(other)])
        finally:
            sys.stdout, sys.stderr = saved
    assert code in (0, 1, 2)
