"""The benchmark generators of issue 14: benchmarks/paraphrase.py and crawl_corpus.py.

They are dev-set generators, not library code, but benchmark figures and calibration
rest on their labels, so their contracts are tested here: seeded determinism, the share
of words changed, planted labels that point at real documents.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import crawl_corpus as cc
import paraphrase as pp


def _pool(seeds: dict[str, str]) -> cc.Pool:
    paragraphs = [
        p.strip() for t in seeds.values() for p in re.split(r"\n\s*\n", t) if len(p.strip()) >= 40
    ]
    sents = [s for p in paragraphs for s in pp.sentences(p) if len(s) >= 30]
    sites = (
        ("Home | News | Sport", "Privacy policy\nAll rights reserved."),
        ("Menu", "Contact us"),
    )
    return cc.Pool(tuple(paragraphs), tuple(sents), sites)


def test_paraphrase_is_seeded(seeds: dict[str, str]) -> None:
    text = seeds["000"]
    assert pp.paraphrase(text, change=0.5, seed=3) == pp.paraphrase(text, change=0.5, seed=3)
    assert pp.paraphrase(text, change=0.5, seed=3) != pp.paraphrase(text, change=0.5, seed=4)


def test_heavy_changes_more_than_light(seeds: dict[str, str]) -> None:
    for text in seeds.values():
        light = pp.changed_share(text, pp.paraphrase(text, change=0.2, seed=1))
        heavy = pp.changed_share(text, pp.paraphrase(text, change=0.55, seed=1))
        assert 0.05 < light < heavy
        assert heavy > 0.3


def test_synonym_list_is_a_few_hundred_entries() -> None:
    assert len(pp.SYNONYMS) >= 300
    assert all(subs and all(s.strip() == s and s for s in subs) for subs in pp.SYNONYMS.values())


@given(st.text(max_size=300), st.integers(0, 5), st.floats(0.0, 1.0))
def test_paraphrase_total_and_share_bounded(text: str, seed: int, change: float) -> None:
    out = pp.paraphrase(text, change=change, seed=seed)
    assert isinstance(out, str)
    share = pp.changed_share(text, out)
    assert 0.0 <= share <= 1.0
    assert share == pp.changed_share(out, text)
    assert pp.changed_share(text, text) == 0.0


def test_generate_is_seeded_and_labels_point_at_documents(seeds: dict[str, str]) -> None:
    pool = _pool(seeds)
    a = cc.generate(80, seed=5, pool=pool, doc_chars=1500)
    b = cc.generate(80, seed=5, pool=pool, doc_chars=1500)
    assert a.docs == b.docs
    assert a.labels == b.labels
    assert len(a.docs) == 80
    counts = {c: sum(1 for x in a.labels if x[2] == c) for c in cc.PLANTED_CLASSES}
    assert len(set(counts.values())) == 1
    assert min(counts.values()) >= 1
    for key_a, key_b, cls in a.labels:
        assert key_a in a.docs
        assert key_b in a.docs
        assert key_a != key_b
        if cls == "excerpt":
            assert len(a.docs[key_b]) < len(a.docs[key_a])


def test_same_topic_pairs_never_share_a_passage() -> None:
    base = "the council voted on the budget for schools and roads in the city this week"
    arts = [
        ("1", "a.org", base + " officials said taxes would rise"),
        ("2", "b.org", base + " and residents were unhappy about it"),  # shares 8-grams with 1
        ("3", "c.org", "roads schools budget council city taxes residents week voted officials"),
        ("4", "d.org", "a recipe for bread with flour water salt and yeast baked slowly"),
    ]
    pairs = pp.same_topic_pairs(arts, 5, seed=0)
    ids = [i for x, y, _ in pairs for i in (x, y)]
    assert len(ids) == len(set(ids))
    assert ("1", "2") not in {(x, y) for x, y, _ in pairs}
    assert ("2", "1") not in {(x, y) for x, y, _ in pairs}
