"""The Ray path's band rows and verification payloads, without Ray (pyarrow only): one row
per document and band partition must propose exactly the local candidate pairs."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

if not os.environ.get("CI"):
    pytest.importorskip("pyarrow")
    pytest.importorskip("ray")

import pyarrow as pa

from textforensics.duplicates import ray_bands
from textforensics.duplicates.corpus import NEAR_IDENTICAL_ROWS
from textforensics.duplicates.lsh import (
    band_keys_batch,
    candidate_pairs_from_band_keys,
    lsh_candidate_pairs,
    lsh_params,
)
from textforensics.duplicates.ray_bands import (
    band_plan,
    block_band_rows,
    block_candidate_partition,
)
from textforensics.duplicates.ray_verify import decode_form, encode_forms
from textforensics.duplicates.shingles import REWRITE_TIER, shingle_form


@pytest.mark.parametrize("parts", [1, 3, 4, 8, 16, 600])
@pytest.mark.parametrize("strict", [False, True])
def test_band_plan_covers_every_band_once(parts: int, strict: bool) -> None:
    plan = band_plan(128, 8, strict, parts)
    assert 1 <= len(plan) <= parts
    bands = [
        tuple(c.columns[k] for k in c.index[b * c.rows : (b + 1) * c.rows])
        for c in plan
        for b in range(c.bands)
    ]
    assert len(bands) == len(set(bands)) == (8 if strict else 512)
    if not strict and parts == 8:
        # Aligned blocks of 16 positions: 64 bytes of values per row, not 512 of keys.
        assert [c.columns for c in plan] == [tuple(range(16 * k, 16 * k + 16)) for k in range(8)]
        assert {c.data_bytes for c in plan} == {64}
    if strict:
        assert all(c.rows == NEAR_IDENTICAL_ROWS and c.ship_keys for c in plan)


def _signatures(data: st.DataObject, n: int, num_perm: int) -> np.ndarray:
    # Few distinct values per position, so that bands collide often.
    base = np.asarray(
        data.draw(st.lists(st.integers(0, 3), min_size=n * num_perm, max_size=n * num_perm)),
        dtype=np.uint32,
    ).reshape(n, num_perm)
    return base * np.uint32(2654435761)


def _sig_table(ids: np.ndarray, sig: np.ndarray) -> pa.Table:
    n, num_perm = sig.shape
    raw = np.ascontiguousarray(sig.astype("<u4"))
    return pa.table(
        {
            "id": pa.array(ids),
            "sig": pa.FixedSizeBinaryArray.from_buffers(
                pa.binary(num_perm * 4), n, [None, pa.py_buffer(raw.tobytes())]
            ),
            "empty": pa.array(np.zeros(n, bool)),
        }
    )


def _ray_candidates(
    table: pa.Table, members: np.ndarray, parts: int, strict: bool, max_bucket: int, blocks: int
) -> set[tuple[int, int]]:
    num_perm = len(table.column("sig")[0].as_py()) // 4 if table.num_rows else 16
    kw: dict[str, Any] = {
        "num_perm": num_perm,
        "pairings": 8,
        "num_partitions": parts,
        "strict": strict,
    }
    step = max(1, -(-table.num_rows // blocks))
    rows = pa.concat_tables(
        [
            block_band_rows(table.slice(i, step), members=members, **kw)
            for i in range(0, max(1, table.num_rows), step)
        ]
    )
    got: set[tuple[int, int]] = set()
    for part in range(len(band_plan(num_perm, 8, strict, parts))):
        group = rows.filter(pa.compute.equal(rows.column("part"), part))
        out = block_candidate_partition(group, max_bucket=max_bucket, **kw)
        got.update(zip(out.column("a").to_pylist(), out.column("b").to_pylist(), strict=True))
    return got


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    n=st.integers(0, 30),
    parts=st.integers(1, 10),
    max_bucket=st.sampled_from([0, 1, 2, 3]),
    blocks=st.integers(1, 3),
    keys_per_pass=st.sampled_from([1 << 25, 1, 45]),
)
def test_block_band_rows_propose_the_local_candidates(
    data: st.DataObject, n: int, parts: int, max_bucket: int, blocks: int, keys_per_pass: int
) -> None:
    num_perm = 16
    sig = _signatures(data, n, num_perm)
    # Ids out of order and sparse; some documents are members of a wording (no rows).
    ids = np.asarray(data.draw(st.permutations(range(0, 3 * n, 3))), dtype=np.int64)
    member_mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool)
    members = np.sort(ids[member_mask])
    table = _sig_table(ids, sig)
    reps = np.flatnonzero(~member_mask)
    order = reps[np.argsort(ids[reps])]  # the local path sees representatives in id order
    for strict in (False, True):
        if strict:
            keys = band_keys_batch(sig[order], num_perm // NEAR_IDENTICAL_ROWS, NEAR_IDENTICAL_ROWS)
            local = candidate_pairs_from_band_keys(keys, max_bucket)
        else:
            bands, rows = lsh_params(REWRITE_TIER.lsh_threshold, num_perm)
            local = lsh_candidate_pairs(sig[order], bands, rows, 8, max_bucket)
        want = {(int(ids[order[a]]), int(ids[order[b]])) for a, b in local}
        # A large band task buckets its bands a few at a time: the same pairs.
        saved = ray_bands._KEYS_PER_PASS
        ray_bands._KEYS_PER_PASS = keys_per_pass
        try:
            got = _ray_candidates(table, members, parts, strict, max_bucket, blocks)
        finally:
            ray_bands._KEYS_PER_PASS = saved
        assert got == want


@settings(deadline=None)
@given(st.lists(st.text(max_size=60), max_size=6), st.booleans())
def test_forms_round_trip(texts: list[str], strip: bool) -> None:
    from textforensics.duplicates.maintext import main_texts

    payloads = encode_forms(texts, strip=strip)
    assert [decode_form(p) for p in payloads] == [
        shingle_form(m) for m in main_texts(texts, strip=strip)
    ]
