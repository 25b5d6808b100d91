"""Stages 1-2 on Ray with a lean shuffle: signatures once, identical wordings first, then
band rows of representatives only, carrying no digests.

1. :func:`signature_table` (a map, materialized, never shuffled): per document its id,
   128-bit token digest and rewrite-tier signature (``num_perm`` ``uint32``);
2. :func:`digest_rows` (one row per document, shuffled by digest) and
   :func:`~textforensics.duplicates.distributed.bucket_pairs` per partition: the
   identical-wording edges and each wording's representative (its smallest id);
3. :func:`lean_band_rows`: the band rows (band, key, id, partition: 22 bytes, against 38
   with the digests) of the representatives only; the ids of the other members of a
   wording are broadcast, sorted, to this map;
4. :func:`lean_candidate_partition`: candidate pairs per bucket, as locally.

Equal to the digest-carrying rows it replaces: two documents of one wording have one
signature, hence the same buckets, so keeping in each bucket the smallest id of each
wording (what the digests were for) keeps exactly the representatives. The signatures are
computed once (the text is read and normalized once).

Needs the ``ray`` extra (``pyarrow``); imported only by :mod:`.ray`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from ..text import replace_lone_surrogates
from .corpus import NEAR_IDENTICAL_ROWS, empty_signature_rows, prepare_batch
from .distributed import DIGEST_BAND, bucket_pairs, partition_of
from .lsh import band_keys_batch, lsh_params, pairing_orders
from .shingles import REWRITE_TIER, mix64

__all__ = [
    "BAND_SCHEMA",
    "LEAN_BAND_SCHEMA",
    "PAIR_SCHEMA",
    "column_i64",
    "digest_rows",
    "lean_band_rows",
    "lean_candidate_partition",
    "signature_table",
    "texts_of",
]

I64 = npt.NDArray[np.int64]

BAND_SCHEMA = pa.schema(
    [
        ("band", pa.int16()),
        ("key", pa.int64()),
        ("id", pa.int64()),
        ("dh", pa.int64()),
        ("dl", pa.int64()),
        ("part", pa.int32()),
    ]
)
"""Digest rows (``band == DIGEST_BAND``): the wording's digest as key and columns."""

LEAN_BAND_SCHEMA = pa.schema(
    [("band", pa.int16()), ("key", pa.int64()), ("id", pa.int64()), ("part", pa.int32())]
)
"""Band rows of representatives: 22 bytes of payload."""

PAIR_SCHEMA = pa.schema([("a", pa.int64()), ("b", pa.int64()), ("kind", pa.int8())])


def column_i64(table: pa.Table, name: str) -> I64:
    """A column as ``int64``."""
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=np.int64)


def texts_of(table: pa.Table, name: str) -> list[str]:
    """A text column: nulls as empty texts; lone surrogates (possible in pandas-backed
    blocks, never in Arrow strings) replaced as the local normalization does."""
    column = table.column(name).to_pylist()
    return [replace_lone_surrogates(t) if isinstance(t, str) else "" for t in column]


def signature_table(
    batch: pa.Table,
    *,
    id_column: str,
    text_column: str,
    strip: bool,
    num_perm: int,
    seed: int,
) -> pa.Table:
    """Stage 1 UDF: per document ``id``, digest halves ``dh``/``dl``, ``sig`` (the
    rewrite-tier signature as ``num_perm * 4`` little-endian bytes) and ``empty`` (no
    words, by the local :func:`empty_signature_rows`: such a document joins no wording
    and no band, as locally), by the local pipeline's own stages 0-2
    (:func:`prepare_batch`)."""
    ids = column_i64(batch, id_column)
    digests, sig = prepare_batch(
        texts_of(batch, text_column), strip=strip, num_perm=num_perm, seed=seed
    )
    n = ids.size
    d = (
        np.frombuffer(b"".join(digests), dtype=np.uint64).reshape(n, 2)
        if n
        else np.zeros((0, 2), np.uint64)
    )
    raw = np.ascontiguousarray(np.asarray(sig, dtype="<u4").reshape(n, num_perm))
    sig_col = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(num_perm * 4), n, [None, pa.py_buffer(raw.tobytes())]
    )
    return pa.Table.from_arrays(
        [
            pa.array(ids),
            pa.array(d[:, 0].view(np.int64)),
            pa.array(d[:, 1].view(np.int64)),
            sig_col,
            pa.array(empty_signature_rows(raw.astype(np.uint32))),
        ],
        names=["id", "dh", "dl", "sig", "empty"],
    )


def _part(
    band: npt.NDArray[np.int16], key: npt.NDArray[np.uint64], parts: int
) -> npt.NDArray[np.int32]:
    with np.errstate(over="ignore"):
        salt = mix64((band.astype(np.int64) + 2).view(np.uint64))
    return partition_of((key ^ salt).view(np.int64), parts)


def digest_rows(batch: pa.Table, *, num_partitions: int) -> pa.Table:
    """Stage 2a UDF: one digest row per document with words, partitioned by its digest."""
    batch = batch.filter(pc.invert(batch.column("empty")))
    ids = column_i64(batch, "id")
    dh = column_i64(batch, "dh")
    dl = column_i64(batch, "dl")
    band = np.full(ids.size, DIGEST_BAND, np.int16)
    part = _part(band, dh.view(np.uint64), num_partitions)
    return pa.Table.from_arrays(
        [pa.array(band), pa.array(dh), pa.array(ids), pa.array(dh), pa.array(dl), pa.array(part)],
        schema=BAND_SCHEMA,
    )


def lean_band_rows(
    batch: pa.Table,
    *,
    num_perm: int,
    pairings: int,
    num_partitions: int,
    members: I64,
    strict: bool = False,
) -> pa.Table:
    """Stage 2b UDF: one row per LSH band (every pairing of signature positions, as the
    local path bands) of every document whose id is not in ``members`` (the sorted ids
    of documents whose wording has a smaller representative) and has words. With
    ``strict``, the local path's strict bands of :data:`NEAR_IDENTICAL_ROWS` rows instead
    (the grouping of near-identical documents before LSH)."""
    batch = batch.filter(pc.invert(batch.column("empty")))
    ids = column_i64(batch, "id")
    if members.size:
        pos = np.minimum(np.searchsorted(members, ids), members.size - 1)
        keep = members[pos] != ids
    else:
        keep = np.ones(ids.size, dtype=bool)
    col = batch.column("sig").combine_chunks()
    width = num_perm * 4
    raw = (
        np.frombuffer(col.buffers()[1], "<u4", len(col) * num_perm, col.offset * width)
        if len(col)
        else np.zeros(0, "<u4")
    )
    sig = raw.reshape(len(col), num_perm)[keep].astype(np.uint32)
    ids = ids[keep]
    n = ids.size
    if strict:
        params = (num_perm // NEAR_IDENTICAL_ROWS, NEAR_IDENTICAL_ROWS)
        orders = [np.arange(num_perm)]
    else:
        params = lsh_params(REWRITE_TIER.lsh_threshold, num_perm)
        orders = pairing_orders(num_perm, max(1, pairings))
    keys = (
        np.concatenate([band_keys_batch(sig[:, order], *params) for order in orders], axis=1)
        if n
        else np.zeros((0, params[0] * len(orders)), np.uint64)
    )
    bands = keys.shape[1]
    band = np.tile(np.arange(bands, dtype=np.int16), n)
    key = keys.reshape(-1).astype(np.uint64)
    return pa.Table.from_arrays(
        [
            pa.array(band),
            pa.array(key.view(np.int64)),
            pa.array(np.repeat(ids, bands)),
            pa.array(_part(band, key, num_partitions)),
        ],
        schema=LEAN_BAND_SCHEMA,
    )


def lean_candidate_partition(group: pa.Table, *, max_bucket: int) -> pa.Table:
    """Stage 2b UDF: one hash partition of representatives' band rows -> candidate pairs
    (every member of a bucket is a distinct wording, so each id is its own digest)."""
    ids = column_i64(group, "id")
    a, b, kind = bucket_pairs(
        column_i64(group, "band"),
        column_i64(group, "key"),
        ids,
        ids,
        np.zeros(ids.size, np.int64),
        max_bucket,
    )
    return pa.Table.from_arrays([pa.array(a), pa.array(b), pa.array(kind)], schema=PAIR_SCHEMA)
