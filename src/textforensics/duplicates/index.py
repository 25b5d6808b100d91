"""``DuplicateIndex``: an incremental index of documents (add, remove, query), in memory or
shared through Redis, saved to and loaded from a file.
"""

from __future__ import annotations

import os
import pickle
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..results import IndexMatch
from .corpus import estimated_verdict, is_signature, key_order, signature_of
from .lsh import REWRITE_PAIRINGS, lsh_params, pairing_orders
from .maintext import main_text
from .minhash import DEFAULT_NUM_PERM, DEFAULT_SEED, signature_batch, to_minhash
from .shingles import NEAR_COPY_TIER, REWRITE_TIER, U32, analyze, shingle_form
from .verify import DEFAULT_THRESHOLDS, VERDICTS, Thresholds, judge, tier_similarity

__all__ = ["DuplicateIndex"]


@dataclass(frozen=True, slots=True)
class _Entry:
    digest: bytes
    near: U32
    rewrite: U32


@dataclass
class DuplicateIndex:
    """An incremental index of documents: :meth:`add`, :meth:`remove`, :meth:`query`.

    Candidates come from two datasketch ``MinHashLSH`` indexes (one per tier) and every
    match is verified exactly. With ``storage_config={"type": "redis", "redis":
    {"host": ..., "port": ...}}`` (datasketch's storage backends) the LSH buckets and the
    documents' shingles live in Redis under ``basename``, so several processes share
    one index. :meth:`save` and :meth:`load` write and read the whole index to a file.

    While the index holds fewer than ``exact_below`` documents a query verifies every
    one of them (exact recall); beyond that, LSH candidates are verified: the rewrite
    tier is banded in ``pairings`` pairings of its signature positions (one
    ``MinHashLSH`` each, as in :func:`find_duplicates`), so a rewrite as loose as 3-gram
    Jaccard 0.1 is a candidate with probability 0.96 (see ``docs/duplicates.md``).

    Thread-safe: any number of threads may :meth:`query`, :meth:`add` and :meth:`remove`
    at once. An internal lock guards the LSH indexes and the entries; the costly parts
    (normalizing, shingling, signatures, exact verification) run outside it, so readers
    only wait for each other while candidates are looked up. With Redis storage the lock
    covers this object only: other processes writing the same ``basename`` are not
    coordinated with it.
    """

    storage_config: dict[str, Any] | None = None
    basename: bytes = b"textforensics"
    num_perm: int = DEFAULT_NUM_PERM
    seed: int = DEFAULT_SEED
    strip_boilerplate: bool = True
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    exact_below: int = 1000
    pairings: int = REWRITE_PAIRINGS
    _lsh: dict[str, Any] = field(init=False, repr=False)
    _orders: dict[str, npt.NDArray[np.int64] | None] = field(init=False, repr=False)
    _docs: Any = field(init=False, repr=False)
    _lock: threading.RLock = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from datasketch import MinHashLSH
        from datasketch.storage import unordered_storage

        config = self.storage_config or {"type": "dict"}
        self._lock = threading.RLock()
        self._lsh = {}
        self._orders = {NEAR_COPY_TIER.name: None}
        # The rewrite tier: one MinHashLSH per pairing of signature positions (see
        # find_duplicates); the first is datasketch's own banding, named as before.
        for m, order in enumerate(pairing_orders(self.num_perm, max(1, self.pairings)), 1):
            self._orders[REWRITE_TIER.name if m == 1 else f"{REWRITE_TIER.name}:{m}"] = order
        for name in self._orders:
            tier = NEAR_COPY_TIER if name == NEAR_COPY_TIER.name else REWRITE_TIER
            tier_config = dict(config)
            if config.get("type") == "redis":
                tier_config["basename"] = self.basename + b":" + name.encode()
            self._lsh[name] = MinHashLSH(
                num_perm=self.num_perm,
                params=lsh_params(tier.lsh_threshold, self.num_perm),
                storage_config=tier_config,
            )
        if config.get("type") == "redis":
            docs_config = dict(config)
            docs_config["basename"] = self.basename + b":docs"
            self._docs = unordered_storage(docs_config, name=self.basename + b":docs")
        else:
            self._docs = {}

    # storage of entries (a dict, or a datasketch unordered storage in Redis)
    def _put(self, key: Any, entry: _Entry) -> None:
        payload = pickle.dumps((entry.digest, entry.near.tobytes(), entry.rewrite.tobytes()))
        if isinstance(self._docs, dict):
            self._docs[key] = entry
        else:
            self._docs.insert(pickle.dumps(key), payload)

    def _get(self, key: Any) -> _Entry | None:
        if isinstance(self._docs, dict):
            entry: _Entry | None = self._docs.get(key)
            return entry
        values = self._docs.get(pickle.dumps(key))
        if not values:
            return None
        digest, near, rw = pickle.loads(next(iter(values)))
        return _Entry(digest, np.frombuffer(near, np.uint32), np.frombuffer(rw, np.uint32))

    def _keys(self) -> list[Any]:
        if isinstance(self._docs, dict):
            return list(self._docs)
        return [pickle.loads(k) for k in self._docs.keys()]  # noqa: SIM118

    def __len__(self) -> int:
        with self._lock:
            return len(self._keys())

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return self._get(key) is not None

    def keys(self) -> list[Any]:
        """The indexed keys, sorted."""
        with self._lock:
            keys = self._keys()
        return sorted(keys, key=key_order)

    def _entry(self, text: str) -> _Entry:
        (near,), (rw,), (digest,) = analyze(
            [shingle_form(main_text(text, self.strip_boilerplate, need_flag=False)[0])]
        )
        return _Entry(digest, near, rw)

    def _signatures(self, entry: _Entry) -> dict[str, Any]:
        near = signature_batch([entry.near], self.num_perm, self.seed)[0]
        rw = signature_batch([entry.rewrite], self.num_perm, self.seed)[0]
        out = {}
        for name, order in self._orders.items():
            sig = near if order is None else rw[order]
            out[name] = to_minhash(np.ascontiguousarray(sig), self.seed)
        return out

    def add(self, key: Any, text: str) -> None:
        """Index ``text`` under ``key`` (replacing an existing entry with that key)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        entry = self._entry(text)
        signatures = self._signatures(entry)
        with self._lock:
            if self._get(key) is not None:
                self.remove(key)
            for name, mh in signatures.items():
                self._lsh[name].insert(key, mh, check_duplication=False)
            self._put(key, entry)

    def remove(self, key: Any) -> None:
        """Remove ``key``; a ``KeyError`` if it is not indexed."""
        with self._lock:
            if self._get(key) is None:
                raise KeyError(key)
            for lsh in self._lsh.values():
                lsh.remove(key)
            if isinstance(self._docs, dict):
                del self._docs[key]
            else:
                self._docs.remove(pickle.dumps(key))

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
        with self._lock:
            exact = len(self._keys()) < self.exact_below
        signatures = None if exact else self._signatures(entry)
        candidates: set[Any] = set()
        with self._lock:
            # Entries are immutable: once fetched they are verified outside the lock.
            if signatures is None:
                candidates.update(self._keys())
            else:
                for name, mh in signatures.items():
                    candidates.update(self._lsh[name].query(mh))
            found = [(key, self._get(key)) for key in candidates]
        matches = []
        for key, other in found:
            if other is None:
                continue
            near = tier_similarity(NEAR_COPY_TIER, entry.near, other.near)
            rw = tier_similarity(REWRITE_TIER, entry.rewrite, other.rewrite)
            verdict, score, side = judge(near, rw, entry.digest == other.digest, self.thresholds)
            if verdict != "unrelated":
                matches.append(IndexMatch(key=key, score=score, verdict=verdict, contained_in=side))
        matches.sort(key=lambda m: (VERDICTS.index(m.verdict), -m.score, key_order(m.key)))
        return matches[:limit] if limit is not None else matches

    def _query_signature(self, minhash: Any, limit: int | None) -> list[IndexMatch]:
        # A precomputed rewrite-tier MinHash: candidates from the rewrite tier's LSH (all
        # documents in a small index), judged on estimated Jaccard (estimated_verdict).
        sig = signature_of(minhash, self.num_perm, self.seed)
        with self._lock:
            if len(self._keys()) < self.exact_below:
                candidates = set(self._keys())
            else:
                candidates = set()
                for name, order in self._orders.items():
                    if order is not None:
                        reordered = np.ascontiguousarray(sig[order])
                        candidates.update(self._lsh[name].query(to_minhash(reordered, self.seed)))
            found = [(key, self._get(key)) for key in candidates]
        matches = []
        for key, other in found:
            if other is None:
                continue
            theirs = signature_batch([other.rewrite], self.num_perm, self.seed)[0]
            verdict, score = estimated_verdict(sig, theirs, self.thresholds)
            if verdict != "unrelated":
                matches.append(IndexMatch(key=key, score=score, verdict=verdict))
        matches.sort(key=lambda m: (VERDICTS.index(m.verdict), -m.score, key_order(m.key)))
        return matches[:limit] if limit is not None else matches

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole index (parameters and every entry) to ``path``."""
        with self._lock:
            entries = [
                (k, e.digest, e.near.tobytes(), e.rewrite.tobytes())
                for k in self.keys()
                if (e := self._get(k)) is not None
            ]
        state = {
            "format": "textforensics.DuplicateIndex/1",
            "num_perm": self.num_perm,
            "seed": self.seed,
            "strip_boilerplate": self.strip_boilerplate,
            "pairings": self.pairings,
            "thresholds": (
                self.thresholds.near_jaccard,
                self.thresholds.near_containment,
                self.thresholds.rewrite_jaccard,
                self.thresholds.rewrite_containment,
            ),
            "entries": entries,
        }
        Path(path).write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        storage_config: dict[str, Any] | None = None,
        basename: bytes = b"textforensics",
    ) -> DuplicateIndex:
        """Read an index written by :meth:`save` (into memory, or into ``storage_config``).

        The file is a pickle: load only files you trust."""
        state = pickle.loads(Path(path).read_bytes())
        if state.get("format") != "textforensics.DuplicateIndex/1":
            raise ValueError(f"{path}: not a DuplicateIndex file")
        index = cls(
            storage_config=storage_config,
            basename=basename,
            num_perm=state["num_perm"],
            seed=state["seed"],
            strip_boilerplate=state["strip_boilerplate"],
            thresholds=Thresholds(*state["thresholds"]),
            pairings=state.get("pairings", REWRITE_PAIRINGS),
        )
        for key, digest, near, rw in state["entries"]:
            entry = _Entry(digest, np.frombuffer(near, np.uint32), np.frombuffer(rw, np.uint32))
            for name, mh in index._signatures(entry).items():
                index._lsh[name].insert(key, mh, check_duplication=False)
            index._put(key, entry)
        return index
