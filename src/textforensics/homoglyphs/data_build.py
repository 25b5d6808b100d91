"""Builds the homoglyph detector's derived tables (:class:`.data.Tables`) from the generated
Unicode data (``data/unicode_*.json``, ``data/exemplars.json``) and writes them to
``data/homoglyph_tables.bin``.

The build takes a few hundred milliseconds (skeletons of every confusable, the script
masks, the per-script look-alike sets), which a one-shot command line run cannot afford on
every start: ``scripts/generate_unicode_tables.py`` runs it once and the package loads the
result (:func:`.data.tables`) in a few milliseconds. ``tests/test_homoglyphs.py`` builds
the tables again and compares them field by field with the shipped file, so a stale file
fails CI. Only the generator and that test import this module.
"""

from __future__ import annotations

import json
import struct
import sys
import unicodedata
import zlib
from array import array
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt
import regex

from ..tables import confusable_prototypes, identifier_data, script_data
from ..text import skeleton
from .data import (
    CJK_SCRIPTS,
    F_ALWAYS,
    F_DIGIT,
    F_EMOJI,
    F_JOIN,
    F_LETTER,
    F_RTL,
    F_VSBASE,
    F_WORD,
    FAST_SLOW,
    FILE_MAGIC,
    NCP,
    TABLE_BLOCK,
    TABLE_FIELDS,
    Tables,
    exemplars,
)

__all__ = ["build_tables", "encode_tables"]

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


def build_tables() -> Tables:
    """The detector's per-code-point tables, computed from the Unicode data (slow: the
    package loads the generated file instead, see :func:`.data.tables`)."""
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
    skeletons = {ch: skeleton(ch) for ch in prototypes}
    twin_skeletons, twin_sources = _twin_strings(skeletons)
    return Tables(
        scripts=scripts,
        script_id=MappingProxyType(script_id),
        sc=sc.tobytes(),
        scx=MappingProxyType(scx),
        flags_b=flags_b,
        group_b=group.tobytes(),
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
        skeleton_exceptions=MappingProxyType(
            {ch: sk for ch, sk in sorted(skeletons.items()) if sk != prototypes[ch]}
        ),
        twin_skeletons=twin_skeletons,
        twin_sources=twin_sources,
        **_conf_fields(_confusable_with(scripts, sc.tobytes(), scx, flags_b, skeletons)),
    )


def _twin_strings(skeletons: Mapping[str, str]) -> tuple[str, str]:
    """The twin_skeletons and twin_sources fields of :class:`.data.Tables`."""
    twins: dict[str, list[str]] = {}
    for ch, sk in skeletons.items():
        if len(ch) != 1 or "\0" in sk:
            raise ValueError(f"confusables.txt source {ch!r} or skeleton {sk!r} not storable")
        twins.setdefault(sk, []).append(ch)
    return "\0".join(twins), "\0".join("".join(chars) for chars in twins.values())


def _conf_fields(conf: Mapping[str, frozenset[int]]) -> dict[str, Any]:
    """The conf_index and conf_blob fields of :class:`.data.Tables`."""
    index: dict[str, tuple[int, int]] = {}
    cps = array("I")
    for name in sorted(conf):
        index[name] = (len(cps), len(conf[name]))
        cps.extend(sorted(conf[name]))
    if sys.byteorder == "big":
        cps.byteswap()
    return {"conf_index": MappingProxyType(index), "conf_blob": cps.tobytes()}


def _confusable_with(
    scripts: tuple[str, ...],
    sc: bytes,
    scx: Mapping[int, frozenset[str]],
    flags: bytes,
    skeletons: Mapping[str, str],
) -> dict[str, frozenset[int]]:
    """Per script group, the code points that look like a string of its letters: the
    characters whose skeleton some string of that group writes, and the one-character
    skeletons themselves (a character without an entry in confusables.txt is its own
    prototype: Cyrillic "а" is listed, Latin "a" is not)."""

    def groups(cp: int) -> frozenset[str]:
        found = scx.get(cp)
        value = found if found is not None else frozenset((scripts[sc[cp]],))
        return frozenset("Hani" if s in CJK_SCRIPTS else s for s in value)

    rev: dict[str, list[str]] = {}
    for ch, sk in skeletons.items():
        rev.setdefault(sk, []).append(ch)
    # For each skeleton, the script groups that can write it: a group is listed when some
    # string with that skeleton is made only of its letters (plus Common/Inherited ones).
    writers: dict[str, set[str]] = {}
    for sk, options in rev.items():
        found = writers.setdefault(sk, set())
        for option in (*options, sk):
            common: frozenset[str] | None = None
            has_letter = False
            for c in unicodedata.normalize("NFC", option):
                cp = ord(c)
                if flags[cp] & F_LETTER:
                    has_letter = True
                    g = groups(cp)
                    common = g if common is None else common & g
                elif scripts[sc[cp]] not in ("Zyyy", "Zinh"):
                    common = frozenset()
            if has_letter and common:
                found |= common
    out: dict[str, set[int]] = {}
    for ch, sk in skeletons.items():
        for name in writers.get(sk, ()):
            out.setdefault(name, set()).add(ord(ch))
    for sk, names in writers.items():
        if len(sk) == 1:
            for name in names:
                out.setdefault(name, set()).add(ord(sk))
    return {name: frozenset(cps) for name, cps in sorted(out.items())}


def encode_tables(t: Tables) -> bytes:
    """The bytes of ``data/homoglyph_tables.bin``: :data:`.data.FILE_MAGIC`, the length of
    a JSON header (4 bytes, little-endian), the header (the small fields), then, compressed
    with zlib, the per-code-point tables as blocks: the pool index of each block of each
    table (uint16, little-endian), the pool of distinct blocks (see
    :func:`.data.decode_tables`), the confusables' code points and the two twin strings
    (UTF-8). Deterministic: sorted keys, blocks in first-use order,
    a fixed compression level."""
    pool: dict[bytes, int] = {}
    index = array("H")
    for name in TABLE_FIELDS:
        column: bytes = getattr(t, name)
        for lo in range(0, NCP, TABLE_BLOCK):
            index.append(pool.setdefault(column[lo : lo + TABLE_BLOCK], len(pool)))
    if sys.byteorder == "big":
        index.byteswap()
    scx_ranges: list[list[Any]] = []
    for cp in sorted(t.scx):
        value = sorted(t.scx[cp])
        if scx_ranges and scx_ranges[-1][1] == cp - 1 and scx_ranges[-1][2] == value:
            scx_ranges[-1][1] = cp
        else:
            scx_ranges.append([cp, cp, value])
    header = {
        "scripts": list(t.scripts),
        "scx": scx_ranges,
        "dzero": list(t.dzero),
        "latin": t.latin,
        "cjk": t.cjk,
        "regex_unicode_version": t.regex_unicode_version,
        # Skeletons are stored only where they differ from the prototype (73 of 6,565).
        "skeleton_exceptions": dict(sorted(t.skeleton_exceptions.items())),
        "conf_index": {name: list(span) for name, span in sorted(t.conf_index.items())},
        "pool_bytes": len(pool) * TABLE_BLOCK,
    }
    twins = [t.twin_skeletons.encode("utf-8"), t.twin_sources.encode("utf-8")]
    header["twin_bytes"] = [len(part) for part in twins]
    payload = index.tobytes() + b"".join(pool) + t.conf_blob + b"".join(twins)
    head = json.dumps(header, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    raw = head.encode("ascii")
    return FILE_MAGIC + struct.pack("<I", len(raw)) + raw + zlib.compress(payload, 9)
