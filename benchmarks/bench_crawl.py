"""Benchmark: corpus deduplication on a crawl-like corpus, side by side (issue 14).

One command (from the repository root)::

    .venv/bin/python benchmarks/bench_crawl.py                      # 3k and 30k, every part
    .venv/bin/python benchmarks/bench_crawl.py --sizes 3000 --part corpus
    .venv/bin/python benchmarks/bench_crawl.py --part compare
    .venv/bin/python benchmarks/bench_crawl.py --part calibration
    .venv/bin/python benchmarks/bench_crawl.py --part profile --sizes 3000
    .venv/bin/python benchmarks/bench_crawl.py --part sources --sizes 3000
    .venv/bin/python benchmarks/bench_crawl.py --sizes 3000 --part corpus,compare \
        --old-src /path/to/old/src --systems ours-nostrip,ours-near,ours,datasketch,rensa

A system name may end in ``@N`` (``ours-nostrip@2``): ``processes=N`` instead of the
default. ``--old-src DIR`` times another source tree side by side in the same run: in ``corpus``
each system of ``--old-systems`` (default ``ours-nostrip,ours-near``) runs a second time
as ``old:<system>`` with that tree's package (right before the new one), and ``compare``
runs once per tree, old first, each in its own subprocess.

``corpus``: for each size a corpus from ``benchmarks/crawl_corpus.py`` (real text,
overlapping windows, syndicated paragraphs, site templates, planted pairs) is written to
a temporary file, and each system runs on it in its own subprocess, which loads the
corpus, then times only the pipeline:

- ``ours``: ``find_duplicates(docs)`` with its defaults (stripping on);
- ``ours-nostrip``: ``strip_boilerplate=False`` (the peers do not strip);
- ``ours-near``: near-copy verdicts only. ``find_duplicates`` has no tier parameter, so
  this sets the rewrite thresholds above 1: the candidates still come from the
  rewrite tier's LSH, only the verdicts change (what a near-copy-only tier would cost
  is therefore *not* measured here);
- ``datasketch``: word 3-gram shingles of ``shingle_form(text)`` (the same normalization
  as ours), ``MinHash(num_perm=128)`` + ``update_batch`` per document, one
  ``MinHashLSH(threshold=0.1)`` (our rewrite tier's LSH threshold, hence the same 64
  bands of 2 rows), insert all, query each, union-find over the candidates;
- ``rensa``: the same shingles, ``RMinHash.from_token_sets`` (full-set R-MinHash),
  ``RMinHashLSH(0.1, 128, 64)``, ``insert_many`` + ``query_all``, union-find.

The peers' candidates are not verified (a common LSH dedup pipeline); ours are verified
exactly. Recall of a planted pair is given two ways: ``pair`` (ours: a verified edge
between the two keys; peers: an LSH candidate pair) and ``clu`` (same cluster). Peak
memory is ``ru_maxrss`` of the subprocess (``RUSAGE_SELF``, or ``RUSAGE_CHILDREN`` when a
worker process was larger): the largest single process, including the loaded corpus,
whose size after loading is printed as ``base``. The machine load (``os.getloadavg``)
is printed before and after each size: figures from a loaded machine are noisy.

``compare``: pairs per second of ``compare(a, b)`` (defaults) on two ~4 KB texts (a
planted light rewrite pair), and of a datasketch comparison (two MinHashes from the
shingles, ``jaccard``); then on pairs of ~4 KB prose documents (``prose_docs``: one-line
paragraphs of the pool, the texts the stripper's gate is for). ``calibration``: today's
``compare`` on heavy paraphrases of dev-set articles vs same-topic negatives
(``benchmarks/paraphrase.py``): min / median / max of rewrite-tier Jaccard and larger
containment per class, and the verdicts.
``sources``: the CPU cost and planted-pair recall of LSH alone against LSH plus the
sampled shingles (``sample_rate``), on main texts cut once, in one process.
``profile``: cProfile of ``find_duplicates`` (defaults, then ``processes=1``: with a
worker pool cProfile sees only the parent), top 15 by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# TF_BENCH_SRC: another source tree to time (the workers of --old-src set it).
sys.path.insert(0, os.environ.get("TF_BENCH_SRC") or str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from crawl_corpus import PLANTED_CLASSES, generate, load_pool, prose_docs  # noqa: E402

import textforensics as tf  # noqa: E402
from textforensics import duplicates as dup  # noqa: E402
from textforensics.text import tokens  # noqa: E402

SYSTEMS = ("ours", "ours-nostrip", "ours-near", "datasketch", "rensa")
NUM_PERM = dup.DEFAULT_NUM_PERM
LSH_THRESHOLD = dup.REWRITE_TIER.lsh_threshold


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    """User + system CPU of this process and its waited-for children (worker pools)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def shingles3(text: str) -> list[str]:
    ws = tokens(dup.shingle_form(text).lower())
    if len(ws) < 3:
        return [" ".join(ws)] if ws else []
    return list({" ".join(ws[i : i + 3]) for i in range(len(ws) - 2)})


def components(keys: Sequence[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    parent = {k: k for k in keys}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {k: find(k) for k in keys}


# --- one system in a subprocess ---------------------------------------------------------


def run_ours(
    docs: dict[str, str], variant: str
) -> tuple[set[frozenset[str]], dict[str, str], dict[str, Any]]:
    variant = variant.removeprefix("old:")
    kwargs: dict[str, Any] = {}
    if "@" in variant:  # e.g. ours-nostrip@2: that many processes instead of the default
        variant, procs = variant.split("@")
        kwargs["processes"] = int(procs)
    if variant == "ours-nostrip":
        kwargs["strip_boilerplate"] = False
    elif variant == "ours-near":
        kwargs["thresholds"] = dup.Thresholds(rewrite_jaccard=2.0, rewrite_containment=2.0)
    rep = tf.find_duplicates(docs, **kwargs)
    edges: set[frozenset[str]] = set()
    label: dict[str, str] = {}
    verdicts: dict[frozenset[str], str] = {}
    for c in rep.clusters:
        for k in c.keys:
            label[k] = c.representative
        for p in c.pairs:
            edges.add(frozenset((p.a, p.b)))
            verdicts[frozenset((p.a, p.b))] = p.verdict
    # Excerpt edges join no cluster but are found pairs (a pipeline can keep or drop them).
    for p in getattr(rep, "excerpts", ()):
        edges.add(frozenset((p.a, p.b)))
        verdicts[frozenset((p.a, p.b))] = p.verdict
    extra = {
        "candidates": rep.candidate_pairs,
        "method": rep.method,
        "clusters": len(rep.clusters),
        "largest": max((len(c.keys) for c in rep.clusters), default=0),
        "excerpt_edges": len(getattr(rep, "excerpts", ())),
        "verdicts": verdicts,
        "report": rep,
    }
    return edges, label, extra


def run_datasketch(
    docs: dict[str, str],
) -> tuple[set[frozenset[str]], dict[str, str], dict[str, Any]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    mhs: dict[str, Any] = {}
    with lsh.insertion_session() as session:
        for k, t in docs.items():
            m = MinHash(num_perm=NUM_PERM, seed=dup.DEFAULT_SEED)
            m.update_batch([s.encode("utf-8") for s in shingles3(t)])
            mhs[k] = m
            session.insert(k, m, check_duplication=False)
    edges = {frozenset((k, j)) for k, m in mhs.items() for j in lsh.query(m) if j != k}
    return edges, {}, {"candidates": len(edges), "b_r": [lsh.b, lsh.r]}


def run_rensa(docs: dict[str, str]) -> tuple[set[frozenset[str]], dict[str, str], dict[str, Any]]:
    from rensa import RMinHash, RMinHashLSH

    keys = list(docs)
    mhs = RMinHash.from_token_sets([shingles3(docs[k]) for k in keys], NUM_PERM, dup.DEFAULT_SEED)
    bands, _rows = dup.lsh_params(LSH_THRESHOLD, NUM_PERM)
    lsh = RMinHashLSH(LSH_THRESHOLD, NUM_PERM, bands)
    lsh.insert_many(mhs, 0)
    edges = {
        frozenset((keys[i], keys[j]))
        for i, found in enumerate(lsh.query_all(mhs))
        for j in found
        if j != i
    }
    return edges, {}, {"candidates": len(edges), "bands": bands}


def worker(system: str, corpus_path: str, out_path: str) -> None:
    with open(corpus_path, encoding="utf-8") as f:
        data = json.load(f)
    docs: dict[str, str] = data["docs"]
    labels = [tuple(x) for x in data["labels"]]
    del data
    base = rss_mb()
    if system == "datasketch":
        import datasketch  # noqa: F401  (import time is not the pipeline's)
    elif system == "rensa":
        import rensa  # noqa: F401
    t = time.perf_counter()
    cpu = cpu_seconds()
    if ours(system):
        edges, label, extra = run_ours(docs, system)
    elif system == "datasketch":
        edges, label, extra = run_datasketch(docs)
    else:
        edges, label, extra = run_rensa(docs)
    seconds = time.perf_counter() - t
    cpu = cpu_seconds() - cpu
    if not label:
        label = components(list(docs), (tuple(e) for e in edges))  # type: ignore[misc]
    verdicts = extra.pop("verdicts", {})
    report = extra.pop("report", None)
    if report is not None:
        # Outside the timing: a digest of the whole report, to compare trees' results.
        text = json.dumps(report.to_dict(), sort_keys=True, ensure_ascii=False)
        extra["report_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    recall: dict[str, dict[str, Any]] = {}
    for cls in PLANTED_CLASSES:
        mine = [(a, b) for a, b, c in labels if c == cls]
        pair = sum(frozenset((a, b)) in edges for a, b in mine)
        clu = sum(label.get(a, a) == label.get(b, b) for a, b in mine)
        vc = Counter(verdicts.get(frozenset((a, b)), "-") for a, b in mine)
        recall[cls] = {"n": len(mine), "pair": pair, "clu": clu, "verdicts": dict(vc)}
        if ours(system):
            # Outside the timing: was a missed pair rejected by verification (compare
            # calls it unrelated too) or never a candidate?
            missed = [(a, b) for a, b in mine if frozenset((a, b)) not in edges]
            plain = system.split("@")[0]
            kw: dict[str, Any] = {"strip_boilerplate": not plain.endswith("ours-nostrip")}
            if plain.endswith("ours-near"):
                kw["thresholds"] = dup.Thresholds(rewrite_jaccard=2.0, rewrite_containment=2.0)
            recall[cls]["missed_compare"] = dict(
                Counter(
                    tf.compare(docs[a], docs[b], evidence=False, **kw).verdict for a, b in missed
                )
            )
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = {
        "system": system,
        "docs": len(docs),
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": max(self_kb, child_kb) / 1024,
        "base_mb": base,
        "recall": recall,
        "pairs": len(edges),
        **extra,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


def ours(system: str) -> bool:
    return system.removeprefix("old:").startswith("ours")


# --- parts -------------------------------------------------------------------------------


def bench_corpus(
    sizes: Sequence[int],
    systems: Sequence[str],
    seed: int,
    timeout: float,
    old_src: str | None = None,
    old_systems: Sequence[str] = (),
) -> None:
    pool = load_pool()
    for n in sizes:
        print(f"\n== {n} documents  (load {load()} before)")
        t = time.perf_counter()
        corpus = generate(n, seed=seed, pool=pool)
        print(f"corpus generated in {time.perf_counter() - t:.1f} s: {corpus.stats}")
        results: dict[str, dict[str, Any]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "corpus.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"docs": corpus.docs, "labels": corpus.labels}, f)
            del corpus
            runs = []
            for system in systems:
                if old_src and system in old_systems:
                    runs.append("old:" + system)
                runs.append(system)
            for system in runs:
                out = os.path.join(tmp, f"{system.replace(':', '_')}.json")
                cmd = [sys.executable, __file__, "--worker", system, "--corpus", path, "--out", out]
                env = dict(os.environ)
                env.pop("TF_BENCH_SRC", None)
                if system.startswith("old:"):
                    env["TF_BENCH_SRC"] = str(old_src)
                try:
                    subprocess.run(cmd, check=True, timeout=timeout, env=env)
                except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
                    print(f"{system}: failed ({type(e).__name__})")
                    continue
                with open(out, encoding="utf-8") as f:
                    results[system] = json.load(f)
                r = results[system]
                digest = f", report sha256 {r['report_sha256']}" if "report_sha256" in r else ""
                print(
                    f"  {system:13s} done: {r['seconds']:.2f} s (load {load()}){digest}",
                    flush=True,
                )
        print_table(results)
        print(f"(load {load()} after)")


def print_table(results: dict[str, dict[str, Any]]) -> None:
    head = f"{'system':17s} {'docs/s':>8s} {'sec':>7s} {'cpu s':>7s} {'peakMB':>7s} "
    head += f"{'baseMB':>7s} {'pairs':>8s}"
    for cls in PLANTED_CLASSES:
        head += f" {cls[:9] + ' pair/clu':>18s}"
    print(head)
    for system, r in results.items():
        row = (
            f"{system:17s} {r['docs'] / r['seconds']:8.0f} {r['seconds']:7.2f} {r['cpu']:7.2f} "
            f"{r['peak_mb']:7.0f} {r['base_mb']:7.0f} {r['pairs']:8d}"
        )
        for cls in PLANTED_CLASSES:
            rc = r["recall"][cls]
            cell = f"{rc['pair']}/{rc['clu']} of {rc['n']}"
            row += f" {cell:>18s}"
        print(row)
    for system, r in results.items():
        if ours(system):
            v = {c: r["recall"][c]["verdicts"] for c in PLANTED_CLASSES}
            print(f"  {system} verdicts on planted pairs: {v}")
            m = {c: r["recall"][c].get("missed_compare", {}) for c in PLANTED_CLASSES}
            print(f"  {system} compare() on the missed planted pairs: {m}")
            print(
                f"  {system}: {r['candidates']} candidates ({r['method']}), "
                f"{r['clusters']} clusters, largest {r['largest']}, "
                f"{r.get('excerpt_edges', 0)} excerpt edges"
            )
    mine = [s for s in results if ours(s)]
    for name in mine:
        for peer in ("datasketch", "rensa"):
            if peer in results:
                ratio = results[peer]["seconds"] / results[name]["seconds"]
                cpu_ratio = results[peer]["cpu"] / results[name]["cpu"]
                print(f"  speed {name}/{peer}: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU")
    for name in mine:
        old = "old:" + name
        if old in results:
            ratio = results[old]["seconds"] / results[name]["seconds"]
            cpu_ratio = results[old]["cpu"] / results[name]["cpu"]
            print(f"  speed {name} new/old: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU")


def bench_compare(seed: int, seconds: float = 3.0) -> None:
    from datasketch import MinHash

    corpus = generate(400, seed=seed)
    a, b, _ = next(x for x in corpus.labels if x[2] == "rewrite")
    ta, tb = corpus.docs[a][:4096], corpus.docs[b][:4096]
    print(f"\n== compare on two texts of {len(ta)} and {len(tb)} chars (load {load()})")
    print(f"(textforensics from {Path(tf.__file__).parent.parent})")

    def rate(fn: Any, per_call: int = 1) -> float:
        # Pairs per CPU second of this process: wall time on a shared machine says more
        # about the other jobs than about this code.
        fn()
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - t0 < seconds:
            fn()
            n += per_call
        return n / max(1e-9, time.process_time() - c0)

    def ds() -> float:
        m1 = MinHash(num_perm=NUM_PERM, seed=dup.DEFAULT_SEED)
        m1.update_batch([s.encode("utf-8") for s in shingles3(ta)])
        m2 = MinHash(num_perm=NUM_PERM, seed=dup.DEFAULT_SEED)
        m2.update_batch([s.encode("utf-8") for s in shingles3(tb)])
        return float(m1.jaccard(m2))

    # 100 different pairs of ~4 KB texts (planted pairs of every class) for the batch.
    batch = [(corpus.docs[x][:4096], corpus.docs[y][:4096]) for x, y, _ in corpus.labels[:100]]

    def one_by_one(**kw: Any) -> None:
        for x, y in batch:
            tf.compare(x, y, **kw)

    # One text against 100 others (a query against candidates): compare_many strips and
    # shingles the shared text once, compare pair by pair 100 times.
    fan = [(ta, y) for _, y in batch]

    def fan_one_by_one(**kw: Any) -> None:
        for x, y in fan:
            tf.compare(x, y, **kw)

    # 100 pairs of ~4 KB prose documents (one-line paragraphs of the pool, no headings or
    # page furniture: the texts the stripper's gate passes for the most part).
    docs = prose_docs(200)
    prose = list(zip(docs[0::2], docs[1::2], strict=True))[:100]

    c = tf.compare(ta, tb)
    rows = [
        ("compare (defaults)", rate(lambda: tf.compare(ta, tb))),
        ("compare (defaults), evidence read", rate(lambda: tf.compare(ta, tb).evidence)),
        ("compare (evidence=False)", rate(lambda: tf.compare(ta, tb, evidence=False))),
        (
            "compare (no stripping)",
            rate(lambda: tf.compare(ta, tb, strip_boilerplate=False)),
        ),
        ("compare x 100 pairs (defaults)", rate(one_by_one, len(batch))),
        ("compare_many(100 pairs) (defaults)", rate(lambda: tf.compare_many(batch), len(batch))),
        (
            "compare x 100 pairs (no stripping)",
            rate(lambda: one_by_one(strip_boilerplate=False), len(batch)),
        ),
        (
            "compare_many(100 pairs) (no stripping)",
            rate(lambda: tf.compare_many(batch, strip_boilerplate=False), len(batch)),
        ),
        ("compare x 100, one text in all (defaults)", rate(fan_one_by_one, len(fan))),
        ("compare_many(one text vs 100) (defaults)", rate(lambda: tf.compare_many(fan), len(fan))),
        (
            "compare x 100, one text in all (no strip)",
            rate(lambda: fan_one_by_one(strip_boilerplate=False), len(fan)),
        ),
        (
            "compare_many(one text vs 100) (no strip)",
            rate(lambda: tf.compare_many(fan, strip_boilerplate=False), len(fan)),
        ),
        (
            "strip_boilerplate, 2 texts",
            rate(lambda: (tf.strip_boilerplate(ta).text, tf.strip_boilerplate(tb).text)),
        ),
        ("datasketch 2 x MinHash", rate(ds)),
        ("compare (defaults), two prose documents", rate(lambda: tf.compare(*prose[0]))),
        (
            "compare x 100 prose pairs (defaults)",
            rate(lambda: [tf.compare(x, y) for x, y in prose], len(prose)),
        ),
        ("compare_many(100 prose pairs) (defaults)", rate(lambda: tf.compare_many(prose), 100)),
        (
            "compare_many(100 prose pairs) (no stripping)",
            rate(lambda: tf.compare_many(prose, strip_boilerplate=False), 100),
        ),
    ]
    print(f"verdict {c.verdict}, score {c.score:.3f}, datasketch jaccard estimate {ds():.3f}")
    for name, value in rows:
        print(f"{name:40s} {value:9.1f} pairs/CPU-s")
    print(f"ratio ours (defaults) / datasketch: {rows[0][1] / rows[-1][1]:.2f}x")
    print(f"(load {load()} after)")


def bench_calibration(seed: int, n: int = 100) -> None:
    import paraphrase as pp

    arts = pp.article_texts(pp.load_records())
    by_id = {i: t for i, _, t in arts}
    print(f"\n== calibration of today's compare: {n} pairs per class (load {load()})")
    classes: dict[str, list[tuple[str, str]]] = {"light": [], "heavy": [], "same_topic": []}
    for k, (_, _, text) in enumerate(arts[:n]):
        src = text[:4000]
        classes["light"].append((src, pp.paraphrase(src, change=0.2, seed=seed + k)))
        classes["heavy"].append((src, pp.paraphrase(src, change=0.55, seed=seed + k)))
    for x, y, _ in pp.same_topic_pairs(arts, n, seed=seed):
        classes["same_topic"].append((by_id[x][:4000], by_id[y][:4000]))
    print(
        f"{'class':11s} {'n':>4s} {'changed':>17s} {'rewrite.jaccard':>20s} "
        f"{'containment':>20s}  verdicts"
    )
    # Heavy pairs by share of words changed (0.x bands): [unrelated, found].
    by_band: dict[int, list[int]] = {b: [0, 0] for b in range(5)}
    for cls, pairs in classes.items():
        jac, con, chg = [], [], []
        verdicts: Counter[str] = Counter()
        for a, b in pairs:
            c = tf.compare(a, b, evidence=False)
            jac.append(c.rewrite.jaccard)
            con.append(max(c.rewrite.containment_a_in_b, c.rewrite.containment_b_in_a))
            chg.append(pp.changed_share(a, b))
            verdicts[c.verdict] += 1
            if cls == "heavy":
                by_band[min(4, int(chg[-1] * 10))][c.verdict != "unrelated"] += 1

        def mmm(v: list[float]) -> str:
            return f"{min(v):.3f}/{statistics.median(v):.3f}/{max(v):.3f}"

        print(
            f"{cls:11s} {len(pairs):4d} {mmm(chg):>17s} {mmm(jac):>20s} "
            f"{mmm(con):>20s}  {dict(verdicts)}"
        )
    bands = ", ".join(
        f"{b / 10:.1f}-{(b + 1) / 10:.1f}: {f}/{u + f}" if b < 4 else f">=0.4: {f}/{u + f}"
        for b, (u, f) in by_band.items()
        if u + f
    )
    print(f"heavy pairs found (not unrelated) by share of words changed: {bands}")
    th = dup.DEFAULT_THRESHOLDS
    print(
        f"(rewrite thresholds: jaccard {th.rewrite_jaccard}, containment {th.rewrite_containment}; "
        "min/median/max; 'changed' = share of words changed)"
    )


def bench_profile(n: int, seed: int) -> None:
    corpus = generate(n, seed=seed)
    # With the default worker pool the parent mostly waits for its workers (cProfile
    # sees only the parent), so the same call is also profiled in one process.
    for processes in (None, 1):
        print(
            f"\n== cProfile of find_duplicates(processes={processes}) on {n} documents "
            f"(load {load()})"
        )
        prof = cProfile.Profile()
        prof.enable()
        tf.find_duplicates(corpus.docs, processes=processes)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(15)


def bench_sources(n: int, seed: int) -> None:
    """The cost and the recall of the two candidate sources side by side, in one process:
    the corpus's main texts are cut once (not timed), then ``find_duplicates`` runs on
    them without stripping, with LSH alone (``sample_rate=0``) and with the sampled
    shingles too (the default), alternately, twice each."""
    corpus = generate(n, seed=seed)
    keys = list(corpus.docs)
    main = dict(zip(keys, dup.main_texts([corpus.docs[k] for k in keys]), strict=True))
    print(f"\n== candidate sources on the main texts of {n} documents (load {load()})")
    for _ in range(2):
        for rate in (0, dup.SAMPLE_RATE):
            c0 = time.process_time()
            rep = tf.find_duplicates(main, strip_boilerplate=False, sample_rate=rate, processes=1)
            cpu = time.process_time() - c0
            edges = {frozenset((p.a, p.b)) for p in rep.excerpts}
            edges |= {frozenset((p.a, p.b)) for c in rep.clusters for p in c.pairs}
            cells = []
            for cls in PLANTED_CLASSES:
                mine = [(a, b) for a, b, c in corpus.labels if c == cls]
                cells.append(f"{cls} {sum(frozenset(p) in edges for p in mine)}/{len(mine)}")
            print(
                f"sample_rate={rate}: {cpu:6.2f} CPU-s, {rep.candidate_pairs} candidates, "
                f"{len(rep.clusters)} clusters, {len(rep.excerpts)} excerpt edges; "
                f"{', '.join(cells)} (load {load()})"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="3000,30000")
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument(
        "--part",
        default="all",
        help="all, or a comma-separated list of corpus, compare, calibration, profile, sources",
    )
    ap.add_argument("--old-src", help="another source tree to time side by side")
    ap.add_argument("--old-systems", default="ours-nostrip,ours-near")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=1800.0, help="per system and size, seconds")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.corpus, args.out)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    parts = set(args.part.split(","))
    every = "all" in parts
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {load()}")
    if every or "corpus" in parts:
        bench_corpus(
            sizes,
            args.systems.split(","),
            args.seed,
            args.timeout,
            args.old_src,
            args.old_systems.split(","),
        )
    if every or "compare" in parts:
        if args.old_src:
            # One subprocess per tree, old first: each imports only its own package.
            for src in (args.old_src, None):
                env = dict(os.environ)
                env.pop("TF_BENCH_SRC", None)
                if src:
                    env["TF_BENCH_SRC"] = src
                cmd = [sys.executable, __file__, "--part", "compare", "--seed", str(args.seed)]
                subprocess.run(cmd, check=True, env=env)
        else:
            bench_compare(args.seed)
    if every or "calibration" in parts:
        bench_calibration(args.seed)
    if every or "profile" in parts:
        bench_profile(sizes[0], args.seed)
    if every or "sources" in parts:
        bench_sources(sizes[0], args.seed)


if __name__ == "__main__":
    main()
