"""strip_boilerplate: passes until nothing more goes, then the result.

Classification is repeated on the kept blocks until nothing more is removed, so that
stripping is idempotent: ``strip_boilerplate(r.text).text == r.text``. Each pass sees
exactly what a call on the kept text would see (the kept blocks, re-paragraphed, with
the language detected from them). The result's blocks and their reasons are made when
first read (:func:`textforensics.results.deferred`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import fields
from functools import cache, partial
from itertools import compress, repeat
from typing import Any

import numpy as np

from ..results import StripResult, TextBlock, deferred
from ..text import require_str
from .classifier import BlockClassifier, shipped_classifier
from .gate import leaves_whole
from .page import own_rows, page_language, read_page
from .phrases import LANGUAGES
from .rules import KEPT_REASON, KEPT_SCORE, classify_pass
from .site import BoilerplateModel

_MAX_PASSES = 12


def strip_boilerplate(
    text: str,
    *,
    model: BoilerplateModel | None = None,
    threshold: float | None = None,
    language: str | None = None,
    classifier: BlockClassifier | None = None,
) -> StripResult:
    """Split ``text`` into blocks and remove the boilerplate ones.

    ``model``: lines learned across a site's pages (:func:`learn_boilerplate`), removed as
    ``repeated``. ``threshold``: content-score cut-off of the block classifier (default
    from the shipped model; lower keeps more). ``language``: force the phrase language
    (default: detected from stop words; English phrases always apply). ``classifier``:
    the block classifier (default: the shipped one, :func:`shipped_classifier`).

    Returns a :class:`StripResult`; its ``blocks`` partition ``text``.
    """
    require_str(text)
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES} or None, not {language!r}")
    defaults = model is None and threshold is None and language is None and classifier is None
    if defaults and leaves_whole(text):
        return _whole(text)
    return _strip(text, model, threshold, language, classifier)


def _whole(text: str) -> StripResult:
    """The result for a text :func:`.gate.leaves_whole` passes: the text itself, nothing
    removed; its blocks and language from the full path, when first read (once for both)."""
    full = cache(partial(_strip, text, None, None, None, None))
    later = {
        "removed": tuple,
        "blocks": lambda: full().blocks,
        "language": lambda: full().language,
    }
    return deferred(StripResult, {"text": text}, later)


def _strip(
    text: str,
    model: BoilerplateModel | None,
    threshold: float | None,
    language: str | None,
    classifier: BlockClassifier | None,
) -> StripResult:
    """:func:`strip_boilerplate` by the full path (arguments checked)."""
    clf = shipped_classifier() if classifier is None else classifier
    thr = clf.threshold if threshold is None else threshold
    page = read_page(text)
    n = page.n
    forced = language
    keep_arr = np.ones(n, dtype=bool)
    scores = np.ones(n, dtype=np.float64)
    kinds = ["content"] * n
    messages = [""] * n
    by_score_removed = np.zeros(n, dtype=bool)
    kept_code = np.zeros(n, dtype=np.int8)
    model_counts = None
    if model is not None:
        model_counts = np.fromiter(
            (model.count(k) if k else 0 for k in page.keys), dtype=np.int64, count=n
        )
    active = np.arange(n)
    for _ in range(_MAX_PASSES):
        if len(active) == 0:
            break
        # Each pass sees exactly what strip_boilerplate(kept_text) would see: the kept
        # blocks, re-paragraphed, with the language detected from them.
        if forced is None:
            language = page_language(page, active)
        # (only the rows' weighted sums are kept: see own_rows)
        own = own_rows(page, language, clf.own)
        result = classify_pass(page, active, own, clf, thr, model, model_counts)
        scores[active] = result.scores
        kept_code[active] = result.kept_code
        if not result.removed and not len(result.low):
            break
        if result.removed:
            at = active[np.fromiter(result.removed, dtype=np.int64, count=len(result.removed))]
            keep_arr[at] = False
            for g, (kind, message) in zip(at.tolist(), result.removed.values(), strict=True):
                kinds[g] = kind
                messages[g] = message
        at = active[result.low]
        keep_arr[at] = False
        _put(kinds, at, result.low_kinds.tolist())
        by_score_removed[at] = True
        active = active[result.keep]
    starts, ends = page.starts, page.ends
    kept_text = "".join([text[starts[i] : ends[i]] for i in keep_arr.nonzero()[0].tolist()])
    # The blocks (with their reasons) are made when first asked for: a caller that wants
    # only the text does not pay for them (see results.deferred).
    later = partial(
        _block_results,
        starts,
        ends,
        page.line_numbers,
        kinds,
        messages,
        scores,
        by_score_removed,
        keep_arr,
        kept_code,
        thr,
    )
    return deferred(StripResult, {"text": kept_text, "language": language}, later)


def _block_results(
    starts: list[int],
    ends: list[int],
    lines: list[int],
    kinds: list[str],
    messages: list[str],
    scores: np.ndarray,
    by_score_removed: np.ndarray,
    keep_arr: np.ndarray,
    kept_code: np.ndarray,
    thr: float,
) -> dict[str, Any]:
    """The ``blocks`` and ``removed`` of a :class:`StripResult`: the reasons of the blocks
    kept or removed by score (``messages`` holds those of the others) and the blocks."""
    n = len(starts)
    messages = list(messages)  # the caller's list stays as it was
    low = by_score_removed.nonzero()[0]
    if len(low):  # their scores are those of the pass that removed them
        texts = _format_lines("block classifier: content score %.2f < ", thr, scores[low])
        _put(messages, low, texts)
    kept_at = keep_arr.nonzero()[0]
    codes = kept_code[kept_at]
    by_score = kept_at[codes == KEPT_SCORE]
    if len(by_score):
        texts = _format_lines("block classifier: content score %.2f >= ", thr, scores[by_score])
        _put(messages, by_score, texts)
    for i, code in zip(
        kept_at[codes != KEPT_SCORE].tolist(), codes[codes != KEPT_SCORE].tolist(), strict=True
    ):
        messages[i] = KEPT_REASON[code]
    labels = ["boilerplate"] * n
    _put(labels, kept_at, repeat("content"))
    blocks = _text_blocks(starts, ends, lines, kinds, messages, labels, _round4(scores))
    return {
        "blocks": tuple(blocks),
        "removed": tuple(compress(blocks, (~keep_arr).tolist())),
    }


def _round4(values: np.ndarray) -> list[float]:
    """``[round(v, 4) for v in values]`` for values in [0, 1]: ``round`` gives the double
    nearest the correctly rounded 4-decimal number ``k / 10**4``; ``k`` is ``rint(v * 1e4)``
    (whose error is far below 1e-9) unless ``v * 1e4`` is within 1e-6 of a tie, where
    ``round`` itself decides."""
    t = np.asarray(values, dtype=np.float64) * 1e4
    k = np.rint(t)
    out: list[float] = (k / 1e4).tolist()
    for i in (np.abs(t - np.floor(t) - 0.5) < 1e-6).nonzero()[0].tolist():
        out[i] = round(float(values[i]), 4)
    return out


def _format_lines(prefix: str, threshold: float, values: np.ndarray) -> list[str]:
    """``[prefix % v + f"{threshold:.2f}" for v in values]`` for a ``prefix`` with one
    ``%.2f`` and values in [0, 1]. ``"%.2f"`` prints the correctly rounded ``k / 100``;
    ``k`` is ``rint(v * 100)`` unless ``v * 100`` is within 1e-6 of a tie, formatted one
    by one."""
    lines = _score_lines(prefix, f"{threshold:.2f}")
    t = np.asarray(values, dtype=np.float64) * 100.0
    text = list(map(lines.__getitem__, np.rint(t).astype(np.int64).tolist()))
    for i in (np.abs(t - np.floor(t) - 0.5) < 1e-6).nonzero()[0].tolist():
        text[i] = prefix % float(values[i]) + f"{threshold:.2f}"
    return text


@cache
def _score_lines(prefix: str, suffix: str) -> tuple[str, ...]:
    """``prefix % (k / 100) + suffix`` for k from 0 to 100."""
    return tuple(prefix % (k / 100) + suffix for k in range(101))


def _put(target: list[Any], at: np.ndarray, values: Iterable[Any]) -> None:
    """``target[i] = v`` for the indices ``at`` and ``values`` in step."""
    deque(map(target.__setitem__, at.tolist(), values), maxlen=0)


_TEXT_BLOCK_FIELDS = (
    "start",
    "end",
    "line",
    "column",
    "kind",
    "severity",
    "message",
    "label",
    "score",
)


@cache
def _text_block_fields_match() -> bool:
    return tuple(f.name for f in fields(TextBlock)) == _TEXT_BLOCK_FIELDS


def _text_blocks(
    starts: list[int],
    ends: list[int],
    lines: list[int],
    kinds: list[str],
    messages: list[str],
    labels: list[str],
    scores: list[float],
) -> list[TextBlock]:
    """The TextBlocks (column 1, severity info) of a result. Many per call, so they are
    filled through their slots, bypassing the frozen dataclass's ``__init__`` (a large
    share of the cost of a result), when TextBlock has exactly these fields; else
    constructed."""
    if not _text_block_fields_match():
        return [
            TextBlock(
                start=s,
                end=e,
                line=ln,
                column=1,
                kind=k,
                severity="info",
                message=m,
                label=lab,
                score=sc,
            )
            for s, e, ln, k, m, lab, sc in zip(
                starts, ends, lines, kinds, messages, labels, scores, strict=True
            )
        ]
    cls = TextBlock
    out = list(map(object.__new__, repeat(cls, len(starts))))
    columns: tuple[Iterable[Any], ...] = (
        starts,
        ends,
        lines,
        repeat(1),
        kinds,
        repeat("info"),
        messages,
        labels,
        scores,
    )
    for name, values in zip(_TEXT_BLOCK_FIELDS, columns, strict=True):
        deque(map(getattr(cls, name).__set__, out, values), maxlen=0)  # set all, keep none
    return out
