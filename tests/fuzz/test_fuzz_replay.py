"""Replay every fuzz corpus file through the harness invariants (no atheris needed).

``tests/fuzz/corpus/<harness>/`` holds the seed inputs and whatever the fuzzers found that is
worth keeping (crashes once fixed become regression inputs here). Inputs that still hit a
bug filed in issue 16 live in ``tests/fuzz/known/`` and are not replayed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_checks import CHECKS, CORPUS_DIR, KNOWN_DIR, InvariantError, run_one

CASES = sorted(CORPUS_DIR.glob("*/*"))


def test_every_harness_has_a_corpus_and_a_script() -> None:
    assert {p.parent.name for p in CASES} == set(CHECKS)
    here = Path(__file__).parent
    assert {p.stem.removeprefix("fuzz_") for p in here.glob("fuzz_*.py")} - {"checks"} == set(
        CHECKS
    )


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_input_keeps_the_invariants(path: Path) -> None:
    run_one(path.parent.name, path.read_bytes())


def test_known_inputs_are_not_in_the_corpus() -> None:
    corpus = {(p.parent.name, p.read_bytes()) for p in CASES}
    known = [p for p in KNOWN_DIR.glob("*/*") if (p.parent.name, p.read_bytes()) in corpus]
    assert not known


def test_checks_catch_a_broken_invariant() -> None:
    """The harness checks are not vacuous: a result that breaks a promise is caught."""
    from fuzz_checks import _check_findings

    import textforensics as tf

    text = "p\u0430y"
    (finding,) = tf.find_homoglyphs(text)
    shifted = [tf.find_homoglyphs("x" + text)[0]]
    _check_findings(text, [finding])
    with pytest.raises(InvariantError):
        _check_findings(text, shifted)
