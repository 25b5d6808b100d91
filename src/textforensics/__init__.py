"""textforensics: tell whether a text was copied or rewritten, disguised with look-alike
or hidden characters, or padded with boilerplate, and show the evidence.

Every public function returns typed, frozen results with offsets into the caller's
string and a ``to_dict()`` for JSON. The library never prints.
"""

from __future__ import annotations

from .boilerplate import BoilerplateModel, learn_boilerplate, strip_boilerplate
from .results import Finding, Severity, Span, StripResult, TextBlock
from .tables import UNICODE_VERSION
from .text import LineIndex, matching_form, skeleton

__version__ = "0.1.0"

__all__ = [
    "UNICODE_VERSION",
    "BoilerplateModel",
    "Finding",
    "LineIndex",
    "Severity",
    "Span",
    "StripResult",
    "TextBlock",
    "__version__",
    "learn_boilerplate",
    "matching_form",
    "skeleton",
    "strip_boilerplate",
]
