"""Lookup tables of the homoglyph detector, built once per process from the generated
Unicode data in :mod:`textforensics.tables`: per-code-point scripts, script groups and flags
(numpy arrays and their ``bytes`` twins), digit sets, the confusable skeletons and the
look-alike a character has in a script, the benign class of the prefilter, and one 16-bit
table per dominant script for the vectorised scan.

Thread safety: every table is immutable once published (numpy arrays are read-only,
mappings are read-only views) and is built under a lock, so that threads arriving together
on a cold cache wait for one build instead of each building (and holding) a copy of its
own. The per-character helpers memoised with ``functools.cache`` are pure functions of
their arguments returning immutable values: two threads may compute the same entry, never
a different one.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import regex

from ..tables import confusable_prototypes, identifier_data, load_json, script_data
from ..text import skeleton

__all__ = [
    "B_ALWAYS",
    "B_CONF",
    "B_DIGIT",
    "B_EMOJI",
    "B_GENUINE",
    "B_JOIN",
    "B_VSBASE",
    "B_WORD",
    "CJK_SCRIPTS",
    "FAST_SLOW",
    "F_ALWAYS",
    "F_DIGIT",
    "F_EMOJI",
    "F_JOIN",
    "F_LETTER",
    "F_RTL",
    "F_VSBASE",
    "F_WORD",
    "NCP",
    "Tables",
    "augmented",
    "benign_bmp",
    "benign_ranges",
    "char_name",
    "char_skeletons",
    "exemplars",
    "groups",
    "lookalike",
    "lut",
    "script",
    "script_extensions",
    "suspect_re",
    "tables",
]

_T = TypeVar("_T")
_S = TypeVar("_S", bound=np.generic)


def _built_once(build: Callable[[], _T]) -> Callable[[], _T]:
    """A zero-argument memo whose value is built under a lock: concurrent first callers
    wait for one build. Later calls read the published value without locking."""
    lock = threading.Lock()
    box: list[_T] = []

    def get() -> _T:
        if not box:
            with lock:
                if not box:
                    box.append(build())
        return box[0]

    get.__doc__ = build.__doc__
    get.__name__ = build.__name__
    get.__qualname__ = build.__qualname__
    return get


def _read_only(array: npt.NDArray[_S]) -> npt.NDArray[_S]:
    array.flags.writeable = False
    return array


NCP = 0x110000
"""Number of code points: the length of every per-code-point table."""

FAST_SLOW = 255
"""The :attr:`Tables.fast` value of characters that need the full analysis."""

# Bits of Tables.flags.
F_WORD, F_ALWAYS, F_EMOJI, F_JOIN, F_VSBASE, F_LETTER, F_DIGIT, F_RTL = (1 << i for i in range(8))

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
CJK_SCRIPTS = frozenset(("Hani", "Hira", "Kana", "Hang", "Bopo"))
_AUGMENT = {
    "Hani": frozenset(("Hani", "Hanb", "Jpan", "Kore")),
    "Hira": frozenset(("Hira", "Jpan")),
    "Kana": frozenset(("Kana", "Jpan")),
    "Hang": frozenset(("Hang", "Kore")),
    "Bopo": frozenset(("Bopo", "Hanb")),
}


@dataclass(frozen=True, slots=True)
class Tables:
    """Per-code-point data of the detector (read-only once built)."""

    scripts: tuple[str, ...]
    script_id: Mapping[str, int]
    sc: bytes  # Script id per code point
    scx: Mapping[int, frozenset[str]]  # Script_Extensions where it differs from {Script}
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
    nfkc_div: bytes  # 1 where NFKC (case-folded) and the look-alike name different letters
    # Per code point, for the short-text fast path: 0 for characters that never matter,
    # the script group of letters and marks (ASCII letters: Latin), SLOW for characters
    # only the full analysis can judge (look-alikes, hidden characters, digits of other
    # sets, combining marks that attach to Latin letters, letters of several scripts).
    fast: bytes
    zwsp_ctx: bytes  # 1 for letters and marks of scripts that separate words with ZWSP
    latin: int
    cjk: int
    regex_unicode_version: str


@dataclass(frozen=True, slots=True)
class Exemplars:
    """CLDR exemplar characters (``data/exemplars.json``): the strings some locale writes in
    its main set, and in its main or auxiliary set (NFC, both cases)."""

    main: frozenset[str]
    any: frozenset[str]
    marks: tuple[frozenset[str], ...]  # per locale: the combining marks it writes


@_built_once
def exemplars() -> Exemplars:
    """The union of every CLDR locale's exemplar characters (built once)."""
    doc = load_json("exemplars.json")
    main: set[str] = set()
    every: set[str] = set()
    marks: set[frozenset[str]] = set()
    for sets in doc["locales"].values():
        main.update(sets["main"])
        every.update(sets["main"], sets["aux"])
        used = frozenset(
            c for c in (*sets["main"], *sets["aux"]) if unicodedata.category(c)[0] == "M"
        )
        if used:
            marks.add(used)
    return Exemplars(
        main=frozenset(main),
        any=frozenset(every),
        marks=tuple(sorted(marks, key=lambda m: (len(m), sorted(m)))),
    )


@_built_once
def tables() -> Tables:
    """The detector's per-code-point tables (built on first use, about a second)."""
    data = script_data()
    scripts: tuple[str, ...] = tuple(data["scripts"])
    script_id = {s: i for i, s in enumerate(scripts)}
    sc = np.zeros(NCP, np.uint8)
    for lo, hi, idx in data["script"]:
        sc[lo : hi + 1] = idx
    scx: dict[int, frozenset[str]] = {}
    for lo, hi, codes in data["script_extensions"]:
        value = frozenset(codes)
        for cp in range(lo, hi + 1):
            scx[cp] = value
    props = data["properties"]

    def mask(name: str) -> npt.NDArray[np.bool_]:
        m = np.zeros(NCP, np.bool_)
        for lo, hi in props[name]:
            m[lo : hi + 1] = True
        return m

    letter, mark, digit = mask("letter"), mask("mark"), mask("decimal_digit")
    di = mask("default_ignorable")
    flags = np.zeros(NCP, np.uint8)
    flags[letter | mark | mask("number") | mask("connector") | di] |= F_WORD
    flags[letter] |= F_LETTER
    flags[digit] |= F_DIGIT
    flags[mask("rtl")] |= F_RTL
    flags[mask("extended_pictographic") | mask("emoji_modifier")] |= F_EMOJI
    flags[mask("emoji") | mask("ideographic") | mask("symbol")] |= F_VSBASE

    allowed = np.zeros(NCP, np.uint8)
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
    flags[letter_or_mark & in_scripts(_JOINING_SCRIPTS)] |= F_JOIN
    flags[letter_or_mark & in_scripts(_VS_SCRIPTS)] |= F_VSBASE
    zwsp_ctx = letter_or_mark & in_scripts(_ZWSP_SCRIPTS)

    latin = script_id["Latn"]
    # Letters that disguise themselves whatever their neighbours: look-alike letters of
    # script Common/Inherited (mathematical alphanumerics, letterlike symbols) and
    # restricted Latin letters (fullwidth forms, IPA), outside Latin-1 (ª and º are
    # ordinary typography).
    prototypes = confusable_prototypes()
    # A Latin letter that some language writes in its main alphabet (Turkish ı, Icelandic þ)
    # is ordinary running text wherever it appears: UTS #39 leaves same-script look-alikes
    # to identifier comparison (skeletons, NameGuard), not to scanning text.
    main_exemplars = exemplars().main
    nfkc_div = np.zeros(NCP, np.bool_)
    has_alnum = regex.compile(r"[\p{L}\p{N}]")
    has_letter = regex.compile(r"[\p{Lu}\p{Ll}\p{Lt}\p{Lo}]")  # not Lm: ー for —
    looks_letter = np.zeros(NCP, np.bool_)  # non-letters that look like letters (×, ٥, Ⅰ)
    latin_twin = np.zeros(NCP, np.bool_)  # allowed Latin letters that look like ASCII (ı, þ)
    for ch, proto in prototypes.items():
        cp = ord(ch)
        if cp < 0x80:
            continue
        nfkc = unicodedata.normalize("NFKC", ch)
        if len(nfkc) == 1 and nfkc.isascii() and nfkc.isalnum() and not 0xFF00 <= cp <= 0xFFEF:
            # Read as one ASCII letter by NFKC (case-folded) and as another by the skeleton
            # (ſ: "s" and "f"; ℐ: "i" and "l"): a check made after NFKC sees another word
            # than the reader. Fullwidth forms are ordinary CJK typography, left out.
            nfkc_div[cp] = skeleton(nfkc.casefold()) != skeleton(ch).casefold()
        if not letter[cp]:
            if proto.isascii() and proto.isalnum():
                # Look-alikes of ASCII letters and digits, one or several (legacy-computing
                # segmented digits, mathematical digits, Ⅱ for "ll", ₨ for "Rs"): such a
                # symbol counts as a letter-like one inside a word.
                looks_letter[cp] = True
                if not (digit[cp] and sc[cp] > 2):
                    flags[cp] |= F_ALWAYS
            elif len(proto) == 1 and has_letter.match(proto):
                looks_letter[cp] = True
                if not (digit[cp] and sc[cp] > 2):
                    flags[cp] |= F_ALWAYS
            continue
        if cp < 0x100 and sc[cp] != latin:
            continue
        if sc[cp] == latin and ch in main_exemplars:
            continue
        if not has_alnum.search(proto):
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) > 1 and decomposed[0].isascii():
            continue  # an accented ASCII letter (Romanian ţ): ordinary orthography
        if sc[cp] in (1, 2) or (sc[cp] == latin and not allowed[cp]):
            flags[cp] |= F_ALWAYS
        elif sc[cp] == latin and len(proto) == 1 and proto.isascii() and proto.isalnum():
            latin_twin[cp] = True
            flags[cp] |= F_ALWAYS
    for cp in (0xAA, 0xBA):  # ª and º are ordinary typography
        flags[cp] &= 0xFF ^ F_ALWAYS
        latin_twin[cp] = False
    flags[di] |= F_ALWAYS
    # Script group of letters and marks with one specific script; CJK scripts share one.
    cjk = script_id["Hani"]
    group = sc.copy()
    for name in CJK_SCRIPTS:
        group[sc == script_id[name]] = cjk
    group[~(letter_or_mark | (digit & looks_letter))] = 0
    group[group <= 2] = 0  # Zzzz, Zyyy, Zinh
    for cp, value in scx.items():
        gs = {("Hani" if s in CJK_SCRIPTS else s) for s in value}
        grouped = letter_or_mark[cp] or (digit[cp] and looks_letter[cp])
        group[cp] = script_id[gs.pop()] if len(gs) == 1 and grouped else 0
    group[group <= 2] = 0
    pair_ok = np.eye(256, dtype=np.bool_)
    pair_ok[latin, cjk] = pair_ok[cjk, latin] = True

    dset = np.zeros(NCP, np.uint8)
    zeros: list[int] = [0]
    for lo, hi in props["decimal_digit"]:
        for zero in range(lo, hi + 1, 10):
            zeros.append(zero)
            dset[zero : zero + 10] = len(zeros) - 1
    fast = group.copy()
    fast[0x41:0x5B] = fast[0x61:0x7B] = latin
    slow = (flags & F_ALWAYS) != 0
    slow |= di | looks_letter | (digit & (np.arange(NCP) >= 0x80))
    slow[0xD800:0xE000] = True
    for lo, hi in ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF)):
        slow[lo : hi + 1] = True
    slow[0xFE20:0xFE30] = True
    for cp in scx:
        if letter_or_mark[cp] and not group[cp]:
            slow[cp] = True  # several scripts: only the augmented sets can tell
    fast[slow] = FAST_SLOW
    flags_b = flags.tobytes()
    return Tables(
        scripts=scripts,
        script_id=MappingProxyType(script_id),
        sc=sc.tobytes(),
        scx=MappingProxyType(scx),
        flags=_read_only(flags),
        flags_b=flags_b,
        group=_read_only(group),
        group_b=group.tobytes(),
        pair_ok=_read_only(pair_ok),
        dset=dset.tobytes(),
        dzero=tuple(zeros),
        allowed=allowed.tobytes(),
        ignorable=di.astype(np.uint8).tobytes(),
        looks_letter=looks_letter.astype(np.uint8).tobytes(),
        latin_twin=latin_twin.astype(np.uint8).tobytes(),
        nfkc_div=nfkc_div.astype(np.uint8).tobytes(),
        fast=fast.tobytes(),
        zwsp_ctx=zwsp_ctx.tobytes(),
        latin=latin,
        cjk=cjk,
        regex_unicode_version=data["regex_unicode_version"],
    )


def script(cp: int) -> str:
    """The Script property value (ISO 15924 code) of code point ``cp``."""
    t = tables()
    return t.scripts[t.sc[cp]] if cp < NCP else "Zzzz"


def script_extensions(cp: int) -> frozenset[str]:
    """The Script_Extensions of code point ``cp``."""
    t = tables()
    found = t.scx.get(cp)
    return found if found is not None else frozenset((t.scripts[t.sc[cp]],))


@cache
def groups(cp: int) -> frozenset[str]:
    """Script groups a character belongs to (CJK scripts count as 'Hani')."""
    return frozenset("Hani" if s in CJK_SCRIPTS else s for s in script_extensions(cp))


@cache
def augmented(cp: int) -> frozenset[str] | None:
    """Augmented Script_Extensions (UTS #39 §5.1); None for Common/Inherited (= all)."""
    sx = script_extensions(cp)
    if sx <= {"Zyyy", "Zinh"}:
        return None
    out: set[str] = set()
    for s in sx:
        out |= _AUGMENT.get(s, {s})
    return frozenset(out)


@_built_once
def char_skeletons() -> Mapping[str, str]:
    """Skeleton of every character listed in confusables.txt."""
    return MappingProxyType({ch: skeleton(ch) for ch in confusable_prototypes()})


@_built_once
def _reverse_skeletons() -> Mapping[str, tuple[str, ...]]:
    rev: dict[str, list[str]] = {}
    for ch, sk in char_skeletons().items():
        rev.setdefault(sk, []).append(ch)
    for sk in list(rev):
        rev[sk].append(sk)
    return MappingProxyType({k: tuple(v) for k, v in rev.items()})


def char_name(ch: str) -> str:
    """The Unicode name of ``ch``, or ``<control>`` / ``<U+XXXX>`` where it has none."""
    name = unicodedata.name(ch, "")
    if name:
        return name
    cp = ord(ch)
    if unicodedata.category(ch) == "Cc":
        return "<control>"
    return f"<U+{cp:04X}>"


@cache
def lookalike(ch: str, group: str) -> str | None:
    """The string of script group ``group`` that ``ch`` is confusable with, or None."""
    t = tables()
    sk = skeleton(ch)
    if not sk or sk == unicodedata.normalize("NFD", ch):
        options: tuple[str, ...] = _reverse_skeletons().get(sk, ())
    else:
        options = (*_reverse_skeletons().get(sk, ()), sk)
    upper = ch.isupper()
    best: tuple[tuple[int, int, int, int, int, int], str] | None = None
    for option in options:
        option = unicodedata.normalize("NFC", option)
        if option == ch or not option or skeleton(option) != sk:
            continue
        ok = True
        has_letter = False
        for c in option:
            cp = ord(c)
            if t.flags_b[cp] & F_LETTER:
                has_letter = True
                if group not in groups(cp):
                    ok = False
                    break
            elif script(cp) not in ("Zyyy", "Zinh"):
                ok = False
                break
        if not ok or not (has_letter or (group == "Latn" and option.isascii())):
            continue  # ASCII digits are a Latin word's look-alikes too (Cherokee Ꮞ for 4)
        all_allowed = all(t.allowed[ord(c)] for c in option)
        key = (
            0 if has_letter else 1,
            0 if all_allowed else 1,
            0 if option.isupper() == upper else 1,
            0 if option.isascii() else 1,
            len(option),
            ord(option[0]),
        )
        if best is None or key < best[0]:
            best = (key, option)
    return None if best is None else best[1]


# --- the benign class of the prefilter ----------------------------------------------------

# Characters that can never start a finding on their own: ASCII, Latin-1, Latin letters
# (Extended-A/B, Extended Additional), ordinary punctuation (excluding the hidden and bidi
# characters of General Punctuation), arrows, math operators, technical symbols, box
# drawing, shapes, dingbats, CJK-neutral emoji. Combining marks are not benign: one
# inserted into an ASCII word is a disguise (.marks).
_BENIGN_RANGES = (
    (0x00, 0x017F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x20CF),
    (0x2190, 0x23FF),
    (0x2500, 0x27BF),
    (0x1F300, 0x1FAFF),
)


_MIN_BENIGN_RUN = 64


@_built_once
def benign_ranges() -> tuple[tuple[int, int], ...]:
    """The benign ranges minus every character flagged ALWAYS (hidden characters,
    look-alikes), so those are found too."""
    flags = tables().flags_b
    parts: list[tuple[int, int]] = []
    for lo, hi in _BENIGN_RANGES:
        start = None
        for cp in range(lo, hi + 2):
            ok = cp <= hi and not flags[cp] & F_ALWAYS
            if ok and start is None:
                start = cp
            elif not ok and start is not None:
                # Short benign fragments are dropped (their characters become hits): a
                # class with few ranges scans several times faster.
                if cp - start >= _MIN_BENIGN_RUN or start < 0x2100:
                    parts.append((start, cp - 1))
                start = None
    return tuple(parts)


@_built_once
def suspect_re() -> regex.Pattern[str]:
    """Runs of characters outside the benign class."""
    parts = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in benign_ranges())
    return regex.compile(f"[^{parts}]+")


@_built_once
def benign_bmp() -> npt.NDArray[np.bool_]:
    """The benign class as a read-only lookup table over the Basic Multilingual Plane."""
    table = np.zeros(0x10000, np.bool_)
    for lo, hi in benign_ranges():
        if lo < 0x10000:
            table[lo : min(hi, 0xFFFF) + 1] = True
    return _read_only(table)


# --- the per-dominant-script table of the vectorised scan ---------------------------------


@_built_once
def _skeleton_groups() -> Mapping[str, frozenset[str]]:
    """For each skeleton of confusables.txt, the script groups that can write it: a group
    is listed when some string with that skeleton is made only of its letters (plus
    Common/Inherited characters)."""
    t = tables()
    out: dict[str, set[str]] = {}
    for sk, options in _reverse_skeletons().items():
        writers = out.setdefault(sk, set())
        for option in options:
            common: frozenset[str] | None = None
            has_letter = False
            for c in unicodedata.normalize("NFC", option):
                cp = ord(c)
                if t.flags_b[cp] & F_LETTER:
                    has_letter = True
                    g = groups(cp)
                    common = g if common is None else common & g
                elif script(cp) not in ("Zyyy", "Zinh"):
                    common = frozenset()
            if has_letter and common:
                writers |= common
    return MappingProxyType({k: frozenset(v) for k, v in out.items()})


# Bits of the per-dominant-script lookup table (low byte: script group).
B_WORD, B_ALWAYS, B_EMOJI, B_JOIN, B_VSBASE, B_DIGIT, B_CONF, B_GENUINE = (
    1 << i for i in range(8, 16)
)

_LUTS: dict[int, npt.NDArray[np.uint16]] = {}
_LUTS_LOCK = threading.Lock()


def lut(dominant: int) -> npt.NDArray[np.uint16]:
    """One uint16 per code point (read-only): script group (low byte) and the flags the
    vectorised scan needs, including which letters of other scripts look like
    ``dominant`` letters (CONF) and which cannot (GENUINE). Built once per dominant script
    (a few hundred milliseconds, 2 MB), under a lock."""
    found = _LUTS.get(dominant)
    if found is None:
        with _LUTS_LOCK:
            found = _LUTS.get(dominant)
            if found is None:
                found = _LUTS[dominant] = _read_only(_build_lut(dominant))
    return found


def _build_lut(dominant: int) -> npt.NDArray[np.uint16]:
    t = tables()
    table = t.group.astype(np.uint16)
    for flag, bit in (
        (F_WORD, B_WORD),
        (F_ALWAYS, B_ALWAYS),
        (F_EMOJI, B_EMOJI),
        (F_JOIN, B_JOIN),
        (F_VSBASE, B_VSBASE),
        (F_DIGIT, B_DIGIT),
    ):
        table[(t.flags & flag) != 0] |= bit
    if dominant:
        foreign = (t.group != 0) & (t.group != dominant) & (t.group != t.latin)
        conf = np.zeros(NCP, np.bool_)
        name = t.scripts[dominant]
        writers = _skeleton_groups()
        for ch, sk in char_skeletons().items():
            if name in writers.get(sk, ()):
                conf[ord(ch)] = True
        # Characters without an entry are their own prototype: e.g. Cyrillic "а" is listed,
        # Latin "a" is not; a foreign letter whose own skeleton a dominant letter shares.
        for sk, gs in writers.items():
            if name in gs and len(sk) == 1:
                conf[ord(sk)] = True
        table[foreign & conf] |= B_CONF
        table[foreign & ~conf] |= B_GENUINE
    return table
