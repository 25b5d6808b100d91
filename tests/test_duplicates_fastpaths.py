"""The vectorised content-pair signal (the rewrite tier's third signal) against the plain
references kept beside it in ``duplicates/bags.py``: stems as 64-bit hashes from the
shingler's pass over the bytes, pairs as sorted 64-bit keys, containment by binary
search. The verdicts depend on the containment only, which must not change."""

from __future__ import annotations

import itertools
from pathlib import Path
from unittest import mock

import numpy as np
import regex
from hypothesis import given
from hypothesis import strategies as st

from textforensics.duplicates.bags import (
    BAG_WINDOW,
    _stop_hashes,
    bag_containment,
    content_keys,
    content_pairs,
    content_stems_batch,
    content_stems_reference,
    key_containment,
    pair_keys,
    stop_word_mask,
    stop_word_mask_reference,
)
from textforensics.duplicates.minhash import ngram_flat
from textforensics.duplicates.shingles import (
    NGRAM_MULTIPLIER,
    count_shared,
    hash_joined,
    hash_joined_prefixes,
    joined_forms,
    mix64,
    mix64_inplace,
    ngram_hashes,
    shingle_form,
    text_hashes,
    token_hashes,
    unique_runs,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Words that decide the answers: function words (dropped), words of three, four, five and
# more letters (four and up count; five and up are cut), words whose length changes under
# normalization (ligatures, sharp s, dotted capital I, fullwidth), look-alikes, hidden
# characters inside words, digits, underscores, marks, other scripts, emoji.
_WORDS = st.sampled_from(
    [
        "the",
        "that",
        "said",
        "according",
        "Their",
        "river",
        "rivers",
        "Palmyra",
        "attack",
        "attacked",
        "ATTACKS",
        "cat",
        "dogs",
        "Vеrshinin",
        "Vershinin",
        "naïve",
        "naive",
        "straße",
        "STRASSE",
        "ﬁnancial",
        "financial",
        "İstanbul",
        "ΣΊΣΥΦΟΣ",
        "σίσυφος",
        "ｆｕｌｌｗｉｄｔｈ",
        "soft\u00adhyphen",
        "zero\u200bwidth",
        "2024",
        "1000000",
        "snake_case",
        "cafe\u0301",
        "café",
        "日本語の文章",
        "Москва",
        "москва",
        "😀",
        "x\ud800yy",
    ]
)
_PIECES = st.one_of(_WORDS, st.text(alphabet="abcXYZ éеß_1\u200b—’", max_size=9))
_SEPARATORS = st.sampled_from([" ", "  ", "\n", ", ", ". ", " — ", "\u00a0", "’", "-", "\t"])
texts = st.lists(st.tuples(_PIECES, _SEPARATORS), max_size=40).map(
    lambda parts: "".join(w + sep for w, sep in parts)
)


def _reference_stem_hashes(text: str) -> np.ndarray:
    # The token hash each reference stem has as a word of its own.
    stems = content_stems_reference(text)
    th, _ = token_hashes([" ".join(stems)])
    return th


@given(texts)
def test_stems_are_the_hashes_of_the_reference_stems(text: str) -> None:
    (stems,) = content_stems_batch([text])
    assert stems.tolist() == _reference_stem_hashes(text).tolist()
    (from_form,) = content_stems_batch([shingle_form(text)], normalized=True)
    assert from_form.tolist() == stems.tolist()


@given(st.lists(texts, max_size=6))
def test_a_batch_equals_its_texts_one_by_one(batch: list[str]) -> None:
    together = content_stems_batch(batch)
    assert [s.tolist() for s in together] == [content_stems_batch([t])[0].tolist() for t in batch]


@given(texts)
def test_prefix_pass_keeps_the_token_hashes(text: str) -> None:
    joined, lengths = joined_forms([text, "A second text", text])
    th, counts = hash_joined(joined, lengths)
    th2, counts2, prefixes, nchars = hash_joined_prefixes(joined, lengths, 5)
    assert th.tolist() == th2.tolist()
    assert counts.tolist() == counts2.tolist()
    # A token of at most five characters is its own prefix.
    short = nchars <= 5
    assert (prefixes[short] == th[short]).all()


@given(texts)
def test_keys_count_the_reference_pairs(text: str) -> None:
    assert len(content_keys(text)) == len(content_pairs(text))


@given(texts, texts)
def test_key_containment_equals_bag_containment(a: str, b: str) -> None:
    expected = bag_containment(content_pairs(a), content_pairs(b))
    assert key_containment(content_keys(a), content_keys(b)) == expected


@given(st.lists(st.integers(0, 6), max_size=30))
def test_pair_keys_equal_a_plain_loop(ids: list[int]) -> None:
    # Few distinct values: repeats inside the window, pairs of equal stems (dropped).
    values = mix64(np.asarray(ids, dtype=np.uint64) + np.uint64(1))
    expected = set()
    with np.errstate(over="ignore"):
        for i, j in itertools.combinations(range(len(ids)), 2):
            a, b = values[i], values[j]
            if j - i < BAG_WINDOW and a != b:
                lo, hi = min(a, b), max(a, b)
                expected.add(int(lo * NGRAM_MULTIPLIER + hi))
    keys = pair_keys(values)
    assert keys.tolist() == sorted(expected)


@given(
    st.sets(st.integers(0, 2**32 - 1), max_size=50), st.sets(st.integers(0, 2**32 - 1), max_size=50)
)
def test_count_shared_equals_intersect1d(a: set[int], b: set[int]) -> None:
    # Close values too: half of b shifted copies of a's.
    b = b | {x ^ 1 for x in list(a)[: len(a) // 2]}
    x = np.array(sorted(a), dtype=np.uint32)
    y = np.array(sorted(b), dtype=np.uint32)
    assert count_shared(x, y) == np.intersect1d(x, y, assume_unique=True).size == len(a & b)


def test_long_text_across_hashing_pieces() -> None:
    """A text of more than one hashing piece (1 MB): no stem is split or lost."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    text = "\n".join(seeds) * 100
    assert len(text.encode()) > 1 << 20
    (stems,) = content_stems_batch([text])
    assert stems.tolist() == _reference_stem_hashes(text).tolist()


def test_seed_pairs_as_the_reference() -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for a, b in itertools.combinations(seeds, 2):
        expected = bag_containment(content_pairs(a), content_pairs(b))
        assert key_containment(content_keys(a), content_keys(b)) == expected


def _splitmix64_finalizer(x: int) -> int:
    # The plain reference of mix64, on Python integers.
    mask = (1 << 64) - 1
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & mask
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & mask
    return x ^ (x >> 31)


@given(st.lists(st.integers(min_value=0, max_value=(1 << 64) - 1), max_size=50))
def test_mix64_equals_the_plain_finalizer(values: list[int]) -> None:
    x = np.asarray(values, dtype=np.uint64)
    kept = x.copy()
    expected = [_splitmix64_finalizer(v) for v in values]
    assert mix64(x).tolist() == expected
    assert np.array_equal(x, kept)  # mix64 leaves its input alone
    same = mix64_inplace(x)
    assert same is x
    assert x.tolist() == expected
    if values:
        assert int(mix64(np.uint64(values[0]))) == expected[0]


# --- session 12: the function-word table, prefixes of long tokens, kept n-grams ----------

_STOP_VALUES = st.sampled_from(_stop_hashes().tolist())
_ANY_U64 = st.integers(min_value=0, max_value=(1 << 64) - 1)


@given(st.lists(st.one_of(_STOP_VALUES, _ANY_U64, _STOP_VALUES.map(lambda v: v ^ 1)), max_size=60))
def test_stop_word_table_equals_the_binary_search(values: list[int]) -> None:
    th = np.asarray(values, dtype=np.uint64)
    assert stop_word_mask(th).tolist() == stop_word_mask_reference(th).tolist()
    assert stop_word_mask(th).tolist() == [v in set(_stop_hashes().tolist()) for v in values]


def test_stop_word_table_without_a_table_falls_back() -> None:
    th = np.concatenate([_stop_hashes(), np.arange(5, dtype=np.uint64)])
    with mock.patch("textforensics.duplicates.bags._stop_table", return_value=None):
        assert stop_word_mask(th).tolist() == [True] * len(_stop_hashes()) + [False] * 5


@given(texts, st.booleans())
def test_prefix_hashes_are_the_hashes_of_the_first_characters(text: str, ascii_only: bool) -> None:
    # Both paths of the prefix pass (a piece of ASCII bytes, a piece with others): each
    # token's prefix hash is the hash its first five characters have as a token.
    if ascii_only:
        text = text.encode("ascii", "ignore").decode()
    joined, lengths = joined_forms([text])
    _, _, prefixes, nchars = hash_joined_prefixes(joined, lengths, 5)
    words = joined.decode("utf-8", "surrogatepass").lower().split()
    words = [w for part in words for w in regex.findall(r"[\w]+", part)]
    assert nchars.tolist() == [len(w) for w in words]
    want, _ = token_hashes([" ".join(w[:5] for w in words)])
    assert prefixes.tolist() == want.tolist()


@given(st.lists(texts, max_size=5), st.integers(1, 5))
def test_unique_runs_of_the_flat_ngrams_are_the_shingles(batch: list[str], n: int) -> None:
    th, counts = text_hashes(batch, False)
    flat, sizes = ngram_flat(th, counts, n)
    before = flat.copy()
    got = unique_runs(flat, sizes)
    assert [g.tolist() for g in got] == [s.tolist() for s in ngram_hashes(th, counts, n)]
    assert np.array_equal(flat, before)


@given(st.lists(texts, max_size=8))
def test_batch_forms_with_repeated_runs_equal_shingle_form(batch: list[str]) -> None:
    # Runs repeat within and across texts (each distinct run is normalized once).
    batch = batch + batch[:2]
    joined, lengths = joined_forms(batch)
    forms = [shingle_form(t).encode("utf-8", "surrogatepass") for t in batch]
    assert joined == b" " + b" ".join(forms) + b" "
    assert lengths == [len(f) for f in forms]
