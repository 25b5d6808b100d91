"""Issue 14/16 duplicates work: excerpts and shared passages, texts without words, lazy
evidence and ``compare_many``, vectorised candidate pairs, near-identical corpora, the
linear sentence splitter and passage filter, argument types."""

from __future__ import annotations

import dataclasses
import pickle
import random
from pathlib import Path

import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from textforensics import duplicates as dup
from textforensics.duplicates import lsh
from textforensics.duplicates.evidence import passages
from textforensics.text import SENTENCE_END_RE, iter_sentences

# --- excerpts and shared passages ------------------------------------------------------


def _middle_third(text: str) -> str:
    n = len(text)
    return text[n // 3 : 2 * n // 3]


def _with_paragraph(text: str, para: str) -> str:
    paras = text.split("\n\n")
    paras.insert(len(paras) // 2, para)
    return "\n\n".join(paras)


def test_excerpt_reported_from_the_shorter_side(seeds: dict[str, str]) -> None:
    full = seeds["000"]
    part = _middle_third(full)
    c = tf.compare(part, full)
    assert (c.verdict, c.contained_in) == ("excerpt", "b")
    d = tf.compare(full, part)
    assert (d.verdict, d.contained_in) == ("excerpt", "a")
    assert c.score == d.score > 0.8
    assert c.evidence  # the copied sentences are aligned


def test_shared_paragraph_is_an_excerpt_edge_not_a_rewrite(seeds: dict[str, str]) -> None:
    para = seeds["003"].split("\n\n")[25]
    assert len(para) > 500
    a, b = _with_paragraph(seeds["000"], para), _with_paragraph(seeds["002"], para)
    # Without the beyond-copy test this pair was a rewrite (the chaining of issue 14).
    loose = dup.Thresholds(rewrite_beyond_copy=0.0)
    assert tf.compare(a, b, thresholds=loose).verdict == "rewrite"
    c = tf.compare(a, b)
    assert (c.verdict, c.contained_in) == ("excerpt", None)
    assert any(para[:40] in e.text_a for e in c.evidence)


def test_find_duplicates_lists_excerpts_apart(seeds: dict[str, str]) -> None:
    docs = dict(seeds)
    docs["part"] = _middle_third(seeds["002"])  # 002 relates to no other seed
    report = tf.find_duplicates(docs)
    clustered = {k for c in report.clusters for k in c.keys}
    assert clustered == {"000", "001"}  # the seeds' rewrite only
    pairs = {(p.a, p.b): p for p in report.excerpts}
    assert set(pairs) == {("002", "part")}
    assert (pairs[("002", "part")].verdict, pairs[("002", "part")].contained_in) == (
        "excerpt",
        "a",
    )
    assert {"002", "part"} <= set(report.unique)


def test_index_query_reports_excerpts(seeds: dict[str, str]) -> None:
    index = tf.DuplicateIndex()
    for k, text in seeds.items():
        index.add(k, text)
    matches = index.query(_middle_third(seeds["002"]))
    assert [(m.key, m.verdict, m.contained_in) for m in matches] == [("002", "excerpt", "b")]


def test_seeds_contract_unchanged(seeds: dict[str, str]) -> None:
    keys = sorted(seeds)
    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            c = tf.compare(seeds[keys[x]], seeds[keys[y]])
            expected = "rewrite" if (keys[x], keys[y]) == ("000", "001") else "unrelated"
            assert c.verdict == expected, (keys[x], keys[y])


# --- texts without words ---------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [("---", "\U0001f600\n\n"), ("", ""), ("...", "...")])
def test_texts_without_words_match_nothing(a: str, b: str) -> None:
    c = tf.compare(a, b)
    assert (c.verdict, c.score, c.reason) == ("unrelated", 0.0, "no_words")
    assert tf.compare("some words here", a).reason == "no_words"


def test_texts_without_words_never_cluster() -> None:
    docs = ["---", "\U0001f600", "!!!", "", "* * *", "a real sentence of words", "a real sentence"]
    report = tf.find_duplicates(docs)
    clustered = {k for c in report.clusters for k in c.keys}
    assert not clustered & {0, 1, 2, 3, 4}
    index = tf.DuplicateIndex()
    for i, d in enumerate(docs[:5]):
        index.add(i, d)
    assert index.query("---") == []


# --- argument types --------------------------------------------------------------------


def test_type_errors_name_the_argument() -> None:
    with pytest.raises(TypeError, match=r"^a must be a str"):
        tf.compare(["x"], "y")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^b must be a str"):
        tf.compare("x", b"y")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="thresholds"):
        tf.compare("x", "y", thresholds=0.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="docs"):
        tf.find_duplicates("a text")
    with pytest.raises(TypeError, match="docs"):
        tf.find_duplicates({"k": ["not", "a", "text"]})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="docs"):
        tf.find_duplicates([1, 2])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="pairs"):
        tf.compare_many([("a", 1)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^text must be a str"):
        tf.DuplicateIndex().add("k", ["x"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^text must be a str"):
        tf.DuplicateIndex().query(None)  # type: ignore[arg-type]


# --- lazy evidence, compare_many -------------------------------------------------------


def test_evidence_is_lazy_but_the_same_to_every_reader(seeds: dict[str, str]) -> None:
    a, b = seeds["000"], seeds["001"]
    eager = tf.compare(a, b)
    _ = eager.evidence
    assert tf.compare(a, b) == eager
    assert hash(tf.compare(a, b)) == hash(eager)
    assert repr(tf.compare(a, b)) == repr(eager)
    assert tf.compare(a, b).to_dict() == eager.to_dict()
    assert pickle.loads(pickle.dumps(tf.compare(a, b))) == eager
    assert dataclasses.asdict(tf.compare(a, b)) == dataclasses.asdict(eager)
    assert tf.compare(a, b, evidence=False).evidence == ()


def test_compare_many_equals_compare(seeds: dict[str, str]) -> None:
    texts = [*seeds.values(), "---", _middle_third(seeds["000"])]
    pairs = [(x, y) for x in texts for y in texts]
    assert tf.compare_many(pairs) == [tf.compare(x, y) for x, y in pairs]
    assert tf.compare_many(iter(pairs[:3]), evidence=False) == [
        tf.compare(x, y, evidence=False) for x, y in pairs[:3]
    ]
    assert tf.compare_many([]) == []


# --- candidate pairs -------------------------------------------------------------------


def _pairs(codes: list[np.typing.NDArray[np.int64]], n: int) -> set[tuple[int, int]]:
    if not codes:
        return set()
    flat = np.unique(np.concatenate(codes))
    return {(int(c // n), int(c % n)) for c in flat}


@settings(max_examples=200)
@given(
    n=st.integers(1, 60),
    bands=st.integers(1, 6),
    distinct=st.integers(1, 12),
    max_bucket=st.integers(0, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_vectorised_pair_codes_equal_the_reference(
    n: int, bands: int, distinct: int, max_bucket: int, seed: int
) -> None:
    keys = np.random.default_rng(seed).integers(0, distinct, size=(bands, n)).astype(np.uint64)
    fast = lsh.pair_codes(keys, max_bucket, n)
    assert _pairs(fast, n) == _pairs(lsh.pair_codes_reference(keys, max_bucket, n), n)
    for c in fast:
        assert ((c // n) < (c % n)).all()


def _near_identical(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(2000)]
    base = [rng.choice(vocab) for _ in range(400)]
    docs = []
    for _ in range(n):
        words = list(base)
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        docs.append(" ".join(words))
    return docs


def test_near_identical_documents_do_not_propose_all_pairs() -> None:
    n = 1500
    report = tf.find_duplicates(_near_identical(n), processes=1)
    assert report.candidate_pairs < 2 * n  # about one check per document, not n**2 / 2
    assert [len(c.keys) for c in report.clusters] == [n]


# --- linear sentence splitter and passages ----------------------------------------------

_OLD_SENTENCE_END_RE = regex.compile(
    r"""[.!?…‽]+["'”’»)\]]*(?=\s|$)|[。！？]+[」』”’)]*|\r\n|\r|\n""",
)

_SENTENCE_ALPHABET = list("ab .!?…‽\"'”’»)]。！？」』\r\n\t")


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(_SENTENCE_ALPHABET), max_size=60) | st.text(max_size=60))
def test_sentence_end_equals_the_old_pattern(text: str) -> None:
    old = [m.span() for m in _OLD_SENTENCE_END_RE.finditer(text)]
    assert [m.span() for m in SENTENCE_END_RE.finditer(text)] == old


def test_sentence_splitter_is_linear_on_dot_runs() -> None:
    import time

    def cost(n: int) -> float:
        text = "." * n + "x"
        t = time.process_time()
        for _ in range(3):
            list(iter_sentences(text))
        return time.process_time() - t

    small, large = cost(20_000), cost(80_000)
    # Quadratic would be 16x; allow noise around linear (4x) on a loaded machine.
    assert large < 10 * max(small, 0.002)


@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=20),
    st.lists(st.sampled_from(["Word word.", "\n", " ", "Another one! ", "x"]), max_size=60),
)
def test_passages_filter_equals_the_plain_sum(
    raw_removed: list[tuple[int, int]], parts: list[str]
) -> None:
    text = "".join(parts)
    # Sorted, disjoint removed spans inside the text.
    removed: list[tuple[int, int]] = []
    pos = 0
    for gap, size in sorted(raw_removed):
        start = min(len(text), pos + gap % 17)
        end = min(len(text), start + size)
        if start < end:
            removed.append((start, end))
        pos = end
    every = passages(text, [])
    expected = [
        (s, e)
        for s, e in every
        if sum(max(0, min(e, re) - max(s, rs)) for rs, re in removed) * 2 < e - s
    ]
    assert passages(text, removed) == (expected if removed else every)


# --- datasketch signatures in ----------------------------------------------------------


def test_find_duplicates_accepts_datasketch_minhashes(seeds: dict[str, str]) -> None:
    from datasketch import LeanMinHash, MinHash

    texts = list(seeds.values())
    sigs = dup.signatures_from_texts(texts, dup.REWRITE_TIER.n)
    as_text = tf.find_duplicates(seeds)
    mixed = dict(seeds)
    mixed["000"] = dup.to_minhash(sigs[0])
    mixed["001"] = LeanMinHash(dup.to_minhash(sigs[1]))
    report = tf.find_duplicates(mixed)
    assert [c.keys for c in report.clusters] == [c.keys for c in as_text.clusters]
    assert report.clusters[0].pairs[0].verdict == "rewrite"
    # Real datasketch objects built from our shingles, every document a signature.
    own = []
    for sh in dup.shingle_batch([dup.shingle_form(t) for t in texts], 3):
        m = MinHash(num_perm=128, seed=1, scheme="affine32")
        m.update_batch([int(x).to_bytes(4, "little") for x in sh])
        own.append(m)
    only = tf.find_duplicates({k: own[i] for i, k in enumerate(seeds)})
    assert [c.keys for c in only.clusters] == [("000", "001")]
    with pytest.raises(ValueError, match="num_perm"):
        tf.find_duplicates({"a": MinHash(num_perm=64, seed=1), "b": "text"})


def test_index_query_accepts_a_minhash(seeds: dict[str, str]) -> None:
    index = tf.DuplicateIndex()
    for k, text in seeds.items():
        index.add(k, text)
    sig = dup.signatures_from_texts([seeds["000"]], dup.REWRITE_TIER.n)[0]
    matches = index.query(dup.to_minhash(sig))
    assert [(m.key, m.verdict) for m in matches[:2]] == [("000", "near_copy"), ("001", "rewrite")]
    assert matches[0].score == 1.0


@pytest.mark.parametrize("exact_below", [1000, 0])
def test_index_add_accepts_a_minhash(
    seeds: dict[str, str], exact_below: int, tmp_path: Path
) -> None:
    """An entry added as the MinHash of a text answers signature queries exactly as the
    entry of the text itself, survives save/load, and meets text queries on estimated
    Jaccard."""
    from datasketch import LeanMinHash

    mains = dup.main_texts(list(seeds.values()))
    sigs = dup.signatures_from_texts(mains, dup.REWRITE_TIER.n)
    as_text = tf.DuplicateIndex(exact_below=exact_below)
    as_sig = tf.DuplicateIndex(exact_below=exact_below)
    for i, (k, text) in enumerate(seeds.items()):
        as_text.add(k, text)
        minhash = dup.to_minhash(sigs[i])
        as_sig.add(k, LeanMinHash(minhash) if i % 2 else minhash)
    assert as_sig.keys() == as_text.keys()
    for sig in sigs:
        assert as_sig.query(dup.to_minhash(sig)) == as_text.query(dup.to_minhash(sig))
    got = as_sig.query(seeds["000"])
    assert [(m.key, m.verdict) for m in got[:2]] == [("000", "near_copy"), ("001", "rewrite")]
    path = tmp_path / "sig.tfidx"
    as_sig.save(path)
    back = tf.DuplicateIndex.load(path)
    assert back.query(dup.to_minhash(sigs[1])) == as_text.query(dup.to_minhash(sigs[1]))
    with pytest.raises(ValueError, match="num_perm"):
        as_sig.add("x", dup.to_minhash(sigs[0][:64]))
    with pytest.raises(TypeError, match="MinHash"):
        as_sig.add("x", 3)


# --- heavy rewrites: the content-pair signal --------------------------------------------

_WORDS = st.lists(
    st.sampled_from(["river", "Palmyra", "attack", "the", "that", "soldiers", "convoy", "said"]),
    max_size=40,
)


@given(_WORDS)
def test_content_pairs_ignore_word_order_within_the_window(words: list[str]) -> None:
    from textforensics.duplicates.bags import content_pairs

    forward = content_pairs(" ".join(words))
    assert forward == content_pairs(" ".join(reversed(words)))
    assert all(a < b for a, b in forward)
    assert not any(w in {"the", "that", "said"} for pair in forward for w in pair)
