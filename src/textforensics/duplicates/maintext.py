"""Stage 0: the text that is compared. Its main text, once the boilerplate stripper has
removed navigation, comments and the like (the whole text when it would remove
everything), and the removed spans of the original.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Spans", "boilerplate_stripper", "cut", "main_text", "main_texts"]

Spans = list[tuple[int, int]]


def boilerplate_stripper() -> Callable[[str], Any]:
    """The public :func:`textforensics.strip_boilerplate`, looked up at call time: the
    package's ``__init__`` imports this package first, and the detector must not depend
    on the stripper's modules."""
    from .. import strip_boilerplate

    return strip_boilerplate


def main_text(
    text: str, strip: bool, *, need_flag: bool = True, need_spans: bool = True
) -> tuple[str, Spans, bool]:
    """Text to compare, the removed spans of the original, and whether stripping ran.

    Without ``need_flag`` (the batch stages, which use only the text and spans), a text
    of one line is returned as it is without running the stripper: its one block is
    either kept or, removed, leaves nothing, when the whole text is compared anyway.
    Without ``need_spans`` (callers that use only the text) the spans are ``[]``: the
    stripper's result makes its blocks only when they are read, one object per block
    of the page (about as much memory again as the stripper's own peak on a large page,
    held while the caller goes on to hash the text)."""
    if not need_flag and "\n" not in text and "\r" not in text:
        return text, [], False
    if not strip:
        return text, [], False
    result = boilerplate_stripper()(text)
    main = str(result.text)
    if _not_blank(text) and not _not_blank(main):
        # Everything looked like boilerplate (a bare list, a one-line snippet): comparing
        # empty main texts would call any two such documents identical, so compare the
        # whole text instead.
        return text, [], False
    if not need_spans:
        return main, [], True
    removed = [(int(r.start), int(r.end)) for r in getattr(result, "removed", ())]
    return main, removed, True


def _not_blank(text: str) -> bool:
    """``bool(text.strip())`` without the copy ``strip`` makes of a large text: both
    ``str.strip`` and ``str.isspace`` go by the same whitespace test."""
    return bool(text) and not text.isspace()


def main_texts(texts: Sequence[str], *, strip: bool = True) -> list[str]:
    """Stage 0: the text of each document that is compared: its main text when ``strip``
    and the boilerplate stripper finds some (the whole text when it would remove
    everything), else the text itself."""
    return [main_text(t, strip, need_flag=False, need_spans=False)[0] for t in texts]


def cut(text: str, removed: Spans) -> str:
    """``text`` without the (sorted, disjoint) ``removed`` spans: the main text that
    :func:`main_text` returned with them."""
    if not removed:
        return text
    pieces = []
    pos = 0
    for start, end in removed:
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)
