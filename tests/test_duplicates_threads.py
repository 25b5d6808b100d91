"""The duplicates detector under threads: stage functions, the shared caches, the worker
pool and the index's writers (tests/test_threads.py covers the public calls on the seeds)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics import duplicates as dup
from textforensics.duplicates.distributed import union_find
from textforensics.duplicates.lsh import connected_components

THREADS = 8
WORDS = ["market", "Straße", "город", "δεδομένα", "データ", "café", "rain", "the", "a", "of"]


def _texts(n: int, seed: int, max_words: int = 400) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) + rng.choice(["", "s", "é", "ы"]) for _ in range(k))
        for k in (rng.randint(0, max_words) for _ in range(n))
    ]


def _same_under_threads(fn: Callable[[int], Any], n_calls: int, equal: Callable[..., bool]) -> None:
    expected = [fn(i) for i in range(n_calls)]
    barrier = threading.Barrier(THREADS)

    def worker(t: int) -> list[tuple[int, Any]]:
        barrier.wait()
        order = list(range(n_calls))
        random.Random(t).shuffle(order)
        return [(i, fn(i)) for i in order]

    with ThreadPoolExecutor(THREADS) as pool:
        for got in pool.map(worker, range(THREADS)):
            for i, value in got:
                assert equal(value, expected[i]), f"call {i} differs under threads"


def _arrays_equal(a: list[np.ndarray[Any, Any]], b: list[np.ndarray[Any, Any]]) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_shingle_batch_threads() -> None:
    # Batches of very different sizes, so the per-thread scratch and the shared tables of
    # powers grow while other threads hash.
    batches = [_texts(1 + 3 * i, seed=i, max_words=60 * (i + 1)) for i in range(24)]
    _same_under_threads(lambda i: dup.shingle_batch(batches[i], 3), len(batches), _arrays_equal)


def test_signatures_from_texts_threads() -> None:
    batches = [_texts(20, seed=100 + i) for i in range(12)]
    _same_under_threads(
        lambda i: dup.signatures_from_texts(batches[i]), len(batches), np.array_equal
    )


def test_worker_pools_from_threads() -> None:
    # Two threads each running find_duplicates over worker processes at once: every pool
    # must work on its own call's chunks.
    rng = random.Random(5)
    base = _texts(700, seed=11, max_words=40)
    corpora = []
    for c in range(2):
        docs = {f"{c}-{i}": t for i, t in enumerate(base[c * 50 :])}
        for i in range(30):
            docs[f"{c}-copy-{i}"] = base[c * 50 + i] + " " + rng.choice(WORDS)
        corpora.append(docs)
    expected = [tf.find_duplicates(d, processes=1) for d in corpora]
    barrier = threading.Barrier(2)

    def run(i: int) -> Any:
        barrier.wait()
        return tf.find_duplicates(corpora[i], processes=2)

    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(run, range(2)))
    assert got == expected


def test_index_concurrent_writers_and_readers() -> None:
    """add, remove and query from many threads at once: the final index is the one the
    same operations build in one thread, and no reader fails or sees a torn entry."""
    texts = _texts(40, seed=3, max_words=120)
    index = tf.DuplicateIndex()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker(t: int) -> None:
        try:
            barrier.wait()
            for i in range(t, len(texts), THREADS):
                index.add(i, texts[i])
                index.query(texts[(i * 7) % len(texts)])
                if i % 5 == 0:
                    index.remove(i)
                len(index)
        except BaseException as e:  # reported below, with the thread's traceback
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    alone = tf.DuplicateIndex()
    for i, text in enumerate(texts):
        if i % 5:
            alone.add(i, text)
    assert index.keys() == alone.keys()
    for text in texts:
        assert index.query(text) == alone.query(text)


def test_find_duplicates_accepts_bare_texts(seeds: dict[str, str]) -> None:
    texts = list(seeds.values())
    assert tf.find_duplicates(texts, processes=1) == tf.find_duplicates(
        dict(enumerate(texts)), processes=1
    )


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=60))
def test_one_union_find(edges: list[tuple[int, int]]) -> None:
    """connected_components (dense labels) and union_find (sparse ids) are one algorithm:
    on the same edges they give the same roots, the smallest node of each component."""
    labels = connected_components(31, edges)
    a = np.array([e[0] for e in edges], dtype=np.int64)
    b = np.array([e[1] for e in edges], dtype=np.int64)
    nodes, roots = union_find(a, b)
    assert nodes.tolist() == sorted({n for e in edges for n in e})
    assert roots.tolist() == labels[nodes].tolist()
    in_edges = set(nodes.tolist())
    assert all(labels[v] == v for v in range(31) if v not in in_edges)
    assert all(labels[v] <= v for v in range(31))
