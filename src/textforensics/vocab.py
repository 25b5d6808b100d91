"""The project's vocabulary, defined once: every kind, rule code, verdict, severity and
fixable set that results, detectors, the command line and the docs speak of.

Each fact is a ``Literal`` type (for type checkers); the tuple that code iterates or
validates with is derived from it (``typing.get_args``), so the two cannot drift apart. A
new kind is added here first; the detectors, the command line's rule table and SARIF pick
it up from here. This module imports nothing from the package.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "BOILERPLATE_CODE",
    "BOILERPLATE_KINDS",
    "DUPLICATE_CODE",
    "FIXABLE_KINDS",
    "HOMOGLYPH_CODES",
    "HOMOGLYPH_KINDS",
    "NAME_MATCH_KINDS",
    "REPORTED_VERDICTS",
    "SEVERITIES",
    "VERDICTS",
    "BlockLabel",
    "BoilerplateKind",
    "HomoglyphKind",
    "NameMatchKind",
    "Severity",
    "Verdict",
    "severity_rank",
]

# --- severities ----------------------------------------------------------------------------

Severity = Literal["info", "warning", "error"]
"""How serious a finding is. ``info`` is typography worth knowing about, ``warning`` a
likely disguise, ``error`` an attack pattern (e.g. Trojan Source bidi controls)."""

SEVERITIES: tuple[Severity, ...] = get_args(Severity)
"""Every severity, least serious first."""


def severity_rank(severity: Severity) -> int:
    """Order of severities: info < warning < error."""
    return SEVERITIES.index(severity)


# --- homoglyphs and hidden characters ------------------------------------------------------

HomoglyphKind = Literal[
    "confusable",
    "mixed_script",
    "whole_script",
    "invisible",
    "bidi",
    "mixed_numbers",
    "nfkc_divergence",
    "combining_mark",
]

HOMOGLYPH_KINDS: tuple[HomoglyphKind, ...] = get_args(HomoglyphKind)
"""The homoglyph finding kinds, in rule-code order."""

HOMOGLYPH_CODES: dict[str, str] = {
    kind: f"TF1{i:02d}" for i, kind in enumerate(HOMOGLYPH_KINDS, start=1)
}
"""Stable rule id per kind (``confusable`` -> ``TF101`` ... ``mixed_numbers`` -> ``TF106``,
``nfkc_divergence`` -> ``TF107``, ``combining_mark`` -> ``TF108``),
used by the command line, baselines and SARIF. Codes never change; new kinds get new codes."""

FIXABLE_KINDS: frozenset[str] = frozenset(
    {"confusable", "whole_script", "invisible", "bidi", "nfkc_divergence", "combining_mark"}
)
"""The kinds that ``fix_homoglyphs`` (and ``textforensics fix``) repair; the others
(``mixed_script``, ``mixed_numbers``) have no single right replacement and are only reported."""

# --- protected names (NameGuard) ----------------------------------------------------------

NameMatchKind = Literal[
    "exact",
    "case_width",
    "skeleton",
    "ascii_lookalike",
    "leet",
    "separator",
    "invisible",
    "bidi",
    "combining_mark",
    "nfkc",
]

NAME_MATCH_KINDS: tuple[NameMatchKind, ...] = get_args(NameMatchKind)
"""How a checked name collides with a protected one (``NameGuard.check``): ``exact`` the
protected name itself ("taken"); otherwise the technique that makes it look the same
("impersonates"): ``case_width`` case or full/half-width forms, ``skeleton`` a character
with the same UTS #39 skeleton (e.g. Cyrillic 'а'), ``ascii_lookalike`` 1/l/I, 0/O, rn/m,
vv/w, cl/d, ``leet`` 4/3/5/7/$/@ for letters, ``separator`` inserted or changed
punctuation and spaces, ``invisible`` and ``bidi`` inserted hidden or direction
characters, ``combining_mark`` accents added to a Latin letter, ``nfkc`` a character whose
NFKC form (not its skeleton) is the letter."""

# --- boilerplate ---------------------------------------------------------------------------

BoilerplateKind = Literal[
    "comments",
    "disclaimer",
    "call_to_action",
    "credit",
    "related_links",
    "navigation",
    "legal",
    "repeated",
]

BOILERPLATE_KINDS: tuple[BoilerplateKind, ...] = get_args(BoilerplateKind)
"""The stable kinds of removed blocks."""

BlockLabel = Literal["content", "boilerplate"]
"""A block is kept (``content``) or removed (``boilerplate``)."""

BOILERPLATE_CODE = "TF201"
"""The rule code of a boilerplate block reported by ``scan --boilerplate``."""

# --- duplicates ----------------------------------------------------------------------------

Verdict = Literal["identical", "near_copy", "rewrite", "excerpt", "unrelated"]

VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
"""Every verdict of a comparison, closest first. ``excerpt``: the texts share copied
passages but neither is a copy or a rewrite of the other as a whole (the shorter one is
mostly contained in the longer, or one syndicated paragraph appears in both); such pairs
are reported apart and never join clusters."""

REPORTED_VERDICTS: tuple[Verdict, ...] = ("identical", "near_copy", "rewrite")
"""The verdicts that make a pair of duplicates and join clusters (not ``excerpt`` nor
``unrelated``)."""

DUPLICATE_CODE = "TF301"
"""The rule code of a duplicate reported in SARIF and GitHub output (``dupes``, ``compare``)."""
