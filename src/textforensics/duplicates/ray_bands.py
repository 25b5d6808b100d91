"""Stages 1-2 on Ray with a lean shuffle: signatures once, identical wordings first, then
one row per representative and band partition, carrying the signature values (or band
keys) that partition's bands are made of.

1. :func:`signature_table` (a map over whole blocks, materialized, never shuffled): per
   document its id, 128-bit token digest and rewrite-tier signature (``num_perm``
   ``uint32``);
2. :func:`digest_rows` (one row per document, shuffled by digest) and
   :func:`~textforensics.duplicates.distributed.bucket_pairs` per partition: the
   identical-wording edges and each wording's representative (its smallest id);
3. :func:`block_band_rows`: the LSH bands are split into a few *band partitions* of
   bands that use few signature positions (:func:`band_plan`: with 8 pairings, the 64
   bands of 2 rows inside each aligned block of 16 positions read only those 16), and each
   representative sends one row to each band partition: its id and the 16-32 signature
   values those bands read (or the band keys, when fewer bytes);
4. :func:`block_candidate_partition`: the band partition computes its band keys and the
   candidate pairs per bucket, as locally.

Rows, not only bytes: a document is ``band_partitions`` rows (about 600 bytes with 4 of
them) instead of one row per band (512 rows, 11 KB). Equal to one row per band: the key of
a band is a function of its positions' values only, so documents share a key in a band
partition exactly when they share it anywhere, and every member of a bucket (a distinct
wording: the other members of a wording never send rows) is paired by the local
:func:`~textforensics.duplicates.candidate_pairs_from_band_keys`, in id order.

Needs the ``ray`` extra (``pyarrow``); imported only by :mod:`.ray`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from ..text import replace_lone_surrogates
from .corpus import NEAR_IDENTICAL_ROWS, empty_signature_rows, prepare_batch
from .distributed import KIND_CANDIDATE, partition_of, unique_edges
from .lsh import band_keys_batch, candidate_pairs_from_band_keys, lsh_params, pairing_orders
from .shingles import REWRITE_TIER

__all__ = [
    "BAND_ROW_SCHEMA",
    "DIGEST_SCHEMA",
    "PAIR_SCHEMA",
    "BandChunk",
    "band_plan",
    "block_band_rows",
    "block_candidate_partition",
    "column_i64",
    "digest_rows",
    "signature_table",
    "texts_of",
]

I64 = npt.NDArray[np.int64]

DIGEST_SCHEMA = pa.schema(
    [("id", pa.int64()), ("dh", pa.int64()), ("dl", pa.int64()), ("part", pa.int32())]
)
"""One row per document with words: the halves of its 128-bit token digest."""

BAND_ROW_SCHEMA = pa.schema([("id", pa.int64()), ("part", pa.int32()), ("data", pa.binary())])
"""One row per representative and band partition: ``data`` holds the signature values
(``uint32``) or the band keys (``uint64``) of that partition's bands, little-endian."""

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
    (:func:`prepare_batch`, which cuts a large batch into cache-sized slices itself)."""
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


def digest_rows(batch: pa.Table, *, num_partitions: int) -> pa.Table:
    """Stage 2a UDF: one digest row per document with words, partitioned by its digest."""
    batch = batch.filter(pc.invert(batch.column("empty")))
    dh = column_i64(batch, "dh")
    return pa.Table.from_arrays(
        [
            batch.column("id"),
            batch.column("dh"),
            batch.column("dl"),
            pa.array(partition_of(dh, num_partitions)),
        ],
        schema=DIGEST_SCHEMA,
    )


@dataclass(frozen=True, slots=True)
class BandChunk:
    """The bands of one band partition: ``columns`` (sorted signature positions they
    read), ``index`` (for each band in turn, its ``rows`` positions as indices into
    ``columns``) and whether its rows ship the band keys instead of the values (when the
    keys are fewer bytes)."""

    columns: tuple[int, ...]
    index: tuple[int, ...]
    rows: int
    ship_keys: bool

    @property
    def bands(self) -> int:
        return len(self.index) // self.rows

    @property
    def data_bytes(self) -> int:
        """Bytes of ``data`` per row."""
        return 8 * self.bands if self.ship_keys else 4 * len(self.columns)


@cache
def band_plan(num_perm: int, pairings: int, strict: bool, parts: int) -> tuple[BandChunk, ...]:
    """The LSH bands of the rewrite tier in ``pairings`` pairings (as the local path
    bands them), or with ``strict`` the :data:`NEAR_IDENTICAL_ROWS`-row bands, split into
    at most ``parts`` band partitions of bands sorted by the positions they read, so each
    partition reads few positions (an aligned block of 16 holds 64 of the 512 default
    bands). A function of its arguments only, so the map and the reducers agree."""
    if strict:
        bands, rows = num_perm // NEAR_IDENTICAL_ROWS, NEAR_IDENTICAL_ROWS
        orders = [np.arange(num_perm, dtype=np.int64)]
    else:
        bands, rows = lsh_params(REWRITE_TIER.lsh_threshold, num_perm)
        orders = pairing_orders(num_perm, max(1, pairings))
    every = [
        tuple(int(p) for p in order[t * rows : (t + 1) * rows])
        for order in orders
        for t in range(bands)
    ]
    every.sort(key=lambda b: (min(b), max(b), b))
    chunks: list[BandChunk] = []
    for group in np.array_split(np.arange(len(every)), max(1, min(parts, len(every)))):
        if group.size == 0:
            continue
        chosen = [every[g] for g in group]
        columns = tuple(sorted({p for b in chosen for p in b}))
        where = {p: k for k, p in enumerate(columns)}
        index = tuple(where[p] for b in chosen for p in b)
        chunks.append(BandChunk(columns, index, rows, 2 * len(chosen) < len(columns)))
    return tuple(chunks)


def _signatures(batch: pa.Table, num_perm: int) -> npt.NDArray[np.uint32]:
    col = batch.column("sig").combine_chunks()
    if len(col) == 0:
        return np.zeros((0, num_perm), np.uint32)
    raw = np.frombuffer(col.buffers()[1], "<u4", len(col) * num_perm, col.offset * num_perm * 4)
    return raw.reshape(len(col), num_perm).astype(np.uint32)


def _chunk_keys(values: npt.NDArray[np.uint32], chunk: BandChunk) -> npt.NDArray[np.uint64]:
    # (n, bands) keys of the chunk's bands from the (n, columns) values. A bucket is a
    # band's column of equal keys, so the band's number inside the chunk (which salts
    # the key) only has to be the same for every document, which it is.
    return band_keys_batch(values[:, list(chunk.index)], chunk.bands, chunk.rows)


def block_band_rows(
    batch: pa.Table,
    *,
    num_perm: int,
    pairings: int,
    num_partitions: int,
    members: I64,
    strict: bool = False,
) -> pa.Table:
    """Stage 2b UDF: one row per band partition (:func:`band_plan`) of every document
    whose id is not in ``members`` (the sorted ids of documents whose wording has a
    smaller representative) and has words. With ``strict``, the local path's strict bands
    of :data:`NEAR_IDENTICAL_ROWS` rows (the grouping of near-identical documents before
    LSH) instead of the pairings."""
    batch = batch.filter(pc.invert(batch.column("empty")))
    ids = column_i64(batch, "id")
    if members.size:
        pos = np.minimum(np.searchsorted(members, ids), members.size - 1)
        keep = members[pos] != ids
    else:
        keep = np.ones(ids.size, dtype=bool)
    sig = _signatures(batch, num_perm)[keep]
    ids = ids[keep]
    n = ids.size
    tables: list[pa.Table] = []
    for part, chunk in enumerate(band_plan(num_perm, pairings, strict, num_partitions)):
        data: npt.NDArray[np.generic] = np.ascontiguousarray(
            _chunk_keys(sig[:, list(chunk.columns)], chunk).astype("<u8")
            if chunk.ship_keys
            else sig[:, list(chunk.columns)].astype("<u4")
        )
        width = chunk.data_bytes
        offsets = np.arange(n + 1, dtype=np.int32) * width
        col = pa.Array.from_buffers(
            pa.binary(), n, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data.tobytes())]
        )
        tables.append(
            pa.Table.from_arrays(
                [pa.array(ids), pa.array(np.full(n, part, np.int32)), col],
                schema=BAND_ROW_SCHEMA,
            )
        )
    return pa.concat_tables(tables) if tables else BAND_ROW_SCHEMA.empty_table()


def _fixed_rows(col: pa.Array, dtype: str, width: int) -> npt.NDArray[np.generic]:
    # A binary array whose every value is ``width`` items of ``dtype``: its values are
    # one contiguous buffer from the first row's offset on.
    n = len(col)
    if n == 0:
        return np.zeros((0, width), dtype)
    start = int(np.frombuffer(col.buffers()[1], np.int32, 1, col.offset * 4)[0])
    return np.frombuffer(col.buffers()[2], dtype, n * width, start).reshape(n, width)


_KEYS_PER_PASS = 1 << 25
"""Band keys made and bucketed at once in a band task (a few arrays of this many 8-byte
items, about 1 GB in all): documents x bands per pass (at most 16 bands) stays under it,
so a task over 33 million documents or more buckets one band at a time."""


def block_candidate_partition(
    group: pa.Table,
    *,
    num_perm: int,
    pairings: int,
    num_partitions: int,
    max_bucket: int,
    strict: bool = False,
) -> pa.Table:
    """Stage 2b UDF: the rows of one band partition -> its candidate pairs (``kind``
    :data:`KIND_CANDIDATE`), every bucket of every band of the partition paired by the
    local :func:`candidate_pairs_from_band_keys` with its members in id order (a bucket
    of more than ``max_bucket`` becomes a star around its smallest id, as locally)."""
    if group.num_rows == 0:
        return PAIR_SCHEMA.empty_table()
    ids = column_i64(group, "id")
    part = int(group.column("part")[0].as_py())
    chunk = band_plan(num_perm, pairings, strict, num_partitions)[part]
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    dtype = "<u8" if chunk.ship_keys else "<u4"
    width = chunk.bands if chunk.ship_keys else len(chunk.columns)
    raw = np.concatenate([_fixed_rows(c, dtype, width) for c in group.column("data").chunks])
    raw = raw[order] if chunk.ship_keys else raw[order].astype(np.uint32)
    found: list[npt.NDArray[np.int64]] = []
    per_pass = max(1, min(16, chunk.bands, _KEYS_PER_PASS // max(1, ids.size)))
    for lo in range(0, chunk.bands, per_pass):
        hi = min(chunk.bands, lo + per_pass)
        if chunk.ship_keys:
            keys = raw[:, lo:hi].astype(np.uint64)
        else:
            sub = chunk.index[lo * chunk.rows : hi * chunk.rows]
            keys = _chunk_keys(raw, BandChunk(chunk.columns, sub, chunk.rows, False))
        pairs = candidate_pairs_from_band_keys(keys, max_bucket)
        if pairs.size:
            found.append(ids[pairs])
    if not found:
        return PAIR_SCHEMA.empty_table()
    every = np.concatenate(found)
    a, b = unique_edges(every[:, 0], every[:, 1])
    return pa.Table.from_arrays(
        [pa.array(a), pa.array(b), pa.array(np.full(a.size, KIND_CANDIDATE, np.int8))],
        schema=PAIR_SCHEMA,
    )
