"""``combining_mark``: combining marks inserted into an otherwise-ASCII word to break
matching ("pa\u0301ypal", "gi\u0301thub") while the word still reads the same.

Whether an accent is ordinary spelling is read from data, not from a per-language list:
the letter a base and its marks compose to (NFC) must be one some CLDR locale writes in its
exemplar characters (main or auxiliary). A mark that makes no such letter (an overlay, a
stack of marks, an accent no language puts on that letter) is suspicious. An accent that
does make such a letter is still suspicious when it is the only one, decomposed, inside an
otherwise-ASCII word (not on its first letter, not on its last two) with no other
accented Latin letter nearby on the line: that is the shape of an inserted mark, while
decomposed text ("cafe\u0301", "instantane\u0301e", "I\u0307stanbul", NFD file names)
mostly puts its accents on a word's first or last letters or on several letters. A lone
decomposed accent deeper inside a word ("re\u0301seau" alone on its line) is therefore
reported (a false alarm this rule accepts), and a mark inserted near a word's end
("paypa\u0301l") is not (a miss it accepts); docs/homoglyphs.md. Precomposed letters
("naïve") are never marks.
"""

from __future__ import annotations

import unicodedata

from ..results import HomoglyphChar, HomoglyphFinding
from .context import Context, make_char, make_finding
from .data import exemplars, script, tables

__all__ = ["MARK_RANGES", "analyze_marks", "is_mark"]

MARK_RANGES = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
"""The combining-mark blocks whose marks attach to Latin letters (the scan looks for them
after an ASCII letter)."""

_CONTEXT = 80  # another accented letter this close shows the text is decomposed on purpose


def is_mark(ch: str) -> bool:
    """A combining mark (general category M*) that is not default-ignorable (the grapheme
    joiner and variation selectors are ``invisible`` characters)."""
    return not tables().ignorable[ord(ch)] and unicodedata.category(ch)[0] == "M"


def _accented_nearby(text: str, start: int, end: int) -> bool:
    """Whether a non-ASCII Latin letter or a mark stands within ``_CONTEXT`` characters of the word
    ``text[start:end]``, outside it, on the same line."""
    lo, hi = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    for a, b in ((lo, start), (end, hi)):
        piece = text[a:b]
        if a == lo:
            piece = piece[piece.rfind("\n") + 1 :]
        else:
            cut = piece.find("\n")
            piece = piece if cut < 0 else piece[:cut]
        if piece.isascii():
            continue
        if any(not c.isascii() and (is_mark(c) or script(ord(c)) == "Latn") for c in piece):
            return True
    return False


def analyze_marks(ctx: Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    """Append the ``combining_mark`` finding of the word ``ctx.text[start:end]``."""
    text = ctx.text
    ignorable = tables().ignorable
    # Clusters: (base offset, [mark offsets]) for marks on ASCII letters.
    clusters: list[tuple[int, list[int]]] = []
    base = -1
    for i in range(start, end):
        ch = text[i]
        if ch.isascii():
            base = i if ch.isalpha() else -1
            continue
        if is_mark(ch):
            if base < 0:
                return  # a mark on a non-ASCII base: not an otherwise-ASCII word
            if clusters and clusters[-1][0] == base:
                clusters[-1][1].append(i)
            else:
                clusters.append((base, [i]))
            continue
        if ignorable[ord(ch)]:
            continue  # hidden characters are judged by .hidden
        return  # another non-ASCII character: not an otherwise-ASCII word
    if not clusters:
        return
    if sum(1 for c in text[start:end] if c.isascii() and c.isalpha()) < 2:
        return  # a symbol with a mark (x̄ for a mean), not a word
    data = exemplars()
    odd: list[int] = []
    for b, marks in clusters:
        used = "".join(text[m] for m in marks)
        if unicodedata.normalize("NFC", text[b] + used) in data.any:
            continue
        if any(set(used) <= locale for locale in data.marks):
            continue  # marks one language stacks (Yoruba ọ̀: dot below and grave)
        odd.extend(marks)
    if not odd and len(clusters) == 1:
        b, marks = clusters[0]
        initial = not any(text[k].isalpha() for k in range(start, b))
        after = sum(1 for k in range(marks[-1] + 1, end) if text[k].isalpha())
        if after > 1 and not initial and not _accented_nearby(text, start, end):
            odd.extend(marks)
    if not odd:
        return
    gone = set(odd)
    details: list[HomoglyphChar] = [make_char(i, text[i], "") for i in odd]
    clean = "".join(ch for i, ch in enumerate(text[start:end], start) if i not in gone)
    word = text[start:end]
    names = ", ".join(f"{c.code_point} {c.name}" for c in details)
    out.append(
        make_finding(
            ctx,
            "combining_mark",
            "warning",
            start,
            end,
            details,
            clean,
            f"combining mark{'s' if len(details) > 1 else ''} inserted into the ASCII word "
            f"{word!r} ({names}); without {'them' if len(details) > 1 else 'it'} it reads "
            f"{clean!r}",
        )
    )
