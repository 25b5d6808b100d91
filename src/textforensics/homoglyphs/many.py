"""The flagged names of a :func:`~textforensics.homoglyphs.find_homoglyphs_many` batch,
decided together: what :func:`.scan.find_homoglyphs` does to one short one-word name, as
numpy passes over the code points of all of them at once.

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
   per word, Python is left with the tuple of its odd letters and the finding, whose
   explanation is built when read. Only the words whose letters are all of one script
   and hold a fixed disguise (rare) get :func:`.rules.script_decision` itself.

Everything here works on per-call arrays; the tables and caches it reads are read-only or
thread-safe. ``tests/test_homoglyphs_fastpaths.py`` checks the result against
:func:`.scan.find_homoglyphs`, one call each.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from ..results import HomoglyphFinding, Severity
from .context import make_lazy_word_finding
from .data import F_WORD, benign_class, lookalike, tables
from .marks import is_mark
from .rules import (
    Decision,
    greek_symbols,
    letter_info,
    moderately_restrictive,
    script_decision,
    script_fields,
    word_finding,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["ONE_WORD", "decide_names"]

ONE_WORD = 64
"""The longest name decided here, and the longest text :func:`.scan.one_word_candidates`
takes: a text of one word this short has at most 32 runs of suspect characters, so
:func:`.scan.candidates` would take its sparse path, whose spans are all the whole text."""

_ALL = (1 << 64) - 1


def decide_names(
    texts: list[str], cps: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64]
) -> list[list[HomoglyphFinding] | None]:
    """For each of ``texts`` (non-empty, flagged by the screen; ``cps`` their joined code
    points, ``starts`` where each begins in it): the findings of ``find_homoglyphs`` (every
    kind, every severity) when the text is a one-word name decided here, else None (the
    caller runs the full analysis)."""
    import numpy as np  # lazy, as in .scan

    n = len(texts)
    t = tables()
    lengths = np.diff(np.append(starts, len(cps)))
    owner = np.repeat(np.arange(n), lengths)
    uniq, inverse = np.unique(cps, return_inverse=True)
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

    # The dominant group of each name: most letters, ties to the lower group.
    group = np.frombuffer(t.group_b, np.uint8)[cps].astype(np.int64)
    counted = np.bincount(owner * 256 + group, minlength=n * 256).reshape(n, 256)
    counted[:, 0] = 0
    dominant = counted.argmax(axis=1)
    dominant[counted[np.arange(n), dominant] == 0] = 0

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
    grp = column([_mask(i.groups, grp_bits) for i in infos], np.uint64)

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
    member = ((grp[:, None] >> bits) & np.uint64(1)).astype(np.int32)
    per_group = np.add.reduceat(member * scripted[:, None], starts, axis=0)
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
    pairs, pair_inverse = np.unique(pair, return_inverse=True)
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

    # Each word's odd letters, (offset, look-alike), in one list in word order.
    rel = (odd_at - starts[odd_owner]).tolist()
    odd_pairs = list(zip(rel, map(looks.__getitem__, pair_inverse.tolist()), strict=True))
    odd_bounds = np.searchsorted(odd_owner, np.arange(n + 1)).tolist()

    todo = ok & has_suspect & real_letter & (several | any_fixed)
    for k in (ok & ~todo).nonzero()[0].tolist():
        out[k] = []
    base_cols = base_col.tolist()
    verdicts = verdict.tolist()
    named: dict[int, tuple[tuple[str, ...], bool]] = {}
    for k in (todo & several).nonzero()[0].tolist():
        odd_chars = tuple(odd_pairs[odd_bounds[k] : odd_bounds[k + 1]])
        v = verdicts[k]
        if v != _MIXED:
            kind, severity = _VERDICTS[v]
            word = texts[k]
            decision: Decision = (kind, severity, odd_chars, grp_names[base_cols[k]], ())
            # word_finding(word, decision), written out: this loop runs once per name.
            later = partial(script_fields, word, 0, decision)
            out[k] = [make_lazy_word_finding(word, kind, severity, later)]
            continue
        mask = present[k]
        mixed = named.get(mask)
        if mixed is None:
            scripts = tuple(g for i, g in enumerate(grp_names) if mask >> i & 1)
            mixed = named[mask] = (scripts, moderately_restrictive(set(scripts)))
        if (mixed[1] and not some_look[k]) or ("Grek" in mixed[0] and greek_symbols(texts[k])):
            out[k] = []
        else:
            decision = ("mixed_script", "warning", odd_chars, grp_names[base_cols[k]], mixed[0])
            out[k] = [word_finding(texts[k], decision)]
    for k in (todo & ~several).nonzero()[0].tolist():
        # One script with a fixed disguise: rare, decided word by word.
        dom = dominant_names[k]
        found = script_decision(texts[k], dom, dom == "Hani")
        out[k] = [] if found is None else [word_finding(texts[k], found)]
    return out


_MIXED = 3
_VERDICTS: tuple[tuple[str, Severity], ...] = (
    ("nfkc_divergence", "warning"),
    ("confusable", "warning"),
    ("confusable", "info"),
)


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
