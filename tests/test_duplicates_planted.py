"""Issue 14, session 12: every planted pair with the defaults. Excerpt edges reach the
identical twins of a representative, and the content-pair signal is not consulted on a
handful of shared 3-grams (see also tests/test_duplicates_samples.py for the sampled
source's floor of one shared sample)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics.duplicates import bags, verify
from textforensics.duplicates.corpus import with_twins
from textforensics.results import TierSimilarity

# --- the content-pair signal needs a handful of shared 3-grams ---------------------------


def _tier(name: str, size_a: int, size_b: int, shared: int) -> TierSimilarity:
    union = size_a + size_b - shared
    return TierSimilarity(
        tier=name,
        unit="word n-grams",
        shingles_a=size_a,
        shingles_b=size_b,
        shared=shared,
        jaccard=shared / union if union else 0.0,
        containment_a_in_b=shared / size_a if size_a else 0.0,
        containment_b_in_a=shared / size_b if size_b else 0.0,
    )


def test_bag_is_not_consulted_on_three_shared_3grams() -> None:
    """A 60-word text sharing 3 scattered 3-grams (containment 0.05, over BAG_FLOOR) with a
    long one: the content pairs are not asked for, whatever they would say."""
    asked: list[int] = []

    def bag() -> float:
        asked.append(1)
        return 1.0

    near = _tier("near_copy", 56, 600, 0)
    few = _tier("rewrite", 58, 600, 3)
    assert bags.consulted(few) is False
    assert verify.judge(near, few, False, bag=bag)[0] == "unrelated"
    assert not asked
    enough = _tier("rewrite", 160, 600, bags.BAG_MIN_SHARED)
    assert bags.consulted(enough) is True
    assert verify.judge(near, enough, False, bag=bag)[0] == "rewrite"
    assert asked == [1]


@given(
    st.integers(1, 400),
    st.integers(1, 400),
    st.integers(0, 400),
    st.floats(0.0, 1.0),
)
def test_bag_rewrite_needs_the_shared_floor(
    size_a: int, size_b: int, shared: int, bag: float
) -> None:
    """Whatever the content pairs say, a pair sharing fewer than BAG_MIN_SHARED 3-grams
    and no 5-gram is a rewrite only through the 3-gram test."""
    shared = min(shared, size_a, size_b)
    near = _tier("near_copy", size_a, size_b, 0)
    rw = _tier("rewrite", size_a, size_b, shared)
    with_bag = verify.judge(near, rw, False, bag=lambda: bag)
    without = verify.judge(near, rw, False)
    if shared < bags.BAG_MIN_SHARED:
        assert with_bag == without
    assert with_bag[1] == without[1]


# --- excerpt edges reach identical twins -------------------------------------------------


def _respaced(text: str, old: str, new: str) -> str:
    # Identical wording (spacing around punctuation only): the same digest, another
    # document.
    assert old in text
    return text.replace(old, new)


def test_excerpt_edges_reach_every_identical_twin(seeds: dict[str, str]) -> None:
    full = seeds["000"]
    n = len(full)
    part = full[n // 3 : 2 * n // 3]
    docs = {
        "a": _respaced(full, ", ", " , "),
        "b": full,
        "c": part,
        "d": _respaced(full, ". ", " .  "),
        "e": seeds["002"],
    }
    for strip in (True, False):
        report = tf.find_duplicates(docs, strip_boilerplate=strip)
        got = {(p.a, p.b): p for p in report.excerpts}
        assert set(got) == {("a", "c"), ("b", "c"), ("c", "d")}
        assert [c.keys for c in report.clusters] == [("a", "b", "d")]
        for (a, b), p in got.items():
            c = tf.compare(docs[a], docs[b], strip_boilerplate=strip, evidence=False)
            assert (p.verdict, p.score, p.contained_in) == (c.verdict, c.score, c.contained_in)
        assert got[("a", "c")].contained_in == "a"
        assert got[("c", "d")].contained_in == "b"


_EDGES = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 9), st.sampled_from(["a", "b", None])),
    max_size=8,
)


@given(_EDGES, st.lists(st.integers(0, 3), min_size=10, max_size=10))
def test_with_twins_repeats_each_edge_for_every_twin(
    raw: list[tuple[int, int, str | None]], twin_counts: list[int]
) -> None:
    """Representatives 0..9, each with ``twin_counts[r]`` twins numbered 10 + 4r + k
    (interleaved with no other representative's): every edge appears once for each pair
    of documents of its two groups, ordered, with the same containing document."""
    twins = {r: [10 + 4 * r + k for k in range(c)] for r, c in enumerate(twin_counts) if c}
    seen: set[tuple[int, int]] = set()
    edges = []
    for i, j, side in raw:
        if i != j and (min(i, j), max(i, j)) not in seen:
            seen.add((min(i, j), max(i, j)))
            edges.append((min(i, j), max(i, j), float(i + j), side))
    out = with_twins(edges, twins)
    group = {r: [r, *twins.get(r, [])] for r in range(10)}
    rep_of = {d: r for r, ds in group.items() for d in ds}
    want = set()
    for i, j, score, side in edges:
        container = {"a": i, "b": j, None: None}[side]
        for a in group[i]:
            for b in group[j]:
                want.add((min(a, b), max(a, b), score, container))
    got = set()
    for a, b, score, side in out:
        assert a < b
        container = {"a": a, "b": b, None: None}[side]
        got.add((a, b, score, None if container is None else rep_of[container]))
    assert got == want
    assert len(out) == len(got)
