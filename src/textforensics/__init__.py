"""textforensics: tell whether a text was copied or rewritten, disguised with look-alike
or hidden characters, or padded with boilerplate, and show the evidence.

Every public function returns typed, frozen results with offsets into the caller's
string and a ``to_dict()`` for JSON. The library never prints.
"""

from __future__ import annotations

from .boilerplate import BoilerplateModel, learn_boilerplate, strip_boilerplate
from .duplicates import DuplicateIndex, compare, compare_many, find_duplicates
from .homoglyphs import CODES as HOMOGLYPH_CODES
from .homoglyphs import KINDS as HOMOGLYPH_KINDS
from .homoglyphs import apply_plan, find_homoglyphs, fix_homoglyphs
from .results import (
    AlignedPassage,
    Comparison,
    DuplicateCluster,
    DuplicatePair,
    DuplicateReport,
    Finding,
    FixResult,
    FixStep,
    HomoglyphChar,
    HomoglyphFinding,
    IndexMatch,
    Severity,
    Span,
    StripResult,
    TextBlock,
    TierSimilarity,
)
from .tables import UNICODE_VERSION
from .text import LineIndex, matching_form, skeleton

__version__ = "0.1.0"

__all__ = [  # noqa: RUF022 - grouped by area
    # shared
    "UNICODE_VERSION",
    "Finding",
    "LineIndex",
    "Severity",
    "Span",
    "__version__",
    "matching_form",
    "skeleton",
    # homoglyphs
    "HOMOGLYPH_CODES",
    "HOMOGLYPH_KINDS",
    "FixResult",
    "FixStep",
    "HomoglyphChar",
    "HomoglyphFinding",
    "apply_plan",
    "find_homoglyphs",
    "fix_homoglyphs",
    # duplicates
    "AlignedPassage",
    "Comparison",
    "DuplicateCluster",
    "DuplicateIndex",
    "DuplicatePair",
    "DuplicateReport",
    "IndexMatch",
    "TierSimilarity",
    "compare",
    "compare_many",
    "find_duplicates",
    # boilerplate
    "BoilerplateModel",
    "StripResult",
    "TextBlock",
    "learn_boilerplate",
    "strip_boilerplate",
]
