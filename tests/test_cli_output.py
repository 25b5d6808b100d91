"""Output control like ruff: --select/--ignore validated, --statistics, --format github,
--output-file, runs of one hidden character grouped, a cap per file; fix reports what it
leaves; files found like git; unknown options with the subcommand's usage."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_helpers import run
from textforensics.app.files import discover
from textforensics.app.output import UsageError, github_annotation, parse_selectors, selectors

HOMOGLYPH = "Pay the invoice with your p\u0430ypal account.\n"
BIDI = 'access_level = "user\u202e \u2066// check if admin\u2069 \u2066"\n'
MIXED_NUMBERS = "The total is 12\u0663\u0664 dollars today.\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_ignore_typo_is_an_error_naming_the_valid_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = _write(tmp_path, "a.txt", HOMOGLYPH)
    r = run(capsys, "scan", str(f), "--ignore", "confusible")
    assert r.code == 2
    assert "'confusible'" in r.err
    assert "valid values:" in r.err
    assert "confusable" in r.err
    assert "TF101" in r.err
    r = run(capsys, "scan", str(f), "--select", "TF1O1")
    assert r.code == 2
    assert "'TF1O1'" in r.err


def test_select_and_ignore_by_code_or_kind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = _write(tmp_path, "a.txt", HOMOGLYPH + BIDI)
    r = run(capsys, "scan", str(f), "-q", "--select", "bidi")
    assert r.code == 1
    assert "TF105" in r.out
    assert "TF101" not in r.out
    r = run(capsys, "scan", str(f), "-q", "--ignore", "TF105,confusable")
    assert r.code == 0
    assert r.out == ""


def test_statistics_counts_per_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", HOMOGLYPH * 3)
    b = _write(tmp_path, "b.txt", BIDI)
    r = run(capsys, "scan", str(a), str(b), "--statistics")
    assert r.code == 1
    rows = [line.split("\t") for line in r.out.splitlines()]
    counts = {code: int(n) for n, code, _ in rows}
    assert counts["TF101"] == 3
    assert counts["TF105"] >= 1
    assert [int(n) for n, _, _ in rows] == sorted((int(n) for n, _, _ in rows), reverse=True)


def test_format_github_annotations(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = _write(tmp_path, "a,b.txt", "line one\n" + HOMOGLYPH)
    r = run(capsys, "scan", str(f), "--format", "github")
    assert r.code == 1
    (line,) = r.out.splitlines()
    assert line.startswith(f"::warning file={str(f).replace(',', '%2C')},line=2,col=27,")
    assert "::TF101 confusable: " in line


@given(st.text(max_size=40))
@settings(max_examples=100, deadline=None)
def test_github_annotation_escapes_everything(message: str) -> None:
    line = github_annotation("p:a,th", 1, 2, message, title="t")
    assert "\n" not in line
    assert "\r" not in line
    head, _, body = line.partition("::")[2].partition("::")
    assert body.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%") == message
    assert "file=p%3Aa%2Cth" in head


def test_selectors_come_from_the_vocabulary() -> None:
    assert {"TF101", "confusable", "bidi", "boilerplate", "comments"} <= set(selectors())
    assert parse_selectors("--x", ["bidi, TF101", "invisible"]) == {"bidi", "TF101", "invisible"}
    with pytest.raises(UsageError):
        parse_selectors("--x", ["nope"])


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = _write(tmp_path, "a.txt", HOMOGLYPH)
    target = tmp_path / "out.sarif"
    r = run(capsys, "scan", str(f), "--format", "sarif", "-o", str(target))
    assert r.code == 1
    assert r.out == ""
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["runs"][0]["results"][0]["ruleId"] == "TF101"


def test_a_run_of_one_invisible_character_is_one_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    words = " ".join(f"w{i}\u2063" for i in range(1736))
    f = _write(tmp_path, "shop.txt", "Buy now: " + words + "\n")
    r = run(capsys, "scan", str(f), "-q", "--color", "never")
    (line,) = r.out.splitlines()
    assert " TF104 invisible " in line
    assert line.endswith("\u00d71736")
    r = run(capsys, "scan", str(f), "--format", "github")
    assert len(r.out.splitlines()) == 1
    # machines get every finding, with its exact span
    r = run(capsys, "scan", str(f), "--format", "json")
    assert len(r.json()["findings"]) == 1736
    r = run(capsys, "scan", str(f), "--statistics")
    assert r.out.split("\t")[:2] == ["1736", "TF104"]


def test_cap_per_file_with_a_summary_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = _write(tmp_path, "many.txt", HOMOGLYPH * 30)
    r = run(capsys, "scan", str(f), "-v", "--max-findings-per-file", "10", "--color", "never")
    assert r.code == 1
    assert sum(1 for line in r.out.splitlines() if " TF101 " in line) == 10
    assert "20 not shown (more than 10 in a file" in r.err
    r = run(capsys, "scan", str(f), "-q", "--max-findings-per-file", "0")
    assert len(r.out.splitlines()) == 30


def test_fix_reports_what_it_cannot_fix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = _write(tmp_path, "a.txt", HOMOGLYPH + MIXED_NUMBERS)
    r = run(capsys, "fix", str(f), "--color", "never")
    assert r.code == 1
    assert "TF106 mixed_numbers" in r.out
    assert "not fixable" in r.out
    assert "1 finding not fixable" in r.err
    assert "\u0430" not in f.read_text(encoding="utf-8")
    r = run(capsys, "fix", str(f), "--format", "json")
    assert r.code == 1
    assert [u["kind"] for u in r.json()["unfixable"]] == ["mixed_numbers"]
    clean = _write(tmp_path, "c.txt", "Nothing here.\n")
    assert run(capsys, "fix", str(clean)).code == 0


def test_fix_stdin_is_a_filter(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    data = (HOMOGLYPH + MIXED_NUMBERS).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    r = run(capsys, "fix", "-", "--color", "never")
    assert r.out == HOMOGLYPH.replace("\u0430", "a") + MIXED_NUMBERS
    assert "mixed_numbers" in r.err
    assert r.code == 1


def test_unknown_option_prints_the_subcommand_usage(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "scan", "x.txt", "--bogus")
    assert r.code == 2
    assert "unrecognized arguments: --bogus" in r.err
    assert "usage: textforensics scan" in r.err


def test_subcommand_help_has_a_description_and_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in ("scan", "fix", "compare", "dupes", "strip"):
        with pytest.raises(SystemExit):
            run(capsys, command, "--help")
        text = capsys.readouterr().out
        assert "examples:" in text
        assert f"textforensics {command} " in text


def test_force_color(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = _write(tmp_path, "a.txt", HOMOGLYPH)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run(capsys, "scan", str(f)).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, "scan", str(f)).out


def test_write_baseline_keeps_other_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "f1.txt", HOMOGLYPH)
    _write(tmp_path, "f2.txt", BIDI)
    assert (
        run(capsys, "scan", "f1.txt", "f2.txt", "--baseline", "b.json", "--write-baseline").code
        == 0
    )
    assert run(capsys, "scan", "f2.txt", "--baseline", "b.json", "--write-baseline").code == 0
    paths = [e["path"] for e in json.loads(Path("b.json").read_text())["findings"]]
    assert paths.count("f1.txt") == 1
    assert "f2.txt" in paths
    assert run(capsys, "scan", "f1.txt", "f2.txt", "--baseline", "b.json").code == 0


def _tree(root: Path) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in discover([str(root)])]


def test_files_like_git(tmp_path: Path) -> None:
    for rel in ["docs/a.md", "docs/sub/b.md", "build/out.txt", ".cache/c.txt", "keep.log",
                "x.log", "src/.gitignore", "src/gen.txt", "src/ok.txt"]:  # fmt: skip
        _write(tmp_path, rel, "x\n")
    _write(tmp_path, ".gitignore", "build/\n*.log\n!keep.log\n")
    _write(tmp_path, "src/.gitignore", "gen.txt\n")
    assert sorted(_tree(tmp_path)) == [
        ".gitignore", "docs/a.md", "docs/sub/b.md", "keep.log", "src/.gitignore", "src/ok.txt",
    ]  # fmt: skip
    root = str(tmp_path)
    rel = [
        Path(p).relative_to(tmp_path).as_posix() for p in discover([root], exclude=["docs/*.md"])
    ]
    assert "docs/sub/b.md" in rel
    assert "docs/a.md" not in rel
    rel = [
        Path(p).relative_to(tmp_path).as_posix() for p in discover([root], include=["docs/**/*.md"])
    ]
    assert rel == ["docs/a.md", "docs/sub/b.md"]


def test_binary_files_are_counted_not_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _write(tmp_path, "a.txt", HOMOGLYPH)
    for n in range(3):
        (tmp_path / f"img{n}.png").write_bytes(b"\x89PNG\x00\x00")
    r = run(capsys, "scan", str(tmp_path))
    assert r.code == 1
    assert "skipped:" not in r.err
    assert "3 binary files skipped" in r.err


def test_settings_from_textforensics_toml(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "a.txt", HOMOGLYPH)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert run(capsys, "scan", "a.txt").code == 1
    (tmp_path / ".textforensics.toml").write_text('ignore = ["confusable"]\n', encoding="utf-8")
    assert run(capsys, "scan", "a.txt").code == 0
    (tmp_path / "textforensics.toml").write_text('ignore = ["bidi"]\n', encoding="utf-8")
    assert run(capsys, "scan", "a.txt").code == 1  # textforensics.toml comes first
    (tmp_path / "textforensics.toml").write_text('ignre = ["bidi"]\n', encoding="utf-8")
    r = run(capsys, "scan", "a.txt")
    assert r.code == 2
    assert "ignre" in r.err


@given(
    st.lists(
        st.tuples(st.sampled_from(["ab", "cd", "e"]), st.sampled_from(["", "\u2063", "\u200b"])),
        max_size=30,
    ),
    st.integers(0, 5),
)
@settings(max_examples=60, deadline=None)
def test_group_runs_and_cap_keep_every_occurrence(words: list[tuple[str, str]], limit: int) -> None:
    from textforensics.app.config import Config
    from textforensics.app.files import TextChunk
    from textforensics.app.scan import cap_per_file, chunk_findings, group_runs

    text = " ".join(w + hidden for w, hidden in words) + "\n"
    items = chunk_findings("t.txt", TextChunk(text, 0, 1, 1), Config(min_severity="info"))
    grouped = group_runs(items)
    assert len(grouped) <= len(items)
    assert all(a.end <= b.start for a, b in itertools.pairwise(grouped))
    hidden_total = sum(
        int(str(g.extra.get("count", 0)))
        if "count" in g.extra
        else sum(g.flagged.count(c.char) for c in g.characters)
        for g in grouped
        if g.kind == "invisible"
    )
    assert hidden_total == sum(
        i.flagged.count(c.char) for i in items if i.kind == "invisible" for c in i.characters
    )
    kept, dropped = cap_per_file(grouped, limit)
    assert len(kept) + dropped == len(grouped)
    assert len(kept) == (min(limit, len(grouped)) if limit else len(grouped))


def test_fix_diff_json_stays_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = _write(tmp_path, "a.txt", HOMOGLYPH)
    r = run(capsys, "fix", str(f), "--diff", "--format", "json")
    assert r.code == 1
    (entry,) = r.json()["files"]
    assert entry["written"] is False
    assert "+Pay the invoice with your paypal account." in entry["diff"]
    assert "\u0430" in f.read_text(encoding="utf-8")  # --diff never writes
