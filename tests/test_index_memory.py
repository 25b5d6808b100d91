"""What keeps ``DuplicateIndex`` add + query with the default stripping within 10x the
input's size in memory (issue 16; figures in ``docs/fuzzing_and_shapes.md``).

Its peak is the boilerplate stripper's own, reached once per call: the index path must
not keep anything large alive across the calls (in session 7 the first ``add`` imported
datasketch and scipy, about 50 MB resident, which then sat under the query's stripping:
10.7x) nor build what it does not read (the stripper's per-block results)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from textforensics.duplicates import maintext

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

_LINES = st.sampled_from(
    [
        "",
        "   ",
        "\t",
        "Home",
        "Privacy policy",
        "Subscribe to our newsletter",
        "Share this article",
        "All rights reserved",
        "The river rose through the night and the town woke to water in the streets.",
        "Officials said the bridge would stay closed until engineers had inspected it.",
        "Posted by anna_k on 3 March",
        "\u00a0",
        "\u2003word\u2003",
    ]
)
_PAGES = st.lists(_LINES, min_size=0, max_size=14).map("\n".join) | st.text(max_size=40)


@given(_PAGES, st.booleans(), st.booleans())
def test_text_only_call_gives_the_same_text(page: str, strip: bool, need_flag: bool) -> None:
    full = maintext.main_text(page, strip, need_flag=need_flag)
    text_only = maintext.main_text(page, strip, need_flag=need_flag, need_spans=False)
    assert text_only == (full[0], [], full[2])
    assert maintext.cut(page, full[1]) == full[0]


@given(st.text())
def test_blank_test_is_strip(text: str) -> None:
    assert maintext._not_blank(text) == bool(text.strip())


def test_main_texts_on_the_seeds_equal_the_full_call() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    assert maintext.main_texts(texts) == [maintext.main_text(t, True)[0] for t in texts]


def test_default_index_imports_neither_datasketch_nor_scipy() -> None:
    """Add, query, save and load with the default parameters and stripping: importing
    datasketch (and scipy with it) adds about 50 MB resident, which stayed under the next
    call's stripping."""
    code = (
        "import sys, tempfile, os, textforensics as tf\n"
        "page = open(sys.argv[1], encoding='utf-8').read()\n"
        "index = tf.DuplicateIndex()\n"
        "index.add('a', page)\n"
        "index.add('b', page[: len(page) // 2])\n"
        "assert [m.key for m in index.query(page)][0] == 'a'\n"
        "with tempfile.TemporaryDirectory() as d:\n"
        "    path = os.path.join(d, 'index.tfi')\n"
        "    index.save(path)\n"
        "    assert tf.DuplicateIndex.load(path).keys() == ['a', 'b']\n"
        "loaded = [m for m in ('datasketch', 'scipy') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    seed = str(next(SEEDS.glob("003_*.txt")))
    subprocess.run([sys.executable, "-c", code, seed], check=True, env=env, timeout=120)
