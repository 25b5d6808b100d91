"""`compare` and `dupes` on the command line (in-process)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_helpers import run
from textforensics.app.output import JSON_SCHEMA_VERSION


def test_dupes_on_seeds_prints_one_rewrite_cluster(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    seeds_dir = str(seed_paths["000"].parent)
    r = run(capsys, "dupes", seeds_dir, "--color", "never")
    assert r.code == 1
    clusters = [line for line in r.out.splitlines() if line.startswith("cluster ")]
    assert clusters == [clusters[0]]
    assert "2 files, rewrite" in clusters[0]
    members = [
        line.strip()
        for line in r.out.splitlines()
        if line.startswith("  ") and not line.startswith("    ")
    ]
    assert members == [f"{seed_paths['000']}  (representative)", str(seed_paths["001"])]
    assert "Found 1 cluster of near-duplicates among 4 files." in r.err


def test_dupes_json(capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]) -> None:
    r = run(capsys, "dupes", *map(str, seed_paths.values()), "--format", "json")
    assert r.code == 1
    doc = r.json()
    assert doc["version"] == JSON_SCHEMA_VERSION
    assert doc["command"] == "dupes"
    assert doc["summary"] == {"files": 4, "compared": 4, "clusters": 1, "index_matches": 0}
    (cluster,) = doc["clusters"]
    assert cluster["keys"] == [str(seed_paths["000"]), str(seed_paths["001"])]
    (pair,) = cluster["pairs"]
    assert pair["verdict"] == "rewrite"
    assert 0 < pair["score"] < 1


def test_dupes_no_duplicates_exit_zero(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    r = run(capsys, "dupes", str(seed_paths["000"]), str(seed_paths["002"]))
    assert r.code == 0
    assert r.out == ""
    r = run(capsys, "dupes", str(seed_paths["000"]), str(seed_paths["001"]), "--exit-zero")
    assert r.code == 0
    assert "cluster 1" in r.out


def test_dupes_against_an_index(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    index = tmp_path / "corpus.tfindex"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_paths["000"], corpus / "original.txt")
    shutil.copy(seed_paths["002"], corpus / "other.txt")
    # no index yet: a usage error that says how to create it
    r = run(capsys, "dupes", str(corpus), "--index", str(index))
    assert r.code == 2
    assert "--update-index" in r.err
    r = run(capsys, "dupes", str(corpus), "--index", str(index), "--update-index")
    assert r.code == 0, r.err
    assert index.exists()
    # a new file rewritten from an indexed one is reported against the index
    r = run(capsys, "dupes", str(seed_paths["001"]), "--index", str(index))
    assert r.code == 1
    assert f"{seed_paths['001']}: rewrite of indexed {corpus.as_posix()}/original.txt" in r.out
    # files already in the index do not match themselves
    r = run(capsys, "dupes", str(corpus / "original.txt"), "--index", str(index))
    assert r.code == 0, r.out
    # a corrupt index is a clear error, not a traceback
    index.write_bytes(b"not an index")
    r = run(capsys, "dupes", str(corpus), "--index", str(index))
    assert r.code == 2
    assert "cannot load the duplicate index" in r.err


def test_compare_rewrite_side_by_side(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    r = run(capsys, "compare", str(seed_paths["000"]), str(seed_paths["001"]), "--color", "never")
    assert r.code == 1
    assert "verdict: rewrite" in r.out
    assert "Aligned passages" in r.out
    # shared sentences sit side by side on one row, separated by a bar
    assert any("Et-Tanf" in line and "│" in line for line in r.out.splitlines())
    assert any("Al-Ikhbaria" in line.split("│")[0] for line in r.out.splitlines() if "│" in line)


def test_compare_unrelated_and_json(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    r = run(capsys, "compare", str(seed_paths["000"]), str(seed_paths["002"]))
    assert r.code == 0
    assert "verdict: unrelated" in r.out
    r = run(capsys, "compare", str(seed_paths["000"]), str(seed_paths["001"]), "--format", "json")
    doc = r.json()
    assert doc["version"] == JSON_SCHEMA_VERSION
    assert doc["comparison"]["verdict"] == "rewrite"
    assert doc["comparison"]["evidence"]


def test_compare_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    r = run(capsys, "compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert r.code == 2
    assert "a.txt: no such file or directory" in r.err
    assert "Traceback" not in r.err
