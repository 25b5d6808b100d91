"""Batch modes (strip over directories, globs and JSON lines, in a process pool) and
dupes for repositories (representative and unique, --git, markers, baseline, SARIF)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_helpers import run
from conftest import SEEDS_DIR
from textforensics.app.batch import Doc, output_path

SEED0 = SEEDS_DIR / "000_e24c687f99629c40.txt"
SEED1 = SEEDS_DIR / "001_2afef02959bb14f6.txt"
SEED2 = SEEDS_DIR / "002_9f7163c5ebb98ed7.txt"
SEED3 = SEEDS_DIR / "003_6e31b260f6370446.txt"


def test_strip_directory_to_output_dir(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    shutil.copy(SEED3, pages / "a.txt")
    shutil.copy(SEED0, pages / "sub" / "b.txt")
    out_dir = tmp_path / "clean"
    r = run(capsys, "strip", str(pages), "--output-dir", str(out_dir), "-j", "2")
    assert r.code == 0, r.err
    assert "Stripped 2 documents" in r.err
    single = run(capsys, "strip", str(SEED3)).out
    assert (out_dir / "a.txt").read_text(encoding="utf-8").rstrip("\n") == single.rstrip("\n")
    assert (out_dir / "sub" / "b.txt").is_file()


def test_strip_jsonl_in_and_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "crawl.jsonl"
    records = [
        {"url": "u3", "body": SEED3.read_text(encoding="utf-8")},
        {"url": "u0", "body": SEED0.read_text(encoding="utf-8")},
    ]
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    r = run(capsys, "strip", "--jsonl", str(src), "--text-field", "body", "--id-field", "url",
            "--format", "jsonl")  # fmt: skip
    assert r.code == 0, r.err
    out = [json.loads(line) for line in r.out.splitlines()]
    assert [o["url"] for o in out] == ["u3", "u0"]
    assert out[0]["removed_blocks"] > 0
    assert out[1]["removed_chars"] == 0  # seed 000 loses nothing
    assert out[1]["body"] == records[1]["body"]


def test_strip_globs_and_bad_records(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for n, seed in enumerate((SEED0, SEED1)):
        shutil.copy(seed, tmp_path / f"p{n}.txt")
    r = run(capsys, "strip", str(tmp_path / "p*.txt"), "--format", "jsonl")
    assert r.code == 0
    assert len(r.out.splitlines()) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\nnot json\n', encoding="utf-8")
    r = run(capsys, "strip", "--jsonl", str(bad), "--format", "jsonl")
    assert r.code == 2
    assert "line 2: not JSON" in r.err
    r = run(capsys, "strip", str(tmp_path))
    assert r.code == 2


def test_output_path_stays_inside(tmp_path: Path) -> None:
    for rel in ("../../etc/passwd", "/abs/x.txt", "a/../../b.txt"):
        target = Path(output_path(str(tmp_path), Doc(key="k", text="", rel=rel)))
        assert tmp_path in target.parents


def test_dupes_json_names_representative_and_unique(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "dupes", str(SEEDS_DIR), "--format", "json")
    assert r.code == 1
    doc = r.json()
    (cluster,) = doc["clusters"]
    assert cluster["representative"] == str(SEED0)
    assert sorted(doc["unique"]) == sorted(str(p) for p in (SEED2, SEED3))


def test_dupes_sarif_and_github(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "dupes", str(SEEDS_DIR), "--format", "sarif")
    assert r.code == 1
    (result,) = r.json()["runs"][0]["results"]
    assert result["ruleId"] == "TF301"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        SEED1.name
    )
    related = result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert related.endswith(SEED0.name)
    r = run(capsys, "dupes", str(SEEDS_DIR), "--format", "github")
    (line,) = r.out.splitlines()
    assert line.startswith(f"::warning file={SEED1},line=1,col=1")
    assert f"keep {SEED0}" in line


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c",
         "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    shutil.copy(SEED0, root / "docs" / "install.md")
    shutil.copy(SEED2, root / "docs" / "other.md")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "docs")
    monkeypatch.chdir(root)
    return root


def test_dupes_git_finds_a_new_copy_of_a_tracked_file(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    shutil.copy(repo / "docs" / "install.md", repo / "install2.md")
    r = run(capsys, "dupes", "--git", "install2.md", "--format", "json")
    assert r.code == 1, r.err
    (cluster,) = r.json()["clusters"]
    assert cluster["representative"] == "docs/install.md"  # the committed file is kept
    assert sorted(cluster["keys"]) == ["docs/install.md", "install2.md"]
    # an unrelated new file passes
    shutil.copy(SEED3, repo / "new.md")
    assert run(capsys, "dupes", "--git", "new.md").code == 0


def test_dupes_marker_and_baseline_accept_known_copies(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    copy = repo / "install2.md"
    shutil.copy(repo / "docs" / "install.md", copy)
    base = "dupes-baseline.json"
    assert (
        run(capsys, "dupes", "--git", "install2.md", "--baseline", base, "--write-baseline").code
        == 0
    )
    assert run(capsys, "dupes", "--git", "install2.md", "--baseline", base).code == 0
    # a third copy is new: not accepted
    shutil.copy(copy, repo / "install3.md")
    assert run(capsys, "dupes", "--git", "install3.md", "--baseline", base).code == 1
    # the marker accepts a file without a baseline
    copy.write_text(
        copy.read_text(encoding="utf-8") + "\n<!-- textforensics: ignore-duplicate -->\n",
        encoding="utf-8",
    )
    assert run(capsys, "dupes", "--git", "install2.md").code == 0


def test_dupes_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    rows = [{"id": s.name, "text": s.read_text(encoding="utf-8")} for s in (SEED0, SEED1, SEED2)]
    src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    r = run(capsys, "dupes", "--jsonl", str(src), "--format", "json")
    assert r.code == 1
    assert r.json()["clusters"][0]["keys"] == [SEED0.name, SEED1.name]
    assert r.json()["unique"] == [SEED2.name]


def test_scan_in_parallel_and_on_jsonl_matches_the_serial_scan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for n in range(6):
        (tmp_path / f"f{n}.txt").write_text(
            f"Line {n}.\nPay with your p\u0430ypal account.\n", encoding="utf-8"
        )
    serial = run(capsys, "scan", str(tmp_path), "--format", "json")
    parallel = run(capsys, "scan", str(tmp_path), "--format", "json", "-j", "2")
    assert serial.code == parallel.code == 1
    assert serial.json()["findings"] == parallel.json()["findings"]
    src = tmp_path / "docs.jsonl"
    src.write_text(
        json.dumps({"id": "doc-1", "text": "Pay with your p\u0430ypal account."}) + "\n",
        encoding="utf-8",
    )
    r = run(capsys, "scan", "--jsonl", str(src), "-q", "--color", "never")
    assert r.code == 1
    assert r.out.startswith("doc-1:1:15: TF101 confusable")


def test_compare_sarif_and_github_name_both_passages(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "compare", str(SEED0), str(SEED1), "--format", "sarif")
    assert r.code == 1
    results = r.json()["runs"][0]["results"]
    assert results
    first = results[0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(SEED1.name)
    related = first["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"].endswith(SEED0.name)
    assert related["region"]["startLine"] >= 1
    r = run(capsys, "compare", str(SEED0), str(SEED1), "--format", "github")
    assert len(r.out.splitlines()) == len(results)
    assert r.out.startswith(f"::warning file={SEED1},line=")
    r = run(capsys, "compare", str(SEED0), str(SEED2), "--format", "sarif")
    assert r.code == 0
    assert r.json()["runs"][0]["results"] == []
