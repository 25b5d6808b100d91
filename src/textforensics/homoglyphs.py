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
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt
import regex
from unidecode import unidecode

from .results import FixResult, FixStep, HomoglyphChar, HomoglyphFinding, Severity, severity_rank
from .tables import confusable_prototypes, identifier_data, script_data
from .text import WORD_RE, skeleton
from .vocab import FIXABLE_KINDS, HOMOGLYPH_CODES, HOMOGLYPH_KINDS

__all__ = [
    "CODES",
    "KINDS",
    "apply_plan",
    "find_homoglyphs",
    "fix_homoglyphs",
]

KINDS = HOMOGLYPH_KINDS
"""The finding kinds, in rule-code order (:data:`textforensics.vocab.HOMOGLYPH_KINDS`)."""

CODES = HOMOGLYPH_CODES
"""Stable rule id per kind (:data:`textforensics.vocab.HOMOGLYPH_CODES`)."""

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
    looks_letter: bytes  # 1 for non-letters confusable with letters
    latin_twin: bytes  # 1 for allowed Latin letters confusable with one ASCII letter
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

    latin = script_id["Latn"]
    # Letters that disguise themselves whatever their neighbours: look-alike letters of
    # script Common/Inherited (mathematical alphanumerics, letterlike symbols) and
    # restricted Latin letters (fullwidth forms, IPA), outside Latin-1 (ª and º are
    # ordinary typography).
    prototypes = confusable_prototypes()
    has_alnum = regex.compile(r"[\p{L}\p{N}]")
    has_letter = regex.compile(r"[\p{Lu}\p{Ll}\p{Lt}\p{Lo}]")  # not Lm: ー for —
    looks_letter = np.zeros(_NCP, np.bool_)  # non-letters that look like letters (×, ٥, Ⅰ)
    latin_twin = np.zeros(_NCP, np.bool_)  # allowed Latin letters that look like ASCII (ı, þ)
    for ch, proto in prototypes.items():
        cp = ord(ch)
        if cp < 0x80:
            continue
        if not letter[cp]:
            if len(proto) == 1 and has_letter.match(proto):
                looks_letter[cp] = True
                if not (digit[cp] and sc[cp] > 2):
                    flags[cp] |= _ALWAYS
            continue
        if cp < 0x100 and sc[cp] != latin:
            continue
        if not has_alnum.search(proto):
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) > 1 and decomposed[0].isascii():
            continue  # an accented ASCII letter (Romanian ţ): ordinary orthography
        if sc[cp] in (1, 2) or (sc[cp] == latin and not allowed[cp]):
            flags[cp] |= _ALWAYS
        elif sc[cp] == latin and len(proto) == 1 and proto.isascii() and proto.isalpha():
            latin_twin[cp] = True
            flags[cp] |= _ALWAYS
    for cp in (0xAA, 0xBA):  # ª and º are ordinary typography
        flags[cp] &= 0xFF ^ _ALWAYS
        latin_twin[cp] = False
    flags[di] |= _ALWAYS
    # Script group of letters and marks with one specific script; CJK scripts share one.
    cjk = script_id["Hani"]
    group = sc.copy()
    for name in _CJK:
        group[sc == script_id[name]] = cjk
    group[~(letter_or_mark | (digit & looks_letter))] = 0
    group[group <= 2] = 0  # Zzzz, Zyyy, Zinh
    for cp, value in scx.items():
        groups = {("Hani" if s in _CJK else s) for s in value}
        grouped = letter_or_mark[cp] or (digit[cp] and looks_letter[cp])
        group[cp] = script_id[groups.pop()] if len(groups) == 1 and grouped else 0
    group[group <= 2] = 0
    pair_ok = np.eye(256, dtype=np.bool_)
    pair_ok[latin, cjk] = pair_ok[cjk, latin] = True

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
        looks_letter=looks_letter.astype(np.uint8).tobytes(),
        latin_twin=latin_twin.astype(np.uint8).tobytes(),
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


@cache
def _groups(cp: int) -> frozenset[str]:
    """Script groups a character belongs to (CJK scripts count as 'Hani')."""
    return frozenset("Hani" if s in _CJK else s for s in _scx(cp))


@cache
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
def _char_skeletons() -> dict[str, str]:
    """Skeleton of every character listed in confusables.txt."""
    return {ch: skeleton(ch) for ch in confusable_prototypes()}


@cache
def _reverse_skeletons() -> dict[str, tuple[str, ...]]:
    rev: dict[str, list[str]] = {}
    for ch, sk in _char_skeletons().items():
        rev.setdefault(sk, []).append(ch)
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
_BENIGN_RANGES = (
    (0x00, 0x017F),
    (0x0300, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x20FF),
    (0x2190, 0x23FF),
    (0x2500, 0x27BF),
    (0x1F300, 0x1FAFF),
)


_MIN_BENIGN_RUN = 64


@cache
def _benign_ranges() -> tuple[tuple[int, int], ...]:
    """The benign ranges minus every character flagged ALWAYS (hidden characters,
    look-alikes), so those are found too."""
    flags = _tables().flags_b
    parts: list[tuple[int, int]] = []
    for lo, hi in _BENIGN_RANGES:
        start = None
        for cp in range(lo, hi + 2):
            ok = cp <= hi and not flags[cp] & _ALWAYS
            if ok and start is None:
                start = cp
            elif not ok and start is not None:
                # Short benign fragments are dropped (their characters become hits): a
                # class with few ranges scans several times faster.
                if cp - start >= _MIN_BENIGN_RUN or start < 0x2100:
                    parts.append((start, cp - 1))
                start = None
    return tuple(parts)


@cache
def _suspect_re() -> regex.Pattern[str]:
    """Runs of characters outside the benign class."""
    parts = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _benign_ranges())
    return regex.compile(f"[^{parts}]+")


@cache
def _benign_bmp() -> npt.NDArray[np.bool_]:
    """The benign class as a lookup table over the Basic Multilingual Plane."""
    lut = np.zeros(0x10000, np.bool_)
    for lo, hi in _benign_ranges():
        if lo < 0x10000:
            lut[lo : min(hi, 0xFFFF) + 1] = True
    return lut


def _suspect_runs(text: str, limit: int) -> list[tuple[int, int]]:
    """Runs of non-benign characters, at most ``limit + 1`` of them (more means dense).

    Texts without supplementary-plane characters are scanned as UTF-16 code units with
    numpy (a few milliseconds per million characters); others with the compiled regex.
    """
    if len(text) >= 4096:
        units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), np.uint16)
        if len(units) == len(text):  # one code unit per character: offsets agree
            non_ascii = np.flatnonzero(units >= 0x80)
            suspect = non_ascii[~_benign_bmp()[units[non_ascii]]]
            if not len(suspect):
                return []
            breaks = np.flatnonzero(np.diff(suspect) != 1) + 1
            starts = suspect[np.concatenate(([0], breaks))][: limit + 1]
            ends = suspect[np.concatenate((breaks - 1, [len(suspect) - 1]))][: limit + 1] + 1
            return list(zip(starts.tolist(), ends.tolist(), strict=True))
    return _suspect_runs_regex(text, limit)


def _suspect_runs_regex(text: str, limit: int) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for m in _suspect_re().finditer(text):
        runs.append(m.span())
        if len(runs) > limit:
            break
    return runs


_WORD_BACK_RE = regex.compile(WORD_RE.pattern, regex.REVERSE)
_WINDOW = 96  # characters of context around a sparse hit (whole-script context check)
_CONTEXT = 80  # genuine foreign letters this close legitimise an all-look-alike word
_SAMPLE = 1 << 17
_CHUNK = 1 << 20


def _codepoints(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@cache
def _skeleton_groups() -> dict[str, frozenset[str]]:
    """For each skeleton of confusables.txt, the script groups that can write it: a group
    is listed when some string with that skeleton is made only of its letters (plus
    Common/Inherited characters)."""
    t = _tables()
    out: dict[str, set[str]] = {}
    for sk, options in _reverse_skeletons().items():
        groups = out.setdefault(sk, set())
        for option in options:
            common: frozenset[str] | None = None
            has_letter = False
            for c in unicodedata.normalize("NFC", option):
                cp = ord(c)
                if t.flags_b[cp] & _LETTER:
                    has_letter = True
                    g = _groups(cp)
                    common = g if common is None else common & g
                elif _script(cp) not in ("Zyyy", "Zinh"):
                    common = frozenset()
            if has_letter and common:
                groups |= common
    return {k: frozenset(v) for k, v in out.items()}


# Bits of the per-dominant-script lookup table (low byte: script group).
_B_WORD, _B_ALWAYS, _B_EMOJI, _B_JOIN, _B_VSBASE, _B_DIGIT, _B_CONF, _B_GENUINE = (
    1 << i for i in range(8, 16)
)


@cache
def _lut(dominant: int) -> npt.NDArray[np.uint16]:
    """One uint16 per code point: script group (low byte) and the flags the vectorised
    scan needs, including which letters of other scripts look like ``dominant`` letters
    (CONF) and which cannot (GENUINE)."""
    t = _tables()
    lut = t.group.astype(np.uint16)
    for flag, bit in (
        (_WORD, _B_WORD),
        (_ALWAYS, _B_ALWAYS),
        (_EMOJI, _B_EMOJI),
        (_JOIN, _B_JOIN),
        (_VSBASE, _B_VSBASE),
        (_DIGIT, _B_DIGIT),
    ):
        lut[(t.flags & flag) != 0] |= bit
    if dominant:
        foreign = (t.group != 0) & (t.group != dominant) & (t.group != t.latin)
        conf = np.zeros(_NCP, np.bool_)
        name = t.scripts[dominant]
        groups = _skeleton_groups()
        for ch, sk in _char_skeletons().items():
            if name in groups.get(sk, ()):
                conf[ord(ch)] = True
        # Characters without an entry are their own prototype: e.g. Cyrillic "а" is listed,
        # Latin "a" is not; a foreign letter whose own skeleton a dominant letter shares.
        for sk, gs in groups.items():
            if name in gs and len(sk) == 1:
                conf[ord(sk)] = True
        lut[foreign & conf] |= _B_CONF
        lut[foreign & ~conf] |= _B_GENUINE
    return lut


def _dominant(text: str) -> int:
    """The script group with most letters in an evenly spaced sample of ``text``."""
    step = max(1, len(text) // _SAMPLE)
    groups = _tables().group[_codepoints(text[::step])]
    counts = np.bincount(groups, minlength=256)
    counts[0] = 0
    best = int(counts.argmax())
    return best if counts[best] else 0


def _scan(text: str, lo: int, hi: int, dominant: int, words: list[int], whole: set[int]) -> None:
    """Vectorised candidate search in ``text[lo:hi]``: appends absolute offsets of
    characters whose word needs a closer look to ``words``, and the start offsets of
    whole-script candidate words to ``whole``."""
    cps = _codepoints(text[lo:hi])
    n = len(cps)
    if n == 0:
        return
    info = _lut(dominant)[cps]

    # Hidden characters, minus joiners and variation selectors legitimised by neighbours.
    hidden = np.flatnonzero((info & _B_ALWAYS) != 0)
    if len(hidden):
        hcp = cps[hidden]
        prev = np.where(hidden > 0, info[np.maximum(hidden - 1, 0)], 0)
        nxt = np.where(hidden + 1 < n, info[np.minimum(hidden + 1, n - 1)], 0)
        prev_cp = np.where(hidden > 0, cps[np.maximum(hidden - 1, 0)], 0)
        prev_join = (prev & _B_JOIN) != 0
        joiner_ok = prev_join & ((nxt & _B_JOIN) != 0)
        emoji_ok = (((prev & _B_EMOJI) != 0) | (prev_cp == 0xFE0F)) & ((nxt & _B_EMOJI) != 0)
        vs = ((hcp >= 0xFE00) & (hcp <= 0xFE0F)) | ((hcp >= 0xE0100) & (hcp <= 0xE01EF))
        legit = ((hcp == _ZWNJ) & joiner_ok) | ((hcp == _ZWJ) & (emoji_ok | prev_join))
        legit |= vs & ((prev & _B_VSBASE) != 0)
        words.extend((hidden[~legit] + lo).tolist())

    # Script changes between adjacent letters.
    grp = (info & 0xFF).astype(np.uint8)
    g0, g1 = grp[:-1], grp[1:]
    change = np.flatnonzero((g0 != g1) & (g0 != 0) & (g1 != 0))
    if len(change):
        bad = ~_tables().pair_ok[g0[change], g1[change]]
        words.extend((change[bad] + lo).tolist())

    # Digit-set changes inside a number.
    digits = np.flatnonzero((info & _B_DIGIT) != 0)
    if len(digits) > 1:
        dcp = cps[digits]
        if (dcp > 0x7F).any():
            ds = np.frombuffer(_tables().dset, np.uint8)[dcp]
            k = np.flatnonzero((digits[1:] == digits[:-1] + 1) & (ds[1:] != ds[:-1]))
            words.extend((digits[k] + lo).tolist())

    # Whole-script look-alikes: whole words of a foreign script (not Latin, which is
    # everyday code-mixing) made only of look-alikes of the dominant script, with no
    # genuine letter of a foreign script within _CONTEXT characters.
    conf = np.flatnonzero((info & _B_CONF) != 0)
    if len(conf) < 2:
        return
    breaks = np.flatnonzero(np.diff(conf) != 1) + 1
    first = np.concatenate(([0], breaks))
    last = np.concatenate((breaks, [len(conf)])) - 1
    keep = last > first  # at least two letters
    starts, ends = conf[first[keep]], conf[last[keep]] + 1
    if not len(starts):
        return
    before = np.where(starts > 0, info[np.maximum(starts - 1, 0)], 0)
    after = np.where(ends < n, info[np.minimum(ends, n - 1)], 0)
    keep = ((before & _B_WORD) == 0) & ((after & _B_WORD) == 0)
    starts, ends = starts[keep], ends[keep]
    if not len(starts):
        return
    genuine = np.flatnonzero((info & _B_GENUINE) != 0)
    if len(genuine):
        i = np.searchsorted(genuine, starts)
        prev_g = np.where(i > 0, genuine[np.maximum(i - 1, 0)], -(10**9))
        next_g = np.where(i < len(genuine), genuine[np.minimum(i, len(genuine) - 1)], 10**12)
        keep = (starts - prev_g > _CONTEXT) & (next_g - ends >= _CONTEXT)
        starts = starts[keep]
    whole.update((starts + lo).tolist())


def _word_at(text: str, i: int) -> tuple[int, int]:
    """The word around offset ``i``. A symbol that looks like a letter (``×`` for ``x``)
    glued between two words joins them: "secu×ity" is one disguised word."""
    m = _WORD_BACK_RE.match(text, 0, i)
    start = m.start() if m else i
    m = WORD_RE.match(text, i)
    if m:
        return start, m.end()
    if 0 < i < len(text) - 1 and _tables().looks_letter[ord(text[i])]:
        after = WORD_RE.match(text, i + 1)
        if start < i and after:
            return start, after.end()
    return start, i


def _candidates(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """Candidate word spans, whole-script candidate spans and the dominant script group."""
    n = len(text)
    limit = 32 + n // 20000
    runs = _suspect_runs(text, limit)
    dense = len(runs) > limit
    if not runs:
        return [], [], 0
    dominant = _dominant(text)
    positions: list[int] = []
    whole: set[int] = set()
    if dense:
        lo = 0
        while lo < n:
            hi = text.find("\n", lo + _CHUNK)
            hi = n if hi < 0 else hi + 1
            _scan(text, lo, hi, dominant, positions, whole)
            lo = hi
        positions.sort()
    else:
        # Few hits: every word holding one gets the full analysis directly (and every
        # glued look-alike symbol inside a run, whose word reaches past the run).
        looks_letter = _tables().looks_letter
        positions = []
        for i, j in runs:
            positions.append(i)
            positions.extend(k for k in range(i + 1, j) if looks_letter[ord(text[k])])
        for i, _ in runs:
            start, end = _word_at(text, i)
            if end - start >= 2 and _whole_script_candidate(text, start, end, dominant):
                whole.add(start)
    words: list[tuple[int, int]] = []
    last_end = -1
    for i in positions:
        if i < last_end:
            continue
        start, end = _word_at(text, i)
        if end <= start:
            continue
        if start < last_end:  # a glued look-alike joined this word to the previous one
            start = words.pop()[0]
        words.append((start, end))
        last_end = end
    return words, [_word_at(text, start) for start in sorted(whole)], dominant


def _whole_script_candidate(text: str, start: int, end: int, dominant: int) -> bool:
    """The Python twin of the whole-script test in :func:`_scan`, for sparse hits."""
    if not dominant:
        return False
    lut = _lut(dominant)
    for i in range(start, end):
        if not lut[ord(text[i])] & _B_CONF:
            return False
    lo, hi = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    return not any(lut[ord(text[i])] & _B_GENUINE for i in range(lo, hi))


# --- per-word analysis (rare candidates only) --------------------------------------------


@dataclass(slots=True)
class _Context:
    text: str
    dominant: str
    cjk_document: bool
    has_cr: bool = False
    bidi_lines: dict[int, tuple[bool, bool]] | None = None
    _anchor: int = 0
    _anchor_line: int = 1
    _anchor_line_start: int = 0

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``, as :class:`LineIndex` counts them (CRLF,
        CR and LF end lines), without indexing the whole text: line breaks are counted
        from the previous lookup, which is cheap because findings come in order."""
        text = self.text
        if offset < self._anchor:
            self._anchor, self._anchor_line, self._anchor_line_start = 0, 1, 0
        a = self._anchor
        breaks = text.count("\n", a, offset)
        if self.has_cr:
            breaks += text.count("\r", a, offset) - text.count("\r\n", a, offset)
            if a > 0 and text[a - 1] == "\r" and offset > a and text[a] == "\n":
                breaks -= 1  # a CRLF split by the anchor was counted as two
        if breaks:
            line_start = text.rfind("\n", a, offset) + 1
            if self.has_cr:
                line_start = max(line_start, text.rfind("\r", a, offset) + 1)
        else:
            line_start = self._anchor_line_start
        line = self._anchor_line + breaks
        self._anchor, self._anchor_line, self._anchor_line_start = offset, line, line_start
        return line, offset - line_start + 1


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
    after_lf = text.rfind("\n", 0, offset) + 1
    start = max(after_lf, text.rfind("\r", after_lf, offset) + 1)
    lf = text.find("\n", offset)
    lf = len(text) if lf < 0 else lf
    cr = text.find("\r", offset, lf)
    return start, lf if cr < 0 else cr


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


_MAX_TAGS = 40


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


def _analyze_word(ctx: _Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    t = _tables()
    text = ctx.text
    bidi: list[HomoglyphChar] = []
    hidden: list[HomoglyphChar] = []
    hidden_severity: Severity = "info"
    bidi_unbalanced = False
    for i in range(start, end):
        ch = text[i]
        cp = ord(ch)
        if not t.ignorable[cp]:
            continue
        if cp in _BIDI:
            suspicious, unbalanced = _bidi_line(ctx, i)
            if suspicious:
                bidi.append(_char(i, ch, ""))
                bidi_unbalanced |= unbalanced
            continue
        if not _hidden_is_legit(text, i, cp):
            hidden.append(_char(i, ch, ""))
            if cp != _SHY:
                hidden_severity = "warning"
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
        gone = {h.offset for h in hidden}
        clean = "".join(ch for i, ch in enumerate(word, start) if i not in gone)
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
    _analyze_scripts(ctx, start, end, out)
    _analyze_digits(ctx, start, end, out)


def _analyze_scripts(ctx: _Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    verdict = _script_verdict(ctx.text[start:end], ctx.dominant, ctx.cjk_document)
    if verdict is None:
        return
    kind, severity, odd, suggestion, message = verdict
    details = [_char(start + rel, ctx.text[start + rel], looks_like) for rel, looks_like in odd]
    out.append(_finding(ctx, kind, severity, start, end, details, suggestion, message))


_Verdict = tuple[str, Severity, tuple[tuple[int, str | None], ...], str | None, str]


@lru_cache(maxsize=8192)
def _script_verdict(word: str, dominant: str, cjk_document: bool) -> _Verdict | None:
    """Confusable / mixed-script verdict for one word (memoised: depends on nothing else).

    Returns (kind, ((relative offset, look-alike), ...), suggestion, message) or None.
    """
    t = _tables()
    letters: list[tuple[int, str]] = []
    always: list[tuple[int, str]] = []
    twins = 0
    real_letter = False
    cjk_word = cjk_document or any(t.group_b[ord(ch)] == t.cjk for ch in word)
    for i, ch in enumerate(word):
        cp = ord(ch)
        f = t.flags_b[cp]
        if t.ignorable[cp] or not (f & _LETTER or t.group_b[cp] or t.looks_letter[cp]):
            continue
        if cjk_word and _is_fullwidth(ch):
            continue  # fullwidth forms are ordinary in Chinese, Japanese and Korean words
        letters.append((i, ch))
        real_letter |= bool(f & _LETTER)
        if f & _ALWAYS and (t.sc[cp] in (1, 2) or not t.allowed[cp] or t.latin_twin[cp]):
            always.append((i, ch))
            twins += t.latin_twin[cp]
    if not real_letter:
        return None
    if not letters:
        return None
    resolved: frozenset[str] | None = None
    counts: Counter[str] = Counter()
    for _, ch in letters:
        aug = _augmented(ord(ch))
        if aug is None:
            continue
        resolved = aug if resolved is None else resolved & aug
        counts.update(_groups(ord(ch)))
    if resolved is None or resolved:
        # Single script (or only Common/Inherited): only fixed disguises can be at fault.
        if not always or len(letters) < 2:
            return None
        base = dominant
        if resolved:
            groups = {"Hani" if s in _CJK or s in _HAN_SYSTEMS else s for s in resolved}
            base = dominant if dominant in groups else min(groups)
        # Fullwidth Latin is ordinary typography in Chinese, Japanese and Korean text.
        odd = [(i, ch) for i, ch in always if not (cjk_document and _is_fullwidth(ch))]
        if not odd:
            return None
        if twins == len(always) and len(odd) < len(letters) and base != "Latn":
            return None
    else:
        base = dominant
        if base not in counts:
            base = max(sorted(counts), key=counts.__getitem__)
        odd_set = {i for i, ch in letters if base not in _groups(ord(ch)) and _augmented(ord(ch))}
        odd_set.update(i for i, _ in always)
        odd = [(i, ch) for i, ch in letters if i in odd_set]
    looks = [(i, ch, _lookalike(ch, base)) for i, ch in odd]

    def describe(ch: str) -> str:
        return f'"{ch}" (U+{ord(ch):04X} {_name(ch)}, {_script(ord(ch))})'

    if all(lk is not None for _, _, lk in looks):
        repl = {i: lk or "" for i, _, lk in looks}
        suggestion = "".join(repl.get(i, ch) for i, ch in enumerate(word))
        message = (
            f"{word!r} mixes look-alike characters into {base} text: "
            + ", ".join(f"{describe(ch)} looks like {lk!r}" for _, ch, lk in looks)
            + f"; did you mean {suggestion!r}?"
        )
        # Allowed Latin letters with an ASCII twin (Turkish ı, Icelandic þ) are ordinary
        # in their languages: informational only.
        severity: Severity = (
            "info" if all(t.latin_twin[ord(ch)] for _, ch, _ in looks) else "warning"
        )
        return "confusable", severity, tuple((i, lk) for i, _, lk in looks), suggestion, message
    if resolved is None or resolved:
        return None
    scripts = set(counts)
    if _moderately_restrictive(scripts) and not any(lk for _, _, lk in looks):
        return None
    # No look-alike to offer: unidecode gives a readable ASCII rendering for the message.
    message = (
        f"{word!r} mixes scripts {', '.join(sorted(scripts))}: "
        + ", ".join(describe(ch) for _, ch, _ in looks)
        + f" (reads roughly as {unidecode(word)!r})"
    )
    return "mixed_script", "warning", tuple((i, lk) for i, _, lk in looks), None, message


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
    words, whole, dominant = _candidates(text)
    if not words and not whole:
        return []
    name = t.scripts[dominant] if dominant else "Latn"
    ctx = _Context(text=text, dominant=name, cjk_document=name == "Hani", has_cr="\r" in text)
    found: list[HomoglyphFinding] = []
    for s, e in words:
        _analyze_word(ctx, s, e, found)
    for s, e in whole:
        _whole_script(ctx, s, e, found)
    floor = severity_rank(min_severity)
    result = [f for f in found if f.kind in wanted and severity_rank(f.severity) >= floor]
    result.sort(key=lambda f: (f.start, f.end, KINDS.index(f.kind)))
    return result


def _fix_round(text: str) -> tuple[list[HomoglyphFinding], dict[int, FixStep]]:
    findings = [f for f in find_homoglyphs(text) if f.kind in FIXABLE_KINDS]
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
            # A variation selector that followed the replaced character selected a form of
            # it; after the replacement it would be stray.
            j = c.offset + 1
            while j < f.end and _is_variation_selector(ord(text[j])) and c.looks_like:
                steps.setdefault(
                    j,
                    FixStep(start=j, end=j + 1, old=text[j], new="", kind=f.kind, code=f.code),
                )
                j += 1
    return findings, steps


_MAX_FIX_ROUNDS = 4


def fix_homoglyphs(text: str) -> FixResult:
    """Replace look-alikes with the characters they imitate and drop hidden and bidi
    control characters, changing only characters a finding flagged.

    Returns the fixed text, the replayable plan (``apply_plan(text, result.plan)``, every
    step replaces one character of the original) and the findings fixed. A replacement
    can expose another disguise (a variation selector left stray, a word whose script
    changed); the fix then repeats on its own output, a few rounds at most, and the plan
    still refers to the original text. ``mixed_script`` and ``mixed_numbers`` findings have
    no safe automatic fix and are left alone.
    """
    findings, steps = _fix_round(text)
    plan = tuple(steps[k] for k in sorted(steps))
    fixed = apply_plan(text, plan)
    if not plan:
        return FixResult(text=fixed, plan=plan, findings=tuple(findings))
    all_findings = list(findings)
    # origin[k]: the original index the k-th character of the current text comes from.
    origin: list[int] = []
    pos = 0
    for step in plan:
        origin.extend(range(pos, step.start))
        origin.extend([step.start] * len(step.new))
        pos = step.end
    origin.extend(range(pos, len(text)))
    kinds = {step.start: (step.kind, step.code) for step in plan}
    for _ in range(_MAX_FIX_ROUNDS - 1):
        more, more_steps = _fix_round(fixed)
        if not more_steps:
            break
        for f in more:
            start, end = origin[f.start], origin[f.end - 1] + 1
            all_findings.append(
                HomoglyphFinding(
                    start=start,
                    end=end,
                    line=f.line,
                    column=f.column,
                    kind=f.kind,
                    severity=f.severity,
                    message=f.message,
                    code=f.code,
                    word=text[start:end],
                    chars=f.chars,
                    suggestion=f.suggestion,
                )
            )
        pieces: list[str] = []
        new_origin: list[int] = []
        for k, ch in enumerate(fixed):
            later = more_steps.get(k)
            replacement = ch if later is None else later.new
            pieces.append(replacement)
            new_origin.extend([origin[k]] * len(replacement))
            if later is not None:
                kinds.setdefault(origin[k], (later.kind, later.code))
        fixed, origin = "".join(pieces), new_origin
    # The composed plan: each original character becomes what its descendants spell.
    produced: dict[int, list[str]] = {}
    for k, i in enumerate(origin):
        produced.setdefault(i, []).append(fixed[k])
    composed = []
    for i in sorted(kinds):
        new = "".join(produced.get(i, ()))
        if new != text[i]:
            kind, code = kinds[i]
            composed.append(FixStep(start=i, end=i + 1, old=text[i], new=new, kind=kind, code=code))
    plan = tuple(composed)
    return FixResult(text=apply_plan(text, plan), plan=plan, findings=tuple(all_findings))


def _is_variation_selector(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


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
