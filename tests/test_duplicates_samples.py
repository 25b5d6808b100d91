"""Issue 14/16 duplicates, session 6: the sampled-shingle candidate source (excerpts and
heavy paraphrases that LSH on Jaccard misses), and hashing in bounded pieces (the same
values as one pass, for any piece size)."""

from __future__ import annotations

import random
import string
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics import duplicates as dup
from textforensics.duplicates import lsh, minhash, samples, shingles

# --- the candidate source against a plain reference ---------------------------------------

_DOCS = st.lists(st.sets(st.integers(0, 40), max_size=25), min_size=0, max_size=12)


def _reference(
    docs: list[set[int]], min_shared: int, min_share: float, max_posting: int
) -> set[tuple[int, int]]:
    holders: dict[int, set[int]] = {}
    for i, d in enumerate(docs):
        for h in d:
            holders.setdefault(h, set()).add(i)
    usable = {h for h, who in holders.items() if len(who) <= max_posting}
    out = set()
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            shared = len(docs[i] & docs[j] & usable)
            smaller = min(len(docs[i]), len(docs[j]))
            if shared >= min_shared and shared >= min_share * smaller:
                out.add((i, j))
    return out


@given(_DOCS, st.integers(1, 3), st.sampled_from([0.0, 0.05, 0.5]), st.integers(2, 6))
def test_sampled_candidates_equal_the_reference(
    docs: list[set[int]], min_shared: int, min_share: float, max_posting: int
) -> None:
    text = np.array([i for i, d in enumerate(docs) for _ in d], dtype=np.int64)
    hashes = np.array([h for d in docs for h in sorted(d)], dtype=np.uint32)
    got = samples.sampled_candidate_pairs(
        text,
        hashes,
        len(docs),
        min_shared=min_shared,
        min_share=min_share,
        max_posting=max_posting,
    )
    assert got.shape[1] == 2
    assert {(int(a), int(b)) for a, b in got} == _reference(
        docs, min_shared, min_share, max_posting
    )
    assert [tuple(r) for r in got.tolist()] == sorted(tuple(r) for r in got.tolist())


@given(st.lists(st.integers(0, 5), max_size=8))
def test_run_pairs_are_every_pair_inside_each_run(sizes: list[int]) -> None:
    size = np.array(sizes, dtype=np.int64)
    starts = (np.cumsum(size) - size).astype(np.int64)
    keep = size > 0
    left, right = lsh.run_pairs(starts[keep], size[keep])
    want = [
        (s + p, s + q)
        for s, z in zip(starts.tolist(), sizes, strict=True)
        for p in range(z)
        for q in range(p + 1, z)
    ]
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == want


@given(st.lists(st.lists(st.integers(0, 2**32 - 1), max_size=30), max_size=6), st.integers(1, 9))
def test_sample_shingles_keeps_one_hash_in_rate(hash_lists: list[list[int]], rate: int) -> None:
    flat = np.array([h for hs in hash_lists for h in hs], dtype=np.uint32)
    sizes = np.array([len(hs) for hs in hash_lists], dtype=np.int64)
    text, hashes = samples.sample_shingles(flat, sizes, rate)
    want = sorted({(i, h) for i, hs in enumerate(hash_lists) for h in hs if h % rate == 0})
    assert list(zip(text.tolist(), hashes.tolist(), strict=True)) == want
    assert samples.sample_shingles(flat, sizes, 0)[0].size == 0


# --- hashing in pieces and blocks gives the one-pass values --------------------------------

_TEXTS = st.lists(
    st.text(alphabet=st.sampled_from("ab é_\n.,Z9\u0301"), max_size=40), min_size=1, max_size=5
)


@given(texts=_TEXTS, piece=st.integers(1, 12))
def test_hashing_in_pieces_equals_one_pass(
    texts: list[str], piece: int, monkeypatch_module: pytest.MonkeyPatch
) -> None:
    th, counts = shingles.text_hashes(texts, False)
    near, rw = shingles.multi_shingle_batch(texts, [5, 3])
    sig = minhash.signatures_from_texts(texts, 3, 32)
    big = minhash.signature_batch(rw, 32)
    with monkeypatch_module.context() as m:
        m.setattr(shingles, "_HASH_PIECE", piece)
        m.setattr(shingles, "_GRAM_BLOCK", max(1, piece // 3))
        m.setattr(minhash, "_SIG_BLOCK", piece)
        th2, counts2 = shingles.text_hashes(texts, False)
        near2, rw2 = shingles.multi_shingle_batch(texts, [5, 3])
        sig2 = minhash.signatures_from_texts(texts, 3, 32)
        big2 = minhash.signature_batch(rw, 32)
    assert np.array_equal(th, th2)
    assert np.array_equal(counts, counts2)
    assert all(np.array_equal(x, y) for x, y in zip(near + rw, near2 + rw2, strict=True))
    assert np.array_equal(sig, sig2)
    assert np.array_equal(big, big2)


@pytest.fixture(scope="module")
def monkeypatch_module() -> pytest.MonkeyPatch:
    return pytest.MonkeyPatch()


# --- excerpts and heavy paraphrases reach verification --------------------------------------


def _corpus() -> tuple[dict[str, str], list[tuple[str, str]]]:
    rng = random.Random(7)
    vocab = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
        for _ in range(4000)
    ]
    weights = [1 / (i + 1) for i in range(len(vocab))]

    def words(k: int) -> list[str]:
        return rng.choices(vocab, weights, k=k)

    def render(ws: list[str]) -> str:
        return ". ".join(" ".join(ws[c : c + 20]).capitalize() for c in range(0, len(ws), 20))

    docs = {f"d{i:04d}": render(words(600)) for i in range(500)}
    planted = []
    for i in range(25):
        long = words(1600)
        start = rng.randrange(0, 1500)
        docs[f"s{i:03d}"] = render(long)
        docs[f"x{i:03d}"] = render(long[start : start + 60])
        planted.append((f"s{i:03d}", f"x{i:03d}"))
    return docs, planted


def test_sampled_source_proposes_excerpts_that_lsh_misses() -> None:
    """Short excerpts of long texts (3-gram Jaccard about 0.04, containment 1): every one
    is found with the sampled source; LSH alone misses some; nothing else is reported."""
    docs, planted = _corpus()
    jaccards = []
    for a, b in planted:
        (rw_a, rw_b) = dup.shingle_batch([docs[a], docs[b]], 3)
        jaccards.append(dup.tier_similarity(dup.REWRITE_TIER, rw_a, rw_b).jaccard)
    assert max(jaccards) < 0.06

    def found(report: tf.DuplicateReport) -> set[tuple[str, str]]:
        edges = {(p.a, p.b) for p in report.excerpts}
        edges |= {(p.a, p.b) for c in report.clusters for p in c.pairs}
        assert edges <= set(planted)  # the background is random text
        return edges

    report = tf.find_duplicates(docs, all_pairs_below=0, processes=1)
    assert found(report) == set(planted)
    assert all(p.contained_in == "a" for p in report.excerpts)
    lsh_only = tf.find_duplicates(docs, all_pairs_below=0, sample_rate=0, processes=1)
    assert len(found(lsh_only)) < len(planted)
    assert report.candidate_pairs >= lsh_only.candidate_pairs


def test_sampled_source_keeps_the_seeds_contract(seeds: dict[str, str]) -> None:
    report = tf.find_duplicates(seeds, all_pairs_below=0)
    assert [c.keys for c in report.clusters] == [("000", "001")]
    assert report.clusters[0].pairs[0].verdict == "rewrite"


def test_compare_many_computes_content_pairs_once_per_text(
    seeds: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Texts in several pairs: the content-word pairs (the third signal) of each are made
    once per call, and the results equal compare pair by pair."""
    import itertools

    from textforensics.duplicates import comparison

    made: list[str] = []
    real = comparison.content_keys

    def counting(text: str, *, normalized: bool = False) -> Any:
        made.append(text)
        return real(text, normalized=normalized)

    monkeypatch.setattr(comparison, "content_keys", counting)
    pairs = list(itertools.permutations(seeds.values(), 2))
    many = tf.compare_many(pairs)
    assert made
    assert len(made) == len(set(made))
    assert many == [tf.compare(a, b) for a, b in pairs]


# --- session 12: short texts need one shared sample, not two --------------------------------


def test_a_short_text_sharing_one_sample_is_a_candidate() -> None:
    """A text of 10 samples sharing one with a text of 200 is proposed (1/10 of the smaller
    sample); two texts of 200 samples sharing one are not (1/200 < MIN_SHARE)."""
    short = list(range(1000, 1010))
    long_a = [5, *range(2000, 2199)]
    long_b = [1000, *range(3000, 3199)]
    long_c = [5, *range(4000, 4199)]
    docs = [sorted(short), sorted(long_a), sorted(long_b), sorted(long_c)]
    text = np.array([i for i, d in enumerate(docs) for _ in d], dtype=np.int64)
    hashes = np.array([h for d in docs for h in d], dtype=np.uint32)
    got = samples.sampled_candidate_pairs(text, hashes, len(docs))
    assert [tuple(r) for r in got.tolist()] == [(0, 2)]
    # The floor of two, as before session 12, missed the short text.
    old = samples.sampled_candidate_pairs(text, hashes, len(docs), min_shared=2)
    assert old.size == 0


@given(_DOCS, st.integers(2, 6))
def test_default_floor_only_matters_below_the_share(docs: list[set[int]], max_posting: int) -> None:
    """With the defaults a pair is proposed when it shares at least one usable sample and
    MIN_SHARE of the smaller sample; every pair the floor of two proposed still is."""
    text = np.array([i for i, d in enumerate(docs) for _ in d], dtype=np.int64)
    hashes = np.array([h for d in docs for h in sorted(d)], dtype=np.uint32)
    got = samples.sampled_candidate_pairs(text, hashes, len(docs), max_posting=max_posting)
    pairs = {(int(a), int(b)) for a, b in got}
    assert pairs == _reference(docs, 1, samples.MIN_SHARE, max_posting)
    two = samples.sampled_candidate_pairs(
        text, hashes, len(docs), min_shared=2, max_posting=max_posting
    )
    assert {(int(a), int(b)) for a, b in two} <= pairs
    big = [
        (i, j)
        for i in range(len(docs))
        for j in range(i + 1, len(docs))
        if min(len(docs[i]), len(docs[j])) * samples.MIN_SHARE >= 2
    ]
    assert {p for p in pairs if p in big} == {(int(a), int(b)) for a, b in two if (a, b) in big}


def _short_excerpts(words_per_excerpt: int) -> tuple[dict[str, str], list[tuple[str, str]]]:
    rng = random.Random(12)
    vocab = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
        for _ in range(4000)
    ]

    def render(ws: list[str]) -> str:
        return ". ".join(" ".join(ws[c : c + 20]).capitalize() for c in range(0, len(ws), 20))

    docs = {f"d{i:04d}": render(rng.choices(vocab, k=600)) for i in range(320)}
    planted = []
    for i in range(40):
        long = rng.choices(vocab, k=1600)
        start = rng.randrange(0, 1500)
        docs[f"s{i:03d}"] = render(long)
        docs[f"x{i:03d}"] = render(long[start : start + words_per_excerpt])
        planted.append((f"s{i:03d}", f"x{i:03d}"))
    return docs, planted


def test_short_excerpts_reach_verification() -> None:
    """Excerpts of 30 words (28 3-grams, about 3.5 samples) of 1,600-word texts: every
    one is found (a floor of two shared samples missed about one in eight)."""
    docs, planted = _short_excerpts(30)
    report = tf.find_duplicates(docs, all_pairs_below=0, processes=1)
    edges = {(p.a, p.b) for p in report.excerpts}
    edges |= {(p.a, p.b) for c in report.clusters for p in c.pairs}
    assert edges == set(planted)
    assert all(p.contained_in == "a" and p.verdict == "excerpt" for p in report.excerpts)
