"""The numpy kernels behind textforensics.ray, against naive references (no Ray needed)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from textforensics.duplicates.distributed import (
    DIGEST_BAND,
    KIND_CANDIDATE,
    KIND_IDENTICAL,
    KIND_REP,
    bucket_pairs,
    large_star,
    partition_of,
    small_star,
    star_roots,
    union_find,
    unique_edges,
)

edge_lists = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=0, max_size=80)


def naive_components(edges: list[tuple[int, int]]) -> dict[int, int]:
    """Node -> smallest node of its component, by repeated relaxation."""
    label = {n: n for e in edges for n in e}
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            m = min(label[a], label[b])
            if label[a] != m or label[b] != m:
                label[a] = label[b] = m
                changed = True
    return label


def star_components(edges: list[tuple[int, int]], partitions: int) -> tuple[dict[int, int], int]:
    """Large-star/small-star rounds run partition by partition, as the Ray stage does."""
    lo, hi = unique_edges([a for a, _ in edges], [b for _, b in edges])
    rounds = 0
    while True:
        rounds += 1
        changed = 0
        for large in (True, False):
            if large:
                u, v = np.concatenate([lo, hi]), np.concatenate([hi, lo])
            else:
                u, v = hi, lo
            part = partition_of(u, partitions)
            outs = []
            for p in range(partitions):
                m = part == p
                step = large_star if large else small_star
                outs.append(step(u[m], v[m]))
            lo = np.concatenate([o[0] for o in outs])
            hi = np.concatenate([o[1] for o in outs])
            changed += int(sum(int(o[2].sum()) for o in outs))
        if changed == 0:
            break
        assert rounds < 100
    nodes, roots = star_roots(lo, hi)
    return dict(zip(nodes.tolist(), roots.tolist(), strict=True)), rounds


@given(edge_lists)
def test_union_find_matches_naive(edges: list[tuple[int, int]]) -> None:
    nodes, roots = union_find([a for a, _ in edges], [b for _, b in edges])
    assert list(nodes) == sorted({n for e in edges for n in e})
    assert dict(zip(nodes.tolist(), roots.tolist(), strict=True)) == naive_components(edges)


@given(edge_lists, st.integers(1, 5))
def test_large_small_star_matches_naive(edges: list[tuple[int, int]], partitions: int) -> None:
    got, _ = star_components(edges, partitions)
    linked = {n for a, b in edges if a != b for n in (a, b)}
    want = {n: r for n, r in naive_components(edges).items() if n in linked}
    assert got == want


def test_star_converges_on_a_long_path() -> None:
    # A path 999 - 998 - ... - 0 (in shuffled order): the worst case for label propagation.
    rng = np.random.default_rng(0)
    perm = rng.permutation(1000)
    edges = [(int(perm[i]), int(perm[i + 1])) for i in range(999)]
    got, rounds = star_components(edges, 4)
    assert set(got.values()) == {0}
    assert len(got) == 1000
    assert rounds <= 30  # logarithmic in practice, not ~1000


def test_partition_of_is_bounded_and_deterministic() -> None:
    keys = np.arange(-5000, 5000, dtype=np.int64)
    p = partition_of(keys, 7)
    assert p.min() >= 0
    assert p.max() < 7
    assert np.array_equal(p, partition_of(keys.copy(), 7))
    counts = np.bincount(p, minlength=7)
    assert counts.min() > 0.8 * counts.mean()  # spread, not one group per key


@given(
    st.lists(st.integers(0, 4), min_size=0, max_size=40),
    st.dictionaries(st.tuples(st.integers(0, 2), st.integers(0, 4)), st.integers(0, 3)),
)
def test_bucket_pairs_matches_naive(wording: list[int], keymap: dict[tuple[int, int], int]) -> None:
    # Documents numbered by position; a wording's band keys are a function of the wording
    # (as signatures are), drawn at random so unrelated wordings collide in buckets.
    ids = list(range(len(wording)))
    bands = 3
    band = [b for _ in ids for b in range(bands)]
    key = [keymap.get((b, w), 100 + 10 * w + b) for w in wording for b in range(bands)]
    all_band = [DIGEST_BAND] * len(ids) + band
    all_key = wording + key
    all_ids = ids + [i for i in ids for _ in range(bands)]
    dh = wording + [w for w in wording for _ in range(bands)]
    dl = [0] * len(all_ids)
    a, b, kind = bucket_pairs(all_band, all_key, all_ids, dh, dl)
    got = {(int(x), int(y), int(k)) for x, y, k in zip(a, b, kind, strict=True)}
    rep: dict[int, int] = {}
    for i, w in enumerate(wording):
        rep.setdefault(w, i)
    want = {(rep[w], i, KIND_IDENTICAL) for i, w in enumerate(wording) if rep[w] != i}
    want |= {(r, -1, KIND_REP) for r in rep.values()}
    buckets: dict[tuple[int, int], set[int]] = {}
    for row, i in enumerate(all_ids[len(ids) :]):
        buckets.setdefault((band[row], key[row]), set()).add(rep[wording[i]])
    for members in buckets.values():
        for x, y in itertools.combinations(sorted(members), 2):
            want.add((x, y, KIND_CANDIDATE))
    assert got == want


def test_hot_bucket_of_identical_texts_makes_no_pairs() -> None:
    n = 20000  # every document shares every band key: one wording, no candidate pair
    ids = np.arange(n)
    band = np.concatenate([np.full(n, DIGEST_BAND), np.zeros(n)])
    key = np.concatenate([np.full(n, 7), np.full(n, 9)])
    zeros = np.zeros(2 * n, np.int64)
    a, _, kind = bucket_pairs(band, key, np.concatenate([ids, ids]), zeros, zeros)
    assert int((kind == KIND_CANDIDATE).sum()) == 0
    assert int((kind == KIND_IDENTICAL).sum()) == n - 1
    assert set(a[kind == KIND_IDENTICAL].tolist()) == {0}


def test_max_bucket_links_hot_buckets_to_their_smallest_id() -> None:
    n = 50
    ids = np.arange(n)
    a, b, kind = bucket_pairs(
        np.zeros(n), np.full(n, 3), ids, ids, np.zeros(n, np.int64), max_bucket=10
    )
    assert (kind == KIND_CANDIDATE).all()
    assert set(zip(a.tolist(), b.tolist(), strict=True)) == {(0, i) for i in range(1, n)}


def test_unique_edges_drops_loops_and_repeats() -> None:
    lo, hi = unique_edges([3, 1, 2, 2, 5], [1, 3, 2, 9, 4])
    assert list(zip(lo.tolist(), hi.tolist(), strict=True)) == [(1, 3), (2, 9), (4, 5)]


def test_capped_bucket_star_is_around_the_smallest_id() -> None:
    # Wordings with digests in the opposite order of their ids: the star's centre is
    # still the smallest id, as in the local stage.
    n = 30
    ids = np.arange(n)
    a, _, kind = bucket_pairs(
        np.zeros(n), np.full(n, 5), ids, n - ids, np.zeros(n, np.int64), max_bucket=10
    )
    assert set(a[kind == KIND_CANDIDATE].tolist()) == {0}
