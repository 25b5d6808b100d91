"""``textforensics strip``: boilerplate removal of one file, and the runs of removed
blocks that ``--explain`` and ``scan --boilerplate`` report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..text import LineIndex

if TYPE_CHECKING:  # (annotations only: `scan` imports this module and strips nothing)
    from ..results import StripResult, TextBlock

__all__ = ["ExplainedRun", "explain", "removed_runs", "strip_text"]


def removed_runs(blocks: Sequence[TextBlock]) -> list[list[TextBlock]]:
    """Consecutive removed blocks of the same kind, grouped (a comment section is one run)."""
    runs: list[list[TextBlock]] = []
    previous: TextBlock | None = None
    for block in blocks:
        if block.removed:
            if previous is not None and previous.removed and previous.kind == block.kind:
                runs[-1].append(block)
            else:
                runs.append([block])
        previous = block
    return runs


def strip_text(text: str) -> StripResult:
    """The boilerplate-free text of one file (the library's :func:`strip_boilerplate`)."""
    from ..boilerplate import strip_boilerplate  # lazy: numpy and the model

    return strip_boilerplate(text)


class ExplainedRun(NamedTuple):
    """A run of removed blocks with the lines it covers (1-based, inclusive)."""

    blocks: tuple[TextBlock, ...]
    line: int
    end_line: int


def explain(text: str, result: StripResult) -> list[ExplainedRun]:
    """The removed runs of ``result`` with their line ranges in ``text``."""
    index = LineIndex(text)
    runs = []
    for run in removed_runs(result.blocks):
        first, last = run[0], run[-1]
        line, _ = index.position(first.start)
        stop = last.end
        while stop > first.start + 1 and text[stop - 1].isspace():
            stop -= 1
        end_line, _ = index.position(stop - 1)
        runs.append(ExplainedRun(blocks=tuple(run), line=line, end_line=end_line))
    return runs
