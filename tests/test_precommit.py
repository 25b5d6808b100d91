"""The pre-commit hooks, run for real with ``pre-commit try-repo``.

A snapshot of this checkout (tracked and untracked, not ignored files, as they are now) is
committed into a temporary repository. Set-up, once per test session: the wheels the hook
environment needs (this project's, built from the snapshot without its dependencies, and
its dependencies') go to a wheelhouse every hook install then takes them from, offline. A
second temporary repository plays the user's project: it commits a file with a homoglyph,
one with a bidi control and a rewritten copy of another file; a third makes real commits
through the installed dupes hook. Every temporary folder is removed at the end.

The dependencies' wheels come from `.venv/hook-wheels`, built by the set-up of the README's test
command (`scripts/hook_wheels.py`), so the tests run with the network off. Where git or
pre-commit is missing (a user's checkout), or the wheels cannot be built (no
network for the dependencies), the tests skip with the reason; with the environment
variable ``CI`` set they fail instead.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS_DIR
from textforensics.cli import main

sys.path.insert(0, str(ROOT / "scripts"))
import hook_wheels

# The dependencies' wheels, built by the set-up of the README's test command.
PREBUILT = ROOT / ".venv" / "hook-wheels"

pytestmark = pytest.mark.slow


def _require(ok: bool, reason: str) -> None:
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, but CI must run the pre-commit hook tests")
    pytest.skip(reason)


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@dataclass
class Env:
    hooks_repo: Path
    rev: str
    environ: dict[str, str]


def _wheelhouse(snapshot: Path, wheelhouse: Path) -> None:
    """Set-up: this project's wheel built from the snapshot (no dependencies; without
    build isolation when the build backend is installed here) and the dependencies' wheels,
    so that every hook install is offline. Skips (fails on CI) when they cannot be built."""
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check",
           "--wheel-dir", str(wheelhouse)]  # fmt: skip
    isolation: list[str] = []
    if importlib.util.find_spec("hatchling") is not None:
        isolation = ["--no-build-isolation"]
    deps = [*pip, *hook_wheels.requirements()]
    if any(PREBUILT.glob("*.whl")):  # built by the set-up (scripts/test.sh): no network
        deps[4:4] = ["--no-index", "--find-links", str(PREBUILT)]
    steps = [[*pip, "--no-deps", *isolation, str(snapshot)], deps]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        _require(
            done.returncode == 0,
            f"cannot build the hook's wheels (network needed for the dependencies, or run "
            f"`python scripts/hook_wheels.py {PREBUILT}` first): "
            f"{done.stderr.strip().splitlines()[-1:]}",
        )


@pytest.fixture(scope="session")
def precommit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    _require(shutil.which("git") is not None, "git is not installed")
    probe = subprocess.run(
        [sys.executable, "-m", "pre_commit", "--version"], capture_output=True, check=False
    )
    _require(probe.returncode == 0, "pre-commit is not installed (pip install '.[test]')")
    _require((ROOT / ".pre-commit-hooks.yaml").is_file(), ".pre-commit-hooks.yaml is missing")

    # A committed snapshot of the working tree: one (repo, rev), so pre-commit builds the
    # hook environment once for all hooks.
    snapshot = tmp_path_factory.mktemp("hooks-repo")
    if (ROOT / ".git").exists():
        listed = _git(ROOT, "ls-files", "-co", "--exclude-standard", "-z").split("\0")
        files = [f for f in listed if f and (ROOT / f).is_file()]
    else:  # an unpacked sdist
        files = [
            str(p.relative_to(ROOT))
            for p in ROOT.rglob("*")
            if p.is_file() and not {".venv", "__pycache__", ".git"} & set(p.parts)
        ]
    for rel in files:
        dest = snapshot / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", "-A")
    _git(snapshot, "commit", "-q", "-m", "snapshot")
    rev = _git(snapshot, "rev-parse", "HEAD").strip()

    # try-repo installs the hook environment into a fresh temporary store every time
    # (PRE_COMMIT_HOME only serves `pre-commit run`): build the wheels once, and let every
    # install take them from this wheelhouse.
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    _wheelhouse(snapshot, wheelhouse)
    environ = dict(os.environ)
    environ["PIP_FIND_LINKS"] = str(wheelhouse)
    environ["PIP_NO_INDEX"] = "1"
    environ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # No byte-compiling of numpy/scipy at install time (most of an install's time); note
    # pip's inverted reading of this variable: "0" means --no-compile.
    environ["PIP_NO_COMPILE"] = "0"
    environ["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    environ["PRE_COMMIT_COLOR"] = "never"
    environ.pop("NO_COLOR", None)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        environ.pop(key, None)
    environ.update(
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    yield Env(snapshot, rev, environ)
    for folder in (snapshot, wheelhouse, Path(environ["PRE_COMMIT_HOME"])):
        shutil.rmtree(folder, ignore_errors=True)


HOMOGLYPH = "Pay the invoice with your p\u0430ypal account.\n"
BIDI = 'access_level = "user\u202e \u2066// check if admin\u2069 \u2066"\n'


def _user_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "notes.txt").write_text("Meeting notes.\n" + HOMOGLYPH, encoding="utf-8")
    (repo / "auth.txt").write_text(BIDI, encoding="utf-8")
    (repo / "clean.txt").write_text("Nothing to see here.\n", encoding="utf-8")
    shutil.copy(SEEDS_DIR / "000_e24c687f99629c40.txt", repo / "story.txt")
    shutil.copy(SEEDS_DIR / "001_2afef02959bb14f6.txt", repo / "story_rewritten.txt")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "user files")
    return repo


def _try_repo(env: Env, repo: Path, hook: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable, "-m", "pre_commit", "try-repo", str(env.hooks_repo), hook,
            "--ref", env.rev, "--all-files", "--verbose",
        ],
        cwd=repo, env=env.environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _run_with_index_config(env: Env, repo: Path, tmp: Path) -> subprocess.Popen[str]:
    """The dupes hook configured in a project's .pre-commit-config.yaml with ``args``
    naming an index of published documents; only the rewrite stays in the project."""
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS_DIR / "000_e24c687f99629c40.txt", corpus / "published.txt")
    subprocess.run(
        [sys.executable, "-m", "textforensics", "dupes", str(corpus),
         "--index", str(repo / "published.tfindex"), "--update-index"],
        check=True, capture_output=True,
    )  # fmt: skip
    (repo / "story.txt").unlink()
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"- repo: {env.hooks_repo}\n"
        f"  rev: {env.rev}\n"
        "  hooks:\n"
        "  - id: textforensics-dupes\n"
        "    args: [--index, published.tfindex]\n",
        encoding="utf-8",
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "config")
    return subprocess.Popen(
        [sys.executable, "-m", "pre_commit", "run", "textforensics-dupes", "--all-files"],
        cwd=repo, env=env.environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@dataclass
class HookRun:
    repo: Path
    code: int
    output: str
    clean_mtime: int


@pytest.fixture(scope="session")
def hook_runs(precommit: Env, tmp_path_factory: pytest.TempPathFactory) -> dict[str, HookRun]:
    """Every hook run at once (try-repo installs the hook environment afresh in a
    temporary store each time, so the runs go in parallel to keep the suite fast)."""
    started: dict[str, tuple[Path, int, subprocess.Popen[str]]] = {}
    for hook in ("textforensics", "textforensics-fix", "textforensics-dupes", "index"):
        tmp = tmp_path_factory.mktemp(hook)
        repo = _user_repo(tmp)
        mtime = (repo / "clean.txt").stat().st_mtime_ns
        proc = (
            _run_with_index_config(precommit, repo, tmp)
            if hook == "index"
            else _try_repo(precommit, repo, hook)
        )
        started[hook] = (repo, mtime, proc)
    runs = {}
    for hook, (repo, mtime, proc) in started.items():
        output, _ = proc.communicate(timeout=900)
        runs[hook] = HookRun(repo, proc.returncode, output, mtime)
    return runs


def test_scan_hook(hook_runs: dict[str, HookRun]) -> None:
    run = hook_runs["textforensics"]
    assert run.code == 1, run.output
    assert "Failed" in run.output
    assert "notes.txt:2:" in run.output
    assert "TF101 confusable" in run.output
    assert "auth.txt:1:" in run.output
    assert "TF105 bidi" in run.output
    assert "U+0430 CYRILLIC SMALL LETTER A" in run.output
    assert "clean.txt:" not in run.output


def test_fix_hook(hook_runs: dict[str, HookRun], capsys: pytest.CaptureFixture[str]) -> None:
    run = hook_runs["textforensics-fix"]
    assert run.code == 1, run.output
    assert "files were modified by this hook" in run.output
    notes = (run.repo / "notes.txt").read_text(encoding="utf-8")
    assert notes == "Meeting notes.\n" + HOMOGLYPH.replace("\u0430", "a")
    assert "\u202e" not in (run.repo / "auth.txt").read_text(encoding="utf-8")
    assert (run.repo / "clean.txt").stat().st_mtime_ns == run.clean_mtime
    # nothing is left to fix or to report
    files = [str(run.repo / name) for name in ("notes.txt", "auth.txt", "clean.txt")]
    assert main(["fix", *files]) == 0
    assert main(["scan", *files]) == 0
    capsys.readouterr()


def test_dupes_hook(hook_runs: dict[str, HookRun]) -> None:
    run = hook_runs["textforensics-dupes"]
    assert run.code == 1, run.output
    assert "cluster 1: 2 files, rewrite" in run.output
    assert "story.txt ~ story_rewritten.txt: rewrite" in run.output


def test_dupes_hook_with_an_index_in_args(hook_runs: dict[str, HookRun]) -> None:
    run = hook_runs["index"]
    assert run.code == 1, run.output
    assert "story_rewritten.txt: rewrite of indexed" in run.output
    assert "published.txt" in run.output


def _commit(env: Env, repo: Path, message: str) -> subprocess.CompletedProcess[str]:
    _git(repo, "add", "-A")
    return subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=repo, env=env.environ,
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="session")
def commits(precommit: Env, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Real commits through the installed dupes hook: a copied file (fails), the same copy
    accepted in the dupes baseline (passes), a copy with the ignore marker (passes)."""
    repo = tmp_path_factory.mktemp("commits") / "project"
    (repo / "docs").mkdir(parents=True)
    shutil.copy(SEEDS_DIR / "000_e24c687f99629c40.txt", repo / "docs" / "install.md")
    shutil.copy(SEEDS_DIR / "002_9f7163c5ebb98ed7.txt", repo / "docs" / "usage.md")
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"- repo: {precommit.hooks_repo}\n"
        f"  rev: {precommit.rev}\n"
        "  hooks:\n"
        "  - id: textforensics-dupes\n"
        "    args: [--baseline, dupes-baseline.json]\n",
        encoding="utf-8",
    )
    _git(repo, "init", "-q")
    tf = [sys.executable, "-m", "textforensics", "dupes"]
    subprocess.run([*tf, "docs", "--baseline", "dupes-baseline.json", "--write-baseline"],
                   cwd=repo, check=True, capture_output=True)  # fmt: skip
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "docs")
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo,
                   env=precommit.environ, check=True, capture_output=True)  # fmt: skip
    results: dict[str, str] = {}

    shutil.copy(repo / "docs" / "install.md", repo / "install2.md")
    done = _commit(precommit, repo, "a copy")
    results["copy"] = f"{done.returncode}\n{done.stdout}{done.stderr}"

    subprocess.run([*tf, "--git", "install2.md", "--baseline", "dupes-baseline.json",
                    "--write-baseline"], cwd=repo, check=True, capture_output=True)  # fmt: skip
    done = _commit(precommit, repo, "an accepted copy")
    results["accepted"] = f"{done.returncode}\n{done.stdout}{done.stderr}"

    text = (repo / "docs" / "usage.md").read_text(encoding="utf-8")
    (repo / "usage_copy.md").write_text(
        text + "\n<!-- textforensics: ignore-duplicate -->\n", encoding="utf-8"
    )
    done = _commit(precommit, repo, "a marked copy")
    results["marked"] = f"{done.returncode}\n{done.stdout}{done.stderr}"
    return results


def test_dupes_hook_fails_a_commit_of_a_copy(commits: dict[str, str]) -> None:
    code, _, output = commits["copy"].partition("\n")
    assert code == "1", output
    assert "install2.md" in output
    assert "docs/install.md" in output


def test_dupes_hook_passes_accepted_duplicates(commits: dict[str, str]) -> None:
    for case in ("accepted", "marked"):
        code, _, output = commits[case].partition("\n")
        assert code == "0", output


def test_readme_snippet_declares_the_published_hooks() -> None:
    # The README's `repo: local` configuration must run what .pre-commit-hooks.yaml (the
    # hooks the tests above run for real) declares: same ids, entries, language, file
    # types and serial dupes hook; pasted, only the checkout's path needs changing.
    yaml = pytest.importorskip("yaml")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    (snippet,) = [b for b in blocks if "repo: local" in b]
    local = yaml.safe_load(snippet)["repos"][0]["hooks"]
    published = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    fields = ("id", "entry", "language", "types", "require_serial")
    assert [{k: h.get(k) for k in fields} for h in local] == [
        {k: h.get(k) for k in fields} for h in published
    ]
    for hook in local:
        (dependency,) = hook["additional_dependencies"]
        assert dependency.startswith("/")  # a path: pip installs the checkout
