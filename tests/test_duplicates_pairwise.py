"""Stage 5 as array code (``duplicates/pairwise.py``) against the plain per-pair functions
kept beside it: ``shared_counts`` against ``count_shared``, ``judge_batch`` against
``judge`` (verdict, score to the last bit, containing side, and which pairs ask for the
content-pair signal)."""

from __future__ import annotations

import itertools
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from textforensics.duplicates import bags, corpus
from textforensics.duplicates.pairwise import (
    BITMAP_BITS,
    SIDES,
    VERDICT_CODES,
    TopBitMaps,
    containments_reaching,
    judge_batch,
    shared_counts,
    shared_upper_bounds,
    top_bit_maps,
)
from textforensics.duplicates.shingles import NEAR_COPY_TIER, REWRITE_TIER, count_shared, mix64
from textforensics.duplicates.verify import DEFAULT_THRESHOLDS, Thresholds, judge, tier_similarity

# Small value ranges so that sets overlap often; uint64 values near the top too.
_SET = st.lists(st.integers(0, 40), max_size=30).map(lambda v: np.unique(np.array(v, np.uint32)))
_SET64 = st.lists(
    st.sampled_from([0, 1, 2, 3, 2**63, 2**64 - 1, 2**64 - 2, 12345678901234567]), max_size=8
).map(lambda v: np.unique(np.array(v, np.uint64)))


@st.composite
def _sets_and_pairs(draw: st.DrawFn, sets: st.SearchStrategy[np.ndarray]) -> tuple:
    docs = draw(st.lists(sets, min_size=1, max_size=12))
    n = len(docs)
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40))
    return docs, np.array(pairs, dtype=np.int64).reshape(-1, 2)


@given(_sets_and_pairs(_SET))
def test_shared_counts_equal_count_shared(case: tuple) -> None:
    docs, pairs = case
    got = shared_counts(docs, pairs)
    want = [count_shared(docs[i], docs[j]) for i, j in pairs.tolist()]
    assert got.tolist() == want


@given(_sets_and_pairs(_SET64))
def test_shared_counts_uint64_and_mapping(case: tuple) -> None:
    docs, pairs = case
    as_map = {k * 7 + 3: v for k, v in enumerate(docs)}  # sparse keys, as find_duplicates has
    mapped = pairs * 7 + 3
    got = shared_counts(as_map, mapped)
    want = [count_shared(docs[i], docs[j]) for i, j in pairs.tolist()]
    assert got.tolist() == want


def test_shared_counts_edge_cases() -> None:
    empty = np.zeros(0, np.uint32)
    assert shared_counts([empty], np.zeros((0, 2), np.int64)).tolist() == []
    assert shared_counts([empty, empty], np.array([[0, 1]])).tolist() == [0]
    a = np.array([1, 5, 9], np.uint32)
    assert shared_counts([a, empty, a], np.array([[0, 1], [1, 0], [0, 2], [0, 0]])).tolist() == [
        0,
        0,
        3,
        3,
    ]


# uint64 values whose top bits often agree while the values differ (a few top-bit groups,
# a few low parts), and some spread over the whole range.
_TOP = 64 - BITMAP_BITS
_SET_TOPS = st.lists(
    st.one_of(
        st.tuples(st.integers(0, 5), st.integers(0, 6)).map(lambda t: (t[0] << _TOP) | t[1]),
        st.tuples(st.integers(0, 2**BITMAP_BITS - 1), st.integers(0, 3)).map(
            lambda t: (t[0] << _TOP) | t[1]
        ),
        st.integers(0, 2**64 - 1),
    ),
    max_size=40,
).map(lambda v: np.unique(np.array(v, np.uint64)))


@given(st.lists(_SET_TOPS, max_size=6))
def test_top_bit_maps_as_a_plain_loop(arrays: list[np.ndarray]) -> None:
    maps, repeats = top_bit_maps(arrays)
    assert maps.shape == (len(arrays), 2**BITMAP_BITS // 64)
    for k, values in enumerate(arrays):
        tops = {int(v) >> _TOP for v in values.tolist()}
        bits = np.unpackbits(maps[k].view(np.uint8), bitorder="little")
        assert set(np.flatnonzero(bits).tolist()) == tops
        assert repeats[k] == len(values) - len(tops)


@given(_sets_and_pairs(_SET_TOPS))
def test_shared_upper_bounds_never_below_the_counts(case: tuple) -> None:
    docs, pairs = case
    as_map = {k * 5 + 1: v for k, v in enumerate(docs)}
    bound = shared_upper_bounds(as_map, pairs * 5 + 1)
    exact = shared_counts(docs, pairs)
    assert (bound >= exact).all()
    # Sets that share no top bits and repeat none are bounded exactly (by 0).
    for (i, j), b in zip(pairs.tolist(), bound.tolist(), strict=True):
        ti = [int(v) >> _TOP for v in docs[i].tolist()]
        tj = [int(v) >> _TOP for v in docs[j].tolist()]
        if not set(ti) & set(tj) and (len(set(ti)) == len(ti) or len(set(tj)) == len(tj)):
            assert b == 0


@given(st.lists(_sets_and_pairs(_SET_TOPS), min_size=1, max_size=4))
def test_top_bit_maps_cache_across_calls(cases: list[tuple]) -> None:
    # One cache over calls that each bring some new arrays (as blocks of candidate pairs
    # do): the bounds are those of a call without it.
    docs = [d for c in cases for d in c[0]]
    cache = TopBitMaps()
    offset = 0
    for sets, pairs in cases:
        shifted = pairs + offset
        offset += len(sets)
        got = shared_upper_bounds(docs, shifted, cache)
        assert got.tolist() == shared_upper_bounds(docs, shifted).tolist()
        assert (got >= shared_counts(docs, shifted)).all()


@given(
    _sets_and_pairs(_SET_TOPS),
    st.sampled_from([0.0, 0.05, 0.25, 0.5, 1.0, 1.5, -1.0, float("nan")]),
)
def test_containments_reaching_decide_as_the_exact_ones(case: tuple, threshold: float) -> None:
    docs, pairs = case
    got = containments_reaching(docs, pairs, threshold)
    exact = [
        count_shared(docs[i], docs[j]) / min(len(docs[i]), len(docs[j]))
        if min(len(docs[i]), len(docs[j]))
        else 0.0
        for i, j in pairs.tolist()
    ]
    assert [g >= threshold for g in got.tolist()] == [e >= threshold for e in exact]
    for g, e in zip(got.tolist(), exact, strict=True):
        assert g == e or (g == 0.0 and not e >= threshold)


_THRESHOLDS = st.builds(
    Thresholds,
    near_jaccard=st.sampled_from([0.0, 0.3, 0.5, 1.0, 2.0]),
    near_containment=st.sampled_from([0.0, 0.5, 0.8, 1.0]),
    rewrite_jaccard=st.sampled_from([0.0, 0.035, 0.2, 2.0]),
    rewrite_containment=st.sampled_from([0.0, 0.105, 0.5, 2.0]),
    rewrite_beyond_copy=st.sampled_from([0.0, 0.05, 0.3]),
    rewrite_bag=st.sampled_from([0.0, 0.25, 0.6]),
)


@st.composite
def _tier_pair(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    return draw(_SET), draw(_SET)


@given(
    st.lists(st.tuples(_tier_pair(), _tier_pair(), st.booleans(), st.floats(0, 1)), max_size=30),
    _THRESHOLDS,
    st.booleans(),
)
def test_judge_batch_equals_judge(rows: list, thresholds: Thresholds, with_bag: bool) -> None:
    want = []
    asked_want = []
    for k, ((na, nb), (ra, rb), ident, bag_value) in enumerate(rows):
        near = tier_similarity(NEAR_COPY_TIER, na, nb)
        rw = tier_similarity(REWRITE_TIER, ra, rb)

        def bag(k: int = k, v: float = bag_value) -> float:
            asked_want.append(k)
            return v

        want.append(judge(near, rw, ident, thresholds, bag if with_bag else None))

    def counts(t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        sh = [count_shared(r[t][0], r[t][1]) for r in rows]
        sa = [len(r[t][0]) for r in rows]
        sb = [len(r[t][1]) for r in rows]
        return tuple(np.array(x, dtype=np.int64) for x in (sh, sa, sb))  # type: ignore[return-value]

    asked_got: list[int] = []
    values = np.array([r[3] for r in rows], dtype=np.float64)

    def bag_batch(mask: np.ndarray) -> np.ndarray:
        assert mask.any()
        asked_got.extend(np.flatnonzero(mask).tolist())
        return values[mask]

    verdict, score, side = judge_batch(
        counts(0),
        counts(1),
        np.array([r[2] for r in rows], dtype=bool),
        thresholds,
        bag_batch if with_bag else None,
    )
    got = [
        (VERDICT_CODES[v], s, SIDES[d])
        for v, s, d in zip(verdict.tolist(), score.tolist(), side.tolist(), strict=True)
    ]
    assert got == want
    assert asked_got == asked_want


def test_judge_batch_defaults_on_seeds_like_counts() -> None:
    # A near copy, an excerpt, a rewrite, a shared passage, nothing shared, no words.
    near = (
        np.array([90, 40, 5, 30, 0, 0]),
        np.array([100, 45, 100, 100, 100, 0]),
        np.array([100, 400, 100, 300, 100, 0]),
    )
    rw = (
        np.array([95, 45, 30, 32, 0, 0]),
        np.array([100, 47, 100, 100, 100, 0]),
        np.array([100, 400, 100, 300, 100, 0]),
    )
    verdict, score, side = judge_batch(near, rw, np.zeros(6, bool), DEFAULT_THRESHOLDS)
    assert [VERDICT_CODES[v] for v in verdict] == [
        "near_copy",
        "excerpt",
        "rewrite",
        "excerpt",
        "unrelated",
        "unrelated",
    ]
    assert [SIDES[s] for s in side] == [None, "b", None, None, None, None]
    assert score[-1] == 0.0


@given(st.lists(st.lists(st.integers(0, 9), max_size=40), max_size=12), st.integers(1, 40))
def test_pair_keys_batch_equals_pair_keys(ids: list[list[int]], group: int) -> None:
    # Few distinct stems (repeats, equal neighbours), empty texts, and groups of every
    # size, so texts fall on both sides of a group's end.
    stems = [mix64(np.asarray(x, dtype=np.uint64) + np.uint64(1)) for x in ids]
    with mock.patch.object(bags, "_BATCH_STEMS", group):
        got = bags.pair_keys_batch(stems)
    assert [g.tolist() for g in got] == [bags.pair_keys(s).tolist() for s in stems]


_LINES = st.lists(
    st.lists(
        st.sampled_from(
            ["river", "Palmyra", "attacked", "the", "naïve", "Vеrshinin", "ﬁle", "x", "said"]
        ),
        min_size=1,
        max_size=12,
    ).map(" ".join),
    min_size=1,
    max_size=5,
).map("\n".join)


@settings(max_examples=25)
@given(st.lists(_LINES, min_size=2, max_size=10), st.booleans())
def test_kept_tokens_give_the_same_report(texts: list[str], strip: bool) -> None:
    # The shingle stage from the first pass's token hashes (one process, small input)
    # against the stage that normalizes and hashes the main texts again; LSH forced.
    docs = {f"k{i}": t for i, t in enumerate(texts + [t.upper() for t in texts[:2]])}
    kept = tf.find_duplicates(docs, strip_boilerplate=strip, all_pairs_below=0, processes=1)
    with mock.patch.object(corpus, "_KEEP_TOKENS_CHARS", -1):
        again = tf.find_duplicates(docs, strip_boilerplate=strip, all_pairs_below=0, processes=1)
    assert kept == again
    assert kept.excerpts == again.excerpts


def test_verification_on_the_seeds_is_the_plain_one(seeds: dict[str, str]) -> None:
    # Every pair of the seeds through find_duplicates' array verification against
    # compare's per-pair verdicts (which use judge and tier_similarity).
    report = tf.find_duplicates(seeds, all_pairs_below=0, sample_rate=1, processes=1)
    found = {frozenset((p.a, p.b)): p for c in report.clusters for p in c.pairs}
    for key_a, key_b in itertools.combinations(sorted(seeds), 2):
        c = tf.compare(seeds[key_a], seeds[key_b], evidence=False)
        pair = found.get(frozenset((key_a, key_b)))
        if c.verdict in ("identical", "near_copy", "rewrite"):
            assert pair is not None
            assert (pair.verdict, pair.score) == (c.verdict, c.score)
        else:
            assert pair is None


_WORDY = st.lists(
    st.sampled_from(
        [
            "river",
            "rivers",
            "Palmyra",
            "attacked",
            "naïve",
            "Vеrshinin",
            "ﬁle",
            "“quoted”",
            "—",
            "ИГИЛ",
            "said",
            "the",
            "x",
            "Straße",
            "ÉCOLE",
            "helicopters",
            "\u200b",
            "tanks",
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=30)
@given(st.lists(st.tuples(_WORDY, _WORDY), max_size=5), st.booleans())
def test_compare_many_from_one_batch_pass_equals_compare(
    pairs: list[tuple[str, str]], strip: bool
) -> None:
    # compare_many normalizes and hashes all its texts in one pass (and the content pairs
    # from the main text); compare goes through shingle_form text by text.
    pairs = pairs + [(b, a) for a, b in pairs[:1]]
    many = tf.compare_many(pairs, strip_boilerplate=strip, evidence=False)
    assert many == [tf.compare(a, b, strip_boilerplate=strip, evidence=False) for a, b in pairs]


@settings(max_examples=30)
@given(st.lists(_WORDY, min_size=1, max_size=4), st.booleans())
def test_compare_many_identical_wording_as_compare(texts: list[str], strip: bool) -> None:
    # compare_many digests a text only when the other text of a pair has as many tokens:
    # pairs of the same wording in other strings, of the same string, of equally long
    # different wordings and of different lengths all keep compare's verdict.
    pairs = []
    for t in texts:
        pairs.append((t, t.upper() + " ."))
        pairs.append((t, t))
        pairs.append((t, " ".join(reversed(t.split()))))
        pairs.append((t, t + " tanks"))
    pairs.append((texts[0], texts[-1]))
    many = tf.compare_many(pairs, strip_boilerplate=strip, evidence=False)
    assert many == [tf.compare(a, b, strip_boilerplate=strip, evidence=False) for a, b in pairs]


@given(st.lists(st.lists(st.integers(0, 2**64 - 1), min_size=4, max_size=4), max_size=6))
def test_row_popcounts_without_bitwise_count_agree(rows: list[list[int]]) -> None:
    # numpy before 2.0 has no bitwise_count: the byte-table path must count the same bits.
    from textforensics.duplicates.pairwise import _row_popcounts, _row_popcounts_by_bytes

    words = np.array(rows, dtype=np.uint64).reshape(-1, 4)
    expected = [sum(bin(v).count("1") for v in row) for row in rows]
    assert _row_popcounts(words).tolist() == expected
    assert _row_popcounts_by_bytes(words).tolist() == expected


@settings(max_examples=30)
@given(st.lists(_LINES, min_size=1, max_size=6))
def test_shingles_from_the_first_pass_equal_a_second_pass(texts: list[str]) -> None:
    # What the first stage keeps (token hashes, stems, the rewrite tier's n-gram hashes)
    # gives the shingle stage's arrays exactly as normalizing and hashing again does.
    *_, kept = corpus._prepare_chunk((texts, False, 128, 1, 0, True))
    from_kept = corpus._shingle_kept(kept)
    again = corpus._shingle_chunk(texts)
    for got, want in zip(from_kept, again, strict=True):
        assert [g.tolist() for g in got] == [w.tolist() for w in want]
