"""textforensics.ray.find_duplicates on a local Ray against the local find_duplicates.

One command:  .venv/bin/python benchmarks/bench_ray.py [--n 100000] [--workers 2]

Both run on the same corpus (the generator of ``bench_duplicates.py``: ~4 KB documents
with planted near copies and rewrites) on the same machine. Prints documents per second of
each, the ratio, the Ray stage times and the sizes that drive the shuffles, and checks that
both give the same clusters. Needs the ``ray`` extra. The benchmark starts its own local Ray
(the library never does).
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
        f"on average, {len(planted)} planted pairs ({time.perf_counter() - t:.1f} s to make)"
    )
    print(f"machine: {os.cpu_count()} cores (shared with other work: timings are noisy)")

    local_clusters = None
    local_s = float("nan")
    if not args.skip_local:
        t = time.perf_counter()
        report = local_find_duplicates(dict(enumerate(texts)), sample_rate=0)
        local_s = time.perf_counter() - t
        local_clusters = sorted(tuple(sorted(c.keys)) for c in report.clusters)
        print(
            f"local find_duplicates: {local_s:.1f} s, {len(texts) / local_s:,.0f} docs/s, "
            f"{len(report.clusters)} clusters, {report.candidate_pairs} candidate pairs"
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
        out, stats = find_duplicates_with_stats(
            ds, id_column="id", cc_method=args.cc, num_partitions=args.partitions
        )
        analysis_s = time.perf_counter() - t
        out.write_parquet(str(out_dir))
        ray_s = time.perf_counter() - t
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
    for stage, sec in stats.seconds.items():
        print(f"  stage {stage:<22} {sec:8.2f} s  {1e6 * sec / n:8.0f} us/doc")
    print(
        f"  {stats.wordings} wordings, {stats.digest_rows} digest rows of 38 bytes and "
        f"{stats.band_rows} band rows of 22 bytes "
        f"(~{(stats.digest_rows * 38 + stats.band_rows * 22) / 1e6:.0f} MB shuffled), "
        f"{stats.candidate_pairs} candidate "
        f"pairs ({stats.method}), {stats.verified_edges} verified edges, "
        f"{stats.clustered_documents} documents in {stats.clusters} clusters, "
        f"components: {stats.cc_method} ({stats.cc_rounds} rounds), "
        f"{stats.partitions} partitions"
    )
    text_mb = sum(len(t.encode()) for t in texts) / 1e6
    print(
        f"  text: {text_mb:.0f} MB in the corpus (only the texts of documents in pairs "
        "enter the verification joins)"
    )
    if local_clusters is not None:
        print(f"ray / local throughput: {local_s / ray_s:.2f}x")
        print(f"same clusters as local: {ray_clusters == local_clusters}")


if __name__ == "__main__":
    main()
