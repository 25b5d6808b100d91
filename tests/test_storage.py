"""The package's one atomic write (textforensics.storage): naming, check, owner, signals."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textforensics.app.files import discover
from textforensics.storage import AtomicWriter, atomic_write, is_temp_name, temp_prefix

SRC = str(Path(__file__).resolve().parents[1] / "src")


def test_temp_files_have_the_one_recognisable_name(tmp_path: Path) -> None:
    target = tmp_path / "doc.txt"
    with AtomicWriter(target) as out:
        assert out.tmp is not None
        name = os.path.basename(out.tmp)
        assert is_temp_name(name)
        assert name.startswith(temp_prefix(target))
        out.write(b"text")
        # a scan running meanwhile never picks up the write in progress
        assert list(discover([str(tmp_path)])) == []
        out.commit()
    assert list(discover([str(tmp_path)])) == [str(target)]
    assert not is_temp_name("doc.txt")


def test_check_runs_just_before_the_rename_and_can_refuse(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")
    seen: list[bytes] = []

    def refuse() -> None:
        seen.append(target.read_bytes())
        raise RuntimeError("changed meanwhile")

    with AtomicWriter(target) as out:
        out.write(b"new")
        with pytest.raises(RuntimeError):
            out.commit(check=refuse)
    assert seen == [b"old"]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_mode_and_owner_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")
    target.chmod(0o604)
    before = target.stat()
    atomic_write(target, b"new", keep_owner=True)
    after = target.stat()
    assert stat.S_IMODE(after.st_mode) == 0o604
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    atomic_write(target, b"newer", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@settings(max_examples=40, deadline=None)
@given(chunks=st.lists(st.binary(max_size=300), max_size=6))
def test_atomic_write_round_trips_any_bytes(tmp_path_factory: pytest.TempPathFactory,
                                            chunks: list[bytes]) -> None:  # fmt: skip
    directory = tmp_path_factory.mktemp("w")
    target = directory / "f.bin"
    atomic_write(target, chunks)
    assert target.read_bytes() == b"".join(chunks)
    assert [p.name for p in directory.iterdir()] == ["f.bin"]


_WRITER = textwrap.dedent(
    """
    import sys, time
    from textforensics.storage import AtomicWriter
    with AtomicWriter(sys.argv[1]) as out:
        out.write(b"partial")
        print(out.tmp, flush=True)
        time.sleep(60)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX only")
def test_sigterm_while_writing_removes_the_temp_and_still_ends_the_process(
    tmp_path: Path,
) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(target)], env=env,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None
    tmp = proc.stdout.readline().strip()
    assert os.path.exists(tmp)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == -signal.SIGTERM
    proc.stdout.close()
    assert not os.path.exists(tmp)
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]
    assert target.read_bytes() == b"old"
