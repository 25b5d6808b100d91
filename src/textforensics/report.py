"""What the command line reports: findings located in files, with stable rule codes,
named characters and content fingerprints.

A :class:`Located` wraps a detector's finding (any :class:`~textforensics.results.Finding`)
with the file it came from, its rule, the source line it sits on (clipped around the
finding, so a 50 MB line is never copied whole) and a fingerprint derived from the rule and
the flagged text with its neighbourhood, not from line numbers, so that a baseline or a
code-scanning alert survives edits elsewhere in the file.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex

from .results import Finding, JSONValue, Severity
from .tables import confusable_prototypes

__all__ = [
    "RULES",
    "CharInfo",
    "Located",
    "Rule",
    "assign_fingerprints",
    "describe_char",
    "line_bounds",
    "locate",
    "rule_for",
    "script_of",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A stable rule: its code (``TF101``), the finding kind it reports and help text."""

    code: str
    kind: str
    name: str
    short: str
    help: str
    fixable: bool = False


_RULE_LIST = (
    Rule(
        code="TF101",
        kind="confusable",
        name="ConfusableCharacter",
        short="Look-alike character from another script inside a word",
        help="A character that looks like a letter of the word's script but belongs to another "
        "script (UTS #39 confusables), e.g. the Cyrillic 'е' (U+0435) in 'Vеrshinin'. Such "
        "characters hide a word from search, filters and duplicate detection. Replace it with "
        "the character it imitates (`textforensics fix`).",
        fixable=True,
    ),
    Rule(
        code="TF102",
        kind="mixed_script",
        name="MixedScriptWord",
        short="Word mixing scripts that never occur together",
        help="A word whose resolved script set is empty (UTS #39 section 5.1): its letters come "
        "from scripts that are not used together, and not as known look-alikes.",
    ),
    Rule(
        code="TF103",
        kind="whole_script",
        name="WholeScriptConfusable",
        short="Word written entirely in a look-alike script",
        help="A word written entirely in one script that looks like a word of the document's "
        "dominant script (an all-Cyrillic 'раураl' in English text).",
    ),
    Rule(
        code="TF104",
        kind="invisible",
        name="InvisibleCharacter",
        short="Invisible character hiding or splitting text",
        help="A default-ignorable character (zero-width space, joiner, soft hyphen inside a "
        "word, BOM not at the start, tag characters, stray variation selectors) used where it "
        "has no legitimate role. It can split words to evade filters. `textforensics fix` "
        "removes it.",
        fixable=True,
    ),
    Rule(
        code="TF105",
        kind="bidi",
        name="BidiControl",
        short="Bidirectional control character",
        help="A bidirectional formatting character (U+202A-202E, U+2066-2069, marks). "
        "Unterminated or unbalanced ones reorder the displayed text: the Trojan Source attack "
        "(CVE-2021-42574). `textforensics fix` removes them.",
        fixable=True,
    ),
    Rule(
        code="TF106",
        kind="mixed_numbers",
        name="MixedDigitSets",
        short="Number written with digits from different digit sets",
        help="One number whose digits come from different decimal digit sets (e.g. Latin and "
        "Arabic-Indic digits), which displays as one value and parses as another.",
    ),
    Rule(
        code="TF201",
        kind="boilerplate",
        name="Boilerplate",
        short="Boilerplate block",
        help="A block of the text that is not main content (comment section, disclaimer, call "
        "to action, credit, related links, navigation, legal notice, repeated block), as "
        "`textforensics strip --explain` shows. Reported by `scan --boilerplate`.",
    ),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}
"""Rules by code. Codes are stable: new kinds get new codes."""

_BY_KIND = {rule.kind: rule for rule in _RULE_LIST}


def rule_for(kind: str) -> Rule:
    """The rule reporting findings of ``kind`` (unknown kinds get a generic TF199 rule)."""
    rule = _BY_KIND.get(kind)
    if rule is None:
        if kind.startswith("boilerplate"):
            return _BY_KIND["boilerplate"]
        rule = Rule(
            code="TF199",
            kind=kind,
            name="OtherFinding",
            short=f"Finding of kind {kind}",
            help=f"A finding of kind {kind!r}.",
        )
    return rule


# --- naming characters -------------------------------------------------------------------

_SCRIPTS = (
    "Latin",
    "Cyrillic",
    "Greek",
    "Armenian",
    "Georgian",
    "Hebrew",
    "Arabic",
    "Syriac",
    "Thaana",
    "Devanagari",
    "Bengali",
    "Gurmukhi",
    "Gujarati",
    "Oriya",
    "Tamil",
    "Telugu",
    "Kannada",
    "Malayalam",
    "Sinhala",
    "Thai",
    "Lao",
    "Tibetan",
    "Myanmar",
    "Khmer",
    "Mongolian",
    "Han",
    "Hiragana",
    "Katakana",
    "Hangul",
    "Bopomofo",
    "Ethiopic",
    "Cherokee",
    "Canadian_Aboriginal",
    "Ogham",
    "Runic",
    "Coptic",
    "Glagolitic",
    "Tifinagh",
    "Lisu",
    "Vai",
    "Bamum",
    "Nko",
    "Adlam",
    "Gothic",
    "Deseret",
    "Osage",
    "Old_Italic",
    "Lycian",
    "Carian",
    "Braille",
    "Inherited",
    "Common",
)
_SCRIPT_RES = tuple((name, regex.compile(rf"\p{{Script={name}}}")) for name in _SCRIPTS)


@cache
def script_of(char: str) -> str:
    """The Unicode Script property value of ``char`` (``Unknown`` when unassigned)."""
    for name, pattern in _SCRIPT_RES:
        if pattern.match(char):
            return name
    return "Unknown" if unicodedata.category(char) == "Cn" else "Other"


@dataclass(frozen=True, slots=True, kw_only=True)
class CharInfo:
    """A character named for people: ``U+0435 CYRILLIC SMALL LETTER IE (Cyrillic)``."""

    char: str
    code_point: str
    name: str
    script: str
    looks_like: str | None
    script_code: str | None = None

    def describe(self) -> str:
        text = f"{self.code_point} {self.name} ({self.script})"
        if self.looks_like:
            text += f', looks like "{self.looks_like}"'
        return text


def describe_char(char: str, detail: Any = None) -> CharInfo:
    """Code point, Unicode name, script and look-alike of one character; ``detail`` (a
    detector's per-character record with ``name``, ``script``, ``looks_like``) wins where
    it has a value."""
    cp = ord(char)
    name = unicodedata.name(char, "")
    if not name:
        cat = unicodedata.category(char)
        name = {"Cs": "SURROGATE", "Co": "PRIVATE USE", "Cn": "UNASSIGNED"}.get(cat, f"<{cat}>")
    proto = confusable_prototypes().get(char)
    looks_like = proto if proto and proto != char and proto.isprintable() else None
    script_code = None
    if detail is not None:
        name = str(getattr(detail, "name", None) or name)
        given = getattr(detail, "looks_like", None)
        looks_like = given if isinstance(given, str) and given else looks_like
        code = getattr(detail, "script", None)
        script_code = code if isinstance(code, str) else None
    return CharInfo(
        char=char,
        code_point=f"U+{cp:04X}",
        name=name,
        script=script_of(char),
        looks_like=looks_like,
        script_code=script_code,
    )


def _is_suspect(char: str) -> bool:
    if char.isascii():
        return not char.isprintable() and char not in "\t\r\n"
    return True


# --- located findings ----------------------------------------------------------------------

_CONTEXT = 60  # characters of the source line shown each side of a finding


@dataclass(slots=True, kw_only=True)
class Located:
    """A finding in a file, ready to render as text, JSON or SARIF.

    ``start``/``end`` are character offsets into the whole file's text; ``line``/
    ``column``/``end_line``/``end_column`` are 1-based (end inclusive, as SARIF wants).
    ``excerpt`` is the part of the source line around the finding and
    ``excerpt_column`` the 1-based column of the excerpt's first character.
    """

    path: str
    finding: Finding | None
    rule: Rule
    kind: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    flagged: str
    excerpt: str
    excerpt_column: int
    context: str
    suggestion: str | None = None
    characters: tuple[CharInfo, ...] = ()
    marks: tuple[int, ...] = ()
    base_offset: int = 0
    extra: dict[str, JSONValue] = field(default_factory=dict)
    fingerprint: str = ""
    baselined: bool = False

    @property
    def code(self) -> str:
        return self.rule.code

    def to_dict(self) -> dict[str, JSONValue]:
        """The JSON schema of one finding (see docs/cli.md)."""
        finding: dict[str, JSONValue] = self.finding.to_dict() if self.finding is not None else {}
        finding.update(self.extra)
        if self.base_offset:  # the detector saw a chunk: its character offsets, shifted
            for char in finding.get("chars") or ():
                if isinstance(char, dict) and isinstance(char.get("offset"), int):
                    char["offset"] += self.base_offset
        # positions in the file (the detector's are relative to the chunk it saw)
        finding.update(
            start=self.start,
            end=self.end,
            line=self.line,
            column=self.column,
            kind=self.kind,
            severity=self.severity,
            message=self.message,
        )
        return {
            "path": self.path,
            "code": self.code,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start": self.start,
            "end": self.end,
            "text": self.flagged,
            "suggestion": self.suggestion,
            "characters": [
                {
                    "char": c.char,
                    "code_point": c.code_point,
                    "name": c.name,
                    "script": c.script,
                    "looks_like": c.looks_like,
                    "script_code": c.script_code,
                }
                for c in self.characters
            ],
            "fingerprint": self.fingerprint,
            "baselined": self.baselined,
            "finding": finding,
        }


def line_bounds(text: str, start: int) -> tuple[int, int]:
    """Start and end (without terminator) of the line of ``text`` containing ``start``,
    limited to the chunk."""
    ls = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    candidates = [p for p in (text.find("\n", start), text.find("\r", start)) if p != -1]
    le = min(candidates) if candidates else len(text)
    return ls, le


def locate(
    *,
    path: str,
    text: str,
    base_offset: int,
    base_line: int,
    base_column: int,
    start: int,
    end: int,
    kind: str,
    severity: Severity,
    message: str,
    finding: Finding | None = None,
    suggestion: str | None = None,
    extra: dict[str, JSONValue] | None = None,
    name_characters: bool = True,
    chars: Sequence[Any] = (),
) -> Located:
    """Place a finding at ``text[start:end]`` of a chunk starting at ``base_offset`` (line
    ``base_line``, column ``base_column``) of the file."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    ls, le = line_bounds(text, start)
    head = text[:ls]
    lines_before = head.count("\n") + head.count("\r") - head.count("\r\n")
    line = base_line + lines_before
    column = start - ls + 1 + (base_column - 1 if lines_before == 0 else 0)
    last = max(start, end - 1)
    if last < le or end == start:
        end_line, end_column = line, column + (last - start)
    else:
        mid = text[start:last]
        extra_lines = mid.count("\n") + mid.count("\r") - mid.count("\r\n")
        els = max(text.rfind("\n", 0, last), text.rfind("\r", 0, last)) + 1
        end_line, end_column = line + extra_lines, last - els + 1
    ex_start = max(ls, start - _CONTEXT)
    ex_end = min(le, max(end, start + 1) + _CONTEXT)
    flagged = text[start:end]
    characters: tuple[CharInfo, ...] = ()
    marks: list[int] = []
    if chars:  # the detector named the characters at fault (offsets into ``text``)
        named: dict[str, CharInfo] = {}
        for detail in chars:
            offset = getattr(detail, "offset", None)
            char = getattr(detail, "char", None)
            if not isinstance(offset, int) or not isinstance(char, str) or len(char) != 1:
                continue
            if start <= offset < max(end, start + 1):
                marks.append(base_offset + offset)
            if char not in named and len(named) < 8:
                named[char] = describe_char(char, detail)
        characters = tuple(named.values())
    elif name_characters:
        seen: list[str] = []
        for ch in flagged:
            if _is_suspect(ch) and ch not in seen:
                seen.append(ch)
        characters = tuple(describe_char(ch) for ch in seen[:8])
    ctx_start, ctx_end = max(ls, start - 24), min(max(le, end), end + 24)
    return Located(
        path=path,
        finding=finding,
        rule=rule_for(kind),
        kind=kind,
        severity=severity,
        message=message,
        start=base_offset + start,
        end=base_offset + end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        flagged=flagged if len(flagged) <= 200 else flagged[:200] + "…",
        excerpt=text[ex_start:ex_end],
        excerpt_column=ex_start - ls + 1 + (base_column - 1 if lines_before == 0 else 0),
        context=" ".join(text[ctx_start:ctx_end].split()),
        suggestion=suggestion,
        characters=characters,
        marks=tuple(marks),
        base_offset=base_offset,
        extra=dict(extra or {}),
    )


def assign_fingerprints(items: Iterable[Located]) -> None:
    """Give each finding a fingerprint from its rule, its flagged text and the text around
    it (whitespace-normalized), plus an occurrence number among identical ones in the same
    file; line numbers never enter it, so it survives edits elsewhere in the file."""
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        key = "\x1f".join((item.code, item.kind, item.flagged, item.context))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        n = counts.get((item.path, digest), 0)
        counts[(item.path, digest)] = n + 1
        item.fingerprint = f"{digest}:{n}"
