"""The DuplicateIndex file format: data, never code; every damaged, foreign, old or
mismatched file refused with IndexFormatError naming it; saves atomic and locked."""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from textforensics.duplicates import index_format
from textforensics.duplicates.index_format import MAGIC, IndexData, decode, encode
from textforensics.storage import atomic_write, file_lock, lock_path, temp_prefix

SRC = str(Path(__file__).resolve().parents[1] / "src")

SMALL = {
    "a": "The river flooded the lower town on Tuesday night after heavy rain.",
    7: "Officers closed the bridge while engineers inspected the old stone piers.",
}


def _small() -> tf.DuplicateIndex:
    index = tf.DuplicateIndex()
    for k, text in SMALL.items():
        index.add(k, text)
    return index


def _state(index: tf.DuplicateIndex) -> list[tuple[Any, bytes, bytes, bytes]]:
    return [
        (k, e.digest, e.near.tobytes(), e.rewrite.tobytes())
        for k, e in index._store.get_many(index.keys())
    ]


def test_round_trip_keeps_keys_entries_parameters_and_results(
    seeds: dict[str, str], tmp_path: Path
) -> None:
    index = tf.DuplicateIndex(exact_below=0, pairings=4)
    for k in ("000", "002", "003"):
        index.add(k, seeds[k])
    index.add(12, seeds["002"])
    path = tmp_path / "i.tfdi"
    index.save(path)
    assert path.read_bytes().startswith(MAGIC)
    loaded = tf.DuplicateIndex.load(path)
    assert loaded.params() == index.params()
    assert loaded.keys() == index.keys() == [12, "000", "002", "003"]
    assert _state(loaded) == _state(index)
    for k in ("000", "001", "002"):
        assert loaded.query(seeds[k]) == index.query(seeds[k])
    assert [(m.key, m.verdict) for m in loaded.query(seeds["001"])] == [("000", "rewrite")]


def test_str_and_int_keys_stay_distinct_and_other_keys_are_refused(tmp_path: Path) -> None:
    index = tf.DuplicateIndex()
    index.add("1", SMALL["a"])
    index.add(1, SMALL[7])
    path = tmp_path / "i.tfdi"
    index.save(path)
    assert tf.DuplicateIndex.load(path).keys() == index.keys()
    before = path.read_bytes()
    for bad in [("t", 1), True, 1.5, b"x"]:
        index.add(bad, SMALL["a"])  # fine in memory
        with pytest.raises(TypeError, match="keys must be str or int"):
            index.save(path)
        index.remove(bad)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["i.tfdi"]


def test_a_malicious_pickle_is_refused_without_being_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[Any, tuple[str]]:
            return (os.mkdir, (str(marker),))

    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        path = tmp_path / f"old{protocol}.tfdi"
        path.write_bytes(
            pickle.dumps({"format": "textforensics.DuplicateIndex/1", "x": Exploit()}, protocol)
        )
        with pytest.raises(tf.IndexFormatError, match=str(path).replace("\\", "\\\\")) as info:
            tf.DuplicateIndex.load(path)
        if protocol >= 2:
            assert "pickle" in str(info.value)
            assert "rebuild" in str(info.value)
        assert not marker.exists()


def test_empty_truncated_foreign_and_directory_files_are_refused(tmp_path: Path) -> None:
    raw = _small().to_bytes()
    cases = {
        "empty": b"",
        "magic": MAGIC,
        "png": b"\x89PNG\r\n\x1a\n" + bytes(100),
        "json": b'{"format": "textforensics.DuplicateIndex", "version": 2}',
        "text": b"not an index",
    }
    for cut in {1, 8, 16, 64, len(raw) // 2, len(raw) - 33, len(raw) - 1}:
        cases[f"cut{cut}"] = raw[:cut]
    cases["appended"] = raw + b"\0"
    np.savez(tmp_path / "arrays.npz", a=np.arange(3))
    cases["npz"] = (tmp_path / "arrays.npz").read_bytes()
    for name, data in cases.items():
        path = tmp_path / f"{name}.tfdi"
        path.write_bytes(data)
        with pytest.raises(tf.IndexFormatError, match=f"{name}.tfdi: cannot load"):
            tf.DuplicateIndex.load(path)
    with pytest.raises(tf.IndexFormatError, match="directory"):
        tf.DuplicateIndex.load(tmp_path)


def test_every_single_bit_flip_is_refused() -> None:
    raw = _small().to_bytes()
    assert len(raw) < 4096  # small enough to try every bit
    refused = 0
    for i in range(len(raw) * 8):
        flipped = bytearray(raw)
        flipped[i // 8] ^= 1 << (i % 8)
        with pytest.raises(tf.IndexFormatError):
            decode(bytes(flipped), "flipped.tfdi")
        refused += 1
    assert refused == len(raw) * 8


def _data(index: tf.DuplicateIndex, **params: Any) -> IndexData:
    found = index._store.get_many(index.keys())
    return IndexData(
        params={**index.params(), **params},
        keys=[k for k, _ in found],
        digests=[e.digest for _, e in found],
        near=[e.near for _, e in found],
        rewrite=[e.rewrite for _, e in found],
    )


def test_wrong_version_and_wrong_parameters_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _small()
    monkeypatch.setattr(index_format, "FORMAT_VERSION", 3)
    newer = encode(_data(index))
    monkeypatch.undo()
    with pytest.raises(tf.IndexFormatError, match=r"version 3 is not supported.*rebuild"):
        decode(newer, "newer.tfdi")
    bad_params: list[dict[str, Any]] = [
        {"num_perm": "128"},
        {"num_perm": 0},
        {"seed": -1},
        {"pairings": True},
        {"thresholds": {"near_jaccard": 0.5}},
        {"normalization": "shingle_form/0 unicode 1.0"},
        {"bands": [["near_copy", 16, 8]]},
    ]
    for params in bad_params:
        path = tmp_path / "p.tfdi"
        path.write_bytes(encode(_data(index, **params)))
        with pytest.raises(tf.IndexFormatError, match=r"p\.tfdi: cannot load"):
            tf.DuplicateIndex.load(path)
    # unsorted shingles or digests not matching the keys are refused too
    data = _data(index)
    shuffled = IndexData(
        data.params, data.keys, data.digests, [d[::-1].copy() for d in data.near], data.rewrite
    )
    with pytest.raises(tf.IndexFormatError, match="sorted"):
        decode(encode(shuffled), "x")


@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_index_format_error(tail: bytes) -> None:
    for raw in (tail, MAGIC + tail):
        with pytest.raises(tf.IndexFormatError):
            decode(raw, "fuzz")


_words = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]),
    min_size=0,
    max_size=40,
)


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), _words, max_size=4))
def test_to_bytes_from_bytes_round_trip(docs: dict[Any, list[str]]) -> None:
    index = tf.DuplicateIndex(strip_boilerplate=False)
    for k, words in docs.items():
        index.add(k, " ".join(words))
    loaded = tf.DuplicateIndex.from_bytes(index.to_bytes())
    assert loaded.keys() == index.keys()
    assert _state(loaded) == _state(index)
    for words in docs.values():
        assert loaded.query(" ".join(words)) == index.query(" ".join(words))


# --- atomic and locked writes -------------------------------------------------------


def test_atomic_write_keeps_the_old_file_when_validation_or_writing_fails(
    tmp_path: Path,
) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)

    def refuse(tmp: str) -> None:
        assert Path(tmp).read_bytes() == b"new"
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        atomic_write(path, b"new", validate=refuse)

    def failing() -> Any:
        yield b"partial"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, failing())
    assert path.read_bytes() == b"old"
    atomic_write(path, [b"ne", b"w"])
    assert path.read_bytes() == b"new"
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_a_stale_temp_of_a_dead_writer_is_removed_by_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = tmp_path / f"{temp_prefix(path)}{dead.stdout.strip()}-abc"
    stale.write_bytes(b"half")
    mine = tmp_path / f"{temp_prefix(path)}{os.getpid()}-abc"
    mine.write_bytes(b"a writer of this process")
    atomic_write(path, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["f.bin", mine.name])


_SAVER = textwrap.dedent(
    """
    import sys
    import textforensics as tf
    a = tf.DuplicateIndex.load(sys.argv[2])
    b = tf.DuplicateIndex.load(sys.argv[3])
    print("ready", flush=True)
    while True:
        a.save(sys.argv[1])
        b.save(sys.argv[1])
    """
)


def test_killing_a_saving_process_leaves_the_old_or_the_new_file(
    tmp_path: Path, seeds: dict[str, str]
) -> None:
    versions = []
    for name, keys in (("a", ("000", "001")), ("b", ("002", "003"))):
        index = tf.DuplicateIndex()
        for k in keys:
            index.add(k, seeds[k] * 20)
        index.save(tmp_path / f"{name}.src")
        versions.append((tmp_path / f"{name}.src").read_bytes())
    work = tmp_path / "work"
    work.mkdir()
    target = work / "index.tfdi"
    target.write_bytes(versions[0])
    env = {**os.environ, "PYTHONPATH": SRC}
    rng = random.Random(15)
    for round_ in range(10):
        sig = signal.SIGKILL if round_ % 3 == 2 else signal.SIGTERM
        proc = subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(target), *(str(tmp_path / f"{n}.src") for n in "ab")],  # noqa: E501
            stdout=subprocess.PIPE, env=env,
        )  # fmt: skip
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(sig)
        proc.wait(timeout=30)
        proc.stdout.close()
        assert target.read_bytes() in versions
        tf.DuplicateIndex.load(target)
        leftovers = [p.name for p in work.iterdir() if p.name != "index.tfdi"]
        if sig == signal.SIGTERM:
            assert leftovers == [], leftovers
        else:
            # SIGKILL cannot be caught: the next save removes the dead writer's temp.
            tf.DuplicateIndex.load(target).save(target)
            assert [p.name for p in work.iterdir()] == ["index.tfdi"]


_UPDATER = textwrap.dedent(
    """
    import sys
    from textforensics.app.config import Config
    from textforensics.app.dupes import check_index
    index, tag = sys.argv[1], sys.argv[2]
    for r in range(10):
        text = f"process {tag} round {r} writes about " + " ".join(
            f"w{tag}{r}x{i}" for i in range(30)
        )
        check_index(index, {f"{tag}/{r}.txt": text}, Config(), update=True)
    """
)


def test_two_processes_updating_one_index_lose_nothing(tmp_path: Path) -> None:
    index = tmp_path / "shared.tfdi"
    env = {**os.environ, "PYTHONPATH": SRC}
    procs = [
        subprocess.Popen([sys.executable, "-c", _UPDATER, str(index), tag], env=env)
        for tag in ("p", "q")
    ]
    for proc in procs:
        assert proc.wait(timeout=300) == 0
    keys = tf.DuplicateIndex.load(index).keys()
    assert keys == sorted(f"{t}/{r}.txt" for t in "pq" for r in range(10))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["shared.tfdi", Path(lock_path(index)).name]
    )


def test_file_lock_excludes_threads_and_processes(tmp_path: Path) -> None:
    path = tmp_path / "counter"
    path.write_text("0")

    def bump() -> None:
        for _ in range(20):
            with file_lock(path):
                n = int(path.read_text())
                time.sleep(0.001)
                atomic_write(path, str(n + 1).encode())

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert path.read_text() == "80"


@settings(max_examples=30, deadline=None)
@given(
    old=st.one_of(st.none(), st.binary(max_size=200)),
    chunks=st.lists(st.binary(max_size=100), max_size=5),
    fail_at=st.one_of(st.none(), st.integers(min_value=0, max_value=5)),
)
def test_atomic_write_is_all_or_nothing(
    old: bytes | None, chunks: list[bytes], fail_at: int | None
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f"
        if old is not None:
            path.write_bytes(old)

        def produce() -> Any:
            for i, chunk in enumerate(chunks):
                if i == fail_at:
                    raise OSError("failed")
                yield chunk

        fails = fail_at is not None and fail_at < len(chunks)
        if fails:
            with pytest.raises(OSError, match="failed"):
                atomic_write(path, produce())
            assert (path.read_bytes() if path.exists() else None) == old
        else:
            atomic_write(path, produce())
            assert path.read_bytes() == b"".join(chunks)
        assert [p.name for p in Path(tmp).iterdir()] == (["f"] if path.exists() else [])
