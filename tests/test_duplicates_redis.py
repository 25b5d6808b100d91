"""DuplicateIndex shared through a real redis-server (datasketch's Redis storage)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

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
    import redis

    port = _free_port()
    workdir: Path = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            server,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.05)
        yield port
    finally:
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
