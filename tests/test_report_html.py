"""``textforensics report``: the self-contained HTML page, generated in-process and looked
at in a real headless chromium (Debian's ``chromium``, driven by Playwright's Python
package; ``scripts/test.sh`` installs both)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cli_helpers import run
from textforensics.app.html import analyze, file_body, render_html

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return f"seeds/{path.name}"


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        from textforensics.cli import main

        assert main(["report", "seeds/", "-o", str(out), "-q"]) == 0
    finally:
        os.chdir(cwd)
    return out


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)


# --- the page as text --------------------------------------------------------------------------


def test_seeds_report_is_self_contained(seeds_report: Path) -> None:
    page = seeds_report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # No network and no external asset: nothing is loaded from anywhere.
    assert not re.search(r"""<(link|img|iframe)\b|\bsrc\s*=|url\(|@import""", page)
    assert "default-src 'none'" in page
    assert "4 files, 1 homoglyph and hidden-character findings, 28 boilerplate blocks" in page
    # One JSON island per file, each valid JSON.
    islands = re.findall(r'<script type="application/json" id="d(\d+)">(.*?)</script>', page)
    assert [int(i) for i, _ in islands] == [0, 1, 2, 3]
    body = json.loads(islands[1][1])
    (marked,) = [s for b in body["blocks"] for s in b[2] if not isinstance(s, str)]
    assert marked == [0, [["V", ""], ["е", "c"], ["rshinin", ""]]]
    assert "U+0435 CYRILLIC SMALL LETTER IE" in body["tips"][0]
    assert "fix: replace U+0435 with 'e'" in body["tips"][0]


def test_report_cli_message_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("plain text\n", encoding="utf-8")
    out = tmp_path / "r.html"
    r = run(
        capsys, "report", str(tmp_path / "a.txt"), str(tmp_path / "missing.txt"), "-o", str(out)
    )
    assert r.code == 2  # the missing file is an input error; the others are still reported
    assert "missing.txt" in r.err
    assert "Wrote" in r.err
    assert out.is_file()
    assert (out.stat().st_mode & 0o777) != 0o600  # not the temporary file's private mode
    r = run(capsys, "report", str(tmp_path / "a.txt"))
    assert r.code == 2
    assert "-o/--output" in r.err
    r = run(capsys, "report", str(tmp_path / "a.txt"), "-o", str(tmp_path / "no" / "r.html"))
    assert r.code == 2
    assert "cannot write the report" in r.err


HOSTILE = (
    "</script><script>window.pwned = 1</script>\n"
    '<img src=x onerror="window.pwned = 2"> & <b>bold</b> --> <!-- ]]>\n'
    "p\u0430ypal \u202eevil\u202c \u2028 end\n"
)


def test_hostile_content_is_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = tmp_path / "<b>x<i>.txt"
    name.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "r.html"
    assert run(capsys, "report", str(name), "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    assert "window.pwned" in page  # the text is there...
    assert "<script>window.pwned" not in page  # ...but never as markup
    assert "<img" not in page
    assert "<b>x<i>" not in page
    assert "\u202e" not in page  # bidi controls are shown as badges, never raw
    # Only our two kinds of script element exist: the JSON island and the page's own script.
    assert len(_scripts(page)) == 2
    (island,) = re.findall(r'<script type="application/json" id="d0">(.*?)</script>', page)
    body = json.loads(island)
    assert _shown(body) == HOSTILE.replace("\u202e", "<U+202E>").replace("\u202c", "<U+202C>")


def _shown(body: dict[str, Any]) -> str:
    """The text a file's section displays, from its JSON."""
    return "".join(
        s if isinstance(s, str) else "".join(p[0] for p in s[1])
        for b in body["blocks"]
        for s in b[2]
    )


_ALPHABET = st.characters(
    codec="utf-8",
    exclude_characters="<",
    exclude_categories=("Cs",),
)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=300))
@example("AA\u0345")  # two findings on one word (seed 31 of the seeded pass)
def test_body_segments_rebuild_the_text(text: str) -> None:
    """Whatever the text, the segments in order are the text (hidden characters only
    replaced by their visible ``<U+XXXX>`` badges) and every tip index is valid."""
    (fr,) = analyze({"f.txt": text}).files
    body = file_body(fr)
    restored = re.sub(r"<U\+([0-9A-F]{4,6})>", lambda m: chr(int(m.group(1), 16)), _shown(body))
    assert restored == text
    marks = [s for b in body["blocks"] for s in b[2] if not isinstance(s, str)]
    assert all(0 <= m[0] < len(body["tips"]) for m in marks)
    assert {m[0] for m in marks} == set(range(len(body["tips"])))  # every tip is used
    assert len(body["shows"]) == len(body["tips"])
    shown = {i for combo in body["shows"] for i in combo}
    assert shown == set(range(len(fr.findings)))  # every finding is reachable
    removed = [b for b in body["blocks"] if b[0] is not None]
    assert len(removed) == len(fr.removed)


def _corpus(n: int, seed: int = 7) -> dict[str, str]:
    """``n`` distinct scraped-looking pages, a few near copies and some boilerplate."""
    rng = random.Random(seed)
    words = (SEEDS / f"{_seed('000')[6:]}").read_text(encoding="utf-8").split()
    docs: dict[str, str] = {}
    for i in range(n):
        paras = []
        for _ in range(rng.randint(3, 8)):
            start = rng.randrange(len(words) - 60)
            paras.append(" ".join(rng.sample(words[start : start + 60], 40)) + ".")
        if i % 5 == 0:
            paras.append("Subscribe to our newsletter for more stories like this.")
        if i % 50 == 0:
            paras.insert(1, "The m\u0430rket opened low.\u200b")
        docs[f"pages/{i:04d}.txt"] = "\n\n".join(paras) + "\n"
    for i in range(0, n, 200):  # near copies: the same page with a line dropped
        src = docs[f"pages/{i:04d}.txt"]
        docs[f"pages/{i:04d}-copy.txt"] = src.split("\n\n", 1)[1]
    return docs


@pytest.mark.slow
def test_two_thousand_files_in_reasonable_time_and_size() -> None:
    docs = _corpus(2000)
    started = time.perf_counter()
    report = analyze(docs)
    page = render_html(report)
    elapsed = time.perf_counter() - started
    text_bytes = sum(len(t.encode("utf-8")) for t in docs.values())
    size = len(page.encode("utf-8"))
    assert len(report.files) == len(docs)
    assert len(report.clusters) >= 10  # the near copies
    # Bounded by the work of the detectors on ~2,000 pages on a busy 2-core machine.
    assert elapsed < 240, f"{elapsed:.1f} s"
    # The page carries each text once (as JSON) plus a bounded overhead per file.
    assert size < 2 * text_bytes + 2_000 * 1_500, (size, text_bytes)
    # Lazy: no file body is rendered as elements in the HTML itself.
    assert page.count('<div class="body"></div>') == len(docs)


# --- in a real browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    why = None
    if executable is None:
        why = "Debian's chromium is not installed (scripts/test.sh installs it as root)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        why = why or "the playwright package is not installed (pip install -e '.[test]')"
    if why:
        if os.environ.get("CI"):
            pytest.fail(why + "; CI must have it")
        pytest.skip(why)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, seeds_report: Path) -> Iterator[Any]:
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(seeds_report.as_uri())
    yield pg
    # Only the page itself was loaded: no network, no asset.
    assert requests == [seeds_report.as_uri()]
    pg.close()


def test_browser_homoglyph_highlighted_with_hover(page: Any) -> None:
    section = page.locator("#f1")
    assert section.locator(".hg").count() == 0  # lazy: not rendered before it is opened
    section.locator("summary").click()
    page.wait_for_selector("#f1[data-done]", state="attached")  # rendered on the toggle event
    mark = section.locator(".hg", has_text="rshinin")
    assert mark.count() == 1
    mark.scroll_into_view_if_needed()
    assert mark.is_visible()
    assert mark.inner_text() == "Vеrshinin"
    assert mark.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    fault = mark.locator(".c")
    assert fault.inner_text() == "е"
    tip = page.locator("#tip")
    assert not tip.is_visible()
    mark.hover()
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "TF101 confusable" in text
    assert "U+0435 CYRILLIC SMALL LETTER IE" in text
    assert "fix: replace U+0435 with 'e'" in text


def test_browser_boilerplate_struck_through_with_kinds(page: Any) -> None:
    page.click("#f3 > summary")
    page.wait_for_selector("#f3[data-done]", state="attached")  # rendered on the toggle event
    blocks = page.locator("#f3 del.bp")
    assert blocks.count() == 28
    kinds = set(blocks.evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert kinds == {
        "comments",
        "disclaimer",
        "call_to_action",
        "credit",
        "related_links",
        "navigation",
    }
    first = blocks.first
    first.scroll_into_view_if_needed()
    assert first.is_visible()
    assert "line-through" in first.evaluate("e => getComputedStyle(e).textDecorationLine")
    labels = page.locator("#f3 .bp-label")
    assert labels.count() == 28
    assert labels.first.is_visible()
    assert labels.first.inner_text() == first.get_attribute("data-kind")
    # The files without boilerplate lose nothing.
    for i in (0, 1, 2):
        page.click(f"#f{i} > summary")
        page.wait_for_selector(f"#f{i}[data-done]", state="attached")
        assert page.locator(f"#f{i} del.bp").count() == 0


def test_browser_cluster_passages_side_by_side(page: Any) -> None:
    cluster = page.locator("#c1")
    assert cluster.is_visible()
    assert _seed("000") in cluster.inner_text()
    assert _seed("001") in cluster.inner_text()
    assert page.locator("#c2").count() == 0
    a = cluster.locator(".passage.a").first
    b = cluster.locator(".passage.b").first
    assert a.is_visible()
    assert b.is_visible()
    box_a, box_b = a.bounding_box(), b.bounding_box()
    assert box_a["x"] + box_a["width"] <= box_b["x"]  # left and right
    assert abs(box_a["y"] - box_b["y"]) < 2  # on the same row
    assert "According to Syria TV" in b.inner_text()


def test_browser_index_link_opens_the_section(page: Any) -> None:
    page.click(f"table.index a:text('{_seed('003')}')")
    assert page.locator("#f3").evaluate("d => d.open")
    assert page.locator("#f3 del.bp").count() == 28


def test_browser_hostile_file_does_not_break_out(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "r.html"
    from textforensics.cli import main

    assert main(["report", str(tmp_path / "evil.txt"), "-o", str(out), "-q"]) == 0
    pg = browser.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(out.as_uri())
    pg.click("#f0 > summary")
    assert pg.evaluate("window.pwned === undefined")
    assert pg.locator("#f0 .body img, #f0 .body b").count() == 0
    body = pg.locator("#f0 .body").inner_text()
    assert "</script><script>window.pwned = 1</script>" in body
    assert "<U+202E>evil<U+202C>" in body
    assert not dialogs
    pg.close()
