"""textforensics.ray against the local find_duplicates, on a real local Ray (no mocks).

Skipped where Ray is not installed, except in CI (CI installs the ``ray`` extra).
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

if not os.environ.get("CI"):
    pytest.importorskip("ray")
    pytest.importorskip("pyarrow")

import ray
import ray.data

from textforensics import compare
from textforensics import find_duplicates as local_find_duplicates
from textforensics.ray import OUTPUT_COLUMNS, find_duplicates, find_duplicates_with_stats

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def ray_local() -> Iterator[None]:
    """One small local Ray for the whole session (the tests start it, never the library)."""
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=300 * 1024 * 1024,
        log_to_driver=False,
        configure_logging=False,
    )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    # Tiny corpora: the task-based sort shuffle starts faster than hash-shuffle actors.
    ctx.shuffle_strategy = ray.data.context.ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    yield
    ray.shutdown()


def _dataset(docs: dict[int, str]) -> ray.data.Dataset:
    rows = [{"doc_id": k, "text": t, "extra": f"x{k}"} for k, t in docs.items()]
    return ray.data.from_items(rows, override_num_blocks=4)


def _local_clusters(docs: dict[int, str]) -> list[tuple[int, ...]]:
    report = local_find_duplicates(docs, sample_rate=0)
    return sorted(tuple(sorted(c.keys)) for c in report.clusters)


def _ray_clusters(rows: list[dict[str, Any]], id_column: str = "doc_id") -> list[tuple[int, ...]]:
    members: dict[int, list[int]] = {}
    for r in rows:
        members.setdefault(r["cluster"], []).append(r[id_column])
    return sorted(tuple(sorted(m)) for m in members.values() if len(m) > 1)


def _check_rows(rows: list[dict[str, Any]], docs: dict[int, str]) -> None:
    assert sorted(r["doc_id"] for r in rows) == sorted(docs)
    for r in rows:
        assert set(OUTPUT_COLUMNS) <= set(r)
        assert r["extra"] == f"x{r['doc_id']}"  # the input's columns are kept
        assert r["cluster"] <= r["doc_id"]
        assert r["is_duplicate"] == (r["cluster"] != r["doc_id"])
        if r["is_duplicate"]:
            assert r["cluster_size"] >= 2
            want = compare(docs[r["cluster"]], docs[r["doc_id"]], evidence=False)
            assert r["verdict"] == want.verdict
            assert r["score"] == pytest.approx(want.score)
        else:
            assert r["verdict"] is None
            assert r["score"] is None


def _words(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    return [rng.choice(vocab) for _ in range(n)]


def generated_corpus(n: int = 1500, seed: int = 7) -> dict[int, str]:
    """Random documents with planted exact copies, disguised copies, rewrites and chains."""
    rng = random.Random(seed)
    vocab = [f"{w}{i}" for i, w in enumerate(["alpha", "beta", "gamma", "delta"] * 1500)]
    docs: dict[int, str] = {}
    for i in range(n):
        docs[i * 3] = " ".join(_words(rng, vocab, rng.randint(60, 200)))
    nxt = 3 * n
    originals = list(docs)
    for k in originals[::7]:
        base = docs[k].split()
        docs[nxt] = docs[k].upper().replace(" ", "  ")  # same wording, other case/spacing
        docs[nxt + 1] = " ".join(w if rng.random() > 0.15 else rng.choice(vocab) for w in base)
        docs[nxt + 2] = " ".join(base[: len(base) // 2])  # partial reuse
        nxt += 5
    # A chain of successive rewrites: the first and last share little, the chain links them.
    text = _words(rng, vocab, 150)
    for _ in range(12):
        text = [w if rng.random() > 0.3 else rng.choice(vocab) for w in text]
        docs[nxt] = " ".join(text)
        nxt += 2
    return docs


def hot_bucket_corpus(seed: int = 3) -> dict[int, str]:
    """Empty and whitespace-only texts, one boilerplate page copied many times, many
    near-identical variants of it (one hot band bucket of distinct wordings), and noise."""
    rng = random.Random(seed)
    vocab = [f"tok{i}" for i in range(4000)]
    boiler = " ".join(_words(rng, vocab, 120))
    docs: dict[int, str] = {}
    k = 0
    for i in range(150):
        docs[k] = "" if i % 3 else " \n\t "
        k += 1
    for _ in range(300):
        docs[k] = boiler
        k += 1
    for i in range(250):
        docs[k] = boiler + f" variant{i}"
        k += 1
    for _ in range(400):
        docs[k] = " ".join(_words(rng, vocab, 100))
        k += 1
    return dict(sorted(docs.items(), key=lambda kv: (kv[0] * 7919) % 1201))


@pytest.fixture(scope="module")
def seed_docs(seeds: dict[str, str]) -> dict[int, str]:
    return {int(k): v for k, v in seeds.items()}


@pytest.mark.parametrize("cc_method", ["single", "distributed"])
def test_seeds_equal_local(ray_local: None, seed_docs: dict[int, str], cc_method: str) -> None:
    out, stats = find_duplicates_with_stats(
        _dataset(seed_docs),
        id_column="doc_id",
        cc_method=cc_method,  # type: ignore[arg-type]
    )
    rows = out.take_all()
    assert _ray_clusters(rows) == _local_clusters(seed_docs) == [(0, 1)]
    _check_rows(rows, seed_docs)
    assert stats.method == "all_pairs"  # 4 wordings: all pairs, as locally
    assert stats.cc_method == cc_method


@pytest.fixture(scope="module")
def generated() -> dict[int, str]:
    return generated_corpus()


@pytest.mark.parametrize("cc_method", ["single", "distributed"])
def test_generated_corpus_equal_local(
    ray_local: None, generated: dict[int, str], cc_method: str
) -> None:
    # The distributed run also changes the partition count and ships every text through
    # the verification joins (no broadcast semi-join): neither may change the result.
    extra: dict[str, Any] = (
        {"num_partitions": 3, "broadcast_max_ids": 0} if cc_method == "distributed" else {}
    )
    out, stats = find_duplicates_with_stats(
        _dataset(generated),
        id_column="doc_id",
        cc_method=cc_method,  # type: ignore[arg-type]
        **extra,
    )
    rows = out.take_all()
    report = local_find_duplicates(generated, sample_rate=0)
    want = sorted(tuple(sorted(c.keys)) for c in report.clusters)
    assert len(want) > 150
    assert _ray_clusters(rows) == want
    assert stats.candidate_pairs == report.candidate_pairs
    _check_rows(rows, generated)
    assert stats.method == "lsh"
    assert stats.documents == len(generated)
    if cc_method == "distributed":
        assert stats.cc_rounds >= 2  # the chain needs more than one round


@pytest.mark.parametrize("cc_method", ["single", "distributed"])
def test_hot_bucket_and_empty_texts_equal_local(ray_local: None, cc_method: str) -> None:
    docs = hot_bucket_corpus()
    out, stats = find_duplicates_with_stats(
        _dataset(docs),
        id_column="doc_id",
        cc_method=cc_method,  # type: ignore[arg-type]
    )
    rows = out.take_all()
    report = local_find_duplicates(docs, sample_rate=0)
    assert _ray_clusters(rows) == sorted(tuple(sorted(c.keys)) for c in report.clusters)
    _check_rows(rows, docs)
    # The 150 empty texts have no words (no wording, no band) and the 300 copies are one
    # wording, so they add no pairs.
    assert stats.wordings == len(docs) - 150 - 299
    assert stats.wordless == 150
    assert stats.documents == len(docs)
    assert stats.candidate_pairs == report.candidate_pairs


def test_row_position_ids_and_parquet(
    ray_local: None, seed_docs: dict[int, str], tmp_path: Path
) -> None:
    texts = [{"text": seed_docs[k]} for k in sorted(seed_docs)]
    ds = ray.data.from_items(texts, override_num_blocks=2)
    out = find_duplicates(ds)
    out.write_parquet(str(tmp_path / "out"))
    back = ray.data.read_parquet(str(tmp_path / "out")).take_all()
    got = {r["row_index"]: (r["cluster"], r["is_duplicate"], r["verdict"]) for r in back}
    assert got == {
        0: (0, False, None),
        1: (0, True, "rewrite"),
        2: (2, False, None),
        3: (3, False, None),
    }


def test_bad_cc_method(ray_local: None, seed_docs: dict[int, str]) -> None:
    with pytest.raises(ValueError, match="cc_method"):
        find_duplicates(_dataset(seed_docs), id_column="doc_id", cc_method="fast")


def test_capped_hot_bucket_equals_local(ray_local: None) -> None:
    # 250 near-identical variants share band keys: with max_bucket=50 both paths link a
    # bucket's members to its smallest id instead of pairing all of them.
    docs = hot_bucket_corpus()
    out, stats = find_duplicates_with_stats(_dataset(docs), id_column="doc_id", max_bucket=50)
    report = local_find_duplicates(docs, max_bucket=50, sample_rate=0)
    assert _ray_clusters(out.take_all()) == sorted(tuple(sorted(c.keys)) for c in report.clusters)
    assert stats.candidate_pairs == report.candidate_pairs < 250 * 249 // 2


def test_edge_inputs(ray_local: None) -> None:
    import pyarrow as pa

    one = find_duplicates(ray.data.from_items([{"id": 1, "text": "one document"}]), id_column="id")
    assert [(r["cluster"], r["is_duplicate"]) for r in one.take_all()] == [(1, False)]
    # Null and empty texts have no words: they relate to nothing (as locally); a lone
    # surrogate does not crash.
    rows = [{"id": 5, "text": None}, {"id": 2, "text": ""}, {"id": 9, "text": "\ud800 lone"}]
    got = {
        r["id"]: (r["cluster"], r["is_duplicate"], r["verdict"])
        for r in find_duplicates(ray.data.from_items(rows), id_column="id").take_all()
    }
    assert got == {5: (5, False, None), 2: (2, False, None), 9: (9, False, None)}
    empty = ray.data.from_arrow(
        pa.table({"id": pa.array([], pa.int64()), "text": pa.array([], pa.string())})
    )
    assert find_duplicates(empty, id_column="id").take_all() == []


def test_verify_partition_judges_as_compare(seed_docs: dict[int, str]) -> None:
    # The verification UDF runs the local judge: excerpts, word-less texts and the
    # content-pair signal (word order reversed in most runs of three words: few shared
    # 3-grams, the same content pairs; a rewrite only by that signal) get compare's
    # verdicts and scores.
    import pyarrow as pa

    from textforensics.duplicates.ray import verify_partition
    from textforensics.duplicates.ray_verify import decode_form, encode_forms
    from textforensics.duplicates.shingles import shingle_form
    from textforensics.duplicates.verify import DEFAULT_THRESHOLDS

    docs = dict(seed_docs)
    words = seed_docs[0].split()
    shuffled: list[str] = []
    for j, i in enumerate(range(0, len(words), 3)):
        shuffled.extend(words[i : i + 3] if j % 6 == 0 else reversed(words[i : i + 3]))
    docs[10] = " ".join(shuffled)
    docs[11] = seed_docs[0].split("\n\n")[0]
    docs[12] = " ,;! 🙂 "
    docs[13] = "..."
    keys = sorted(docs)
    pairs = [(a, b) for x, a in enumerate(keys) for b in keys[x + 1 :]]
    # The rows carry each document's compressed shingle form, cut from its main text once.
    form = dict(zip(keys, encode_forms([docs[k] for k in keys], strip=True), strict=True))
    assert decode_form(form[1]) == shingle_form(docs[1])  # no boilerplate on seed 001
    rows = [(a, b, side, form[b if side else a]) for a, b in pairs for side in (0, 1)]
    group = pa.table(
        {
            "lo": pa.array([r[0] for r in rows], pa.int64()),
            "hi": pa.array([r[1] for r in rows], pa.int64()),
            "side": pa.array([r[2] for r in rows], pa.int8()),
            "form": pa.array([r[3] for r in rows], pa.large_binary()),
            "part": pa.array([0] * len(rows), pa.int32()),
        }
    )
    got = verify_partition(group, thresholds=DEFAULT_THRESHOLDS, keep_unrelated=True)
    verdicts = {
        (a, b): (v, s)
        for a, b, v, s in zip(*(got.column(c).to_pylist() for c in got.column_names), strict=True)
    }
    assert set(verdicts) == set(pairs)
    for (a, b), (verdict, score) in verdicts.items():
        want = compare(docs[a], docs[b], evidence=False)
        assert (verdict, score) == (want.verdict, pytest.approx(want.score)), (a, b)
    assert verdicts[(12, 13)][0] == "unrelated"
    assert verdicts[(0, 10)][0] == "rewrite"
    assert verdicts[(0, 11)][0] == "excerpt"
    kept = verify_partition(group, thresholds=DEFAULT_THRESHOLDS, keep_unrelated=False)
    assert set(kept.column("verdict").to_pylist()) <= {"identical", "near_copy", "rewrite"}
