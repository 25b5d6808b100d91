"""Homoglyphs, mixed scripts and hidden characters, following Unicode UTS #39
(Unicode Security Mechanisms) with the data in ``textforensics/data``.

Public API: :func:`find_homoglyphs`, :func:`find_homoglyphs_many` (a batch of short
strings), :func:`fix_homoglyphs`, :func:`apply_plan`
(and :func:`textforensics.text.skeleton`, the UTS #39 skeleton). Every function is safe to
call from many threads at once.

The package, in the order a text goes through it:

- :mod:`.data`: lookup tables built once from the generated Unicode data (scripts, flags,
  digit sets, confusable skeletons, the prefilter's benign class, the per-script table of
  the vectorised scan);
- :mod:`.scan`: the candidate search (ASCII and benign prefilter, vectorised scan),
  :func:`find_homoglyphs` and :func:`find_homoglyphs_many`; :mod:`.many`: the flagged
  one-word names of a batch decided together;
- :mod:`.hidden`: ``invisible`` and ``bidi`` findings; :mod:`.rules`: ``confusable``,
  ``mixed_script``, ``whole_script`` and ``mixed_numbers`` verdicts per word;
  :mod:`.marks`: ``combining_mark`` (marks inserted into ASCII words);
  :mod:`.context`: the per-call state and the result objects;
- :mod:`.fix`: :func:`fix_homoglyphs`, its replayable plan and :func:`apply_plan`;
- :mod:`.names`: :class:`NameGuard`, the protected-names index (does a new name
  impersonate one of ours?).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr
from ..vocab import HOMOGLYPH_CODES, HOMOGLYPH_KINDS

if TYPE_CHECKING:
    from .fix import apply_plan, fix_homoglyphs
    from .names import NameGuard, NameGuardFileError, name_keys
    from .scan import find_homoglyphs, find_homoglyphs_many

__all__ = [
    "CODES",
    "KINDS",
    "NameGuard",
    "NameGuardFileError",
    "apply_plan",
    "find_homoglyphs",
    "find_homoglyphs_many",
    "fix_homoglyphs",
    "name_keys",
]

KINDS = HOMOGLYPH_KINDS
"""The finding kinds, in rule-code order (:data:`textforensics.vocab.HOMOGLYPH_KINDS`)."""

CODES = HOMOGLYPH_CODES
"""Stable rule id per kind (:data:`textforensics.vocab.HOMOGLYPH_CODES`)."""

_LAZY = {
    **dict.fromkeys(("NameGuard", "NameGuardFileError", "name_keys"), ".names"),
    **dict.fromkeys(("apply_plan", "fix_homoglyphs"), ".fix"),
    **dict.fromkeys(("find_homoglyphs", "find_homoglyphs_many"), ".scan"),
}


# Loaded on first use, so that a one-shot command line run does not pay for what it does
# not call: NameGuard's module imports numpy, the fixer's results are dataclasses a scan
# never makes, and the detector itself (``regex``, the result classes, the tables) is not
# needed to screen a clean text with :func:`.data.certainly_clean`.
__getattr__ = lazy_getattr(globals(), _LAZY)
