#!/usr/bin/env python3
"""Generate ``src/textforensics/data/exemplars.json`` from CLDR exemplar characters.

Usage::

    npm pack cldr-misc-full@48.2.0 && tar xzf cldr-misc-full-48.2.0.tgz
    python scripts/generate_exemplar_tables.py --source package [--scope confusable|all]
    python scripts/generate_unicode_tables.py   # rebuilds homoglyph_tables.bin from it

The source is the ``cldr-misc-full`` package of the CLDR JSON distribution (the Unicode
Consortium's own JSON rendering of CLDR; its ``main/<locale>/characters.json`` holds the
``exemplarCharacters`` and ``auxiliary`` sets). Babel ships CLDR too but drops the exemplar
sets when it imports CLDR, so it cannot be the source. The raw data is never copied into
the project, only the derived table.

For every CLDR locale the table keeps the non-ASCII letters (and the combining marks their
NFD forms use) that the language writes normally: the main exemplars plus the auxiliary
ones, folded to NFC, in both cases (a lower- or upper-case mapping that is one code point).
A regional locale whose sets equal its parent's (``tr_CY`` and ``tr``) is dropped. From
those, ``by_char`` lists for each code point the locales that use it in their main set and
those that have it only in the auxiliary set (loan words, foreign names).

``--scope confusable`` (the default) keeps in ``by_char`` only the characters that
confusables.txt maps to a prototype made of ASCII letters and digits (U+0131 ı -> "i",
U+0251 ɑ -> "a"), read from ``src/textforensics/data/unicode_confusables.json``; the
per-locale letter sets keep every letter of the scripts that have such a look-alike among
the exemplars (Latin, Greek, Cyrillic, ...; deciding that a word is consistent with one
language needs all of its letters) and every combining mark. ``--scope all`` keeps every
exemplar of every script, in both places.
The output is deterministic (sorted keys and lists, no timestamps).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "textforensics" / "data" / "exemplars.json"
CONFUSABLES = ROOT / "src" / "textforensics" / "data" / "unicode_confusables.json"
SCRIPTS = ROOT / "src" / "textforensics" / "data" / "unicode_scripts.json"

LICENSE_NOTE = (
    "Derived from the Unicode Common Locale Data Repository (CLDR), exemplar characters "
    "of every locale. Copyright (c) 2004-2026 Unicode, Inc. Distributed under the Unicode "
    "License V3 (SPDX: Unicode-3.0); the full text is data/UNICODE-LICENSE.txt."
)


def parse_unicode_set(text: str) -> list[str]:
    """Items of a CLDR exemplar set such as ``[a b c ç {ch} \\u200C a-e]``: single
    characters, ranges (expanded) and ``{...}`` strings."""
    body = text.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1]
    items: list[str] = []
    i, n = 0, len(body)
    pending_range = False

    def read_char(j: int) -> tuple[str, int]:
        if body[j] != "\\":
            return body[j], j + 1
        nxt = body[j + 1]
        if nxt == "u":
            return chr(int(body[j + 2 : j + 6], 16)), j + 6
        if nxt == "U":
            return chr(int(body[j + 2 : j + 10], 16)), j + 10
        if nxt == "x" and body[j + 2] == "{":
            close = body.index("}", j)
            return chr(int(body[j + 3 : close], 16)), close + 1
        return nxt, j + 2

    while i < n:
        ch = body[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "{":
            close = body.index("}", i)
            items.append(body[i + 1 : close])
            i = close + 1
            continue
        if ch == "-" and items and i + 1 < n and not body[i + 1].isspace():
            pending_range = True
            i += 1
            continue
        c, i = read_char(i)
        if pending_range:
            lo = items.pop()
            items.extend(chr(cp) for cp in range(ord(lo), ord(c) + 1))
            pending_range = False
        else:
            items.append(c)
    return items


def _fold(items: list[str]) -> set[str]:
    """Non-ASCII letters and marks of the items: NFC, both cases, strings split into their
    NFC code points (a digraph {dž} contributes d, ž; Yoruba {ẹ́} contributes ẹ and U+0301),
    plus the combining marks of each letter's NFD form."""
    out: set[str] = set()
    for item in items:
        for ch in unicodedata.normalize("NFC", item):
            for form in (ch, ch.lower(), ch.upper()):
                form = unicodedata.normalize("NFC", form)
                if len(form) != 1:
                    continue
                if unicodedata.category(form)[0] in "LM" and not form.isascii():
                    out.add(form)
                for part in unicodedata.normalize("NFD", form)[1:]:
                    if unicodedata.category(part).startswith("M"):
                        out.add(part)
    return out


def read_locales(source: Path) -> tuple[dict[str, tuple[set[str], set[str]]], dict[str, str]]:
    """locale -> (main, auxiliary-only) sets, and the package metadata."""
    meta = json.loads((source / "package.json").read_text(encoding="utf-8"))
    locales: dict[str, tuple[set[str], set[str]]] = {}
    for path in sorted((source / "main").glob("*/characters.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        ((loc, data),) = doc["main"].items()
        chars = data["characters"]
        main = _fold(parse_unicode_set(chars.get("exemplarCharacters", "[]")))
        aux = _fold(parse_unicode_set(chars.get("auxiliary", "[]"))) - main
        locales[loc.replace("-", "_")] = (main, aux)
    info = {
        "package": f"{meta['name']} {meta['version']}",
        "cldr_version": str(meta.get("cldrVersion", meta["version"].split(".")[0])),
    }
    return locales, info


def _parent(loc: str) -> str | None:
    return loc.rsplit("_", 1)[0] if "_" in loc else None


def prune(locales: dict[str, tuple[set[str], set[str]]]) -> dict[str, tuple[set[str], set[str]]]:
    """Drop locales whose sets equal their nearest listed parent's."""
    out = {}
    for loc, sets in locales.items():
        parent = _parent(loc)
        while parent is not None and parent not in locales:
            parent = _parent(parent)
        if parent is not None and locales[parent] == sets:
            continue
        if not sets[0] and not sets[1]:
            continue  # nothing beyond ASCII (en, and locales that inherit only root)
        out[loc] = sets
    return out


def ascii_confusables() -> set[str]:
    """Characters whose confusables.txt prototype is made only of ASCII letters/digits."""
    doc = json.loads(CONFUSABLES.read_text(encoding="utf-8"))
    prototypes = zip(doc["sources"], doc["prototypes"].split("\0"), strict=True)
    return {
        ch for ch, proto in prototypes if not ch.isascii() and proto.isascii() and proto.isalnum()
    }


def script_of() -> dict[int, str]:
    """Script (ISO 15924 code) of every assigned code point, from unicode_scripts.json."""
    doc = json.loads(SCRIPTS.read_text(encoding="utf-8"))
    names: list[str] = doc["scripts"]
    out: dict[int, str] = {}
    for lo, hi, idx in doc["script"]:
        for cp in range(lo, hi + 1):
            out[cp] = names[idx]
    return out


def restrict(
    locales: dict[str, tuple[set[str], set[str]]], keep: set[str]
) -> dict[str, tuple[set[str], set[str]]]:
    """Keep in each locale only the characters of the scripts that have a look-alike of
    ASCII among exemplars (Latin, Greek, Cyrillic, ...) and combining marks (Inherited):
    the Han, Hangul or Ethiopic letters of a locale can never make a word look ASCII."""
    scripts = script_of()
    used = set().union(*(m | a for m, a in locales.values()))
    relevant = {scripts.get(ord(ch), "Zzzz") for ch in keep & used} | {"Zinh"}
    out = {}
    for loc, (main, aux) in locales.items():
        m = {ch for ch in main if scripts.get(ord(ch), "Zzzz") in relevant}
        a = {ch for ch in aux if scripts.get(ord(ch), "Zzzz") in relevant}
        if m or a:
            out[loc] = (m, a)
    return out


def _key(ch: str) -> int:
    return ord(ch)


def build(source: Path, scope: str) -> dict[str, object]:
    raw, info = read_locales(source)
    keep = ascii_confusables() if scope == "confusable" else None
    if keep is not None:
        raw = restrict(raw, keep)
    locales = prune(raw)
    by_char: dict[str, dict[str, list[str]]] = {}
    for loc in sorted(locales):
        main, aux = locales[loc]
        for which, chars in (("main", main), ("aux", aux)):
            for ch in chars:
                if keep is not None and ch not in keep:
                    continue
                entry = by_char.setdefault(ch, {"main": [], "aux": []})
                entry[which].append(loc)
    return {
        "source": info["package"],
        "cldr_version": info["cldr_version"],
        "license": LICENSE_NOTE,
        "scope": scope,
        "note": (
            "locales: the non-ASCII letters and combining marks each CLDR locale writes "
            "(main: exemplarCharacters; aux: auxiliary only), NFC, both cases, as strings "
            "sorted by code point; a regional locale equal to its parent is omitted. "
            "by_char: for each character (scope 'confusable': those whose UTS #39 "
            "prototype is ASCII letters/digits), the locales using it."
        ),
        "locales": {
            loc: {
                "main": "".join(sorted(locales[loc][0], key=_key)),
                "aux": "".join(sorted(locales[loc][1], key=_key)),
            }
            for loc in sorted(locales)
        },
        "by_char": {
            ch: {k: sorted(v) for k, v in by_char[ch].items()} for ch in sorted(by_char, key=_key)
        },
    }


def dump(doc: dict[str, object]) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, required=True, help="cldr-misc-full package dir")
    ap.add_argument("--scope", choices=("confusable", "all"), default="confusable")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--sizes", action="store_true", help="print the size of both scopes")
    args = ap.parse_args(argv)
    if not (args.source / "main").is_dir():
        raise SystemExit(f"{args.source}: no main/ directory (expected cldr-misc-full)")
    if args.sizes:
        for scope in ("confusable", "all"):
            text = dump(build(args.source, scope))
            print(f"scope {scope}: {len(text.encode('utf-8')):,} bytes", file=sys.stderr)
    text = dump(build(args.source, args.scope))
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)  # atomic: a reader never sees half a table
    print(f"wrote {args.out} ({len(text.encode('utf-8')):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
