"""``find_duplicates``: a corpus clustered into groups of copies and rewrites (stages 0 to
6 on batches of documents, in worker processes for large corpora).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ..results import DuplicateCluster, DuplicatePair, DuplicateReport
from .bags import STEM_CHARS, content_stems, pair_keys_batch
from .lsh import (
    REWRITE_PAIRINGS,
    band_keys_batch,
    candidate_pairs_from_band_keys,
    connected_components,
    lsh_candidate_pairs,
    lsh_params,
    pairing_orders,
)
from .maintext import Spans, cut, main_text
from .minhash import (
    DEFAULT_NUM_PERM,
    DEFAULT_SEED,
    cache_slices,
    ngram_flat,
    signatures_from_flat,
    to_minhash,
)
from .pairwise import (
    SIDES,
    VERDICT_CODES,
    TopBitMaps,
    containments_reaching,
    judge_batch,
    shared_counts,
)
from .samples import SAMPLE_RATE, sample_shingles, sampled_candidate_pairs
from .shingles import (
    NEAR_COPY_TIER,
    REWRITE_TIER,
    U32,
    U64,
    digests,
    hash_joined_prefixes,
    joined_forms,
    ngram_hashes,
    text_hashes,
    unique_runs,
)
from .verify import CLUSTER_VERDICTS, DEFAULT_THRESHOLDS, Thresholds

__all__ = [
    "NEAR_IDENTICAL_ROWS",
    "ProgressCallback",
    "empty_signature_rows",
    "estimated_verdict",
    "find_duplicates",
    "is_signature",
    "key_order",
    "prepare_batch",
    "signature_of",
    "with_twins",
]

ProgressCallback = Callable[[str, int, int], None]


def key_order(key: Hashable) -> tuple[int, Any]:
    """A total order on keys of mixed types (numbers, then strings, bytes, tuples, the
    rest by ``repr``): the order of documents in reports and of ties in index matches."""
    if isinstance(key, bool):
        return (0, int(key))
    if isinstance(key, int):
        return (0, key)
    if isinstance(key, str):
        return (1, key)
    if isinstance(key, bytes):
        return (2, key)
    if isinstance(key, tuple):
        return (3, tuple(key_order(k) for k in key))
    return (4, repr(key))


Docs = Mapping[Any, Any] | Iterable[tuple[Any, Any]] | Iterable[Any]


def _pairs_of(docs: Docs) -> list[tuple[Any, str]]:
    if isinstance(docs, (str, bytes)) or not isinstance(docs, (Mapping, Iterable)):
        raise TypeError(
            f"docs must be a mapping or an iterable of texts or (key, text) pairs, "
            f"not {type(docs).__name__}"
        )
    if isinstance(docs, Mapping):
        items = list(docs.items())
    else:
        items = []
        for i, doc in enumerate(docs):
            if isinstance(doc, str) or is_signature(doc):
                items.append((i, doc))  # a bare text is keyed by its position
            elif isinstance(doc, tuple) and len(doc) == 2:
                key, text = doc
                items.append((key, text))
            else:
                raise TypeError(
                    f"docs[{i}] must be a str or a (key, text) tuple, not {type(doc).__name__}"
                )
    for k, text in items:
        if not isinstance(text, str) and not is_signature(text):
            raise TypeError(
                f"docs[{k!r}] must be a str or a datasketch MinHash, not {type(text).__name__}"
            )
    seen: set[Any] = set()
    for k, _ in items:
        if k in seen:
            raise ValueError(f"duplicate key {k!r}")
        seen.add(k)
    items.sort(key=lambda kv: key_order(kv[0]))
    return items


def prepare_batch(
    texts: Sequence[str],
    *,
    strip: bool = True,
    num_perm: int = DEFAULT_NUM_PERM,
    seed: int = DEFAULT_SEED,
) -> tuple[list[bytes], U32]:
    """Stages 0-2 as :func:`find_duplicates` runs them on a batch of raw documents: the
    word-sequence digest of each main text (:func:`token_digest_batch`) and its
    rewrite-tier signature (:func:`signatures_from_texts` with ``REWRITE_TIER.n``), the
    signatures whose LSH proposes candidates (a near copy's 3-gram Jaccard is far above
    the rewrite tier's threshold)."""
    wordings, signatures, _, _, _ = _prepare_chunk((list(texts), strip, num_perm, seed, 0, False))
    return wordings, signatures


Samples = tuple[npt.NDArray[np.int64], U32]
Tokens = list[tuple[U64, U64, U32]]
"""Per text of a chunk, its token hashes, its content-word stems and its rewrite-tier
n-gram hashes in text order (the output of the first pass that the shingle stage needs
again), kept only when asked."""


def _prepare_chunk(
    args: tuple[list[str], bool, int, int, int, bool],
) -> tuple[list[bytes], U32, list[Spans], Samples, Tokens]:
    # Also the removed spans of each text, so later stages cut the main text out again
    # instead of running the boilerplate stripper a second time, and the sampled
    # rewrite-tier shingles (text index within the chunk, hash) of the second candidate
    # source, taken from the n-gram hashes the signatures are made of. With ``keep``,
    # each text's token hashes, content stems and those n-gram hashes as well, from the
    # same pass over the bytes, so the shingle stage need not normalize and hash the
    # text again.
    texts, strip, num_perm, seed, rate, keep = args
    prepared = [main_text(t, strip, need_flag=False) for t in texts]
    main = [m for m, _, _ in prepared]
    spans = [removed for _, removed, _ in prepared]
    wordings: list[bytes] = []
    signatures: list[U32] = []
    sample_text: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    sample_hash: list[U32] = [np.zeros(0, dtype=np.uint32)]
    tokens: Tokens = []
    for lo, hi in cache_slices([len(t) for t in main]):
        if keep:
            th, counts, prefixes, nchars = hash_joined_prefixes(
                *joined_forms(main[lo:hi]), STEM_CHARS
            )
            bounds = np.concatenate(([0], np.cumsum(counts))).tolist()
            stems = content_stems(th, prefixes, nchars, counts)
        else:
            th, counts = text_hashes(main[lo:hi], False)
        wordings.extend(digests(th, counts))
        flat, sizes = ngram_flat(th, counts, REWRITE_TIER.n)
        if keep:
            at = np.concatenate(([0], np.cumsum(sizes))).tolist()
            tokens.extend(
                (th[bounds[k] : bounds[k + 1]], stems[k], flat[at[k] : at[k + 1]])
                for k in range(len(counts))
            )
        signatures.append(signatures_from_flat(flat, sizes, num_perm, seed))
        if rate:
            where, hashes = sample_shingles(flat, sizes, rate)
            sample_text.append(where + lo)
            sample_hash.append(hashes)
    samples = (np.concatenate(sample_text), np.concatenate(sample_hash))
    if not signatures:
        return wordings, np.zeros((0, num_perm), dtype=np.uint32), spans, samples, tokens
    return wordings, np.concatenate(signatures), spans, samples, tokens


def _shingle_chunk(main: list[str]) -> tuple[list[U32], list[U32], list[U64]]:
    # Both tiers' shingles of main texts (cut out with the spans of stage 0) and their
    # content-word stems (the third signal's input), from one normalization and one
    # pass over the bytes.
    th, counts, prefixes, nchars = hash_joined_prefixes(*joined_forms(main), STEM_CHARS)
    near = ngram_hashes(th, counts, NEAR_COPY_TIER.n)
    rw = ngram_hashes(th, counts, REWRITE_TIER.n)
    return near, rw, content_stems(th, prefixes, nchars, counts)


def _shingle_kept(kept: Tokens) -> tuple[list[U32], list[U32], list[U64]]:
    # _shingle_chunk from what the first stage kept: the rewrite tier's n-grams were
    # hashed there already (for the signatures), so only the near-copy tier's are.
    th = np.concatenate([np.zeros(0, dtype=np.uint64)] + [t for t, _, _ in kept])
    counts = np.fromiter((len(t) for t, _, _ in kept), dtype=np.int64, count=len(kept))
    near = ngram_hashes(th, counts, NEAR_COPY_TIER.n)
    grams = np.concatenate([np.zeros(0, dtype=np.uint32)] + [g for _, _, g in kept])
    sizes = np.fromiter((len(g) for _, _, g in kept), dtype=np.int64, count=len(kept))
    rw = unique_runs(grams, sizes)
    return near, rw, [stems for _, stems, _ in kept]


_CHUNK = 256


def _map_chunks(
    fn: Callable[[Any], Any],
    chunks: list[Any],
    processes: int,
    progress: Callable[[int], None],
) -> list[Any]:
    if processes <= 1 or len(chunks) <= 1:
        results = []
        for c in chunks:
            results.append(fn(c))
            progress(1)
        return results
    results = []
    if "fork" in multiprocessing.get_all_start_methods():
        # Forked workers inherit the chunks: only indices and results cross the pipes. The
        # work reaches each worker as its initializer's arguments (kept in memory across
        # the fork, not pickled), so this process holds no state that a concurrent call
        # could overwrite.
        with multiprocessing.get_context("fork").Pool(
            processes, initializer=_adopt_work, initargs=(fn, chunks)
        ) as pool:
            for r in pool.imap(_run_adopted, range(len(chunks))):
                results.append(r)
                progress(1)
        return results
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        for r in pool.imap(fn, chunks):
            results.append(r)
            progress(1)
    return results


# Set only inside a forked worker process (by its pool's initializer), never in the
# process that calls find_duplicates.
_WORK: tuple[Callable[[Any], Any], list[Any]] | None = None


def _adopt_work(fn: Callable[[Any], Any], chunks: list[Any]) -> None:
    global _WORK
    _WORK = (fn, chunks)


def _run_adopted(i: int) -> Any:
    assert _WORK is not None
    fn, chunks = _WORK
    return fn(chunks[i])


# Characters of input below which one process is used, with and without the
# boilerplate stripper. With stripping the limit is about 1 CPU-second of the parallel
# stages on one core (stripping costs several times more per character than shingling
# and signatures). Without it, forking the pool and shipping every involved document's
# shingles back through the pipes cost more CPU than the pool saved on the 3,000-document
# crawl corpus (14 million characters; docs/crawl_benchmark.md, "Session 10"), and one
# process also keeps the first pass's token hashes. The limit is about 3 CPU-seconds of
# those stages; where a pool starts to pay on an idle machine was not measured.
_POOL_CHARS_STRIP = 2_000_000
_POOL_CHARS_PLAIN = 40_000_000

# Characters of input up to which one process keeps each text's token hashes and
# content stems from the first pass for the shingle stage (8 bytes a token and a stem:
# the peak memory of the 14-million-character crawl corpus rose from 172 to 233 MB).
_KEEP_TOKENS_CHARS = 20_000_000


def _default_processes(n_chars: int, n_chunks: int, strip: bool) -> int:
    # From the work, not the document count: one process until the input is large
    # enough for a pool to win, then one per core, never more than there are chunks.
    if n_chunks <= 1 or n_chars < (_POOL_CHARS_STRIP if strip else _POOL_CHARS_PLAIN):
        return 1
    return max(1, min(os.cpu_count() or 1, 8, n_chunks))


def find_duplicates(
    docs: Docs,
    *,
    strip_boilerplate: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    num_perm: int = DEFAULT_NUM_PERM,
    seed: int = DEFAULT_SEED,
    all_pairs_below: int = 300,
    candidates: Literal["bands", "datasketch"] = "bands",
    max_bucket: int = 1000,
    pairings: int = REWRITE_PAIRINGS,
    sample_rate: int = SAMPLE_RATE,
    processes: int | None = None,
    progress: ProgressCallback | None = None,
) -> DuplicateReport:
    """Cluster a corpus into groups of copies and rewrites.

    ``docs`` maps keys to texts (or is an iterable of ``(key, text)`` pairs, or of texts,
    keyed by their position; keys must be unique). A text may be replaced by its
    precomputed datasketch ``MinHash``/``LeanMinHash`` of the rewrite tier (same
    ``num_perm`` and ``seed``, ``scheme="affine32"``; e.g. :func:`to_minhash` of
    :func:`signatures_from_texts` with ``REWRITE_TIER.n``, or your own 3-gram
    MinHashes when every document is a signature): pairs involving one are judged on
    the estimated Jaccard of the signatures (:func:`estimated_verdict`). Documents with
    identical wording are grouped exactly first; then candidates come from MinHash LSH
    over the rewrite tier's signatures (a near copy's word 3-gram Jaccard is far above
    that tier's LSH threshold), with the bands and rows datasketch's ``MinHashLSH``
    chooses for :data:`REWRITE_TIER`'s threshold (or all pairs when fewer than
    ``all_pairs_below`` distinct documents remain), and every candidate of texts is
    verified exactly with :func:`classify`, so a reported pair is never a hashing accident.
    ``candidates="bands"`` buckets the band keys with numpy (:func:`band_keys_batch`,
    :func:`candidate_pairs_from_band_keys`; a bucket larger than ``max_bucket``
    contributes a star around its smallest member instead of all its pairs);
    ``candidates="datasketch"`` inserts and queries real ``MinHashLSH`` indexes (the same
    candidates, slower). The rewrite tier's signature positions are banded in ``pairings``
    disjoint pairings (:func:`pairing_orders`, :data:`REWRITE_PAIRINGS`): more bands of two
    rows from the same hash values, so a rewrite as loose as 3-gram Jaccard 0.1 becomes a
    candidate with probability 0.96 (``pairings=1``, datasketch's banding alone: 0.47).
    A second candidate source sees containment, which Jaccard-tuned LSH misses: one in
    ``sample_rate`` of each text's 3-grams, chosen by hash (:mod:`.samples`), and pairs
    sharing enough of the smaller text's sample are candidates too, so excerpts (a short
    text inside a long one) and heavy paraphrases are proposed (``sample_rate=0`` turns
    this source off).
    Clusters are the connected components of verified ``identical``, ``near_copy`` and
    ``rewrite`` pairs; ``excerpt`` pairs (a text mostly contained in another, or a copied
    passage shared by two otherwise unrelated texts) are listed in ``report.excerpts``
    (for every document of identical wording: :func:`with_twins`) and join no cluster.
    Documents without words relate to nothing. Near-identical documents (sharing a
    strict band of :data:`NEAR_IDENTICAL_ROWS` hash values) are verified against the
    first of their group only, which alone enters LSH, so a corpus of thousands of
    near-identical documents costs about one check per document. The result does not
    depend on the input order or on ``processes``. By default (``None``) the number
    of processes follows the work: one process below about 2 million characters of
    input with stripping (40 million without, where a document costs several times
    less), since forking a pool and shipping results back costs more than it saves on
    smaller inputs (and one process keeps the first pass's token hashes for the
    shingle stage up to 20 million characters); above that one per core (at most 8,
    at most one per chunk of 256 documents). ``progress(stage, done, total)`` is called
    as work advances.
    """
    items = _pairs_of(docs)
    keys = [k for k, _ in items]
    # Documents given as signatures are prepared as empty texts, then given their own
    # signature row (and a wording digest no text can have).
    given = {i: v for i, (_, v) in enumerate(items) if not isinstance(v, str)}
    texts = [t if isinstance(t, str) else "" for _, t in items]
    n = len(items)
    report: ProgressCallback = progress or (lambda stage, done, total: None)
    chunks = [texts[i : i + _CHUNK] for i in range(0, n, _CHUNK)]
    if processes is None:
        procs = _default_processes(sum(map(len, texts)), len(chunks), strip_boilerplate)
    else:
        procs = max(1, processes)
    done = [0]

    def tick(stage: str, total: int) -> Callable[[int], None]:
        done[0] = 0

        def f(k: int) -> None:
            done[0] += k
            report(stage, done[0], total)

        return f

    # One process keeps the first pass's token hashes for the shingle stage (8 bytes a
    # token, and as much again for content stems) when the input is small enough for
    # that to be a few tens of MB; a pool would have to ship them back through pipes.
    keep = procs == 1 and sum(map(len, texts)) <= _KEEP_TOKENS_CHARS
    prepared = _map_chunks(
        _prepare_chunk,
        [(c, strip_boilerplate, num_perm, seed, sample_rate, keep) for c in chunks],
        procs,
        tick("signatures", len(chunks)),
    )
    wordings: list[bytes] = [d for p in prepared for d in p[0]]
    rw_sig = (
        np.concatenate([p[1] for p in prepared]) if prepared else np.zeros((0, num_perm), np.uint32)
    )
    removed: list[Spans] = [r for p in prepared for r in p[2]]
    sample_text = np.concatenate(
        [np.zeros(0, np.int64)] + [p[3][0] + k * _CHUNK for k, p in enumerate(prepared)]
    )
    sample_hash = np.concatenate([np.zeros(0, np.uint32)] + [p[3][1] for p in prepared])
    kept: Tokens = [t for p in prepared for t in p[4]]
    del prepared
    for i, sig_obj in given.items():
        rw_sig[i] = signature_of(sig_obj, num_perm, seed)
        wordings[i] = b"signature %d" % i

    # Exact groups of identical wording: one representative (the smallest key) each.
    # A document without words (its signature is all "empty") relates to nothing.
    first_of: dict[bytes, int] = {}
    edges: list[tuple[int, int, str, float]] = []
    reps: list[int] = []
    twins: dict[int, list[int]] = {}  # a representative's identical documents after it
    empty = empty_signature_rows(rw_sig)
    for i, d in enumerate(wordings):
        if empty[i]:
            continue
        if d in first_of:
            edges.append((first_of[d], i, "identical", 1.0))
            twins.setdefault(first_of[d], []).append(i)
        else:
            first_of[d] = i
            reps.append(i)

    # Near-identical documents (issue 16: thousands of copies differing in a few words)
    # would fill the LSH buckets and propose all their pairs. They are collapsed first:
    # documents sharing one of the strict bands of NEAR_IDENTICAL_ROWS hash values
    # (3-gram Jaccard ~0.97 or more, almost surely) are grouped, each member is verified
    # against its group's first document only, and only that one enters LSH.
    same_sig: list[tuple[int, int]] = []
    if len(reps) >= all_pairs_below:
        reps, same_sig = _collapse_near_identical(rw_sig, reps)

    # Candidates among representatives.
    if len(reps) < all_pairs_below:
        cand = [(reps[x], reps[y]) for x in range(len(reps)) for y in range(x + 1, len(reps))]
        method = "all_pairs"
    elif candidates == "datasketch":
        from datasketch import MinHashLSH

        method = "lsh_datasketch"
        cand_set: set[tuple[int, int]] = set()
        orders = pairing_orders(num_perm, pairings)
        step = tick(f"lsh {REWRITE_TIER.name}", len(reps) * len(orders))
        for order in orders:
            lsh = MinHashLSH(
                num_perm=num_perm, params=lsh_params(REWRITE_TIER.lsh_threshold, num_perm)
            )
            mh = [to_minhash(rw_sig[i][order], seed) for i in reps]
            with lsh.insertion_session() as session:
                for i, m in zip(reps, mh, strict=True):
                    session.insert(i, m, check_duplication=False)
            for i, m in zip(reps, mh, strict=True):
                cand_set.update((min(i, j), max(i, j)) for j in lsh.query(m) if j != i)
                step(1)
        cand = sorted(cand_set)
    else:
        method = "lsh"
        rep_arr = np.asarray(reps, dtype=np.int64)
        bands, rows = lsh_params(REWRITE_TIER.lsh_threshold, num_perm)
        local = lsh_candidate_pairs(
            rw_sig[rep_arr],
            bands,
            rows,
            pairings,
            max_bucket,
            lambda done, total: report(f"lsh {REWRITE_TIER.name}", done, total),
        )
        cand = [(int(x), int(y)) for x, y in rep_arr[local]]
    if method != "all_pairs" and sample_rate > 0:
        # The second source: pairs whose sampled shingles show containment (excerpts,
        # heavy paraphrases), among the same representatives.
        is_rep = np.zeros(n, dtype=bool)
        is_rep[np.asarray(reps, dtype=np.int64)] = True
        use = is_rep[sample_text]
        sampled = sampled_candidate_pairs(sample_text[use], sample_hash[use], n)
        if sampled.size:
            merged = np.unique(
                np.concatenate(
                    [
                        np.asarray(cand, dtype=np.int64).reshape(-1, 2) @ np.array([n, 1]),
                        sampled @ np.array([n, 1]),
                    ]
                )
            )
            cand = list(zip((merged // n).tolist(), (merged % n).tolist(), strict=True))
    cand.extend(same_sig)

    # Exact verification: shingles only for documents that appear in a candidate pair.
    involved = sorted({i for pair in cand for i in pair} - set(given))
    near_sh: dict[int, U32] = {}
    rw_sh: dict[int, U32] = {}
    stems: dict[int, U64] = {}
    if involved:
        sub_chunks = [involved[x : x + _CHUNK] for x in range(0, len(involved), _CHUNK)]
        if kept:
            shingled = _map_chunks(
                _shingle_kept,
                [[kept[i] for i in c] for c in sub_chunks],
                1,
                tick("shingles", len(sub_chunks)),
            )
        else:
            shingled = _map_chunks(
                _shingle_chunk,
                [[cut(texts[i], removed[i]) for i in c] for c in sub_chunks],
                procs if len(involved) >= 4 * _CHUNK else 1,
                tick("shingles", len(sub_chunks)),
            )
        for c, (ns, rs, ss) in zip(sub_chunks, shingled, strict=True):
            for i, a1, a2, a3 in zip(c, ns, rs, ss, strict=True):
                near_sh[i] = a1
                rw_sh[i] = a2
                stems[i] = a3
    verify_step = tick("verify", len(cand))
    # Content pairs (the rewrite tier's third signal) as sorted 64-bit keys, made from
    # the stems of the shingle stage only for documents of a pair that reaches the
    # point of needing them, once each.
    pairs_cache: dict[int, U64] = {}

    def pairs_of_docs(docs: list[int]) -> dict[int, U64]:
        new = [d for d in docs if d not in pairs_cache]
        pairs_cache.update(zip(new, pair_keys_batch([stems[d] for d in new]), strict=True))
        return {d: pairs_cache[d] for d in docs}

    # The content-pair keys' top-bit maps, made once per document for every block.
    key_maps = TopBitMaps()

    verified: list[tuple[int, int, str, float]] = []
    excerpt_edges: list[tuple[int, int, float, str | None]] = []
    for start in range(0, len(cand), _VERIFY_BLOCK):
        block = cand[start : start + _VERIFY_BLOCK]
        judged = _verify_block(block, given, near_sh, rw_sh, pairs_of_docs, key_maps, thresholds)
        for (i, j), (verdict, score, side) in zip(block, judged, strict=True):
            if verdict is None:
                verdict, score = estimated_verdict(rw_sig[i], rw_sig[j], thresholds)
                if verdict != "unrelated":
                    verified.append((i, j, verdict, score))
            elif verdict in CLUSTER_VERDICTS:
                verified.append((i, j, verdict, score))
            elif verdict == "excerpt":
                excerpt_edges.append((i, j, score, side))
        verify_step(len(block))
    edges.extend(verified)
    if twins:
        excerpt_edges = with_twins(excerpt_edges, twins)

    labels = connected_components(n, ((i, j) for i, j, _, _ in edges))
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(int(label), []).append(i)
    pairs_of: dict[int, list[DuplicatePair]] = {}
    for i, j, verdict, score in sorted(edges, key=lambda e: (e[0], e[1])):
        pairs_of.setdefault(int(labels[i]), []).append(
            DuplicatePair(a=keys[i], b=keys[j], verdict=verdict, score=score)
        )
    clusters = []
    unique = []
    for label in sorted(members):
        idx = members[label]
        if len(idx) == 1:
            unique.append(keys[idx[0]])
            continue
        clusters.append(
            DuplicateCluster(
                representative=keys[idx[0]],
                keys=tuple(keys[i] for i in idx),
                pairs=tuple(pairs_of.get(label, ())),
            )
        )
    return DuplicateReport(
        clusters=tuple(clusters),
        unique=tuple(unique),
        documents=n,
        candidate_pairs=len(cand),
        method=method,
        excerpts=tuple(
            DuplicatePair(a=keys[i], b=keys[j], verdict="excerpt", score=score, contained_in=side)
            for i, j, score, side in sorted(excerpt_edges, key=lambda e: (e[0], e[1]))
        ),
    )


_VERIFY_BLOCK = 50_000

_FLIP = {"a": "b", "b": "a", None: None}


def with_twins(
    excerpt_edges: list[tuple[int, int, float, str | None]], twins: Mapping[int, list[int]]
) -> list[tuple[int, int, float, str | None]]:
    """Excerpt edges ``(i, j, score, side)`` between representatives, each repeated for
    every pair of their documents of identical wording (``twins[r]``: the documents after
    representative ``r`` with its wording), in index order with the containing side
    turned to match. Only representatives are verified; a twin has the same shingles and
    content pairs, hence the same verdict, score and side against any third document, as
    :func:`compare` gives it. Clusters need no such step (the twins join them through
    their ``identical`` pairs), but excerpt edges join no cluster, so without it a
    document would lose its excerpt edges to whichever identical twin sorts first."""
    out: list[tuple[int, int, float, str | None]] = []
    for i, j, score, side in excerpt_edges:
        for a in [i, *twins.get(i, ())]:
            for b in [j, *twins.get(j, ())]:
                if a < b:
                    out.append((a, b, score, side))
                else:
                    out.append((b, a, score, _FLIP[side]))
    return out


def _verify_block(
    block: list[tuple[int, int]],
    given: Mapping[int, Any],
    near_sh: Mapping[int, U32],
    rw_sh: Mapping[int, U32],
    pairs_of_docs: Callable[[list[int]], dict[int, U64]],
    key_maps: TopBitMaps,
    thresholds: Thresholds,
) -> list[tuple[str | None, float, str | None]]:
    # Stage 5 for a block of candidate pairs in array code (shared counts of both tiers,
    # then every verdict at once): (verdict, score, containing side) per pair, in order;
    # verdict None for a pair involving a given signature, judged on its estimate instead.
    out: list[tuple[str | None, float, str | None]] = [(None, 0.0, None)] * len(block)
    pairs = np.asarray(block, dtype=np.int64).reshape(-1, 2)
    texts = np.flatnonzero(
        [not (i in given or j in given) for i, j in block] if given else np.ones(len(block), bool)
    )
    if not len(texts):
        return out
    sub = pairs[texts]

    def sizes(sets: Mapping[int, Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        docs, inverse = np.unique(sub, return_inverse=True)
        lens = np.fromiter((len(sets[d]) for d in docs.tolist()), np.int64, len(docs))
        at = lens[inverse.reshape(sub.shape)]
        return at[:, 0], at[:, 1]

    def bag(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
        # judge_batch only compares these with rewrite_bag: the pairs an exact upper
        # bound keeps under it are not merged (0.0 for them).
        asked = sub[mask]
        keys = pairs_of_docs(np.unique(asked).tolist())
        return containments_reaching(keys, asked, thresholds.rewrite_bag, key_maps)

    verdict, score, side = judge_batch(
        (shared_counts(near_sh, sub), *sizes(near_sh)),
        (shared_counts(rw_sh, sub), *sizes(rw_sh)),
        np.zeros(len(sub), dtype=bool),
        thresholds,
        bag,
    )
    rows = zip(texts.tolist(), verdict.tolist(), score.tolist(), side.tolist(), strict=True)
    for k, v, s, d in rows:
        out[k] = (VERDICT_CODES[v], s, SIDES[d])
    return out


NEAR_IDENTICAL_ROWS = 16
"""Rows of the strict bands that group near-identical documents before LSH in
:func:`find_duplicates` (``num_perm // 16`` bands: 8 of 16 rows for 128 permutations;
two documents at 3-gram Jaccard ``J`` share a band with probability ``1 - (1 - J**16)**8``:
0.99 at 0.97, 0.45 at 0.9, 0.03 at 0.75)."""


def _collapse_near_identical(
    signatures: U32, reps: list[int]
) -> tuple[list[int], list[tuple[int, int]]]:
    # The representatives left for LSH and the (group's first, member) pairs to verify.
    bands = signatures.shape[1] // NEAR_IDENTICAL_ROWS
    if bands == 0 or len(reps) < 2:
        return reps, []
    rep_arr = np.asarray(reps, dtype=np.int64)
    keys = band_keys_batch(signatures[rep_arr], bands, NEAR_IDENTICAL_ROWS)
    # max_bucket=1: every shared key links its documents to the bucket's first one.
    linked = candidate_pairs_from_band_keys(keys, max_bucket=1)
    if linked.size == 0:
        return reps, []
    labels = connected_components(len(reps), ((int(a), int(b)) for a, b in linked))
    own = labels == np.arange(len(reps))
    members = np.flatnonzero(~own)
    pairs = [(int(rep_arr[labels[m]]), int(rep_arr[m])) for m in members.tolist()]
    return rep_arr[own].tolist(), pairs


def is_signature(value: object) -> bool:
    """Whether ``value`` is a datasketch ``MinHash`` or ``LeanMinHash`` (or any object
    with their ``hashvalues`` and ``seed``)."""
    return hasattr(value, "hashvalues") and hasattr(value, "seed")


def signature_of(minhash: Any, num_perm: int, seed: int) -> U32:
    """The ``uint32`` signature row of a datasketch ``MinHash``/``LeanMinHash``; a
    ``ValueError`` unless it was made with ``num_perm`` permutations and ``seed`` (the
    ``affine32`` scheme, whose values fit 32 bits)."""
    values = np.asarray(minhash.hashvalues)
    if values.shape != (num_perm,) or int(minhash.seed) != seed:
        raise ValueError(
            f"a MinHash with num_perm={values.size} and seed={minhash.seed} cannot be "
            f"compared with signatures of num_perm={num_perm}, seed={seed}"
        )
    if values.size and int(values.max()) > 0xFFFFFFFF:
        raise ValueError("MinHash values above 32 bits: use datasketch's scheme='affine32'")
    return values.astype(np.uint32)


def estimated_verdict(sig_a: U32, sig_b: U32, thresholds: Thresholds) -> tuple[str, float]:
    """The verdict of a pair known only by rewrite-tier signatures: their estimated
    3-gram Jaccard (share of equal positions) is the score; ``near_copy`` at
    ``near_jaccard`` or more, ``rewrite`` at ``rewrite_jaccard`` or more (there are no
    shingles to verify exactly, to measure containment or to tell an excerpt)."""
    empty = np.uint32(0xFFFFFFFF)
    if (sig_a == empty).all() or (sig_b == empty).all():
        return "unrelated", 0.0
    est = float(np.mean(sig_a == sig_b))
    if est >= thresholds.near_jaccard:
        return "near_copy", est
    if est >= thresholds.rewrite_jaccard:
        return "rewrite", est
    return "unrelated", est


def empty_signature_rows(signatures: U32) -> npt.NDArray[np.bool_]:
    """Which rows of a signature matrix belong to documents without words: a text
    without shingles gets the all-maximum MinHash signature (datasketch's initial
    values), which no text with a shingle can have. Such a document relates to nothing,
    not even to another one without words."""
    if signatures.size == 0:
        return np.zeros(signatures.shape[0], dtype=bool)
    return np.asarray((signatures == np.iinfo(np.uint32).max).all(axis=1))
