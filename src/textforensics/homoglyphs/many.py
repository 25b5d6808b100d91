"""What a :func:`~textforensics.homoglyphs.find_homoglyphs_many` batch settles without the
full analysis (:func:`batch_findings`): the screen of every text, and the flagged one-word
names decided together.

The screen reads the code points of a part of the batch at once (the texts joined by NUL)
and clears each text that :func:`.data.certainly_clean` clears; a cleared text gets
:data:`NO_FINDINGS`, one shared, read-only empty list, so a clean text costs the batch no
Python object of its own (a list per text was a third of a batch's time, and the
garbage collector's passes over them more).

The flagged one-word names are decided together: what :func:`.scan.find_homoglyphs` does
to one short one-word name, as numpy passes over the code points of all of them at once.

A name the batch's screen cannot clear is usually one word of letters (a user name, a
slug). On such a name the full analysis reduces to the script decision
(:func:`.rules.script_decision`): with no default-ignorable character there is no
``invisible``/``bidi`` finding, with digits of at most one set no ``mixed_numbers``, with
no combining mark no ``combining_mark``, and a whole-script candidate needs every letter
to belong to a group other than the dominant one, which the dominant group of the word
itself never allows. So here, per batch:

1. the names are joined and their code points gathered in per-code-point tables: which
   names are such one-word names, their dominant script group (letters counted per name
   and group with one ``bincount``), whether they hold a suspect character at all;
2. each distinct character's properties (:func:`.rules.letter_info`, cached) become
   small arrays, script sets become bit masks, and the decision's steps run over all the
   names' letters at once: the letters that count, whether the word has a real letter,
   the intersection of the letters' script sets (``bitwise_and.reduceat``), the letters
   per script group, the base script and the odd letters of a word of several scripts;
3. the odd letters' look-alikes are looked up once per distinct (character, base script)
   pair, and the verdict of :func:`.rules.decide` is taken over all the words at once;
   per word, Python is left with the finding, whose explanation is built when read from
   the decision the one-call path makes (memoised). Only the words whose letters are all
   of one script and hold a fixed disguise (rare) get :func:`.rules.script_decision`
   itself.

Everything here works on per-call arrays; the tables and caches it reads are read-only or
thread-safe, and :data:`NO_FINDINGS` cannot change. ``tests/test_homoglyphs_fastpaths.py``
and ``tests/test_homoglyphs_many.py`` check the result against
:func:`.scan.find_homoglyphs`, one call each.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any, NoReturn

from ..results import HomoglyphFinding, Severity
from .context import make_lazy_word_finding
from .data import F_WORD, FAST_SLOW, benign_class, codepoints, lookalike, tables
from .marks import is_mark
from .rules import (
    greek_symbols,
    letter_info,
    moderately_restrictive,
    script_decision,
    script_fields,
    signature,
    word_finding,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "NO_FINDINGS",
    "ONE_WORD",
    "PART",
    "SCREENED",
    "batch_findings",
    "decide_names",
    "screen_texts",
]

ONE_WORD = 64
"""The longest name decided here, and the longest text :func:`.scan.one_word_candidates`
takes: a text of one word this short has at most 32 runs of suspect characters, so
:func:`.scan.candidates` would take its sparse path, whose spans are all the whole text."""

_ALL = (1 << 64) - 1

PART = 16384
"""Texts screened at once, and names decided at once."""
SCREENED = 256
"""The longest text the screen reads: a longer one gets the full analysis, which finds
what the screen would clear (so the code points read stay a few MB)."""


def _refuse(*args: object) -> NoReturn:
    raise TypeError("the empty findings of a cleared text are shared and read-only")


_READ_ONLY: Any = _refuse


class _NoFindings(list[HomoglyphFinding]):
    """An empty list that refuses to grow (sorting, reversing or emptying it is allowed:
    they leave it as it is)."""

    __slots__ = ()
    append = extend = insert = __setitem__ = __iadd__ = _READ_ONLY


NO_FINDINGS: list[HomoglyphFinding] = _NoFindings()
"""The result of every text of a batch without a finding: one empty list, shared by them
all and read-only (adding to it raises TypeError)."""


def batch_findings(
    items: list[str],
) -> tuple[list[list[HomoglyphFinding]], list[int], list[int]]:
    """What a batch settles without the full analysis: per text of ``items``, its findings
    (every kind, every severity) or :data:`NO_FINDINGS`, which is also the entry of each
    text left to the full analysis; the indices of the texts decided here with findings;
    the indices of the texts left to the full analysis. Raises TypeError (from the join
    of a part) when an item is not a ``str``."""
    out: list[list[HomoglyphFinding]] = [NO_FINDINGS] * len(items)
    flagged = [
        lo + k for lo in range(0, len(items), PART) for k in screen_texts(items[lo : lo + PART])
    ]
    # One-word names are decided together, the others left to the full analysis.
    names = [i for i in flagged if len(items[i]) <= ONE_WORD and items[i].__class__ is str]
    decided: dict[int, list[HomoglyphFinding] | None] = {}
    for lo in range(0, len(names), PART):
        part = names[lo : lo + PART]
        decided.update(zip(part, _decide_names([items[i] for i in part]), strict=True))
    found_at: list[int] = []
    rest: list[int] = []
    for i in flagged:
        found = decided.get(i)
        if found is None:
            rest.append(i)
        elif found is not NO_FINDINGS:
            out[i] = found
            found_at.append(i)
    return out, found_at, rest


def screen_texts(texts: list[str]) -> list[int]:
    """The indices of the ``texts`` that :func:`.data.certainly_clean` cannot clear
    (empty and ASCII-only texts are always cleared: no ASCII character needs the full
    analysis), and of those longer than :data:`SCREENED`."""
    import numpy as np  # lazy, as in .scan

    if not texts:
        return []
    # The texts joined by NUL (a character of class 0, which the screen ignores), so that
    # where each begins is found in the code points, without a Python step per text.
    joined = "\0".join(texts)
    cps = codepoints(joined) if len(joined) <= PART * SCREENED else None
    zeros = None if cps is None else np.flatnonzero(cps == 0)
    if cps is not None and zeros is not None and len(zeros) == len(texts) - 1:
        starts = np.concatenate(([0], zeros + 1))
        lengths = np.diff(np.append(starts, len(cps) + 1)) - 1
        long = lengths > SCREENED
    else:  # long texts, or texts holding a NUL
        lengths = np.fromiter(map(len, texts), np.int64, len(texts))
        long = lengths > SCREENED
        if long.any():
            texts = [t if len(t) <= SCREENED else "" for t in texts]
            lengths[long] = 0
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        cps = codepoints("".join(texts))
    # One more value at the end, so that every start (an empty last text's too) is in
    # range; an empty text's segment is read as one character, and its answer ignored.
    bits = np.append(np.take(_screen_bits(), cps), np.uint16(0))
    both = np.bitwise_or.reduceat(bits, starts)
    cleared = ((both & (both >> 8) & 0xFF) == 0) | (lengths == 0)
    cleared &= ~long
    flagged: list[int] = np.flatnonzero(~cleared).tolist()
    return flagged


_SCREEN_BITS: list[npt.NDArray[np.uint16]] = []
_SCREEN_LOCK = threading.Lock()


def _screen_bits() -> npt.NDArray[np.uint16]:
    """:attr:`~.data.Tables.fast` for one OR over a text (read-only, built once under a
    lock): a class ``c`` becomes ``c`` in the low byte and its complement in the high
    byte, 0 stays 0, the slow class sets all sixteen bits. The OR of a text's values has
    a bit set in both bytes exactly when the text holds a slow character or two
    different classes (they differ in some bit, set in one's low byte and in the other's
    high byte): the test of :func:`.data.certainly_clean`, as one pass over a batch."""
    if not _SCREEN_BITS:
        with _SCREEN_LOCK:
            if not _SCREEN_BITS:
                import numpy as np  # lazy, as in .scan

                fast = np.frombuffer(tables().fast, np.uint8).astype(np.uint16)
                bits = (fast | ((fast ^ 0xFF) << 8)).astype(np.uint16)
                bits[fast == 0] = 0
                bits[fast == FAST_SLOW] = 0xFFFF
                bits.flags.writeable = False
                _SCREEN_BITS.append(bits)
    return _SCREEN_BITS[0]


def _decide_names(texts: list[str]) -> list[list[HomoglyphFinding] | None]:
    """:func:`decide_names` of non-empty texts."""
    import numpy as np  # lazy, as in .scan

    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return decide_names(texts, codepoints("".join(texts)), starts)


def decide_names(
    texts: list[str], cps: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64]
) -> list[list[HomoglyphFinding] | None]:
    """For each of ``texts`` (non-empty, flagged by the screen; ``cps`` their joined code
    points, ``starts`` where each begins in it): the findings of ``find_homoglyphs`` (every
    kind, every severity) when the text is a one-word name decided here, else None (the
    caller runs the full analysis); :data:`NO_FINDINGS` for a decided name without any."""
    import numpy as np  # lazy, as in .scan

    n = len(texts)
    t = tables()
    lengths = np.diff(np.append(starts, len(cps)))
    owner = np.repeat(np.arange(n), lengths)
    uniq, inverse = _unique(cps)
    props = [_char_props(chr(cp)) for cp in uniq.tolist()]
    # Per distinct character: fit for this path (a word character, not hidden, no mark,
    # no lone surrogate), suspect, and the decision's properties.
    unfit = np.fromiter((p[0] for p in props), np.bool_, len(props))[inverse]
    suspect = np.fromiter((p[1] for p in props), np.bool_, len(props))[inverse]
    ok = (lengths <= ONE_WORD) & ~np.logical_or.reduceat(unfit, starts)
    # Digits of two sets in one name need analyze_digits.
    dset = np.frombuffer(t.dset, np.uint8)[cps]
    high = np.maximum.reduceat(dset, starts)
    low = np.minimum.reduceat(np.where(dset == 0, 255, dset), starts)
    ok &= (high == 0) | (low == high)
    has_suspect = np.logical_or.reduceat(suspect, starts)

    # The dominant group of each name: most letters, ties to the lower group (counted
    # in columns of the groups present, in increasing order).
    groups_present, group_col = _unique(np.take(np.frombuffer(t.group_b, np.uint8), uniq))
    width = len(groups_present)
    counted = np.bincount(owner * width + group_col[inverse], minlength=n * width)
    counted = counted.reshape(n, width)
    counted[:, groups_present == 0] = 0
    best = counted.argmax(axis=1)
    dominant = groups_present[best].astype(np.int64)
    dominant[counted[np.arange(n), best] == 0] = 0

    # Script sets and script groups as bit masks (at most 64 distinct in a batch).
    infos = [letter_info(chr(cp)) for cp in uniq.tolist()]
    aug_bits: dict[str, int] = {}
    grp_bits: dict[str, int] = {}
    for info in infos:
        for s in info.augmented or ():
            aug_bits.setdefault(s, len(aug_bits))
        for g in info.groups:
            grp_bits.setdefault(g, len(grp_bits))
    out: list[list[HomoglyphFinding] | None] = [None] * n
    if len(aug_bits) > 64 or len(grp_bits) > 64:
        return out
    # Columns in alphabetical order: the tie rule of the base script (first of sorted).
    grp_names = sorted(grp_bits)
    grp_bits = {g: i for i, g in enumerate(grp_names)}

    def column(values: list[Any], dtype: type) -> npt.NDArray[Any]:
        return np.array(values, dtype)[inverse]

    letter_like = column([i.letter_like for i in infos], np.bool_)
    real = column([i.real for i in infos], np.bool_)
    fullwidth = column([i.fullwidth for i in infos], np.bool_)
    cjk = column([i.cjk for i in infos], np.bool_)
    always = column([i.always for i in infos], np.bool_)
    has_aug = column([i.augmented is not None for i in infos], np.bool_)
    aug = column([_mask(i.augmented or (), aug_bits) for i in infos], np.uint64)
    grp_of = np.array([_mask(i.groups, grp_bits) for i in infos], np.uint64)
    grp = grp_of[inverse]

    scripts = t.scripts
    dominant_names = [scripts[d] if d else "Latn" for d in dominant.tolist()]
    cjk_document = np.array([d == "Hani" for d in dominant_names], np.bool_)
    cjk_word = cjk_document | np.logical_or.reduceat(cjk, starts)
    counts = letter_like & ~(cjk_word[owner] & fullwidth)
    real_letter = np.logical_or.reduceat(counts & real, starts)
    scripted = counts & has_aug
    any_scripted = np.logical_or.reduceat(scripted, starts)
    resolved = np.bitwise_and.reduceat(np.where(scripted, aug, np.uint64(_ALL)), starts)
    several = any_scripted & (resolved == 0)  # letters of incompatible scripts
    fixed = counts & always
    any_fixed = np.logical_or.reduceat(fixed, starts)

    # The base script of a word of several scripts: the dominant one if it has letters
    # there, else the group with most letters (ties: the first name in sorted order).
    bits = np.arange(max(1, len(grp_names)), dtype=np.uint64)
    member = ((grp_of[:, None] >> bits) & np.uint64(1)).astype(np.int32)  # per distinct
    per_group = np.add.reduceat(member[inverse] * scripted[:, None], starts, axis=0)
    dom_col = np.array([grp_bits.get(d, -1) for d in dominant_names], np.int64)
    has_dom = (dom_col >= 0) & (per_group[np.arange(n), np.maximum(dom_col, 0)] > 0)
    base_col = np.where(has_dom, dom_col, per_group.argmax(axis=1))
    base_bit = np.left_shift(np.uint64(1), base_col.astype(np.uint64))
    odd = counts & (always | (has_aug & ((grp & base_bit[owner]) == 0)))
    odd &= several[owner]
    odd_at = np.flatnonzero(odd)
    odd_owner = owner[odd_at]
    # The odd letters' look-alikes in their word's base script, once per distinct pair.
    pair = cps[odd_at].astype(np.int64) * 64 + base_col[odd_owner]
    pairs, pair_inverse = _unique(pair)
    looks = [lookalike(chr(p >> 6), grp_names[p & 63]) for p in pairs.tolist()]
    has_look = np.array([lk is not None for lk in looks], np.bool_)[pair_inverse]
    odd_cps = cps[odd_at]
    divergent = np.frombuffer(t.nfkc_div, np.uint8)[odd_cps] != 0
    twin = np.frombuffer(t.latin_twin, np.uint8)[odd_cps] != 0
    # The verdict of a word of several scripts (see .rules.decide): every odd letter has
    # a look-alike: nfkc_divergence if one of them diverges under NFKC, else confusable
    # (info when each is a Latin letter with an ASCII twin); otherwise mixed_script,
    # unless the mix is moderately restrictive without look-alikes, or Greek symbols.
    missing = np.bincount(odd_owner, ~has_look, n) > 0
    some_look = (np.bincount(odd_owner, has_look, n) > 0).tolist()
    some_divergent = np.bincount(odd_owner, divergent, n) > 0
    some_plain = np.bincount(odd_owner, ~twin, n) > 0
    verdict = np.where(missing, _MIXED, np.where(some_divergent, 0, np.where(some_plain, 1, 2)))
    present = np.bitwise_or.reduceat(np.where(scripted, grp, np.uint64(0)), starts).tolist()

    todo = ok & has_suspect & real_letter & (several | any_fixed)
    for k in (ok & ~todo).nonzero()[0].tolist():
        out[k] = NO_FINDINGS
    verdicts = verdict.tolist()
    named: dict[int, tuple[tuple[str, ...], bool]] = {}
    for k in (todo & several).nonzero()[0].tolist():
        v = verdicts[k]
        word = texts[k]
        if v == _MIXED:
            mask = present[k]
            mixed = named.get(mask)
            if mixed is None:
                scripts = tuple(g for i, g in enumerate(grp_names) if mask >> i & 1)
                mixed = named[mask] = (scripts, moderately_restrictive(set(scripts)))
            if (mixed[1] and not some_look[k]) or ("Grek" in mixed[0] and greek_symbols(word)):
                out[k] = NO_FINDINGS
                continue
            kind, severity = _MIXED_SCRIPT
        else:
            kind, severity = _VERDICTS[v]
        # The explanation is built when read, from the one-call path's own decision
        # (the same verdict: tests/test_homoglyphs_fastpaths.py); a batch's reader
        # mostly asks whether a name has a finding.
        dom = dominant_names[k]
        later = partial(_name_fields, word, dom, dom == "Hani")
        out[k] = [make_lazy_word_finding(word, kind, severity, later)]
    for k in (todo & ~several).nonzero()[0].tolist():
        # One script with a fixed disguise: rare, decided word by word.
        dom = dominant_names[k]
        found = script_decision(texts[k], dom, dom == "Hani")
        out[k] = NO_FINDINGS if found is None else [word_finding(texts[k], found)]
    return out


_MIXED = 3
_MIXED_SCRIPT: tuple[str, Severity] = ("mixed_script", "warning")
_VERDICTS: tuple[tuple[str, Severity], ...] = (
    ("nfkc_divergence", "warning"),
    ("confusable", "warning"),
    ("confusable", "info"),
)


def _unique(values: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[np.intp]]:
    """``np.unique(values, return_inverse=True)`` of a 1-d array (a sort, a
    mask and a binary search: less than half its time on a batch's code points)."""
    import numpy as np  # lazy, as in .scan

    ordered = np.sort(values)
    first = np.empty(len(ordered), np.bool_)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    uniq = ordered[first]
    return uniq, np.searchsorted(uniq, values)


def _name_fields(word: str, dominant: str, cjk_document: bool) -> dict[str, Any]:
    """The deferred fields of the finding of a name decided here: those
    :func:`.rules.analyze_scripts` gives the one word ``word`` (at offset 0)."""
    decision = script_decision(signature(word), dominant, cjk_document)
    if decision is None:  # never: the batch decided the same verdict
        raise RuntimeError(f"no script decision for a flagged name: {word!r}")
    return script_fields(word, 0, decision)


def _mask(names: Iterable[str], bits: dict[str, int]) -> int:
    """The bit mask of ``names`` (their bits in ``bits``)."""
    mask = 0
    for name in names:
        mask |= 1 << bits[name]
    return mask


@lru_cache(maxsize=65536)  # thread-safe: a pure function of one character
def _char_props(ch: str) -> tuple[bool, bool]:
    """(not fit for this path, suspect) of one character: unfit are lone surrogates,
    hidden characters, combining marks and characters outside a word."""
    cp = ord(ch)
    unfit = (
        0xD800 <= cp <= 0xDFFF
        or bool(tables().ignorable[cp])
        or not tables().flags_b[cp] & F_WORD
        or is_mark(ch)
    )
    return unfit, not benign_class()[cp]
