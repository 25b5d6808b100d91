"""Where a :class:`~textforensics.DuplicateIndex` keeps its entries and LSH buckets: in
memory, or in Redis as bytes and JSON (never pickles).

An entry is a key's token digest and its two sorted shingle arrays; its *band tokens*
(10 bytes each: the band's position, ``uint16`` big-endian, then its ``uint64`` band key)
name the LSH buckets it sits in.

Redis layout under ``basename`` ``B`` (``docs/duplicates.md``, "Redis layout")::

    B:meta        JSON string: format, version and the index parameters
    B:keys        set of the indexed keys, each as JSON (a string or an integer)
    B:d:<key>     hash: d (16-byte digest), n and r (little-endian uint32 shingles),
                  b (the entry's band tokens, concatenated)
    B:b:<token>   set of the keys (JSON) in that bucket

Every add and remove is one Lua script, so it is atomic: a key is stored once however
many processes add it, and an add interrupted by the client or the server dying is either
entirely there or not at all. Each script first checks ``B:meta`` against the writer's
parameters, so a writer never mixes entries built with other parameters into a basename.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .index_format import SIGNATURE_DIGEST, IndexFormatError, check_key
from .shingles import U32

__all__ = ["TOKEN_BYTES", "Entry", "MemoryStore", "RedisStore", "split_tokens"]

TOKEN_BYTES = 10


def split_tokens(tokens: bytes) -> list[bytes]:
    """The band tokens in a concatenation of them."""
    return [tokens[i : i + TOKEN_BYTES] for i in range(0, len(tokens), TOKEN_BYTES)]


@dataclass(frozen=True, slots=True)
class Entry:
    """One indexed document: its token digest and its shingles per tier (immutable)."""

    digest: bytes
    near: U32
    rewrite: U32


class MemoryStore:
    """Entries and buckets in dicts, guarded by a lock (any hashable key)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Hashable, Entry] = {}
        self._tokens: dict[Hashable, bytes] = {}
        self._buckets: dict[bytes, set[Hashable]] = {}

    def put(self, key: Hashable, entry: Entry, tokens: bytes) -> None:
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._tokens[key] = tokens
            for t in split_tokens(tokens):
                self._buckets.setdefault(t, set()).add(key)

    def _drop(self, key: Hashable) -> bool:
        if key not in self._entries:
            return False
        for t in split_tokens(self._tokens.pop(key)):
            bucket = self._buckets[t]
            bucket.discard(key)
            if not bucket:
                del self._buckets[t]
        del self._entries[key]
        return True

    def remove(self, key: Hashable) -> bool:
        with self._lock:
            return self._drop(key)

    def get_many(self, keys: Iterable[Hashable]) -> list[tuple[Hashable, Entry]]:
        with self._lock:
            return [(k, e) for k in keys if (e := self._entries.get(k)) is not None]

    def get(self, key: Hashable) -> Entry | None:
        with self._lock:
            return self._entries.get(key)

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._entries)

    def count(self) -> int:
        with self._lock:
            return len(self._entries)

    def candidates(self, tokens: bytes) -> set[Hashable]:
        with self._lock:
            found: set[Hashable] = set()
            for t in split_tokens(tokens):
                bucket = self._buckets.get(t)
                if bucket:
                    found.update(bucket)
            return found


_ADD = """
local p, k, meta = ARGV[1], ARGV[2], ARGV[3]
if redis.call('GET', p .. ':meta') ~= meta then
  return redis.error_reply('TFMETA the basename holds an index with other parameters')
end
local doc = p .. ':d:' .. k
local old = redis.call('HGET', doc, 'b')
if old then
  for i = 1, #old, 10 do redis.call('SREM', p .. ':b:' .. string.sub(old, i, i + 9), k) end
end
redis.call('DEL', doc)
redis.call('HSET', doc, 'd', ARGV[4], 'n', ARGV[5], 'r', ARGV[6], 'b', ARGV[7])
local t = ARGV[7]
for i = 1, #t, 10 do redis.call('SADD', p .. ':b:' .. string.sub(t, i, i + 9), k) end
redis.call('SADD', p .. ':keys', k)
return 1
"""

_REMOVE = """
local p, k = ARGV[1], ARGV[2]
local doc = p .. ':d:' .. k
local old = redis.call('HGET', doc, 'b')
if old then
  for i = 1, #old, 10 do redis.call('SREM', p .. ':b:' .. string.sub(old, i, i + 9), k) end
end
redis.call('DEL', doc)
return redis.call('SREM', p .. ':keys', k)
"""


def _glob_escape(raw: bytes) -> bytes:
    out = bytearray()
    for b in raw:
        if b in b"*?[]\\":
            out += b"\\"
        out.append(b)
    return bytes(out)


class RedisStore:
    """Entries and buckets in Redis under ``basename`` (keys must be ``str`` or ``int``).

    Opening records ``meta`` (JSON) under ``basename:meta``, or checks that the recorded
    one is identical; a basename that holds other data (another program's, or the old
    pickle-based layout) is refused. Raises :class:`IndexFormatError` naming the basename.
    """

    def __init__(self, config: dict[str, Any], basename: bytes, meta: str) -> None:
        import redis

        self._where = f"redis basename {basename!r}"
        self._client = redis.Redis(**config.get("redis", {}))
        self._prefix = basename
        self._meta = meta.encode()
        self._add = self._client.register_script(_ADD)
        self._remove = self._client.register_script(_REMOVE)
        self._open()

    def _fail(self, why: str) -> IndexFormatError:
        return IndexFormatError(f"{self._where}: cannot use the duplicate index: {why}")

    def _open(self) -> None:
        key = self._prefix + b":meta"
        current = self._client.get(key)
        if current is None:
            pattern = _glob_escape(self._prefix) + b":*"
            for _ in self._client.scan_iter(match=pattern, count=1000):
                # Another process may have created the index meanwhile: it writes the
                # metadata before any other key, so only a foreign basename lacks it.
                if self._client.get(key) is None:
                    raise self._fail(
                        "it holds data that is not a textforensics index of this format "
                        "(an older pickle-based index?); use another basename or delete "
                        "its keys"
                    )
                break
            self._client.set(key, self._meta, nx=True)
            current = self._client.get(key)
        if current != self._meta:
            try:
                theirs = json.loads(current) if current is not None else None
            except (ValueError, UnicodeDecodeError, RecursionError):
                theirs = None
            if not isinstance(theirs, dict) or "params" not in theirs:
                raise self._fail("its metadata is not a textforensics index's")
            raise self._fail(
                f"it was built with {json.dumps(theirs['params'], sort_keys=True)}, "
                f"not {json.dumps(json.loads(self._meta)['params'], sort_keys=True)}; open "
                "it with those parameters or use another basename"
            )

    def _call(self, script: Any, args: list[bytes]) -> int:
        import redis

        try:
            return int(script(args=[self._prefix, *args]))
        except redis.exceptions.ResponseError as exc:
            if "TFMETA" in str(exc):
                raise self._fail(
                    "its parameters changed since it was opened (deleted and recreated?)"
                ) from None
            raise

    @staticmethod
    def _key(key: Hashable) -> bytes:
        return json.dumps(check_key(key), ensure_ascii=False).encode()

    def _unkey(self, raw: bytes | str) -> str | int:
        try:
            key = json.loads(raw)
            return check_key(key)
        except (ValueError, UnicodeDecodeError, TypeError, RecursionError):
            raise self._fail(f"a stored key is not JSON text or a number: {raw[:40]!r}") from None

    def put(self, key: Hashable, entry: Entry, tokens: bytes) -> None:
        self._call(
            self._add,
            [
                self._key(key),
                self._meta,
                entry.digest,
                entry.near.astype("<u4").tobytes(),
                entry.rewrite.astype("<u4").tobytes(),
                tokens,
            ],
        )

    def remove(self, key: Hashable) -> bool:
        return self._call(self._remove, [self._key(key)]) == 1

    def _entry(self, key: Hashable, fields: Sequence[bytes | None]) -> Entry | None:
        digest, near, rewrite = fields
        if digest is None or near is None or rewrite is None:
            return None
        if len(digest) != 16 or len(near) % 4 or len(rewrite) % 4:
            raise self._fail(f"the entry of {key!r} is malformed")
        arrays = []
        for raw in (near, rewrite):
            arr = np.frombuffer(raw, dtype="<u4").astype(np.uint32)
            ordered = bytes(digest) != SIGNATURE_DIGEST  # a signature is in position order
            if ordered and len(arr) > 1 and (np.diff(arr.astype(np.int64)) <= 0).any():
                raise self._fail(f"the entry of {key!r} is malformed")
            arrays.append(arr)
        return Entry(bytes(digest), arrays[0], arrays[1])

    def get_many(self, keys: Iterable[Hashable]) -> list[tuple[Hashable, Entry]]:
        wanted = list(keys)
        pipe = self._client.pipeline(transaction=False)
        for k in wanted:
            pipe.hmget(self._prefix + b":d:" + self._key(k), ["d", "n", "r"])
        out = []
        for k, fields in zip(wanted, pipe.execute(), strict=True):
            entry = self._entry(k, fields)
            if entry is not None:
                out.append((k, entry))
        return out

    def get(self, key: Hashable) -> Entry | None:
        found = self.get_many([key])
        return found[0][1] if found else None

    def keys(self) -> list[Hashable]:
        return [self._unkey(k) for k in self._client.smembers(self._prefix + b":keys")]

    def count(self) -> int:
        return int(self._client.scard(self._prefix + b":keys"))

    def candidates(self, tokens: bytes) -> set[Hashable]:
        if not tokens:
            return set()
        names = [self._prefix + b":b:" + t for t in split_tokens(tokens)]
        return {self._unkey(k) for k in self._client.sunion(names)}
