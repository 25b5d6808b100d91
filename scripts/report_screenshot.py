"""Make docs/report.png and docs/report-boilerplate.png: the seeds' HTML report in chromium.

    PYTHONPATH=src .venv/bin/python scripts/report_screenshot.py [--out docs/report.png]

Needs Debian's ``chromium`` and the ``playwright`` package (both installed by
``scripts/test.sh``); Playwright drives the system browser, nothing is downloaded. The
shot shows the index, the duplicate cluster's aligned passages, seed 001 with its
highlighted homoglyph hovered, and the start of seed 003's struck-through boilerplate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "report.png"))
    ap.add_argument("--out-boilerplate", default=str(ROOT / "docs" / "report-boilerplate.png"))
    args = ap.parse_args()
    executable = shutil.which("chromium")
    if executable is None:
        print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from textforensics.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "report.html"
        os.chdir(ROOT)
        if cli(["report", "seeds/", "-o", str(page_path), "-q"]) != 0:
            return 1
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable)
            page = browser.new_page(viewport={"width": 1200, "height": 1400})
            page.goto(page_path.as_uri())
            # Keep the shot compact: the cluster's first passage, then the two open files.
            page.add_style_tag(content=".passages>:nth-child(n+4){display:none}")
            page.click("#f1 > summary")
            page.click("#f3 > summary")
            page.evaluate("window.scrollTo(0, 0)")
            box = page.locator("#f1 .hg").first.bounding_box()
            assert box is not None
            # The mouse moves onto the mark without scrolling, so the index stays in the shot.
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.screenshot(path=args.out, full_page=False)
            # The second shot: seed 003's boilerplate, struck through and labelled.
            page.set_viewport_size({"width": 1200, "height": 760})
            page.locator("#f3 > summary").scroll_into_view_if_needed()
            page.evaluate("document.querySelector('#f3').scrollIntoView()")
            page.mouse.move(0, 0)
            page.screenshot(path=args.out_boilerplate, full_page=False)
            browser.close()
    print(f"wrote {args.out} and {args.out_boilerplate}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
