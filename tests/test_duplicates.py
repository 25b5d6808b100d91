"""Near-duplicate and rewrite detection: seeds, disguise, stages, properties."""

from __future__ import annotations

import itertools
import os
import random
import string
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from textforensics import duplicates as dup
from textforensics.duplicates import lsh, maintext, minhash, shingles
from textforensics.text import matching_form, replace_lone_surrogates, tokens

ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# --- seeds --------------------------------------------------------------------------


def test_seed_rewrite_verdict_and_evidence(seeds: dict[str, str]) -> None:
    c = tf.compare(seeds["000"], seeds["001"])
    assert c.verdict == "rewrite"
    assert 0.0 < c.score < 1.0
    assert c.rewrite.jaccard > c.near_copy.jaccard
    # The evidence pairs the shared sentences, with spans pointing into each text.
    for needle in ("Et-Tanf", "Vershinin", "Al-Ikhbaria"):
        hits = [
            e
            for e in c.evidence
            if needle in matching_form(e.text_a).replace("vеrshinin", "vershinin")
            or needle.casefold() in matching_form(e.text_a)
        ]
        assert hits, needle
        e = hits[0]
        assert needle.casefold() in matching_form(e.text_b), needle
    for e in c.evidence:
        assert seeds["000"][e.a.start : e.a.end] == e.text_a
        assert seeds["001"][e.b.start : e.b.end] == e.text_b
        assert 0.0 < e.similarity <= 1.0
    starts = [e.a.start for e in c.evidence]
    assert starts == sorted(starts)


def test_other_seed_pairs_unrelated(seeds: dict[str, str]) -> None:
    for a, b in itertools.combinations(sorted(seeds), 2):
        if (a, b) == ("000", "001"):
            continue
        c = tf.compare(seeds[a], seeds[b])
        assert c.verdict == "unrelated", (a, b, c.score)
        assert c.evidence == ()


def test_find_duplicates_on_seeds(seeds: dict[str, str]) -> None:
    report = tf.find_duplicates(seeds)
    assert [c.keys for c in report.clusters] == [("000", "001")]
    assert report.clusters[0].pairs[0].verdict == "rewrite"
    assert report.unique == ("002", "003")


def disguise(text: str) -> str:
    cyr = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х"})
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        if i % 3 == 0:
            w = w.translate(cyr)
        if i % 4 == 1:
            w = w[:2] + "\u200b" + w[2:]
        if i % 5 == 2:
            w = w.upper()
        out.append(w)
    return "  \t".join(out).replace("\n", "\n\n ")


def test_disguised_copy_keeps_verdict(seeds: dict[str, str]) -> None:
    plain = tf.compare(seeds["000"], seeds["001"])
    masked = disguise(seeds["001"])
    assert masked != seeds["001"]
    c = tf.compare(seeds["000"], masked)
    assert c.verdict == plain.verdict == "rewrite"
    assert c.rewrite.jaccard == pytest.approx(plain.rewrite.jaccard)
    assert tf.compare(seeds["001"], masked).verdict == "identical"


# --- stages -------------------------------------------------------------------------


def test_signature_equals_datasketch(seeds: dict[str, str]) -> None:
    shingles = dup.shingle_batch(list(seeds.values()), 3)
    sigs = dup.signature_batch(shingles)
    for sh, sig in zip(shingles, sigs, strict=True):
        m = MinHash(num_perm=128, seed=1, hashfunc=int)
        m.update_batch([int(x) for x in sh])
        assert np.array_equal(m.hashvalues, sig)
    assert np.array_equal(dup.signatures_from_texts(list(seeds.values()), 3), sigs)
    lean = dup.to_minhash(sigs[0])
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    lsh.insert("x", lean)
    assert lsh.query(lean) == ["x"]


def test_empty_and_short_texts() -> None:
    sh = dup.shingle_batch(["", "one two", "  ", "a b c d e f"], 5)
    assert [len(s) for s in sh] == [0, 1, 0, 2]
    sig = dup.signature_batch(sh)
    assert (sig[0] == 0xFFFFFFFF).all()
    # Texts without words match nothing, not even each other (issue 16).
    empty = tf.compare("", "")
    assert (empty.verdict, empty.score, empty.reason) == ("unrelated", 0.0, "no_words")
    assert tf.compare("", "text here").verdict == "unrelated"


@given(st.text(max_size=200))
def test_shingle_form_tokens_match_matching_form(text: str) -> None:
    assert tokens(dup.shingle_form(text).translate(ASCII_LOWER)) == tokens(
        matching_form(replace_lone_surrogates(text))
    )


# --- properties ---------------------------------------------------------------------

VOCAB = [
    "alpha", "beta", "gamma", "delta", "river", "stone", "Syria", "Palmyra", "helicopter",
    "base", "minister", "said", "the", "of", "and", "to", "in", "a", "report", "attack",
]  # fmt: skip

word_lists = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=80)


def _join(words: list[str]) -> str:
    return " ".join(words)


def _ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = tokens(matching_form(text))
    if 0 < len(words) < n:
        return {tuple(words)}
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@given(st.text(max_size=300))
def test_compare_self_is_identical(text: str) -> None:
    c = tf.compare(text, text)
    if dup.shingle_batch([text], 3)[0].size:
        assert (c.verdict, c.score, c.reason) == ("identical", 1.0, None)
    else:  # no words: related to nothing, not even itself (issue 16)
        assert (c.verdict, c.score, c.reason) == ("unrelated", 0.0, "no_words")


@given(word_lists, word_lists)
def test_score_symmetric_and_bounded(wa: list[str], wb: list[str]) -> None:
    a, b = _join(wa), _join(wb)
    ab, ba = tf.compare(a, b), tf.compare(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert ab.score == ba.score
    assert ab.verdict == ba.verdict
    assert ab.near_copy.jaccard == ba.near_copy.jaccard
    assert ab.rewrite.containment_a_in_b == ba.rewrite.containment_b_in_a
    for e in ab.evidence:
        assert 0 <= e.a.start < e.a.end <= len(a)
        assert 0 <= e.b.start < e.b.end <= len(b)


@given(word_lists, st.sampled_from([1, 2, 3, 5]))
def test_shingles_match_naive_ngrams(words: list[str], n: int) -> None:
    text = _join(words)
    (sh,) = dup.shingle_batch([text], n)
    assert len(sh) == len(_ngrams(text, n))
    assert list(sh) == sorted(set(sh.tolist()))


@given(word_lists, word_lists, st.sampled_from([2, 3]))
def test_minhash_estimate_within_error_bound(wa: list[str], wb: list[str], n: int) -> None:
    a, b = _join(wa + wb), _join(wb + wa[: len(wa) // 2])
    exact_a, exact_b = _ngrams(a, n), _ngrams(b, n)
    union = exact_a | exact_b
    exact = len(exact_a & exact_b) / len(union) if union else 0.0
    sa, sb = dup.shingle_batch([a, b], n)
    sig = dup.signature_batch([sa, sb])
    estimate = float(np.mean(sig[0] == sig[1]))
    if not union:
        return
    k = sig.shape[1]
    bound = 5 * (exact * (1 - exact) / k) ** 0.5 + 1e-9
    assert abs(estimate - exact) <= bound, (estimate, exact)


@given(st.lists(st.one_of(word_lists.map(_join), st.text(max_size=60)), max_size=12))
def test_prepare_batch_equals_its_stages(texts: list[str]) -> None:
    # The fused, sliced batch function against the separate stages, on any texts
    # (empty, short, non-ASCII, lone surrogates), with slices forced to be tiny.
    old = minhash._SLICE_CHARS
    minhash._SLICE_CHARS = 40
    try:
        digests, sig = dup.prepare_batch(texts, strip=False, num_perm=32)
    finally:
        minhash._SLICE_CHARS = old
    assert digests == dup.token_digest_batch(texts)
    shingles = dup.shingle_batch(texts, dup.REWRITE_TIER.n)
    assert np.array_equal(sig, dup.signature_batch(shingles, 32))
    assert np.array_equal(sig, dup.signatures_from_texts(texts, dup.REWRITE_TIER.n, 32))


@given(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(
            ["in ,", "Subscribe to our newsletter", "What do you think?", "Read more »", ""]
        ),
        word_lists.map(_join),
    ).map(lambda t: t.replace("\n", " ").replace("\r", " "))
)
def test_one_line_main_text_shortcut(text: str) -> None:
    # The batch stages skip the stripper for one-line texts: the result must be what
    # running it gives (kept as is, or all removed and compared whole).
    assert maintext.main_text(text, True, need_flag=False)[:2] == (text, [])
    assert maintext.main_text(text, True)[0] == text


corpora = st.dictionaries(st.integers(0, 40), word_lists.map(_join), min_size=0, max_size=12).map(
    lambda d: dict(d.items())
)


def _canonical(report: tf.DuplicateReport) -> list[object]:
    return [
        [(c.representative, c.keys, [(p.a, p.b, p.verdict, p.score) for p in c.pairs])]
        for c in report.clusters
    ] + [report.unique]


@given(corpora, st.randoms(use_true_random=False))
def test_clusters_partition_and_order_independent(docs: dict[int, str], rnd: object) -> None:
    report = tf.find_duplicates(docs)
    seen = [k for c in report.clusters for k in c.keys] + list(report.unique)
    assert sorted(seen) == sorted(docs)
    assert len(seen) == len(set(seen))
    for c in report.clusters:
        assert c.representative == min(c.keys)
        assert len(c.keys) >= 2
        for p in c.pairs:
            assert p.a in c.keys
            assert p.b in c.keys
            assert p.verdict == tf.compare(docs[p.a], docs[p.b]).verdict
    items = list(docs.items())
    rnd.shuffle(items)  # type: ignore[attr-defined]
    assert _canonical(tf.find_duplicates(items)) == _canonical(report)


def test_candidates_from_datasketch_lsh_equal_band_keys() -> None:
    import random

    rng = random.Random(3)
    base = [" ".join(rng.choice(VOCAB) for _ in range(120)) for _ in range(40)]
    docs = dict(enumerate(base))
    for i in range(10):
        words = base[i].split()
        words[rng.randrange(len(words))] = "changed"
        docs[100 + i] = " ".join(words)
    bands = tf.find_duplicates(docs, all_pairs_below=0)
    lsh = tf.find_duplicates(docs, all_pairs_below=0, candidates="datasketch")
    exact = tf.find_duplicates(docs)
    assert bands.method == "lsh"
    assert lsh.method == "lsh_datasketch"
    assert exact.method == "all_pairs"
    assert bands.candidate_pairs == lsh.candidate_pairs
    assert _canonical(bands) == _canonical(lsh)
    for i in range(10):
        assert any({i, 100 + i} <= set(c.keys) for c in exact.clusters)


def test_stages_plain_data(seeds: dict[str, str]) -> None:
    texts = [seeds[k] for k in sorted(seeds)]
    near = dup.shingle_batch(texts, 5)
    rw = dup.shingle_batch(texts, 3)
    digests = dup.token_digest_batch(texts)
    sig = dup.signature_batch(rw)
    assert sig.dtype == np.uint32
    assert sig.shape == (4, 128)
    bands, rows = dup.lsh_params(dup.REWRITE_TIER.lsh_threshold)
    keys = dup.band_keys_batch(sig, bands, rows)
    assert keys.shape == (4, bands)
    assert keys.dtype == np.uint64
    pairs = dup.candidate_pairs_from_band_keys(keys)
    assert pairs.shape[1] == 2
    assert (pairs[:, 0] < pairs[:, 1]).all()
    all_pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]
    verified = dup.verify_pairs(all_pairs, near, rw, digests)
    assert [(i, j, v) for i, j, v, _ in verified] == [(0, 1, "rewrite")]
    labels = dup.connected_components(4, [(i, j) for i, j, _, _ in verified])
    assert labels.tolist() == [0, 0, 2, 3]


def test_prepare_batch_is_the_stages_on_main_texts(seeds: dict[str, str]) -> None:
    # Raw pages in, what find_duplicates computes out: the main text (seed 003 loses its
    # boilerplate), its word-sequence digest and its rewrite-tier signature.
    raw = [seeds[k] for k in sorted(seeds)] + ["", "x\udc80y"]
    main = dup.main_texts(raw)
    assert main[:3] == raw[:3]
    assert len(main[3]) < len(raw[3])
    assert "What do you think?" in raw[3]
    assert "What do you think?" not in main[3]
    assert dup.main_texts(raw, strip=False) == raw
    # find_duplicates cuts main texts out again from the removed spans of stage 0.
    for text, m in zip(raw, main, strict=True):
        assert maintext.cut(text, maintext.main_text(text, True)[1]) == m
    digests, sig = dup.prepare_batch(raw, num_perm=64, seed=3)
    assert digests == dup.token_digest_batch(main)
    assert np.array_equal(sig, dup.signatures_from_texts(main, dup.REWRITE_TIER.n, 64, 3))
    assert sig.shape == (len(raw), 64)
    rw = dup.shingle_batch(main, dup.REWRITE_TIER.n)
    s01 = dup.tier_similarity(dup.REWRITE_TIER, rw[0], rw[1])
    s10 = dup.tier_similarity(dup.REWRITE_TIER, rw[1], rw[0])
    assert (s10.shared, s10.jaccard) == (s01.shared, s01.jaccard)
    assert s10.containment_a_in_b == s01.containment_b_in_a
    exact = len(set(rw[0].tolist()) & set(rw[1].tolist())) / len(
        set(rw[0].tolist()) | set(rw[1].tolist())
    )
    assert s01.jaccard == pytest.approx(exact)
    assert 0.05 < s01.jaccard < 0.2  # the seeds' rewrite


def test_progress_callback(seeds: dict[str, str]) -> None:
    calls: list[tuple[str, int, int]] = []
    tf.find_duplicates(seeds, progress=lambda s, d, t: calls.append((s, d, t)))
    assert calls
    assert all(0 <= d <= t for _, d, t in calls)
    assert {s for s, _, _ in calls} >= {"signatures", "verify"}


def test_bad_input_does_not_crash() -> None:
    weird = "\ud800 lone surrogate \udfff " + "x" * 10000 + " \u200b\u202e"
    assert tf.compare(weird, weird).verdict == "identical"
    assert tf.compare(weird, "lone surrogate").verdict in dup.VERDICTS
    with pytest.raises(ValueError, match="duplicate key"):
        tf.find_duplicates([("a", "x"), ("a", "y")])


# --- DuplicateIndex -----------------------------------------------------------------


def _exercise_index(index: tf.DuplicateIndex, seeds: dict[str, str]) -> None:
    for k in ("000", "002", "003"):
        index.add(k, seeds[k])
    assert len(index) == 3
    assert "000" in index
    matches = index.query(seeds["001"])
    assert [(m.key, m.verdict) for m in matches] == [("000", "rewrite")]
    index.add("001", seeds["001"])
    matches = index.query(seeds["001"])
    assert [(m.key, m.verdict) for m in matches] == [("001", "identical"), ("000", "rewrite")]
    assert matches[0].score == 1.0
    assert matches[1].score < 1.0
    index.remove("000")
    assert "000" not in index
    assert [m.key for m in index.query(seeds["000"])] == ["001"]
    with pytest.raises(KeyError):
        index.remove("000")
    assert index.keys() == ["001", "002", "003"]


def test_index_add_query_remove_save_load(seeds: dict[str, str], tmp_path: object) -> None:
    from pathlib import Path

    index = tf.DuplicateIndex()
    _exercise_index(index, seeds)
    # Through LSH only (no exhaustive check), copies are still found.
    lsh_only = tf.DuplicateIndex(exact_below=0)
    lsh_only.add("000", seeds["000"])
    lsh_only.add("001", seeds["001"])
    copy = seeds["000"].replace("Palmyra", "Tadmur", 1)
    # ... and here the rewrite 001 too (the rewrite tier's 8 pairings).
    assert [(m.key, m.verdict) for m in lsh_only.query(copy)] == [
        ("000", "near_copy"),
        ("001", "rewrite"),
    ]
    path = Path(str(tmp_path)) / "index.tfdi"
    index.save(path)
    loaded = tf.DuplicateIndex.load(path)
    assert loaded.keys() == index.keys()
    for k in ("000", "001", "002", "003"):
        assert loaded.query(seeds[k]) == index.query(seeds[k])


def test_boilerplate_hook(seeds: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """With a stripper present, shared boilerplate no longer makes two pages look alike."""
    from dataclasses import dataclass

    footer = "\n\n" + " ".join(f"Menu item {i} home news sport weather contact" for i in range(80))

    @dataclass
    class Removed:
        start: int
        end: int
        kind: str = "footer"

    @dataclass
    class Stripped:
        text: str
        removed: tuple[Removed, ...]

    def strip_boilerplate(text: str) -> Stripped:
        at = text.find(footer)
        if at < 0:
            return Stripped(text=text, removed=())
        return Stripped(text=text[:at], removed=(Removed(at, at + len(footer)),))

    a, b = seeds["000"] + footer, seeds["003"] + footer
    # The detector calls the public textforensics.strip_boilerplate, looked up per call.
    monkeypatch.setattr(tf, "strip_boilerplate", strip_boilerplate)
    stripped = tf.compare(a, b)
    kept = tf.compare(a, b, strip_boilerplate=False)
    assert stripped.boilerplate_stripped
    assert stripped.verdict == "unrelated"
    assert not kept.boilerplate_stripped
    assert kept.verdict != "unrelated"


@given(
    st.lists(st.lists(st.integers(0, 4), min_size=3, max_size=3), min_size=0, max_size=30),
    st.sampled_from([0, 3]),
)
def test_candidate_pairs_match_naive_buckets(rows: list[list[int]], max_bucket: int) -> None:
    keys = np.array(rows, dtype=np.uint64).reshape(len(rows), 3)
    got = {tuple(p) for p in dup.candidate_pairs_from_band_keys(keys, max_bucket).tolist()}
    expected: set[tuple[int, int]] = set()
    for band in range(3):
        buckets: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            buckets.setdefault(row[band], []).append(i)
        for members in buckets.values():
            if max_bucket and len(members) > max_bucket:
                expected.update((members[0], m) for m in members[1:])
            else:
                expected.update(itertools.combinations(members, 2))
    assert got == expected


def test_worker_processes_give_the_same_result() -> None:
    import random

    rng = random.Random(5)
    words = [f"w{i}" for i in range(400)]
    docs = {f"d{i:04d}": " ".join(rng.choice(words) for _ in range(60)) for i in range(600)}
    for i in range(0, 40, 2):
        docs[f"copy{i}"] = docs[f"d{i:04d}"].upper()
    one = tf.find_duplicates(docs, processes=1)
    two = tf.find_duplicates(docs, processes=2)
    assert one == two
    assert one.method == "lsh"
    assert sum(len(c.keys) for c in one.clusters) >= 40


@settings(max_examples=40)
@given(corpora)
def test_index_save_load_round_trip(docs: dict[int, str]) -> None:
    import tempfile
    from pathlib import Path

    index = tf.DuplicateIndex()
    for k, text in docs.items():
        index.add(k, text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "i.tfdi"
        index.save(path)
        loaded = tf.DuplicateIndex.load(path)
    assert loaded.keys() == index.keys() == sorted(docs)
    for text in docs.values():
        assert loaded.query(text) == index.query(text)
        if dup.shingle_batch([text], 3)[0].size:
            assert loaded.query(text)[0].verdict == "identical"
        else:  # a text without words matches nothing (issue 16)
            assert loaded.query(text) == []


def test_lsh_params_are_datasketch_optimal() -> None:
    from datasketch.lsh import _optimal_param

    for (threshold, num_perm), params in lsh._KNOWN_LSH_PARAMS.items():
        assert _optimal_param(threshold, num_perm, 0.5, 0.5) == params
    assert dup.lsh_params(dup.REWRITE_TIER.lsh_threshold) == (64, 2)
    assert dup.lsh_params(dup.NEAR_COPY_TIER.lsh_threshold) == (25, 5)


def test_known_permutations_are_datasketch_s() -> None:
    from datasketch import MinHash

    for num_perm, seed in minhash._KNOWN_PERMUTATIONS:
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
        mine = minhash.permutations(num_perm, seed)
        assert mine[0].tolist() == [int(x) for x in a]
        assert mine[1].tolist() == [int(x) for x in b]
        assert mine[0].dtype == mine[1].dtype == np.uint32
        assert not mine[0].flags.writeable


def test_default_corpus_path_does_not_import_datasketch() -> None:
    """datasketch (and scipy with it) costs ~0.8 CPU-s to import: the default path of
    find_duplicates and compare needs neither, the LSH path included."""
    code = (
        "import sys, textforensics as tf\n"
        "docs = {i: f'words {i} of a document about the river and the town' for i in range(400)}\n"
        "r = tf.find_duplicates(docs, strip_boilerplate=False, all_pairs_below=10)\n"
        "assert r.method == 'lsh', r.method\n"
        "tf.compare('one text here', 'one text there')\n"
        "assert 'datasketch' not in sys.modules\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)


def test_all_boilerplate_text_is_compared_whole() -> None:
    # A text the stripper removes entirely is compared as written, not as an empty string.
    a = "Home\nNews\nContact us\nPrivacy policy"
    b = "Subscribe to our newsletter\nFollow us on Twitter\nShare this article\nAll rights reserved"
    assert tf.strip_boilerplate(a).text.strip() == ""
    assert tf.strip_boilerplate(b).text.strip() == ""
    assert tf.compare(a, b).verdict == "unrelated"
    assert tf.compare(a, a).verdict == "identical"


def _rewrite_like_calibration(rng: random.Random, text: str, vocab: list[str]) -> str:
    """A rewrite as scripts/calibrate_duplicates.py builds them: sentences reordered and
    partly dropped, words substituted, sentences split and merged."""
    r = rng
    sents = text.split(". ")
    r.shuffle(sents)
    keep = r.uniform(0.6, 0.8)
    sents = [s for s in sents if r.random() < keep] or sents[:1]
    sub = r.uniform(0.25, 0.4)
    out: list[str] = []
    for s in sents:
        words = [r.choice(vocab) if r.random() < sub else w for w in s.split()]
        if len(words) > 16 and r.random() < 0.3:
            cut = len(words) // 2
            out.extend([" ".join(words[:cut]) + ".", " ".join(words[cut:])])
        elif out and r.random() < 0.2:
            out[-1] = out[-1].rstrip(".") + ", and " + " ".join(words)
        else:
            out.append(" ".join(words))
    return "\n".join(out)


def test_lsh_path_finds_loose_rewrites() -> None:
    """In the LSH path (forced), rewrites as loose as seeds 000/001 (word 3-gram Jaccard
    about 0.1) are proposed and verified, and nothing unrelated is reported."""
    rng = random.Random(2024)
    vocab = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
        for _ in range(3000)
    ]
    weights = [1 / (i + 1) for i in range(len(vocab))]

    def doc() -> str:
        words = rng.choices(vocab, weights, k=700)
        cuts = list(range(0, 700, 20))
        return ". ".join(" ".join(words[c : c + 20]).capitalize() for c in cuts)

    docs = {f"d{i:04d}": doc() for i in range(1200)}
    planted = []
    for i in range(120):
        src = f"d{i:04d}"
        docs[f"r{i:04d}"] = _rewrite_like_calibration(rng, docs[src], vocab)
        planted.append((src, f"r{i:04d}"))
    texts = [docs[k] for pair in planted for k in pair]
    sh = dup.shingle_batch(texts, 3)
    loose = []
    for x, pair in enumerate(planted):
        a, b = sh[2 * x], sh[2 * x + 1]
        shared = len(np.intersect1d(a, b))
        jaccard = shared / (len(a) + len(b) - shared)
        if 0.07 <= jaccard <= 0.15:  # 000/001-like (the seeds: 0.108)
            loose.append(pair)
    assert len(loose) >= 60

    def found(report: tf.DuplicateReport) -> float:
        pairs = {(p.a, p.b) for c in report.clusters for p in c.pairs}
        # Precision: every reported pair is a planted one (the background is random).
        assert pairs <= set(planted)
        return sum(pair in pairs for pair in loose) / len(loose)

    report = tf.find_duplicates(docs, all_pairs_below=0, processes=1)
    assert report.method == "lsh"
    assert found(report) >= 0.95
    lsh_only = tf.find_duplicates(docs, all_pairs_below=0, sample_rate=0, processes=1)
    assert found(lsh_only) >= 0.95
    # datasketch's banding alone (one pairing) finds about half of them; the sampled
    # shingles (the second candidate source) make up for it.
    one = tf.find_duplicates(docs, all_pairs_below=0, pairings=1, sample_rate=0, processes=1)
    assert found(one) < 0.75
    assert found(tf.find_duplicates(docs, all_pairs_below=0, pairings=1, processes=1)) >= 0.95


@given(st.lists(st.text(max_size=60), max_size=6))
def test_batch_forms_equal_shingle_form(texts: list[str]) -> None:
    """The batch normalization (one byte string for all texts) is shingle_form per text."""
    joined, lengths = shingles.joined_forms(texts)
    forms = [dup.shingle_form(t).encode("utf-8", "surrogatepass") for t in texts]
    assert joined == b" " + b" ".join(forms) + b" "
    assert lengths == [len(f) for f in forms]
    th, counts = shingles.text_hashes(texts, False)
    th2, counts2 = shingles.token_hashes([dup.shingle_form(t) for t in texts])
    assert np.array_equal(th, th2)
    assert np.array_equal(counts, counts2)


@given(
    st.lists(st.lists(st.integers(0, 3), min_size=8, max_size=8), min_size=0, max_size=25),
    st.integers(1, 3),
    st.sampled_from([0, 2]),
)
def test_lsh_candidate_pairs_union_of_pairings(
    rows: list[list[int]], pairings: int, max_bucket: int
) -> None:
    sig = np.array(rows, dtype=np.uint32).reshape(len(rows), 8)
    expected: set[tuple[int, int]] = set()
    orders = dup.pairing_orders(8, pairings)
    assert len(orders) == pairings
    assert all(sorted(o.tolist()) == list(range(8)) for o in orders)
    for order in orders:
        keys = dup.band_keys_batch(sig[:, order], 4, 2)
        pairs = dup.candidate_pairs_from_band_keys(keys, max_bucket)
        expected |= {tuple(p) for p in pairs.tolist()}
    got = dup.lsh_candidate_pairs(sig, 4, 2, pairings, max_bucket)
    assert {tuple(p) for p in got.tolist()} == expected
    assert got.tolist() == sorted(got.tolist())


@given(st.lists(word_lists.map(_join), max_size=6), st.sampled_from([1, 3, 5]))
def test_fused_signatures_equal_staged(texts: list[str], n: int) -> None:
    """signatures_from_texts (flat n-grams of the whole batch) equals the staged path."""
    fused = dup.signatures_from_texts(texts, n)
    staged = dup.signature_batch(dup.shingle_batch(texts, n))
    assert np.array_equal(fused, staged)


def test_index_lsh_finds_loose_rewrite(seeds: dict[str, str]) -> None:
    """Through the index's LSH alone, 001 finds its rewrite 000 for almost every MinHash
    seed (8 pairings of the rewrite tier); datasketch's banding alone finds it about half
    of the time."""

    def rate(pairings: int) -> float:
        hits = 0
        for seed in range(1, 31):
            index = tf.DuplicateIndex(exact_below=0, seed=seed, pairings=pairings)
            for k in ("000", "002", "003"):
                index.add(k, seeds[k])
            matches = index.query(seeds["001"])
            assert all(m.key == "000" for m in matches)
            hits += [(m.key, m.verdict) for m in matches] == [("000", "rewrite")]
        return hits / 30

    assert rate(dup.REWRITE_PAIRINGS) >= 0.9
    assert rate(1) < 0.75


@given(st.lists(st.integers(min_value=0, max_value=7), max_size=40), st.integers(2, 6))
def test_short_text_hashes_equal_their_reference(counts: list[int], n: int) -> None:
    import numpy as np

    from textforensics.duplicates.shingles import short_text_hash_reference, short_text_hashes

    rng = np.random.default_rng(len(counts) * 7 + n)
    arr = np.asarray(counts, dtype=np.int64)
    th = rng.integers(0, 2**63, size=int(arr.sum()) + 1, dtype=np.uint64)
    offsets = np.concatenate(([0], np.cumsum(arr)))
    fast = short_text_hashes(th, arr, offsets, n)
    for i, c in enumerate(counts):
        if 0 < c < n:
            assert int(fast[i]) == short_text_hash_reference(th, int(offsets[i]), c)


def test_one_word_documents_never_cluster_with_other_words() -> None:
    docs = {i: f"word{i}" for i in range(2000)} | {"copy": "word7"}
    report = tf.find_duplicates(docs)
    assert [sorted(map(str, c.keys)) for c in report.clusters] == [["7", "copy"]]
