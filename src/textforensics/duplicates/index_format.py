"""The on-disk format of a :class:`~textforensics.DuplicateIndex`: data, never code.

One file (``docs/duplicates.md``, "Index file format")::

    magic      8 bytes   b"TFDINDEX"
    length     8 bytes   little-endian uint64: the byte length of the header
    header     JSON      UTF-8, padded with spaces so the arrays start 64-byte aligned
    arrays     raw       little-endian, each at its 64-byte aligned offset in the header
    checksum   32 bytes  SHA-256 of every byte before it

The header holds the format name and version, the parameters the entries were built with
(``num_perm``, ``seed``, ``pairings``, thresholds, boilerplate stripping, the shingle
normalisation and the band layout), the keys (JSON strings or integers) and, per array,
its dtype, shape and offset. The arrays are ``digests`` ``(n, 16)`` ``uint8``, and per tier
the concatenated sorted shingle hashes (``near``, ``rewrite``, ``uint32``) with their
``n + 1`` offsets (``near_offsets``, ``rewrite_offsets``, ``int64``), so a reader may
memory-map them. The checksum covers the whole file, so any damage is refused.

Reading never unpickles anything; an index written by the pickle format of version 1 is
recognised by its first bytes and refused with instructions to rebuild it.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .shingles import U32

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAGIC",
    "SIGNATURE_DIGEST",
    "IndexData",
    "IndexFormatError",
    "check_key",
    "decode",
    "encode",
    "read_index_file",
]

SIGNATURE_DIGEST = b"\x00minhash-only\x00\x00\x00"
"""The digest field of an entry added as a precomputed MinHash (16 bytes): such an entry
keeps its rewrite-tier signature (positions in permutation order, not sorted) where
others keep their rewrite shingles, and no near-copy shingles. A real digest (16 bytes
of BLAKE2b) equals it with probability 2**-128."""

MAGIC = b"TFDINDEX"
FORMAT_NAME = "textforensics.DuplicateIndex"
FORMAT_VERSION = 2
_ALIGN = 64
_SUM = 32
_MAX_HEADER = 1 << 31

REBUILD_HINT = (
    "rebuild the index from the documents: create a new DuplicateIndex, add() them and "
    "save() it (CLI: delete the file and run `textforensics dupes --update-index FILE ...`)"
)


class IndexFormatError(ValueError):
    """An index file or Redis basename that cannot be used: damaged, foreign, of another
    version, or built with other parameters. The message names the file (or basename)."""


def check_key(key: object) -> str | int:
    """``key`` if it can be stored (a ``str`` or an ``int``, not a ``bool``), else a
    ``TypeError`` saying so."""
    if isinstance(key, str) or (isinstance(key, int) and not isinstance(key, bool)):
        return key
    raise TypeError(
        f"DuplicateIndex keys must be str or int to be saved or shared, got "
        f"{type(key).__name__} {key!r}"
    )


@dataclass(frozen=True, slots=True)
class IndexData:
    """The content of an index file: parameters, keys and per-key arrays."""

    params: dict[str, Any]
    keys: list[str | int]
    digests: list[bytes]
    near: list[U32]
    rewrite: list[U32]


def _pack(parts: list[U32]) -> tuple[U32, npt.NDArray[np.int64]]:
    sizes = np.array([len(p) for p in parts], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    flat = np.concatenate(parts).astype("<u4") if parts else np.zeros(0, dtype="<u4")
    return flat, offsets


def encode(data: IndexData) -> bytes:
    """The bytes of an index file for ``data`` (keys must pass :func:`check_key`)."""
    keys = [check_key(k) for k in data.keys]
    near, near_off = _pack(data.near)
    rewrite, rewrite_off = _pack(data.rewrite)
    digests = (
        np.frombuffer(b"".join(data.digests), dtype=np.uint8).reshape(len(keys), 16)
        if keys
        else np.zeros((0, 16), dtype=np.uint8)
    )
    arrays: dict[str, npt.NDArray[Any]] = {
        "digests": digests,
        "near_offsets": near_off.astype("<i8"),
        "near": near,
        "rewrite_offsets": rewrite_off.astype("<i8"),
        "rewrite": rewrite,
    }
    # The header size depends on the offsets it records: lay out with a bound, then pad.
    layout: dict[str, dict[str, Any]] = {}
    header_obj: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "params": data.params,
        "keys": keys,
        "arrays": layout,
    }
    for name, arr in arrays.items():
        layout[name] = {"dtype": arr.dtype.str, "shape": list(arr.shape), "offset": 0}
    probe = json.dumps(header_obj, ensure_ascii=False, separators=(",", ":")).encode()
    start = _round(len(MAGIC) + 8 + len(probe) + 32 * len(arrays))
    pos = start
    for name, arr in arrays.items():
        layout[name]["offset"] = pos
        pos = _round(pos + arr.nbytes)
    header = json.dumps(header_obj, ensure_ascii=False, separators=(",", ":")).encode()
    header += b" " * (start - len(MAGIC) - 8 - len(header))
    out = bytearray(MAGIC + struct.pack("<Q", len(header)) + header)
    for name, arr in arrays.items():
        out += b"\0" * (layout[name]["offset"] - len(out))
        out += np.ascontiguousarray(arr).tobytes()
    out += b"\0" * (_round(len(out)) - len(out))
    out += hashlib.sha256(out).digest()
    return bytes(out)


def _round(n: int) -> int:
    return -(-n // _ALIGN) * _ALIGN


def _describe_foreign(raw: bytes) -> str:
    if len(raw) >= 2 and raw[0] == 0x80 and 2 <= raw[1] <= 5:
        return (
            "an index in the old pickle format (version 1), which is never loaded because "
            f"unpickling can run code; {REBUILD_HINT}"
        )
    if not raw:
        return "the file is empty"
    if raw.startswith(MAGIC[: min(len(raw), len(MAGIC))]) and len(raw) < len(MAGIC) + 8 + _SUM:
        return "the file is truncated"
    return "not a textforensics DuplicateIndex file"


def _fail(where: str, why: str) -> IndexFormatError:
    return IndexFormatError(f"{where}: cannot load the duplicate index: {why}")


def decode(raw: bytes, where: str) -> IndexData:
    """Parse and validate index-file bytes; :class:`IndexFormatError` naming ``where`` if
    anything is wrong (nothing in the bytes is ever executed)."""
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 8 + _SUM:
        raise _fail(where, _describe_foreign(raw))
    body, checksum = raw[:-_SUM], raw[-_SUM:]
    if hashlib.sha256(body).digest() != checksum:
        raise _fail(where, "the checksum does not match (the file is damaged or truncated)")
    (hlen,) = struct.unpack_from("<Q", raw, len(MAGIC))
    if hlen > min(_MAX_HEADER, len(body) - len(MAGIC) - 8):
        raise _fail(where, "the header length is out of range")
    try:
        header = json.loads(raw[len(MAGIC) + 8 : len(MAGIC) + 8 + hlen].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _fail(where, f"the header is not valid JSON ({exc})") from None
    try:
        return _validate(header, body, where)
    except IndexFormatError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, OverflowError) as exc:
        raise _fail(where, f"malformed header ({type(exc).__name__}: {exc})") from None


_DTYPES = {
    "digests": ("|u1", 2),
    "near_offsets": ("<i8", 1),
    "near": ("<u4", 1),
    "rewrite_offsets": ("<i8", 1),
    "rewrite": ("<u4", 1),
}


def _validate(header: Any, body: bytes, where: str) -> IndexData:
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise _fail(where, "not a textforensics DuplicateIndex file")
    version = header.get("version")
    if version != FORMAT_VERSION:
        raise _fail(
            where,
            f"format version {version!r} is not supported (this textforensics reads "
            f"version {FORMAT_VERSION}); {REBUILD_HINT}",
        )
    params, keys, layout = header["params"], header["keys"], header["arrays"]
    if not isinstance(params, dict) or not isinstance(keys, list) or not isinstance(layout, dict):
        raise _fail(where, "malformed header")
    for k in keys:
        check_key(k)
    if len(set(keys)) != len(keys):
        raise _fail(where, "a key is listed twice")
    if set(layout) != set(_DTYPES):
        raise _fail(where, f"unexpected arrays {sorted(layout)}")
    arrays: dict[str, npt.NDArray[Any]] = {}
    for name, (dtype, ndim) in _DTYPES.items():
        spec = layout[name]
        shape = [int(s) for s in spec["shape"]]
        offset = int(spec["offset"])
        if spec["dtype"] != dtype or len(shape) != ndim or min(shape, default=0) < 0:
            raise _fail(where, f"array {name}: unexpected dtype or shape")
        count = int(np.prod(shape, dtype=np.int64))
        nbytes = count * np.dtype(dtype).itemsize
        if offset < 0 or offset + nbytes > len(body):
            raise _fail(where, f"array {name}: outside the file")
        arrays[name] = np.frombuffer(body, dtype=dtype, count=count, offset=offset).reshape(shape)
    n = len(keys)
    if arrays["digests"].shape != (n, 16):
        raise _fail(where, "digests: shape does not match the keys")
    tiers = []
    for tier in ("near", "rewrite"):
        offsets, flat = arrays[f"{tier}_offsets"], arrays[tier]
        if (
            offsets.shape != (n + 1,)
            or offsets[0] != 0
            or offsets[-1] != len(flat)
            or (np.diff(offsets) < 0).any()
        ):
            raise _fail(where, f"{tier}: offsets do not match the data")
        bounds = offsets.tolist()
        parts = [flat[bounds[i] : bounds[i + 1]].astype(np.uint32) for i in range(n)]
        signature_rows = {i for i in range(n) if bytes(arrays["digests"][i]) == SIGNATURE_DIGEST}
        if any(
            len(p) > 1 and i not in signature_rows and (np.diff(p.astype(np.int64)) <= 0).any()
            for i, p in enumerate(parts)
        ):
            raise _fail(where, f"{tier}: shingles are not sorted and unique")
        tiers.append(parts)
    digests = [bytes(row) for row in arrays["digests"]]
    return IndexData(params=params, keys=keys, digests=digests, near=tiers[0], rewrite=tiers[1])


def read_index_file(path: str | os.PathLike[str]) -> IndexData:
    """Read and validate the index file at ``path`` (:class:`IndexFormatError` if it is
    not one; ``OSError`` if it cannot be read)."""
    where = os.fspath(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except IsADirectoryError:
        raise _fail(where, "it is a directory") from None
    return decode(raw, where)
