"""What the command line reports: findings located in files, with stable rule codes,
named characters and content fingerprints.

A :class:`Located` wraps a detector's finding (any :class:`~textforensics.results.Finding`)
with the file it came from, its rule, the source line it sits on (clipped around the
finding, so a 50 MB line is never copied whole) and a fingerprint derived from the rule and
the flagged text with its neighbourhood, not from line numbers, so that a baseline or a
code-scanning alert survives edits elsewhere in the file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from ..tables import prototype_translation
from ..text import LineIndex
from ..vocab import BOILERPLATE_CODE, FIXABLE_KINDS, HOMOGLYPH_CODES, HOMOGLYPH_KINDS

if TYPE_CHECKING:
    from ..results import Finding, JSONValue, Severity

__all__ = [
    "RULES",
    "CharInfo",
    "Located",
    "Rule",
    "assign_fingerprints",
    "describe_char",
    "locate",
    "needs_escape",
    "rule_for",
    "safe",
    "script_of",
]


class Rule(NamedTuple):
    """A stable rule: its code (``TF101``), the finding kind it reports and help text."""

    code: str
    kind: str
    name: str
    short: str
    help: str
    fixable: bool = False


def _rule(*, kind: str, name: str, short: str, help: str, code: str = "") -> Rule:
    """A rule whose code and fixability come from the vocabulary (the prose lives here)."""
    return Rule(
        code=code or HOMOGLYPH_CODES[kind],
        kind=kind,
        name=name,
        short=short,
        help=help,
        fixable=kind in FIXABLE_KINDS,
    )


_RULE_LIST = (
    _rule(
        kind="confusable",
        name="ConfusableCharacter",
        short="Look-alike character from another script inside a word",
        help="A character that looks like a letter of the word's script but belongs to another "
        "script (UTS #39 confusables), e.g. the Cyrillic 'е' (U+0435) in 'Vеrshinin'. Such "
        "characters hide a word from search, filters and duplicate detection. Replace it with "
        "the character it imitates (`textforensics fix`).",
    ),
    _rule(
        kind="mixed_script",
        name="MixedScriptWord",
        short="Word mixing scripts that never occur together",
        help="A word whose resolved script set is empty (UTS #39 section 5.1): its letters come "
        "from scripts that are not used together, and not as known look-alikes.",
    ),
    _rule(
        kind="whole_script",
        name="WholeScriptConfusable",
        short="Word written entirely in a look-alike script",
        help="A word written entirely in one script that looks like a word of the document's "
        "dominant script (an all-Cyrillic 'раураl' in English text).",
    ),
    _rule(
        kind="invisible",
        name="InvisibleCharacter",
        short="Invisible character hiding or splitting text",
        help="A default-ignorable character (zero-width space, joiner, soft hyphen inside a "
        "word, BOM not at the start, tag characters, stray variation selectors) used where it "
        "has no legitimate role. It can split words to evade filters. `textforensics fix` "
        "removes it.",
    ),
    _rule(
        kind="bidi",
        name="BidiControl",
        short="Bidirectional control character",
        help="A bidirectional formatting character (U+202A-202E, U+2066-2069, marks). "
        "Unterminated or unbalanced ones reorder the displayed text: the Trojan Source attack "
        "(CVE-2021-42574). `textforensics fix` removes them.",
    ),
    _rule(
        kind="mixed_numbers",
        name="MixedDigitSets",
        short="Number written with digits from different digit sets",
        help="One number whose digits come from different decimal digit sets (e.g. Latin and "
        "Arabic-Indic digits), which displays as one value and parses as another.",
    ),
    _rule(
        kind="nfkc_divergence",
        name="NfkcDivergence",
        short="Character whose NFKC form and look-alike disagree",
        help="A compatibility character that looks like one ASCII letter but normalizes (NFKC, "
        "case-folded) to another: U+017F LONG S looks like 'f' and normalizes to 's', U+2110 "
        "and U+2111 look like 'l' and normalize to 'i'. A name check done after NFKC sees a "
        "different name than the reader. `textforensics fix` replaces it with its look-alike.",
    ),
    _rule(
        kind="combining_mark",
        name="InsertedCombiningMark",
        short="Combining mark inserted into an ASCII word",
        help="A combining mark (accent, overlay, stack of marks) added to a letter of an "
        "otherwise-ASCII word ('pa\\u0301ypal'), which breaks matching while the word still "
        "reads the same: the letter it makes is in no CLDR locale's exemplars, or it is one lone "
        "decomposed accent inside the word with no other accented letter nearby. Ordinary "
        "accents ('café', precomposed or decomposed) are not reported. `textforensics fix` "
        "drops the mark.",
    ),
    _rule(
        kind="boilerplate",
        code=BOILERPLATE_CODE,
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
assert all(kind in _BY_KIND for kind in HOMOGLYPH_KINDS), "a homoglyph kind without a rule"


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

# Display names of the scripts people meet most; any other script shows its ISO 15924
# code. Which script a code point has comes from the generated tables.
_SCRIPT_NAMES = {
    "Latn": "Latin",
    "Cyrl": "Cyrillic",
    "Grek": "Greek",
    "Armn": "Armenian",
    "Geor": "Georgian",
    "Hebr": "Hebrew",
    "Arab": "Arabic",
    "Syrc": "Syriac",
    "Thaa": "Thaana",
    "Deva": "Devanagari",
    "Beng": "Bengali",
    "Guru": "Gurmukhi",
    "Gujr": "Gujarati",
    "Orya": "Oriya",
    "Taml": "Tamil",
    "Telu": "Telugu",
    "Knda": "Kannada",
    "Mlym": "Malayalam",
    "Sinh": "Sinhala",
    "Thai": "Thai",
    "Laoo": "Lao",
    "Tibt": "Tibetan",
    "Mymr": "Myanmar",
    "Khmr": "Khmer",
    "Mong": "Mongolian",
    "Hani": "Han",
    "Hira": "Hiragana",
    "Kana": "Katakana",
    "Hang": "Hangul",
    "Bopo": "Bopomofo",
    "Ethi": "Ethiopic",
    "Cher": "Cherokee",
    "Cans": "Canadian_Aboriginal",
    "Ogam": "Ogham",
    "Runr": "Runic",
    "Copt": "Coptic",
    "Glag": "Glagolitic",
    "Tfng": "Tifinagh",
    "Lisu": "Lisu",
    "Vaii": "Vai",
    "Bamu": "Bamum",
    "Nkoo": "Nko",
    "Adlm": "Adlam",
    "Goth": "Gothic",
    "Dsrt": "Deseret",
    "Osge": "Osage",
    "Ital": "Old_Italic",
    "Lyci": "Lycian",
    "Cari": "Carian",
    "Brai": "Braille",
    "Zinh": "Inherited",
    "Zyyy": "Common",
}


@cache
def script_of(char: str) -> str:
    """The Unicode Script of ``char`` by name (``Cyrillic``), its ISO 15924 code for
    scripts without a display name here, ``Unknown`` when unassigned."""
    # The homoglyph detector's table (loaded in milliseconds) rather than the ranges of
    # data/unicode_scripts.json: the same Script property, from the same data.
    from ..homoglyphs.data import script

    code = script(ord(char))
    if code == "Zzzz":
        return "Unknown" if unicodedata.category(char) == "Cn" else "Other"
    return _SCRIPT_NAMES.get(code, code)


class CharInfo(NamedTuple):
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
    proto = prototype_translation().get(cp)
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


# --- terminal-safe text ---


def needs_escape(char: str) -> bool:
    if char == "\t":
        return False
    cat = unicodedata.category(char)
    return (
        cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
        or (cat == "Mn" and 0xFE00 <= ord(char) <= 0xFE0F)
        or 0xE0100 <= ord(char) <= 0xE01EF
    )


def safe(text: str) -> str:
    """``text`` with invisible, bidi, control and unassigned characters shown as <U+XXXX>:
    every file name and excerpt printed to a terminal goes through this, so that ANSI
    escapes, U+202E or a newline in a name cannot rewrite or reorder what is shown."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(c):04X}>" if needs_escape(c) else c for c in text)


# --- located findings ----------------------------------------------------------------------

_CONTEXT = 60  # characters of the source line shown each side of a finding
_SHOWN_SPAN = 120  # at most this much of a long flagged span is shown in the excerpt


class Located:
    """A finding in a file, ready to render as text, JSON or SARIF.

    ``start``/``end`` are character offsets into the whole file's text; ``line``/
    ``column``/``end_line``/``end_column`` are 1-based (end inclusive, as SARIF wants).
    ``excerpt`` is the part of the source line around the finding and
    ``excerpt_column`` the 1-based column of the excerpt's first character;
    ``excerpt_cut`` is true when the line goes on after the excerpt (a long flagged span
    is shown only in part, so the excerpt stays short however long the span).
    """

    # A plain slotted class, not a dataclass: importing ``dataclasses`` (and ``inspect``
    # with it) is a sizeable share of a one-shot command's start-up, and a run that finds
    # nothing never makes one of these.

    __slots__ = (
        "base_offset",
        "baselined",
        "characters",
        "column",
        "context",
        "end",
        "end_column",
        "end_line",
        "excerpt",
        "excerpt_column",
        "excerpt_cut",
        "extra",
        "finding",
        "fingerprint",
        "flagged",
        "kind",
        "line",
        "marks",
        "message",
        "path",
        "rule",
        "severity",
        "start",
        "suggestion",
    )

    def __init__(
        self,
        *,
        path: str,
        finding: Finding | None,
        rule: Rule,
        kind: str,
        severity: Severity,
        message: str,
        start: int,
        end: int,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        flagged: str,
        excerpt: str,
        excerpt_column: int,
        context: str,
        excerpt_cut: bool = False,
        suggestion: str | None = None,
        characters: tuple[CharInfo, ...] = (),
        marks: tuple[int, ...] = (),
        base_offset: int = 0,
        extra: dict[str, JSONValue] | None = None,
        fingerprint: str = "",
        baselined: bool = False,
    ) -> None:
        self.path = path
        self.finding = finding
        self.rule = rule
        self.kind = kind
        self.severity = severity
        self.message = message
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.flagged = flagged
        self.excerpt = excerpt
        self.excerpt_column = excerpt_column
        self.context = context
        self.excerpt_cut = excerpt_cut
        self.suggestion = suggestion
        self.characters = characters
        self.marks = marks
        self.base_offset = base_offset
        self.extra: dict[str, JSONValue] = {} if extra is None else extra
        self.fingerprint = fingerprint
        self.baselined = baselined

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Located({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Located:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable (fingerprints are assigned later)

    def replace(self, **changes: Any) -> Located:
        """A copy with ``changes`` applied (what :func:`dataclasses.replace` does)."""
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return Located(**values)

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
    index: LineIndex | None = None,
) -> Located:
    """Place a finding at ``text[start:end]`` of a chunk starting at ``base_offset`` (line
    ``base_line``, column ``base_column``) of the file. ``index`` is the chunk's
    :class:`~textforensics.text.LineIndex`: pass one built once per chunk when locating
    many findings (it is built here otherwise)."""
    if index is None:
        index = LineIndex(text)
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    ls, le = index.line_bounds(start)
    lines_before = index.position(ls)[0] - 1
    line = base_line + lines_before
    column = start - ls + 1 + (base_column - 1 if lines_before == 0 else 0)
    last = max(start, end - 1)
    if last < le or end == start:
        end_line, end_column = line, column + (last - start)
    elif last > 0 and text[last] == "\n" and text[last - 1] == "\r":
        # A span ending on the LF of a CRLF ends at column 1 of the line after the CR
        # (as SARIF editors show it), not inside the line break.
        end_line, end_column = base_line + index.position(last)[0], 1
    else:
        last_line, end_column = index.position(last)
        end_line = base_line + last_line - 1
    ex_start = max(ls, start - _CONTEXT)
    ex_end = min(le, min(max(end, start + 1), start + _SHOWN_SPAN) + _CONTEXT)
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
        excerpt_cut=ex_end < le,
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
    import hashlib  # lazy: OpenSSL's loading is a one-shot run's cost when nothing reads them

    counts: dict[tuple[str, str], int] = {}
    for item in items:
        key = "\x1f".join((item.code, item.kind, item.flagged, item.context))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        n = counts.get((item.path, digest), 0)
        counts[(item.path, digest)] = n + 1
        item.fingerprint = f"{digest}:{n}"
