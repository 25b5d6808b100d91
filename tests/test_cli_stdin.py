"""Standard input (``-``) in every command that documents it: ``strip -`` alone or among
other inputs, ``--jsonl -`` (records on standard input) for strip, scan and dupes, and
``dupes -`` refused with a clear message."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from cli_helpers import run
from conftest import SEEDS_DIR

SEED3 = SEEDS_DIR / "003_6e31b260f6370446.txt"
PAGE = SEED3.read_text(encoding="utf-8")


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    data = io.BytesIO(text.encode("utf-8"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(data, encoding="utf-8"))


def test_strip_stdin_alone_prints_the_main_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, PAGE)
    r = run(capsys, "strip", "-")
    assert r.code == 0, r.err
    assert r.out.strip()
    assert len(r.out) < len(PAGE)  # seed 003's boilerplate is gone


def test_strip_stdin_among_files_goes_to_stdin_txt(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copy(SEED3, tmp_path / "page.txt")
    _stdin(monkeypatch, PAGE)
    out_dir = tmp_path / "clean"
    r = run(capsys, "strip", "-q", "-", str(tmp_path / "page.txt"), "--output-dir", str(out_dir))
    assert r.code == 0, r.err
    assert sorted(p.name for p in out_dir.iterdir()) == ["page.txt", "stdin.txt"]
    assert (out_dir / "stdin.txt").read_text(encoding="utf-8") == (out_dir / "page.txt").read_text(
        encoding="utf-8"
    )
    # as JSON lines: standard input is the record with id "-"
    _stdin(monkeypatch, PAGE)
    r = run(capsys, "strip", "-q", "-", str(tmp_path / "page.txt"), "--format", "jsonl")
    ids = [json.loads(line)["id"] for line in r.out.splitlines()]
    assert ids == ["-", str(tmp_path / "page.txt")]


def test_jsonl_records_on_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [{"id": "a", "text": PAGE}, {"id": "b", "text": "Sign in to p\u0430ypal."}]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    _stdin(monkeypatch, lines)
    r = run(capsys, "strip", "-q", "--jsonl", "-")  # JSON lines in: JSON lines out
    assert r.code == 0, r.err
    assert [json.loads(line)["id"] for line in r.out.splitlines()] == ["a", "b"]
    _stdin(monkeypatch, lines)
    r = run(capsys, "scan", "-q", "--jsonl", "-")
    assert r.code == 1
    assert r.out.startswith("b:1:")
    _stdin(monkeypatch, lines + json.dumps({"id": "c", "text": PAGE}) + "\n")
    r = run(capsys, "dupes", "-q", "--jsonl", "-", "--format", "json")
    assert r.code == 1
    assert [c["keys"] for c in r.json()["clusters"]] == [["a", "c"]]


def test_dupes_refuses_plain_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, PAGE)
    r = run(capsys, "dupes", "-")
    assert r.code == 2
    assert "dupes works on files, not standard input" in r.err
