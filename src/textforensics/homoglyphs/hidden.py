"""Hidden characters (``invisible``) and bidirectional controls (``bidi``) inside a word.

A default-ignorable character is legitimate where its neighbours need it (a joiner
between letters of a joining script or inside an emoji sequence, a variation selector
after a base that has variants, a zero-width space between Thai words...). Bidi controls
are judged per line: unbalanced or overriding controls, or controls on a line without
right-to-left letters, are suspicious (Trojan Source, CVE-2021-42574).
"""

from __future__ import annotations

import bisect
import unicodedata

from ..results import HomoglyphChar, HomoglyphFinding, Severity
from ..text import line_bounds
from .context import Context, make_char, make_finding
from .data import F_EMOJI, F_JOIN, F_RTL, F_VSBASE, tables

__all__ = [
    "BIDI",
    "ZWJ",
    "ZWNJ",
    "analyze_hidden",
    "bidi_line",
    "hidden_is_legit",
    "is_variation_selector",
]

_BIDI_OPEN_EMBED = frozenset((0x202A, 0x202B, 0x202D, 0x202E))
_BIDI_OVERRIDE = frozenset((0x202D, 0x202E))
_BIDI_OPEN_ISOLATE = frozenset((0x2066, 0x2067, 0x2068))
_BIDI_PDF, _BIDI_PDI = 0x202C, 0x2069
_BIDI_MARKS = frozenset((0x200E, 0x200F, 0x061C))
BIDI = _BIDI_OPEN_EMBED | _BIDI_OPEN_ISOLATE | _BIDI_MARKS | {_BIDI_PDF, _BIDI_PDI}
"""Code points of the bidirectional controls and marks reported as ``bidi``."""

_ZWSP, _SHY, _BOM, _CGJ, _MVS = 0x200B, 0x00AD, 0xFEFF, 0x034F, 0x180E
ZWNJ, ZWJ = 0x200C, 0x200D
_TAG_CANCEL, _WAVING_BLACK_FLAG = 0xE007F, 0x1F3F4
_MAX_TAGS = 40


def is_variation_selector(cp: int) -> bool:
    """VS1-VS16 and VS17-VS256."""
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def bidi_line(ctx: Context, offset: int) -> tuple[bool, bool]:
    """(controls on this line are suspicious, the line is unbalanced) for the bidi control
    at ``offset``. Each line is looked up and judged once per call: later controls of a
    known line find it by binary search in ``ctx``."""
    k = bisect.bisect_right(ctx.bidi_starts, offset) - 1
    if k >= 0:
        start, end, known = ctx.bidi_lines[k]
        if offset < end:
            return known
    start, end = line_bounds(ctx.text, offset)
    stack: list[int] = []
    unbalanced = override = rtl = False
    flags = tables().flags_b
    text = ctx.text
    for i in range(start, end):
        cp = ord(text[i])
        if flags[cp] & F_RTL and cp not in BIDI:
            rtl = True
        if cp in _BIDI_OPEN_EMBED or cp in _BIDI_OPEN_ISOLATE:
            stack.append(cp)
            override |= cp in _BIDI_OVERRIDE
        elif cp == _BIDI_PDF:
            if stack and stack[-1] in _BIDI_OPEN_EMBED:
                stack.pop()
            else:
                unbalanced = True
        elif cp == _BIDI_PDI:
            if any(c in _BIDI_OPEN_ISOLATE for c in stack):
                while stack and stack.pop() not in _BIDI_OPEN_ISOLATE:
                    pass
            else:
                unbalanced = True
    unbalanced |= bool(stack)
    result = (unbalanced or override or not rtl, unbalanced)
    k = bisect.bisect_right(ctx.bidi_starts, start)
    ctx.bidi_starts.insert(k, start)
    ctx.bidi_lines.insert(k, (start, end, result))
    return result


def hidden_is_legit(text: str, i: int, cp: int) -> bool:
    """Whether the default-ignorable character at ``i`` is legitimate where it stands."""
    t = tables()
    flags = t.flags_b
    n = len(text)
    prev_cp = ord(text[i - 1]) if i > 0 else -1
    next_cp = ord(text[i + 1]) if i + 1 < n else -1
    prev = flags[prev_cp] if prev_cp >= 0 else 0
    nxt = flags[next_cp] if next_cp >= 0 else 0
    if cp == ZWNJ:
        return bool(prev & F_JOIN and nxt & F_JOIN)
    if cp == ZWJ:
        return bool(prev & F_JOIN or ((prev & F_EMOJI or prev_cp == 0xFE0F) and nxt & F_EMOJI))
    if is_variation_selector(cp):
        return bool(prev & F_VSBASE)
    if 0x180B <= cp <= 0x180F and cp != _MVS:  # Mongolian free variation selectors
        return bool(prev & F_VSBASE)
    if cp == _MVS:
        return bool(prev & F_VSBASE and nxt & F_VSBASE)
    if cp == _BOM:
        return i == 0
    if cp == _ZWSP:
        ctx = t.zwsp_ctx
        return prev_cp >= 0 and next_cp >= 0 and bool(ctx[prev_cp] and ctx[next_cp])
    if cp == _CGJ:
        # Between two combining marks, to keep them from being reordered; a run of
        # joiners, or one at a mark's edge, only hides characters.
        return (
            prev_cp not in (-1, _CGJ)
            and next_cp not in (-1, _CGJ)
            and unicodedata.category(chr(prev_cp))[0] == "M"
            and unicodedata.category(chr(next_cp))[0] == "M"
        )
    if cp in (0x115F, 0x1160):  # Hangul choseong/jungseong fillers in jamo sequences
        return any(
            0x1100 <= c <= 0x11FF or 0xA960 <= c <= 0xA97F or 0xD7B0 <= c <= 0xD7FF
            for c in (prev_cp, next_cp)
        )
    if 0xE0020 <= cp <= _TAG_CANCEL:  # emoji tag sequences (subdivision flags)
        # Emoji tag sequences are short: look at most _MAX_TAGS characters either way,
        # which keeps a long run of tags linear.
        j = i
        while j > 0 and i - j < _MAX_TAGS and 0xE0020 <= ord(text[j - 1]) <= _TAG_CANCEL:
            j -= 1
        k = i
        while k + 1 < n and k - i < _MAX_TAGS and 0xE0020 <= ord(text[k + 1]) < _TAG_CANCEL:
            k += 1
        ends = ord(text[k]) == _TAG_CANCEL or (k + 1 < n and ord(text[k + 1]) == _TAG_CANCEL)
        return j > 0 and ord(text[j - 1]) == _WAVING_BLACK_FLAG and ends
    return False


def analyze_hidden(ctx: Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    """Append the ``bidi`` and ``invisible`` findings of the word ``ctx.text[start:end]``."""
    ignorable = tables().ignorable
    text = ctx.text
    bidi: list[HomoglyphChar] = []
    hidden: list[HomoglyphChar] = []
    hidden_severity: Severity = "info"
    bidi_unbalanced = False
    for i in range(start, end):
        ch = text[i]
        cp = ord(ch)
        if not ignorable[cp]:
            continue
        if cp in BIDI:
            suspicious, unbalanced = bidi_line(ctx, i)
            if suspicious:
                bidi.append(make_char(i, ch, ""))
                bidi_unbalanced |= unbalanced
            continue
        if not hidden_is_legit(text, i, cp):
            hidden.append(make_char(i, ch, ""))
            if cp != _SHY:
                hidden_severity = "warning"
    if bidi:
        severity: Severity = "error" if bidi_unbalanced else "warning"
        what = (
            "unbalanced bidirectional control characters (Trojan Source, CVE-2021-42574)"
            if bidi_unbalanced
            else "bidirectional control characters"
        )
        out.append(
            make_finding(
                ctx,
                "bidi",
                severity,
                start,
                end,
                bidi,
                None,
                f"{what}: " + ", ".join(f"{c.code_point} {c.name}" for c in bidi),
            )
        )
    if hidden:
        gone = {h.offset for h in hidden}
        clean = "".join(ch for i, ch in enumerate(text[start:end], start) if i not in gone)
        out.append(
            make_finding(
                ctx,
                "invisible",
                hidden_severity,
                start,
                end,
                hidden,
                clean or None,
                f"hidden character{'s' if len(hidden) > 1 else ''} in {clean or 'text'!r}: "
                + ", ".join(f"{c.code_point} {c.name}" for c in hidden),
            )
        )
