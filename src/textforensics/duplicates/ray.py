"""Corpus deduplication on Ray Data, with the same clusters as the local
:func:`textforensics.find_duplicates` with ``sample_rate=0`` (LSH candidates only: the
sampled-shingle source of :mod:`.samples` is not distributed yet).

Needs the extra: ``pip install 'textforensics[ray]'``. ``import textforensics`` never
imports this module (nor Ray). The library never calls ``ray.init`` or ``ray.shutdown``:
it runs on whatever cluster the caller connected to.

Stages (each a Ray Data operator, so Ray's own progress bars and ``Dataset.stats()`` show
them; timings and counts are also returned in :class:`RayDedupStats` and logged to the
``textforensics.ray`` logger):

1. ``signatures`` (``map_batches`` over whole blocks, materialized, never shuffled): the
   local stage functions (normalization, token digest, datasketch-compatible signatures)
   give each document's id, 128-bit token digest and rewrite-tier signature
   (:func:`~.ray_bands.signature_table`).
2. ``candidates``: identical wordings from one digest row per document (hash shuffle by
   digest); then, as locally (from ``all_pairs_below`` wordings), near-identical wordings
   sharing a strict band of ``NEAR_IDENTICAL_ROWS`` rows are grouped (links collected,
   union-find on the driver) and only each group's smallest id enters LSH. The LSH bands
   (every pairing of the rewrite tier) are split into ``band_partitions`` groups of bands
   that read few signature positions (:func:`~.ray_bands.band_plan`), and each remaining
   representative sends one row per group: its id and those positions' values, not one
   row per band. Each group's task computes the band keys and pairs every bucket with the
   local :func:`~textforensics.duplicates.candidate_pairs_from_band_keys`.
3. ``verify`` (two hash shuffles, after a broadcast semi-join that keeps only the
   documents in pairs): each such document's main text is cut once, and its shingle form,
   zstd-compressed, meets each pair it is in; then the local
   :func:`~textforensics.duplicates.verify.judge` decides each pair exactly
   (:mod:`.ray_verify`; as locally: content-word pairs included; ``excerpt`` pairs join
   no cluster and are not reported). A document without words (all-empty signature)
   joins no wording and no band, so it relates to nothing, as locally.
4. ``components``: one task (union-find) or iterative large-star/small-star rounds, each
   round materialized.
5. ``representatives``: each member's verdict against its cluster's smallest id.
6. ``annotate`` (lazy ``map_batches`` over the input): the output columns.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import ray
import ray.data

from .corpus import NEAR_IDENTICAL_ROWS
from .corpus import find_duplicates as local_find_duplicates
from .distributed import (
    DIGEST_BAND,
    KIND_IDENTICAL,
    KIND_REP,
    bucket_pairs,
    large_star,
    partition_of,
    small_star,
    star_roots,
    union_find,
    unique_edges,
)
from .minhash import DEFAULT_NUM_PERM, DEFAULT_SEED
from .ray_bands import (
    PAIR_SCHEMA,
    band_plan,
    block_band_rows,
    block_candidate_partition,
    column_i64,
    digest_rows,
    signature_table,
)
from .ray_verify import collect, verify_pairs, verify_partition
from .verify import DEFAULT_THRESHOLDS, VERDICTS, Thresholds

__all__ = [
    "OUTPUT_COLUMNS",
    "RayDedupStats",
    "find_duplicates",
    "find_duplicates_with_stats",
    "verify_partition",
]

logger = logging.getLogger("textforensics.ray")

_LOCAL_DEFAULTS = {
    name: p.default for name, p in inspect.signature(local_find_duplicates).parameters.items()
}

OUTPUT_COLUMNS = ("cluster", "cluster_size", "is_duplicate", "verdict", "score")
"""Columns added to every row: ``cluster`` (the smallest id of the row's cluster, its own
id when it is unique), ``cluster_size`` (1 when unique), ``is_duplicate`` (in a cluster
and not its representative: drop these rows to deduplicate), ``verdict`` and ``score``
against the representative (null for the representative and unique rows)."""

CCMethod = Literal["auto", "single", "distributed"]

I64 = npt.NDArray[np.int64]


@dataclass(slots=True)
class RayDedupStats:
    """What a run did: seconds per stage and the sizes that drive its cost."""

    seconds: dict[str, float] = field(default_factory=dict)
    documents: int = 0
    wordings: int = 0
    band_rows: int = 0
    digest_rows: int = 0
    candidate_pairs: int = 0
    documents_in_pairs: int = 0
    method: str = ""
    identical_edges: int = 0
    wordless: int = 0
    verified_edges: int = 0
    cc_method: str = ""
    cc_rounds: int = 0
    clustered_documents: int = 0
    clusters: int = 0
    partitions: int = 0
    band_partitions: int = 0
    shuffled_bytes: dict[str, int] = field(default_factory=dict)
    """Bytes that entered each shuffle, as Ray sized the blocks: ``digests``, ``bands``
    (both the strict and the LSH pass), and the two shuffles of each verification
    (``verify forms``, ``verify pairs``, ``representatives forms``, ``representatives
    pairs``)."""


# --- UDFs (module level, so Ray workers import them from the installed package) ---------


def candidate_partition(group: pa.Table, *, max_bucket: int) -> pa.Table:
    """Stage 2a UDF: one hash partition of digest rows -> identical edges and wording
    representatives (as :func:`bucket_pairs` finds them in digest rows)."""
    dh = column_i64(group, "dh")
    a, b, kind = bucket_pairs(
        np.full(dh.size, DIGEST_BAND, np.int64),
        dh,
        column_i64(group, "id"),
        dh,
        column_i64(group, "dl"),
        max_bucket,
    )
    return pa.Table.from_arrays([pa.array(a), pa.array(b), pa.array(kind)], schema=PAIR_SCHEMA)


def select_kind(batch: pa.Table, *, kind: int) -> pa.Table:
    """Rows of one ``kind`` (as ``a``, ``b``)."""
    k = np.asarray(batch.column("kind").to_numpy(zero_copy_only=False))
    mask = pa.array(k == kind)
    return batch.filter(mask).select(["a", "b"])


_EDGE_SCHEMA = pa.schema([("lo", pa.int64()), ("hi", pa.int64()), ("new", pa.bool_())])
_ROOT_SCHEMA = pa.schema([("node", pa.int64()), ("root", pa.int64())])


def union_find_task(batch: pa.Table) -> pa.Table:
    """Stage 4 UDF (single task): the whole edge list -> ``(node, root)``."""
    nodes, roots = union_find(column_i64(batch, "a"), column_i64(batch, "b"))
    return pa.Table.from_arrays([pa.array(nodes), pa.array(roots)], schema=_ROOT_SCHEMA)


_DIRECTED_SCHEMA = pa.schema([("u", pa.int64()), ("v", pa.int64()), ("part", pa.int32())])


def directed_rows(batch: pa.Table, *, both: bool, num_partitions: int) -> pa.Table:
    """Stage 4 UDF: undirected edges ``(lo, hi)`` as directed rows keyed by their source:
    both directions (large-star) or from the larger end only (small-star)."""
    lo = column_i64(batch, "lo")
    hi = column_i64(batch, "hi")
    if both:
        u, v = np.concatenate([lo, hi]), np.concatenate([hi, lo])
    else:
        u, v = hi, lo
    return pa.Table.from_arrays(
        [pa.array(u), pa.array(v), pa.array(partition_of(u, num_partitions))],
        schema=_DIRECTED_SCHEMA,
    )


def initial_edges(batch: pa.Table) -> pa.Table:
    """Stage 4 UDF: verified edges ``(a, b)`` as the first round's ``(lo, hi, new)``."""
    lo, hi = unique_edges(column_i64(batch, "a"), column_i64(batch, "b"))
    return pa.Table.from_arrays(
        [pa.array(lo), pa.array(hi), pa.array(np.zeros(lo.size, bool))], schema=_EDGE_SCHEMA
    )


def star_partition(group: pa.Table, *, large: bool) -> pa.Table:
    """Stage 4 UDF: one large-star or small-star step on one node partition."""
    step = large_star if large else small_star
    lo, hi, new = step(column_i64(group, "u"), column_i64(group, "v"))
    return pa.Table.from_arrays([pa.array(lo), pa.array(hi), pa.array(new)], schema=_EDGE_SCHEMA)


def annotate(
    batch: pa.Table,
    *,
    id_column: str,
    nodes: I64,
    roots: I64,
    sizes: I64,
    verdict_codes: npt.NDArray[np.int8],
    scores: npt.NDArray[np.float64],
) -> pa.Table:
    """Stage 6 UDF: add :data:`OUTPUT_COLUMNS` to a batch of the input."""
    ids = column_i64(batch, id_column)
    if nodes.size:
        pos = np.minimum(np.searchsorted(nodes, ids), nodes.size - 1)
        found = nodes[pos] == ids
    else:
        pos = np.zeros(ids.size, np.int64)
        found = np.zeros(ids.size, bool)
    cluster = np.where(found, roots[pos] if nodes.size else ids, ids)
    size = np.where(found, sizes[pos] if nodes.size else 1, 1)
    dup = found & (cluster != ids)
    codes = np.where(dup, verdict_codes[pos] if nodes.size else -1, -1)
    verdict = pa.array([VERDICTS[c] if c >= 0 else None for c in codes.tolist()], pa.string())
    score = pa.array(
        np.where(dup, scores[pos] if nodes.size else 0.0, 0.0), pa.float64(), mask=~dup
    )
    for name, col in (
        ("cluster", pa.array(cluster.astype(np.int64))),
        ("cluster_size", pa.array(size.astype(np.int64))),
        ("is_duplicate", pa.array(dup)),
        ("verdict", verdict),
        ("score", score),
    ):
        if name in batch.column_names:
            batch = batch.drop_columns([name])
        batch = batch.append_column(name, col)
    return batch


def _row_index(batch: pa.Table, *, name: str) -> pa.Table:
    return batch.rename_columns([name])


# --- driver -------------------------------------------------------------------------------


class _Timer:
    def __init__(self, stats: RayDedupStats, on_stage: Callable[[str, float], None]) -> None:
        self.stats = stats
        self.on_stage = on_stage
        self.t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stats.seconds[stage] = self.stats.seconds.get(stage, 0.0) + now - self.t
        self.on_stage(stage, now - self.t)
        self.t = now


def _components_distributed(
    edges: ray.data.Dataset, partitions: int, max_rounds: int, stats: RayDedupStats
) -> tuple[I64, I64]:
    cur = edges.map_batches(initial_edges, batch_format="pyarrow").materialize()
    for round_ in range(1, max_rounds + 1):
        changed = 0
        for large in (True, False):
            cur = (
                cur.map_batches(
                    directed_rows,
                    batch_format="pyarrow",
                    fn_kwargs={"both": large, "num_partitions": partitions},
                )
                .groupby("part", num_partitions=partitions)
                .map_groups(star_partition, batch_format="pyarrow", fn_kwargs={"large": large})
                .materialize()
            )
            changed += int(cur.sum("new") or 0) if cur.count() else 0
        stats.cc_rounds = round_
        logger.info("components: round %d, %d edges changed", round_, changed)
        if changed == 0:
            break
    else:
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    got = collect(cur, ["lo", "hi"])
    return star_roots(got["lo"], got["hi"])


def find_duplicates_with_stats(
    ds: ray.data.Dataset,
    text_column: str = "text",
    id_column: str | None = None,
    *,
    strip_boilerplate: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    num_perm: int = DEFAULT_NUM_PERM,
    seed: int = DEFAULT_SEED,
    all_pairs_below: int = _LOCAL_DEFAULTS["all_pairs_below"],
    max_bucket: int = _LOCAL_DEFAULTS["max_bucket"],
    pairings: int = _LOCAL_DEFAULTS["pairings"],
    num_partitions: int | None = None,
    band_partitions: int = 8,
    cc_method: CCMethod = "auto",
    single_task_max_edges: int = 5_000_000,
    broadcast_max_ids: int = 20_000_000,
    max_rounds: int = 64,
    on_stage: Callable[[str, float], None] | None = None,
) -> tuple[ray.data.Dataset, RayDedupStats]:
    """:func:`find_duplicates`, also returning the :class:`RayDedupStats` of the run."""
    if cc_method not in ("auto", "single", "distributed"):
        raise ValueError(f"cc_method must be 'auto', 'single' or 'distributed', not {cc_method!r}")
    stats = RayDedupStats()
    timer = _Timer(stats, on_stage or (lambda stage, seconds: None))

    if id_column is None:
        id_column = "row_index"
        n = ds.count()
        ds = ds.zip(
            ray.data.range(n).map_batches(
                _row_index, batch_format="pyarrow", fn_kwargs={"name": id_column}
            )
        )
    if num_partitions is None:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        num_partitions = max(2, min(1024, 2 * cpus))
    parts = num_partitions
    stats.partitions = parts
    stats.band_partitions = max(1, min(parts, band_partitions))

    # 1: signatures and digests, computed once and kept (never shuffled), a whole block
    # per call (the local stages cut it into cache-sized slices themselves).
    sigs = ds.map_batches(
        signature_table,
        batch_format="pyarrow",
        batch_size=None,
        fn_kwargs={
            "id_column": id_column,
            "text_column": text_column,
            "strip": strip_boilerplate,
            "num_perm": num_perm,
            "seed": seed,
        },
    ).materialize()
    shuffled = stats.shuffled_bytes
    # 2a: identical wordings (one row per document): their edges and representatives.
    digests = sigs.map_batches(
        digest_rows, batch_format="pyarrow", fn_kwargs={"num_partitions": parts}
    ).materialize()
    shuffled["digests"] = int(digests.size_bytes())
    wording = (
        digests.groupby("part", num_partitions=parts)
        .map_groups(
            candidate_partition, batch_format="pyarrow", fn_kwargs={"max_bucket": max_bucket}
        )
        .materialize()
    )
    got = collect(wording, ["a", "b", "kind"])
    kinds = got["kind"].astype(np.int64)
    members = np.sort(got["b"][kinds == KIND_IDENTICAL].astype(np.int64))
    counts = np.bincount(kinds, minlength=3) if kinds.size else np.zeros(3, int)
    stats.wordings = int(counts[KIND_REP])
    stats.identical_edges = int(counts[KIND_IDENTICAL])
    stats.wordless = int(sigs.sum("empty") or 0) if sigs.count() else 0
    stats.documents = stats.wordings + stats.identical_edges + stats.wordless
    stats.digest_rows = stats.wordings + stats.identical_edges
    band_parts = max(1, min(parts, band_partitions))

    def band_pass(members: I64, strict: bool, bucket_cap: int) -> ray.data.Dataset:
        # One row per document and band partition, then candidates per band partition.
        kwargs: dict[str, Any] = {
            "num_perm": num_perm,
            "pairings": pairings,
            "num_partitions": band_parts,
            "strict": strict,
        }
        rows = sigs.map_batches(
            block_band_rows, batch_format="pyarrow", fn_kwargs={**kwargs, "members": members}
        ).materialize()
        shuffled["bands"] = shuffled.get("bands", 0) + int(rows.size_bytes())
        plan = band_plan(num_perm, pairings, strict, band_parts)
        stats.band_rows += rows.count()
        return (
            rows.groupby("part", num_partitions=len(plan))
            .map_groups(
                block_candidate_partition,
                batch_format="pyarrow",
                fn_kwargs={**kwargs, "max_bucket": bucket_cap},
            )
            .materialize()
        )

    # 2b: near-identical wordings grouped first, as locally: representatives sharing a
    # strict band are linked to their group's smallest id, verified against it only, and
    # only that one enters LSH.
    same = np.zeros((0, 2), np.int64)
    if stats.wordings >= all_pairs_below and num_perm // NEAR_IDENTICAL_ROWS:
        links = collect(band_pass(members, True, 1), ["a", "b"])
        s_nodes, s_roots = union_find(links["a"], links["b"])
        grouped = s_nodes != s_roots
        same = np.stack([s_roots[grouped], s_nodes[grouped]], axis=1)
        members = np.union1d(members, same[:, 1])
    reps = np.sort(got["a"][kinds == KIND_REP].astype(np.int64))
    reps = np.setdiff1d(reps, same[:, 1], assume_unique=True)
    timer.lap("signatures+candidates")

    identical = wording.map_batches(
        select_kind, batch_format="pyarrow", fn_kwargs={"kind": KIND_IDENTICAL}
    )
    same_ds = ray.data.from_arrow(
        pa.Table.from_arrays([pa.array(same[:, 0]), pa.array(same[:, 1])], names=["a", "b"])
    )
    if reps.size < all_pairs_below:
        stats.method = "all_pairs"
        iu, ju = np.triu_indices(reps.size, 1)
        candidates = ray.data.from_arrow(
            pa.Table.from_arrays([pa.array(reps[iu]), pa.array(reps[ju])], names=["a", "b"])
        )
    else:
        stats.method = "lsh"
        # The remaining representatives' band rows, then candidates per bucket.
        candidates = band_pass(members, False, max_bucket).select_columns(["a", "b"])
    if same.size:
        candidates = candidates.union(same_ds)
    timer.lap("candidates")

    # 3: exact verification.
    verified, stats.candidate_pairs, stats.documents_in_pairs = verify_pairs(
        candidates,
        ds,
        id_column=id_column,
        text_column=text_column,
        strip=strip_boilerplate,
        thresholds=thresholds,
        keep_unrelated=False,
        partitions=parts,
        broadcast_max_ids=broadcast_max_ids,
        shuffled=shuffled,
    )
    verified = verified.materialize()
    stats.verified_edges = verified.count()
    timer.lap("verify")

    # 4: connected components.
    edges = identical.union(verified.select_columns(["a", "b"])).materialize()
    n_edges = edges.count()
    method = cc_method
    if method == "auto":
        method = "single" if n_edges <= single_task_max_edges else "distributed"
    stats.cc_method = method
    if n_edges == 0:
        nodes, roots = np.zeros(0, np.int64), np.zeros(0, np.int64)
    elif method == "single":
        got = collect(
            edges.repartition(1).map_batches(
                union_find_task, batch_format="pyarrow", batch_size=None
            ),
            ["node", "root"],
        )
        nodes, roots = got["node"].astype(np.int64), got["root"].astype(np.int64)
        order = np.argsort(nodes)
        nodes, roots = nodes[order], roots[order]
        stats.cc_rounds = 1
    else:
        nodes, roots = _components_distributed(edges, parts, max_rounds, stats)
    timer.lap("components")

    # 5: each member against its representative.
    member = roots != nodes
    stats.clustered_documents = int(nodes.size)
    stats.clusters = int(np.unique(roots).size)
    verdict_codes = np.full(nodes.size, -1, np.int8)
    scores = np.zeros(nodes.size, np.float64)
    if member.any():
        rep_pairs = ray.data.from_arrow(
            pa.Table.from_arrays(
                [pa.array(roots[member]), pa.array(nodes[member])], names=["a", "b"]
            )
        )
        got_v, _, _ = verify_pairs(
            rep_pairs,
            ds,
            id_column=id_column,
            text_column=text_column,
            strip=strip_boilerplate,
            thresholds=thresholds,
            keep_unrelated=True,
            partitions=parts,
            broadcast_max_ids=broadcast_max_ids,
            involved=np.unique(nodes),
            shuffled=shuffled,
            label="representatives",
        )
        res = collect(got_v, ["b", "verdict", "score"])
        pos = np.searchsorted(nodes, res["b"].astype(np.int64))
        code_of: dict[str, int] = {v: i for i, v in enumerate(VERDICTS)}
        verdict_codes[pos] = [code_of[str(v)] for v in res["verdict"]]
        scores[pos] = res["score"].astype(np.float64)
    timer.lap("representatives")

    _, inverse, cnt = np.unique(roots, return_inverse=True, return_counts=True)
    sizes = cnt[inverse].astype(np.int64) if nodes.size else np.zeros(0, np.int64)
    out = ds.map_batches(
        annotate,
        batch_format="pyarrow",
        fn_kwargs={
            "id_column": id_column,
            "nodes": nodes,
            "roots": roots,
            "sizes": sizes,
            "verdict_codes": verdict_codes,
            "scores": scores,
        },
    )
    logger.info(
        "find_duplicates on Ray: %d documents, %d wordings, %d candidate pairs (%s), "
        "%d verified edges, %d clusters (%s components, %d rounds); seconds %s",
        stats.documents,
        stats.wordings,
        stats.candidate_pairs,
        stats.method,
        stats.verified_edges,
        stats.clusters,
        stats.cc_method,
        stats.cc_rounds,
        {k: round(v, 2) for k, v in stats.seconds.items()},
    )
    return out, stats


def find_duplicates(
    ds: ray.data.Dataset,
    text_column: str = "text",
    id_column: str | None = None,
    **options: Any,
) -> ray.data.Dataset:
    """Cluster the documents of a Ray Dataset into copies and rewrites, exactly as the local
    :func:`textforensics.find_duplicates` with ``sample_rate=0`` (LSH candidates only)
    clusters the same ``{id: text}`` mapping.

    ``id_column`` holds unique integer ids (``None``: the row position, numbered in the
    dataset's order with an extra pass to count rows). Returns the input rows with
    :data:`OUTPUT_COLUMNS` added, as a lazy Dataset: the analysis (stages 1-5) runs now,
    the annotation of the rows streams when the result is consumed (``write_parquet``,
    ``iter_batches``...). Options are those of :func:`find_duplicates_with_stats`:
    ``strip_boilerplate``, ``thresholds``, ``num_perm``, ``seed``, ``pairings``, ``all_pairs_below``
    and ``max_bucket`` (same meaning and defaults as the local function: a band bucket of
    more than ``max_bucket`` wordings contributes a star around its smallest id, so a hot
    bucket costs linear work), ``num_partitions`` (hash partitions of every shuffle;
    default twice the cluster's CPUs), ``band_partitions`` (at most this many groups of
    LSH bands, default 8: each wording sends one row of about 80 bytes to each; fewer
    groups ship fewer bytes but give each task more documents' bands to bucket),
    ``cc_method`` (``"auto"``, ``"single"`` or ``"distributed"``),
    ``single_task_max_edges`` (the ``"auto"`` limit), ``max_rounds`` and
    ``broadcast_max_ids`` (up to this many documents in candidate pairs, their sorted ids
    are broadcast so that only they are stripped, compressed and enter the verification
    joins; above it every document does).
    """
    out, _ = find_duplicates_with_stats(ds, text_column, id_column, **options)
    return out
