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
