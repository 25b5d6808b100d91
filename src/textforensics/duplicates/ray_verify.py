"""Stages 3 and 5 on Ray: exact verification of pairs of documents that live in
different blocks, by a hash join without a join operator.

What travels is not the text: :func:`form_rows` cuts each document's main text once (the
boilerplate stripper runs once per document, not once per pair partition), takes its
shingle form (what every verification signal is computed from) and compresses it with
zstd (:func:`encode_forms`; the bytes decompress to the exact form, so the verdicts are
those of the texts). Pairs then meet their two forms in two shuffles:

1. :func:`form_rows` (the forms of documents in pairs only: their sorted ids are
   broadcast) and :func:`pair_rows` (a request at each end of each pair), partitioned by
   node; :func:`attach_forms` gives every request its node's form and sends it on to the
   pair's partition (duplicates of a pair collapse there);
2. :func:`verify_partition`: the local :func:`~textforensics.duplicates.verify.judge`
   decides each complete pair.

Needs the ``ray`` extra; imported only by :mod:`.ray`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import ray.data

from .bags import content_keys, key_containment
from .distributed import mix64, partition_of
from .maintext import main_texts
from .ray_bands import column_i64, texts_of
from .shingles import (
    NEAR_COPY_TIER,
    REWRITE_TIER,
    U64,
    multi_shingle_batch,
    shingle_form,
    token_digest_batch,
)
from .verify import CLUSTER_VERDICTS, Thresholds, judge, tier_similarity

__all__ = [
    "attach_forms",
    "collect",
    "decode_form",
    "encode_forms",
    "form_rows",
    "pair_rows",
    "verify_pairs",
    "verify_partition",
]

I64 = npt.NDArray[np.int64]

_CODEC = "zstd"
_RAW, _ZSTD = 0, 1  # the first byte of a payload: how the rest is stored


def encode_forms(texts: Sequence[str], *, strip: bool) -> list[bytes]:
    """Each text's shingle form of its main text (as the local verification sees it),
    UTF-8, zstd-compressed when pyarrow has zstd: a header byte, the form's byte length
    (4 bytes, little-endian), the bytes."""
    zstd = pa.Codec.is_available(_CODEC)
    out: list[bytes] = []
    for main in main_texts(texts, strip=strip):
        raw = shingle_form(main).encode("utf-8")
        head = len(raw).to_bytes(4, "little")
        if zstd:
            out.append(bytes((_ZSTD,)) + head + pa.compress(raw, codec=_CODEC, asbytes=True))
        else:
            out.append(bytes((_RAW,)) + head + raw)
    return out


def decode_form(payload: bytes) -> str:
    """The shingle form an :func:`encode_forms` payload holds."""
    size = int.from_bytes(payload[1:5], "little")
    body = payload[5:]
    if payload[0] == _ZSTD:
        body = pa.decompress(body, decompressed_size=size, codec=_CODEC, asbytes=True)
    return bytes(body).decode("utf-8")


_JOIN_SCHEMA = pa.schema(
    [
        ("node", pa.int64()),
        ("peer", pa.int64()),
        ("has_form", pa.bool_()),
        ("form", pa.large_binary()),
        ("part", pa.int32()),
    ]
)


def form_rows(
    batch: pa.Table,
    *,
    id_column: str,
    text_column: str,
    strip: bool,
    num_partitions: int,
    only: I64 | None = None,
) -> pa.Table:
    """Stage 3/5 UDF: documents as ``(node, form)`` rows of the form-to-pair join; with
    ``only`` (sorted ids), just the documents that appear in a pair (a broadcast
    semi-join: the others are neither stripped nor shuffled)."""
    ids = column_i64(batch, id_column)
    if only is not None:
        if only.size:
            pos = np.minimum(np.searchsorted(only, ids), only.size - 1)
            keep = only[pos] == ids
        else:
            keep = np.zeros(ids.size, bool)
        batch = batch.filter(pa.array(keep))
        ids = ids[keep]
    forms = encode_forms(texts_of(batch, text_column), strip=strip)
    return pa.Table.from_arrays(
        [
            pa.array(ids),
            pa.array(np.zeros(ids.size, np.int64)),
            pa.array(np.ones(ids.size, bool)),
            pa.array(forms, pa.large_binary()),
            pa.array(partition_of(ids, num_partitions)),
        ],
        schema=_JOIN_SCHEMA,
    )


def pair_rows(batch: pa.Table, *, num_partitions: int) -> pa.Table:
    """Stage 3/5 UDF: each pair ``(a, b)`` as two request rows, one at each end."""
    a = column_i64(batch, "a")
    b = column_i64(batch, "b")
    node = np.concatenate([a, b])
    peer = np.concatenate([b, a])
    return pa.Table.from_arrays(
        [
            pa.array(node),
            pa.array(peer),
            pa.array(np.zeros(node.size, bool)),
            pa.nulls(node.size, pa.large_binary()),
            pa.array(partition_of(node, num_partitions)),
        ],
        schema=_JOIN_SCHEMA,
    )


_SIDE_SCHEMA = pa.schema(
    [
        ("lo", pa.int64()),
        ("hi", pa.int64()),
        ("side", pa.int8()),
        ("form", pa.large_binary()),
        ("part", pa.int32()),
    ]
)


def attach_forms(group: pa.Table, *, num_partitions: int) -> pa.Table:
    """Stage 3/5 UDF: in one node partition, give every pair request its node's form and
    send it on to the pair's partition."""
    node = column_i64(group, "node")
    peer = column_i64(group, "peer")
    has = np.asarray(group.column("has_form").to_numpy(zero_copy_only=False), dtype=bool)
    rows_with = np.flatnonzero(has)
    order = np.argsort(node[rows_with], kind="stable")
    tnodes = node[rows_with][order]
    req = np.flatnonzero(~has)
    if req.size == 0 or tnodes.size == 0:
        return _SIDE_SCHEMA.empty_table()
    pairs = np.unique(np.stack([node[req], peer[req]], axis=1), axis=0)
    rn, rp = pairs[:, 0], pairs[:, 1]
    pos = np.searchsorted(tnodes, rn)
    found = (pos < tnodes.size) & (tnodes[np.minimum(pos, tnodes.size - 1)] == rn)
    rn, rp, pos = rn[found], rp[found], pos[found]
    lo = np.minimum(rn, rp)
    hi = np.maximum(rn, rp)
    with np.errstate(over="ignore"):
        pk = (mix64(lo.view(np.uint64)) ^ hi.view(np.uint64)).view(np.int64)
    forms = group.column("form").take(pa.array(rows_with[order][pos]))
    return pa.Table.from_arrays(
        [
            pa.array(lo),
            pa.array(hi),
            pa.array((rn != lo).astype(np.int8)),
            forms,
            pa.array(partition_of(pk, num_partitions)),
        ],
        schema=_SIDE_SCHEMA,
    )


_VERDICT_SCHEMA = pa.schema(
    [("a", pa.int64()), ("b", pa.int64()), ("verdict", pa.string()), ("score", pa.float64())]
)


def _bag_containment_of(bag_of: Callable[[int], U64], i: int, j: int) -> float:
    return key_containment(bag_of(i), bag_of(j))


def verify_partition(group: pa.Table, *, thresholds: Thresholds, keep_unrelated: bool) -> pa.Table:
    """Stage 3/5 UDF: exact verdicts of the pairs of one pair partition, from the local
    stages (shingles of both tiers, token digests, content pairs, all computed from the
    shingle forms the rows carry) and the local :func:`judge`; only the verdicts that
    join clusters unless ``keep_unrelated``."""
    lo = column_i64(group, "lo")
    hi = column_i64(group, "hi")
    side = np.asarray(group.column("side").to_numpy(zero_copy_only=False), dtype=np.int64)
    payloads = group.column("form")
    order = np.lexsort((side, hi, lo))
    lo, hi, side = lo[order], hi[order], side[order]
    # Both ends of a pair are adjacent after sorting: keep complete pairs only.
    complete = np.flatnonzero(
        (side[:-1] == 0) & (side[1:] == 1) & (lo[:-1] == lo[1:]) & (hi[:-1] == hi[1:])
    )
    if complete.size == 0:
        return _VERDICT_SCHEMA.empty_table()
    # One decompression and one feature computation per distinct document.
    row_of: dict[int, int] = {}
    for k in complete:
        row_of.setdefault(int(lo[k]), int(order[k]))
        row_of.setdefault(int(hi[k]), int(order[k + 1]))
    nodes = sorted(row_of)
    index = {n: i for i, n in enumerate(nodes)}
    forms = [decode_form(payloads[row_of[n]].as_py()) for n in nodes]
    near, rw = multi_shingle_batch(forms, [NEAR_COPY_TIER.n, REWRITE_TIER.n], normalized=True)
    digests = token_digest_batch(forms, normalized=True)
    # Content pairs (the rewrite tier's third signal), only for documents of a pair that
    # needs them, once each, as locally.
    bags: dict[int, U64] = {}

    def bag_of(i: int) -> U64:
        found = bags.get(i)
        if found is None:
            found = bags[i] = content_keys(forms[i], normalized=True)
        return found

    rows: list[tuple[int, int, str, float]] = []
    for k in complete:
        i, j = index[int(lo[k])], index[int(hi[k])]
        # The local path's judge (the "no words" rule, excerpts, beyond_copy, content
        # pairs), so the two paths cannot drift.
        verdict, score, _ = judge(
            tier_similarity(NEAR_COPY_TIER, near[i], near[j]),
            tier_similarity(REWRITE_TIER, rw[i], rw[j]),
            digests[i] == digests[j],
            thresholds,
            partial(_bag_containment_of, bag_of, i, j),
        )
        if keep_unrelated or verdict in CLUSTER_VERDICTS:
            rows.append((i, j, verdict, score))
    arr = np.asarray(nodes, dtype=np.int64)
    return pa.Table.from_arrays(
        [
            pa.array(arr[[r[0] for r in rows]] if rows else np.zeros(0, np.int64)),
            pa.array(arr[[r[1] for r in rows]] if rows else np.zeros(0, np.int64)),
            pa.array([r[2] for r in rows], pa.string()),
            pa.array([r[3] for r in rows], pa.float64()),
        ],
        schema=_VERDICT_SCHEMA,
    )


def collect(ds: ray.data.Dataset, columns: list[str]) -> dict[str, npt.NDArray[Any]]:
    """Columns of a (small) dataset as numpy arrays on the driver."""
    parts: dict[str, list[npt.NDArray[Any]]] = {c: [] for c in columns}
    for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
        for c in columns:
            parts[c].append(batch.column(c).to_numpy(zero_copy_only=False))
    return {c: np.concatenate(v) if v else np.zeros(0, np.int64) for c, v in parts.items()}


def verify_pairs(
    pairs: ray.data.Dataset,
    docs: ray.data.Dataset,
    *,
    id_column: str,
    text_column: str,
    strip: bool,
    thresholds: Thresholds,
    keep_unrelated: bool,
    partitions: int,
    broadcast_max_ids: int,
    involved: I64 | None = None,
    shuffled: dict[str, int] | None = None,
    label: str = "verify",
) -> tuple[ray.data.Dataset, int, int]:
    """Stages 3/5 driver: the verdicts of ``pairs`` (``a``, ``b``) of documents of
    ``docs``, the number of distinct pairs and the number of documents in pairs (-1 when
    too many to broadcast: then every document enters the join). ``shuffled`` (when
    given) gets the bytes that entered each of the two shuffles, under ``label + " forms"``
    and ``label + " pairs"``."""
    if involved is None:
        pairs = pairs.materialize()
        ends = collect(pairs, ["a", "b"]) if pairs.count() <= broadcast_max_ids else None
        if ends is not None:
            involved = np.unique(np.concatenate([ends["a"], ends["b"]]).astype(np.int64))
    if involved is not None and involved.size > broadcast_max_ids:
        involved = None  # too many to broadcast: every document goes through the join
    forms = docs.map_batches(
        form_rows,
        batch_format="pyarrow",
        fn_kwargs={
            "id_column": id_column,
            "text_column": text_column,
            "strip": strip,
            "num_partitions": partitions,
            "only": involved,
        },
    )
    requests = pairs.map_batches(
        pair_rows, batch_format="pyarrow", fn_kwargs={"num_partitions": partitions}
    )
    joined = forms.union(requests).materialize()
    sides = (
        joined.groupby("part", num_partitions=partitions)
        .map_groups(attach_forms, batch_format="pyarrow", fn_kwargs={"num_partitions": partitions})
        # Materialized: a sort-based shuffle samples its input, which would run the
        # first shuffle twice.
        .materialize()
    )
    if shuffled is not None:
        shuffled[f"{label} forms"] = int(joined.size_bytes())
        shuffled[f"{label} pairs"] = int(sides.size_bytes())
    # Each distinct pair has one row per end: the ``side == 1`` rows count the pairs.
    distinct = int(sides.sum("side") or 0) if sides.count() else 0
    verified = sides.groupby("part", num_partitions=partitions).map_groups(
        verify_partition,
        batch_format="pyarrow",
        fn_kwargs={"thresholds": thresholds, "keep_unrelated": keep_unrelated},
    )
    return verified, distinct, -1 if involved is None else int(involved.size)
