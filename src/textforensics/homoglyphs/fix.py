"""Fixing: :func:`fix_homoglyphs` replaces look-alikes with the characters they imitate and
drops hidden and bidi controls, as a plan of one-character steps on the original text that
:func:`apply_plan` replays (also after a JSON round trip).

A fix of a dense text has a step per flagged character, so the call keeps its working
state compact (typed arrays of offsets, the replacements, one shared ``(kind, code)``
pair per kind) and drops each round's findings once its steps are known; the findings of
the result are found again when first read (:func:`~textforensics.results.deferred`).
Figures in docs/homoglyphs.md.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from itertools import chain

from ..results import FixResult, FixStep, HomoglyphFinding, deferred
from ..text import LineIndex, require_str
from ..vocab import FIXABLE_KINDS, HOMOGLYPH_KINDS
from .batches import fixable_batches
from .context import make_char
from .hidden import is_variation_selector
from .scan import find_homoglyphs

__all__ = ["apply_plan", "fix_homoglyphs", "fix_round"]


def fix_round(text: str) -> tuple[list[HomoglyphFinding], dict[int, FixStep]]:
    """One round of fixing: the fixable findings of ``text`` and a step per offset they
    flag (first finding wins), plus the removal of variation selectors a replacement
    leaves stray."""
    findings = [f for f in find_homoglyphs(text) if f.kind in FIXABLE_KINDS]
    return findings, {step.start: step for step in _round_edits(text, findings).steps(text)}


class _Edits:
    """The edits of a fix as parallel arrays, one entry per changed character: its
    offset, its replacement and the index of its ``(kind, code)`` in ``labels`` (a few
    bytes per entry, where a :class:`FixStep` or a tuple costs over a hundred)."""

    __slots__ = ("labels", "news", "offsets", "shared", "tags")

    def __init__(self) -> None:
        self.offsets = array("q")
        self.news: list[str] = []
        self.tags = array("B")
        self.labels: list[tuple[str, str]] = []
        self.shared: dict[str, str] = {}  # one object per distinct replacement

    def __len__(self) -> int:
        return len(self.offsets)

    def append(self, offset: int, new: str, kind: str, code: str) -> None:
        pair = (kind, code)
        if pair not in self.labels:
            self.labels.append(pair)
        self.offsets.append(offset)
        self.news.append(self.shared.setdefault(new, new))
        self.tags.append(self.labels.index(pair))

    def sort(self) -> None:
        """Order the entries by offset (the offsets are distinct)."""
        import numpy as np  # lazy: a one-shot `scan` of a small file never needs numpy

        offsets = np.frombuffer(self.offsets, dtype=np.int64)
        if len(offsets) < 2 or bool((offsets[1:] > offsets[:-1]).all()):
            return
        order = np.argsort(offsets, kind="stable")
        self.offsets = array("q", offsets[order].tobytes())
        self.tags = array("B", np.frombuffer(self.tags, dtype=np.uint8)[order].tobytes())
        news = self.news
        self.news = [news[i] for i in order.tolist()]

    def items(self) -> Iterator[tuple[int, str, str, str]]:
        """``(offset, new, kind, code)`` of every entry."""
        labels = self.labels
        for offset, new, tag in zip(self.offsets, self.news, self.tags, strict=True):
            yield offset, new, *labels[tag]

    def apply(self, text: str) -> str:
        # Joined a block of edits at a time: a list of every piece of a dense text would
        # cost two objects per edit.
        done: list[str] = []
        pos = 0
        offsets, news = self.offsets, self.news
        for lo in range(0, len(offsets), _APPLY_BLOCK):
            parts: list[str] = []
            block = slice(lo, lo + _APPLY_BLOCK)
            for offset, new in zip(offsets[block], news[block], strict=True):
                parts.append(text[pos:offset])
                parts.append(new)
                pos = offset + 1
            done.append("".join(parts))
        done.append(text[pos:])
        return "".join(done)

    def steps(self, text: str) -> tuple[FixStep, ...]:
        shared: dict[str, str] = {}  # one string object per distinct old character
        return tuple(
            FixStep(
                start=offset,
                end=offset + 1,
                old=shared.setdefault(text[offset], text[offset]),
                new=new,
                kind=kind,
                code=code,
            )
            for offset, new, kind, code in self.items()
        )


_APPLY_BLOCK = 4096


def _round_edits(text: str, findings: Iterable[HomoglyphFinding]) -> _Edits:
    """The edits of one round, sorted by offset: the first finding flagging an offset
    wins (a byte per character of ``text`` says which offsets are taken)."""
    edits = _Edits()
    taken = bytearray(len(text))
    for f in findings:
        for c in f.chars:
            if c.looks_like is None or taken[c.offset]:
                continue
            taken[c.offset] = 1
            edits.append(c.offset, c.looks_like, f.kind, f.code)
            # A variation selector that followed the replaced character selected a form of
            # it; after the replacement it would be stray.
            j = c.offset + 1
            while j < f.end and is_variation_selector(ord(text[j])) and c.looks_like:
                if not taken[j]:
                    taken[j] = 1
                    edits.append(j, "", f.kind, f.code)
                j += 1
    edits.sort()
    return edits


_MAX_FIX_ROUNDS = 4


def fix_homoglyphs(text: str) -> FixResult:
    """Replace look-alikes with the characters they imitate and drop hidden and bidi
    control characters, changing only characters a finding flagged.

    Returns the fixed text, the replayable plan (``apply_plan(text, result.plan)``, every
    step replaces one character of the original) and the findings fixed. A replacement
    can expose another disguise (a variation selector left stray, a word whose script
    changed); the fix then repeats on its own output, a few rounds at most, and the plan
    and the findings still refer to the original text (a finding of a later round names
    the original characters it covers). ``mixed_script`` and ``mixed_numbers`` findings
    have no safe automatic fix and are left alone.

    The call keeps its edits in typed arrays: the plan's steps are built when ``plan`` is
    first read, and the findings are found again when ``findings`` is first read, so a
    caller who wants only the text holds neither.
    """
    require_str(text)
    fixed, edits, _ = _fix(text, keep_findings=False)
    later = {
        "plan": lambda: edits.steps(text),
        "findings": lambda: _fix(text, keep_findings=True)[2],
    }
    return deferred(FixResult, {"text": fixed}, later)


def _fixable(text: str, *, keep: bool) -> Iterable[HomoglyphFinding]:
    """The fixable findings of ``text`` in text order: a list when ``keep``, else handed
    over a batch at a time (:mod:`.batches`), so that a dense text's findings are never
    all held at once."""
    found = chain.from_iterable(fixable_batches(text))
    return list(found) if keep else found


def _fix(text: str, *, keep_findings: bool) -> tuple[str, _Edits, tuple[HomoglyphFinding, ...]]:
    """The fixed text, its edits on ``text`` and (when ``keep_findings``) the findings of
    every round, described on ``text``."""
    findings = _fixable(text, keep=keep_findings)
    edits = _round_edits(text, findings)
    kept: list[HomoglyphFinding] = findings if isinstance(findings, list) else []
    del findings  # the findings are the bulk of the call's memory
    fixed = edits.apply(text)
    if not edits:
        return fixed, edits, tuple(kept)
    more = _fixable(fixed, keep=keep_findings)
    more_edits = _round_edits(fixed, more)
    if not more_edits:
        return fixed, edits, tuple(kept)
    # Later rounds (rare): origin[k] is the original index the k-th character of the
    # current text comes from (a typed array: 8 bytes per character, not an int object).
    origin = array("q")
    pos = 0
    for offset, new in zip(edits.offsets, edits.news, strict=True):
        origin.extend(range(pos, offset))
        origin.extend([offset] * len(new))
        pos = offset + 1
    origin.extend(range(pos, len(text)))
    labels: dict[int, tuple[str, str]] = {
        offset: edits.labels[tag] for offset, tag in zip(edits.offsets, edits.tags, strict=True)
    }
    lines = LineIndex(text) if keep_findings else None
    for round_number in range(1, _MAX_FIX_ROUNDS):
        if round_number > 1:
            more = _fixable(fixed, keep=keep_findings)
            more_edits = _round_edits(fixed, more)
        if not more_edits:
            break
        if lines is not None:
            kept.extend(_on_original(text, lines, origin, f) for f in more)
        by_offset = {offset: (new, kind, code) for offset, new, kind, code in more_edits.items()}
        pieces: list[str] = []
        new_origin = array("q")
        for k, ch in enumerate(fixed):
            later = by_offset.get(k)
            replacement = ch if later is None else later[0]
            pieces.append(replacement)
            new_origin.extend([origin[k]] * len(replacement))
            if later is not None:
                labels.setdefault(origin[k], (later[1], later[2]))
        fixed, origin = "".join(pieces), new_origin
    # The composed edits: each original character becomes what its descendants spell.
    produced: dict[int, list[str]] = {}
    for k, i in enumerate(origin):
        if i in labels:  # only the characters an edit touched
            produced.setdefault(i, []).append(fixed[k])
    composed = _Edits()
    for i in sorted(labels):
        new = "".join(produced.get(i, ()))
        if new != text[i]:
            composed.append(i, new, *labels[i])
    # In text order, as find_homoglyphs returns them (the rounds are appended in turn).
    kept.sort(key=lambda f: (f.start, f.end, HOMOGLYPH_KINDS.index(f.kind)))
    return composed.apply(text), composed, tuple(kept)


def _on_original(
    text: str, lines: LineIndex, origin: array[int], f: HomoglyphFinding
) -> HomoglyphFinding:
    """A finding of a later round, on the intermediate text, described on ``text``: its
    span, line and column, and its characters (the original character at each, so that
    ``text[c.offset] == c.char`` holds), each original character named once."""
    start, end = origin[f.start], origin[f.end - 1] + 1
    line, column = lines.position(start)
    chars = {}
    for c in f.chars:
        i = origin[c.offset]
        if i not in chars:
            chars[i] = make_char(i, text[i], c.looks_like)
    return HomoglyphFinding(
        start=start,
        end=end,
        line=line,
        column=column,
        kind=f.kind,
        severity=f.severity,
        message=f.message,
        code=f.code,
        word=text[start:end],
        chars=tuple(chars[i] for i in sorted(chars)),
        suggestion=f.suggestion,
    )


def apply_plan(text: str, plan: Iterable[FixStep]) -> str:
    """Replay a fix plan on the original text. Raises ``ValueError`` when the plan does
    not fit the text (a step ends before it starts or outside the text, its ``old`` is not
    at its offsets, or steps overlap) and ``TypeError`` when ``text`` is not a ``str`` or
    ``plan`` does not hold :class:`~textforensics.results.FixStep` items."""
    require_str(text)
    if isinstance(plan, (str, bytes)):
        raise TypeError(f"plan must be an iterable of FixStep, not {type(plan).__name__}")
    steps = list(plan)
    for step in steps:
        if not isinstance(step, FixStep):
            raise TypeError(f"plan must hold FixStep items, not {type(step).__name__}")
    parts: list[str] = []
    pos = 0
    for step in sorted(steps, key=lambda s: (s.start, s.end)):
        if not (
            isinstance(step.start, int)
            and isinstance(step.end, int)
            and isinstance(step.old, str)
            and isinstance(step.new, str)
        ):
            raise ValueError(f"plan step {step.start!r}..{step.end!r} is malformed")
        if (
            step.start < pos
            or step.end < step.start
            or step.end > len(text)
            or text[step.start : step.end] != step.old
        ):
            raise ValueError(f"plan step {step.start}..{step.end} does not fit the text")
        parts.append(text[pos : step.start])
        parts.append(step.new)
        pos = step.end
    parts.append(text[pos:])
    return "".join(parts)
