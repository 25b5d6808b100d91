"""The third signal of the rewrite tier: pairs of content words that occur near each
other, unordered. A heavy paraphrase reorders sentences, turns clauses around and swaps
many words for synonyms, which breaks most word 3-grams; but the names, numbers and
uncommon words it keeps still occur near each other, in either order. Unrelated articles
on the same topic share the topic's words, rarely the same pairs of them side by side.
"""

from __future__ import annotations

from ..results import TierSimilarity
from ..text import matching_form, replace_lone_surrogates, tokens

__all__ = ["BAG_FLOOR", "BAG_WINDOW", "bag_containment", "consulted", "content_pairs"]

BAG_WINDOW = 8
"""Two content words form a pair when fewer than this many content words apart."""

BAG_FLOOR = 0.03
"""The larger rewrite-tier containment a pair needs before this signal is consulted:
even heavy paraphrases keep some 3-grams (0.054 at least in the calibration), and pairs
below it are not worth the extra pass over both texts."""

_STEM = 5  # a crude stem: the first letters, so "attacked" and "attacks" agree

# Function words and reporting verbs of at least four letters (shorter words are never
# content words here): every article has them, so they say nothing about its content.
_STOP = frozenset(
    """
    that this with from have will your they their there which about would were been what
    when more also into than them then some only other just like over such make most many
    these those very could should while where being after before because does here each
    much even well through between during both under again further said says according
    told """.split()  # noqa: SIM905
)


def content_pairs(text: str) -> frozenset[tuple[str, str]]:
    """The unordered pairs of content-word stems (words of four letters or more, not
    function words, cut to five letters) at most ``BAG_WINDOW - 1`` content words apart
    in the matching form of ``text``."""
    words = [
        w[:_STEM]
        for w in tokens(matching_form(replace_lone_surrogates(text)))
        if len(w) >= 4 and w not in _STOP
    ]
    out: set[tuple[str, str]] = set()
    for i, a in enumerate(words):
        for b in words[i + 1 : i + BAG_WINDOW]:
            if a != b:
                out.add((a, b) if a < b else (b, a))
    return frozenset(out)


def bag_containment(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> float:
    """Shared content pairs over the smaller text's pairs (0 when either has none)."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def consulted(rewrite: TierSimilarity) -> bool:
    """Whether a pair's rewrite-tier similarity reaches :data:`BAG_FLOOR`, so that the
    content-pair signal is worth computing."""
    return max(rewrite.containment_a_in_b, rewrite.containment_b_in_a) >= BAG_FLOOR
