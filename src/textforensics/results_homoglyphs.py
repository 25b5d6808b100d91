"""Result types of :func:`~textforensics.fix_homoglyphs` and
:class:`~textforensics.NameGuard` (the findings of :func:`~textforensics.find_homoglyphs`,
which every scan makes, are in :mod:`textforensics.results`).

Also exported by :mod:`textforensics.results`, which imports this module when one of
these names is first read: a scan that fixes nothing does not create these classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .results import Deferred, HomoglyphFinding, Serializable, defer_fields
from .vocab import NameMatchKind

__all__ = ["FixResult", "FixStep", "NameMatch"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FixStep(Serializable):
    """One replacement of a fix plan: ``text[start:end]`` (== ``old``) becomes ``new``.
    Offsets refer to the original text."""

    start: int
    end: int
    old: str
    new: str
    kind: str
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FixResult(Deferred):
    """The fixed text, the replayable plan (``apply_plan(original, plan) == text``) and
    the findings the plan fixes (:func:`~textforensics.fix_homoglyphs` builds the plan's
    steps when ``plan`` is first read and finds the findings when ``findings`` is, see
    :func:`deferred`; the result is the same either way)."""

    text: str
    plan: tuple[FixStep, ...]
    findings: tuple[HomoglyphFinding, ...]


defer_fields(FixResult, ("plan", "findings"))


@dataclass(frozen=True, slots=True, kw_only=True)
class NameMatch(Serializable):
    """A checked ``name`` that collides with the protected name ``protected`` (number
    ``protected_id`` in the guard's list) by the technique ``kind``.

    ``spans`` are the ``(start, end)`` offsets into ``name`` of the characters involved
    (empty for ``exact``); ``start``/``end`` cover them all (the whole name for
    ``exact``). ``message`` says it in words.
    """

    name: str
    protected: str
    protected_id: int
    kind: NameMatchKind
    start: int
    end: int
    spans: tuple[tuple[int, int], ...]
    message: str
