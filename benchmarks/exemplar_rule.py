"""A prototype, outside the library, of the data-driven rule proposed for issue 12: which
findings of today's ``find_homoglyphs`` the CLDR exemplar table would clear.

It post-filters findings (it does not change the detector) so that the eval can measure,
before the detector changes, how many false alarms the rule removes and which
ASCII-letter look-alikes it would stop reporting:

* **Latin twins** (a ``confusable`` finding whose flagged characters are all Latin letters
  with an ASCII look-alike, such as U+0131 ı, U+00FE þ): cleared when some CLDR locale
  writes every flagged character in its main exemplars, writes every non-ASCII letter of
  the word (main or auxiliary), and has *evidence* nearby: another non-ASCII letter of its
  main exemplars, not one of the flagged characters, in the word or within ``CONTEXT``
  characters on the same line (ş, ü, ğ, another word with ı ...).
* **Greek symbols** (a ``mixed_script`` finding whose flagged characters are all Greek
  letters with no Latin look-alike): cleared when no run of Latin letters in the word is
  longer than two (units and variables such as kΩ, Δx, 2πf, μm), so "Windowsж"-like words
  keep their finding.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from textforensics import HomoglyphFinding
from textforensics.tables import load_json
from textforensics.text import line_bounds

__all__ = ["CONTEXT", "clears"]

CONTEXT = 80  # characters either side of the word searched for evidence (same line)
_MAX_SYMBOL_LATIN_RUN = 2


@cache
def _exemplars() -> tuple[dict[str, tuple[frozenset[str], frozenset[str]]], dict[str, Any]]:
    doc = load_json("exemplars.json")
    locales = {
        loc: (frozenset(sets["main"]), frozenset(sets["aux"]))
        for loc, sets in doc["locales"].items()
    }
    return locales, doc["by_char"]


def _latin_twin_ok(text: str, f: HomoglyphFinding) -> bool:
    locales, by_char = _exemplars()
    flagged = {c.offset for c in f.chars}
    candidates: set[str] | None = None
    for c in f.chars:
        users = by_char.get(c.char)
        if users is None or not users["main"] or c.script != "Latn":
            return False
        candidates = set(users["main"]) if candidates is None else candidates & set(users["main"])
    if not candidates:
        return False
    word_letters = {
        ch for ch in unicodedata.normalize("NFC", f.word) if not ch.isascii() and ch.isalpha()
    }
    lo, hi = line_bounds(text, f.start)
    lo, hi = max(lo, f.start - CONTEXT), min(hi, f.end + CONTEXT)
    # Flagged characters blanked out, then NFC: decomposed text (u + U+0308) counts as ü.
    window = "".join(" " if i in flagged else ch for i, ch in enumerate(text[lo:hi], lo))
    evidence = {
        ch
        for ch in unicodedata.normalize("NFC", window)
        if not ch.isascii() and unicodedata.category(ch)[0] in "LM"
    }
    for loc in sorted(candidates):
        main, aux = locales[loc]
        if word_letters <= main | aux and evidence & main:
            return True
    return False


def _greek_symbol_ok(f: HomoglyphFinding) -> bool:
    if not f.chars or any(c.script != "Grek" or c.looks_like for c in f.chars):
        return False
    run = longest = 0
    for ch in f.word:
        is_latin_letter = ch.isalpha() and "LATIN" in unicodedata.name(ch, "")
        run = run + 1 if is_latin_letter else 0
        longest = max(longest, run)
    return longest <= _MAX_SYMBOL_LATIN_RUN


def clears(text: str, f: HomoglyphFinding) -> bool:
    """Whether the proposed rule would not report finding ``f`` of ``text``."""
    if f.kind == "confusable":
        return _latin_twin_ok(text, f)
    if f.kind == "mixed_script":
        return _greek_symbol_ok(f)
    return False
