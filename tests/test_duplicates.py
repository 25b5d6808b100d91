"""Near-duplicate and rewrite detection: seeds, disguise, stages, properties."""

from __future__ import annotations

import itertools
import string

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics import duplicates as dup
from textforensics.text import matching_form, tokens

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
    # Forced through LSH (not all-pairs) the answer is the same.
    lsh = tf.find_duplicates(seeds, all_pairs_below=0)
    assert lsh.method == "lsh"
    assert [c.keys for c in lsh.clusters] == [("000", "001")]


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
    lean = dup.to_minhash(sigs[0])
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    lsh.insert("x", lean)
    assert lsh.query(lean) == ["x"]


def test_empty_and_short_texts() -> None:
    sh = dup.shingle_batch(["", "one two", "  ", "a b c d e f"], 5)
    assert [len(s) for s in sh] == [0, 1, 0, 2]
    sig = dup.signature_batch(sh)
    assert (sig[0] == 0xFFFFFFFF).all()
    assert tf.compare("", "").verdict == "identical"
    assert tf.compare("", "text here").verdict == "unrelated"


@given(st.text(max_size=200))
def test_shingle_form_tokens_match_matching_form(text: str) -> None:
    assert tokens(dup.shingle_form(text).translate(ASCII_LOWER)) == tokens(
        matching_form(dup._clean(text))
    )
