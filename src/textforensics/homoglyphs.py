"""Homoglyphs, mixed scripts and hidden characters, following Unicode UTS #39
(Unicode Security Mechanisms) with the data in ``textforensics/data``.

Public API: :func:`find_homoglyphs`, :func:`fix_homoglyphs`, :func:`apply_plan`
(and :func:`textforensics.text.skeleton`, the UTS #39 skeleton).

How it stays fast: the expensive per-character analysis runs only on *candidate* words.
Candidates are found in C, never character by character in Python:

1. ASCII-only text has no findings (``str.isascii``).
2. One compiled regex finds characters outside a "benign" class (ASCII, Latin letters,
   combining diacritics, ordinary punctuation, symbols and emoji). In mostly-English text
   these are rare; each hit is examined in a small window around it.
3. When hits are dense (text in other scripts), the whole text goes through numpy lookup
   tables indexed by code point: letter scripts, word characters, hidden characters,
   digit sets. Script changes inside a word, digit-set changes inside a number,
   hidden characters not legitimised by their neighbours, and whole words of a foreign
   script made only of look-alikes of the dominant script are located with vectorised
   operations; only those words reach Python.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import regex

from .results import FixResult, FixStep, HomoglyphChar, HomoglyphFinding, Severity, severity_rank
from .tables import confusable_prototypes, identifier_data, script_data
from .text import WORD_RE, LineIndex, skeleton

__all__ = [
    "CODES",
    "KINDS",
    "apply_plan",
    "find_homoglyphs",
    "fix_homoglyphs",
]

KINDS: tuple[str, ...] = (
    "confusable",
    "mixed_script",
    "whole_script",
    "invisible",
    "bidi",
    "mixed_numbers",
)
"""The finding kinds, in rule-code order."""

CODES: dict[str, str] = {kind: f"TF1{i:02d}" for i, kind in enumerate(KINDS, start=1)}
"""Stable rule id per kind (``confusable`` -> ``TF101`` ... ``mixed_numbers`` -> ``TF106``),
used by the command line and SARIF output."""

# --- lookup tables ------------------------------------------------------------------------

_NCP = 0x110000
_WORD, _ALWAYS, _EMOJI, _JOIN, _VSBASE, _LETTER, _DIGIT, _RTL = (1 << i for i in range(8))

# Scripts whose orthography uses ZWJ/ZWNJ between letters (cursive joining and Brahmic
# scripts): a joiner between two of their letters or marks is legitimate.
_JOINING_SCRIPTS = frozenset(
    [
        "Arab",
        "Syrc",
        "Nkoo",
        "Mong",
        "Mand",
        "Mani",
        "Phlp",
        "Adlm",
        "Rohg",
        "Sogd",
        "Sogo",
        "Yezi",
        "Chrs",
        "Ougr",
        "Thaa",
        "Deva",
        "Beng",
        "Guru",
        "Gujr",
        "Orya",
        "Taml",
        "Telu",
        "Knda",
        "Mlym",
        "Sinh",
        "Tibt",
        "Mymr",
        "Khmr",
        "Bali",
        "Java",
        "Sund",
        "Tglg",
        "Bugi",
        "Lana",
        "Tavt",
        "Cham",
        "Limb",
        "Takr",
        "Gran",
        "Shrd",
        "Sidd",
        "Tirh",
        "Modi",
        "Khoj",
        "Sind",
        "Mahj",
        "Newa",
        "Dogr",
        "Nand",
        "Gong",
        "Gonm",
        "Saur",
        "Kthi",
        "Brah",
        "Lepc",
        "Bhks",
        "Zanb",
        "Soyo",
        "Diak",
        "Kawi",
        "Tutg",
    ]
)
# Scripts written without spaces, where U+200B ZERO WIDTH SPACE marks word boundaries.
_ZWSP_SCRIPTS = frozenset(
    ["Thai", "Laoo", "Khmr", "Mymr", "Tibt", "Bali", "Java", "Tale", "Talu", "Lana"]
)
# Base characters a variation selector may follow (besides emoji, ideographs, symbols).
_VS_SCRIPTS = frozenset(["Mong", "Mymr", "Phag", "Hani", "Tang", "Egyp", "Mani"])
# Han-based writing systems whose scripts mix in one word (UTS #39 §5.1 augmentation).
_CJK = frozenset(("Hani", "Hira", "Kana", "Hang", "Bopo"))
_AUGMENT = {
    "Hani": frozenset(("Hani", "Hanb", "Jpan", "Kore")),
    "Hira": frozenset(("Hira", "Jpan")),
    "Kana": frozenset(("Kana", "Jpan")),
    "Hang": frozenset(("Hang", "Kore")),
    "Bopo": frozenset(("Bopo", "Hanb")),
}
_HAN_SYSTEMS = frozenset(("Jpan", "Kore", "Hanb"))
_CONFUSABLE_LATIN_PEERS = frozenset(("Cyrl", "Grek"))  # never "moderately restrictive"

_BIDI_OPEN_EMBED = frozenset((0x202A, 0x202B, 0x202D, 0x202E))
_BIDI_OVERRIDE = frozenset((0x202D, 0x202E))
_BIDI_OPEN_ISOLATE = frozenset((0x2066, 0x2067, 0x2068))
_BIDI_PDF, _BIDI_PDI = 0x202C, 0x2069
_BIDI_MARKS = frozenset((0x200E, 0x200F, 0x061C))
_BIDI = _BIDI_OPEN_EMBED | _BIDI_OPEN_ISOLATE | _BIDI_MARKS | {_BIDI_PDF, _BIDI_PDI}

_ZWSP, _ZWNJ, _ZWJ, _SHY, _BOM, _CGJ, _MVS = 0x200B, 0x200C, 0x200D, 0x00AD, 0xFEFF, 0x034F, 0x180E
_TAG_CANCEL, _WAVING_BLACK_FLAG = 0xE007F, 0x1F3F4


@dataclass(frozen=True, slots=True)
class _Tables:
    scripts: tuple[str, ...]
    script_id: dict[str, int]
    sc: bytes  # Script id per code point
    scx: dict[int, frozenset[str]]  # Script_Extensions where it differs from {Script}
    flags: npt.NDArray[np.uint8]
    flags_b: bytes
    group: npt.NDArray[np.uint8]  # script group of letters and marks (0: none / shared)
    group_b: bytes
    pair_ok: npt.NDArray[np.bool_]  # group pairs that may meet inside a word
    dset: bytes  # digit set per code point (0: not a decimal digit)
    dzero: tuple[int, ...]  # code point of the zero of each digit set
    allowed: bytes  # 1 where IdentifierStatus is Allowed
    ignorable: bytes  # 1 where Default_Ignorable_Code_Point
    latin: int
    cjk: int
    regex_unicode_version: str


@cache
def _tables() -> _Tables:
    data = script_data()
    scripts: tuple[str, ...] = tuple(data["scripts"])
    script_id = {s: i for i, s in enumerate(scripts)}
    sc = np.zeros(_NCP, np.uint8)
    for lo, hi, idx in data["script"]:
        sc[lo : hi + 1] = idx
    scx: dict[int, frozenset[str]] = {}
    for lo, hi, codes in data["script_extensions"]:
        value = frozenset(codes)
        for cp in range(lo, hi + 1):
            scx[cp] = value
    props = data["properties"]

    def mask(name: str) -> npt.NDArray[np.bool_]:
        m = np.zeros(_NCP, np.bool_)
        for lo, hi in props[name]:
            m[lo : hi + 1] = True
        return m

    letter, mark, digit = mask("letter"), mask("mark"), mask("decimal_digit")
    di = mask("default_ignorable")
    flags = np.zeros(_NCP, np.uint8)
    flags[letter | mark | mask("number") | mask("connector") | di] |= _WORD
    flags[letter] |= _LETTER
    flags[digit] |= _DIGIT
    flags[mask("rtl")] |= _RTL
    flags[mask("extended_pictographic") | mask("emoji_modifier")] |= _EMOJI
    flags[mask("emoji") | mask("ideographic") | mask("symbol")] |= _VSBASE

    allowed = np.zeros(_NCP, np.uint8)
    for lo, hi in identifier_data()["status"]["Allowed"]:
        allowed[lo : hi + 1] = 1

    # Per-script masks for joiners, ZWSP and variation selectors.
    def in_scripts(names: frozenset[str]) -> npt.NDArray[np.bool_]:
        ids = [script_id[n] for n in names if n in script_id]
        m = np.isin(sc, np.array(ids, np.uint8))
        for cp, value in scx.items():
            if value & names:
                m[cp] = True
        return m

    letter_or_mark = letter | mark
    flags[letter_or_mark & in_scripts(_JOINING_SCRIPTS)] |= _JOIN
    flags[letter_or_mark & in_scripts(_VS_SCRIPTS)] |= _VSBASE
    zwsp_ctx = letter_or_mark & in_scripts(_ZWSP_SCRIPTS)

    # Script group of letters and marks with one specific script; CJK scripts share one.
    cjk = script_id["Hani"]
    group = sc.copy()
    for name in _CJK:
        group[sc == script_id[name]] = cjk
    group[~letter_or_mark] = 0
    group[group <= 2] = 0  # Zzzz, Zyyy, Zinh
    for cp, value in scx.items():
        groups = {("Hani" if s in _CJK else s) for s in value}
        group[cp] = script_id[groups.pop()] if len(groups) == 1 and letter_or_mark[cp] else 0
    group[group <= 2] = 0
    pair_ok = np.eye(256, dtype=np.bool_)
    latin = script_id["Latn"]
    pair_ok[latin, cjk] = pair_ok[cjk, latin] = True

    # Letters that disguise themselves whatever their neighbours: look-alike letters of
    # script Common/Inherited (mathematical alphanumerics, letterlike symbols) and
    # restricted Latin letters (fullwidth forms, IPA), outside Latin-1 (ª and º are
    # ordinary typography).
    prototypes = confusable_prototypes()
    has_alnum = regex.compile(r"[\p{L}\p{N}]")
    for ch, proto in prototypes.items():
        cp = ord(ch)
        if cp < 0x100 or not letter[cp] or not has_alnum.search(proto):
            continue
        if sc[cp] in (1, 2) or (sc[cp] == latin and not allowed[cp]):
            flags[cp] |= _ALWAYS
    flags[di] |= _ALWAYS

    dset = np.zeros(_NCP, np.uint8)
    zeros: list[int] = [0]
    for lo, hi in props["decimal_digit"]:
        for zero in range(lo, hi + 1, 10):
            zeros.append(zero)
            dset[zero : zero + 10] = len(zeros) - 1
    flags_b = flags.tobytes()
    global _ZWSP_CTX
    _ZWSP_CTX = zwsp_ctx.tobytes()
    return _Tables(
        scripts=scripts,
        script_id=script_id,
        sc=sc.tobytes(),
        scx=scx,
        flags=flags,
        flags_b=flags_b,
        group=group,
        group_b=group.tobytes(),
        pair_ok=pair_ok,
        dset=dset.tobytes(),
        dzero=tuple(zeros),
        allowed=allowed.tobytes(),
        ignorable=di.astype(np.uint8).tobytes(),
        latin=latin,
        cjk=cjk,
        regex_unicode_version=data["regex_unicode_version"],
    )


_ZWSP_CTX: bytes = b""


def _script(cp: int) -> str:
    return _tables().scripts[_tables().sc[cp]] if cp < _NCP else "Zzzz"


def _scx(cp: int) -> frozenset[str]:
    t = _tables()
    found = t.scx.get(cp)
    return found if found is not None else frozenset((t.scripts[t.sc[cp]],))


def _groups(cp: int) -> frozenset[str]:
    """Script groups a character belongs to (CJK scripts count as 'Hani')."""
    return frozenset("Hani" if s in _CJK else s for s in _scx(cp))


def _augmented(cp: int) -> frozenset[str] | None:
    """Augmented Script_Extensions (UTS #39 §5.1); None for Common/Inherited (= all)."""
    sx = _scx(cp)
    if sx <= {"Zyyy", "Zinh"}:
        return None
    out: set[str] = set()
    for s in sx:
        out |= _AUGMENT.get(s, {s})
    return frozenset(out)


@cache
def _reverse_skeletons() -> dict[str, tuple[str, ...]]:
    rev: dict[str, list[str]] = {}
    for ch in confusable_prototypes():
        rev.setdefault(skeleton(ch), []).append(ch)
    for sk in list(rev):
        rev[sk].append(sk)
    return {k: tuple(v) for k, v in rev.items()}


def _name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name:
        return name
    cp = ord(ch)
    if unicodedata.category(ch) == "Cc":
        return "<control>"
    return f"<U+{cp:04X}>"


@cache
def _lookalike(ch: str, group: str) -> str | None:
    """The string of script group ``group`` that ``ch`` is confusable with, or None."""
    t = _tables()
    sk = skeleton(ch)
    if not sk or sk == unicodedata.normalize("NFD", ch):
        options: tuple[str, ...] = _reverse_skeletons().get(sk, ())
    else:
        options = (*_reverse_skeletons().get(sk, ()), sk)
    upper = ch.isupper()
    best: tuple[tuple[int, int, int, int, int], str] | None = None
    for option in options:
        option = unicodedata.normalize("NFC", option)
        if option == ch or not option or skeleton(option) != sk:
            continue
        ok = True
        has_letter = False
        for c in option:
            cp = ord(c)
            if t.flags_b[cp] & _LETTER:
                has_letter = True
                if group not in _groups(cp):
                    ok = False
                    break
            elif _script(cp) not in ("Zyyy", "Zinh"):
                ok = False
                break
        if not ok or not has_letter:
            continue
        all_allowed = all(t.allowed[ord(c)] for c in option)
        key = (
            0 if all_allowed else 1,
            0 if option.isupper() == upper else 1,
            0 if option.isascii() else 1,
            len(option),
            ord(option[0]),
        )
        if best is None or key < best[0]:
            best = (key, option)
    return None if best is None else best[1]


# --- candidate search (the hot path) -----------------------------------------------------

# Characters that can never start a finding on their own: ASCII, Latin-1, Latin letters
# (Extended-A/B, Extended Additional), combining diacritics, ordinary punctuation
# (excluding the hidden and bidi characters of General Punctuation), arrows, math
# operators, technical symbols, box drawing, shapes, dingbats, CJK-neutral emoji.
_BENIGN = (
    r"\x00-\xac\xae-\u024f\u0300-\u034e\u0350-\u036f\u1e00-\u1eff"
    r"\u2000-\u200a\u2010-\u2029\u202f-\u205f\u2070-\u20ff"
    r"\u2190-\u23ff\u2500-\u27bf\U0001f300-\U0001f5ff\U0001f600-\U0001faff"
)
_SUSPECT_RE = regex.compile(rf"[^{_BENIGN}]+")
_WORD_BACK_RE = regex.compile(WORD_RE.pattern, regex.REVERSE)
_WINDOW = 96  # characters of context around a sparse hit (whole-script context check)
_CONTEXT = 80  # genuine foreign letters this close legitimise an all-look-alike word
_SAMPLE = 1 << 17


def _codepoints(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@cache
def _confusable_with(group: int) -> npt.NDArray[np.bool_]:
    """Letters of other script groups whose skeleton is a string of ``group`` letters."""
    t = _tables()
    name = t.scripts[group]
    lut = np.zeros(_NCP, np.bool_)
    for ch in confusable_prototypes():
        cp = ord(ch)
        g = t.group_b[cp]
        if g and g != group and _lookalike(ch, name) is not None:
            lut[cp] = True
    return lut


def _dominant(groups: npt.NDArray[np.uint8]) -> int:
    counts = np.bincount(groups, minlength=256)
    counts[0] = 0
    best = int(counts.argmax())
    return best if counts[best] else 0


@dataclass(slots=True)
class _Candidates:
    words: set[tuple[int, int]]
    whole: set[tuple[int, int]]


def _scan(text: str, lo: int, hi: int, dominant: int, out: _Candidates) -> None:
    """Find candidate words in ``text[lo:hi]`` (offsets reported absolute)."""
    t = _tables()
    cps = _codepoints(text[lo:hi])
    n = len(cps)
    if n == 0:
        return
    fl = t.flags[cps]
    grp = t.group[cps]
    # Non-word positions with sentinels: the word around p is nonword[k-1]+1 .. nonword[k]
    # for k = searchsorted(nonword, p).
    nonword = np.concatenate(([-1], np.flatnonzero((fl & _WORD) == 0), [n]))
    positions: list[npt.NDArray[np.intp]] = []

    # Hidden characters, minus joiners and variation selectors legitimised by neighbours.
    hidden = np.flatnonzero(fl & _ALWAYS)
    if len(hidden):
        hcp = cps[hidden]
        prev = np.where(hidden > 0, fl[np.maximum(hidden - 1, 0)], 0)
        nxt = np.where(hidden + 1 < n, fl[np.minimum(hidden + 1, n - 1)], 0)
        prev_cp = np.where(hidden > 0, cps[np.maximum(hidden - 1, 0)], 0)
        joiner_ok = ((prev & _JOIN) != 0) & ((nxt & _JOIN) != 0)
        emoji_ok = (((prev & _EMOJI) != 0) | (prev_cp == 0xFE0F)) & ((nxt & _EMOJI) != 0)
        vs = ((hcp >= 0xFE00) & (hcp <= 0xFE0F)) | ((hcp >= 0xE0100) & (hcp <= 0xE01EF))
        legit = ((hcp == _ZWNJ) & joiner_ok) | ((hcp == _ZWJ) & (emoji_ok | ((prev & _JOIN) != 0)))
        legit |= vs & ((prev & _VSBASE) != 0)
        positions.append(hidden[~legit])

    # Script changes between letters of one word.
    letters = np.flatnonzero(grp)
    if len(letters) > 1:
        g = grp[letters]
        change = np.flatnonzero(g[1:] != g[:-1])
        if len(change):
            a, b = letters[change], letters[change + 1]
            bad = ~t.pair_ok[g[change], g[change + 1]]
            a, b = a[bad], b[bad]
            same_word = np.searchsorted(nonword, a) == np.searchsorted(nonword, b)
            positions.append(a[same_word])

    # Digit-set changes inside a number.
    digits = np.flatnonzero(fl & _DIGIT)
    if len(digits) > 1:
        dcp = cps[digits]
        if (dcp > 0x7F).any():
            ds = np.frombuffer(t.dset, np.uint8)[dcp]
            k = np.flatnonzero((digits[1:] == digits[:-1] + 1) & (ds[1:] != ds[:-1]))
            positions.append(digits[k])

    if positions:
        found = np.unique(np.concatenate(positions))
        k = np.searchsorted(nonword, found)
        starts, ends = nonword[k - 1] + 1, nonword[k]
        out.words.update(zip((starts + lo).tolist(), (ends + lo).tolist(), strict=True))

    # Whole-script look-alikes: words of a foreign script (not Latin, which is everyday
    # code-mixing) made only of look-alikes of the dominant script, with no genuine letter
    # of a foreign script nearby.
    if not dominant:
        return
    foreign_mask = (grp != 0) & (grp != dominant) & (grp != t.latin)
    foreign = np.flatnonzero(foreign_mask)
    if len(foreign) < 2:
        return
    conf = _confusable_with(dominant)[cps[foreign]]
    if not conf.any():
        return
    wid = np.searchsorted(nonword, foreign)
    bounds = np.flatnonzero(np.diff(wid)) + 1
    seg_start = np.concatenate(([0], bounds))
    seg_count = np.diff(np.concatenate((seg_start, [len(foreign)])))
    all_conf = np.logical_and.reduceat(conf, seg_start)
    pick = all_conf & (seg_count >= 2)
    if not pick.any():
        return
    k = wid[seg_start[pick]]
    count = seg_count[pick]
    starts, ends = nonword[k - 1] + 1, nonword[k]
    # Every letter of the word must be one of those foreign look-alikes.
    n_letters = np.searchsorted(letters, ends) - np.searchsorted(letters, starts)
    keep = n_letters == count
    genuine = foreign[~conf]
    if len(genuine):
        i = np.searchsorted(genuine, starts)
        before = np.where(i > 0, genuine[np.maximum(i - 1, 0)], -(10**9))
        after = np.where(i < len(genuine), genuine[np.minimum(i, len(genuine) - 1)], 10**12)
        keep &= (starts - before > _CONTEXT) & (after - ends >= _CONTEXT)
    out.whole.update(zip((starts[keep] + lo).tolist(), (ends[keep] + lo).tolist(), strict=True))


def _candidates(text: str) -> tuple[_Candidates, int]:
    """Candidate words and the dominant script group of ``text``."""
    t = _tables()
    out = _Candidates(words=set(), whole=set())
    n = len(text)
    limit = 32 + n // 20000
    hits: list[tuple[int, int]] = []
    dense = False
    for m in _SUSPECT_RE.finditer(text):
        hits.append(m.span())
        if len(hits) > limit:
            dense = True
            break
    if not hits:
        return out, t.latin
    if dense:
        cps = _codepoints(text)
        dominant = _dominant(t.group[cps])
        del cps
        _scan(text, 0, n, dominant, out)
        return out, dominant
    step = max(1, n // _SAMPLE)
    dominant = _dominant(t.group[_codepoints(text[::step])])
    windows: list[list[int]] = []
    for s, e in hits:
        lo, hi = max(0, s - _WINDOW), min(n, e + _WINDOW)
        m = _WORD_BACK_RE.match(text, 0, lo)
        if m:
            lo = m.start()
        m = WORD_RE.match(text, hi)
        if m:
            hi = m.end()
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        _scan(text, lo, hi, dominant, out)
    return out, dominant


# --- per-word analysis (rare candidates only) --------------------------------------------


@dataclass(slots=True)
class _Context:
    text: str
    dominant: str
    cjk_document: bool
    index: LineIndex | None = None
    bidi_lines: dict[int, tuple[bool, bool]] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        if self.index is None:
            self.index = LineIndex(self.text)
        return self.index.position(offset)


def _char(offset: int, ch: str, looks_like: str | None) -> HomoglyphChar:
    cp = ord(ch)
    return HomoglyphChar(
        offset=offset,
        char=ch,
        code_point=f"U+{cp:04X}",
        name=_name(ch),
        script=_script(cp),
        prototype=skeleton(ch) if not 0xD800 <= cp <= 0xDFFF else ch,
        looks_like=looks_like,
    )


def _finding(
    ctx: _Context,
    kind: str,
    severity: Severity,
    start: int,
    end: int,
    chars: list[HomoglyphChar],
    suggestion: str | None,
    message: str,
) -> HomoglyphFinding:
    line, column = ctx.position(start)
    return HomoglyphFinding(
        start=start,
        end=end,
        line=line,
        column=column,
        kind=kind,
        severity=severity,
        message=message,
        code=CODES[kind],
        word=ctx.text[start:end],
        chars=tuple(chars),
        suggestion=suggestion,
    )


def _describe(c: HomoglyphChar) -> str:
    return f'"{c.char}" ({c.code_point} {c.name}, {c.script})'


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    ends = [i for i in (text.find("\n", offset), text.find("\r", offset)) if i >= 0]
    return start, min(ends) if ends else len(text)


def _bidi_line(ctx: _Context, offset: int) -> tuple[bool, bool]:
    """(controls on this line are suspicious, the line is unbalanced) for ``offset``."""
    start, end = _line_bounds(ctx.text, offset)
    if ctx.bidi_lines is None:
        ctx.bidi_lines = {}
    cached = ctx.bidi_lines.get(start)
    if cached is not None:
        return cached
    stack: list[int] = []
    unbalanced = override = rtl = False
    flags = _tables().flags_b
    for i in range(start, end):
        cp = ord(ctx.text[i])
        if flags[cp] & _RTL and cp not in _BIDI:
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
    ctx.bidi_lines[start] = result
    return result


def _hidden_is_legit(text: str, i: int, cp: int) -> bool:
    """Whether the default-ignorable character at ``i`` is legitimate where it stands."""
    flags = _tables().flags_b
    n = len(text)
    prev_cp = ord(text[i - 1]) if i > 0 else -1
    next_cp = ord(text[i + 1]) if i + 1 < n else -1
    prev = flags[prev_cp] if prev_cp >= 0 else 0
    nxt = flags[next_cp] if next_cp >= 0 else 0
    if cp == _ZWNJ:
        return bool(prev & _JOIN and nxt & _JOIN)
    if cp == _ZWJ:
        return bool(prev & _JOIN or ((prev & _EMOJI or prev_cp == 0xFE0F) and nxt & _EMOJI))
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return bool(prev & _VSBASE)
    if 0x180B <= cp <= 0x180F and cp != _MVS:  # Mongolian free variation selectors
        return bool(prev & _VSBASE)
    if cp == _MVS:
        return bool(prev & _VSBASE and nxt & _VSBASE)
    if cp == _BOM:
        return i == 0
    if cp == _ZWSP:
        ctx = _ZWSP_CTX
        return prev_cp >= 0 and next_cp >= 0 and bool(ctx[prev_cp] and ctx[next_cp])
    if cp == _CGJ:
        return prev_cp >= 0 and unicodedata.category(chr(prev_cp)).startswith("M")
    if cp in (0x115F, 0x1160):  # Hangul choseong/jungseong fillers in jamo sequences
        return any(
            0x1100 <= c <= 0x11FF or 0xA960 <= c <= 0xA97F or 0xD7B0 <= c <= 0xD7FF
            for c in (prev_cp, next_cp)
        )
    if 0xE0020 <= cp <= _TAG_CANCEL:  # emoji tag sequences (subdivision flags)
        j = i
        while j > 0 and 0xE0020 <= ord(text[j - 1]) <= _TAG_CANCEL:
            j -= 1
        k = i
        while k + 1 < n and 0xE0020 <= ord(text[k + 1]) < _TAG_CANCEL:
            k += 1
        ends = ord(text[k]) == _TAG_CANCEL or (k + 1 < n and ord(text[k + 1]) == _TAG_CANCEL)
        return j > 0 and ord(text[j - 1]) == _WAVING_BLACK_FLAG and ends
    return False


def _analyze_word(ctx: _Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    t = _tables()
    text = ctx.text
    flags, sc = t.flags_b, t.sc
    bidi: list[HomoglyphChar] = []
    hidden: list[HomoglyphChar] = []
    hidden_severity: Severity = "info"
    bidi_unbalanced = False
    letters: list[tuple[int, str]] = []
    always: list[tuple[int, str]] = []
    for i in range(start, end):
        ch = text[i]
        cp = ord(ch)
        f = flags[cp]
        if cp in _BIDI:
            suspicious, unbalanced = _bidi_line(ctx, i)
            if suspicious:
                bidi.append(_char(i, ch, ""))
                bidi_unbalanced |= unbalanced
            continue
        if t.ignorable[cp]:
            if not _hidden_is_legit(text, i, cp):
                hidden.append(_char(i, ch, ""))
                if cp != _SHY:
                    hidden_severity = "warning"
            continue
        if f & _LETTER or t.group_b[cp]:
            letters.append((i, ch))
            if f & _ALWAYS and (sc[cp] in (1, 2) or not t.allowed[cp]):
                always.append((i, ch))
    word = text[start:end]
    if bidi:
        severity: Severity = "error" if bidi_unbalanced else "warning"
        what = (
            "unbalanced bidirectional control characters (Trojan Source, CVE-2021-42574)"
            if bidi_unbalanced
            else "bidirectional control characters"
        )
        out.append(
            _finding(
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
        clean = "".join(
            ch for i, ch in enumerate(word, start) if all(h.offset != i for h in hidden)
        )
        out.append(
            _finding(
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
    _analyze_scripts(ctx, start, end, letters, always, out)
    _analyze_digits(ctx, start, end, out)


def _analyze_scripts(
    ctx: _Context,
    start: int,
    end: int,
    letters: list[tuple[int, str]],
    always: list[tuple[int, str]],
    out: list[HomoglyphFinding],
) -> None:
    if not letters:
        return
    resolved: frozenset[str] | None = None
    counts: Counter[str] = Counter()
    for _, ch in letters:
        aug = _augmented(ord(ch))
        if aug is None:
            continue
        resolved = aug if resolved is None else resolved & aug
        counts.update(_groups(ord(ch)))
    text = ctx.text
    if resolved is None or resolved:
        # Single script (or only Common/Inherited): only fixed disguises can be at fault.
        if not always or len(letters) < 2:
            return
        base = ctx.dominant
        if resolved:
            groups = {"Hani" if s in _CJK or s in _HAN_SYSTEMS else s for s in resolved}
            base = ctx.dominant if ctx.dominant in groups else min(groups)
        # Fullwidth Latin is ordinary typography in Chinese, Japanese and Korean text.
        odd = [(i, ch) for i, ch in always if not (ctx.cjk_document and _is_fullwidth(ch))]
        if not odd:
            return
    else:
        base = ctx.dominant
        if base not in counts:
            base = max(sorted(counts), key=counts.__getitem__)
        odd_set = {i for i, ch in letters if base not in _groups(ord(ch)) and _augmented(ord(ch))}
        odd_set.update(i for i, _ in always)
        odd = [(i, ch) for i, ch in letters if i in odd_set]
    details = [_char(i, ch, _lookalike(ch, base)) for i, ch in odd]
    if all(d.looks_like is not None for d in details):
        repl = {d.offset: d.looks_like or "" for d in details}
        suggestion = "".join(repl.get(i, ch) for i, ch in enumerate(text[start:end], start))
        out.append(
            _finding(
                ctx,
                "confusable",
                "warning",
                start,
                end,
                details,
                suggestion,
                f"{text[start:end]!r} mixes look-alike characters into {base} text: "
                + ", ".join(f"{_describe(d)} looks like {d.looks_like!r}" for d in details)
                + f"; did you mean {suggestion!r}?",
            )
        )
        return
    if resolved is not None and not resolved:
        scripts = set(counts)
        if _moderately_restrictive(scripts) and not any(d.looks_like for d in details):
            return
        out.append(
            _finding(
                ctx,
                "mixed_script",
                "warning",
                start,
                end,
                details,
                None,
                f"{text[start:end]!r} mixes scripts {', '.join(sorted(scripts))}: "
                + ", ".join(_describe(d) for d in details),
            )
        )


def _is_fullwidth(ch: str) -> bool:
    return 0xFF00 <= ord(ch) <= 0xFFEF


def _moderately_restrictive(groups: set[str]) -> bool:
    """UTS #39 §5.2: Latin plus at most one other script (Han-based writing systems count as
    one), except Cyrillic and Greek."""
    others = groups - {"Latn"}
    return len(others) <= 1 and not (others & _CONFUSABLE_LATIN_PEERS)


def _analyze_digits(ctx: _Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    t = _tables()
    text = ctx.text
    run: list[int] = []
    for i in range(start, end + 1):
        if i < end and t.dset[ord(text[i])]:
            run.append(i)
            continue
        if len(run) > 1:
            sets = Counter(t.dset[ord(text[j])] for j in run)
            if len(sets) > 1:
                main = t.dset[ord(text[run[0]])]
                zero = t.dzero[main]
                odd = [j for j in run if t.dset[ord(text[j])] != main]
                details = []
                for j in odd:
                    value = ord(text[j]) - t.dzero[t.dset[ord(text[j])]]
                    details.append(_char(j, text[j], chr(zero + value)))
                number = text[run[0] : run[-1] + 1]
                fixed = "".join(chr(zero + ord(c) - t.dzero[t.dset[ord(c)]]) for c in number)
                out.append(
                    _finding(
                        ctx,
                        "mixed_numbers",
                        "warning",
                        start,
                        end,
                        details,
                        text[start : run[0]] + fixed + text[run[-1] + 1 : end],
                        f"number {number!r} mixes digits of different sets: "
                        + ", ".join(_describe(d) for d in details),
                    )
                )
                return
        run = []


def _whole_script(ctx: _Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    text = ctx.text
    base = ctx.dominant
    details = []
    for i in range(start, end):
        ch = text[i]
        if _tables().flags_b[ord(ch)] & _LETTER:
            details.append(_char(i, ch, _lookalike(ch, base)))
    if len(details) < 2 or any(d.looks_like is None for d in details):
        return
    repl = {d.offset: d.looks_like or "" for d in details}
    suggestion = "".join(repl.get(i, ch) for i, ch in enumerate(text[start:end], start))
    script = details[0].script
    out.append(
        _finding(
            ctx,
            "whole_script",
            "warning",
            start,
            end,
            details,
            suggestion,
            f"{text[start:end]!r} is written in {script} but every letter looks like "
            f"{base}: it reads as {suggestion!r}",
        )
    )


# --- public API ---------------------------------------------------------------------------


def find_homoglyphs(
    text: str,
    *,
    kinds: Iterable[str] | None = None,
    min_severity: Severity = "info",
) -> list[HomoglyphFinding]:
    """Find look-alike, mixed-script and hidden characters in ``text`` (UTS #39).

    Returns findings sorted by offset, at most one per word and kind. ``kinds`` restricts
    the kinds reported (see :data:`KINDS`); ``min_severity`` drops lighter findings.
    Never raises on any ``str`` (lone surrogates included).
    """
    wanted = frozenset(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds: {sorted(unknown)}")
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if text.isascii():
        return []
    t = _tables()
    cands, dominant = _candidates(text)
    if not cands.words and not cands.whole:
        return []
    name = t.scripts[dominant] if dominant else "Latn"
    ctx = _Context(text=text, dominant=name, cjk_document=name == "Hani")
    found: list[HomoglyphFinding] = []
    for s, e in sorted(cands.words):
        _analyze_word(ctx, s, e, found)
    for s, e in sorted(cands.whole - cands.words):
        _whole_script(ctx, s, e, found)
    floor = severity_rank(min_severity)
    result = [f for f in found if f.kind in wanted and severity_rank(f.severity) >= floor]
    result.sort(key=lambda f: (f.start, f.end, KINDS.index(f.kind)))
    return result


_FIXED_KINDS = ("confusable", "whole_script", "invisible", "bidi")


def fix_homoglyphs(text: str) -> FixResult:
    """Replace look-alikes with the characters they imitate and drop hidden and bidi
    control characters, changing only characters a finding flagged.

    Returns the fixed text, the replayable plan (``apply_plan(text, result.plan)``) and
    the findings fixed. ``mixed_script`` and ``mixed_numbers`` findings have no safe
    automatic fix and are left alone.
    """
    findings = [f for f in find_homoglyphs(text) if f.kind in _FIXED_KINDS]
    steps: dict[int, FixStep] = {}
    for f in findings:
        for c in f.chars:
            if c.looks_like is None or c.offset in steps:
                continue
            steps[c.offset] = FixStep(
                start=c.offset,
                end=c.offset + 1,
                old=c.char,
                new=c.looks_like,
                kind=f.kind,
                code=f.code,
            )
    plan = tuple(steps[k] for k in sorted(steps))
    return FixResult(text=apply_plan(text, plan), plan=plan, findings=tuple(findings))


def apply_plan(text: str, plan: Iterable[FixStep]) -> str:
    """Replay a fix plan on the original text. Raises ``ValueError`` when the plan does
    not fit the text (a step's ``old`` is not at its offsets, or steps overlap)."""
    parts: list[str] = []
    pos = 0
    for step in sorted(plan, key=lambda s: (s.start, s.end)):
        if step.start < pos or step.end > len(text) or text[step.start : step.end] != step.old:
            raise ValueError(f"plan step {step.start}..{step.end} does not fit the text")
        parts.append(text[pos : step.start])
        parts.append(step.new)
        pos = step.end
    parts.append(text[pos:])
    return "".join(parts)
