#!/usr/bin/env python3
"""Generate textforensics' compact Unicode tables from the UTS #39 data files.

Usage::

    python scripts/generate_unicode_tables.py [--source ../shared/unicode/17.0.0]

Reads the raw Unicode Security Mechanisms files (never copied into the project)
and writes ``src/textforensics/data/unicode_*.json``. The output is deterministic
(sorted keys, no timestamps), so re-running on the same data gives identical files
and a test can check that the committed tables are current.
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


def write_json(name: str, payload: object) -> Path:
    path = OUT_DIR / name
    text = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(argv)
    source: Path = args.source
    if not (source / "confusables.txt").is_file():
        print(f"error: {source} does not hold the UTS #39 data files", file=sys.stderr)
        return 2
    version = read_version(source)
    outputs = [
        write_json(
            "unicode_confusables.json",
            {"unicode_version": version, "prototypes": build_confusables(source)},
        ),
        write_json(
            "unicode_identifiers.json",
            {
                "unicode_version": version,
                "status": build_ranges(source / "IdentifierStatus.txt"),
                "type": build_ranges(source / "IdentifierType.txt"),
                "intentional": build_intentional(source),
            },
        ),
    ]
    for path in outputs:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
