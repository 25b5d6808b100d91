"""`strip` and `scan --boilerplate` on the command line (in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest

import textforensics as tf
from cli_helpers import run


def test_strip_explain_seed_003(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    path = seed_paths["003"]
    r = run(capsys, "strip", str(path), "--explain", "--color", "never")
    assert r.code == 0
    heads = [line for line in r.out.splitlines() if line.startswith(f"{path}:")]
    kinds = {line.split(": ", 2)[1] for line in heads}
    assert {"comments", "disclaimer", "call_to_action"} <= kinds
    assert "The statements, views and opinions expressed in this column" in r.out
    assert "Remember to Please Subscribe" in r.out
    assert "What do you think?" in r.out
    assert "Removed " in r.err
    # runs of removed blocks of one kind are grouped: the comment section is one entry
    comments = [line for line in heads if ": comments: " in line]
    assert len(comments) == 1
    assert comments[0].startswith(f"{path}:48-75: comments: ")
    result = tf.strip_boilerplate(path.read_text(encoding="utf-8"))
    counted = sum(
        int(h.rsplit("[", 1)[1].split()[0]) if h.endswith("blocks]") else 1 for h in heads
    )
    assert counted == len(result.removed)
    assert "Dwayne Thunderrgrit" in run(capsys, "strip", str(path), "--explain", "-v").out


def test_strip_prints_the_main_text(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    path = seed_paths["003"]
    r = run(capsys, "strip", str(path))
    assert r.code == 0
    main_text = tf.strip_boilerplate(path.read_text(encoding="utf-8")).text
    assert r.out.rstrip("\n") == main_text.rstrip("\n")
    assert "The Duran Quick Take: Episode 338." in r.out
    assert "What do you think?" not in r.out
    doc = run(capsys, "strip", str(path), "--format", "json").json()
    assert doc["command"] == "strip"
    assert doc["result"]["text"] == main_text


def test_scan_boilerplate_reports_blocks(
    capsys: pytest.CaptureFixture[str], seed_paths: dict[str, Path]
) -> None:
    r = run(capsys, "scan", str(seed_paths["003"]), "--boilerplate", "-q")
    assert r.code == 1
    lines = r.out.splitlines()
    assert lines
    assert all(" TF201 boilerplate " in line for line in lines)
    assert any("disclaimer" in line for line in lines)
    r = run(capsys, "scan", str(seed_paths["003"]), "-q")
    assert r.code == 0  # without --boilerplate, 003 is clean
