"""Issue 16, memory of a fix: the batched findings of a dense text (``homoglyphs.batches``)
are exactly ``find_homoglyphs``' fixable findings, a fix's plan is built when read, and the
token hasher's cached tables stay bounded."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from textforensics.duplicates import shingles
from textforensics.homoglyphs.batches import fixable_batches
from textforensics.results import FixResult, deferred
from textforensics.vocab import FIXABLE_KINDS

_PIECES = [
    "p\u0430yp\u0430l",
    "g\u043e\u043egle",
    "\u0430\u0440\u0440\u04cf\u0435",
    "\u03bf\u03c1\u03b5\u03bd",
    "hello",
    "world",
    "\u0661\u0662",
    "12",
    "pay\u034f\u034fpal",
    "e\u0301",
    "\u200d",
    "\u200c",
    "\ufe0f",
    "\u202e",
    "\U0001f600",
    "\U000e0041",
    "\u0425\u0410",
    "\r",
]
_SEPARATORS = st.sampled_from([" ", " ", "\n", "", "  ", "\r\n"])
_DENSE = st.lists(st.tuples(st.sampled_from(_PIECES), _SEPARATORS), min_size=40, max_size=400)


def _text(pieces: list[tuple[str, str]]) -> str:
    return "".join(a + b for a, b in pieces)


def _fixable(text: str) -> list[tf.HomoglyphFinding]:
    return [f for f in tf.find_homoglyphs(text) if f.kind in FIXABLE_KINDS]


@settings(max_examples=30, deadline=None)
@given(_DENSE, st.integers(1, 300), st.integers(1, 40))
def test_batches_are_the_fixable_findings_in_order(
    pieces: list[tuple[str, str]], part: int, batch: int
) -> None:
    text = _text(pieces)
    got = [f for found in fixable_batches(text, part=part, batch=batch) for f in found]
    assert got == _fixable(text)


def test_batches_of_a_large_dense_text_split_and_agree() -> None:
    text = _text([(p, " " if i % 7 else "\n") for i, p in enumerate(_PIECES * 300)])
    batches = list(fixable_batches(text, part=512, batch=64))
    assert len(batches) > 10  # the dense path, in many steps
    assert [f for found in batches for f in found] == _fixable(text)


def test_one_line_without_spaces_is_one_part() -> None:
    text = "p\u0430yp\u0430l\u00b7" * 3000  # no ASCII space: no cut inside the chunk
    assert [f for found in fixable_batches(text, part=100) for f in found] == _fixable(text)


@settings(max_examples=12, deadline=None)
@given(_DENSE)
def test_fix_of_a_dense_text_replays_and_is_stable(pieces: list[tuple[str, str]]) -> None:
    text = _text(pieces) * 3
    result = tf.fix_homoglyphs(text)
    assert tf.apply_plan(text, result.plan) == result.text
    assert all(text[s.start : s.end] == s.old for s in result.plan)
    findings = result.findings
    assert [(f.start, f.end) for f in findings] == sorted((f.start, f.end) for f in findings)
    again = tf.fix_homoglyphs(text)
    assert again == result  # the deferred fields compare as built ones
    assert again.to_dict() == result.to_dict()


def test_plan_is_built_when_read_and_findings_apart() -> None:
    text = "p\u0430yp\u0430l " * 50
    result = tf.fix_homoglyphs(text)
    plan = result.plan
    assert len(plan) == 100
    assert result.plan is plan
    assert result.text == "paypal " * 50
    assert {f.kind for f in result.findings} == {"confusable"}
    other = tf.fix_homoglyphs(text)
    assert len(other.findings) == len(result.findings)  # findings first, then the plan
    assert other.plan == plan


def test_deferred_fields_each_from_their_own_function() -> None:
    calls: list[str] = []

    def plan() -> tuple[()]:
        calls.append("plan")
        return ()

    def findings() -> tuple[()]:
        calls.append("findings")
        return ()

    result = deferred(FixResult, {"text": "x"}, {"plan": plan, "findings": findings})
    assert result.plan == ()
    assert calls == ["plan"]
    assert result.plan == ()
    assert calls == ["plan"]
    assert result.findings == ()
    assert calls == ["plan", "findings"]
    assert result == FixResult(text="x", plan=(), findings=())


def test_hasher_tables_stay_bounded_with_a_long_token() -> None:
    long_word = "x" * (shingles._CACHED_POWERS + 1000)
    texts = [f"a b {long_word} c d", "a b c d"]
    th, counts = shingles.text_hashes(texts, False)
    assert len(shingles._POWERS.tables(1)[0]) <= shingles._CACHED_POWERS
    assert len(shingles._SCRATCH.work) <= shingles._CACHED_POWERS
    # The same token hashes as in a short text: a token's hash does not depend on where
    # it is or on how its piece was built.
    (th2, _) = shingles.text_hashes([long_word], False)
    assert int(th[2]) == int(th2[0])
    assert counts.tolist() == [5, 4]
    assert np.array_equal(th[:2], th[5:7])
