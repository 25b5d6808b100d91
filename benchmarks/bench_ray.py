"""textforensics.ray.find_duplicates on a local Ray against the local find_duplicates.

One command:  .venv/bin/python benchmarks/bench_ray.py [--n 100000] [--workers 2]

Both run on the same corpus (the generator of ``bench_duplicates.py``: ~4 KB documents
with planted near copies and rewrites) on the same machine. Prints documents per second of
each, the ratio, the CPU seconds of each (the Ray figure sums the driver and every process
of the local Ray it started, read from /proc), the Ray stage times, the bytes that entered
each shuffle (as Ray sized the blocks) per document, and the load average, and checks that
both give the same clusters. Needs the ``ray`` extra. The benchmark starts its own local
Ray (the library never does).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_duplicates import corpus


def tree_cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and all its live descendants, plus
    what their reaped children used (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        cpu[pid] = sum(int(f) for f in fields[11:15]) / tick
    mine = {os.getpid()}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parent.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                grew = True
    return sum(cpu.get(pid, 0.0) for pid in mine)


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="documents (default 100000)")
    ap.add_argument("--workers", type=int, default=2, help="Ray CPUs (default 2)")
    ap.add_argument("--object-store-mb", type=int, default=4000)
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--cc", default="auto", choices=["auto", "single", "distributed"])
    ap.add_argument("--skip-local", action="store_true")
    args = ap.parse_args()

    import pyarrow as pa
    import ray
    import ray.data

    from textforensics import find_duplicates as local_find_duplicates
    from textforensics.ray import find_duplicates_with_stats

    t = time.perf_counter()
    texts, planted = corpus(args.n)
    print(
        f"corpus: {len(texts)} documents, {sum(map(len, texts)) / len(texts):.0f} chars "
        f"({sum(len(t.encode()) for t in texts) / len(texts):.0f} UTF-8 bytes) on average, "
        f"{len(planted)} planted pairs "
        f"({time.perf_counter() - t:.1f} s to make)"
    )
    print(f"machine: {os.cpu_count()} cores (shared with other work), {load()}")

    local_clusters = None
    local_s = float("nan")
    if not args.skip_local:
        t = time.perf_counter()
        cpu0 = tree_cpu_seconds()
        report = local_find_duplicates(dict(enumerate(texts)), sample_rate=0)
        local_s = time.perf_counter() - t
        local_cpu = tree_cpu_seconds() - cpu0
        local_clusters = sorted(tuple(sorted(c.keys)) for c in report.clusters)
        print(
            f"local find_duplicates: {local_s:.1f} s, {len(texts) / local_s:,.0f} docs/s, "
            f"{len(report.clusters)} clusters, {report.candidate_pairs} candidate pairs, "
            f"{local_cpu:.1f} CPU s ({1e6 * local_cpu / len(texts):.0f} us/doc), {load()}"
        )

    ray.init(
        num_cpus=args.workers,
        include_dashboard=False,
        object_store_memory=args.object_store_mb * 1024 * 1024,
        log_to_driver=False,
        configure_logging=False,
    )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.shuffle_strategy = ray.data.context.ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    logging.basicConfig(level=logging.WARNING)
    table = pa.table({"id": list(range(len(texts))), "text": texts})
    blocks = max(args.workers * 4, len(texts) // 5000)
    step = -(-len(texts) // blocks)
    ds = ray.data.from_arrow([table.slice(i, step) for i in range(0, len(texts), step)])
    out_dir = Path(tempfile.mkdtemp(prefix="bench_ray_"))
    try:
        t = time.perf_counter()
        cpu0 = tree_cpu_seconds()
        stage_cpu: dict[str, float] = {}
        last = [cpu0]

        def on_stage(stage: str, seconds: float) -> None:
            now = tree_cpu_seconds()
            stage_cpu[stage] = stage_cpu.get(stage, 0.0) + now - last[0]
            last[0] = now

        out, stats = find_duplicates_with_stats(
            ds,
            id_column="id",
            cc_method=args.cc,
            num_partitions=args.partitions,
            on_stage=on_stage,
        )
        analysis_s = time.perf_counter() - t
        out.write_parquet(str(out_dir))
        ray_s = time.perf_counter() - t
        ray_cpu = tree_cpu_seconds() - cpu0
        stage_cpu["annotate+write"] = ray_cpu - sum(stage_cpu.values())
        written = ray.data.read_parquet(str(out_dir)).select_columns(["id", "cluster"])
        members: dict[int, list[int]] = {}
        for batch in written.iter_batches(batch_format="numpy", batch_size=None):
            for i, c in zip(batch["id"].tolist(), batch["cluster"].tolist(), strict=True):
                members.setdefault(c, []).append(i)
        ray_clusters = sorted(tuple(sorted(m)) for m in members.values() if len(m) > 1)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
        ray.shutdown()

    n = len(texts)
    print(
        f"ray find_duplicates ({args.workers} workers): {ray_s:.1f} s end to end "
        f"(analysis {analysis_s:.1f} s + annotate and write_parquet "
        f"{ray_s - analysis_s:.1f} s), {n / ray_s:,.0f} docs/s"
    )
    print(f"  {ray_cpu:.1f} CPU s in Ray's processes ({1e6 * ray_cpu / n:.0f} us/doc), {load()}")
    print("  stage                      wall s  wall us/doc    CPU s  CPU us/doc")
    for stage, cpu in stage_cpu.items():
        sec = stats.seconds.get(stage, ray_s - analysis_s)
        print(f"  {stage:<22} {sec:10.2f} {1e6 * sec / n:12.0f} {cpu:8.2f} {1e6 * cpu / n:11.0f}")
    shuffled = getattr(stats, "shuffled_bytes", {})
    for name, size in shuffled.items():
        print(f"  shuffled {name:<22} {size / 1e6:9.1f} MB  {size / n:8.0f} bytes/doc")
    if shuffled:
        total = sum(shuffled.values())
        print(f"  shuffled in all {'':<13} {total / 1e6:9.1f} MB  {total / n:8.0f} bytes/doc")
    else:  # a version without the measured sizes: its band rows as it documented them
        size = stats.digest_rows * 38 + stats.band_rows * 22
        print(f"  band rows (digest rows 38 bytes, band rows 22): ~{size / 1e6:.0f} MB")
    print(
        f"  {stats.wordings} wordings, {stats.digest_rows} digest rows, "
        f"{stats.band_rows} band rows ({getattr(stats, 'band_partitions', 0)} band partitions), "
        f"{stats.candidate_pairs} candidate "
        f"pairs ({stats.method}) of {getattr(stats, 'documents_in_pairs', '?')} documents, "
        f"{stats.verified_edges} verified edges, "
        f"{stats.clustered_documents} documents in {stats.clusters} clusters, "
        f"components: {stats.cc_method} ({stats.cc_rounds} rounds), "
        f"{stats.partitions} partitions"
    )
    if local_clusters is not None:
        print(f"ray / local throughput: {local_s / ray_s:.2f}x")
        print(f"same clusters as local: {ray_clusters == local_clusters}")


if __name__ == "__main__":
    main()
