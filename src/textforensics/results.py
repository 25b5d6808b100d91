"""Result types shared by every detector.

All results are frozen, slotted, keyword-only dataclasses. ``to_dict()`` turns any of
them into plain JSON-ready data (dicts, lists, str, int, float, bool, None), which is the
stable schema the command line's ``--format json`` prints.

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "SEVERITIES",
    "Finding",
    "FixResult",
    "FixStep",
    "HomoglyphChar",
    "HomoglyphFinding",
    "JSONValue",
    "Severity",
    "Span",
    "severity_rank",
    "to_jsonable",
]

JSONValue = Any
"""Plain JSON data: dict, list, str, int, float, bool or None."""

Severity = Literal["info", "warning", "error"]
"""How serious a finding is. ``info`` is typography worth knowing about, ``warning`` a
likely disguise, ``error`` an attack pattern (e.g. Trojan Source bidi controls)."""

SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")


def severity_rank(severity: Severity) -> int:
    """Order of severities: info < warning < error."""
    return SEVERITIES.index(severity)


def to_jsonable(value: Any) -> JSONValue:
    """Convert results (nested dataclasses, tuples, enums, mappings) to plain JSON data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [to_jsonable(v) for v in value]
        if isinstance(value, (set, frozenset)):
            items.sort(key=repr)
        return items
    raise TypeError(f"cannot convert {type(value).__name__} to JSON data")


class _Serializable:
    __slots__ = ()

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON-ready data for this result (the documented JSON schema)."""
        data = to_jsonable(self)
        assert isinstance(data, dict)
        return data


@dataclass(frozen=True, slots=True, kw_only=True)
class Span(_Serializable):
    """A stretch of the caller's original string.

    ``start``/``end`` are character (code point) offsets, end exclusive. ``line`` and
    ``column`` are 1-based and point at ``start``; ``end_line``/``end_column`` point at the
    last character inside the span (for an empty span, at ``start``).
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(_Serializable):
    """Common shape of every finding a detector reports.

    Detectors subclass it with their own fields; these are always present:
    ``start``/``end`` (character offsets into the input, end exclusive), ``line``/``column``
    (1-based, of ``start``), ``kind`` (a stable string), ``severity`` and ``message``
    (a human explanation).
    """

    start: int
    end: int
    line: int
    column: int
    kind: str
    severity: Severity
    message: str


# --- homoglyphs ---


@dataclass(frozen=True, slots=True, kw_only=True)
class HomoglyphChar(_Serializable):
    """One character a homoglyph finding points at.

    ``offset`` is its character offset in the input; ``code_point`` reads ``"U+0435"``;
    ``script`` is its Unicode Script (ISO 15924 code, e.g. ``"Cyrl"``); ``prototype`` is
    its UTS #39 skeleton (what it is confusable with); ``looks_like`` is the character
    (or string) of the word's own script with the same skeleton, used as the replacement,
    or ``None`` (for hidden characters, the replacement is the empty string).
    """

    offset: int
    char: str
    code_point: str
    name: str
    script: str
    prototype: str
    looks_like: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class HomoglyphFinding(Finding):
    """A homoglyph, mixed-script or hidden-character finding (UTS #39).

    ``kind`` is one of ``confusable``, ``mixed_script``, ``whole_script``, ``invisible``,
    ``bidi``, ``mixed_numbers``; ``code`` the stable rule id (``TF101``..``TF106``);
    ``word`` the offending word (``text[start:end]``); ``chars`` the characters at fault;
    ``suggestion`` the clean word, when there is one.
    """

    code: str
    word: str
    chars: tuple[HomoglyphChar, ...]
    suggestion: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class FixStep(_Serializable):
    """One replacement of a fix plan: ``text[start:end]`` (== ``old``) becomes ``new``.
    Offsets refer to the original text."""

    start: int
    end: int
    old: str
    new: str
    kind: str
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FixResult(_Serializable):
    """The fixed text, the replayable plan (``apply_plan(original, plan) == text``) and
    the findings the plan fixes."""

    text: str
    plan: tuple[FixStep, ...]
    findings: tuple[HomoglyphFinding, ...]
