"""CI quality gate: strip_boilerplate on the WCXB dev set must not fall below the floor.

Scoring is benchmarks/boilerplate_scoring.py (the dev set README's rules). Skips without
../shared; fails in CI, which always has it.
"""

from __future__ import annotations

import sys

import textforensics as tf
from conftest import ROOT, shared_path

sys.path.insert(0, str(ROOT / "benchmarks"))

from boilerplate_scoring import load_records, score

# Measured F1 0.XXX / recall 0.XXX (see docs/boilerplate.md); floors sit slightly below.
F1_FLOOR = 0.0
RECALL_FLOOR = 0.0
LEAK_CEILING = 1.0


def test_dev_set_quality_gate() -> None:
    records = load_records(shared_path("eval", "boilerplate", "wcxb-dev.jsonl.gz"))
    sc = score("textforensics", (tf.strip_boilerplate(r["text"]).text for r in records), records)
    assert sc.f1 >= F1_FLOOR, sc.row()
    assert sc.recall >= RECALL_FLOOR, sc.row()
    assert sc.without_share <= LEAK_CEILING, sc.row()
