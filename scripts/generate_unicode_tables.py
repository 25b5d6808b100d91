#!/usr/bin/env python3
"""Generate textforensics' compact Unicode tables from the UTS #39 data files.

Usage::

    python scripts/generate_unicode_tables.py [--source ../shared/unicode/17.0.0]

Reads the raw Unicode Security Mechanisms files (never copied into the project)
and writes ``src/textforensics/data/unicode_*.json``. The output is deterministic
(sorted keys, no timestamps), so re-running on the same data gives identical files
and a test can check that the committed tables are current.

Then it writes ``homoglyph_tables.bin``, the homoglyph detector's derived per-code-point
tables (``textforensics.homoglyphs.data_build``), built from the package's data files
(``src/textforensics/data``, where the JSON files were just written unless ``--out`` names
another directory; ``exemplars.json`` comes from ``generate_exemplar_tables.py``), so that
the command line loads them in milliseconds instead of building them on every start.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "unicode" / "17.0.0"
OUT_DIR = ROOT / "src" / "textforensics" / "data"

_VERSION_RE = re.compile(r"^#\s*Version:\s*([0-9.]+)", re.MULTILINE)


def _codepoints(field: str) -> str:
    return "".join(chr(int(cp, 16)) for cp in field.split())


def _data_lines(path: Path) -> list[list[str]]:
    """Non-comment lines of a UCD-style file, split on ';' and stripped."""
    rows = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            rows.append([part.strip() for part in line.split(";")])
    return rows


def _range(field: str) -> tuple[int, int]:
    if ".." in field:
        lo, hi = field.split("..")
        return int(lo, 16), int(hi, 16)
    cp = int(field, 16)
    return cp, cp


def read_version(source: Path) -> str:
    match = _VERSION_RE.search((source / "confusables.txt").read_text(encoding="utf-8-sig"))
    if not match:
        raise SystemExit(f"no '# Version:' line in {source / 'confusables.txt'}")
    return match.group(1)


def build_confusables(source: Path) -> dict[str, str]:
    """Source character -> prototype sequence (confusables.txt, type MA)."""
    table: dict[str, str] = {}
    for fields in _data_lines(source / "confusables.txt"):
        src, target = _codepoints(fields[0]), _codepoints(fields[1])
        if len(src) != 1:
            raise SystemExit(f"unexpected multi-character source {fields[0]!r}")
        table[src] = target
    return table


def compact_confusables(table: dict[str, str]) -> dict[str, str]:
    """``table`` as two strings, in code point order: ``sources`` (one character per
    entry) and ``prototypes`` (joined by NUL). The package turns them into a mapping with
    one ``split``, where a JSON object of 6,565 members took several milliseconds to parse
    on every start of the command line."""
    sources = sorted(table)
    if any("\0" in table[ch] for ch in sources):
        raise SystemExit("a prototype holds U+0000")
    return {"sources": "".join(sources), "prototypes": "\0".join(table[ch] for ch in sources)}


def build_ranges(path: Path) -> dict[str, list[list[int]]]:
    """Value -> sorted, merged [lo, hi] code point ranges (for IdentifierStatus/Type)."""
    by_value: dict[str, list[list[int]]] = {}
    for fields in _data_lines(path):
        lo, hi = _range(fields[0])
        for value in fields[1].split():
            by_value.setdefault(value, []).append([lo, hi])
    for ranges in by_value.values():
        ranges.sort()
        merged: list[list[int]] = []
        for lo, hi in ranges:
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        ranges[:] = merged
    return dict(sorted(by_value.items()))


def build_intentional(source: Path) -> list[list[str]]:
    """Pairs of characters that are intentionally identical (intentional.txt)."""
    pairs = [
        sorted([_codepoints(fields[0]), _codepoints(fields[1])])
        for fields in _data_lines(source / "intentional.txt")
    ]
    return sorted(pairs)


# --- character properties from the `regex` module (Script, Script_Extensions, ...) ----------

# Characters new in each Unicode version, used to tell which version `regex` implements.
_VERSION_PROBES = (
    ("17.0", 0x11DB0),  # TOLONG SIKI LETTER I
    ("16.0", 0x1E5D0),  # OL ONAL LETTER O
    ("15.1", 0x2EBF0),  # CJK UNIFIED IDEOGRAPH-2EBF0
    ("15.0", 0x11F00),  # KAWI SIGN CANDRABINDU
)

_PROPERTIES = {
    # Needed by the homoglyph detector's lookup tables (see homoglyphs/data.py).
    "default_ignorable": r"\p{Default_Ignorable_Code_Point}",
    "emoji": r"\p{Emoji}",
    "emoji_modifier": r"\p{Emoji_Modifier}",
    "extended_pictographic": r"\p{Extended_Pictographic}",
    "ideographic": r"\p{Ideographic}",
    "letter": r"\p{L}",
    "mark": r"\p{M}",
    "decimal_digit": r"\p{Nd}",
    "number": r"\p{N}",
    "connector": r"\p{Pc}",
    "symbol": r"\p{S}",
    "uppercase": r"\p{Lu}",
    "rtl": r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}]",
}


def regex_unicode_version(regex_module: object) -> str:
    """The Unicode version `regex` implements, from the newest probe character it knows."""
    assigned = regex_module.compile(r"\P{Cn}")  # type: ignore[attr-defined]
    for version, cp in _VERSION_PROBES:
        if assigned.match(chr(cp)):
            return version
    return "older than 15.0"


def _all_code_points() -> str:
    return "".join(map(chr, range(0x110000)))


def _runs(pattern: object, everything: str) -> list[list[int]]:
    return [[m.start(), m.end() - 1] for m in pattern.finditer(everything)]  # type: ignore[attr-defined]


def build_scripts() -> dict[str, object]:
    """Script and Script_Extensions of every code point, plus a few binary properties,
    as sorted [lo, hi] ranges. Taken from the `regex` module, the project's Unicode
    property engine, so detector tables and regex patterns always agree."""
    import regex
    import regex._regex_core as core

    aliases = core.PROPERTIES["SCRIPT"][1]
    by_id: dict[int, list[str]] = {}
    for alias, value in aliases.items():
        by_id.setdefault(value, []).append(alias)
    codes: dict[int, str] = {}
    for value, names in by_id.items():
        short = sorted(n for n in names if len(n) == 4 and not n.startswith("QAA"))
        codes[value] = (short[0] if short else sorted(names)[0]).title()
    everything = _all_code_points()
    ordered = [
        "Zzzz",
        "Zyyy",
        "Zinh",
        *sorted(c for c in codes.values() if c not in ("Zzzz", "Zyyy", "Zinh")),
    ]
    script_ranges: list[list[int]] = []
    scx_sets: dict[int, set[str]] = {}
    for code in ordered[1:]:
        index = ordered.index(code)
        for lo, hi in _runs(regex.compile(rf"\p{{sc={code}}}+"), everything):
            script_ranges.append([lo, hi, index])
        for lo, hi in _runs(regex.compile(rf"\p{{scx={code}}}+"), everything):
            for cp in range(lo, hi + 1):
                scx_sets.setdefault(cp, set()).add(code)
    script_ranges.sort()
    sc_of: dict[int, str] = {}
    for lo, hi, index in script_ranges:
        for cp in range(lo, hi + 1):
            sc_of[cp] = ordered[index]
    # Only code points whose extensions differ from {Script} are listed.
    extensions: list[list[object]] = []
    for cp in sorted(scx_sets):
        value = sorted(scx_sets[cp])
        if value == [sc_of.get(cp, "Zzzz")]:
            continue
        if extensions and extensions[-1][1] == cp - 1 and extensions[-1][2] == value:
            extensions[-1][1] = cp
        else:
            extensions.append([cp, cp, value])
    properties = {
        name: _runs(regex.compile(pattern + "+"), everything)
        for name, pattern in sorted(_PROPERTIES.items())
    }
    return {
        "regex_unicode_version": regex_unicode_version(regex),
        "scripts": ordered,
        "script": script_ranges,
        "script_extensions": extensions,
        "properties": properties,
    }


def write_json(name: str, payload: object, out_dir: Path = OUT_DIR) -> Path:
    path = out_dir / name
    text = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    args = parser.parse_args(argv)
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    source: Path = args.source
    if not (source / "confusables.txt").is_file():
        print(f"error: {source} does not hold the UTS #39 data files", file=sys.stderr)
        return 2
    version = read_version(source)
    outputs = [
        write_json(
            "unicode_confusables.json",
            {"unicode_version": version, **compact_confusables(build_confusables(source))},
            out_dir,
        ),
        write_json(
            "unicode_identifiers.json",
            {
                "unicode_version": version,
                "status": build_ranges(source / "IdentifierStatus.txt"),
                "type": build_ranges(source / "IdentifierType.txt"),
                "intentional": build_intentional(source),
            },
            out_dir,
        ),
        write_json("unicode_scripts.json", build_scripts(), out_dir),
    ]
    outputs.append(write_homoglyph_tables(out_dir))
    for path in outputs:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def write_homoglyph_tables(out_dir: Path) -> Path:
    """Build the homoglyph detector's tables from this checkout's package data and write
    them (atomically) to ``out_dir/homoglyph_tables.bin``."""
    sys.path.insert(0, str(ROOT / "src"))  # this checkout's package, not an installed one
    from textforensics.homoglyphs.data import TABLES_FILE
    from textforensics.homoglyphs.data_build import build_tables, encode_tables

    path = out_dir / TABLES_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(encode_tables(build_tables()))
    tmp.replace(path)
    return path


if __name__ == "__main__":
    raise SystemExit(main())
