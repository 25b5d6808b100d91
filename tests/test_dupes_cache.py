"""The signature cache of ``dupes --git``: a warm run reads no unchanged tracked file and
reports exactly what a cold run does; modified files are read fresh; a damaged cache is
rebuilt, never trusted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import textforensics.app.dupes_git as dupes_git
from cli_helpers import run
from conftest import SEEDS_DIR
from textforensics.app.files import read_text

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


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
    for i, seed in enumerate(SEEDS):
        shutil.copy(seed, root / "docs" / f"page{i}.md")
    (root / "docs" / "empty.md").write_text("\n", encoding="utf-8")
    (root / "docs" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (root / "docs" / "known.md").write_text(
        SEEDS[0].read_text(encoding="utf-8") + "\n<!-- textforensics: ignore-duplicate -->\n",
        encoding="utf-8",
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "docs")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the dupes --git machinery reads."""
    seen: list[str] = []

    def counting(path: str, **kw: Any) -> Any:
        seen.append(Path(path).as_posix())
        return read_text(path, **kw)

    monkeypatch.setattr(dupes_git, "read_text", counting)
    return seen


def _hook(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Any, str]:
    r = run(capsys, "dupes", "--git", "copy.md", "--format", "json", *extra)
    return r.code, r.json(), r.err


def test_warm_run_reads_no_unchanged_file_and_matches_the_cold_run(
    capsys: pytest.CaptureFixture[str], repo: Path, reads: list[str]
) -> None:
    shutil.copy(repo / "docs" / "page2.md", repo / "copy.md")
    cold = _hook(capsys)
    assert cold[0] == 1, cold[2]
    (cluster,) = cold[1]["clusters"]
    assert cluster["keys"] == ["copy.md", "docs/page2.md"]
    assert cluster["representative"] == "docs/page2.md"
    assert len(reads) == len(SEEDS) + 4  # every tracked file once, and the named one
    assert any((repo / ".git" / "textforensics").glob("dupes-*.tfidx"))

    reads.clear()
    warm = _hook(capsys)
    assert reads == ["copy.md"]  # the staged file only
    assert warm == cold  # exit code, JSON (clusters, unique, skipped binary file) and stderr
    assert "logo.png" in str(warm[1]["skipped"])

    # without the cache: the same result again, every file read
    reads.clear()
    assert _hook(capsys, "--no-cache") == cold
    assert len(reads) == len(SEEDS) + 4


def test_modified_and_new_tracked_files_are_read_fresh(
    capsys: pytest.CaptureFixture[str], repo: Path, reads: list[str]
) -> None:
    _git(repo, "rm", "-q", "docs/page3.md")
    _git(repo, "commit", "-q", "-m", "drop page3")
    shutil.copy(SEEDS[3], repo / "copy.md")
    assert _hook(capsys)[0] == 0  # cold: unrelated to every tracked file
    # page1.md now holds page3's text in the working tree (not staged): read fresh and
    # compared with its new content, so the copy is found
    shutil.copy(SEEDS[3], repo / "docs" / "page1.md")
    reads.clear()
    code, doc, _ = _hook(capsys)
    assert sorted(reads) == ["copy.md", "docs/page1.md"]
    assert code == 1
    assert doc["clusters"][0]["keys"] == ["copy.md", "docs/page1.md"]
    # committed: its new blob is read once, then cached
    _git(repo, "add", "docs/page1.md")
    _git(repo, "commit", "-q", "-m", "edit")
    reads.clear()
    assert _hook(capsys)[0] == 1
    assert sorted(reads) == ["copy.md", "docs/page1.md"]
    reads.clear()
    assert _hook(capsys)[0] == 1
    assert reads == ["copy.md"]


def test_damaged_cache_is_rebuilt(
    capsys: pytest.CaptureFixture[str], repo: Path, reads: list[str]
) -> None:
    shutil.copy(repo / "docs" / "page2.md", repo / "copy.md")
    cold = _hook(capsys)
    (cache,) = (repo / ".git" / "textforensics").glob("dupes-*.tfidx")
    cache.write_bytes(b"\x80\x04\x95 not an index")
    reads.clear()
    assert _hook(capsys) == cold
    assert len(reads) == len(SEEDS) + 4  # nothing trusted: everything read again
    reads.clear()
    assert _hook(capsys) == cold
    assert reads == ["copy.md"]
