"""Per-word verdicts: ``confusable`` (look-alikes of the word's script mixed in),
``mixed_script`` (letters of incompatible scripts, UTS #39 §5), ``mixed_numbers`` (digits
of several digit sets in one number) and ``whole_script`` (a whole word of a foreign script
made only of look-alikes of the dominant one)."""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter
from functools import lru_cache, partial
from operator import attrgetter
from typing import Any, NamedTuple, overload

from unidecode import unidecode

from ..results import HomoglyphFinding, Severity
from ..tables import prototype_translation
from ..text import skeleton
from .context import (
    Context,
    describe,
    make_char,
    make_finding,
    make_lazy_finding,
    make_lazy_word_finding,
)
from .data import (
    CJK_SCRIPTS,
    F_ALWAYS,
    F_LETTER,
    augmented,
    char_name,
    groups,
    lookalike,
    reverse_skeleton,
    script,
    tables,
)

__all__ = [
    "Decision",
    "Verdict",
    "analyze_digits",
    "analyze_scripts",
    "ascii_reading",
    "decide",
    "greek_symbols",
    "greek_symbols_reference",
    "is_fullwidth",
    "letter_info",
    "moderately_restrictive",
    "script_decision",
    "script_fields",
    "script_verdict",
    "signature",
    "verdict_texts",
    "whole_script",
    "word_finding",
]

_HAN_SYSTEMS = frozenset(("Jpan", "Kore", "Hanb"))
_CONFUSABLE_LATIN_PEERS = frozenset(("Cyrl", "Grek"))  # never "moderately restrictive"

Verdict = tuple[str, Severity, tuple[tuple[int, str | None], ...], str | None, str]
"""(kind, severity, ((relative offset, look-alike), ...), suggestion, message)."""

Decision = tuple[str, Severity, tuple[tuple[int, str | None], ...], str, tuple[str, ...]]
"""(kind, severity, ((relative offset, look-alike), ...), base script, the scripts a
``mixed_script`` word mixes): a :data:`Verdict` before its words."""


def analyze_scripts(ctx: Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    """Append the ``confusable`` or ``mixed_script`` finding of ``ctx.text[start:end]``;
    its characters, suggestion and message are built when first read."""
    word = ctx.text[start:end]
    shared = ctx.shared
    if shared is None:
        # Keyed by the signature, the memo of script_decision (bounded, thread-safe,
        # shared between calls) serves every word of the same look-alike characters in
        # the same script context, not only a word seen before.
        decision = script_decision(signature(word), ctx.dominant, ctx.cjk_document)
    else:  # a batch: words of one signature share their decision
        key = (signature(word), ctx.dominant, ctx.cjk_document)
        decision = shared.get(key, _NOT_YET)
        if decision is _NOT_YET:
            decision = shared[key] = script_decision(*key)
    if decision is None:
        return
    kind, severity = decision[0], decision[1]
    later = partial(script_fields, word, start, decision)
    out.append(make_lazy_finding(ctx, kind, severity, start, end, later))


def word_finding(word: str, decision: Decision) -> HomoglyphFinding:
    """The finding :func:`analyze_scripts` makes of ``decision`` on a text that is the
    one word ``word`` (at offset 0, line 1, column 1)."""
    later = partial(script_fields, word, 0, decision)
    return make_lazy_word_finding(word, decision[0], decision[1], later)


def script_fields(word: str, start: int, decision: Decision) -> dict[str, Any]:
    """The deferred fields of the finding of :func:`analyze_scripts` on ``word``."""
    suggestion, message = verdict_texts(word, decision)
    chars = tuple(make_char(start + rel, word[rel], looks_like) for rel, looks_like in decision[2])
    return {"chars": chars, "suggestion": suggestion, "message": message}


_NOT_YET: Any = object()


def signature(word: str) -> str:
    """``word`` with every character that has no look-alike in any script replaced by
    the first character seen of its class: characters of one class are interchangeable
    for :func:`script_decision` (equal properties, no look-alike to offer), so two words
    of one signature get the same decision (and the signature's own)."""
    return "".join(map(_signature_char, word))


@lru_cache(maxsize=65536)  # thread-safe: a function of one character (see _class_member)
def _signature_char(ch: str) -> str:
    cp = ord(ch)
    if 0xD800 <= cp <= 0xDFFF:
        return ch
    sk = skeleton(ch)
    # lookalike() offers the other characters of ch's skeleton class (or the skeleton
    # itself when it is not ch's decomposition): with none, it is None for every script.
    # reverse_skeleton(sk) is empty unless sk is some confusable's skeleton, and the
    # translation's keys are the confusables themselves: both tables are loaded for a
    # finding's suggestion anyway, where a set of all skeletons cost a one-shot run more.
    if not sk or sk != unicodedata.normalize("NFD", ch) or reverse_skeleton(sk):
        return ch
    if cp in prototype_translation():
        return ch
    t = tables()
    key = (_letter(ch), t.nfkc_div[cp], t.latin_twin[cp], t.sc[cp], t.flags_b[cp] & F_LETTER)
    with _CLASS_LOCK:  # the first member stays the class's representative
        return _CLASS_MEMBER.setdefault(key, ch)


_CLASS_MEMBER: dict[tuple[object, ...], str] = {}
_CLASS_LOCK = threading.Lock()


def script_verdict(word: str, dominant: str, cjk_document: bool) -> Verdict | None:
    """Confusable / mixed-script verdict for one word: :func:`script_decision` with its
    suggestion and message (:func:`verdict_texts`). Equal to
    :func:`script_verdict_reference`."""
    decision = script_decision(word, dominant, cjk_document)
    if decision is None:
        return None
    suggestion, message = verdict_texts(word, decision)
    return decision[0], decision[1], decision[2], suggestion, message


@lru_cache(maxsize=8192)  # thread-safe: a pure function of its arguments
def script_decision(word: str, dominant: str, cjk_document: bool) -> Decision | None:
    """What :func:`script_verdict` decides on one word, without the words that explain
    it (memoised: depends on nothing else).

    Here each character's properties are unpacked from one cached tuple, letters are
    counted per script set, and consecutive letters of one script set intersect it once.
    """
    infos = list(map(_letter, word))
    cjk_word = cjk_document or any(map(_CJK, infos))
    # Offsets only: the character and its properties are read back when needed, which
    # costs less than building a tuple per letter of every word.
    letters: list[int] = []
    always: list[int] = []
    twins = 0
    real_letter = False
    resolved: frozenset[str] | None = None
    last: frozenset[str] | None = None
    per_groups: dict[frozenset[str], int] = {}
    i = -1
    for info in infos:
        i += 1
        letter_like, real, fullwidth, _, is_always, twin, aug, grps = info
        if not letter_like or (cjk_word and fullwidth):
            continue  # fullwidth forms are ordinary in Chinese, Japanese and Korean words
        letters.append(i)
        if real:
            real_letter = True
        if is_always:
            always.append(i)
            twins += twin
        if aug is not None:
            if aug is not last:  # a run of letters of one script intersects once
                resolved = aug if resolved is None else resolved & aug
                last = aug
            per_groups[grps] = per_groups.get(grps, 0) + 1
    if not real_letter:
        return None
    counts: dict[str, int] = {}
    for grps, n in per_groups.items():
        for group in grps:
            counts[group] = counts.get(group, 0) + n
    if resolved is None or resolved:
        # Single script (or only Common/Inherited): only fixed disguises can be at fault.
        if not always:
            return None
        if len(letters) < 2 and not any(tables().nfkc_div[ord(word[i])] for i in always):
            return None
        base = dominant
        if resolved:
            systems = {"Hani" if s in CJK_SCRIPTS or s in _HAN_SYSTEMS else s for s in resolved}
            base = dominant if dominant in systems else min(systems)
        # Fullwidth Latin is ordinary typography in Chinese, Japanese and Korean text.
        odd = [(i, word[i]) for i in always if not (cjk_document and is_fullwidth(word[i]))]
        if not odd:
            return None
        if twins == len(always) and len(odd) < len(letters) and base != "Latn":
            return None
        return decide(word, base, odd, True, counts)
    base = dominant
    if base not in counts:
        base = max(sorted(counts), key=counts.__getitem__)
    fixed = set(always)
    odd = []
    for i in letters:
        info = infos[i]
        if i in fixed or (base not in info[7] and info[6]):  # .groups, .augmented
            odd.append((i, word[i]))
    return decide(word, base, odd, False, counts)


_CJK = attrgetter("cjk")  # of a _Letter


def script_verdict_reference(word: str, dominant: str, cjk_document: bool) -> Verdict | None:
    """:func:`script_verdict` written plainly, one character and one look-alike at a time
    (the reference for tests)."""
    t = tables()
    letters: list[tuple[int, str]] = []
    always: list[tuple[int, str]] = []
    twins = 0
    real_letter = False
    resolved: frozenset[str] | None = None
    counts: dict[str, int] = {}
    cjk_word = cjk_document or any(_letter(ch).cjk for ch in word)
    for i, ch in enumerate(word):
        info = _letter(ch)
        if not info.letter_like or (cjk_word and info.fullwidth):
            continue  # fullwidth forms are ordinary in Chinese, Japanese and Korean words
        letters.append((i, ch))
        real_letter |= info.real
        if info.always:
            always.append((i, ch))
            twins += info.twin
        if info.augmented is not None:
            resolved = info.augmented if resolved is None else resolved & info.augmented
            for group in info.groups:
                counts[group] = counts.get(group, 0) + 1
    if not real_letter:
        return None
    if resolved is None or resolved:
        # Single script (or only Common/Inherited): only fixed disguises can be at fault.
        divergent = any(t.nfkc_div[ord(ch)] for _, ch in always)
        if not always or (len(letters) < 2 and not divergent):
            return None
        base = dominant
        if resolved:
            systems = {"Hani" if s in CJK_SCRIPTS or s in _HAN_SYSTEMS else s for s in resolved}
            base = dominant if dominant in systems else min(systems)
        # Fullwidth Latin is ordinary typography in Chinese, Japanese and Korean text.
        odd = [(i, ch) for i, ch in always if not (cjk_document and is_fullwidth(ch))]
        if not odd:
            return None
        if twins == len(always) and len(odd) < len(letters) and base != "Latn":
            return None
    else:
        base = dominant
        if base not in counts:
            base = max(sorted(counts), key=counts.__getitem__)
        odd_set = {
            i for i, ch in letters if base not in _letter(ch).groups and _letter(ch).augmented
        }
        odd_set.update(i for i, _ in always)
        odd = [(i, ch) for i, ch in letters if i in odd_set]
    looks = [(i, ch, lookalike(ch, base)) for i, ch in odd]
    describe = _describe
    if all(lk is not None for _, _, lk in looks):
        repl = {i: lk or "" for i, _, lk in looks}
        suggestion = "".join(repl.get(i, ch) for i, ch in enumerate(word))
        message = (
            f"{word!r} mixes look-alike characters into {base} text: "
            + ", ".join(f"{describe(ch)} looks like {lk!r}" for _, ch, lk in looks)
            + f"; did you mean {suggestion!r}?"
        )
        # Allowed Latin letters with an ASCII twin that no language writes in its main
        # alphabet: informational only.
        severity: Severity = (
            "info" if all(t.latin_twin[ord(ch)] for _, ch, _ in looks) else "warning"
        )
        odd_chars = tuple((i, lk) for i, _, lk in looks)
        split = [
            (ch, unicodedata.normalize("NFKC", ch)) for _, ch, _ in looks if t.nfkc_div[ord(ch)]
        ]
        if split:
            message += (
                " NFKC reads "
                + ", ".join(
                    f"{describe(ch)} as {n!r}, skeleton {skeleton(ch)!r}" for ch, n in split
                )
                + ": a check after NFKC normalization sees another word than the reader"
            )
            return "nfkc_divergence", "warning", odd_chars, suggestion, message
        return "confusable", severity, odd_chars, suggestion, message
    if resolved is None or resolved:
        return None
    scripts = set(counts)
    if moderately_restrictive(scripts) and not any(lk for _, _, lk in looks):
        return None
    if greek_symbols(word):
        return None
    # No look-alike to offer: unidecode gives a readable ASCII rendering for the message.
    message = (
        f"{word!r} mixes scripts {', '.join(sorted(scripts))}: "
        + ", ".join(describe(ch) for _, ch, _ in looks)
        + f" (reads roughly as {ascii_reading(word)!r})"
    )
    return "mixed_script", "warning", tuple((i, lk) for i, _, lk in looks), None, message


def decide(
    word: str, base: str, odd: list[tuple[int, str]], single: bool, counts: dict[str, int]
) -> Decision | None:
    """The decision on ``word`` once its odd letters and base script are known: a
    ``confusable`` (or ``nfkc_divergence``) finding when each has a look-alike in ``base``,
    else a ``mixed_script`` one for a word of several scripts (``single`` false)."""
    t = tables()
    chars = [ch for _, ch in odd]
    looks = [lookalike(ch, base) for ch in chars]
    odd_chars = tuple((i, lk) for (i, _), lk in zip(odd, looks, strict=True))
    if None not in looks:
        codes = list(map(ord, chars))
        if any(map(t.nfkc_div.__getitem__, codes)):
            return "nfkc_divergence", "warning", odd_chars, base, ()
        # Allowed Latin letters with an ASCII twin that no language writes in its main
        # alphabet: informational only.
        twins = all(map(t.latin_twin.__getitem__, codes))
        return "confusable", "info" if twins else "warning", odd_chars, base, ()
    if single:
        return None
    scripts = set(counts)
    if moderately_restrictive(scripts) and not any(looks):
        return None
    # Every Greek letter counts for "Grek" (tested): without one, not Greek symbols.
    if "Grek" in counts and greek_symbols(word):
        return None
    return "mixed_script", "warning", odd_chars, base, tuple(sorted(scripts))


def verdict_texts(word: str, decision: Decision) -> tuple[str | None, str]:
    """The suggestion and message of a :func:`script_decision` on ``word``."""
    kind, _, odd, base, scripts = decision
    chars = [word[i] for i, _ in odd]
    if kind == "mixed_script":
        # No look-alike to offer: unidecode gives a readable ASCII rendering.
        message = (
            f"{word!r} mixes scripts {', '.join(scripts)}: "
            + ", ".join(map(_describe, chars))
            + f" (reads roughly as {ascii_reading(word)!r})"
        )
        return None, message
    letters = list(word)
    for i, lk in odd:
        letters[i] = lk or ""
    suggestion = "".join(letters)
    message = (
        f"{word!r} mixes look-alike characters into {base} text: "
        + ", ".join(map(_looks_like, chars, (lk for _, lk in odd)))
        + f"; did you mean {suggestion!r}?"
    )
    if kind == "nfkc_divergence":
        nfkc_div = tables().nfkc_div
        message += (
            " NFKC reads "
            + ", ".join(
                f"{_describe(ch)} as {unicodedata.normalize('NFKC', ch)!r}, "
                f"skeleton {skeleton(ch)!r}"
                for ch in chars
                if nfkc_div[ord(ch)]
            )
            + ": a check after NFKC normalization sees another word than the reader"
        )
    return suggestion, message


@lru_cache(maxsize=16384)  # thread-safe: a pure function of its arguments
def _looks_like(ch: str, lk: str | None) -> str:
    return f"{_describe(ch)} looks like {lk!r}"


class _Letter(NamedTuple):
    """What :func:`script_verdict` needs of one character, looked up once per character."""

    letter_like: bool  # a letter, a letter of a script group, or a symbol that looks like one
    real: bool  # a letter (general category L)
    fullwidth: bool
    cjk: bool  # of the CJK script group
    always: bool  # a look-alike the verdict always weighs (see script_verdict)
    twin: int  # 1 for an allowed Latin letter confusable with one ASCII letter
    augmented: frozenset[str] | None
    groups: frozenset[str]


@lru_cache(maxsize=65536)  # thread-safe: a pure function of one character
def _letter(ch: str) -> _Letter:
    """What :func:`script_decision` reads of ``ch`` (cached)."""
    t = tables()
    cp = ord(ch)
    f = t.flags_b[cp]
    letter_like = not t.ignorable[cp] and bool(f & F_LETTER or t.group_b[cp] or t.looks_letter[cp])
    always = bool(f & F_ALWAYS) and (
        t.sc[cp] in (1, 2) or not t.allowed[cp] or bool(t.latin_twin[cp])
    )
    return _Letter(
        letter_like=letter_like,
        real=bool(f & F_LETTER),
        fullwidth=is_fullwidth(ch),
        cjk=t.group_b[cp] == t.cjk,
        always=always,
        twin=t.latin_twin[cp],
        augmented=_interned(augmented(cp)),
        groups=_interned(groups(cp)),
    )


letter_info = _letter
"""The properties :func:`script_decision` reads of one character (a ``_Letter``; cached)."""

_SETS: dict[frozenset[str], frozenset[str]] = {}
_SETS_LOCK = threading.Lock()


@overload
def _interned(found: frozenset[str]) -> frozenset[str]: ...
@overload
def _interned(found: None) -> None: ...
def _interned(found: frozenset[str] | None) -> frozenset[str] | None:
    """One object per distinct script set, so that :func:`script_decision` sees a run of
    letters of one script as one object (``is``) and counts them under one dict key
    without comparing sets."""
    if found is None:
        return None
    with _SETS_LOCK:  # once per character (``_letter`` is cached)
        return _SETS.setdefault(found, found)


@lru_cache(maxsize=16384)  # thread-safe: a pure function of one character
def _describe(ch: str) -> str:
    """``"ч" (U+0447 CYRILLIC SMALL LETTER CHE, Cyrl)``, for messages."""
    return f'"{ch}" (U+{ord(ch):04X} {char_name(ch)}, {script(ord(ch))})'


@lru_cache(maxsize=16384)  # thread-safe: a pure function of one character
def _ascii_of(ch: str) -> str:
    return unidecode(ch)


def ascii_reading(word: str) -> str:
    """``unidecode(word)``, character by character through a cache (unidecode reads each
    character on its own, so the two agree)."""
    return "".join(map(_ascii_of, word))


_MAX_SYMBOL_LATIN_RUN = 2


def greek_symbols(word: str) -> bool:
    """Greek letters used as symbols next to Latin letters or digits (kΩ, 2πf, Δx, μm):
    every non-Latin letter of the word is Greek without a Latin look-alike, and no run of
    Latin letters is longer than a unit or a variable name (two letters). "Windowsπ", or
    a Greek letter that imitates a Latin one ("Αpple"), keeps its finding.

    Equal to :func:`greek_symbols_reference`, on a string of per-character classes."""
    codes = "".join(map(_greek_code, word))
    return "3" not in codes and "1" * (_MAX_SYMBOL_LATIN_RUN + 1) not in codes and "2" in codes


@lru_cache(maxsize=16384)  # thread-safe: a pure function of one character
def _greek_code(ch: str) -> str:
    """For :func:`greek_symbols`: "0" not a letter, "1" a Latin letter, "2" a Greek
    letter without a Latin look-alike, "3" any other letter."""
    t = tables()
    cp = ord(ch)
    if not t.flags_b[cp] & F_LETTER:
        return "0"
    if t.sc[cp] == t.script_id["Latn"]:
        return "1"
    if t.sc[cp] == t.script_id["Grek"] and lookalike(ch, "Latn") is None:
        return "2"
    return "3"


def greek_symbols_reference(word: str) -> bool:
    """Greek letters used as symbols next to Latin letters or digits (kΩ, 2πf, Δx, μm):
    every non-Latin letter of the word is Greek without a Latin look-alike, and no run of
    Latin letters is longer than a unit or a variable name (two letters). "Windowsπ", or
    a Greek letter that imitates a Latin one ("Αpple"), keeps its finding (one character
    at a time: the reference for tests)."""
    t = tables()
    latin, greek = t.script_id["Latn"], t.script_id["Grek"]
    run = 0
    seen_greek = False
    for ch in word:
        cp = ord(ch)
        if not t.flags_b[cp] & F_LETTER:
            run = 0
            continue
        if t.sc[cp] == latin:
            run += 1
            if run > _MAX_SYMBOL_LATIN_RUN:
                return False
            continue
        run = 0
        if t.sc[cp] != greek or lookalike(ch, "Latn") is not None:
            return False
        seen_greek = True
    return seen_greek


def is_fullwidth(ch: str) -> bool:
    """Halfwidth and Fullwidth Forms (ordinary in Chinese, Japanese and Korean text)."""
    return 0xFF00 <= ord(ch) <= 0xFFEF


def moderately_restrictive(groups: set[str]) -> bool:
    """UTS #39 §5.2: Latin plus at most one other script (Han-based writing systems count as
    one), except Cyrillic and Greek."""
    others = groups - {"Latn"}
    return len(others) <= 1 and not (others & _CONFUSABLE_LATIN_PEERS)


def analyze_digits(ctx: Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    """Append a ``mixed_numbers`` finding for the first number of ``ctx.text[start:end]``
    whose digits come from more than one digit set."""
    t = tables()
    text = ctx.text
    run: list[int] = []
    for i in range(start, end + 1):
        if i < end and t.dset[ord(text[i])]:
            run.append(i)
            continue
        if len(run) > 1:
            sets = Counter(t.dset[ord(text[j])] for j in run)
            if len(sets) > 1:
                main = t.dset[ord(text[run[0]])]
                zero = t.dzero[main]
                odd = [j for j in run if t.dset[ord(text[j])] != main]
                details = []
                for j in odd:
                    value = ord(text[j]) - t.dzero[t.dset[ord(text[j])]]
                    details.append(make_char(j, text[j], chr(zero + value)))
                number = text[run[0] : run[-1] + 1]
                fixed = "".join(chr(zero + ord(c) - t.dzero[t.dset[ord(c)]]) for c in number)
                out.append(
                    make_finding(
                        ctx,
                        "mixed_numbers",
                        "warning",
                        start,
                        end,
                        details,
                        text[start : run[0]] + fixed + text[run[-1] + 1 : end],
                        f"number {number!r} mixes digits of different sets: "
                        + ", ".join(describe(d) for d in details),
                    )
                )
                return
        run = []


def whole_script(ctx: Context, start: int, end: int, out: list[HomoglyphFinding]) -> None:
    """Append a ``whole_script`` finding when every letter of the candidate word
    ``ctx.text[start:end]`` (from :func:`.scan.candidates`) has a look-alike in the
    dominant script."""
    text = ctx.text
    base = ctx.dominant
    details = []
    for i in range(start, end):
        ch = text[i]
        if tables().flags_b[ord(ch)] & F_LETTER:
            details.append(make_char(i, ch, lookalike(ch, base)))
    if len(details) < 2 or any(d.looks_like is None for d in details):
        return
    repl = {d.offset: d.looks_like or "" for d in details}
    suggestion = "".join(repl.get(i, ch) for i, ch in enumerate(text[start:end], start))
    script = details[0].script
    out.append(
        make_finding(
            ctx,
            "whole_script",
            "warning",
            start,
            end,
            details,
            suggestion,
            f"{text[start:end]!r} is written in {script} but every letter looks like "
            f"{base}: it reads as {suggestion!r}",
        )
    )
