"""Candidate search, the hot path of :func:`find_homoglyphs`: the expensive per-word
analysis (:mod:`.hidden`, :mod:`.rules`) runs only on words this module picks, and picking
them stays in C (``str.isascii``, ``str.translate`` over per-code-point tables, one
compiled regex for long texts, numpy gathers) rather than a Python loop over characters.

1. ASCII-only text has no findings.
2. Runs of characters outside the benign class (:func:`.data.benign_ranges`) are found; in
   mostly-English text they are rare and each word holding one is analysed directly.
3. When they are dense (text in other scripts), the text goes through the per-dominant-
   script table (:func:`.data.lut`) in chunks: script changes inside a word, digit-set
   changes inside a number, hidden characters not legitimised by their neighbours and
   whole words of look-alikes are located with vectorised operations.

Everything here works on per-call arrays and lists; the tables it reads are read-only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, MutableSequence
from typing import TYPE_CHECKING, Any

from ..results import HomoglyphFinding, Severity, severity_rank
from ..text import require_str
from ..vocab import HOMOGLYPH_KINDS, SEVERITIES
from .context import Context
from .data import (
    B_ALWAYS,
    B_CONF,
    B_DIGIT,
    B_EMOJI,
    B_GENUINE,
    B_JOIN,
    B_VSBASE,
    B_WORD,
    FAST_SLOW,
    WORD_MARKS,
    benign_bmp,
    benign_class,
    certainly_clean,
    codepoints,
    conf_bits,
    lut,
    suspect_re,
    tables,
)
from .hidden import ZWJ, ZWNJ, analyze_hidden
from .many import NO_FINDINGS, ONE_WORD, batch_findings
from .marks import MARK_RANGES, analyze_marks
from .rules import analyze_digits, analyze_scripts, whole_script

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "add_words",
    "candidates",
    "clean_short",
    "clean_short_reference",
    "dense_chunks",
    "dominant_group",
    "find_homoglyphs",
    "find_homoglyphs_many",
    "one_word_candidates",
    "run_limit",
    "scan",
    "scan_arrays",
    "short_needs",
    "suspect_runs",
    "suspect_runs_regex",
    "whole_script_candidate",
    "word_at",
    "word_at_reference",
]


def suspect_runs(text: str, limit: int) -> list[tuple[int, int]]:
    """Runs of non-benign characters, at most ``limit + 1`` of them (more means dense).

    Long texts without supplementary-plane characters are scanned as UTF-16 code units
    with numpy (a few milliseconds per million characters), other long texts with the
    compiled regex, and short ones with :func:`.data.benign_class` (neither numpy nor
    ``regex`` is imported for them).
    """
    if len(text) >= 4096:
        import numpy as np  # lazy: short texts (a one-shot command line run) never need it

        units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), np.uint16)
        if len(units) == len(text):  # one code unit per character: offsets agree
            # Block by block, so that a dense text (more runs than the limit) stops early.
            benign = benign_bmp()
            runs: list[tuple[int, int]] = []
            for lo in range(0, len(units), _RUN_BLOCK):
                block = units[lo : lo + _RUN_BLOCK]
                non_ascii = np.flatnonzero(block >= 0x80)
                suspect = non_ascii[~benign[block[non_ascii]]]
                if not len(suspect):
                    continue
                suspect += lo
                breaks = np.flatnonzero(np.diff(suspect) != 1) + 1
                starts = suspect[np.concatenate(([0], breaks))][: limit + 2].tolist()
                ends = suspect[np.concatenate((breaks - 1, [len(suspect) - 1]))][: limit + 2]
                found = list(zip(starts, (ends + 1).tolist(), strict=True))
                if runs and runs[-1][1] == found[0][0]:  # a run across the block edge
                    runs[-1] = (runs[-1][0], found.pop(0)[1])
                runs.extend(found)
                if len(runs) > limit:
                    return runs[: limit + 1]
            return runs
        return suspect_runs_regex(text, limit)
    marks = text.translate(benign_class())
    runs = []
    start = marks.find("\0")
    while start >= 0:
        stop = marks.find("\1", start)
        stop = len(marks) if stop < 0 else stop
        runs.append((start, stop))
        if len(runs) > limit:
            break
        start = marks.find("\0", stop)
    return runs


_RUN_BLOCK = 1 << 16


def suspect_runs_regex(text: str, limit: int) -> list[tuple[int, int]]:
    """:func:`suspect_runs` with the compiled regex (any text; the reference for tests)."""
    runs: list[tuple[int, int]] = []
    for m in suspect_re().finditer(text):
        runs.append(m.span())
        if len(runs) > limit:
            break
    return runs


_CONTEXT = 80  # genuine foreign letters this close legitimise an all-look-alike word
_SAMPLE = 1 << 17
_CHUNK = 1 << 20
_SHORT = 256  # texts this short skip numpy in the screens


class _Maps:
    """Per-code-point tables for ``str.translate``: indexing a ``bytes`` table gives a
    small int, the ordinal of the character it becomes, so a short text is classified in
    C without creating one object per character (iterating over a non-Latin-1 string
    allocates a string per character)."""

    def __init__(self) -> None:
        t = tables()
        self.fast = t.fast
        self.group = t.group_b
        self.dset = t.dset
        self.ignorable = t.ignorable


_MAPS: _Maps | None = None
_MAPS_LOCK = threading.Lock()
_SLOW_CH = chr(FAST_SLOW)


def _maps() -> _Maps:
    global _MAPS
    maps = _MAPS
    if maps is None:
        with _MAPS_LOCK:
            if _MAPS is None:
                _MAPS = _Maps()  # published whole; read-only afterwards
            maps = _MAPS
    return maps


def dominant_group(text: str) -> int:
    """The script group with most letters in an evenly spaced sample of ``text``."""
    if len(text) <= _SHORT:  # numpy's set-up costs more than counting a name's letters
        classes = text.translate((_MAPS or _maps()).group).replace("\0", "")
        if not classes:
            return 0
        # Most letters wins; a tie goes to the lowest group number. A name has letters
        # of one or two groups (a disguised one: two), counted without building a set.
        first = classes[0]
        others = classes.replace(first, "")
        if not others:
            return ord(first)
        second = others[0]
        if not others.strip(second):
            n_first, n_second = len(classes) - len(others), len(others)
            if n_first != n_second:
                return ord(first if n_first > n_second else second)
            return min(ord(first), ord(second))
        return ord(max(sorted(set(classes)), key=classes.count))
    import numpy as np  # lazy: see suspect_runs

    step = max(1, len(text) // _SAMPLE)
    groups = tables().group[codepoints(text[::step])]
    counts = np.bincount(groups, minlength=256)
    counts[0] = 0
    best = int(counts.argmax())
    return best if counts[best] else 0


def scan(text: str, lo: int, hi: int, dominant: int, words: list[int], whole: set[int]) -> None:
    """Vectorised candidate search in ``text[lo:hi]``: appends absolute offsets of
    characters whose word needs a closer look to ``words``, and the start offsets of
    whole-script candidate words to ``whole``."""
    positions, starts = scan_arrays(text, lo, hi, dominant)
    for part in positions:
        words.extend(part.tolist())
    whole.update(starts.tolist())


def scan_arrays(
    text: str, lo: int, hi: int, dominant: int
) -> tuple[list[npt.NDArray[np.int64]], npt.NDArray[np.int64]]:
    """:func:`scan` as arrays: the offsets of characters whose word needs a closer look
    (a few arrays, each sorted, possibly overlapping) and the start offsets of
    whole-script candidate words (sorted), all absolute."""
    import numpy as np  # lazy: see suspect_runs

    words: list[npt.NDArray[np.int64]] = []
    none = np.zeros(0, np.int64)
    cps = codepoints(text[lo:hi])
    n = len(cps)
    if n == 0:
        return words, none
    info = lut(dominant)[cps]

    # Hidden characters, minus joiners and variation selectors legitimised by neighbours.
    hidden = np.flatnonzero((info & B_ALWAYS) != 0)
    if len(hidden):
        hcp = cps[hidden]
        prev = np.where(hidden > 0, info[np.maximum(hidden - 1, 0)], 0)
        nxt = np.where(hidden + 1 < n, info[np.minimum(hidden + 1, n - 1)], 0)
        prev_cp = np.where(hidden > 0, cps[np.maximum(hidden - 1, 0)], 0)
        prev_join = (prev & B_JOIN) != 0
        joiner_ok = prev_join & ((nxt & B_JOIN) != 0)
        emoji_ok = (((prev & B_EMOJI) != 0) | (prev_cp == 0xFE0F)) & ((nxt & B_EMOJI) != 0)
        vs = ((hcp >= 0xFE00) & (hcp <= 0xFE0F)) | ((hcp >= 0xE0100) & (hcp <= 0xE01EF))
        legit = ((hcp == ZWNJ) & joiner_ok) | ((hcp == ZWJ) & (emoji_ok | prev_join))
        legit |= vs & ((prev & B_VSBASE) != 0)
        words.append(hidden[~legit] + lo)

    # Combining marks on ASCII letters (an inserted accent or overlay).
    on_mark = np.zeros(n, np.bool_)
    for a, b in MARK_RANGES:
        on_mark |= (cps >= a) & (cps <= b)
    marks = np.flatnonzero(on_mark[1:]) + 1
    if len(marks):
        words.append(marks[cps[marks - 1] < 0x80] + lo)

    # Script changes between adjacent letters.
    grp = (info & 0xFF).astype(np.uint8)
    g0, g1 = grp[:-1], grp[1:]
    change = np.flatnonzero((g0 != g1) & (g0 != 0) & (g1 != 0))
    if len(change):
        bad = ~tables().pair_ok[g0[change], g1[change]]
        words.append(change[bad] + lo)

    # Digit-set changes inside a number.
    digits = np.flatnonzero((info & B_DIGIT) != 0)
    if len(digits) > 1:
        dcp = cps[digits]
        if (dcp > 0x7F).any():
            ds = np.frombuffer(tables().dset, np.uint8)[dcp]
            k = np.flatnonzero((digits[1:] == digits[:-1] + 1) & (ds[1:] != ds[:-1]))
            words.append(digits[k] + lo)

    # Whole-script look-alikes: whole words of a foreign script (not Latin, which is
    # everyday code-mixing) made only of look-alikes of the dominant script, with no
    # genuine letter of a foreign script within _CONTEXT characters.
    conf = np.flatnonzero((info & B_CONF) != 0)
    if len(conf) < 2:
        return words, none
    breaks = np.flatnonzero(np.diff(conf) != 1) + 1
    first = np.concatenate(([0], breaks))
    last = np.concatenate((breaks, [len(conf)])) - 1
    keep = last > first  # at least two letters
    starts, ends = conf[first[keep]], conf[last[keep]] + 1
    if not len(starts):
        return words, none
    before = np.where(starts > 0, info[np.maximum(starts - 1, 0)], 0)
    after = np.where(ends < n, info[np.minimum(ends, n - 1)], 0)
    keep = ((before & B_WORD) == 0) & ((after & B_WORD) == 0)
    starts, ends = starts[keep], ends[keep]
    if not len(starts):
        return words, none
    genuine = np.flatnonzero((info & B_GENUINE) != 0)
    if len(genuine):
        i = np.searchsorted(genuine, starts)
        prev_g = np.where(i > 0, genuine[np.maximum(i - 1, 0)], -(10**9))
        next_g = np.where(i < len(genuine), genuine[np.minimum(i, len(genuine) - 1)], 10**12)
        keep = (starts - prev_g > _CONTEXT) & (next_g - ends >= _CONTEXT)
        starts = starts[keep]
    return words, (starts + lo).astype(np.int64, copy=False)


def word_at(text: str, i: int) -> tuple[int, int]:
    """The word around offset ``i`` (a run of :data:`~textforensics.text.WORD_RE`
    characters). A symbol that looks like a letter (``×`` for ``x``) glued between two
    words joins them: "secu×ity" is one disguised word."""
    flags = tables().flags_b
    # Backwards from i in a growing window: looking from the text's start would cost
    # time proportional to the offset.
    window = 64
    while True:
        lo = max(0, i - window)
        k = text[lo:i].translate(flags).translate(WORD_MARKS).rfind("\0")
        if k >= 0 or lo == 0:
            start = lo + k + 1  # 0 when the text up to i is all word characters
            break
        window *= 4
    end = _word_end(text, i, flags)
    if end > i:
        return start, end
    if 0 < i < len(text) - 1 and tables().looks_letter[ord(text[i])]:
        after = _word_end(text, i + 1, flags)
        if start < i and after > i + 1:
            return start, after
    return start, i


def _word_end(text: str, i: int, flags: bytes) -> int:
    """The end of the run of word characters starting at ``i`` (``i`` when there is none)."""
    window = 64
    lo = i
    while True:
        hi = min(len(text), lo + window)
        k = text[lo:hi].translate(flags).translate(WORD_MARKS).find("\0")
        if k >= 0:
            return lo + k
        if hi == len(text):
            return hi
        lo, window = hi, window * 4


def word_at_reference(text: str, i: int) -> tuple[int, int]:
    """:func:`word_at` with ``regex`` patterns (the reference for tests)."""
    import regex

    from ..text import WORD_RE

    before = regex.compile(WORD_RE.pattern, regex.REVERSE).match(text, 0, i)
    start = before.start() if before else i
    m = WORD_RE.match(text, i)
    if m:
        return start, m.end()
    if 0 < i < len(text) - 1 and tables().looks_letter[ord(text[i])]:
        after = WORD_RE.match(text, i + 1)
        if start < i and after:
            return start, after.end()
    return start, i


def is_word(text: str) -> bool:
    """Whether ``text`` is one word: non-empty, all word characters (a
    :data:`~textforensics.text.WORD_RE` full match)."""
    return bool(text) and "\0" not in text.translate(tables().flags_b).translate(WORD_MARKS)


def run_limit(n: int) -> int:
    """Suspect runs a text of ``n`` characters may hold and still go the sparse way."""
    return 32 + n // 20000


def dense_chunks(text: str) -> Iterator[tuple[int, int]]:
    """The ``(lo, hi)`` pieces a dense text is scanned in (:func:`scan`): about
    ``_CHUNK`` characters each, cut after a line break."""
    n = len(text)
    lo = 0
    while lo < n:
        hi = text.find("\n", lo + _CHUNK)
        hi = n if hi < 0 else hi + 1
        yield lo, hi
        lo = hi


def candidates(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """Candidate word spans, whole-script candidate spans and the dominant script group."""
    limit = run_limit(len(text))
    runs = suspect_runs(text, limit)
    dense = len(runs) > limit
    if not runs:
        return [], [], 0
    dominant = dominant_group(text)
    positions: list[int] = []
    whole: set[int] = set()
    if dense:
        for lo, hi in dense_chunks(text):
            scan(text, lo, hi, dominant, positions, whole)
        positions.sort()
    else:
        # Few hits: every word holding one gets the full analysis directly (and every
        # glued look-alike symbol inside a run, whose word reaches past the run).
        looks_letter = tables().looks_letter
        positions = []
        for i, j in runs:
            positions.append(i)
            positions.extend(k for k in range(i + 1, j) if looks_letter[ord(text[k])])
        for i, _ in runs:
            start, end = word_at(text, i)
            if end - start >= 2 and whole_script_candidate(text, start, end, dominant):
                whole.add(start)
    starts: list[int] = []
    ends: list[int] = []
    add_words(text, positions, starts, ends, -1)
    words = list(zip(starts, ends, strict=True))
    return words, [word_at(text, start) for start in sorted(whole)], dominant


def add_words(
    text: str,
    positions: Iterable[int],
    starts: MutableSequence[int],
    ends: MutableSequence[int],
    last_end: int,
) -> int:
    """Append to ``starts``/``ends`` the spans of the words holding the sorted candidate
    ``positions``, each word once, after a last word ending at ``last_end`` (-1 for
    none); return the end of the last word. A word that starts inside the previous one
    (a glued look-alike joined the two) replaces it, extended."""
    for i in positions:
        if i < last_end:
            continue
        start, end = word_at(text, i)
        if end <= start:
            continue
        if start < last_end:  # a glued look-alike joined this word to the previous one
            start = starts.pop()
            ends.pop()
        starts.append(start)
        ends.append(end)
        last_end = end
    return last_end


def whole_script_candidate(text: str, start: int, end: int, dominant: int) -> bool:
    """The Python twin of the whole-script test in :func:`scan`, for sparse hits."""
    if not dominant:
        return False
    for i in range(start, end):
        if not conf_bits(dominant, ord(text[i])) & B_CONF:
            return False
    lo, hi = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    return not any(conf_bits(dominant, ord(text[i])) & B_GENUINE for i in range(lo, hi))


# --- public API ---------------------------------------------------------------------------


def _wanted(kinds: Iterable[str] | None, min_severity: Severity) -> frozenset[str]:
    if isinstance(kinds, str):
        raise TypeError("kinds must be an iterable of kind names, not str")
    if not isinstance(min_severity, str) or min_severity not in SEVERITIES:
        raise ValueError(f"min_severity must be one of {SEVERITIES}, not {min_severity!r}")
    if kinds is None:
        return _ALL_KINDS
    wanted = frozenset(kinds)
    unknown = wanted - _ALL_KINDS
    if unknown:
        raise ValueError(f"unknown kinds: {sorted(unknown, key=repr)}")
    return wanted


_ALL_KINDS = frozenset(HOMOGLYPH_KINDS)


def find_homoglyphs_many(
    texts: Iterable[str],
    *,
    kinds: Iterable[str] | None = None,
    min_severity: Severity = "info",
) -> list[list[HomoglyphFinding]]:
    """:func:`find_homoglyphs` of each text, in order: one list of findings per text.

    For many short strings (user names, slugs, package names): the arguments are checked
    once, and all the texts are screened together with one table lookup over all their
    characters (an ASCII-only text always passes). The one-word names the screen cannot
    clear are decided together, with numpy passes over all their characters; only the
    other texts get the full analysis one by one (:func:`.many.batch_findings`). The texts
    without a finding share one empty list, :data:`.many.NO_FINDINGS`, which is read-only.
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"texts must be an iterable of str, not {type(texts).__name__}")
    wanted = _wanted(kinds, min_severity)
    floor = severity_rank(min_severity)
    items = texts if isinstance(texts, list) else list(texts)
    # The screen joins the texts, which checks their type in C: an item that is not a
    # str raises TypeError there.
    try:
        out, found_at, rest = batch_findings(items)
    except TypeError:
        for i, text in enumerate(items):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] must be str, not {type(text).__name__}") from None
        raise
    if floor or wanted is not _ALL_KINDS:
        for i in found_at:
            found = [f for f in out[i] if f.kind in wanted and severity_rank(f.severity) >= floor]
            out[i] = found or NO_FINDINGS
    shared: dict[tuple[str, str, bool], Any] = {}  # script decisions, for this call only
    for i in rest:
        out[i] = _find(items[i], wanted, floor, screened=True, shared=shared) or NO_FINDINGS
    return out


def find_homoglyphs(
    text: str,
    *,
    kinds: Iterable[str] | None = None,
    min_severity: Severity = "info",
) -> list[HomoglyphFinding]:
    """Find look-alike, mixed-script and hidden characters in ``text`` (UTS #39).

    Returns findings sorted by offset, at most one per word and kind. ``kinds`` restricts
    the kinds reported (see :data:`~textforensics.vocab.HOMOGLYPH_KINDS`);
    ``min_severity`` drops lighter findings.
    Never raises on any ``str`` (lone surrogates included).
    """
    if text.__class__ is not str:  # the exact type needs no isinstance call
        require_str(text)
    if text.isascii():
        if kinds is not None or min_severity != "info":
            _wanted(kinds, min_severity)  # arguments are checked whatever the text
        return []
    if kinds is None and min_severity == "info":
        if len(text) > _SHORT:
            return _find(text, _ALL_KINDS, 0)
        # clean_short(text), written out: most non-ASCII names end here, and a call
        # costs a fifth of their check.
        classes = text.translate((_MAPS or _maps()).fast).replace("\0", "")
        if not classes or (classes[0] != _SLOW_CH and not classes.strip(classes[0])):
            return []
        return _find(text, _ALL_KINDS, 0, screened=True)
    return _find(text, _wanted(kinds, min_severity), severity_rank(min_severity))


clean_short = certainly_clean
"""Whether a short text certainly has no finding (:func:`.data.certainly_clean`: its
letters are of one script group and none of its characters needs the full analysis;
most names and slugs)."""


def clean_short_reference(text: str, fast: bytes) -> bool:
    """:func:`clean_short`, one character at a time (the reference for tests)."""
    group = 0
    for ch in set(text):
        c = fast[ord(ch)]
        if c:
            if c == FAST_SLOW or (group and c != group):
                return False
            group = c
    return True


def _find(
    text: str,
    wanted: frozenset[str],
    floor: int,
    *,
    screened: bool = False,
    shared: dict[tuple[str, str, bool], Any] | None = None,
) -> list[HomoglyphFinding]:
    """The findings of ``text``; ``screened``: :func:`screen` has already found that it
    is not a clean short text; ``shared``: the script decisions of a batch
    (:attr:`.context.Context.shared`)."""
    hidden = digits = True
    if len(text) <= _SHORT:
        if not screened and clean_short(text):
            return []
        hidden, digits = short_needs(text)
    t = tables()
    if len(text) <= ONE_WORD and is_word(text):
        words, whole, dominant = one_word_candidates(text)
    else:
        words, whole, dominant = candidates(text)
    if not words and not whole:
        return []
    name = t.scripts[dominant] if dominant else "Latn"
    ctx = Context(
        text=text, dominant=name, cjk_document=name == "Hani", has_cr="\r" in text, shared=shared
    )
    found: list[HomoglyphFinding] = []
    for s, e in words:
        if hidden:
            analyze_hidden(ctx, s, e, found)
        analyze_scripts(ctx, s, e, found)
        if digits:
            analyze_digits(ctx, s, e, found)
        analyze_marks(ctx, s, e, found)
    for s, e in whole:
        whole_script(ctx, s, e, found)
    if len(found) == 1:  # the usual case of a flagged name
        if floor == 0 and wanted is _ALL_KINDS:
            return found
        f = found[0]
        return [f] if f.kind in wanted and severity_rank(f.severity) >= floor else []
    result = [f for f in found if f.kind in wanted and severity_rank(f.severity) >= floor]
    result.sort(key=lambda f: (f.start, f.end, HOMOGLYPH_KINDS.index(f.kind)))
    return result


def short_needs(text: str) -> tuple[bool, bool]:
    """Whether a short text may hold an ``invisible``/``bidi`` finding (it has a
    default-ignorable character) and a ``mixed_numbers`` one (digits of two sets); the
    analyses that cannot find anything are skipped."""
    maps = _MAPS or _maps()
    sets = text.translate(maps.dset).replace("\0", "")
    return "\1" in text.translate(maps.ignorable), bool(sets) and bool(sets.strip(sets[0]))


def one_word_candidates(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """:func:`candidates` of a text of at most 64 characters that is one word (a
    :data:`~textforensics.text.WORD_RE` match): the word itself, if it has a suspect
    character, and as a whole-script candidate when it is one."""
    if "\0" not in text.translate(benign_class()):
        return [], [], 0
    dominant = dominant_group(text)
    span = (0, len(text))
    whole = len(text) >= 2 and whole_script_candidate(text, 0, len(text), dominant)
    return [span], [span] if whole else [], dominant
