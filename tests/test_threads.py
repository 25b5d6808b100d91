"""Every public function gives, from many threads at once, the answer it gives alone."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import textforensics as tf

THREADS = 8


def _generated_texts(n: int, seed: int) -> list[str]:
    """Texts of varied length and script mix, with look-alikes, hidden characters and
    shared passages, so every detector has work of every size."""
    rng = random.Random(seed)
    words = [
        "the",
        "of",
        "and",
        "market",
        "report",
        "minister",
        "said",
        "city",
        "council",
        "rain",
        "forecast",
        "data",
        "model",
        "Straße",
        "café",
        "naïve",
        "Москва",
        "город",
        "данные",
        "Αθήνα",
        "δεδομένα",
        "東京",
        "データ",
    ]
    shared = " ".join(rng.choice(words) for _ in range(120)) + "."
    out = []
    for i in range(n):
        parts = []
        for _ in range(rng.randint(2, 12)):
            line = " ".join(rng.choice(words) for _ in range(rng.randint(3, 40)))
            parts.append(line + rng.choice([".", "!", "?", ""]))
        if i % 3 == 0:
            parts.insert(rng.randint(0, len(parts)), shared)
        if i % 4 == 0:
            parts.append("pаypal\u200b login \u202eevil\u202c and Share this article")
        out.append("\n\n".join(parts))
    return out


def _check_threads(fn: Callable[[int], Any], n_calls: int) -> None:
    expected = [fn(i) for i in range(n_calls)]
    barrier = threading.Barrier(THREADS)

    def worker(t: int) -> list[tuple[int, Any]]:
        barrier.wait()
        order = list(range(n_calls))
        random.Random(t).shuffle(order)
        return [(i, fn(i)) for i in order]

    for _ in range(2):
        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(worker, range(THREADS)))
        for got in results:
            for i, value in got:
                assert value == expected[i], f"call {i} differs under threads"


@pytest.fixture(scope="module")
def texts(seeds: dict[str, str]) -> list[str]:
    return [*seeds.values(), *_generated_texts(16, seed=7)]


def test_compare_threads(texts: list[str]) -> None:
    pairs = [(a, b) for a in texts[:6] for b in texts[:6]]
    _check_threads(lambda i: tf.compare(*pairs[i]), len(pairs))


def test_find_duplicates_threads(texts: list[str]) -> None:
    corpora = [texts[i:] + texts[: i // 2] for i in range(6)]
    _check_threads(lambda i: tf.find_duplicates(corpora[i], processes=1), len(corpora))


def test_find_homoglyphs_threads(texts: list[str]) -> None:
    _check_threads(lambda i: tf.find_homoglyphs(texts[i]), len(texts))


def test_fix_homoglyphs_threads(texts: list[str]) -> None:
    _check_threads(lambda i: tf.fix_homoglyphs(texts[i]), len(texts))


def test_strip_boilerplate_threads(texts: list[str]) -> None:
    def strip(i: int) -> tuple[str, tuple[Any, ...]]:
        r = tf.strip_boilerplate(texts[i])
        return r.text, r.blocks

    _check_threads(strip, len(texts))


def test_index_concurrent_readers(texts: list[str]) -> None:
    index = tf.DuplicateIndex()
    for i, t in enumerate(texts[:10]):
        index.add(i, t)
    _check_threads(lambda i: index.query(texts[i]), len(texts))


def test_find_homoglyphs_many_threads(texts: list[str]) -> None:
    names = [w for text in texts for w in text.split()[:40]]
    batches = [names[i::6] for i in range(6)]
    _check_threads(lambda i: tf.find_homoglyphs_many(batches[i]), len(batches))


_FIELDS = ("message", "chars", "suggestion")


def _read(finding: tf.HomoglyphFinding, order: int) -> tuple[Any, ...]:
    """The finding's lazily built fields, first read in one of several orders."""
    if order == 3:
        data = finding.to_dict()
        return data["message"], tuple(data["chars"]), data["suggestion"]
    first = _FIELDS[order]
    getattr(finding, first)
    return tuple(
        getattr(finding, name) if name != "chars" else tuple(c.to_dict() for c in finding.chars)
        for name in _FIELDS
    )


def test_lazy_finding_fields_same_from_every_thread() -> None:
    """A finding's message, characters and suggestion are built when first read; threads
    reading a fresh finding at once (each first reading another field) all see the values
    of the finding read alone."""
    words = ["p\u0430ypal", "g\u043e\u043egle", "\u0430pple\u05d2", "micr\u03bfsoft", "\u0455ky"]
    alone = [tf.find_homoglyphs(w)[0] for w in words]
    expected = [_read(f, 3) for f in alone]
    for _ in range(30):
        fresh = [tf.find_homoglyphs_many(words)[i][0] for i in range(len(words))]
        barrier = threading.Barrier(THREADS)

        def worker(
            t: int,
            fresh: list[tf.HomoglyphFinding] = fresh,
            barrier: threading.Barrier = barrier,
        ) -> list[tuple[Any, ...]]:
            barrier.wait()
            return [_read(f, (t + i) % 4) for i, f in enumerate(fresh)]

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(worker, range(THREADS)))
        for got in results:
            assert got == expected
        assert fresh == alone
