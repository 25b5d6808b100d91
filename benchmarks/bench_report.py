"""The HTML report at corpus scale: ``textforensics report`` on 2,000 scraped pages, then
the page opened in headless chromium.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_report.py [--pages 2000]

The pages are the WCXB dev set (``../shared/eval/boilerplate/wcxb-dev.jsonl.gz``, 1,358
pages; read, never shipped) and, to reach ``--pages``, copies of the first ones with their
first line dropped (so there are duplicate clusters to show). Prints the time of each
stage, the page's size, the browser's load time, the time to open one file's section and
the JS heap in use.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "boilerplate" / "wcxb-dev.jsonl.gz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    args = ap.parse_args()

    from textforensics.app.files import read_text
    from textforensics.app.html import analyze, render_html, write_report

    with gzip.open(DEV, "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for i in range(args.pages):
            text = texts[i % len(texts)]
            if i >= len(texts):
                text = text.split("\n", 1)[-1]
            (pages / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        files = sorted(str(p) for p in pages.iterdir())
        chars = 0
        t0 = time.perf_counter()
        docs = {}
        for path in files:
            docs[path] = read_text(path)[0]
            chars += len(docs[path])
        t1 = time.perf_counter()
        report = analyze(docs)
        t2 = time.perf_counter()
        page = render_html(report)
        t3 = time.perf_counter()
        out = Path(tmp) / "report.html"
        write_report(str(out), page)
        t4 = time.perf_counter()
        size = out.stat().st_size
        findings = sum(len(f.findings) for f in report.files)
        removed = sum(len(f.removed) for f in report.files)
        print(f"{len(files)} files, {chars:,} characters")
        print(
            f"  read {t1 - t0:.1f} s, analyze {t2 - t1:.1f} s, render {t3 - t2:.2f} s, "
            f"write {t4 - t3:.2f} s: total {t4 - t0:.1f} s"
        )
        print(
            f"  {findings:,} findings, {removed:,} boilerplate blocks, "
            f"{len(report.clusters)} clusters"
        )
        print(f"  page: {size / 1e6:.1f} MB ({size / chars:.2f} bytes per input character)")

        executable = shutil.which("chromium")
        if executable is None:
            print("chromium not installed: browser figures skipped", file=sys.stderr)
            return 0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable)
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            t0 = time.perf_counter()
            tab.goto(out.as_uri(), wait_until="load", timeout=300_000)
            t1 = time.perf_counter()
            busiest = max(range(len(report.files)), key=lambda i: len(report.files[i].text))
            t2 = time.perf_counter()
            tab.click(f"a[href='#f{busiest}']")
            tab.wait_for_selector(f"#f{busiest}[data-done]", state="attached")
            t3 = time.perf_counter()
            heap = tab.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
            print(
                f"  chromium: load {t1 - t0:.2f} s; open the longest file "
                f"({len(report.files[busiest].text):,} chars) from the index {t3 - t2:.2f} s; "
                f"JS heap {heap / 1e6:.0f} MB"
            )
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
