"""Result types of the boilerplate stripper (:func:`~textforensics.strip_boilerplate`).

Also exported by :mod:`textforensics.results`, which imports this module when one of
these names is first read: a run that strips nothing does not create these classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .results import Deferred, Finding, defer_fields

__all__ = ["StripResult", "TextBlock"]


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
class StripResult(Deferred):
    """What :func:`textforensics.strip_boilerplate` returns.

    ``text`` is the main text: the kept blocks, in order, characters unchanged.
    ``removed`` are the removed blocks (``.start``, ``.end`` into the input, ``.kind``).
    ``blocks`` are all blocks, kept and removed, covering the input exactly.
    ``language`` is the detected language code of the phrase data used (or ``None``).

    :func:`~textforensics.strip_boilerplate` makes ``removed`` and ``blocks`` when one of
    them is first read, so that a caller who wants only ``text`` does not pay for a
    :class:`TextBlock` per line (and ``language`` as well for a text its cheap gate
    passes); the result is the same either way.
    """

    text: str
    removed: tuple[TextBlock, ...]
    blocks: tuple[TextBlock, ...]
    language: str | None


defer_fields(StripResult, ("removed", "blocks", "language"))
