"""``compare``: two texts, their verdict and score, the exact similarities per tier and
the aligned passages as evidence.
"""

from __future__ import annotations

from ..results import AlignedPassage, Comparison
from ..text import LineIndex
from .evidence import align, passages
from .maintext import main_text
from .shingles import NEAR_COPY_TIER, REWRITE_TIER, analyze, shingle_form
from .verify import DEFAULT_THRESHOLDS, Thresholds, classify, tier_similarity

__all__ = ["compare"]


def compare(
    a: str,
    b: str,
    *,
    strip_boilerplate: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    evidence: bool = True,
) -> Comparison:
    """Compare two texts: verdict, score, exact similarities per tier, and the evidence.

    ``strip_boilerplate`` compares the main texts that
    :func:`textforensics.strip_boilerplate` leaves. Evidence is the one-to-one alignment
    of passages (sentences) whose own word overlap reaches :data:`PASSAGE_THRESHOLD`, for
    verdicts other than ``unrelated``; spans refer to the original strings.
    """
    main_a, removed_a, stripped_a = main_text(a, strip_boilerplate)
    main_b, removed_b, stripped_b = main_text(b, strip_boilerplate)
    (near_a, near_b), (rw_a, rw_b), (dig_a, dig_b) = analyze(
        [shingle_form(main_a), shingle_form(main_b)]
    )
    near = tier_similarity(NEAR_COPY_TIER, near_a, near_b)
    rw = tier_similarity(REWRITE_TIER, rw_a, rw_b)
    identical = dig_a == dig_b
    verdict, score = classify(near, rw, identical, thresholds)
    aligned: list[AlignedPassage] = []
    if evidence and verdict != "unrelated":
        pa = passages(a, removed_a)
        pb = passages(b, removed_b)
        ia, ib = LineIndex(a), LineIndex(b)
        for i, j, sim in align(a, b, pa, pb):
            (sa, ea), (sb, eb) = pa[i], pb[j]
            aligned.append(
                AlignedPassage(
                    a=ia.span(sa, ea),
                    b=ib.span(sb, eb),
                    similarity=round(sim, 6),
                    text_a=a[sa:ea],
                    text_b=b[sb:eb],
                )
            )
    return Comparison(
        score=score,
        verdict=verdict,
        near_copy=near,
        rewrite=rw,
        evidence=tuple(aligned),
        boilerplate_stripped=stripped_a or stripped_b,
    )
