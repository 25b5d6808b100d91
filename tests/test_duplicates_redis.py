"""DuplicateIndex shared through a real redis-server: bytes and JSON (never pickles), one
atomic script per add and remove, parameters recorded per basename."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import textforensics as tf


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A real redis-server on a free loopback port, stopped after the module."""
    server = shutil.which("redis-server")
    if server is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must have it (scripts/test.sh installs it)")
        pytest.skip(message)
    pytest.importorskip("redis", reason="the redis client is not installed: pip install redis")
    port = _free_port()
    workdir: Path = tmp_path_factory.mktemp("redis")
    proc = _start_redis(port, workdir)
    try:
        yield port
    finally:
        _stop(proc)


def _start_redis(port: int, workdir: Path, *extra: str) -> subprocess.Popen[bytes]:
    import redis

    server = shutil.which("redis-server")
    assert server is not None
    proc = subprocess.Popen(
        [
            server,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(workdir),
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            return proc
        except (redis.exceptions.ConnectionError, redis.exceptions.BusyLoadingError):
            if time.monotonic() > deadline or proc.poll() is not None:
                _stop(proc)
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _config(port: int) -> dict[str, object]:
    return {"type": "redis", "redis": {"host": "127.0.0.1", "port": port}}


def test_redis_index_shared_between_instances(
    redis_port: int, seeds: dict[str, str], tmp_path: Path
) -> None:
    writer = tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-test-a")
    for k in ("000", "002", "003"):
        writer.add(k, seeds[k])
    # A second instance (as another process would) sees the same index.
    reader = tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-test-a")
    assert reader.keys() == ["000", "002", "003"]
    assert [(m.key, m.verdict) for m in reader.query(seeds["001"])] == [("000", "rewrite")]
    reader.add("001", seeds["001"])
    assert [m.key for m in writer.query(seeds["001"])] == ["001", "000"]
    writer.remove("000")
    assert "000" not in reader
    assert [m.key for m in reader.query(seeds["000"])] == ["001"]

    # LSH candidates come from the Redis buckets too.
    lsh_only = tf.DuplicateIndex(
        storage_config=_config(redis_port), basename=b"tf-test-a", exact_below=0
    )
    copy = seeds["001"].replace("Palmyra", "Tadmur", 1)
    assert [(m.key, m.verdict) for m in lsh_only.query(copy)] == [("001", "near_copy")]

    # save from Redis, load into memory and into another Redis namespace.
    path = tmp_path / "index.tfdi"
    reader.save(path)
    memory = tf.DuplicateIndex.load(path)
    other = tf.DuplicateIndex.load(path, storage_config=_config(redis_port), basename=b"tf-b")
    assert memory.keys() == other.keys() == ["001", "002", "003"]
    for k in ("000", "001", "002"):
        assert memory.query(seeds[k]) == other.query(seeds[k]) == reader.query(seeds[k])


def _client(port: int) -> Any:
    import redis

    return redis.Redis(host="127.0.0.1", port=port)


def _assert_consistent(port: int, basename: bytes) -> set[bytes]:
    """Every listed key has its entry and sits in exactly its buckets; nothing else."""
    client = _client(port)
    keys = set(client.smembers(basename + b":keys"))
    docs = {k[len(basename) + 3 :] for k in client.scan_iter(match=basename + b":d:*")}
    assert docs == keys
    expected: dict[bytes, set[bytes]] = {}
    for k in keys:
        blob = client.hget(basename + b":d:" + k, "b")
        assert blob
        assert len(blob) % 10 == 0
        for i in range(0, len(blob), 10):
            expected.setdefault(blob[i : i + 10], set()).add(k)
    buckets = {
        name[len(basename) + 3 :]: set(client.smembers(name))
        for name in client.scan_iter(match=basename + b":b:*", count=1000)
    }
    assert buckets == expected
    return keys


def test_a_basename_records_its_parameters_and_refuses_others(
    redis_port: int, seeds: dict[str, str]
) -> None:
    index = tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-params")
    index.add("000", seeds["000"])
    for other in ({"num_perm": 64}, {"pairings": 2}, {"seed": 2}, {"strip_boilerplate": False}):
        with pytest.raises(tf.IndexFormatError, match=r"tf-params.*built with"):
            tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-params", **other)
    # recreated under a writer's feet with other parameters: its next add is refused
    client = _client(redis_port)
    meta = json.loads(client.get(b"tf-params:meta"))
    meta["params"]["seed"] = 5
    client.set(b"tf-params:meta", json.dumps(meta))
    with pytest.raises(tf.IndexFormatError, match="parameters changed"):
        index.add("001", seeds["001"])


def test_a_foreign_basename_is_refused(redis_port: int) -> None:
    client = _client(redis_port)
    # e.g. datasketch's pickle-based layout of an older textforensics
    client.rpush(b"tf-foreign:near_copy_bucket_x", pickle.dumps("000"))
    with pytest.raises(tf.IndexFormatError, match=r"tf-foreign.*not a textforensics index"):
        tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-foreign")
    client.set(b"tf-foreign2:meta", b"some other program's value")
    with pytest.raises(tf.IndexFormatError, match=r"tf-foreign2.*metadata"):
        tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-foreign2")


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def test_a_malicious_pickle_planted_in_redis_is_never_unpickled(
    redis_port: int, seeds: dict[str, str], tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Exploit(marker))
    client = _client(redis_port)
    client.set(b"tf-evil-meta:meta", payload)
    with pytest.raises(tf.IndexFormatError, match="tf-evil-meta"):
        tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-evil-meta")

    config = _config(redis_port)
    index = tf.DuplicateIndex(storage_config=config, basename=b"tf-evil", exact_below=0)
    index.add("000", seeds["000"])
    blob = client.hget(b"tf-evil:d:" + b'"000"', "b")
    client.sadd(b"tf-evil:b:" + blob[:10], payload)  # a planted bucket member
    with pytest.raises(tf.IndexFormatError, match=r"tf-evil.*not JSON"):
        index.query(seeds["000"])
    client.srem(b"tf-evil:b:" + blob[:10], payload)
    client.sadd(b"tf-evil:keys", payload)  # a planted key
    with pytest.raises(tf.IndexFormatError, match="tf-evil"):
        index.keys()
    client.srem(b"tf-evil:keys", payload)
    client.hset(b"tf-evil:d:" + b'"000"', "n", payload)  # a planted entry
    with pytest.raises(tf.IndexFormatError, match="malformed"):
        index.query(seeds["000"])
    assert not marker.exists()


def test_keys_must_be_json_scalars_in_redis(redis_port: int) -> None:
    index = tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-keys")
    for bad in [("a", 1), b"raw", 1.5, None]:
        with pytest.raises(TypeError, match="keys must be str or int"):
            index.add(bad, "some text here")
        assert bad not in index
    index.add("1", "one text about rivers")
    index.add(1, "another text about bridges")
    assert index.keys() == [1, "1"]


_ADDER = textwrap.dedent(
    """
    import sys
    import textforensics as tf
    port, basename, tag = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
    rounds = int(sys.argv[4])
    index = tf.DuplicateIndex(
        storage_config={"type": "redis", "redis": {"host": "127.0.0.1", "port": port}},
        basename=basename,
    )
    print("ready", flush=True)
    for r in range(rounds):
        for i in range(10):
            words = " ".join(f"w{tag}{r}x{i}y{j}" for j in range(40))
            index.add(f"k{i}", f"Text {i} of round {r} by {tag}: {words}")
    """
)


def _adder(port: int, basename: str, tag: str, rounds: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", _ADDER, str(port), basename, tag, str(rounds)],
        stdout=subprocess.PIPE,
        env=env,
    )


def test_a_key_added_by_two_processes_is_stored_once(redis_port: int) -> None:
    procs = [_adder(redis_port, "tf-twice", tag, 5) for tag in ("p", "q")]
    for proc in procs:
        assert proc.wait(timeout=300) == 0
        assert proc.stdout is not None
        proc.stdout.close()
    keys = _assert_consistent(redis_port, b"tf-twice")
    assert keys == {f'"k{i}"'.encode() for i in range(10)}
    index = tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-twice")
    assert len(index) == 10


def test_an_add_killed_midway_leaves_no_partial_entry(redis_port: int) -> None:
    rng = random.Random(15)
    for _ in range(3):
        proc = _adder(redis_port, "tf-killed", "k", 1000)
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.05, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        _assert_consistent(redis_port, b"tf-killed")


def test_redis_killed_during_adds_leaves_a_consistent_index(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    aof = ("--appendonly", "yes", "--appendfsync", "always")
    server = _start_redis(port, tmp_path, *aof)
    try:
        proc = _adder(port, "tf-crash", "c", 1000)
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(0.5)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        assert proc.wait(timeout=60) != 0  # the writer saw the server die
        proc.stdout.close()
    finally:
        _stop(server)
    server = _start_redis(port, tmp_path, *aof)
    try:
        keys = _assert_consistent(port, b"tf-crash")
        index = tf.DuplicateIndex(storage_config=_config(port), basename=b"tf-crash")
        assert len(index) == len(keys)
        index.add("after", "the index keeps working after the crash")
        _assert_consistent(port, b"tf-crash")
    finally:
        _stop(server)


def test_redis_index_keeps_a_minhash_entry(redis_port: int, seeds: dict[str, str]) -> None:
    """An entry added as a MinHash (its signature stored in position order) is read back
    from Redis and answers as the in-memory index does."""
    from textforensics import duplicates as dup

    sig = dup.signatures_from_texts(dup.main_texts([seeds["000"]]), dup.REWRITE_TIER.n)[0]
    shared = tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-minhash")
    local = tf.DuplicateIndex()
    for index in (shared, local):
        index.add("000", dup.to_minhash(sig))
        index.add("002", seeds["002"])
    reader = tf.DuplicateIndex(storage_config=_config(redis_port), basename=b"tf-minhash")
    assert reader.query(seeds["001"]) == local.query(seeds["001"])
    assert [m.key for m in reader.query(dup.to_minhash(sig))] == ["000"]
