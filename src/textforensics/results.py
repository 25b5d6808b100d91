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
    "JSONValue",
    "Severity",
    "Span",
    "StripResult",
    "TextBlock",
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


# --- boilerplate ---


@dataclass(frozen=True, slots=True, kw_only=True)
class TextBlock(Finding):
    """One block of a stripped text: a non-blank line with the blank lines after it.

    The blocks of a :class:`StripResult` partition the input: ``text[b.start:b.end]`` of all
    blocks, concatenated in order, rebuild it exactly. ``label`` is ``"content"`` (kept) or
    ``"boilerplate"`` (removed). ``kind`` is ``"content"`` for kept blocks and one of the
    boilerplate kinds (``comments``, ``disclaimer``, ``call_to_action``, ``credit``,
    ``related_links``, ``navigation``, ``legal``, ``repeated``) for removed ones.
    ``message`` is the human reason; ``score`` the model's content probability (0..1).
    """

    label: Literal["content", "boilerplate"]
    score: float

    @property
    def reason(self) -> str:
        """The human reason for the label (same as ``message``)."""
        return self.message

    @property
    def removed(self) -> bool:
        return self.label == "boilerplate"


@dataclass(frozen=True, slots=True, kw_only=True)
class StripResult(_Serializable):
    """What :func:`textforensics.strip_boilerplate` returns.

    ``text`` is the main text: the kept blocks, in order, characters unchanged.
    ``removed`` are the removed blocks (``.start``, ``.end`` into the input, ``.kind``).
    ``blocks`` are all blocks, kept and removed, covering the input exactly.
    ``language`` is the detected language code of the phrase data used (or ``None``).
    """

    text: str
    removed: tuple[TextBlock, ...]
    blocks: tuple[TextBlock, ...]
    language: str | None
