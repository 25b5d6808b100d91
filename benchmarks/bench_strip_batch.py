"""Batch ``strip`` against the one-process-per-file loop on dev-set pages.

    python benchmarks/bench_strip_batch.py [N_PAGES] [LOOP_RUNS]

Writes N_PAGES (default 2000) pages of the boilerplate dev set (1,358 pages, cycled) to a
temporary directory,
times ``textforensics strip DIR --output-dir OUT`` once, times LOOP_RUNS (default 20)
``textforensics strip FILE`` processes and extrapolates the loop to N_PAGES.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[1] / "../shared/eval/boilerplate/wcxb-dev.jsonl.gz"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    loop_runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        with gzip.open(DEV, "rt", encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f]
        for i in range(n):  # the dev set has fewer pages than N: cycled
            (pages / f"{i:05d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")
        files = sorted(pages.iterdir())
        cmd = [sys.executable, "-m", "textforensics", "strip"]
        started = time.perf_counter()
        subprocess.run([*cmd, str(pages), "--output-dir", str(Path(tmp) / "out"), "-q"], check=True)
        batch = time.perf_counter() - started
        started = time.perf_counter()
        for path in files[:loop_runs]:
            subprocess.run([*cmd, str(path)], check=True, stdout=subprocess.DEVNULL)
        per_file = (time.perf_counter() - started) / loop_runs
        print(f"pages: {len(files)}")
        print(f"batch strip DIR --output-dir: {batch:.1f} s")
        print(
            f"one process per file: {per_file:.2f} s each, {per_file * len(files):.0f} s "
            f"extrapolated to {len(files)} pages"
        )


if __name__ == "__main__":
    main()
