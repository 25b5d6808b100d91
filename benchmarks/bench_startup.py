"""One-shot start-up time: ``import textforensics`` and ``textforensics scan FILE`` on a
small file, each the median of N fresh interpreter runs (wall clock).

    python benchmarks/bench_startup.py [N]

The target (issue 17) is at most 150 ms for each on an idle machine; the load average is
printed with the figures because on a shared machine it dominates them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _median_ms(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text("Pay the invoice with your p\u0430ypal account.\n", encoding="utf-8")
        rows = [
            ("python -c pass (interpreter alone)", [py, "-c", "pass"]),
            ("import textforensics", [py, "-c", "import textforensics"]),
            ("textforensics scan SMALL_FILE", [py, "-m", "textforensics", "scan", str(small)]),
        ]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"runs: {runs}, cores: {os.cpu_count()}, load average (1 min): {load:.1f}")
        for label, cmd in rows:
            print(f"{label:<40} median {_median_ms(cmd, runs):7.0f} ms")


if __name__ == "__main__":
    main()
