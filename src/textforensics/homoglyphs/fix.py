"""Fixing: :func:`fix_homoglyphs` replaces look-alikes with the characters they imitate and
drops hidden and bidi controls, as a plan of one-character steps on the original text that
:func:`apply_plan` replays (also after a JSON round trip)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from ..results import FixResult, FixStep, HomoglyphFinding
from ..text import require_str
from ..vocab import FIXABLE_KINDS
from .hidden import is_variation_selector
from .scan import find_homoglyphs

__all__ = ["apply_plan", "fix_homoglyphs", "fix_round"]


def fix_round(text: str) -> tuple[list[HomoglyphFinding], dict[int, FixStep]]:
    """One round of fixing: the fixable findings of ``text`` and a step per offset they
    flag (first finding wins), plus the removal of variation selectors a replacement
    leaves stray."""
    findings = [f for f in find_homoglyphs(text) if f.kind in FIXABLE_KINDS]
    steps: dict[int, FixStep] = {}
    for f in findings:
        for c in f.chars:
            if c.looks_like is None or c.offset in steps:
                continue
            steps[c.offset] = FixStep(
                start=c.offset,
                end=c.offset + 1,
                old=c.char,
                new=c.looks_like,
                kind=f.kind,
                code=f.code,
            )
            # A variation selector that followed the replaced character selected a form of
            # it; after the replacement it would be stray.
            j = c.offset + 1
            while j < f.end and is_variation_selector(ord(text[j])) and c.looks_like:
                steps.setdefault(
                    j,
                    FixStep(start=j, end=j + 1, old=text[j], new="", kind=f.kind, code=f.code),
                )
                j += 1
    return findings, steps


_MAX_FIX_ROUNDS = 4


def fix_homoglyphs(text: str) -> FixResult:
    """Replace look-alikes with the characters they imitate and drop hidden and bidi
    control characters, changing only characters a finding flagged.

    Returns the fixed text, the replayable plan (``apply_plan(text, result.plan)``, every
    step replaces one character of the original) and the findings fixed. A replacement
    can expose another disguise (a variation selector left stray, a word whose script
    changed); the fix then repeats on its own output, a few rounds at most, and the plan
    still refers to the original text. ``mixed_script`` and ``mixed_numbers`` findings have
    no safe automatic fix and are left alone.
    """
    require_str(text)
    findings, steps = fix_round(text)
    plan = tuple(steps[k] for k in sorted(steps))
    fixed = apply_plan(text, plan)
    if not plan:
        return FixResult(text=fixed, plan=plan, findings=tuple(findings))
    all_findings = list(findings)
    # origin[k]: the original index the k-th character of the current text comes from
    # (a typed array: 8 bytes per character, not an int object each).
    origin = array("q")
    pos = 0
    for step in plan:
        origin.extend(range(pos, step.start))
        origin.extend([step.start] * len(step.new))
        pos = step.end
    origin.extend(range(pos, len(text)))
    kinds = {step.start: (step.kind, step.code) for step in plan}
    for _ in range(_MAX_FIX_ROUNDS - 1):
        more, more_steps = fix_round(fixed)
        if not more_steps:
            break
        for f in more:
            start, end = origin[f.start], origin[f.end - 1] + 1
            all_findings.append(
                HomoglyphFinding(
                    start=start,
                    end=end,
                    line=f.line,
                    column=f.column,
                    kind=f.kind,
                    severity=f.severity,
                    message=f.message,
                    code=f.code,
                    word=text[start:end],
                    chars=f.chars,
                    suggestion=f.suggestion,
                )
            )
        pieces: list[str] = []
        new_origin = array("q")
        for k, ch in enumerate(fixed):
            later = more_steps.get(k)
            replacement = ch if later is None else later.new
            pieces.append(replacement)
            new_origin.extend([origin[k]] * len(replacement))
            if later is not None:
                kinds.setdefault(origin[k], (later.kind, later.code))
        fixed, origin = "".join(pieces), new_origin
    # The composed plan: each original character becomes what its descendants spell.
    produced: dict[int, list[str]] = {}
    for k, i in enumerate(origin):
        if i in kinds:  # only the characters a step touched
            produced.setdefault(i, []).append(fixed[k])
    composed = []
    for i in sorted(kinds):
        new = "".join(produced.get(i, ()))
        if new != text[i]:
            kind, code = kinds[i]
            composed.append(FixStep(start=i, end=i + 1, old=text[i], new=new, kind=kind, code=code))
    plan = tuple(composed)
    return FixResult(text=apply_plan(text, plan), plan=plan, findings=tuple(all_findings))


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
