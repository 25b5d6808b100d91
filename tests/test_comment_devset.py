"""The comment dev set generator (benchmarks/comment_devset.py) and its scorer.

Runs on a small synthetic stand-in for the WCXB dev set, so it needs no ../shared; skips
where the bench extra (html-text, babel, faker) is not installed.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT

pytest.importorskip("html_text")
pytest.importorskip("babel")
pytest.importorskip("faker")

sys.path.insert(0, str(ROOT / "benchmarks"))

from boilerplate_scoring import fold
from comment_devset import FAMILIES, build_records
from comment_locales import LANGUAGES, UI
from eval_comments import score_page

ARTICLE = (
    "The harbour town rebuilt its sea wall after the winter storms of last year.",
    "Engineers chose local granite because it weathers slowly and can be repaired by hand.",
    "Residents were asked to vote on the design in a public meeting at the town hall.",
    "The last stones were set in March, and the promenade reopened to walkers in May.",
)


def _page(i: int) -> dict[str, Any]:
    main = "\n\n".join(f"{s} Part {i} of the story goes on a little longer." for s in ARTICLE)
    text = (
        f"Sea wall rebuilt {i} | Harbour News\n\nHome\nNews\nSport\n\n{main}\n\n"
        "Related stories\n\nSubscribe to our newsletter\n\n© Harbour News"
    )
    return {
        "id": f"{i:04d}",
        "page_type": "article",
        "domain": f"site{i}.example",
        "text": text,
        "main": main,
        "with": [f"Part {i} of the story"],
        "without": ["Subscribe to our newsletter"],
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dev") / "dev.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(6):
            f.write(json.dumps(_page(i)) + "\n")
        f.write(json.dumps({**_page(99), "page_type": "forum"}) + "\n")
    return path


@pytest.fixture(scope="module")
def records(source: Path) -> list[dict[str, Any]]:
    return build_records(per_cell=1, seed=5, source=source)


def test_every_family_and_language_once(records: list[dict[str, Any]]) -> None:
    cells = {(r["family"], r["language"]) for r in records}
    assert cells == {(f, lang) for f in FAMILIES for lang in LANGUAGES}
    assert len(records) == len(cells)
    assert all(r["source_id"] != "0099" for r in records)  # articles only


def test_every_language_has_every_ui_string() -> None:
    keys = set(UI["en"])
    assert all(set(UI[lang]) == keys for lang in LANGUAGES)


def test_thread_sits_after_the_article_and_the_page_is_otherwise_unchanged(
    records: list[dict[str, Any]],
) -> None:
    for r in records:
        text, cs, ce = r["text"], r["comment_start"], r["comment_end"]
        assert text[cs:ce] == r["comment_text"]
        original = _page(int(r["source_id"]))["text"]
        assert text[: cs - 2] + text[ce:] == original
        assert r["placement"] == "after_article"
        assert text.index(r["main"].split("\n\n")[-1]) < cs < text.index("Related stories")
        assert r["without"]
        for snip in r["without"]:
            assert fold(snip) in fold(r["comment_text"])
            assert fold(snip) not in fold(original)


def test_deterministic(source: Path, records: list[dict[str, Any]]) -> None:
    again = build_records(per_cell=1, seed=5, source=source, families=["disqus"])
    first = [r for r in records if r["family"] == "disqus"]
    assert [r["text"] for r in again] == [r["text"] for r in first]


def test_scorer_bounds(records: list[dict[str, Any]]) -> None:
    for r in records[:: len(LANGUAGES)]:
        without_thread = r["text"][: r["comment_start"] - 2] + r["text"][r["comment_end"] :]
        kept_all = score_page(r, r["text"], without_thread)
        assert kept_all.leaked_tokens == kept_all.comment_tokens > 0
        assert kept_all.recalled == kept_all.base_recalled == kept_all.main_tokens
        assert kept_all.without_leaked == kept_all.without_total
        stripped = score_page(r, without_thread, without_thread)
        assert stripped.leaked_tokens == 0
        assert stripped.without_leaked == 0
        assert stripped.recalled == stripped.main_tokens


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), family=st.sampled_from(FAMILIES))
def test_any_seed_gives_a_consistent_record(source: Path, seed: int, family: str) -> None:
    (r,) = build_records(per_cell=1, seed=seed, families=[family], languages=["ru"], source=source)
    assert r["text"][r["comment_start"] : r["comment_end"]] == r["comment_text"]
    assert r["comment_text"].strip() == r["comment_text"]
    assert "<" not in r["comment_text"].replace("<3", "")  # converted, no markup left
    half = score_page(r, r["main"], r["main"])
    assert half.leaked_tokens == 0
    assert half.recalled == half.main_tokens
