"""textforensics: tell whether a text was copied or rewritten, disguised with look-alike
or hidden characters, or padded with boilerplate, and show the evidence.

Every public function returns typed, frozen results with offsets into the caller's
string and a ``to_dict()`` for JSON. The library never prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_getattr

if TYPE_CHECKING:
    from .boilerplate import BoilerplateModel, learn_boilerplate, strip_boilerplate
    from .duplicates import (
        DuplicateIndex,
        IndexFormatError,
        compare,
        compare_many,
        find_duplicates,
    )
    from .homoglyphs import CODES as HOMOGLYPH_CODES
    from .homoglyphs import KINDS as HOMOGLYPH_KINDS
    from .homoglyphs import (
        NameGuard,
        apply_plan,
        find_homoglyphs,
        find_homoglyphs_many,
        fix_homoglyphs,
    )
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
        NameMatch,
        Severity,
        Span,
        StripResult,
        TextBlock,
        TierSimilarity,
    )
    from .tables import UNICODE_VERSION
    from .text import LineIndex, matching_form, skeleton

# Names are imported on first use (PEP 562): `import textforensics` and a one-shot
# `textforensics scan FILE` must not pay for numpy, the boilerplate model and the
# duplicates machinery they do not use. Where each public name lives:
_LAZY = {
    **dict.fromkeys(("BoilerplateModel", "learn_boilerplate", "strip_boilerplate"), ".boilerplate"),
    **dict.fromkeys(
        ("DuplicateIndex", "IndexFormatError", "compare", "compare_many", "find_duplicates"),
        ".duplicates",
    ),
    **dict.fromkeys(
        ("NameGuard", "apply_plan", "find_homoglyphs", "find_homoglyphs_many", "fix_homoglyphs"),
        ".homoglyphs",
    ),
    **dict.fromkeys(
        (
            "AlignedPassage",
            "Comparison",
            "DuplicateCluster",
            "DuplicatePair",
            "DuplicateReport",
            "Finding",
            "FixResult",
            "FixStep",
            "HomoglyphChar",
            "HomoglyphFinding",
            "IndexMatch",
            "NameMatch",
            "Severity",
            "Span",
            "StripResult",
            "TextBlock",
            "TierSimilarity",
        ),
        ".results",
    ),
    "UNICODE_VERSION": ".tables",
    **dict.fromkeys(("LineIndex", "matching_form", "skeleton"), ".text"),
}
_RENAMED = {
    "HOMOGLYPH_CODES": ("CODES", ".homoglyphs"),
    "HOMOGLYPH_KINDS": ("KINDS", ".homoglyphs"),
}


__getattr__ = lazy_getattr(globals(), _LAZY, _RENAMED)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__version__ = "0.2.0"

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
    "NameGuard",
    "NameMatch",
    "apply_plan",
    "find_homoglyphs",
    "find_homoglyphs_many",
    "fix_homoglyphs",
    # duplicates
    "AlignedPassage",
    "Comparison",
    "DuplicateCluster",
    "DuplicateIndex",
    "DuplicatePair",
    "DuplicateReport",
    "IndexFormatError",
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
