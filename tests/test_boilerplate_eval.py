"""CI quality gate: strip_boilerplate on the WCXB dev set must not fall below the floor.

Scoring is benchmarks/boilerplate_scoring.py (the dev set README's rules). To stay well
under a minute, the gate scores a fixed quarter of the set (every 4th page); the full
set is scored by benchmarks/eval_boilerplate.py. Skips without ../shared; fails in CI,
which always has it.
"""

from __future__ import annotations

import sys

import textforensics as tf
from conftest import ROOT, shared_path

sys.path.insert(0, str(ROOT / "benchmarks"))

from boilerplate_scoring import load_records, score

# Measured on this quarter (340 pages; 2026-12-07, session 10, threshold 0.36, with the
# repeated-record and section rules): P 0.857, R 0.909, F1 0.882, without leaked 7.6%
# (session 9: P 0.830, R 0.909, F1 0.868, 7.7%; session 11, with the item counters and
# the shop phrases: P 0.857, R 0.909, F1 0.882, 7.5%; session 12, records' template check
# and two-title own text: P 0.856, R 0.911, F1 0.883, 7.5%). Floors sit slightly below and
# only go up (docs/boilerplate.md).
F1_FLOOR = 0.877
RECALL_FLOOR = 0.907
LEAK_CEILING = 0.085


def test_dev_set_quality_gate() -> None:
    records = load_records(shared_path("eval", "boilerplate", "wcxb-dev.jsonl.gz"))[::4]
    sc = score("textforensics", (tf.strip_boilerplate(r["text"]).text for r in records), records)
    assert sc.f1 >= F1_FLOOR, sc.row()
    assert sc.recall >= RECALL_FLOOR, sc.row()
    assert sc.without_share <= LEAK_CEILING, sc.row()
