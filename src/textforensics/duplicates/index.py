"""``DuplicateIndex``: an incremental index of documents (add, remove, query), in memory or
shared through Redis, saved to and loaded from a file.

Nothing it reads is code: the file format (:mod:`.index_format`) is a JSON header and raw
arrays under a SHA-256 checksum, and the Redis layout (:mod:`.index_store`) is bytes and
JSON written by atomic Lua scripts.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..results import IndexMatch
from ..storage import atomic_write
from ..tables import UNICODE_VERSION
from .corpus import estimated_verdict, is_signature, key_order, signature_of
from .index_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SIGNATURE_DIGEST,
    IndexData,
    IndexFormatError,
    check_key,
    decode,
    encode,
    read_index_file,
)
from .index_store import Entry, MemoryStore, RedisStore
from .lsh import REWRITE_PAIRINGS, band_keys_batch, lsh_params, pairing_orders
from .maintext import main_text
from .minhash import DEFAULT_NUM_PERM, DEFAULT_SEED, signature_batch
from .shingles import NEAR_COPY_TIER, REWRITE_TIER, U32, analyze, shingle_form
from .verify import DEFAULT_THRESHOLDS, VERDICTS, Thresholds, judge, tier_similarity

__all__ = ["DuplicateIndex", "IndexFormatError"]

# What the shingles depend on besides the parameters: an index built under another
# normalisation would silently miss matches, so it is refused.
NORMALIZATION = f"shingle_form/1 unicode {UNICODE_VERSION}"


def _is_signature_entry(entry: Entry) -> bool:
    return entry.digest == SIGNATURE_DIGEST


@dataclass
class DuplicateIndex:
    """An incremental index of documents: :meth:`add`, :meth:`remove`, :meth:`query`.

    Candidates come from LSH buckets (one set of bands for the near-copy tier, and the
    rewrite tier banded in ``pairings`` pairings of its signature positions, as in
    :func:`find_duplicates`) and every match is verified exactly. With
    ``storage_config={"type": "redis", "redis": {"host": ..., "port": ...}}`` (the
    ``redis`` mapping is passed to ``redis.Redis``) the entries and buckets live in Redis
    under ``basename``, as bytes and JSON, so several processes share one index; keys
    must then be ``str`` or ``int``. :meth:`save` and :meth:`load` write and read the
    whole index to a file (a checksummed data format, never a pickle).

    While the index holds fewer than ``exact_below`` documents a query verifies every
    one of them (exact recall); beyond that, LSH candidates are verified: a rewrite as
    loose as 3-gram Jaccard 0.1 is a candidate with probability 0.96 (see
    ``docs/duplicates.md``).

    Thread-safe: any number of threads may :meth:`query`, :meth:`add` and :meth:`remove`
    at once; the costly parts (normalizing, shingling, signatures, exact verification)
    run outside the store's lock. In Redis every add and remove is one atomic script, so
    processes sharing a basename never store a key twice nor leave half an entry; a
    basename records its parameters and refuses an index opened with others
    (:class:`IndexFormatError`).
    """

    storage_config: dict[str, Any] | None = None
    basename: bytes = b"textforensics"
    num_perm: int = DEFAULT_NUM_PERM
    seed: int = DEFAULT_SEED
    strip_boilerplate: bool = True
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    exact_below: int = 1000
    pairings: int = REWRITE_PAIRINGS
    _groups: list[tuple[str, Any, int, int]] = field(init=False, repr=False)
    _store: MemoryStore | RedisStore = field(init=False, repr=False)
    _lock: threading.RLock = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        # Band groups: (name, column order or None, bands, rows); the first rewrite
        # pairing is datasketch's own banding.
        near_b, near_r = lsh_params(NEAR_COPY_TIER.lsh_threshold, self.num_perm)
        groups: list[tuple[str, Any, int, int]] = [(NEAR_COPY_TIER.name, None, near_b, near_r)]
        rw_b, rw_r = lsh_params(REWRITE_TIER.lsh_threshold, self.num_perm)
        for m, order in enumerate(pairing_orders(self.num_perm, max(1, self.pairings)), 1):
            name = REWRITE_TIER.name if m == 1 else f"{REWRITE_TIER.name}:{m}"
            groups.append((name, order, rw_b, rw_r))
        self._groups = groups
        config = self.storage_config or {"type": "dict"}
        kind = config.get("type", "dict")
        if kind == "redis":
            if not isinstance(self.basename, bytes) or not self.basename:
                raise ValueError("basename must be non-empty bytes")
            self._store = RedisStore(config, self.basename, self._meta_json())
        elif kind == "dict":
            self._store = MemoryStore()
        else:
            raise ValueError(f"storage_config type must be 'dict' or 'redis', not {kind!r}")

    # parameters, as recorded in files and in Redis
    def params(self) -> dict[str, Any]:
        """The parameters the entries depend on, as JSON data (recorded in every saved
        file and Redis basename, and checked when they are opened)."""
        t = self.thresholds
        return {
            "num_perm": self.num_perm,
            "seed": self.seed,
            "pairings": self.pairings,
            "strip_boilerplate": self.strip_boilerplate,
            "thresholds": {
                "near_jaccard": t.near_jaccard,
                "near_containment": t.near_containment,
                "rewrite_jaccard": t.rewrite_jaccard,
                "rewrite_containment": t.rewrite_containment,
            },
            "normalization": NORMALIZATION,
            "bands": [[name, bands, rows] for name, _, bands, rows in self._groups],
        }

    def _meta_json(self) -> str:
        meta = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "params": self.params()}
        return json.dumps(meta, sort_keys=True, separators=(",", ":"))

    # entries and band tokens
    def _entry(self, text: str) -> Entry:
        (near,), (rw,), (digest,) = analyze(
            [
                shingle_form(
                    main_text(text, self.strip_boilerplate, need_flag=False, need_spans=False)[0]
                )
            ]
        )
        return Entry(digest, near, rw)

    def _tokens(self, entries: list[Entry]) -> list[bytes]:
        # One 10-byte token per band: position (uint16 BE), band key (uint64 BE).
        if not entries:
            return []
        if any(_is_signature_entry(e) for e in entries):
            # Entries added as signatures band their stored signature (rewrite bands
            # only); the rest are banded together as usual.
            texts = [e for e in entries if not _is_signature_entry(e)]
            made = iter(self._tokens(texts))
            return [
                self._signature_tokens(e.rewrite) if _is_signature_entry(e) else next(made)
                for e in entries
            ]
        near = signature_batch([e.near for e in entries], self.num_perm, self.seed)
        rw = signature_batch([e.rewrite for e in entries], self.num_perm, self.seed)
        parts = []
        for _, order, bands, rows in self._groups:
            sig = near if order is None else rw[:, order]
            parts.append(band_keys_batch(sig, bands, rows))
        keys = np.concatenate(parts, axis=1)
        table = np.empty(keys.shape, dtype=[("p", ">u2"), ("k", ">u8")])
        table["p"] = np.arange(keys.shape[1], dtype=np.uint16)
        table["k"] = keys
        return [row.tobytes() for row in table]

    def __len__(self) -> int:
        return self._store.count()

    def __contains__(self, key: object) -> bool:
        if isinstance(self._store, RedisStore):
            try:
                check_key(key)
            except TypeError:
                return False
        if not isinstance(key, Hashable):
            return False
        return self._store.get(key) is not None

    def keys(self) -> list[Any]:
        """The indexed keys, sorted."""
        return sorted(self._store.keys(), key=key_order)

    def add(self, key: Any, text: str | Any) -> None:
        """Index ``text`` under ``key`` (replacing an existing entry with that key).

        ``text`` may be a precomputed datasketch ``MinHash``/``LeanMinHash`` of the
        rewrite tier (as :meth:`query` accepts): the entry then keeps that signature
        only, is found through the rewrite tier's bands, and every match with it is
        judged on estimated Jaccard (:func:`estimated_verdict`), exactly as when the
        query is the signature of an indexed text.

        With Redis storage ``key`` must be a ``str`` or an ``int`` (else ``TypeError``);
        in memory any hashable key works, but :meth:`save` needs ``str`` or ``int``."""
        if isinstance(self._store, RedisStore):
            check_key(key)
        if is_signature(text):
            sig = signature_of(text, self.num_perm, self.seed)
            entry = Entry(SIGNATURE_DIGEST, np.zeros(0, dtype=np.uint32), sig)
        elif not isinstance(text, str):
            raise TypeError(f"text must be a str or a MinHash, not {type(text).__name__}")
        else:
            entry = self._entry(text)
        (tokens,) = self._tokens([entry])
        with self._lock:
            self._store.put(key, entry, tokens)

    def remove(self, key: Any) -> None:
        """Remove ``key``; a ``KeyError`` if it is not indexed."""
        with self._lock:
            if key not in self or not self._store.remove(key):
                raise KeyError(key)

    def query(self, text: str | Any, *, limit: int | None = None) -> list[IndexMatch]:
        """Indexed documents related to ``text``, verified exactly, best first: by
        verdict (identical, near_copy, rewrite, excerpt), then score, then key;
        ``unrelated`` candidates are dropped. An ``excerpt`` match says with
        ``contained_in`` which side holds the other (``"b"``: the query is inside the
        document; ``"a"``: the document is inside the query). ``text`` may be a
        precomputed datasketch ``MinHash``/``LeanMinHash`` of the rewrite tier (this
        index's ``num_perm`` and ``seed``, ``scheme="affine32"``, e.g. from
        :func:`signatures_from_texts`): matches are then judged on estimated Jaccard
        (:func:`estimated_verdict`)."""
        if is_signature(text):
            return self._query_signature(text, limit)
        if not isinstance(text, str):
            raise TypeError(f"text must be a str or a MinHash, not {type(text).__name__}")
        entry = self._entry(text)
        exact = self._store.count() < self.exact_below
        if exact:
            found = self._store.get_many(self._store.keys())
        else:
            (tokens,) = self._tokens([entry])
            found = self._store.get_many(self._store.candidates(tokens))
        matches = []
        mine: U32 | None = None
        for key, other in found:
            if _is_signature_entry(other):
                if mine is None:
                    mine = signature_batch([entry.rewrite], self.num_perm, self.seed)[0]
                verdict, score = estimated_verdict(mine, other.rewrite, self.thresholds)
                if verdict != "unrelated":
                    matches.append(IndexMatch(key=key, score=score, verdict=verdict))
                continue
            near = tier_similarity(NEAR_COPY_TIER, entry.near, other.near)
            rw = tier_similarity(REWRITE_TIER, entry.rewrite, other.rewrite)
            verdict, score, side = judge(near, rw, entry.digest == other.digest, self.thresholds)
            if verdict != "unrelated":
                matches.append(IndexMatch(key=key, score=score, verdict=verdict, contained_in=side))
        matches.sort(key=lambda m: (VERDICTS.index(m.verdict), -m.score, key_order(m.key)))
        return matches[:limit] if limit is not None else matches

    def _signature_tokens(self, sig: U32) -> bytes:
        # The band tokens of a rewrite-tier signature alone (the near-copy bands, which
        # need the near-copy signature, are left out), positioned as _tokens numbers them.
        table = []
        position = 0
        for _, order, bands, rows in self._groups:
            if order is not None:
                keys = band_keys_batch(np.ascontiguousarray(sig[order])[None, :], bands, rows)[0]
                for i, k in enumerate(keys.tolist()):
                    table.append(int(position + i).to_bytes(2, "big") + int(k).to_bytes(8, "big"))
            position += bands
        return b"".join(table)

    def _query_signature(self, minhash: Any, limit: int | None) -> list[IndexMatch]:
        # A precomputed rewrite-tier MinHash: candidates from the rewrite tier's bands (all
        # documents in a small index), judged on estimated Jaccard (estimated_verdict).
        sig = signature_of(minhash, self.num_perm, self.seed)
        if self._store.count() < self.exact_below:
            found = self._store.get_many(self._store.keys())
        else:
            found = self._store.get_many(self._store.candidates(self._signature_tokens(sig)))
        matches = []
        for key, other in found:
            if _is_signature_entry(other):
                theirs = other.rewrite
            else:
                theirs = signature_batch([other.rewrite], self.num_perm, self.seed)[0]
            verdict, score = estimated_verdict(sig, theirs, self.thresholds)
            if verdict != "unrelated":
                matches.append(IndexMatch(key=key, score=score, verdict=verdict))
        matches.sort(key=lambda m: (VERDICTS.index(m.verdict), -m.score, key_order(m.key)))
        return matches[:limit] if limit is not None else matches

    def to_bytes(self) -> bytes:
        """The whole index in the file format of :meth:`save`."""
        found = self._store.get_many(self.keys())
        keys = [check_key(k) for k, _ in found]
        return encode(
            IndexData(
                params=self.params(),
                keys=keys,
                digests=[e.digest for _, e in found],
                near=[e.near for _, e in found],
                rewrite=[e.rewrite for _, e in found],
            )
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole index (parameters and every entry) to ``path`` atomically:
        the file is the old or the new index, never a partial one (see
        :func:`textforensics.storage.atomic_write`). Keys must be ``str`` or ``int``
        (``TypeError`` otherwise, before anything is written). To update a shared file
        from several processes, hold :func:`textforensics.storage.file_lock` around the
        load, the changes and the save."""
        raw = self.to_bytes()

        def validate(tmp: str) -> None:
            read_index_file(tmp)

        atomic_write(path, raw, validate=validate)

    @classmethod
    def from_bytes(
        cls,
        raw: bytes,
        *,
        where: str = "<bytes>",
        storage_config: dict[str, Any] | None = None,
        basename: bytes = b"textforensics",
    ) -> DuplicateIndex:
        """An index from bytes written by :meth:`to_bytes` (see :meth:`load`)."""
        return cls._from_data(decode(raw, where), where, storage_config, basename)

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        storage_config: dict[str, Any] | None = None,
        basename: bytes = b"textforensics",
    ) -> DuplicateIndex:
        """Read an index written by :meth:`save` (into memory, or into ``storage_config``).

        The file is data, never code: its version, parameters, array shapes and SHA-256
        checksum are checked, and anything wrong (an empty, truncated, damaged or foreign
        file, another format version, or an old pickle index, which is never unpickled)
        raises :class:`IndexFormatError` naming the file."""
        where = os.fspath(path)
        return cls._from_data(read_index_file(path), where, storage_config, basename)

    @classmethod
    def _from_data(
        cls,
        data: IndexData,
        where: str,
        storage_config: dict[str, Any] | None,
        basename: bytes,
    ) -> DuplicateIndex:
        p = data.params
        try:
            t = p["thresholds"]
            index = cls(
                storage_config=storage_config,
                basename=basename,
                num_perm=_int(p["num_perm"], 1, 1 << 16),
                seed=_int(p["seed"], 0, (1 << 32) - 1),
                strip_boilerplate=bool(p["strip_boilerplate"]),
                thresholds=Thresholds(
                    float(t["near_jaccard"]),
                    float(t["near_containment"]),
                    float(t["rewrite_jaccard"]),
                    float(t["rewrite_containment"]),
                ),
                pairings=_int(p["pairings"], 1, 1 << 16),
            )
        except IndexFormatError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFormatError(
                f"{where}: cannot load the duplicate index: bad parameters ({exc})"
            ) from None
        if index.params() != p:
            raise IndexFormatError(
                f"{where}: cannot load the duplicate index: it was built with {p}, which "
                f"this textforensics does not reproduce ({index.params()})"
            )
        entries = [Entry(*e) for e in zip(data.digests, data.near, data.rewrite, strict=True)]
        for key, entry, tokens in zip(data.keys, entries, index._tokens(entries), strict=True):
            index._store.put(key, entry, tokens)
        return index


def _int(value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"{value!r} is not an integer in [{lo}, {hi}]")
    return value
