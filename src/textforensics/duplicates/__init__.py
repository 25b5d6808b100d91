"""Near-duplicate and rewrite detection: shingles, MinHash signatures, LSH, verification,
clusters, an incremental index, and the evidence (aligned passages).

Two tiers of shingles are computed on the normalized text (:func:`text.matching_form`):

- the **near-copy tier**, word 5-grams: high Jaccard means copied text;
- the **rewrite tier**, word 3-grams: a rewritten story keeps many short phrases (names,
  places, quotes) while unrelated articles on the same topic share almost none.

Both similarities are computed exactly for a verdict; MinHash signatures and LSH only
propose candidates. Thresholds were calibrated with ``scripts/calibrate_duplicates.py``
(see ``docs/duplicates.md``).

The stages are public pure functions over batches with plain data in and out, so that a
distributed engine can run them (Ray, Spark). One module per stage:

0. :mod:`.maintext` the text that is compared (:func:`main_texts`: boilerplate stripped);
1. :mod:`.shingles` :func:`shingle_batch` texts -> sorted unique ``uint32`` shingle hashes
   per text (plus :func:`token_digest_batch` for exact "identical" detection);
2. :mod:`.minhash` :func:`signature_batch` shingle arrays -> ``(n, num_perm)`` ``uint32``
   signatures, bit-for-bit datasketch ``MinHash`` values (scheme ``affine32``);
3. :mod:`.lsh` :func:`band_keys_batch` signatures -> ``(n, bands)`` ``uint64`` band keys;
4. :mod:`.lsh` :func:`candidate_pairs_from_band_keys` band keys -> candidate index pairs,
   and :mod:`.samples` :func:`sampled_candidate_pairs` sampled 3-grams -> the pairs whose
   smaller text is partly contained in the other (excerpts, heavy paraphrases);
5. :mod:`.verify` :func:`verify_pairs` shingle arrays + pairs -> verdicts and scores;
6. :mod:`.lsh` :func:`connected_components` edges -> component labels.

On top of them: :mod:`.comparison` (:func:`compare`, with :mod:`.evidence`), :mod:`.corpus`
(:func:`find_duplicates`), :mod:`.index` (:class:`DuplicateIndex`), and, needing the
``ray`` extra and never imported here, :mod:`.ray` (with its numpy kernels in
:mod:`.distributed`).

Every public function is safe to call from many threads at once; see
``docs/duplicates.md`` for what a :class:`DuplicateIndex` guarantees.
"""

from __future__ import annotations

from ..results import AlignedPassage as AlignedPassage
from ..results import Comparison as Comparison
from ..results import DuplicateCluster as DuplicateCluster
from ..results import DuplicatePair as DuplicatePair
from ..results import DuplicateReport as DuplicateReport
from ..results import IndexMatch as IndexMatch
from ..results import TierSimilarity as TierSimilarity
from .comparison import compare, compare_many
from .corpus import ProgressCallback as ProgressCallback
from .corpus import find_duplicates, prepare_batch
from .evidence import PASSAGE_THRESHOLD
from .index import DuplicateIndex, IndexFormatError
from .lsh import (
    REWRITE_PAIRINGS,
    band_keys_batch,
    candidate_pairs_from_band_keys,
    connected_components,
    lsh_candidate_pairs,
    lsh_params,
    pairing_orders,
)
from .maintext import main_texts
from .minhash import (
    DEFAULT_NUM_PERM,
    DEFAULT_SEED,
    signature_batch,
    signatures_from_texts,
    to_minhash,
)
from .samples import SAMPLE_RATE, sample_shingles, sampled_candidate_pairs
from .shingles import (
    NEAR_COPY_TIER,
    REWRITE_TIER,
    Tier,
    multi_shingle_batch,
    shingle_batch,
    shingle_form,
    token_digest_batch,
)
from .shingles import U32 as U32
from .shingles import U64 as U64
from .verify import (
    DEFAULT_THRESHOLDS,
    VERDICTS,
    Thresholds,
    classify,
    tier_similarity,
    verify_pairs,
)

__all__ = [
    "DEFAULT_NUM_PERM",
    "DEFAULT_SEED",
    "DEFAULT_THRESHOLDS",
    "NEAR_COPY_TIER",
    "PASSAGE_THRESHOLD",
    "REWRITE_PAIRINGS",
    "REWRITE_TIER",
    "SAMPLE_RATE",
    "VERDICTS",
    "DuplicateIndex",
    "IndexFormatError",
    "Thresholds",
    "Tier",
    "band_keys_batch",
    "candidate_pairs_from_band_keys",
    "classify",
    "compare",
    "compare_many",
    "connected_components",
    "find_duplicates",
    "lsh_candidate_pairs",
    "lsh_params",
    "main_texts",
    "multi_shingle_batch",
    "pairing_orders",
    "prepare_batch",
    "sample_shingles",
    "sampled_candidate_pairs",
    "shingle_batch",
    "shingle_form",
    "signature_batch",
    "signatures_from_texts",
    "tier_similarity",
    "to_minhash",
    "token_digest_batch",
    "verify_pairs",
]
